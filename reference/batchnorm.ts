// Batch normalisation in training mode (seed 003, tasks 3.14 and 3.18), as torch.nn.BatchNorm1d(d, eps)
// on a batch X of shape (n, d): each column (feature) is normalised with the batch mean and the biased
// batch variance (divided by n, not n - 1), then scaled by gamma and shifted by beta.
// (BatchNorm1d's running statistics only matter in eval mode, which this problem does not grade.)

import { type Matrix, type Vector } from '../src/numeric.ts';
import { requireMatrix, requireVector } from './validate.ts';

/** torch.nn.BatchNorm1d's default eps. */
export const BATCHNORM_EPS = 1e-5;

function requireBatch(X: Matrix, gamma: Vector, eps: number): void {
  requireMatrix('X', X);
  // As torch.nn.BatchNorm1d in training mode: "Expected more than 1 value per channel when training".
  if (X.length < 2) throw new Error(`X must have at least 2 rows (a batch), got ${X.length}`);
  requireVector('gamma', gamma, X[0]!.length);
  if (!(eps >= 0) || !Number.isFinite(eps)) throw new Error(`eps must be a finite number >= 0, got ${eps}`);
}

export interface BatchStatistics {
  /** Per-feature batch mean. */
  readonly mean: Vector;
  /** Per-feature biased batch variance: mean_i (X_ij - mean_j)^2. */
  readonly variance: Vector;
  /** sqrt(variance + eps). */
  readonly std: Vector;
  /** The normalised batch (X - mean) / std, before the affine part. */
  readonly xhat: Matrix;
}

/** The batch statistics of X (two passes, so the variance does not cancel for columns far from 0). */
export function batchStatistics(X: Matrix, eps = BATCHNORM_EPS): BatchStatistics {
  const n = X.length;
  const d = X[0]!.length;
  const mean = Array.from({ length: d }, (_, j) => X.reduce((s, row) => s + row[j]!, 0) / n);
  const variance = mean.map((m, j) => X.reduce((s, row) => s + (row[j]! - m) ** 2, 0) / n);
  const std = variance.map((v) => Math.sqrt(v + eps));
  const xhat = X.map((row) => row.map((x, j) => (x - mean[j]!) / std[j]!));
  return { mean, variance, std, xhat };
}

/** Y = gamma * (X - mean) / sqrt(var + eps) + beta, column by column, with the biased batch variance. */
export function batchnormForward(X: Matrix, gamma: Vector, beta: Vector, eps = BATCHNORM_EPS): Matrix {
  requireBatch(X, gamma, eps);
  requireVector('beta', beta, gamma.length);
  const { xhat } = batchStatistics(X, eps);
  return xhat.map((row) => row.map((v, j) => gamma[j]! * v + beta[j]!));
}

/**
 * Returns [dX, dgamma, dbeta] for the upstream gradient dY of batchnormForward's output:
 * dbeta = sum_i dY_i, dgamma = sum_i dY_i * xhat_i, and
 * dX_i = gamma / (n std) * (n dY_i - dbeta - xhat_i dgamma),
 * where -dbeta is the path through the mean and -xhat_i dgamma the path through the variance.
 */
export function batchnormBackward(dY: Matrix, X: Matrix, gamma: Vector, eps = BATCHNORM_EPS): [Matrix, Vector, Vector] {
  requireBatch(X, gamma, eps);
  requireMatrix('dY', dY, X.length, gamma.length);
  const n = X.length;
  const { std, xhat } = batchStatistics(X, eps);
  const dbeta = gamma.map((_, j) => dY.reduce((s, row) => s + row[j]!, 0));
  const dgamma = gamma.map((_, j) => dY.reduce((s, row, i) => s + row[j]! * xhat[i]![j]!, 0));
  const dX = dY.map((row, i) =>
    row.map((g, j) => (gamma[j]! / (n * std[j]!)) * (n * g - dbeta[j]! - xhat[i]![j]! * dgamma[j]!)),
  );
  return [dX, dgamma, dbeta];
}
