// losses (seed 002 problem 4, seed 003 task 3.4): mse, bce, cross_entropy and their gradients, with the
// semantics of torch.nn.MSELoss, BCELoss and CrossEntropyLoss (mean reduction over the batch).
//
// Kinks: mse and cross_entropy are smooth everywhere. BCE has log singularities at p in {0, 1}: the loss
// value is defined there (each log clamped at -100, as PyTorch) and graded by its own check; the gradient
// is not graded at p in {0, 1} (catalog), so bce_grad inputs keep p in [0.001, 0.999], and its
// finite-difference check keeps p in [0.01, 0.99] where the central step (6e-6) is far from the singularity.

import fc from 'fast-check';
import { finite, matrixOf, sized, vectorOf } from '../src/arbitraries.ts';
import type { Value } from '../src/failure.ts';
import { callLike, expectClose, gradientMatchesFiniteDifferences, matchesOracle } from '../src/laws.ts';
import { type Matrix } from '../src/numeric.ts';
import { type Check, type Problem, defineCheck } from '../src/problem.ts';
import { CLOSED_FORM, tolerance } from '../src/tolerance.ts';
import { bce, bceGrad, crossEntropy, crossEntropyGrad, mse, mseGrad } from '../reference/losses.ts';
import { lossesMistakes } from './losses.mistakes.ts';

export const LOSSES_TOLERANCES = {
  value: CLOSED_FORM,
  /** loss(batch twice) and loss(batch) add up the same terms; only the rounding of the sums differs. */
  meanReduction: tolerance(1e-6, 1e-9, 'the same terms averaged over n and over 2n: rounding only'),
  /**
   * Central differences (step h = 6e-6): mse is quadratic (rounding only); BCE at p >= 0.01 has truncation
   * h^2 (y/p^3 + (1-y)/(1-p)^3) / 3 <= 1.2e-7 (0.12 of atol over the whole grid); cross_entropy at
   * |logits| <= 5 has truncation < 1e-9.
   */
  finiteDifferences: tolerance(1e-5, 1e-6, 'central differences: BCE truncation <= 1.2e-7 at p in [0.01, 0.99]'),
  /**
   * At logits up to 1e3 the loss is m + log(sum exp(z - m)) - z_label: a float32 answer rounds m + log(...)
   * by ulp32(1e3) / 2 = 3e-5, so a stable float32 log-sum-exp misses 1e-5 (the float32 floor). The named
   * mistake here is NaN or Infinity, not a small error; the tight value check is at |logits| <= 5.
   */
  largeLogits: tolerance(1e-6, 1e-4, 'log-sum-exp at logits up to 1e3 rounds by 3e-5 in float32'),
  /** Each row of cross_entropy_grad has C <= 6 entries of size <= 1/n. */
  rowSum: tolerance(0, 1e-9, 'sum of C <= 6 rounded entries, each at most 1/n in size'),
} as const;

// --- arbitraries -------------------------------------------------------------------------------------

/** A probability in [margin, 1 - margin] on the grid k / 10^decimals; shrinks toward 0.5. */
const probability = (margin: number, decimals: number): fc.Arbitrary<number> =>
  finite(0.5 - margin, decimals).map((v) => Number((0.5 + v).toFixed(decimals)));

/** A BCE target in [0, 1] (hard labels 0 and 1 included) on the grid k / 100; shrinks toward 0. */
const target: fc.Arbitrary<number> = finite(1, 2).map(Math.abs);

interface PairInput {
  readonly p: number[];
  readonly y: number[];
}

const MAX_BATCH = 12;

const batchOf = (entry: fc.Arbitrary<number>, label: fc.Arbitrary<number>): fc.Arbitrary<PairInput> =>
  sized(1, MAX_BATCH, (n) =>
    fc.record({ p: fc.array(entry, { minLength: n, maxLength: n }), y: fc.array(label, { minLength: n, maxLength: n }) }),
  );

/** Regression predictions and targets in [-5, 5]. */
const regression = sized(1, MAX_BATCH, (n) => fc.record({ p: vectorOf(n, 5), y: vectorOf(n, 5) }));

/** BCE inputs away from the clamp: p in [0.001, 0.999]. */
const probabilities = batchOf(probability(0.001, 3), target);

/** BCE inputs for finite differences: p in [0.01, 0.99]. */
const probabilitiesForDifferences = batchOf(probability(0.01, 2), target);

/** BCE inputs with at least one p exactly 0 or 1 (where log p or log(1 - p) is -Infinity unclamped). */
const saturated: fc.Arbitrary<PairInput> = sized(1, 6, (n) =>
  fc.record({
    p: fc.array(fc.oneof(fc.constantFrom(0, 1), probability(0.01, 2)), { minLength: n, maxLength: n }),
    y: fc.array(target, { minLength: n, maxLength: n }),
    at: fc.nat(n - 1),
    edge: fc.constantFrom(0, 1),
  }),
).map(({ p, y, at, edge }) => ({ p: p.map((v, i) => (i === at ? edge : v)), y }));

interface ClassificationInput {
  readonly logits: Matrix;
  readonly labels: number[];
}

const labelsOf = (n: number, classes: number) => fc.array(fc.nat(classes - 1), { minLength: n, maxLength: n });

/** n in 1..6 rows of C in 2..6 logits in [-5, 5], and an integer label in [0, C) per row. */
const classification: fc.Arbitrary<ClassificationInput> = sized(1, 6, (n) =>
  sized(2, 6, (c) => fc.record({ logits: matrixOf(n, c, { magnitude: 5 }), labels: labelsOf(n, c) })),
);

/**
 * Integer logits in [-1000, 1000], one of them at least 710 (exp(710) overflows float64): shrinks to
 * logits [[710, 0]], where computing exp before subtracting the row max gives Infinity / Infinity.
 */
const largeLogits: fc.Arbitrary<ClassificationInput> = sized(1, 4, (n) =>
  sized(2, 6, (c) =>
    fc.record({
      logits: fc.array(fc.array(finite(1000, 0), { minLength: c, maxLength: c }), { minLength: n, maxLength: n }),
      labels: labelsOf(n, c),
      big: fc.integer({ min: 710, max: 1000 }),
      at: fc.nat(c - 1),
    }),
  ),
).map(({ logits, labels, big, at }) => ({
  logits: logits.map((row, i) => (i === 0 ? row.map((v, j) => (j === at ? big : v)) : row)),
  labels,
}));

// --- shared checks -----------------------------------------------------------------------------------

const pairArgs = ({ p, y }: PairInput) => [p, y];
const classArgs = ({ logits, labels }: ClassificationInput) => [logits, labels];

/**
 * loss(batch repeated twice) equals loss(batch): true for a mean, off by a factor 2 for a sum. The failure
 * reports the call on the doubled batch, whose answer a sum-reduction variant reproduces.
 */
function meanReduction<I>(spec: {
  readonly id: string;
  readonly fn: string;
  readonly arbitrary: fc.Arbitrary<I>;
  readonly args: (input: I) => Value[];
  readonly twice: (input: I) => I;
}): Check {
  return defineCheck({
    id: spec.id,
    title: `${spec.fn} of the batch repeated twice equals ${spec.fn} of the batch (the mean over the batch, not the sum)`,
    arbitrary: spec.arbitrary,
    tolerance: LOSSES_TOLERANCES.meanReduction,
    run: async (subject, input, context) => {
      const { value: once } = await callLike(subject, spec.fn, spec.args(input), 0);
      const { call, value: twice } = await callLike(subject, spec.fn, spec.args(spec.twice(input)), 0);
      expectClose(twice, once, context.tol(LOSSES_TOLERANCES.meanReduction), {
        code: 'invariant_violated',
        message: `${spec.fn} on the batch repeated twice (received) differs from ${spec.fn} on the batch once (expected)`,
        call,
      });
    },
  });
}

const pairTwice = ({ p, y }: PairInput): PairInput => ({ p: [...p, ...p], y: [...y, ...y] });

// --- the problem -------------------------------------------------------------------------------------

export const losses: Problem = {
  id: 'losses',
  title: 'Losses with PyTorch semantics (MSELoss, BCELoss, CrossEntropyLoss) and their gradients',
  source: 'seed 002, problem 4; seed 003, task 3.4',
  signatures: ['mse(p, y)', 'mse_grad(p, y)', 'bce(p, y)', 'bce_grad(p, y)', 'cross_entropy(logits, label)', 'cross_entropy_grad(logits, label)'],
  // Class labels reach Python as int64 arrays, so logits[np.arange(n), label] works.
  intArgs: { cross_entropy: [1], cross_entropy_grad: [1] },
  checks: [
    // mse
    matchesOracle({
      id: 'mse-matches-reference',
      title: "mse(p, y) equals mean_i (p_i - y_i)^2, as torch.nn.MSELoss() (reduction='mean')",
      arbitrary: regression,
      fn: 'mse',
      args: pairArgs,
      oracle: ({ p, y }) => mse(p, y),
      tolerance: LOSSES_TOLERANCES.value,
    }),
    meanReduction({ id: 'mse-mean-reduction', fn: 'mse', arbitrary: regression, args: pairArgs, twice: pairTwice }),
    matchesOracle({
      id: 'mse-grad-matches-reference',
      title: 'mse_grad(p, y) equals 2 (p - y) / n',
      arbitrary: regression,
      fn: 'mse_grad',
      args: pairArgs,
      oracle: ({ p, y }) => mseGrad(p, y),
      tolerance: LOSSES_TOLERANCES.value,
    }),
    gradientMatchesFiniteDifferences({
      id: 'mse-grad-matches-finite-differences',
      title: 'mse_grad(p, y) equals finite differences of mse in p',
      arbitrary: regression,
      fn: 'mse_grad',
      args: pairArgs,
      shape: ({ p }) => p,
      forward: ({ y }, p) => mse(p, y),
      point: ({ p }) => p,
      tolerance: LOSSES_TOLERANCES.finiteDifferences,
    }),
    // bce
    matchesOracle({
      id: 'bce-matches-reference',
      title: 'bce(p, y) equals -mean_i [y_i log p_i + (1 - y_i) log(1 - p_i)], as torch.nn.BCELoss()',
      arbitrary: probabilities,
      fn: 'bce',
      args: pairArgs,
      oracle: ({ p, y }) => bce(p, y),
      tolerance: LOSSES_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'bce-clamped-at-0-and-1',
      title: 'bce clamps each log at -100 as torch.nn.BCELoss: finite at p = 0 and p = 1, e.g. bce([0], [1]) = 100',
      arbitrary: saturated,
      fn: 'bce',
      args: pairArgs,
      oracle: ({ p, y }) => bce(p, y),
      tolerance: LOSSES_TOLERANCES.value,
    }),
    meanReduction({ id: 'bce-mean-reduction', fn: 'bce', arbitrary: probabilities, args: pairArgs, twice: pairTwice }),
    matchesOracle({
      id: 'bce-grad-matches-reference',
      title: 'bce_grad(p, y) equals (p - y) / (p (1 - p)) / n for p in (0, 1), as BCELoss backward',
      arbitrary: probabilities,
      fn: 'bce_grad',
      args: pairArgs,
      oracle: ({ p, y }) => bceGrad(p, y),
      tolerance: LOSSES_TOLERANCES.value,
    }),
    gradientMatchesFiniteDifferences({
      id: 'bce-grad-matches-finite-differences',
      title: 'bce_grad(p, y) equals finite differences of bce in p, for p in [0.01, 0.99]',
      arbitrary: probabilitiesForDifferences,
      fn: 'bce_grad',
      args: pairArgs,
      shape: ({ p }) => p,
      forward: ({ y }, p) => bce(p, y),
      point: ({ p }) => p,
      tolerance: LOSSES_TOLERANCES.finiteDifferences,
    }),
    // cross_entropy
    matchesOracle({
      id: 'cross-entropy-matches-reference',
      title: 'cross_entropy(logits, labels) equals mean_i -log softmax(logits_i)[labels_i], as torch.nn.CrossEntropyLoss()',
      arbitrary: classification,
      fn: 'cross_entropy',
      args: classArgs,
      oracle: ({ logits, labels }) => crossEntropy(logits, labels),
      tolerance: LOSSES_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'cross-entropy-finite-at-large-logits',
      title: 'cross_entropy stays finite and exact for logits up to 1e3 (log-sum-exp: subtract the row max before exp)',
      arbitrary: largeLogits,
      fn: 'cross_entropy',
      args: classArgs,
      oracle: ({ logits, labels }) => crossEntropy(logits, labels),
      tolerance: LOSSES_TOLERANCES.largeLogits,
    }),
    meanReduction({
      id: 'cross-entropy-mean-reduction',
      fn: 'cross_entropy',
      arbitrary: classification,
      args: classArgs,
      twice: ({ logits, labels }) => ({ logits: [...logits, ...logits], labels: [...labels, ...labels] }),
    }),
    matchesOracle({
      id: 'cross-entropy-grad-matches-reference',
      title: 'cross_entropy_grad(logits, labels) equals (softmax(logits) - onehot(labels)) / n, row by row',
      arbitrary: classification,
      fn: 'cross_entropy_grad',
      args: classArgs,
      oracle: ({ logits, labels }) => crossEntropyGrad(logits, labels),
      tolerance: LOSSES_TOLERANCES.value,
    }),
    gradientMatchesFiniteDifferences({
      id: 'cross-entropy-grad-matches-finite-differences',
      title: 'cross_entropy_grad(logits, labels) equals finite differences of cross_entropy in every logit',
      arbitrary: classification,
      fn: 'cross_entropy_grad',
      args: classArgs,
      shape: ({ logits }) => logits,
      forward: ({ logits, labels }, flat) => {
        const c = logits[0]!.length;
        return crossEntropy(logits.map((_, i) => flat.slice(i * c, (i + 1) * c)), labels);
      },
      point: ({ logits }) => logits.flat(),
      tolerance: LOSSES_TOLERANCES.finiteDifferences,
    }),
    defineCheck({
      id: 'cross-entropy-grad-rows-sum-to-zero',
      title: 'each row of cross_entropy_grad sums to 0 (softmax sums to 1, the one-hot row too)',
      arbitrary: classification,
      tolerance: LOSSES_TOLERANCES.rowSum,
      run: async (subject, input, context) => {
        const { call, value } = await callLike(subject, 'cross_entropy_grad', classArgs(input), input.logits);
        const rows = value as number[][];
        expectClose(rows.map((row) => row.reduce((s, v) => s + v, 0)), rows.map(() => 0), context.tol(LOSSES_TOLERANCES.rowSum), {
          code: 'invariant_violated',
          message: 'each row of cross_entropy_grad sums to 0',
          call,
        });
      },
    }),
    matchesOracle({
      id: 'cross-entropy-grad-finite-at-large-logits',
      title: 'cross_entropy_grad stays finite and exact for logits up to 1e3 (a softmax that subtracts the row max)',
      arbitrary: largeLogits,
      fn: 'cross_entropy_grad',
      args: classArgs,
      oracle: ({ logits, labels }) => crossEntropyGrad(logits, labels),
      tolerance: LOSSES_TOLERANCES.value,
    }),
  ],
  mistakes: lossesMistakes,
};
