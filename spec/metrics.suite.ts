// metrics (seed 000, Q4.3 and Q4.4): confusion_matrix(y_true, y_pred, k), precision_recall(cm) and
// confidence_quadrants(probs, y_true, hi=0.9, lo=0.6).
//
// Semantics: as scikit-learn, which the homework calls. confusion_matrix(y_true, y_pred, k) is
// sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(k)): cm[i][j] counts samples of true class i
// predicted as j (rows true, columns predicted). precision_recall(cm) returns (precision, recall), one entry
// per class, as precision_recall_fscore_support(..., average=None, zero_division=0): precision_j = cm[j][j] /
// column sum, recall_j = cm[j][j] / row sum, and 0 where that sum is 0 (a class never predicted, never true).
// confidence_quadrants returns the four counts of Q4.4 in the homework's order
// [correct & high, correct & low, incorrect & high, incorrect & low], with prediction = argmax of the row,
// confidence = its max, high = confidence > hi and low = confidence < lo (strict, as the homework's code).
//
// Labels, class counts and confusion matrices are integers: they reach Python as int64 arrays. Probability
// rows are c / sum(c) for small integers c with a unique largest entry (so argmax has no ties, and a row
// like [9, 1] / 10 sits exactly on the threshold 0.9). Golden values: fixtures/golden/metrics.json, written
// by fixtures/golden/generate_metrics.py with Debian's scikit-learn 1.2 (and the homework's own numpy code
// for the quadrants).

import fc from 'fast-check';
import { sized } from '../src/arbitraries.ts';
import type { Value } from '../src/failure.ts';
import { callLike, expectClose, matchesOracle } from '../src/laws.ts';
import type { Matrix, Vector } from '../src/numeric.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import { CLOSED_FORM } from '../src/tolerance.ts';
import { confidenceQuadrants, confusionMatrix, precisionRecall } from '../reference/metrics.ts';
import golden from '../fixtures/golden/metrics.json' with { type: 'json' };
import { argmax } from './metrics.shared.ts';
import { metricsMistakes } from './metrics.mistakes.ts';

export const METRICS_TOLERANCES = {
  /** Counts are exact; precision and recall are one division each. */
  value: CLOSED_FORM,
} as const;

// --- golden values ------------------------------------------------------------------------------------

export interface GoldenClassification {
  readonly id: string;
  readonly regime: string;
  readonly k: number;
  readonly y_true: Vector;
  readonly y_pred: Vector;
  readonly confusion_matrix: Matrix;
  readonly precision: Vector;
  readonly recall: Vector;
}

export interface GoldenQuadrants {
  readonly id: string;
  readonly regime: string;
  readonly probs: Matrix;
  readonly y_true: Vector;
  readonly hi: number;
  readonly lo: number;
  readonly counts: Vector;
}

export interface GoldenMetrics {
  readonly generator: string;
  readonly sklearn: string;
  readonly numpy: string;
  readonly classification: GoldenClassification[];
  readonly quadrants: GoldenQuadrants[];
}

/** Imported, not read from a path: a bundle of the suites (a student's self-check, grader/self-check/) carries it. */
export const metricsGolden = golden as GoldenMetrics;

// --- arbitraries --------------------------------------------------------------------------------------

interface LabelInput {
  readonly yTrue: Vector;
  readonly yPred: Vector;
  readonly k: number;
}

/** k in 1..8 classes, n in 1..40 samples. */
const labels: fc.Arbitrary<LabelInput> = sized(1, 8, (k) =>
  sized(1, 40, (n) =>
    fc.record({
      yTrue: fc.array(fc.nat(k - 1), { minLength: n, maxLength: n }),
      yPred: fc.array(fc.nat(k - 1), { minLength: n, maxLength: n }),
      k: fc.constant(k),
    }),
  ),
);

/** A k x k matrix of counts in 0..20, zeros frequent (so whole rows and columns are often 0). */
const counts: fc.Arbitrary<Matrix> = sized(1, 8, (k) =>
  fc.array(fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 20 })), { minLength: k, maxLength: k }), { minLength: k, maxLength: k }),
);

/** Counts with class `empty` never predicted (column 0) and class `absent` never true (row 0). */
const countsWithEmptyClasses: fc.Arbitrary<Matrix> = sized(2, 8, (k) =>
  fc.record({
    cm: fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: k, maxLength: k }), { minLength: k, maxLength: k }),
    empty: fc.nat(k - 1),
    absent: fc.nat(k - 1),
  }),
).map(({ cm, empty, absent }) => cm.map((row, i) => row.map((c, j) => (i === absent || j === empty ? 0 : c))));

interface QuadrantInput {
  readonly probs: Matrix;
  readonly yTrue: Vector;
  readonly hi: number;
  readonly lo: number;
}

/** c / sum(c) for small counts c with a unique largest entry. */
const probabilityRow = (k: number): fc.Arbitrary<Vector> =>
  fc
    .array(fc.integer({ min: 0, max: 20 }), { minLength: k, maxLength: k })
    .filter((c) => {
      const m = Math.max(...c);
      return m > 0 && c.filter((v) => v === m).length === 1;
    })
    .map((c) => {
      const s = c.reduce((a, b) => a + b, 0);
      return c.map((v) => v / s);
    });

/** Rows whose max is exactly 0.9 or 0.6 (9/10, 18/20, 3/5, 6/10), padded with zeros to k entries. */
const thresholdRow = (k: number): fc.Arbitrary<Vector> =>
  fc
    .constantFrom([9, 1], [18, 1, 1], [3, 2], [6, 3, 1], [6, 4])
    .filter((c) => c.length <= k)
    .chain((c) => fc.shuffledSubarray([...c, ...new Array<number>(k - c.length).fill(0)], { minLength: k, maxLength: k }))
    .map((c) => {
      const s = c.reduce((a, b) => a + b, 0);
      return c.map((v) => v / s);
    });

/** n in 1..30 rows of k in 2..6 classes; y_true is the prediction about 60% of the time. */
const quadrantsWith = (row: (k: number) => fc.Arbitrary<Vector>, thresholds: fc.Arbitrary<[number, number]>): fc.Arbitrary<QuadrantInput> =>
  sized(2, 6, (k) =>
    sized(1, 30, (n) =>
      fc.record({
        rows: fc.array(fc.tuple(row(k), fc.boolean(), fc.nat(k - 1)), { minLength: n, maxLength: n }),
        thresholds,
      }),
    ),
  ).map(({ rows, thresholds: [hi, lo] }) => ({
    probs: rows.map(([p]) => p),
    yTrue: rows.map(([p, right, other]) => (right ? argmax(p) : other)),
    hi,
    lo,
  }));

const DEFAULT_THRESHOLDS: [number, number] = [0.9, 0.6];
const thresholds: fc.Arbitrary<[number, number]> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(DEFAULT_THRESHOLDS) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(0.8, 0.95, 0.75), fc.constantFrom(0.3, 0.5, 0.7)) },
);

const quadrantInput = quadrantsWith((k) => fc.oneof({ weight: 4, arbitrary: probabilityRow(k) }, { weight: 1, arbitrary: thresholdRow(k) }), thresholds);
const atThresholds = quadrantsWith(thresholdRow, fc.constant(DEFAULT_THRESHOLDS));

const quadrantArgs = ({ probs, yTrue, hi, lo }: QuadrantInput): Value[] => [probs, yTrue, hi, lo];

export const metrics: Problem = {
  id: 'metrics',
  title: 'Confusion matrix, per-class precision and recall (as scikit-learn: rows true, zero_division 0) and confidence quadrants',
  source: 'seed 000, Q4.3 and Q4.4',
  signatures: ['confusion_matrix(y_true, y_pred, k)', 'precision_recall(cm)', 'confidence_quadrants(probs, y_true, hi=0.9, lo=0.6)'],
  intArgs: { confusion_matrix: [0, 1, 2], precision_recall: [0], confidence_quadrants: [1] },
  checks: [
    matchesOracle({
      id: 'confusion-matrix-matches-reference',
      title: 'confusion_matrix(y_true, y_pred, k)[i][j] counts the samples of true class i predicted as class j (k x k, rows true, columns predicted)',
      arbitrary: labels,
      fn: 'confusion_matrix',
      args: ({ yTrue, yPred, k }) => [yTrue, yPred, k],
      oracle: ({ yTrue, yPred, k }) => confusionMatrix(yTrue, yPred, k),
      tolerance: METRICS_TOLERANCES.value,
    }),
    defineCheck({
      id: 'confusion-matrix-totals',
      title: 'the confusion matrix adds up to the number of samples, and row i to the number of samples whose true class is i',
      arbitrary: labels,
      tolerance: METRICS_TOLERANCES.value,
      run: async (subject, { yTrue, yPred, k }, context) => {
        const { call, value } = await callLike(subject, 'confusion_matrix', [yTrue, yPred, k], confusionMatrix(yTrue, yPred, k));
        const cm = value as Matrix;
        const tol = context.tol(METRICS_TOLERANCES.value);
        const total = cm.reduce((s, row) => s + row.reduce((a, c) => a + c, 0), 0);
        expectClose(total, yTrue.length, tol, { code: 'invariant_violated', message: 'the entries of the confusion matrix add up to the number of samples', call });
        const classSizes = Array.from({ length: k }, (_, c) => yTrue.filter((t) => t === c).length);
        expectClose(cm.map((row) => row.reduce((a, c) => a + c, 0)), classSizes, tol, {
          code: 'invariant_violated',
          message: 'row i of the confusion matrix adds up to the number of samples of true class i (rows are true classes, as sklearn)',
          call,
        });
      },
    }),
    matchesOracle({
      id: 'confusion-matrix-matches-sklearn',
      title: 'confusion_matrix equals sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(k)) on golden cases (up to 8 classes and 3500 samples)',
      arbitrary: fc.constantFrom(...metricsGolden.classification),
      fn: 'confusion_matrix',
      args: (c) => [c.y_true, c.y_pred, c.k],
      oracle: (c) => c.confusion_matrix,
      tolerance: METRICS_TOLERANCES.value,
      independent: 'scikit-learn answers, committed golden JSON',
    }),
    matchesOracle({
      id: 'precision-recall-matches-reference',
      title: 'precision_recall(cm) returns (precision, recall): precision_j = cm[j][j] / (column j sum), recall_j = cm[j][j] / (row j sum)',
      arbitrary: counts,
      fn: 'precision_recall',
      args: (cm) => [cm],
      oracle: (cm) => precisionRecall(cm),
      tolerance: METRICS_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'precision-recall-zero-division',
      title: 'precision_recall gives 0, not NaN, for a class never predicted (precision) or never true (recall), as sklearn with zero_division=0',
      arbitrary: countsWithEmptyClasses,
      fn: 'precision_recall',
      args: (cm) => [cm],
      oracle: (cm) => precisionRecall(cm),
      tolerance: METRICS_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'precision-recall-matches-sklearn',
      title: 'precision_recall(cm) equals precision_recall_fscore_support(y_true, y_pred, average=None, zero_division=0)[:2] on golden cases',
      arbitrary: fc.constantFrom(...metricsGolden.classification),
      fn: 'precision_recall',
      args: (c) => [c.confusion_matrix],
      oracle: (c) => [c.precision, c.recall],
      tolerance: METRICS_TOLERANCES.value,
      independent: 'scikit-learn answers, committed golden JSON',
    }),
    matchesOracle({
      id: 'quadrants-matches-reference',
      title: 'confidence_quadrants(probs, y_true, hi, lo) counts [correct & conf > hi, correct & conf < lo, wrong & conf > hi, wrong & conf < lo], conf = max of the row, prediction = argmax',
      arbitrary: quadrantInput,
      fn: 'confidence_quadrants',
      args: quadrantArgs,
      oracle: ({ probs, yTrue, hi, lo }) => confidenceQuadrants(probs, yTrue, hi, lo),
      tolerance: METRICS_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'quadrants-strict-thresholds',
      title: 'a sample whose max probability is exactly 0.9 or exactly 0.6 is in no quadrant (high is > 0.9, low is < 0.6, as the homework)',
      arbitrary: atThresholds,
      fn: 'confidence_quadrants',
      args: quadrantArgs,
      oracle: ({ probs, yTrue, hi, lo }) => confidenceQuadrants(probs, yTrue, hi, lo),
      tolerance: METRICS_TOLERANCES.value,
    }),
  ],
  mistakes: metricsMistakes,
};
