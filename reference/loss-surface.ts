// The loss surface over a training trajectory's two principal directions (seed 004, P3's plotPath(loader,
// trajectory, model)), as the handout's starter computes it with sklearn.decomposition.PCA:
//
// - PCA of the trajectory (T flat parameter vectors): the mean, and the top two principal directions (unit
//   vectors, the right singular vectors of the centred trajectory), each with sklearn 1.2's sign (svd_flip: the
//   coordinate of largest magnitude on each axis is positive; any sign draws the same picture mirrored);
//   fit_transform gives the coordinates (x - mean) . v_i, inverse_transform(x1, x2) the point mean + x1 v1 + x2 v2
//   of the plane through the mean;
// - the model: a Linear(d, k) classifier whose flat parameters are W (k, d) row by row then b (extract_model_params'
//   order), its loss the mean cross-entropy over the n examples (compute_loss);
// - the figure: a 25 x 25 grid over the trajectory's coordinate range plus 20% margins on each side (rows along
//   the second axis, as np.meshgrid builds them), the loss at inverse_transform of each grid point, and the
//   trajectory at its coordinates with the loss at inverse_transform of them.
//
// What plotPath shows is read back as three answers: the path as drawn ([x, y, loss] per trajectory point), the
// parameter vectors the model was evaluated at (the grid's, then the path's, each once), and the surface ([x, y,
// loss] per grid point, row-major).

import { type Matrix, type Vector, dot, symmetricEigen } from '../src/numeric.ts';
import { crossEntropy } from './losses.ts';
import { linearForward } from './mytorch.ts';
import { requireMatrix, requireVector } from './validate.ts';

/** The handout's grid: 25 points an axis, 20% of the trajectory's range added on either side. */
export const GRID_SIZE = 25;
export const GRID_MARGIN = 0.2;

export interface TrajectoryPca {
  readonly mean: Vector;
  /** The two principal directions, unit vectors (sklearn's components_). */
  readonly components: readonly [Vector, Vector];
  /** The variances along them (sklearn's explained_variance_, over T - 1), largest first. */
  readonly variances: readonly [number, number];
  /** Each trajectory point's coordinates (x - mean) . v_i (fit_transform). */
  readonly coordinates: Matrix;
}

/** PCA with two components of T >= 3 vectors, from the eigenvectors of the centred Gram matrix (T x T). */
export function trajectoryPca(trajectory: Matrix): TrajectoryPca {
  requireMatrix('trajectory', trajectory);
  const T = trajectory.length;
  const p = trajectory[0]!.length;
  if (T < 3 || p < 2) throw new Error(`a trajectory of at least 3 vectors of at least 2 parameters is needed, got ${T} x ${p}`);
  const mean = Array.from({ length: p }, (_, j) => trajectory.reduce((s, row) => s + row[j]!, 0) / T);
  const centred = trajectory.map((row) => row.map((x, j) => x - mean[j]!));
  const { values, vectors } = symmetricEigen(centred.map((a) => centred.map((b) => dot(a, b))));
  const axis = (i: number): { direction: Vector; variance: number } => {
    const value = values[T - 1 - i]!;
    if (!(value > 0)) throw new Error('the trajectory does not span two directions');
    const u = vectors[T - 1 - i]!;
    // svd_flip: the sign that makes the largest |u_t| positive (the first such t on a tie, as np.argmax).
    const largest = u.reduce((best, x, t) => (Math.abs(x) > Math.abs(u[best]!) ? t : best), 0);
    const sign = u[largest]! < 0 ? -1 : 1;
    const sigma = Math.sqrt(value);
    return { direction: mean.map((_, j) => (sign * centred.reduce((s, row, t) => s + row[j]! * u[t]!, 0)) / sigma), variance: value / (T - 1) };
  };
  const first = axis(0);
  const second = axis(1);
  const components = [first.direction, second.direction] as const;
  return {
    mean,
    components,
    variances: [first.variance, second.variance],
    coordinates: centred.map((row) => [dot(row, components[0]), dot(row, components[1])]),
  };
}

/** inverse_transform([[x1, x2]]): mean + x1 v1 + x2 v2. */
export function pcaInverse(pca: TrajectoryPca, x1: number, x2: number): Vector {
  return pca.mean.map((m, j) => m + x1 * pca.components[0][j]! + x2 * pca.components[1][j]!);
}

/** transform: the coordinates (x - mean) . v_i of any point. */
export function pcaTransform(pca: TrajectoryPca, point: readonly number[]): [number, number] {
  const centred = point.map((x, j) => x - pca.mean[j]!);
  return [dot(centred, pca.components[0]), dot(centred, pca.components[1])];
}

/** The number of classes k of a Linear(d, k) with p = k d + k parameters. */
export function classesOf(p: number, d: number): number {
  const k = p / (d + 1);
  if (!Number.isInteger(k) || k < 1) throw new Error(`${p} parameters are no Linear(${d}, k): k d + k parameters are needed`);
  return k;
}

/** compute_loss of the Linear(d, k) holding `flat` (W row by row, then b): mean cross-entropy over the n examples. */
export function linearClassifierLoss(flat: readonly number[], X: Matrix, y: Vector): number {
  requireMatrix('X', X);
  requireVector('y', y, X.length);
  const d = X[0]!.length;
  const k = classesOf(flat.length, d);
  const W = Array.from({ length: k }, (_, r) => flat.slice(r * d, (r + 1) * d));
  return crossEntropy(linearForward(W, flat.slice(k * d), X), y);
}

/** np.linspace(lo, hi, n). */
export function linspace(lo: number, hi: number, n: number): Vector {
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : lo + ((hi - lo) * i) / (n - 1)));
}

/** The grid's points [x, y], row-major over np.meshgrid(axis1, axis2): rows along the second axis. */
export function plotGrid(coordinates: Matrix): Matrix {
  const axis = (i: number) => {
    const values = coordinates.map((c) => c[i]!);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    const margin = GRID_MARGIN * (hi - lo);
    return linspace(lo - margin, hi + margin, GRID_SIZE);
  };
  const [xs, ys] = [axis(0), axis(1)];
  return ys.flatMap((y) => xs.map((x) => [x, y]));
}

/** What plotPath shows: the path, the parameters the model was evaluated at, the surface. */
export interface PlotPathRun {
  readonly drawn: Matrix;
  readonly evaluated: Matrix;
  readonly surface: Matrix;
}

/**
 * plotPath's figure in numbers. `paramsAt(x1, x2)` is the parameter vector plotted at the coordinates (x1, x2)
 * (inverse_transform), `lossAt(params)` the loss the model reports there: the named mistakes replace them.
 */
export function runPlotPath(
  X: Matrix,
  y: Vector,
  trajectory: Matrix,
  paramsAt: (pca: TrajectoryPca, x1: number, x2: number) => Vector = pcaInverse,
  lossAt: (params: Vector) => number = (params) => linearClassifierLoss(params, X, y),
): PlotPathRun {
  const pca = trajectoryPca(trajectory);
  classesOf(trajectory[0]!.length, X[0]!.length);
  const evaluated = new Map<string, Vector>();
  const evaluate = ([x1, x2]: readonly number[]): [number, number, number] => {
    const params = paramsAt(pca, x1!, x2!);
    evaluated.set(params.join(','), params);
    return [x1!, x2!, lossAt(params)];
  };
  const surface = plotGrid(pca.coordinates).map(evaluate);
  const drawn = pca.coordinates.map(evaluate);
  return { drawn, evaluated: [...evaluated.values()], surface };
}

/** The path as drawn: [x, y, loss] per trajectory point, at its PCA coordinates. */
export function plotPathDrawn(X: Matrix, y: Vector, trajectory: Matrix): Matrix {
  return runPlotPath(X, y, trajectory).drawn;
}

/** The distinct parameter vectors the model was evaluated at: the grid's, then the path's. */
export function plotPathEvaluated(X: Matrix, y: Vector, trajectory: Matrix): Matrix {
  return runPlotPath(X, y, trajectory).evaluated;
}

/** The surface drawn: [x, y, loss] per grid point, row-major over np.meshgrid. */
export function plotPathSurface(X: Matrix, y: Vector, trajectory: Matrix): Matrix {
  return runPlotPath(X, y, trajectory).surface;
}
