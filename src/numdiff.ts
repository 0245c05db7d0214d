// Numerical differentiation: the independent witness every gradient and Jacobian is checked against.
//
// Central differences with a per-coordinate step h_i = cbrt(eps) * max(1, |x_i|) balance truncation
// error (O(h^2 f''')) against rounding error (O(eps |f| / h)), which leaves about 2/3 of the float64
// digits: relative error near 1e-10 for smooth functions of unit scale. Richardson extrapolation of two
// central differences (h and h/2, error O(h^4)) is a second opinion: a check that disagrees with the
// central estimate is confirmed against it before a mismatch is reported, so one unlucky step never fails
// a correct submission.

import { type Matrix, type Vector, dot } from './numeric.ts';

export type Method = 'central' | 'richardson';

/** cbrt(eps): the optimal relative step of a central difference in float64. */
export const CENTRAL_STEP = Math.cbrt(Number.EPSILON);
/** eps^(1/5): the optimal relative step of a Richardson-extrapolated central difference. */
export const RICHARDSON_STEP = Number.EPSILON ** 0.2;

export function stepFor(x: number, method: Method = 'central'): number {
  return (method === 'central' ? CENTRAL_STEP : RICHARDSON_STEP) * Math.max(1, Math.abs(x));
}

type VectorFunction = (x: Vector) => readonly number[];
type ScalarFunction = (x: Vector) => number;

function shifted(x: readonly number[], direction: readonly number[], h: number): Vector {
  return x.map((xi, i) => xi + h * direction[i]!);
}

/** (f(x + h u) - f(x - h u)) / 2h, entrywise. */
function centralAlong(f: VectorFunction, x: readonly number[], u: readonly number[], h: number): Vector {
  const plus = f(shifted(x, u, h));
  const minus = f(shifted(x, u, -h));
  return plus.map((p, i) => (p - minus[i]!) / (2 * h));
}

/**
 * Derivative of f along the direction u at x: J(x) u, with J the Jacobian of f. The step is chosen
 * for the largest coordinate touched by u, so the perturbation of every coordinate is within its
 * optimal relative step.
 */
export function directionalDerivative(
  f: VectorFunction,
  x: readonly number[],
  u: readonly number[],
  method: Method = 'central',
): Vector {
  let scaleOfX = 0;
  let scaleOfU = 0;
  for (let i = 0; i < x.length; i++) {
    if (u[i] !== 0) scaleOfX = Math.max(scaleOfX, Math.abs(x[i]!));
    scaleOfU = Math.max(scaleOfU, Math.abs(u[i]!));
  }
  if (scaleOfU === 0) return f([...x]).map(() => 0);
  const h = stepFor(scaleOfX, method) / scaleOfU;
  if (method === 'central') return centralAlong(f, x, u, h);
  const coarse = centralAlong(f, x, u, h);
  const fine = centralAlong(f, x, u, h / 2);
  return fine.map((d, i) => (4 * d - coarse[i]!) / 3);
}

/**
 * Full Jacobian J[i][k] = d f_i / d x_k by differences along each coordinate (2n evaluations of f; 4n for
 * Richardson). One working copy of x is shifted in place, coordinate by coordinate: this is the hot loop of
 * every derivative check, so it allocates nothing per coordinate but f's own output.
 */
export function jacobian(f: VectorFunction, x: readonly number[], method: Method = 'central'): Matrix {
  const n = x.length;
  const work = [...x];
  const along = (k: number, h: number): readonly number[] => {
    const xk = x[k]!;
    work[k] = xk + h;
    const plus = f(work);
    work[k] = xk - h;
    const minus = f(work);
    work[k] = xk;
    const out = new Array<number>(plus.length);
    for (let i = 0; i < plus.length; i++) out[i] = (plus[i]! - minus[i]!) / (2 * h);
    return out;
  };
  let jac: Matrix = [];
  for (let k = 0; k < n; k++) {
    const h = stepFor(x[k]!, method);
    let column = along(k, h);
    if (method === 'richardson') {
      const fine = along(k, h / 2);
      column = fine.map((d, i) => (4 * d - column[i]!) / 3);
    }
    if (k === 0) jac = Array.from({ length: column.length }, () => new Array<number>(n));
    for (let i = 0; i < column.length; i++) jac[i]![k] = column[i]!;
  }
  return jac;
}

/** Gradient of a scalar function (2n evaluations). */
export function gradient(f: ScalarFunction, x: readonly number[], method: Method = 'central'): Vector {
  return jacobian((y) => [f(y)], x, method)[0] ?? [];
}

/**
 * The random-projection check of PyTorch's fast gradcheck: v^T J u from two evaluations of f, to compare
 * with v^T J u computed from an analytic Jacobian (see `projectJacobian`). Cheap for large inputs.
 */
export function projectedDerivative(
  f: VectorFunction,
  x: readonly number[],
  u: readonly number[],
  v: readonly number[],
  method: Method = 'central',
): number {
  return dot(v, directionalDerivative(f, x, u, method));
}

/** v^T J u for an explicit Jacobian J. */
export function projectJacobian(jac: Matrix, u: readonly number[], v: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < jac.length; i++) s += v[i]! * dot(jac[i]!, u);
  return s;
}
