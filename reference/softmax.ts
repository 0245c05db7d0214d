// Temperature softmax and its Jacobian (seed 000, problem 1.1).

import { type Matrix, type Vector } from '../src/numeric.ts';
import { requirePositive, requireVector } from './validate.ts';

/** y_i = exp(z_i/tau) / sum_j exp(z_j/tau), computed after subtracting max(z) so it never overflows. */
export function softmax(z: Vector, tau = 1): Vector {
  requireVector('z', z);
  requirePositive('tau', tau);
  const m = Math.max(...z);
  const e = z.map((zi) => Math.exp((zi - m) / tau));
  let s = 0;
  for (const x of e) s += x;
  return e.map((x) => x / s);
}

/** J[i][k] = dy_i/dz_k = (diag(y) - y y^T) / tau. */
export function softmaxJacobian(z: Vector, tau = 1): Matrix {
  const y = softmax(z, tau);
  return y.map((yi, i) => y.map((yk, k) => ((i === k ? yi : 0) - yi * yk) / tau));
}
