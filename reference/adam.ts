// Adam and AdamW (seed 000 problem 3, seed 003 task 2.3): one functional step each, the closed forms of the
// first two steps, and the seed's stateful ADAMOptimizer. The updates are torch.optim.Adam's and
// torch.optim.AdamW's (amsgrad False, maximize False), evaluated in PyTorch's order so that float64
// trajectories agree with PyTorch to a few ulps:
//   g  = g + weight_decay * w                       (Adam only: L2 coupled into the gradient)
//   w  = w * (1 - lr * weight_decay)                (AdamW only: decoupled decay, before the update)
//   m  = m * beta1 + (1 - beta1) * g
//   v  = v * beta2 + (1 - beta2) * g * g
//   w  = w - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
// which is the seed's w - lr * m_hat / (sqrt(v_hat) + eps) with m_hat = m / (1 - beta1^t) and
// v_hat = v / (1 - beta2^t), t 1-based.

import type { Vector } from '../src/numeric.ts';
import { type Elementwise, mapElementwise, requireDecay, requireStep, zipWith } from './moments.ts';
import { type ParamArray, assignInPlace, flatten, requireGradsLike, shapeOf } from './params.ts';
import { requireNonNegative } from './sgd.ts';
import { requireVector } from './validate.ts';

export type AdamResult = [w: Vector, m: Vector, v: Vector];

interface AdamArgs {
  readonly w: Vector;
  readonly g: Vector;
  readonly m: Vector;
  readonly v: Vector;
  readonly t: number;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
}

function validate(a: AdamArgs): void {
  requireVector('w', a.w);
  requireVector('g', a.g, a.w.length);
  requireVector('m', a.m, a.w.length);
  requireVector('v', a.v, a.w.length);
  if (a.v.some((x) => x < 0)) throw new Error('v (the second moment) must be non-negative');
  requireStep(a.t);
  requireNonNegative('lr', a.lr);
  requireDecay('beta1', a.beta1);
  requireDecay('beta2', a.beta2);
  requireNonNegative('eps', a.eps);
  requireNonNegative('weight_decay', a.weightDecay);
}

/** The moment updates and the bias-corrected step from parameter w (after any decoupled decay). */
function adamUpdate(w: Vector, g: Vector, a: AdamArgs): AdamResult {
  const m = a.m.map((mi, i) => mi * a.beta1 + (1 - a.beta1) * g[i]!);
  const v = a.v.map((vi, i) => vi * a.beta2 + (1 - a.beta2) * g[i]! * g[i]!);
  const stepSize = a.lr / (1 - a.beta1 ** a.t);
  const correction2Sqrt = Math.sqrt(1 - a.beta2 ** a.t);
  const wNew = w.map((wi, i) => wi - stepSize * (m[i]! / (Math.sqrt(v[i]!) / correction2Sqrt + a.eps)));
  return [wNew, m, v];
}

/**
 * One step t (1-based) of torch.optim.Adam(lr, betas=(beta1, beta2), eps, weight_decay): L2 decay coupled
 * into the gradient (g + weight_decay w enters m and v). Returns [w, m, v].
 */
export function adamStep(
  w: Vector, g: Vector, m: Vector, v: Vector, t: number,
  lr: number, beta1: number, beta2: number, eps: number, weightDecay = 0,
): AdamResult {
  const a = { w, g, m, v, t, lr, beta1, beta2, eps, weightDecay };
  validate(a);
  return adamUpdate(w, g.map((gi, i) => gi + weightDecay * w[i]!), a);
}

/**
 * One step of torch.optim.AdamW: decoupled decay w *= 1 - lr weight_decay first, then the Adam update
 * without L2 (the decay never enters m and v). Returns [w, m, v].
 */
export function adamwStep(
  w: Vector, g: Vector, m: Vector, v: Vector, t: number,
  lr: number, beta1: number, beta2: number, eps: number, weightDecay = 0,
): AdamResult {
  const a = { w, g, m, v, t, lr, beta1, beta2, eps, weightDecay };
  validate(a);
  return adamUpdate(w.map((wi) => wi * (1 - lr * weightDecay)), g, a);
}

/**
 * The closed forms of seed 000 problem 3.1 for the first two Adam steps from m_0 = v_0 = 0 (no weight
 * decay): w1 is the starting parameter, g1 the gradient at w1, g2 the gradient at w2. Returns [w2, w3]:
 *   w2 = w1 - alpha g1 / (sqrt(g1^2) + eps)                        (m_hat_1 = g1, v_hat_1 = g1^2)
 *   m_hat_2 = (1 - beta1)(beta1 g1 + g2) / (1 - beta1^2),  v_hat_2 = (1 - beta2)(beta2 g1^2 + g2^2) / (1 - beta2^2)
 *   w3 = w2 - alpha m_hat_2 / (sqrt(v_hat_2) + eps)
 * Scalars as in the seed (a scalar parameter w), or vectors entrywise.
 */
export function adamTwoSteps(
  w1: Elementwise, g1: Elementwise, g2: Elementwise,
  alpha: number, beta1: number, beta2: number, eps: number,
): [Elementwise, Elementwise] {
  requireNonNegative('alpha', alpha);
  requireDecay('beta1', beta1);
  requireDecay('beta2', beta2);
  requireNonNegative('eps', eps);
  const step1 = mapElementwise(g1, (a) => a / (Math.sqrt(a * a) + eps));
  const w2 = zipWith(w1, step1, (w, s) => w - alpha * s);
  const mHat2 = zipWith(g1, g2, (a, b) => ((1 - beta1) * (beta1 * a + b)) / (1 - beta1 ** 2));
  const vHat2 = zipWith(g1, g2, (a, b) => ((1 - beta2) * (beta2 * a * a + b * b)) / (1 - beta2 ** 2));
  const step2 = zipWith(mHat2, vHat2, (mh, vh) => mh / (Math.sqrt(vh) + eps));
  return [w2, zipWith(w2, step2, (w, s) => w - alpha * s)];
}

/**
 * The seed's ADAMOptimizer (task 2.3) with the catalog's numpy interface: `step(grads)` advances t and
 * updates every parameter array in place, keeping m and v per parameter; over any sequence of steps it
 * matches torch.optim.Adam(params, lr, betas, eps, weight_decay) (L2 decay coupled, as the seed's
 * `g = x.grad + self.weight_decay * x`).
 */
export class ADAMOptimizer {
  readonly params: ParamArray[];
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** Steps taken so far (the seed's self.t). */
  t = 0;
  /** The first and second moments of each parameter, flattened row-major. */
  readonly m: number[][];
  readonly v: number[][];

  constructor(params: ParamArray[], lr = 0.1, betas: readonly [number, number] | number[] = [0.9, 0.999], eps = 1e-8, weightDecay = 0) {
    if (!Array.isArray(params)) throw new Error('params must be a list of parameter arrays');
    params.forEach((p, i) => shapeOf(`params[${i}]`, p));
    if (!Array.isArray(betas) || betas.length !== 2) throw new Error('betas must be a pair (beta1, beta2)');
    const [beta1, beta2] = betas as [number, number];
    requireNonNegative('lr', lr);
    requireDecay('beta1', beta1);
    requireDecay('beta2', beta2);
    requireNonNegative('eps', eps);
    requireNonNegative('weight_decay', weightDecay);
    this.params = params;
    this.lr = lr;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.m = params.map((p) => flatten(p).map(() => 0));
    this.v = params.map((p) => flatten(p).map(() => 0));
  }

  step(grads: ParamArray[]): void {
    requireGradsLike(this.params, grads);
    this.t += 1;
    this.params.forEach((p, i) => {
      const [w, m, v] = adamStep(flatten(p), flatten(grads[i]!), this.m[i]!, this.v[i]!, this.t, this.lr, this.beta1, this.beta2, this.eps, this.weightDecay);
      this.m[i] = m;
      this.v[i] = v;
      assignInPlace(p, w);
    });
  }
}
