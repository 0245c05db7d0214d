// Linear regression with the Huber loss (seed 000, problem 2): the loss, its gradient, and a minimiser.
// Residuals are r_i = y_i - w . x_i; the objective is sum_i l_delta(r_i) + lam/2 ||w||^2.

import { type Matrix, type Vector, axpy, dot, norm2, solve, zeros } from '../src/numeric.ts';
import { requireMatrix, requirePositive, requireVector } from './validate.ts';

/** l_delta(r): r^2/2 inside |r| <= delta, delta (|r| - delta/2) outside. Continuous and C1 at |r| = delta. */
export function huberPointLoss(r: number, delta: number): number {
  const a = Math.abs(r);
  return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
}

/** psi(r) = l'(r): r inside, delta sign(r) outside (the two agree at |r| = delta). */
export function huberPsi(r: number, delta: number): number {
  return Math.abs(r) <= delta ? r : delta * Math.sign(r);
}

function residuals(w: Vector, X: Matrix, y: Vector, delta: number): Vector {
  requireMatrix('X', X, y.length);
  requireVector('w', w, X[0]!.length);
  requirePositive('delta', delta);
  return X.map((xi, i) => y[i]! - dot(w, xi));
}

export function huberLoss(w: Vector, X: Matrix, y: Vector, delta: number, lam = 0): number {
  const r = residuals(w, X, y, delta);
  let s = 0;
  for (const ri of r) s += huberPointLoss(ri, delta);
  return s + 0.5 * lam * dot(w, w);
}

/** -sum_i psi(r_i) x_i + lam w. */
export function huberGrad(w: Vector, X: Matrix, y: Vector, delta: number, lam = 0): Vector {
  const r = residuals(w, X, y, delta);
  let g = w.map((wj) => lam * wj);
  X.forEach((xi, i) => {
    g = axpy(g, -huberPsi(r[i]!, delta), xi);
  });
  return g;
}

/** Solves (X^T diag(c) X + lam I) w = X^T diag(c) y. */
function weightedLeastSquares(X: Matrix, y: Vector, c: Vector, lam: number): Vector {
  const d = X[0]!.length;
  const H = Array.from({ length: d }, (_, j) => Array.from({ length: d }, (_, k) => (j === k ? lam : 0)));
  const rhs = zeros(d);
  X.forEach((xi, i) => {
    const ci = c[i]!;
    if (ci === 0) return;
    for (let j = 0; j < d; j++) {
      rhs[j]! += ci * xi[j]! * y[i]!;
      for (let k = 0; k < d; k++) H[j]![k]! += ci * xi[j]! * xi[k]!;
    }
  });
  return solve(H, rhs);
}

/**
 * A minimiser of the Huber objective: iteratively reweighted least squares (weights min(1, delta/|r_i|),
 * a majorise-minimise scheme that never increases the objective) until the gradient norm stops falling.
 * The objective is convex, so any stationary point is a global minimiser.
 */
export function huberFit(X: Matrix, y: Vector, delta: number, lam = 0): Vector {
  requireMatrix('X', X, y.length);
  requirePositive('delta', delta);
  let w = weightedLeastSquares(X, y, y.map(() => 1), lam);
  let best = norm2(huberGrad(w, X, y, delta, lam));
  for (let iter = 0; iter < 2000 && best > 0; iter++) {
    const r = residuals(w, X, y, delta);
    const c = r.map((ri) => (Math.abs(ri) <= delta ? 1 : delta / Math.abs(ri)));
    const next = weightedLeastSquares(X, y, c, lam);
    const g = norm2(huberGrad(next, X, y, delta, lam));
    if (!(g < best)) break;
    w = next;
    best = g;
  }
  return w;
}
