// softmax-temperature and softmax-jacobian (seed 000, problem 1.1).

import fc from 'fast-check';
import { finite, sized, temperature, vector, vectorOf } from '../src/arbitraries.ts';
import { callLike, expectClose, expectThat, jacobianMatchesFiniteDifferences, matchesOracle } from '../src/laws.ts';
import { maxAbsMatrix, symmetricEigenvalues, transpose } from '../src/numeric.ts';
import { type Check, type Problem, defineCheck } from '../src/problem.ts';
import { CLOSED_FORM, tolerance } from '../src/tolerance.ts';
import { softmax, softmaxJacobian } from '../reference/softmax.ts';
import { softmaxJacobianMistakes, softmaxTemperatureMistakes } from './softmax.mistakes.ts';

export const SOFTMAX_TOLERANCES = {
  value: CLOSED_FORM,
  /** z + c rounds z by eps |c|; over tau >= 0.05 that moves y by < 1e-12 relative. */
  shift: tolerance(1e-6, 1e-9, 'rounding of z + c, |c| <= 100'),
  /**
   * Central differences at |z| <= 5, tau >= 0.1: truncation h^2 / tau^2 < 1e-7 relative, rounding
   * eps / h < 1e-10 absolute.
   */
  finiteDifferences: tolerance(1e-5, 1e-7, 'central differences, |z| <= 5, tau >= 0.1'),
  /** Sums of n <= 32 entries each within a few ulps. */
  sum: tolerance(0, 1e-9, 'sum of n <= 32 rounded entries'),
} as const;

export interface SoftmaxInput {
  readonly z: number[];
  readonly tau: number;
}

const logitsAndTemperature = (maxLength: number, magnitude: number, tau = temperature()): fc.Arbitrary<SoftmaxInput> =>
  fc.record({ z: vector({ maxLength, magnitude }), tau });

const args = ({ z, tau }: SoftmaxInput) => [z, tau];

/**
 * Logits with z / tau up to 1e4 in magnitude, where exp without max-subtraction overflows. Integer logits
 * and power-of-two temperatures are exact in float32, so a float32 submission meets the same exact answer
 * (otherwise rounding z = 1.6e5 to float32 alone moves y by 1e-3).
 */
const largeLogits: fc.Arbitrary<SoftmaxInput> = fc
  .record({
    z: fc.array(fc.integer({ min: -20_000, max: 20_000 }), { minLength: 1, maxLength: 8 }),
    big: fc.integer({ min: 800, max: 10_000 }),
    log2tau: fc.integer({ min: -3, max: 3 }),
  })
  .map(({ z, big, log2tau }) => {
    const tau = 2 ** log2tau;
    return { z: [...z.map((v) => Math.round(Math.max(-1e4, Math.min(1e4, v / tau)) * tau)), Math.round(big * tau)], tau };
  });

export const softmaxTemperature: Problem = {
  id: 'softmax-temperature',
  title: 'Temperature-scaled softmax',
  source: 'seed 000, problem 1.1',
  signatures: ['softmax(z, tau)'],
  checks: [
    matchesOracle({
      id: 'matches-reference',
      title: 'softmax(z, tau) equals exp(z_i/tau) / sum_j exp(z_j/tau)',
      arbitrary: logitsAndTemperature(32, 50),
      fn: 'softmax',
      args,
      oracle: ({ z, tau }) => softmax(z, tau),
      tolerance: SOFTMAX_TOLERANCES.value,
    }),
    defineCheck({
      id: 'probability-vector',
      title: 'softmax returns a probability vector: entries in [0, 1] that sum to 1',
      arbitrary: logitsAndTemperature(32, 50),
      tolerance: SOFTMAX_TOLERANCES.sum,
      run: async (subject, input, context) => {
        const { call, value: y } = await callLike(subject, 'softmax', args(input), input.z);
        const ys = y as number[];
        expectThat(ys.every((v) => v >= 0 && v <= 1), { message: 'every entry of softmax is in [0, 1]', call, received: ys });
        expectClose(ys.reduce((s, v) => s + v, 0), 1, context.tol(SOFTMAX_TOLERANCES.sum), { code: 'invariant_violated', message: 'softmax sums to 1', call });
      },
    }),
    defineCheck({
      id: 'shift-invariant',
      title: 'softmax(z + c, tau) equals softmax(z, tau) for any constant c',
      arbitrary: fc.record({ input: logitsAndTemperature(16, 20), c: finite(100) }),
      tolerance: SOFTMAX_TOLERANCES.shift,
      run: async (subject, { input, c }, context) => {
        const { value: y } = await callLike(subject, 'softmax', args(input), input.z);
        const shifted = { z: input.z.map((v) => v + c), tau: input.tau };
        const { call, value: ys } = await callLike(subject, 'softmax', args(shifted), input.z);
        expectClose(ys, y, context.tol(SOFTMAX_TOLERANCES.shift), { code: 'invariant_violated', message: `softmax(z + c) differs from softmax(z) (c = ${c})`, call });
      },
    }),
    matchesOracle({
      id: 'finite-at-large-logits',
      title: 'softmax stays finite and exact for z/tau up to 1e4 (subtract max(z) before exp)',
      arbitrary: largeLogits,
      fn: 'softmax',
      args,
      oracle: ({ z, tau }) => softmax(z, tau),
      tolerance: SOFTMAX_TOLERANCES.value,
    }),
  ],
  mistakes: softmaxTemperatureMistakes,
};

export const JACOBIAN_PROJECT_ABOVE = 16;

/** Logits with one clear winner: max(z) exceeds the runner-up by `gap`. */
const clearWinner = sized(2, 12, (n) =>
  fc.record({ z: vectorOf(n, 5), gap: fc.integer({ min: 10, max: 300 }).map((k) => k / 100), at: fc.nat(n - 1) }),
).map(({ z, gap, at }) => {
  const others = z.filter((_, i) => i !== at);
  const y = [...z];
  y[at] = Math.max(...others) + gap;
  return { z: y, gap };
});

/**
 * The matches-finite-differences check of softmax-jacobian: the full Jacobian by central differences for
 * n <= projectAbove, random projections v^T J u above. The problem uses JACOBIAN_PROJECT_ABOVE;
 * bench/jacobian.ts times the same check in full mode (projectAbove = Infinity).
 */
export function softmaxJacobianFiniteDifferenceCheck(projectAbove: number): Check {
  const mode = Number.isFinite(projectAbove)
    ? `full for n <= ${projectAbove}, random projections above`
    : 'full Jacobian at every n';
  return jacobianMatchesFiniteDifferences({
    id: 'matches-finite-differences',
    title: `softmax_jacobian equals finite differences of softmax (${mode})`,
    arbitrary: logitsAndTemperature(64, 5, temperature(0.1, 10)),
    fn: 'softmax_jacobian',
    args,
    shape: ({ z }) => z.map(() => z.map(() => 0)),
    forward: ({ tau }, z) => softmax(z, tau),
    point: ({ z }) => z,
    tolerance: SOFTMAX_TOLERANCES.finiteDifferences,
    projectAbove,
  });
}

export const softmaxJacobianProblem: Problem = {
  id: 'softmax-jacobian',
  title: 'Jacobian of the temperature softmax',
  source: 'seed 000, problem 1.1',
  signatures: ['softmax_jacobian(z, tau)'],
  checks: [
    matchesOracle({
      id: 'matches-reference',
      title: 'softmax_jacobian(z, tau) equals (diag(y) - y y^T) / tau',
      arbitrary: logitsAndTemperature(16, 20),
      fn: 'softmax_jacobian',
      args,
      oracle: ({ z, tau }) => softmaxJacobian(z, tau),
      tolerance: SOFTMAX_TOLERANCES.value,
    }),
    softmaxJacobianFiniteDifferenceCheck(JACOBIAN_PROJECT_ABOVE),
    defineCheck({
      id: 'rows-sum-to-zero',
      title: 'each row of the Jacobian sums to 0 (softmax always sums to 1)',
      arbitrary: logitsAndTemperature(32, 20),
      run: async (subject, input, context) => {
        const { call, value } = await callLike(subject, 'softmax_jacobian', args(input), softmaxJacobian(input.z, input.tau));
        const J = value as number[][];
        const allowed = context.tol(tolerance(0, 1e-9 * Math.max(1, maxAbsMatrix(J)), 'sums of rounded entries, relative to max |J|'));
        expectClose(J.map((row) => row.reduce((s, v) => s + v, 0)), J.map(() => 0), allowed, {
          code: 'invariant_violated',
          message: 'each row of the Jacobian sums to 0',
          call,
        });
      },
    }),
    defineCheck({
      id: 'symmetric-psd',
      title: 'the Jacobian is symmetric positive semi-definite',
      arbitrary: logitsAndTemperature(12, 20),
      run: async (subject, input, context) => {
        const { call, value } = await callLike(subject, 'softmax_jacobian', args(input), softmaxJacobian(input.z, input.tau));
        const J = value as number[][];
        const scale = Math.max(1, maxAbsMatrix(J));
        expectClose(J, transpose(J), context.tol(tolerance(0, 1e-12 * scale, 'exact symmetry up to rounding')), {
          code: 'invariant_violated',
          message: 'the Jacobian equals its transpose',
          call,
        });
        const lowest = symmetricEigenvalues(J)[0]!;
        const slack = context.tol(tolerance(0, 1e-9 * scale, 'rounding of the eigenvalues, relative to max |J|')).atol;
        expectThat(lowest >= -slack, {
          message: `the Jacobian is positive semi-definite (smallest eigenvalue ${lowest.toExponential(3)})`,
          call,
          received: J,
        });
      },
    }),
    defineCheck({
      id: 'vanishes-as-tau-to-zero',
      title: 'away from ties, the Jacobian tends to 0 as tau -> 0 (|J_ik| <= n/tau exp(-gap/tau))',
      arbitrary: clearWinner,
      run: async (subject, { z, gap }) => {
        const tau = gap / 50;
        const { call, value } = await callLike(subject, 'softmax_jacobian', [z, tau], softmaxJacobian(z, tau));
        const bound = (z.length / tau) * Math.exp(-gap / tau);
        const largest = maxAbsMatrix(value as number[][]);
        expectThat(largest <= bound, {
          message: `at tau = gap/50 every entry is at most n/tau exp(-gap/tau) = ${bound.toExponential(3)}; found ${largest.toExponential(3)}`,
          call,
          received: value,
        });
      },
    }),
  ],
  mistakes: softmaxJacobianMistakes,
};
