// adam-step, adamw-step and adam-closed-form (seed 000 problem 3, seed 003 task 2.3).
//   adam_step(w, g, m, v, t, lr, beta1, beta2, eps, weight_decay) is one step of
//     torch.optim.Adam(params, lr, betas=(beta1, beta2), eps, weight_decay) at its step t (1-based), with
//     m = exp_avg and v = exp_avg_sq: L2 decay coupled into the gradient (g + weight_decay w).
//   adamw_step(same arguments) is one step of torch.optim.AdamW(...): w *= 1 - lr weight_decay first, then
//     the Adam update without decay.
//   adam_two_steps(w1, g1, g2, alpha, beta1, beta2, eps) is the closed form of seed 000 problem 3.1 for the
//     first two steps of Adam from m_0 = v_0 = 0 (torch.optim.Adam(lr=alpha) stepped twice from w1 with
//     gradients g1, g2); graded on scalars, as the seed derives it for a scalar parameter w.
// References: reference/adam.ts adamStep, adamwStep, adamTwoSteps; spec/oracles/torch-optim.spec.ts checks
// them (and the reference ADAMOptimizer class) against PyTorch's float64 trajectories.
//
// Laws beyond the reference (seed 000 problem 3, part 2): the first step is -lr g / (|g| + eps); two
// adam_step calls equal the closed form; with eps = 0 the step is invariant to scaling the gradients by
// c > 0 and flips for c < 0, and with eps > 0 it moves by at most |step| eps ||c| - 1| / (|c| sqrt(v_hat) + eps)
// (exact: step(c) - sign(c) step(1) = sign(c) step(1) eps (|c| - 1) / (|c| sqrt(v_hat) + eps)); the step is
// lr |m_hat| / (sqrt(v_hat) + eps) <= lr |m_hat| / eps; coupled decay is a gradient shift, decoupled decay a
// shrink of w, and the two agree exactly when weight_decay = 0.

import fc from 'fast-check';
import { finite, sized, vectorOf } from '../src/arbitraries.ts';
import { CheckFailure } from '../src/failure.ts';
import { formatNumber } from '../src/format.ts';
import { callLike, expectClose, expectFinite, matchesOracle } from '../src/laws.ts';
import type { Vector } from '../src/numeric.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import { CLOSED_FORM, tolerance } from '../src/tolerance.ts';
import { adamStep, adamTwoSteps, adamwStep } from '../reference/adam.ts';
import {
  decayRate,
  epsilon,
  expectWithin,
  learningRate,
  maxAbs,
  nonZeroScaledVectorOf,
  nonZeroUnit,
  powerOfTen,
  scaleFactor,
  scaledVectorOf,
  stepIndex,
  times,
  weightDecay,
} from './optim-inputs.ts';
import { coupled } from './adam.shared.ts';
import { adamClosedFormMistakes, adamStepMistakes, adamwStepMistakes } from './adam.mistakes.ts';

export const ADAM_TOLERANCES = {
  value: CLOSED_FORM,
  /**
   * Two calls of the subject that must agree up to rounding (a gradient shift, a shrink of w, a scaling by c):
   * a few ulps of |w| <= 10 and of the moments.
   */
  consistency: tolerance(1e-9, 1e-12, 'two calls that agree up to a few roundings'),
  /** The step against lr |m_hat| / (sqrt(v_hat) + eps): equal up to rounding, which differencing w adds. */
  bound: tolerance(1e-9, 1e-12, 'rounding of the step; atol per unit of max(1, |w|)'),
} as const;

// --- inputs --------------------------------------------------------------------------------------------

export interface AdamInput {
  readonly w: Vector;
  readonly g: Vector;
  readonly m: Vector;
  readonly v: Vector;
  readonly t: number;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly wd: number;
}

const beta1 = decayRate(0.9, 0.5, 0.99, 0);
const beta2 = decayRate(0.999, 0.9, 0.99, 0.9999, 0);

interface AdamOptions {
  /** Start from m = v = 0. */
  readonly zeroState?: boolean;
  /** v > 0 and g != 0 in every entry (so that v_hat > 0 even at eps = 0, whatever beta2). */
  readonly positiveV?: boolean;
  readonly g?: (n: number) => fc.Arbitrary<Vector>;
  readonly t?: fc.Arbitrary<number>;
  readonly eps?: fc.Arbitrary<number>;
  readonly wd?: fc.Arbitrary<number>;
}

/**
 * Adam inputs: w in [-10, 10]^n, g at one scale 10^k (k in [-6, 3]), a state (m, v) at its own scale (a large
 * state with a tiny gradient is a sparse parameter), t mostly small, typical or gridded hyperparameters.
 * The state is one Adam could reach: v >= m^2 entrywise (v = m^2 + r^2), so |m| / sqrt(v) <= 1 and no step is
 * absurdly large; v = 0 only where m = 0.
 */
const adamInputs = (o: AdamOptions = {}): fc.Arbitrary<AdamInput> =>
  sized(1, 8, (n) =>
    fc.record({
      w: vectorOf(n, 10),
      g: (o.g ?? (o.positiveV ? nonZeroScaledVectorOf : scaledVectorOf))(n),
      mUnit: fc.array(finite(1), { minLength: n, maxLength: n }),
      vUnit: fc.array(o.positiveV ? nonZeroUnit : finite(1), { minLength: n, maxLength: n }),
      stateScale: powerOfTen(-6, 3),
      t: o.t ?? stepIndex,
      lr: learningRate,
      beta1,
      beta2,
      eps: o.eps ?? epsilon,
      wd: o.wd ?? weightDecay,
    }),
  ).map(({ mUnit, vUnit, stateScale, ...rest }) => ({
    ...rest,
    m: o.zeroState ? mUnit.map(() => 0) : mUnit.map((x) => times(x, stateScale)),
    v: o.zeroState ? vUnit.map(() => 0) : vUnit.map((x, i) => times(mUnit[i]! ** 2 + x ** 2, stateScale * stateScale)),
  }));

const args = ({ w, g, m, v, t, lr, beta1: b1, beta2: b2, eps, wd }: AdamInput) => [w, g, m, v, t, lr, b1, b2, eps, wd];
const triple = ({ w }: AdamInput): [Vector, Vector, Vector] => [w, w, w];

/** sqrt(v_hat) of the step from the inputs: v_hat = (beta2 v + (1 - beta2) g^2) / (1 - beta2^t). */
const rootVHat = ({ g, v, t, beta2: b2 }: AdamInput): Vector => v.map((vi, i) => Math.sqrt((b2 * vi + (1 - b2) * g[i]! ** 2) / (1 - b2 ** t)));

/**
 * How far the step at gradients scaled by c may be from sign(c) times the step at c = 1: exactly
 * |step| eps ||c| - 1| / (|c| sqrt(v_hat) + eps) (0 when eps = 0).
 */
const scaleSlack = (step: Vector, root: Vector, eps: number, c: number): Vector =>
  step.map((s, i) => (eps === 0 ? 0 : (Math.abs(s) * eps * Math.abs(Math.abs(c) - 1)) / (Math.abs(c) * root[i]! + eps)));

// --- adam-step -----------------------------------------------------------------------------------------

export const adamStepProblem: Problem = {
  id: 'adam-step',
  title: 'One step of Adam (torch.optim.Adam, L2 weight decay coupled)',
  source: 'seed 000, problem 3.1; seed 003, task 2.3',
  signatures: ['adam_step(w, g, m, v, t, lr, beta1, beta2, eps, weight_decay=0.0)'],
  checks: [
    matchesOracle({
      id: 'matches-reference',
      title: 'adam_step returns (w, m, v) after step t of torch.optim.Adam: g += wd w; m, v EMAs of g, g^2; w -= lr m_hat / (sqrt(v_hat) + eps)',
      arbitrary: adamInputs(),
      fn: 'adam_step',
      args,
      oracle: (i) => adamStep(i.w, i.g, i.m, i.v, i.t, i.lr, i.beta1, i.beta2, i.eps, i.wd),
      tolerance: ADAM_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'first-step',
      title: 'the first step from m = v = 0 is w - lr g / (|g| + eps), with m = (1 - beta1) g and v = (1 - beta2) g^2 (seed 000, 3.1)',
      arbitrary: adamInputs({ zeroState: true, t: fc.constant(1), wd: fc.constant(0) }),
      fn: 'adam_step',
      args,
      oracle: ({ w, g, lr, beta1: b1, beta2: b2, eps }) => [
        w.map((x, i) => x - (lr * g[i]!) / (Math.abs(g[i]!) + eps)),
        g.map((x) => (1 - b1) * x),
        g.map((x) => (1 - b2) * x * x),
      ],
      tolerance: ADAM_TOLERANCES.value,
      independent: 'the closed form of the first step from m = v = 0, written out',
    }),
    defineCheck({
      id: 'two-steps-match-closed-form',
      title: 'two adam_step calls from m = v = 0 (t = 1, 2) give the closed forms w2, w3 of adam_two_steps (seed 000, 3.1)',
      arbitrary: sized(1, 6, (n) => fc.record({ w1: vectorOf(n, 10), g1: scaledVectorOf(n), g2: scaledVectorOf(n), lr: learningRate, beta1, beta2, eps: epsilon })),
      tolerance: ADAM_TOLERANCES.value,
      run: async (subject, { w1, g1, g2, lr, beta1: b1, beta2: b2, eps }, context) => {
        const [w2, w3] = adamTwoSteps(w1, g1, g2, lr, b1, b2, eps) as [Vector, Vector];
        const zero = w1.map(() => 0);
        const tol = context.tol(ADAM_TOLERANCES.value);
        const first = await callLike(subject, 'adam_step', [w1, g1, zero, zero, 1, lr, b1, b2, eps, 0], [w1, w1, w1]);
        const [wa, ma, va] = first.value as [Vector, Vector, Vector];
        expectClose(wa, w2, tol, { code: 'invariant_violated', message: 'the first step should give w2 = w1 - lr g1 / (|g1| + eps)', call: first.call });
        const second = await callLike(subject, 'adam_step', [wa, g2, ma, va, 2, lr, b1, b2, eps, 0], [w1, w1, w1]);
        const [wb] = second.value as [Vector, Vector, Vector];
        expectClose(wb, w3, tol, {
          code: 'invariant_violated',
          message: 'the second step (fed the first step\'s w, m, v) should give w3 = w2 - lr m_hat_2 / (sqrt(v_hat_2) + eps) of the closed form',
          call: second.call,
        });
      },
    }),
    defineCheck({
      id: 'scale-invariance',
      title: 'scaling g and m by c, v by c^2 multiplies the step by sign(c): exactly at eps = 0, within |step| eps ||c| - 1| / (|c| sqrt(v_hat) + eps) at eps > 0',
      arbitrary: fc.record({
        input: adamInputs({ positiveV: true, wd: fc.constant(0), eps: fc.oneof(fc.constant(0), epsilon) }),
        c: scaleFactor,
      }),
      tolerance: ADAM_TOLERANCES.consistency,
      run: async (subject, { input, c }, context) => {
        const first = await callLike(subject, 'adam_step', args(input), triple(input));
        expectFinite(first.value, first.call, 'adam_step returned NaN or infinity (v_hat > 0 here, so no 0 / 0 even at eps = 0)');
        const step = (first.value as Vector[])[0]!.map((x, i) => x - input.w[i]!);
        const scaled = { ...input, g: input.g.map((x) => c * x), m: input.m.map((x) => c * x), v: input.v.map((x) => c * c * x) };
        const { call, value: scaledValue } = await callLike(subject, 'adam_step', args(scaled), triple(input));
        const sign = Math.sign(c);
        expectWithin(
          (scaledValue as Vector[])[0]!,
          input.w.map((x, i) => x + sign * step[i]!),
          scaleSlack(step, rootVHat(input), input.eps, c),
          context.tol(ADAM_TOLERANCES.consistency),
          { message: `with g, m scaled by c = ${c} and v by c^2 (eps = ${input.eps}), w_new should be w + sign(c) (step at c = 1)`, call },
        );
      },
    }),
    defineCheck({
      id: 'step-bounded-by-moments',
      title: 'the step is |w_new - w| = lr |m_hat| / (sqrt(v_hat) + eps) <= lr |m_hat| / eps, m_hat and v_hat the bias-corrected returned m, v',
      arbitrary: adamInputs(),
      tolerance: ADAM_TOLERANCES.bound,
      run: async (subject, input, context) => {
        const { call, value } = await callLike(subject, 'adam_step', args(input), triple(input));
        expectFinite(value, call, 'adam_step returned NaN or infinity (eps > 0 here)');
        const [w, m, v] = value as [Vector, Vector, Vector];
        const { t, lr, beta1: b1, beta2: b2, eps } = input;
        const tol = context.tol(ADAM_TOLERANCES.bound);
        const slack = tol.atol * Math.max(1, maxAbs(input.w));
        const bound = m.map((mi, i) => (lr * Math.abs(mi / (1 - b1 ** t))) / (Math.sqrt(v[i]! / (1 - b2 ** t)) + eps));
        const step = w.map((x, i) => Math.abs(x - input.w[i]!));
        const bad = step.findIndex((s, i) => !(s <= bound[i]! * (1 + tol.rtol) + slack));
        if (bad < 0) return;
        throw new CheckFailure({
          code: 'invariant_violated',
          message: `entry [${bad}]: |w_new - w| = ${formatNumber(step[bad]!)} exceeds lr |m_hat| / (sqrt(v_hat) + eps) = ${formatNumber(bound[bad]!)} computed from the returned m and v`,
          call,
          expected: bound,
          received: step,
          tolerance: tol,
        });
      },
    }),
    defineCheck({
      id: 'coupled-decay-is-gradient-shift',
      title: 'weight decay is L2 coupled into the gradient: adam_step(w, g, ..., wd) equals adam_step(w, g + wd w, ..., 0)',
      arbitrary: adamInputs({ wd: fc.oneof(fc.constantFrom(0.1, 0.01), weightDecay) }),
      tolerance: ADAM_TOLERANCES.consistency,
      run: async (subject, input, context) => {
        const shifted = { ...input, g: coupled(input.g, input.w, input.wd), wd: 0 };
        const { value: expected } = await callLike(subject, 'adam_step', args(shifted), triple(input));
        const { call, value } = await callLike(subject, 'adam_step', args(input), triple(input));
        expectClose(value, expected, context.tol(ADAM_TOLERANCES.consistency), {
          code: 'invariant_violated',
          message: `adam_step with weight_decay = ${input.wd} (received) should equal adam_step on the gradient g + weight_decay * w without decay (expected)`,
          call,
        });
      },
    }),
    matchesOracle({
      id: 'zero-gradient-zero-state',
      title: 'a zero gradient from m = v = 0 leaves w, m, v unchanged at any t (eps keeps 0 / 0 away)',
      arbitrary: adamInputs({ zeroState: true, g: (n) => fc.constant(new Array<number>(n).fill(0)), wd: fc.constant(0) }),
      fn: 'adam_step',
      args,
      oracle: ({ w }) => [w, w.map(() => 0), w.map(() => 0)],
      tolerance: ADAM_TOLERANCES.value,
      independent: 'nothing to update: w unchanged, m = v = 0',
    }),
  ],
  mistakes: adamStepMistakes,
};

// --- adamw-step ----------------------------------------------------------------------------------------

export const adamwStepProblem: Problem = {
  id: 'adamw-step',
  title: 'One step of AdamW (torch.optim.AdamW, decoupled weight decay)',
  source: 'seed 003, task 2.3',
  signatures: ['adamw_step(w, g, m, v, t, lr, beta1, beta2, eps, weight_decay=0.0)'],
  checks: [
    matchesOracle({
      id: 'matches-reference',
      title: 'adamw_step returns (w, m, v) after step t of torch.optim.AdamW: w *= 1 - lr wd, then the Adam update without decay',
      arbitrary: adamInputs(),
      fn: 'adamw_step',
      args,
      oracle: (i) => adamwStep(i.w, i.g, i.m, i.v, i.t, i.lr, i.beta1, i.beta2, i.eps, i.wd),
      tolerance: ADAM_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'no-decay-equals-adam',
      title: 'with weight_decay = 0, adamw_step equals adam_step (AdamW and Adam differ only through the decay)',
      arbitrary: adamInputs({ wd: fc.constant(0) }),
      fn: 'adamw_step',
      args,
      oracle: (i) => adamStep(i.w, i.g, i.m, i.v, i.t, i.lr, i.beta1, i.beta2, i.eps, 0),
      tolerance: ADAM_TOLERANCES.value,
      independent: 'adam_step, a separate reference function (itself checked against PyTorch)',
    }),
    defineCheck({
      id: 'decay-is-decoupled',
      title: 'decay is decoupled: adamw_step(w, ..., wd) equals adamw_step(w (1 - lr wd), ..., 0), so m and v never see it',
      arbitrary: adamInputs({ wd: fc.oneof(fc.constantFrom(0.1, 0.01), weightDecay) }),
      tolerance: ADAM_TOLERANCES.consistency,
      run: async (subject, input, context) => {
        const shrunk = { ...input, w: input.w.map((x) => x * (1 - input.lr * input.wd)), wd: 0 };
        const { value: expected } = await callLike(subject, 'adamw_step', args(shrunk), triple(input));
        const { call, value } = await callLike(subject, 'adamw_step', args(input), triple(input));
        expectClose(value, expected, context.tol(ADAM_TOLERANCES.consistency), {
          code: 'invariant_violated',
          message: `adamw_step with weight_decay = ${input.wd} (received) should equal adamw_step from w * (1 - lr * weight_decay) without decay (expected)`,
          call,
        });
      },
    }),
    matchesOracle({
      id: 'zero-gradient-only-decays',
      title: 'with a zero gradient and m = v = 0, adamw_step only shrinks w to w (1 - lr wd) and keeps m = v = 0',
      arbitrary: adamInputs({ zeroState: true, g: (n) => fc.constant(new Array<number>(n).fill(0)), wd: fc.oneof(fc.constantFrom(0.1, 0.01), weightDecay) }),
      fn: 'adamw_step',
      args,
      oracle: ({ w, lr, wd }) => [w.map((x) => x * (1 - lr * wd)), w.map(() => 0), w.map(() => 0)],
      tolerance: ADAM_TOLERANCES.value,
      independent: 'the decay alone, written out',
    }),
  ],
  mistakes: adamwStepMistakes,
};

// --- adam-closed-form ----------------------------------------------------------------------------------

export interface TwoStepInput {
  readonly w1: number;
  readonly g1: number;
  readonly g2: number;
  readonly alpha: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
}

/** A gradient k/100 * 10^p (p in [lo, hi]), never 0 when `nonZero`. */
const gradient = (lo: number, hi: number, nonZero = false): fc.Arbitrary<number> =>
  fc.record({ unit: nonZero ? nonZeroUnit : finite(1), scale: powerOfTen(lo, hi) }).map(({ unit, scale }) => times(unit, scale));

const twoStepInputs = (o: { readonly g?: fc.Arbitrary<number>; readonly eps?: fc.Arbitrary<number> } = {}): fc.Arbitrary<TwoStepInput> =>
  fc
    .record({ w1: finite(10), g1: o.g ?? gradient(-6, 3), g2: o.g ?? gradient(-6, 3), alpha: learningRate, beta1, beta2, eps: o.eps ?? epsilon });

const twoStepArgs = ({ w1, g1, g2, alpha, beta1: b1, beta2: b2, eps }: TwoStepInput) => [w1, g1, g2, alpha, b1, b2, eps];

export const adamClosedForm: Problem = {
  id: 'adam-closed-form',
  title: 'Closed forms of the first two Adam updates',
  source: 'seed 000, problem 3.1',
  signatures: ['adam_two_steps(w1, g1, g2, alpha, beta1, beta2, eps)'],
  checks: [
    matchesOracle({
      id: 'matches-reference',
      title: 'adam_two_steps returns (w2, w3): w2 = w1 - alpha g1 / (sqrt(g1^2) + eps), w3 = w2 - alpha m_hat_2 / (sqrt(v_hat_2) + eps)',
      arbitrary: twoStepInputs(),
      fn: 'adam_two_steps',
      args: twoStepArgs,
      oracle: (i) => adamTwoSteps(i.w1, i.g1, i.g2, i.alpha, i.beta1, i.beta2, i.eps) as [number, number],
      tolerance: ADAM_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'equals-two-adam-steps',
      title: 'adam_two_steps equals two steps of the Adam recursion from m_0 = v_0 = 0 (torch.optim.Adam(lr=alpha) stepped twice)',
      arbitrary: twoStepInputs(),
      fn: 'adam_two_steps',
      args: twoStepArgs,
      oracle: ({ w1, g1, g2, alpha, beta1: b1, beta2: b2, eps }) => {
        const [w2, m1, v1] = adamStep([w1], [g1], [0], [0], 1, alpha, b1, b2, eps);
        const [w3] = adamStep(w2, [g2], m1, v1, 2, alpha, b1, b2, eps);
        return [w2[0]!, w3[0]!];
      },
      tolerance: ADAM_TOLERANCES.value,
      independent: 'two steps of adam_step, a separate reference function (itself checked against PyTorch)',
    }),
    defineCheck({
      id: 'first-step-any-gradient-size',
      title: 'the first step is -alpha g1 / (|g1| + eps) at any |g1| from 1e-14 to 1e6: about -alpha sign(g1) when |g1| >> eps, -alpha g1 / eps when |g1| << eps',
      arbitrary: twoStepInputs({ g: gradient(-12, 6) }),
      tolerance: ADAM_TOLERANCES.value,
      run: async (subject, input, context) => {
        const { call, value } = await callLike(subject, 'adam_two_steps', twoStepArgs(input), [0, 0]);
        const { w1, g1, alpha, eps } = input;
        expectClose((value as number[])[0]!, w1 - (alpha * g1) / (Math.abs(g1) + eps), context.tol(ADAM_TOLERANCES.value), {
          code: 'invariant_violated',
          message: 'w2 should be w1 - alpha g1 / (|g1| + eps)',
          call,
        });
      },
    }),
    matchesOracle({
      id: 'constant-gradient',
      title: 'with g2 = g1 and eps = 0 both steps are exactly -alpha sign(g1): m_hat = g1 and v_hat = g1^2 at t = 1 and t = 2',
      arbitrary: fc.record({ input: twoStepInputs({ eps: fc.constant(0) }), g: gradient(-6, 3, true) }).map(({ input, g }) => ({ ...input, g1: g, g2: g })),
      fn: 'adam_two_steps',
      args: twoStepArgs,
      oracle: ({ w1, g1, alpha }) => [w1 - alpha * Math.sign(g1), w1 - alpha * Math.sign(g1) - alpha * Math.sign(g1)],
      tolerance: ADAM_TOLERANCES.value,
      independent: 'the closed form for |g| >> eps, written out',
    }),
    defineCheck({
      id: 'scale-invariance',
      title: 'scaling g1, g2 by c multiplies both steps by sign(c): exactly at eps = 0, within |step| eps ||c| - 1| / (|c| sqrt(v_hat) + eps) per step at eps > 0',
      arbitrary: fc.record({
        input: twoStepInputs({ g: gradient(-6, 3, true), eps: fc.oneof(fc.constant(0), epsilon) }),
        c: scaleFactor,
      }),
      tolerance: ADAM_TOLERANCES.consistency,
      run: async (subject, { input, c }, context) => {
        const first = await callLike(subject, 'adam_two_steps', twoStepArgs(input), [0, 0]);
        expectFinite(first.value, first.call, 'adam_two_steps returned NaN or infinity (g1, g2 != 0 here, so no 0 / 0 even at eps = 0)');
        const [w2, w3] = first.value as [number, number];
        const scaled = { ...input, g1: c * input.g1, g2: c * input.g2 };
        const { call, value: scaledValue } = await callLike(subject, 'adam_two_steps', twoStepArgs(scaled), [0, 0]);
        const { w1, g1, g2, beta2: b2, eps } = input;
        const sign = Math.sign(c);
        const step1 = w2 - w1;
        const step2 = w3 - w2;
        const root2 = Math.sqrt(((1 - b2) * (b2 * g1 * g1 + g2 * g2)) / (1 - b2 ** 2));
        const [slack1] = scaleSlack([step1], [Math.abs(g1)], eps, c);
        const [slack2] = scaleSlack([step2], [root2], eps, c);
        expectWithin(scaledValue as number[], [w1 + sign * step1, w1 + sign * step1 + sign * step2], [slack1!, slack1! + slack2!], context.tol(ADAM_TOLERANCES.consistency), {
          message: `with g1, g2 scaled by c = ${c} (eps = ${eps}), (w2, w3) should move by sign(c) times the steps at c = 1`,
          call,
        });
      },
    }),
  ],
  mistakes: adamClosedFormMistakes,
};
