// The named mistakes of adam-step, adamw-step and adam-closed-form (spec/adam.suite.ts): in a module of their own,
// so that a student's self-check replays their recorded answers without carrying their code.

import type { Vector } from '../src/numeric.ts';
import type { Mistake } from '../src/problem.ts';
import { adamStep, adamTwoSteps, adamwStep } from '../reference/adam.ts';
import { coupled } from './adam.shared.ts';
import { mistake } from './subjects.ts';

type AdamFn = typeof adamStep;

/** Adam's step with its ingredients swappable, for the named mistakes. */
function adamVariant(o: {
  readonly gradient?: (g: Vector, w: Vector, wd: number) => Vector;
  readonly before?: (w: Vector, lr: number, wd: number) => Vector;
  readonly after?: (w: Vector, lr: number, wd: number) => Vector;
  readonly correction?: (beta: number, t: number) => number;
  readonly denominator?: (vHat: number, eps: number) => number;
}): AdamFn {
  const { correction = (b, t) => 1 - b ** t, denominator = (vh, eps) => Math.sqrt(vh) + eps } = o;
  return (w, g, m, v, t, lr, b1, b2, eps, wd = 0) => {
    const grad = o.gradient ? o.gradient(g, w, wd) : g;
    const start = o.before ? o.before(w, lr, wd) : w;
    const m1 = m.map((x, i) => b1 * x + (1 - b1) * grad[i]!);
    const v1 = v.map((x, i) => b2 * x + (1 - b2) * grad[i]! * grad[i]!);
    const c1 = correction(b1, t);
    const c2 = correction(b2, t);
    const w1 = start.map((x, i) => x - (lr * (m1[i]! / c1)) / denominator(v1[i]! / c2, eps));
    return [o.after ? o.after(w1, lr, wd) : w1, m1, v1];
  };
}

const shrink = (factor: (lr: number, wd: number) => number) => (w: Vector, lr: number, wd: number) => w.map((x) => x * factor(lr, wd));

/** The closed forms with their ingredients swappable, for the named mistakes. */
function twoStepsVariant(o: {
  readonly corrections?: (beta: number, t: number) => number;
  readonly denominator?: (vHat: number, eps: number) => number;
}): typeof adamTwoSteps {
  const { corrections = (b, t) => 1 - b ** t, denominator = (vh, eps) => Math.sqrt(vh) + eps } = o;
  return (w1, g1, g2, alpha, b1, b2, eps) => {
    const [a, g, h] = [w1, g1, g2] as number[];
    const w2 = a! - (alpha * (((1 - b1) * g!) / corrections(b1, 1))) / denominator(((1 - b2) * g! * g!) / corrections(b2, 1), eps);
    const mHat = ((1 - b1) * (b1 * g! + h!)) / corrections(b1, 2);
    const vHat = ((1 - b2) * (b2 * g! * g! + h! * h!)) / corrections(b2, 2);
    return [w2, w2 - (alpha * mHat) / denominator(vHat, eps)];
  };
}

export const adamStepMistakes: readonly Mistake[] = [
  mistake({
    id: 'adam-no-bias-correction',
    title: 'Adam without bias correction: w -= lr m / (sqrt(v) + eps)',
    hint: 'm and v start at 0 and are biased toward 0: divide by (1 - beta1^t) and (1 - beta2^t) before the update.',
    implementation: { adamStep: adamVariant({ gradient: coupled, correction: () => 1 }) },
  }),
  mistake({
    id: 'adam-t-from-zero',
    title: 'bias correction with the step counted from 0 (1 - beta^(t - 1)): NaN at t = 1',
    hint: 't is 1-based: the first step is t = 1 and divides by 1 - beta1^1 (advance t before the update, as the seed does).',
    implementation: { adamStep: adamVariant({ gradient: coupled, correction: (b, t) => 1 - b ** (t - 1) }) },
  }),
  mistake({
    id: 'adam-eps-inside-sqrt',
    title: 'eps inside the square root: sqrt(v_hat + eps)',
    hint: 'PyTorch adds eps after the root: lr m_hat / (sqrt(v_hat) + eps). Inside the root it matters whenever v_hat is not >> eps.',
    implementation: { adamStep: adamVariant({ gradient: coupled, denominator: (vh, eps) => Math.sqrt(vh + eps) }) },
  }),
  mistake({
    id: 'adam-decoupled-decay',
    title: 'decoupled (AdamW) weight decay in adam_step',
    hint: 'torch.optim.Adam adds the decay to the gradient, g + weight_decay * w, before m and v; shrinking w directly is AdamW.',
    implementation: { adamStep: (...a: Parameters<AdamFn>) => adamwStep(...a) },
  }),
  mistake({
    id: 'adam-abs-weight-decay',
    title: 'decay gradient with |w|: g + weight_decay |w|',
    hint: 'The gradient of (weight_decay / 2) ||w||^2 is weight_decay * w, not weight_decay * |w| (seed 003, 1.D).',
    implementation: { adamStep: adamVariant({ gradient: (g, w, wd) => g.map((x, i) => x + wd * Math.abs(w[i]!)) }) },
  }),
];

export const adamwStepMistakes: readonly Mistake[] = [
  mistake({
    id: 'adamw-coupled-decay',
    title: 'coupled L2 decay (Adam) in adamw_step',
    hint: 'AdamW does not add the decay to the gradient: it shrinks w by (1 - lr * weight_decay) and runs Adam on g alone.',
    implementation: { adamwStep: (...a: Parameters<AdamFn>) => adamStep(...a) },
  }),
  mistake({
    id: 'adamw-decay-without-lr',
    title: 'decay not scaled by the learning rate: w *= 1 - weight_decay',
    hint: 'torch.optim.AdamW shrinks by (1 - lr * weight_decay): the decay is a step of size lr too.',
    implementation: { adamwStep: adamVariant({ before: shrink((_, wd) => 1 - wd) }) },
  }),
  mistake({
    id: 'adamw-eps-inside-sqrt',
    title: 'eps inside the square root in adamw_step: sqrt(v_hat + eps)',
    hint: 'torch.optim.AdamW adds eps after the root, as Adam: lr m_hat / (sqrt(v_hat) + eps); the decay changes nothing there.',
    implementation: { adamwStep: adamVariant({ before: shrink((lr, wd) => 1 - lr * wd), denominator: (vh, eps) => Math.sqrt(vh + eps) }) },
  }),
  mistake({
    id: 'adamw-decay-after-update',
    title: 'decay applied after the Adam update instead of before',
    hint: 'torch.optim.AdamW multiplies w by (1 - lr * weight_decay) first and then subtracts the Adam step from that.',
    implementation: { adamwStep: adamVariant({ after: shrink((lr, wd) => 1 - lr * wd) }) },
  }),
];

export const adamClosedFormMistakes: readonly Mistake[] = [
  mistake({
    id: 'closed-form-no-bias-correction',
    title: 'closed forms without bias correction (m_2 / (sqrt(v_2) + eps))',
    hint: 'Divide m_t by 1 - beta1^t and v_t by 1 - beta2^t: at t = 1 that makes m_hat_1 = g1 and v_hat_1 = g1^2.',
    implementation: { adamTwoSteps: twoStepsVariant({ corrections: () => 1 }) },
  }),
  mistake({
    id: 'closed-form-eps-inside-sqrt',
    title: 'eps inside the square root: sqrt(v_hat + eps)',
    hint: 'The update is alpha m_hat / (sqrt(v_hat) + eps): eps is added after the root, so the first step is -alpha g1 / (|g1| + eps).',
    implementation: { adamTwoSteps: twoStepsVariant({ denominator: (vh, eps) => Math.sqrt(vh + eps) }) },
  }),
  mistake({
    id: 'closed-form-t1-correction-at-step-2',
    title: 'second step bias-corrected with t = 1 (m_hat_2 = beta1 g1 + g2)',
    hint: 'At t = 2 divide by 1 - beta1^2 and 1 - beta2^2: m_hat_2 = (1 - beta1)(beta1 g1 + g2) / (1 - beta1^2).',
    implementation: { adamTwoSteps: twoStepsVariant({ corrections: (b) => 1 - b }) },
  }),
];
