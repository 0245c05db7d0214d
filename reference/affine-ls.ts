// Gradients of the affine least-squares objective f(A, b) = 1/2 ||A x + b - t||^2 (seed 000, problem 1.2).

import { type Matrix, type Vector, matvec, outer } from '../src/numeric.ts';
import { requireMatrix, requireVector } from './validate.ts';

/** r = A x + b - t. */
export function affineResidual(A: Matrix, b: Vector, x: Vector, t: Vector): Vector {
  requireMatrix('A', A);
  const d = A.length;
  requireVector('x', x, A[0]!.length);
  requireVector('b', b, d);
  requireVector('t', t, d);
  const ax = matvec(A, x);
  return ax.map((v, i) => v + b[i]! - t[i]!);
}

/** f(A, b) = 1/2 ||A x + b - t||^2. */
export function affineLsLoss(A: Matrix, b: Vector, x: Vector, t: Vector): number {
  const r = affineResidual(A, b, x, t);
  return 0.5 * r.reduce((s, ri) => s + ri * ri, 0);
}

/** (grad_A, grad_b) = (r x^T, r) with r = A x + b - t. */
export function affineLsGrad(A: Matrix, b: Vector, x: Vector, t: Vector): [Matrix, Vector] {
  const r = affineResidual(A, b, x, t);
  return [outer(r, x), r];
}
