// batchnorm (seed 003, tasks 3.14 and 3.18): batchnorm_forward and batchnorm_backward in training mode, as
// torch.nn.BatchNorm1d(d, eps) on a batch X of shape (n, d): per-feature batch mean and biased batch
// variance (divided by n), Y = gamma (X - mean) / sqrt(var + eps) + beta; backward returns (dX, dgamma, dbeta).
//
// Inputs. BatchNorm divides by sqrt(var + eps), which amplifies rounding by 1/std: a float32 answer
// (PyTorch's default dtype) is only meaningful when that amplification is bounded. So every column of X is
// either spread out, with a standard deviation >= 0.5 (entries in [-5, 5] on the 0.01 grid), or constant at
// 0: variance 0, Y = beta, the degenerate case PyTorch handles through eps. (A constant column at c != 0
// is out of float32's reach: torch's own float32 kernel computes y = x (gamma / std) + (beta - mean gamma /
// std), and at std = sqrt(1e-5) the cancellation leaves errors of 1e-4 in y.) The upstream gradient dY is
// on the grid 1/8, so that the mean path n dY - sum(dY) of a constant column is exact in float32 too. eps
// is 1e-5 (the default) or larger (1e-3, 0.1, 1), where the difference between var / (var + eps) and 1
// shows. Near-degenerate columns (variance ~ eps), constant columns away from 0 and columns far from 0 are
// covered in float64 by the PyTorch golden values (spec/oracles/pytorch-batchnorm.spec.ts).
//
// Finite differences at a constant column: the loss curves on the scale sqrt(eps) = 3e-3 there, and the
// difference step is 6e-6 max(1, |x|); at x = 0 that is 2e-3 of the scale (truncation < 1e-6 relative),
// while at x = 4.75 it would already be 1% of it.

import fc from 'fast-check';
import { finite, sized } from '../src/arbitraries.ts';
import type { Value } from '../src/failure.ts';
import { callLike, expectClose, gradientMatchesFiniteDifferences, matchesOracle } from '../src/laws.ts';
import { type Matrix, type Vector, transpose } from '../src/numeric.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import { CLOSED_FORM, tolerance } from '../src/tolerance.ts';
import { batchStatistics, batchnormBackward, batchnormForward } from '../reference/batchnorm.ts';
import { sumColumns } from './batchnorm.shared.ts';
import { batchnormMistakes } from './batchnorm.mistakes.ts';

export const BATCHNORM_TOLERANCES = {
  value: CLOSED_FORM,
  /**
   * The statistics of the normalised batch test what is normalised (biased variance, eps under the root),
   * not the last digits (forward-matches-reference does): 1e-5 relative passes any rounding, while the
   * unbiased variance is off by at least 1/n >= 8%.
   */
  statistics: tolerance(1e-5, 1e-8, 'tests the normalisation, not the digits; the unbiased variance is off by >= 8%'),
  /**
   * Central differences of sum(dY * Y): on a constant column (at 0) the loss curves on the scale
   * sqrt(eps) >= 3e-3 and the step is 6e-6, so truncation stays < 1e-6 relative; spread columns
   * (std >= 0.5) are far smoother.
   */
  finiteDifferences: tolerance(1e-5, 1e-7, 'central differences: truncation < 1e-6 relative'),
  /**
   * Column sums of dX are sums of n <= 12 entries that cancel: rounding relative to sum_i |dX_ij|. The atol
   * here is per unit of that sum (scaled in the check), so a float32 answer is widened in proportion.
   */
  columnSums: tolerance(0, 1e-9, 'per unit of sum_i |dX_ij|: a sum of n <= 12 rounded entries'),
} as const;

export interface BatchInput {
  readonly X: Matrix;
  readonly gamma: Vector;
  readonly beta: Vector;
  readonly eps: number;
}

export interface BackwardInput extends BatchInput {
  readonly dY: Matrix;
}

const std = (column: readonly number[]): number => {
  const m = column.reduce((s, v) => s + v, 0) / column.length;
  return Math.sqrt(column.reduce((s, v) => s + (v - m) ** 2, 0) / column.length);
};

/** A column of n entries: spread out (std >= 0.5, entries in [-5, 5]) or constant at 0. */
const column = (n: number): fc.Arbitrary<number[]> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(finite(5), { minLength: n, maxLength: n }).filter((c) => std(c) >= 0.5) },
    { weight: 1, arbitrary: fc.constant(new Array<number>(n).fill(0)) },
  );

const epsilon: fc.Arbitrary<number> = fc.oneof({ weight: 3, arbitrary: fc.constant(1e-5) }, { weight: 1, arbitrary: fc.constantFrom(1e-3, 0.1, 1) });

/** n in 2..12 rows, d in 1..6 features. */
const batch: fc.Arbitrary<BackwardInput> = sized(2, 12, (n) =>
  sized(1, 6, (d) =>
    fc.record({
      X: fc.array(column(n), { minLength: d, maxLength: d }).map(transpose),
      gamma: fc.array(finite(2), { minLength: d, maxLength: d }),
      beta: fc.array(finite(2), { minLength: d, maxLength: d }),
      eps: epsilon,
      dY: fc.array(fc.array(fc.integer({ min: -16, max: 16 }).map((k) => k / 8), { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
    }),
  ),
);

const forwardArgs = ({ X, gamma, beta, eps }: BatchInput): Value[] => [X, gamma, beta, eps];
const backwardArgs = ({ dY, X, gamma, eps }: BackwardInput): Value[] => [dY, X, gamma, eps];


export const batchnorm: Problem = {
  id: 'batchnorm',
  title: 'Batch normalisation in training mode, forward and backward, as torch.nn.BatchNorm1d (X is (n, d), biased batch variance)',
  source: 'seed 003, tasks 3.14 and 3.18',
  signatures: ['batchnorm_forward(X, gamma, beta, eps=1e-5)', 'batchnorm_backward(dY, X, gamma, eps=1e-5)'],
  checks: [
    matchesOracle({
      id: 'forward-matches-reference',
      title: 'batchnorm_forward(X, gamma, beta, eps) equals gamma (X - mean) / sqrt(var + eps) + beta per column, var the biased batch variance (as torch.nn.BatchNorm1d in training mode)',
      arbitrary: batch,
      fn: 'batchnorm_forward',
      args: forwardArgs,
      oracle: ({ X, gamma, beta, eps }) => batchnormForward(X, gamma, beta, eps),
      tolerance: BATCHNORM_TOLERANCES.value,
    }),
    defineCheck({
      id: 'forward-normalizes',
      title: 'with gamma = 1 and beta = 0, every column of batchnorm_forward has mean 0 and biased variance var / (var + eps), i.e. 1 up to eps (0 for a constant column)',
      arbitrary: batch,
      tolerance: BATCHNORM_TOLERANCES.statistics,
      run: async (subject, input, context) => {
        const d = input.gamma.length;
        const plain = { ...input, gamma: new Array<number>(d).fill(1), beta: new Array<number>(d).fill(0) };
        const { call, value } = await callLike(subject, 'batchnorm_forward', forwardArgs(plain), input.X);
        const Y = value as Matrix;
        const n = Y.length;
        const means = sumColumns(Y).map((s) => s / n);
        const tol = context.tol(BATCHNORM_TOLERANCES.statistics);
        expectClose(means, means.map(() => 0), tol, { code: 'invariant_violated', message: 'every column of the normalised batch has mean 0', call });
        const variances = means.map((m, j) => Y.reduce((s, row) => s + (row[j]! - m) ** 2, 0) / n);
        const { variance } = batchStatistics(input.X, input.eps);
        expectClose(variances, variance.map((v) => v / (v + input.eps)), tol, {
          code: 'invariant_violated',
          message: `every column of the normalised batch has biased variance var / (var + eps) (eps = ${input.eps}): normalise with the variance divided by n, not n - 1`,
          call,
        });
      },
    }),
    matchesOracle({
      id: 'backward-matches-reference',
      title: 'batchnorm_backward(dY, X, gamma, eps) returns (dX, dgamma, dbeta): dX = gamma / (n std) (n dY - sum(dY) - xhat sum(dY xhat)) per column',
      arbitrary: batch,
      fn: 'batchnorm_backward',
      args: backwardArgs,
      oracle: ({ dY, X, gamma, eps }) => batchnormBackward(dY, X, gamma, eps),
      tolerance: BATCHNORM_TOLERANCES.value,
    }),
    gradientMatchesFiniteDifferences({
      id: 'backward-matches-finite-differences',
      title: 'batchnorm_backward equals finite differences of sum(dY * batchnorm_forward(X, gamma, beta)) in every entry of X, gamma and beta',
      arbitrary: batch,
      fn: 'batchnorm_backward',
      args: backwardArgs,
      shape: ({ X, gamma }) => [X, gamma, gamma],
      forward: ({ X, dY, eps }, flat) => {
        const n = X.length;
        const d = X[0]!.length;
        const Xs = Array.from({ length: n }, (_, i) => flat.slice(i * d, (i + 1) * d));
        const Y = batchnormForward(Xs, flat.slice(n * d, n * d + d), flat.slice(n * d + d), eps);
        return Y.reduce((s, row, i) => s + row.reduce((t, y, j) => t + y * dY[i]![j]!, 0), 0);
      },
      point: ({ X, gamma, beta }) => [...X.flat(), ...gamma, ...beta],
      tolerance: BATCHNORM_TOLERANCES.finiteDifferences,
    }),
    defineCheck({
      id: 'dx-columns-sum-to-zero',
      title: 'every column of dX sums to 0 over the batch (shifting a whole column of X changes nothing after normalisation)',
      arbitrary: batch,
      tolerance: BATCHNORM_TOLERANCES.columnSums,
      run: async (subject, input, context) => {
        const expected = batchnormBackward(input.dY, input.X, input.gamma, input.eps);
        const { call, value } = await callLike(subject, 'batchnorm_backward', backwardArgs(input), expected);
        const dX = (value as [Matrix, Vector, Vector])[0];
        const scale = Math.max(1, ...sumColumns(dX.map((row) => row.map(Math.abs))));
        const perUnit = context.tol(BATCHNORM_TOLERANCES.columnSums);
        const tol = tolerance(0, perUnit.atol * scale, `${perUnit.reason}; sum_i |dX_ij| <= ${scale.toPrecision(3)}`);
        expectClose(sumColumns(dX), dX[0]!.map(() => 0), tol, {
          code: 'invariant_violated',
          message: 'every column of dX sums to 0: the gradient must flow through the batch mean too',
          call,
        });
      },
    }),
    defineCheck({
      id: 'dgamma-dbeta-closed-forms',
      title: 'batchnorm_backward returns dbeta = sum over the batch of dY and dgamma = sum over the batch of dY * xhat, xhat = (X - mean) / sqrt(var + eps)',
      arbitrary: batch,
      tolerance: BATCHNORM_TOLERANCES.value,
      run: async (subject, input, context) => {
        const expected = batchnormBackward(input.dY, input.X, input.gamma, input.eps);
        const { call, value } = await callLike(subject, 'batchnorm_backward', backwardArgs(input), expected);
        const [, dgamma, dbeta] = value as [Matrix, Vector, Vector];
        const tol = context.tol(BATCHNORM_TOLERANCES.value);
        expectClose(dbeta, sumColumns(input.dY), tol, { message: 'dbeta equals the column sums of dY', call });
        const { xhat } = batchStatistics(input.X, input.eps);
        expectClose(dgamma, sumColumns(input.dY.map((row, i) => row.map((g, j) => g * xhat[i]![j]!))), tol, {
          message: 'dgamma equals the column sums of dY * xhat',
          call,
        });
      },
    }),
  ],
  mistakes: batchnormMistakes,
};
