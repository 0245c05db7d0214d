// Elementwise activations and their derivatives (seed 002, problem 4), stable for |x| up to 1e3 and beyond.

import { type Vector } from '../src/numeric.ts';
import { requireVector } from './validate.ts';

function sigmoidScalar(x: number): number {
  // Never exponentiate a positive number: exp(-|x|) is in (0, 1], so neither branch overflows.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function sigmoid(x: Vector): Vector {
  requireVector('x', x);
  return x.map(sigmoidScalar);
}

/** sigma'(x) = sigma(x) (1 - sigma(x)), written sigma(x) sigma(-x) so neither tail cancels to 0. */
export function sigmoidGrad(x: Vector): Vector {
  requireVector('x', x);
  return x.map((xi) => sigmoidScalar(xi) * sigmoidScalar(-xi));
}

/** tanh'(x) = 1 - tanh(x)^2. */
export function tanhGrad(x: Vector): Vector {
  requireVector('x', x);
  return x.map((xi) => 1 - Math.tanh(xi) ** 2);
}

/** 1 for x > 0, else 0: at the kink x = 0 the derivative is 0, as PyTorch defines it. */
export function reluGrad(x: Vector): Vector {
  requireVector('x', x);
  return x.map((xi) => (xi > 0 ? 1 : 0));
}
