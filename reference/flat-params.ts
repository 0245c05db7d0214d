// A model's parameters as one flat vector and back (seed 004, P2.1's extract_model_params and
// load_params_into_model, used by P3 to walk the loss surface): the order of model.parameters(), each tensor
// flattened row-major. For the MLP of build_mlp, Linear(s0, s1), ReLU, Linear(s1, s2), ..., that is W1 (s1, s0)
// row by row, b1, W2 (s2, s1), b2, ...

import type { Matrix, Vector } from '../src/numeric.ts';
import { requireMatrix, requireVector } from './validate.ts';

/** The layer widths [s0, s1, ..., sL] as integers (at least one layer). */
export function requireSizes(sizes: readonly number[]): void {
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new Error(`sizes must list at least two positive integer widths, got ${JSON.stringify(sizes)}`);
  }
}

/** The number of parameters of Linear(s0, s1), ..., Linear(s_{L-1}, sL). */
export function flatParamCount(sizes: readonly number[]): number {
  requireSizes(sizes);
  return sizes.slice(1).reduce((s, out, l) => s + out * sizes[l]! + out, 0);
}

/** extract_model_params: [W1 row by row, b1, W2 row by row, b2, ...]. */
export function flattenParams(weights: readonly Matrix[], biases: readonly Vector[]): Vector {
  if (!Array.isArray(weights) || weights.length === 0 || !Array.isArray(biases) || biases.length !== weights.length) {
    throw new Error('weights and biases must be lists of the same non-zero length');
  }
  weights.forEach((W, l) => {
    requireMatrix(`weights[${l}]`, W, undefined, l === 0 ? undefined : weights[l - 1]!.length);
    requireVector(`biases[${l}]`, biases[l]!, W.length);
  });
  return weights.flatMap((W, l) => [...W.flat(), ...biases[l]!]);
}

/** load_params_into_model: the parameters [W1, b1, W2, b2, ...] of the MLP of `sizes` that hold `flat`. */
export function loadFlatParams(sizes: readonly number[], flat: Vector): (Matrix | Vector)[] {
  requireVector('flat', flat, flatParamCount(sizes));
  let next = 0;
  const take = (n: number) => flat.slice(next, (next += n));
  return sizes.slice(1).flatMap((out, l) => {
    const W = Array.from({ length: out }, () => take(sizes[l]!));
    return [W, take(out)];
  });
}
