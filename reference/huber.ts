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
  const rhs = zeros(X[0]!.length);
  X.forEach((xi, i) => {
    const ci = c[i]!;
    for (let j = 0; j < rhs.length; j++) rhs[j]! += ci * xi[j]! * y[i]!;
  });
  return solve(weightedHessian(X, c, lam), rhs);
}

/** The Hessian of the quadratic piece at residuals r: sum_{|r_i| <= delta} x_i x_i^T + lam I. */
function pieceHessian(X: Matrix, r: Vector, delta: number, lam: number): Matrix {
  return weightedHessian(X, r.map((ri) => (Math.abs(ri) <= delta ? 1 : 0)), lam);
}

function weightedHessian(X: Matrix, c: Vector, lam: number): Matrix {
  const d = X[0]!.length;
  const H = Array.from({ length: d }, (_, j) => Array.from({ length: d }, (_, k) => (j === k ? lam : 0)));
  X.forEach((xi, i) => {
    const ci = c[i]!;
    if (ci === 0) return;
    for (let j = 0; j < d; j++) for (let k = 0; k < d; k++) H[j]![k]! += ci * xi[j]! * xi[k]!;
  });
  return H;
}

/**
 * Newton's step on the quadratic piece of the current residuals, with `curvature` (lam, or lam plus a small
 * ridge where the piece is flat: lam = 0 and fewer than d residuals inside) on the diagonal of its Hessian;
 * undefined when that Hessian is singular.
 */
function newtonStep(X: Matrix, r: Vector, g: Vector, delta: number, curvature: number): Vector | undefined {
  try {
    const step = solve(pieceHessian(X, r, delta, curvature), g).map((v) => -v);
    return step.every(Number.isFinite) ? step : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A minimiser of the Huber objective. Starts from least squares, then repeats: Newton's step on the quadratic
 * piece of the current residuals (damped by a small ridge where the piece is flat), halved until it helps
 * (the objective is piecewise quadratic, so once the piece is right one full step lands on the minimiser),
 * or else an IRLS step (weights min(1, delta/|r_i|), a majorise-minimise step). A step helps when it lowers
 * the objective, or keeps it and lowers the gradient norm; the loop ends when no step helps or the gradient
 * is down to rounding. The objective is convex, so the stationary point it ends at is a global minimiser.
 */
export function huberFit(X: Matrix, y: Vector, delta: number, lam = 0): Vector {
  requireMatrix('X', X, y.length);
  requirePositive('delta', delta);
  const objective = (v: Vector) => huberLoss(v, X, y, delta, lam);
  const hessianBound = X.reduce((sum, xi) => sum + dot(xi, xi), lam);
  // X = 0 and lam = 0: the objective does not depend on w.
  if (hessianBound === 0) return zeros(X[0]!.length);
  const ridge = 1e-8 * hessianBound;
  // Weighted least squares, with the ridge only where the system is singular (lam = 0, X rank-deficient).
  const reweighted = (c: Vector): Vector => {
    try {
      return weightedLeastSquares(X, y, c, lam);
    } catch {
      return weightedLeastSquares(X, y, c, lam + ridge);
    }
  };
  let w = reweighted(y.map(() => 1));
  let f = objective(w);
  let g = huberGrad(w, X, y, delta, lam);
  let gNorm = norm2(g);
  // Below this the gradient is rounding: the size of its terms and of its change when w is rounded, times eps.
  const termScale = delta * X.reduce((sum, xi) => sum + norm2(xi), 0);
  const roundingLevel = (v: Vector) => 4 * Number.EPSILON * (termScale + hessianBound * norm2(v));
  const better = (v: Vector) => {
    const fv = objective(v);
    if (fv < f) return true;
    return fv === f && norm2(huberGrad(v, X, y, delta, lam)) < gNorm;
  };
  for (let iter = 0; iter < 1000 && gNorm > roundingLevel(w); iter++) {
    const r = residuals(w, X, y, delta);
    let next: Vector | undefined;
    // Newton on the piece; where that piece is flat, a damped step (the line search finds where it bends).
    for (const curvature of [lam, lam + ridge]) {
      const step = newtonStep(X, r, g, delta, curvature);
      for (let t = 1; step && !next && t > 1e-15; t /= 2) {
        const candidate = axpy(w, t, step);
        if (better(candidate)) next = candidate;
      }
      if (next) break;
    }
    if (!next) {
      const c = r.map((ri) => (Math.abs(ri) <= delta ? 1 : delta / Math.abs(ri)));
      const candidate = reweighted(c);
      if (candidate.every(Number.isFinite) && better(candidate)) next = candidate;
    }
    if (!next) break;
    w = next;
    f = objective(w);
    g = huberGrad(w, X, y, delta, lam);
    gNorm = norm2(g);
  }
  return w;
}
