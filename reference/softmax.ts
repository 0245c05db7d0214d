// Temperature softmax and its Jacobian (seed 000, problem 1.1).

import { type Matrix, type Vector } from '../src/numeric.ts';
import { requirePositive, requireVector } from './validate.ts';

/** y_i = exp(z_i/tau) / sum_j exp(z_j/tau), computed after subtracting max(z) so it never overflows. */
export function softmax(z: Vector, tau = 1): Vector {
  requireVector('z', z);
  requirePositive('tau', tau);
  // Plain loops: the derivative checks call this 2n times per case.
  let m = -Infinity;
  for (const zi of z) if (zi > m) m = zi;
  const y = new Array<number>(z.length);
  let s = 0;
  for (let i = 0; i < z.length; i++) {
    const e = Math.exp((z[i]! - m) / tau);
    y[i] = e;
    s += e;
  }
  for (let i = 0; i < y.length; i++) y[i] = y[i]! / s;
  return y;
}

/** J[i][k] = dy_i/dz_k = (diag(y) - y y^T) / tau. */
export function softmaxJacobian(z: Vector, tau = 1): Matrix {
  const y = softmax(z, tau);
  return y.map((yi, i) => y.map((yk, k) => ((i === k ? yi : 0) - yi * yk) / tau));
}
