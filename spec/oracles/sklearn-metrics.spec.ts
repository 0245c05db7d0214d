// The metrics references agree with scikit-learn and with the homework's own code: golden values written
// by the committed generator fixtures/golden/generate_metrics.py (Debian's python3-sklearn 1.2) into
// fixtures/golden/metrics.json:
//   - sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(k)), by regime: small, the seed's size
//     (8 classes, ~3400 samples), a class never predicted or never true, perfect, all wrong, binary, one class;
//   - precision_recall_fscore_support(..., average=None, zero_division=0)[:2] on the same cases;
//   - the four confidence quadrants as seed 000 Q4.4's numpy code counts them (random softmax rows, rows
//     exactly at the thresholds 0.9 and 0.6, other thresholds).
// Every case is compared, and the same comparison is run on wrong implementations to show it rejects them.
//
// Tolerance: counts must be exact (atol 0); precision and recall are one float64 division on each side,
// so they agree to the last bit (rtol 1e-15 leaves a few ulps for another order of operations).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transpose } from '../../src/numeric.ts';
import { compare, tolerance } from '../../src/tolerance.ts';
import { confidenceQuadrants, confusionMatrix, precisionRecall } from '../../reference/metrics.ts';
import { type GoldenClassification, type GoldenQuadrants, metricsGolden } from '../metrics.suite.ts';
import { type Oracle, describeOracle, wrong } from './oracle.ts';

const EXACT = tolerance(0, 0, 'integer counts: exact');
const DIVISION = tolerance(1e-15, 0, 'one float64 division on each side');

const confusionOracle: Oracle<GoldenClassification> = {
  name: 'sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(k))',
  inputs: fc.constantFrom(...metricsGolden.classification),
  compute: (c) => c.confusion_matrix,
  tolerance: () => EXACT,
  numRuns: 200,
};

const precisionRecallOracle: Oracle<GoldenClassification> = {
  name: 'sklearn.metrics.precision_recall_fscore_support(average=None, zero_division=0)[:2]',
  inputs: fc.constantFrom(...metricsGolden.classification),
  compute: (c) => [c.precision, c.recall],
  tolerance: () => DIVISION,
  numRuns: 200,
};

const quadrantOracle: Oracle<GoldenQuadrants> = {
  name: "the homework's Q4.4 numpy code (argmax, max > hi, max < lo)",
  inputs: fc.constantFrom(...metricsGolden.quadrants),
  compute: (c) => c.counts,
  tolerance: () => EXACT,
  numRuns: 200,
};

const confusionReference = (c: GoldenClassification) => confusionMatrix(c.y_true, c.y_pred, c.k);
const precisionRecallReference = (c: GoldenClassification) => precisionRecall(c.confusion_matrix);
const quadrantReference = (c: GoldenQuadrants) => confidenceQuadrants(c.probs, c.y_true, c.hi, c.lo);

describe(`golden values (scikit-learn ${metricsGolden.sklearn}, numpy ${metricsGolden.numpy})`, () => {
  it('cover every regime of the generator', () => {
    expect(new Set(metricsGolden.classification.map((c) => c.regime))).toEqual(
      new Set(['small', 'seed-size', 'absent-class', 'perfect', 'all-wrong', 'binary', 'single-class']),
    );
    expect(new Set(metricsGolden.quadrants.map((c) => c.regime))).toEqual(new Set(['random', 'at-thresholds', 'other-thresholds']));
  });

  it.each(metricsGolden.classification.map((c) => [c.id, c] as const))('%s: confusion matrix, precision and recall agree with sklearn', (_, c) => {
    expect(compare(confusionReference(c), c.confusion_matrix, EXACT).ok).toBe(true);
    expect(compare(precisionRecallReference(c), [c.precision, c.recall], DIVISION).ok).toBe(true);
  });

  it.each(metricsGolden.quadrants.map((c) => [c.id, c] as const))("%s: the quadrants agree with the homework's code", (_, c) => {
    expect(quadrantReference(c)).toEqual(c.counts);
  });
});

describeOracle('confusion_matrix vs sklearn', confusionOracle, confusionReference, [
  wrong('transposed (rows predicted)', (c) => transpose(confusionMatrix(c.y_true, c.y_pred, c.k))),
  wrong("normalised by the number of samples (sklearn's normalize='all')", (c) => confusionMatrix(c.y_true, c.y_pred, c.k).map((row) => row.map((v) => v / c.y_true.length))),
], 0.5);

describeOracle('precision_recall vs sklearn', precisionRecallOracle, precisionRecallReference, [
  wrong('precision and recall swapped', (c) => {
    const [p, r] = precisionRecall(c.confusion_matrix);
    return [r, p];
  }),
  wrong('accuracy for every class', (c) => {
    const total = c.confusion_matrix.flat().reduce((a, b) => a + b, 0);
    const acc = c.confusion_matrix.reduce((s, row, i) => s + row[i]!, 0) / total;
    return [c.precision.map(() => acc), c.recall.map(() => acc)];
  }),
]);

describeOracle("confidence_quadrants vs the homework's code", quadrantOracle, quadrantReference, [
  wrong('inclusive thresholds (>= hi, <= lo)', (c) =>
    c.probs.reduce(
      (out, row, i) => {
        const p = row.indexOf(Math.max(...row));
        const w = p === c.y_true[i] ? 0 : 2;
        if (row[p]! >= c.hi) out[w]! += 1;
        else if (row[p]! <= c.lo) out[w + 1]! += 1;
        return out;
      },
      [0, 0, 0, 0],
    ),
  ),
  wrong('quadrants in table order (correct high, incorrect high, correct low, incorrect low)', (c) => {
    const [ch, cl, ih, il] = confidenceQuadrants(c.probs, c.y_true, c.hi, c.lo);
    return [ch!, ih!, cl!, il!];
  }),
], 0.5);
