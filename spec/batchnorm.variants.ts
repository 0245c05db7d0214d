// The named mistakes' implementations of batchnorm as functions: used by its named mistakes
// (spec/batchnorm.mistakes.ts) and, against torch and tfjs, by spec/oracles/pytorch-batchnorm.spec.ts and
// spec/oracles/tfjs-networks.spec.ts.

import type { Matrix, Vector } from '../src/numeric.ts';
import { batchStatistics, batchnormBackward } from '../reference/batchnorm.ts';

/** dX from the reference's dgamma, dbeta with one path left out (the student's derivation). */
export function backwardWithout(path: 'mean' | 'variance') {
  return (dY: Matrix, X: Matrix, gamma: Vector, eps = 1e-5): [Matrix, Vector, Vector] => {
    const [, dgamma, dbeta] = batchnormBackward(dY, X, gamma, eps);
    const { std: s, xhat } = batchStatistics(X, eps);
    const n = X.length;
    const dX = dY.map((row, i) =>
      row.map((g, j) => (gamma[j]! / (n * s[j]!)) * (n * g - (path === 'mean' ? 0 : dbeta[j]!) - (path === 'variance' ? 0 : xhat[i]![j]! * dgamma[j]!))),
    );
    return [dX, dgamma, dbeta];
  };
}

/** The forward pass normalised with the unbiased variance (divided by n - 1). */
export function forwardUnbiased(X: Matrix, gamma: Vector, beta: Vector, eps = 1e-5): Matrix {
  const n = X.length;
  const { mean, variance } = batchStatistics(X, eps);
  return X.map((row) => row.map((x, j) => (gamma[j]! * (x - mean[j]!)) / Math.sqrt((variance[j]! * n) / (n - 1) + eps) + beta[j]!));
}

/** The forward pass divided by sqrt(var) + eps. */
export function forwardEpsOutsideSqrt(X: Matrix, gamma: Vector, beta: Vector, eps = 1e-5): Matrix {
  const { mean, variance } = batchStatistics(X, eps);
  return X.map((row) => row.map((x, j) => (gamma[j]! * (x - mean[j]!)) / (Math.sqrt(variance[j]!) + eps) + beta[j]!));
}
