// Expressivity with step neurons (seed 002, problem 1): a box from two hidden step neurons, a sum of boxes
// approximating a Lipschitz function, and the n^d boxes a grid needs in d dimensions.
//
// step(u) = 1 if u > 0 else 0, as the homework's sigma. The network h (step(x) - step(x - delta)) is h on
// (0, delta] and 0 elsewhere: the homework's box is written 0 < x < delta, and the two differ at the single
// point x = delta, where the network (what box_function computes) gives h.
//
// x is a 1-D array of points and the answer has one entry per point (a numpy implementation written with
// comparisons, np.where or np.heaviside works on it unchanged).

import { type Vector } from '../src/numeric.ts';
import { requirePositive, requireVector } from './validate.ts';

/** The homework's step activation: 1 for u > 0, else 0 (so step(0) = 0). */
export const step = (u: number): number => (u > 0 ? 1 : 0);

/** h (step(x) - step(x - delta)) at every point of x: h on (0, delta], 0 elsewhere. */
export function boxFunction(x: Vector, h: number, delta: number): Vector {
  requireVector('x', x);
  requirePositive('delta', delta);
  return x.map((xi) => h * (step(xi) - step(xi - delta)));
}

/**
 * sum_j heights_j (step(x - starts_j) - step(x - (starts_j + delta))) at every point of x: box j is
 * heights_j on (starts_j, starts_j + delta]. The second neuron of box j has bias -(starts_j + delta).
 */
export function boxSum(x: Vector, heights: Vector, starts: Vector, delta: number): Vector {
  requireVector('x', x);
  requireVector('heights', heights);
  requireVector('starts', starts, heights.length);
  requirePositive('delta', delta);
  return x.map((xi) => heights.reduce((s, hj, j) => s + hj * (step(xi - starts[j]!) - step(xi - (starts[j]! + delta))), 0));
}

/** n^d: the boxes of a grid with n intervals along each of d dimensions. */
export function boxesNeeded(n: number, d: number): number {
  if (!Number.isInteger(n) || n < 1) throw new Error(`n must be a positive integer, got ${n}`);
  if (!Number.isInteger(d) || d < 1) throw new Error(`d must be a positive integer, got ${d}`);
  return n ** d;
}
