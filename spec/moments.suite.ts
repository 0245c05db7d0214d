// ema and gradient-stats (seed 003, part 2): the bias-corrected exponential moving average of task 2.2 and
// the per-dimension mean and RMS of a gradient history (2.A, 2.B). No PyTorch optimizer call corresponds to
// them directly; they are the moment estimates inside torch.optim.Adam:
//   ema_update(g, beta1, t, m_star) gives Adam's (m_hat, exp_avg), ema_update(g^2, beta2, t, v_star) its
//   (v_hat, exp_avg_sq), which spec/oracles/torch-optim.spec.ts checks against PyTorch through adam_step;
//   grad_mean_rms(grads) equals (grads.mean(dim=0), grads.pow(2).mean(dim=0).sqrt()) as in the seed.
// References: reference/moments.ts emaUpdate, gradMeanRms.
//
// ema_update is graded on vectors (x_t and ema_star_old numpy arrays / number[]), the general case: the seed
// calls it on vectors inside ADAMOptimizer. The seed's time-series loop calls it on scalars; an elementwise
// implementation handles both, and the reference accepts both.

import fc from 'fast-check';
import { matrixOf, sized, vectorOf } from '../src/arbitraries.ts';
import type { Call } from '../src/failure.ts';
import { callLike, expectClose, expectThat, matchesOracle } from '../src/laws.ts';
import type { Matrix, Vector } from '../src/numeric.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import type { Subject } from '../src/subject.ts';
import { CLOSED_FORM, tolerance } from '../src/tolerance.ts';
import { emaUpdate, gradMeanRms } from '../reference/moments.ts';
import { decayRate, powerOfTen, stepIndex, times } from './optim-inputs.ts';
import { column, meanOf } from './moments.shared.ts';
import { emaMistakes, gradientStatsMistakes } from './moments.mistakes.ts';

export const EMA_TOLERANCES = {
  value: CLOSED_FORM,
  /** T <= 12 steps of the recursion against the closed-form weighted sum: a few roundings per step. */
  closedForm: tolerance(1e-9, 1e-12, 'T <= 12 recursive steps against the closed-form sum'),
} as const;

// --- ema -----------------------------------------------------------------------------------------------

interface EmaInput {
  readonly x: Vector;
  readonly beta: number;
  readonly t: number;
  readonly old: Vector;
}

const beta = decayRate(0.9, 0.99, 0.999, 0.5, 0);

const emaInputs: fc.Arbitrary<EmaInput> = sized(1, 8, (n) => fc.record({ x: vectorOf(n, 10), beta, t: stepIndex, old: vectorOf(n, 10) }));

interface SeriesInput {
  /** x_1 ... x_T, one vector per step. */
  readonly xs: Matrix;
  readonly beta: number;
}

const series: fc.Arbitrary<SeriesInput> = sized(1, 4, (n) => fc.record({ xs: fc.array(vectorOf(n, 10), { minLength: 1, maxLength: 12 }), beta }));

/** A constant series: the same vector c at every step, T in 1..12. */
const constantSeries: fc.Arbitrary<SeriesInput & { readonly c: Vector }> = sized(1, 4, (n) =>
  fc.record({ c: vectorOf(n, 10), steps: fc.integer({ min: 1, max: 12 }), beta }),
).map(({ c, steps, beta: b }) => ({ c, beta: b, xs: Array.from({ length: steps }, () => c) }));

/**
 * Drives a series through the subject's ema_update from ema_star_0 = 0 (its own ema_star fed back), and
 * checks each step's (ema, ema_star) against `expected(t)`; the failure names the call of the first bad step.
 */
async function driveSeries(
  subject: Subject,
  { xs, beta: b }: SeriesInput,
  expected: (t: number) => [Vector, Vector],
  check: (value: [Vector, Vector], want: [Vector, Vector], call: Call, t: number) => void,
): Promise<void> {
  let star: Vector = xs[0]!.map(() => 0);
  for (const [k, x] of xs.entries()) {
    const t = k + 1;
    const { call, value } = await callLike(subject, 'ema_update', [x, b, t, star], [x, x]);
    const pair = value as [Vector, Vector];
    check(pair, expected(t), call, t);
    star = pair[1];
  }
}

/** (1 - beta) sum_{i <= t} beta^(t-i) x_i, summed directly (the seed's numerator EMA*_t). */
function numerator(xs: Matrix, b: number, t: number): Vector {
  return xs[0]!.map((_, j) => (1 - b) * xs.slice(0, t).reduce((s, x, i) => s + b ** (t - 1 - i) * x[j]!, 0));
}

export const emaProblem: Problem = {
  id: 'ema',
  title: 'Bias-corrected exponential moving average (ema_update)',
  source: 'seed 003, task 2.2',
  signatures: ['ema_update(x_t, beta, t, ema_star_old)'],
  checks: [
    matchesOracle({
      id: 'matches-reference',
      title: 'ema_update returns (ema_star / (1 - beta^t), ema_star) with ema_star = beta ema_star_old + (1 - beta) x_t',
      arbitrary: emaInputs,
      fn: 'ema_update',
      args: ({ x, beta: b, t, old }) => [x, b, t, old],
      oracle: ({ x, beta: b, t, old }) => emaUpdate(x, b, t, old) as [Vector, Vector],
      tolerance: EMA_TOLERANCES.value,
    }),
    defineCheck({
      id: 'recursion-equals-weighted-average',
      title: 'fed its own ema_star from 0, ema_update gives EMA_t = (1 - beta) sum_i beta^(t-i) x_i / (1 - beta^t) at every t',
      arbitrary: series,
      tolerance: EMA_TOLERANCES.closedForm,
      run: async (subject, input, context) => {
        const tol = context.tol(EMA_TOLERANCES.closedForm);
        await driveSeries(
          subject,
          input,
          (t) => {
            const star = numerator(input.xs, input.beta, t);
            return [star.map((s) => s / (1 - input.beta ** t)), star];
          },
          (value, want, call, t) =>
            expectClose(value, want, tol, {
              code: 'invariant_violated',
              message: `at t = ${t}, (ema, ema_star) should be ((1 - beta) sum_i beta^(t-i) x_i / (1 - beta^t), (1 - beta) sum_i beta^(t-i) x_i)`,
              call,
            }),
        );
      },
    }),
    defineCheck({
      id: 'unbiased-on-constant-series',
      title: 'on a constant series x_t = c, the bias-corrected EMA equals c at every t, from the first step on',
      arbitrary: constantSeries,
      tolerance: EMA_TOLERANCES.closedForm,
      run: async (subject, input, context) => {
        const tol = context.tol(EMA_TOLERANCES.closedForm);
        await driveSeries(subject, input, () => [input.c, input.c], (value, want, call, t) =>
          expectClose(value[0], want[0], tol, { code: 'invariant_violated', message: `at t = ${t} the EMA of the constant series c should be c`, call }),
        );
      },
    }),
    defineCheck({
      id: 'ema-star-biased-toward-zero',
      title: 'on a constant series x_t = c, the uncorrected ema_star is (1 - beta^t) c: biased toward 0, as the seed notes',
      arbitrary: constantSeries,
      tolerance: EMA_TOLERANCES.closedForm,
      run: async (subject, input, context) => {
        const tol = context.tol(EMA_TOLERANCES.closedForm);
        await driveSeries(subject, input, (t) => [input.c, input.c.map((c) => (1 - input.beta ** t) * c)], (value, want, call, t) =>
          expectClose(value[1], want[1], tol, { code: 'invariant_violated', message: `at t = ${t} ema_star of the constant series c should be (1 - beta^t) c`, call }),
        );
      },
    }),
  ],
  mistakes: emaMistakes,
};

// --- gradient-stats ------------------------------------------------------------------------------------

export const STATS_TOLERANCES = {
  value: CLOSED_FORM,
  /** rms^2 - mean^2 against the variance, both divided by mean(g^2): rounding of T <= 20 terms. */
  variance: tolerance(0, 1e-9, '(rms^2 - mean^2) / mean(g^2): rounding of sums of T <= 20 squares'),
  /** rms >= |mean| up to the rounding of the two sums. */
  order: tolerance(1e-9, 0, 'rounding of the two sums'),
} as const;

/** A gradient history T x d (T in 1..20, d in 1..5), entries k/100 in [-10, 10] times 10^k, k in [-3, 3]. */
const histories: fc.Arbitrary<Matrix> = sized(1, 5, (d) =>
  sized(1, 20, (T) => fc.record({ g: matrixOf(T, d, { magnitude: 10 }), scale: powerOfTen(-3, 3) })),
).map(({ g, scale }) => g.map((row) => row.map((x) => times(x, scale))));

/** A history in which the dimensions flagged `constant` hold one value at every step. */
const withConstantDimensions: fc.Arbitrary<{ readonly grads: Matrix; readonly constant: boolean[] }> = sized(1, 5, (d) =>
  fc.record({
    grads: sized(1, 20, (T) => matrixOf(T, d, { magnitude: 10 })),
    constant: fc.array(fc.boolean(), { minLength: d, maxLength: d }),
    values: vectorOf(d, 10),
  }),
).map(({ grads, constant, values }) => ({
  grads: grads.map((row) => row.map((x, j) => (constant[j] ? values[j]! : x))),
  constant,
}));

export const gradientStats: Problem = {
  id: 'gradient-stats',
  title: 'Mean and RMS of the gradient per dimension',
  source: 'seed 003, questions 2.A, 2.B',
  signatures: ['grad_mean_rms(grads)'],
  checks: [
    matchesOracle({
      id: 'matches-reference',
      title: 'grad_mean_rms(grads) returns per dimension (mean over steps, sqrt of the mean of squares), as grads.mean(0), grads.pow(2).mean(0).sqrt()',
      arbitrary: histories,
      fn: 'grad_mean_rms',
      args: (g) => [g],
      oracle: (g) => gradMeanRms(g),
      tolerance: STATS_TOLERANCES.value,
    }),
    defineCheck({
      id: 'rms-at-least-abs-mean',
      title: 'in every dimension rms >= |mean| (the RMS measures size, the mean cancels signs)',
      arbitrary: histories,
      tolerance: STATS_TOLERANCES.order,
      run: async (subject, grads, context) => {
        const d = grads[0]!.length;
        const { call, value } = await callLike(subject, 'grad_mean_rms', [grads], [new Array<number>(d).fill(0), new Array<number>(d).fill(0)]);
        const [mean, rms] = value as [Vector, Vector];
        const { rtol } = context.tol(STATS_TOLERANCES.order);
        const bad = mean.findIndex((m, j) => !(rms[j]! >= Math.abs(m) * (1 - rtol)));
        expectThat(bad < 0, {
          message: `dimension ${bad}: rms ${rms[bad]} is smaller than |mean| = ${Math.abs(mean[bad] ?? NaN)}`,
          call,
          expected: `rms >= ${Math.abs(mean[bad] ?? NaN)}`,
          received: rms[bad],
        });
      },
    }),
    defineCheck({
      id: 'rms-equals-abs-mean-iff-constant',
      title: 'rms^2 - mean^2 is the variance over steps: 0 (rms = |mean|) exactly in the dimensions where the gradient is constant',
      arbitrary: withConstantDimensions,
      tolerance: STATS_TOLERANCES.variance,
      run: async (subject, { grads }, context) => {
        const d = grads[0]!.length;
        const { call, value } = await callLike(subject, 'grad_mean_rms', [grads], [new Array<number>(d).fill(0), new Array<number>(d).fill(0)]);
        const [mean, rms] = value as [Vector, Vector];
        // Both sides divided by mean(g^2) (from the input), so the comparison is scale-free.
        const received: number[] = [];
        const expected: number[] = [];
        for (let j = 0; j < d; j++) {
          const g = column(grads, j);
          const mu = meanOf(g);
          const square = meanOf(g.map((x) => x * x)) || 1;
          received.push((rms[j]! ** 2 - mean[j]! ** 2) / square);
          expected.push(meanOf(g.map((x) => (x - mu) ** 2)) / square);
        }
        expectClose(received, expected, context.tol(STATS_TOLERANCES.variance), {
          code: 'invariant_violated',
          message: '(rms^2 - mean^2) / mean(g^2) per dimension should be the variance over steps / mean(g^2), 0 where the dimension is constant',
          call,
        });
      },
    }),
  ],
  mistakes: gradientStatsMistakes,
};
