// Weight initialisation schemes (seed 000 Q5.1, seed 002 P4, seed 003 part 4) and the activation statistics
// of an MLP at initialisation (seed 000 Q5.2 and Q5.4, seed 003 tasks 4.1-4.5).
//
// A weight matrix is (fan_in, fan_out) and a layer computes a @ W (catalog part C). Draws come from
// src/rng.ts. Without an explicit rng, the draw is a fixed function of (shape, method): the same call gives the
// same matrix, so a failing call replays exactly (and a named-mistake variant, which draws the same way,
// reproduces a mistaken answer on replay).

import { affineRows } from '../src/numeric.ts';
import { Rng, hashSeed } from '../src/rng.ts';
import { meanAndStd } from '../src/stats.ts';
import { requireMatrix } from './validate.ts';

export const INIT_METHODS = ['zero', 'small_random', 'xavier', 'he', 'xavier_uniform', 'he_uniform', 'lecun', 'max_fan'] as const;
export type InitMethod = (typeof INIT_METHODS)[number];

/** The distribution every entry of the matrix is drawn from (independently). */
export type InitDistribution =
  | { readonly kind: 'zero' }
  | { readonly kind: 'normal'; readonly std: number; readonly formula: string }
  | { readonly kind: 'uniform'; readonly bound: number; readonly formula: string };

export function isInitMethod(method: unknown): method is InitMethod {
  return typeof method === 'string' && (INIT_METHODS as readonly string[]).includes(method);
}

/** [fan_in, fan_out] as positive integers, or an Error (ValueError in Python) saying what is wrong. */
export function requireShape(shape: unknown): [number, number] {
  if (!Array.isArray(shape) || shape.length !== 2) {
    throw new Error(`shape must be a pair (fan_in, fan_out), got ${JSON.stringify(shape)}`);
  }
  const [fanIn, fanOut] = shape as unknown[];
  if (!Number.isInteger(fanIn) || !Number.isInteger(fanOut) || (fanIn as number) < 1 || (fanOut as number) < 1) {
    throw new Error(`fan_in and fan_out must be positive integers, got ${JSON.stringify(shape)}`);
  }
  return [fanIn as number, fanOut as number];
}

/** The distribution `method` draws a (fan_in, fan_out) matrix from; throws on an unknown method or a bad shape. */
export function initDistribution(shape: readonly number[], method: string): InitDistribution {
  const [fanIn, fanOut] = requireShape(shape);
  if (!isInitMethod(method)) throw new Error(`unknown initialisation method ${JSON.stringify(method)}; expected one of ${INIT_METHODS.join(', ')}`);
  switch (method) {
    case 'zero':
      return { kind: 'zero' };
    case 'small_random':
      return { kind: 'normal', std: 0.01, formula: 'N(0, 0.01^2)' };
    case 'xavier':
      return { kind: 'normal', std: Math.sqrt(2 / (fanIn + fanOut)), formula: 'N(0, 2/(fan_in + fan_out))' };
    case 'he':
      return { kind: 'normal', std: Math.sqrt(2 / fanIn), formula: 'N(0, 2/fan_in)' };
    case 'xavier_uniform':
      return { kind: 'uniform', bound: Math.sqrt(6 / (fanIn + fanOut)), formula: 'U(-sqrt(6/(fan_in + fan_out)), +sqrt(6/(fan_in + fan_out)))' };
    case 'he_uniform':
      return { kind: 'uniform', bound: Math.sqrt(6 / fanIn), formula: 'U(-sqrt(6/fan_in), +sqrt(6/fan_in))' };
    case 'lecun':
      return { kind: 'normal', std: Math.sqrt(1 / fanIn), formula: 'N(0, 1/fan_in)' };
    case 'max_fan':
      return { kind: 'normal', std: Math.sqrt(1 / Math.max(fanIn, fanOut)), formula: 'N(0, 1/max(fan_in, fan_out))' };
  }
}

/** The variance of one entry under the distribution (0 for zero). */
export function distributionVariance(d: InitDistribution): number {
  return d.kind === 'zero' ? 0 : d.kind === 'normal' ? d.std ** 2 : d.bound ** 2 / 3;
}

/** The rng a call draws from when none is given: a fixed function of the call's arguments. */
export function callRng(shape: readonly number[], method: string): Rng {
  return new Rng(hashSeed('initialize_weights', ...shape, method));
}

/** A rows x cols matrix of independent draws from `d`, row by row. */
export function sampleMatrix(d: InitDistribution, rows: number, cols: number, rng: Rng): number[][] {
  const draw = (): number => (d.kind === 'zero' ? 0 : d.kind === 'normal' ? rng.normal(0, d.std) : rng.uniformIn(-d.bound, d.bound));
  return Array.from({ length: rows }, () => Array.from({ length: cols }, draw));
}

/**
 * initialize_weights(shape, method): a (fan_in, fan_out) matrix with independent entries from the method's
 * distribution (see initDistribution). Throws on an unknown method or a shape that is not a pair of positive
 * integers.
 */
export function initializeWeights(shape: readonly number[], method: string, rng?: Rng): number[][] {
  const d = initDistribution(shape, method);
  const [fanIn, fanOut] = shape as [number, number];
  return sampleMatrix(d, fanIn, fanOut, rng ?? callRng(shape, method));
}

// ---- activation statistics --------------------------------------------------------------------------------

export const ACTIVATIONS = ['tanh', 'relu', 'sigmoid', 'linear'] as const;
export type Activation = (typeof ACTIVATIONS)[number];

/** The hidden-layer activations, elementwise (shared with the trainer in reference/train.ts). */
export const activate: Readonly<Record<Activation, (z: number) => number>> = {
  tanh: Math.tanh,
  relu: (z) => (z > 0 ? z : 0),
  sigmoid: (z) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z))),
  linear: (z) => z,
};

/**
 * activation_stats(X, method, activation, widths, seed): forwards the batch X (n, d) through an MLP whose
 * layer sizes are d -> widths[0] -> widths[1] -> ..., every hidden layer h = activation(h_prev @ W) with bias 0
 * and W = initialize_weights((fan_in, fan_out), method). Returns one [mean, std] per hidden layer (widths.length
 * rows): the mean and standard deviation over all n * width entries of that layer's activations, std with
 * n*width - 1 in the denominator, as the seed's h.mean(), h.std() in PyTorch (seed 000 Q5.2). The output layer of
 * the seed's network (256 -> 10) is not a hidden layer and is not included.
 *
 * `seed` seeds the weights: the same call gives the same answer. A submission draws from its own RNG, so its
 * answer is graded against the distribution of this one over seeds, not against this one draw.
 */
export function activationStats(X: number[][], method: string, activation: string, widths: readonly number[], seed: number): number[][] {
  return layerStats(X, method, activation, widths, seed, 'activation');
}

/**
 * The forward pass of activationStats, recording each hidden layer after its activation (the catalog's answer) or
 * before it (a named mistake's answer), from the same weight draws.
 */
export function layerStats(
  X: number[][],
  method: string,
  activation: string,
  widths: readonly number[],
  seed: number,
  at: 'activation' | 'pre-activation',
): number[][] {
  requireMatrix('X', X);
  if (!(ACTIVATIONS as readonly string[]).includes(activation)) {
    throw new Error(`unknown activation ${JSON.stringify(activation)}; expected one of ${ACTIVATIONS.join(', ')}`);
  }
  if (!Array.isArray(widths) || widths.length === 0 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new Error(`widths must be a non-empty list of positive integers, got ${JSON.stringify(widths)}`);
  }
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  const f = activate[activation as Activation];
  const rng = new Rng(hashSeed('activation_stats', seed));
  const n = X.length;
  let fanIn = X[0]!.length;
  let h = Float64Array.from(X.flat());
  const stats: number[][] = [];
  for (const width of widths) {
    const W = Float64Array.from(initializeWeights([fanIn, width], method, rng).flat());
    const z = affineRows(h, n, fanIn, W, undefined, width);
    h = z.map(f);
    stats.push(meanAndStd(Array.from(at === 'activation' ? h : z)));
    fanIn = width;
  }
  return stats;
}
