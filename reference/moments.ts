// Gradient moments (seed 003, part 2): the per-dimension mean and RMS of a gradient history (2.A, 2.B) and
// the bias-corrected exponential moving average (task 2.2), the building block of Adam.

import type { Matrix, Vector } from '../src/numeric.ts';
import { requireMatrix } from './validate.ts';

/** A scalar or a vector: the EMA works entrywise on either. */
export type Elementwise = number | number[];

function requireElementwise(name: string, x: unknown): asserts x is Elementwise {
  if (typeof x === 'number') return;
  if (!Array.isArray(x) || x.some((v) => typeof v !== 'number')) throw new Error(`${name} must be a number or a vector of numbers`);
}

/** f applied entrywise to a and b, where either may be a scalar (broadcast) or both vectors of one length. */
export function zipWith(a: Elementwise, b: Elementwise, f: (x: number, y: number) => number): Elementwise {
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  const n = typeof a === 'number' ? (b as number[]).length : a.length;
  if (typeof b !== 'number' && b.length !== n) throw new Error(`vectors of lengths ${n} and ${b.length} do not match`);
  return Array.from({ length: n }, (_, i) => f(typeof a === 'number' ? a : a[i]!, typeof b === 'number' ? b : b[i]!));
}

export function mapElementwise(a: Elementwise, f: (x: number) => number): Elementwise {
  return typeof a === 'number' ? f(a) : a.map(f);
}

export function requireStep(t: number): void {
  if (typeof t !== 'number' || !Number.isInteger(t) || t < 1) throw new Error(`t must be an integer >= 1 (t is 1-based), got ${t}`);
}

export function requireDecay(name: string, beta: number): void {
  if (typeof beta !== 'number' || !(beta >= 0 && beta < 1)) throw new Error(`${name} must be in [0, 1), got ${beta}`);
}

/**
 * One step of the seed's ema_update (task 2.2): ema_star = beta ema_star_old + (1 - beta) x_t and
 * ema = ema_star / (1 - beta^t), with t 1-based and ema_star_0 = 0. Returns [ema, ema_star].
 *
 * x_t and ema_star_old may be scalars (the seed's time-series loop) or vectors (inside Adam, the seed's
 * ema_update(g, beta_1, t, m_star)); the problem grades vectors, the general case. A scalar ema_star_old
 * with a vector x_t broadcasts (the seed starts from ema_star = 0.0).
 */
export function emaUpdate(xT: Elementwise, beta: number, t: number, emaStarOld: Elementwise): [Elementwise, Elementwise] {
  requireElementwise('x_t', xT);
  requireElementwise('ema_star_old', emaStarOld);
  requireDecay('beta', beta);
  requireStep(t);
  const emaStar = zipWith(emaStarOld, xT, (old, x) => beta * old + (1 - beta) * x);
  const correction = 1 - beta ** t;
  return [mapElementwise(emaStar, (s) => s / correction), emaStar];
}

/**
 * The per-dimension statistics of a gradient history grads (T x d, one row per step) of seed 003 2.A/2.B:
 * mean_i = (1/T) sum_t g_ti and rms_i = sqrt((1/T) sum_t g_ti^2). Returns [mean, rms].
 */
export function gradMeanRms(grads: Matrix): [Vector, Vector] {
  requireMatrix('grads', grads);
  const T = grads.length;
  const d = grads[0]!.length;
  const mean = new Array<number>(d).fill(0);
  const square = new Array<number>(d).fill(0);
  for (const row of grads) {
    for (let i = 0; i < d; i++) {
      mean[i]! += row[i]!;
      square[i]! += row[i]! * row[i]!;
    }
  }
  return [mean.map((s) => s / T), square.map((s) => Math.sqrt(s / T))];
}
