// The small references the data-handling problems stand on, against values worked by hand and their argument
// errors by message: the shared validation (reference/validate.ts), torch's DataLoader walk (loader.ts), seed
// 004's FashionMNIST loaders (fashion-mnist.ts) and reconstructions figure (reconstructions.ts), and seed 003's
// loss bowl on a bowl of our own (loss-bowl.ts; the handout's is proven against PyTorch in loss-bowl.spec.ts).
// Found by Stryker (docs/mutation.md): the suites only ever hand these valid arguments. Each bad argument sits
// among good ones, so a check that looks at the first entry only, or asks that every entry be bad, is caught too.

import { describe, expect, it } from 'vitest';
import { fashionMnistBatches, fashionMnistDatasets, fashionMnistPixels } from '../../reference/fashion-mnist.ts';
import { batchRows, batchesOf, exampleMean } from '../../reference/loader.ts';
import { bowlGradient, bowlSgdGradients } from '../../reference/loss-bowl.ts';
import { asSquare, reconstruct, reconstructionImages, reconstructionPlaces } from '../../reference/reconstructions.ts';
import { requireMatrix, requirePositive, requireVector } from '../../reference/validate.ts';

describe('argument validation (validate.ts)', () => {
  it.each([
    ['a string among numbers', () => requireVector('v', [1, 'a', 3] as unknown as number[]), /^v must be a vector of numbers$/],
    ['a number for a vector', () => requireVector('v', 3 as unknown as number[]), /^v must be a vector of numbers$/],
    ['a vector of the wrong length', () => requireVector('v', [1, 2], 3), /^v must have length 3, got 2$/],
    ['an empty matrix', () => requireMatrix('m', []), /^m must be a non-empty matrix$/],
    ['a vector for a matrix', () => requireMatrix('m', [1, 2] as unknown as number[][]), /^m must be a non-empty matrix$/],
    ['an object indexed like a matrix', () => requireMatrix('m', { 0: [1, 2] } as unknown as number[][]), /^m must be a non-empty matrix$/],
    ['a ragged matrix', () => requireMatrix('m', [[1, 2], [3, 4], [5]]), /^m must be rectangular$/],
    ['a number among rows', () => requireMatrix('m', [[1, 2], 3] as unknown as number[][]), /^m must be rectangular$/],
    ['too few rows', () => requireMatrix('m', [[1, 2]], 2), /^m must have 2 rows, got 1$/],
    ['too few columns', () => requireMatrix('m', [[1, 2]], 1, 3), /^m must have 3 columns, got 2$/],
    ['0 for a positive number', () => requirePositive('x', 0), /^x must be a positive finite number, got 0$/],
    ['a negative number', () => requirePositive('x', -2), /^x must be a positive finite number, got -2$/],
    ['an infinite number', () => requirePositive('x', Infinity), /^x must be a positive finite number, got Infinity$/],
    ['NaN', () => requirePositive('x', NaN), /^x must be a positive finite number, got NaN$/],
  ])('refuses %s', (_case, call, message) => {
    expect(call).toThrow(message);
  });

  it('accepts what is asked for', () => {
    expect(() => requireVector('v', [1, 2, 3], 3)).not.toThrow();
    expect(() => requireVector('v', [])).not.toThrow();
    expect(() => requireMatrix('m', [[1, 2], [3, 4]], 2, 2)).not.toThrow();
    expect(() => requirePositive('x', 1e-300)).not.toThrow();
  });
});

describe("torch's DataLoader walk, shuffle=False (loader.ts)", () => {
  it('batches of batch_size consecutive rows, the last one smaller', () => {
    expect(batchesOf(5, 2)).toEqual([[0, 2], [2, 4], [4, 5]]);
    expect(batchesOf(4, 2)).toEqual([[0, 2], [2, 4]]);
    expect(batchesOf(3, 5)).toEqual([[0, 3]]);
    expect(batchesOf(0, 3)).toEqual([]);
    expect(batchesOf(2, 1)).toEqual([[0, 1], [1, 2]]);
    expect(batchRows(['a', 'b', 'c'], 2)).toEqual([['a', 'b'], ['c']]);
  });

  it.each([0, -1, 1.5])('refuses batch_size %s', (batchSize) => {
    expect(() => batchesOf(4, batchSize)).toThrow(new RegExp(`^batch_size must be a positive integer, got ${batchSize}$`));
  });

  it("averages over the examples, not over the batches: batch means 1 (of 3 examples) and 4 (of 1) give 7/4, not 5/2", () => {
    expect(exampleMean([{ value: 1, size: 3 }, { value: 4, size: 1 }])).toBe(1.75);
  });
});

describe("seed 004 P4 T1's FashionMNIST loaders (fashion-mnist.ts)", () => {
  it("the handout's sizes: 60,000 and 10,000 images of 1 x 28 x 28, the train loader's split first", () => {
    expect(fashionMnistDatasets(128)).toEqual([60_000, 10_000, 1, 0]);
    // ceil(60000 / 128) = 469 batches, ceil(10000 / 128) = 79.
    expect(fashionMnistBatches(128)).toEqual([[128, 1, 28, 28, 469], [128, 1, 28, 28, 79]]);
    // A batch larger than the test set: one batch of all 10,000.
    expect(fashionMnistBatches(20_000)).toEqual([[20_000, 1, 28, 28, 3], [10_000, 1, 28, 28, 1]]);
    expect(fashionMnistPixels(64)).toEqual([[1, 0, 1], [1, 0, 1]]);
    // batch_size 1 is a batch size too.
    expect(fashionMnistBatches(1)).toEqual([[1, 1, 28, 28, 60_000], [1, 1, 28, 28, 10_000]]);
  });

  it.each([
    ['datasets', fashionMnistDatasets],
    ['batches', fashionMnistBatches],
    ['pixels', fashionMnistPixels],
  ] as const)('%s: refuses a batch_size that is not a positive integer', (_name, fn) => {
    expect(() => fn(0)).toThrow(/^batch_size must be a positive integer, got 0$/);
    expect(() => fn(2.5)).toThrow(/^batch_size must be a positive integer, got 2\.5$/);
  });
});

describe("seed 004 P4 T4's reconstructions figure (reconstructions.ts)", () => {
  // A 4-pixel (2 x 2) image through a code of width 1: code = W1 x + b1 = 2 for the first image, 0 for the second.
  const W1 = [[1, 0, 0, 0]];
  const b1 = [0];
  const W2 = [[1], [0], [-1], [2]];
  const b2 = [0, 0, 0, 0];
  const images = [[2, 5, 5, 5], [0, 1, 1, 1], [9, 9, 9, 9]];
  const sigmoid = { '2': 0.8807970779778823, '-2': 0.11920292202211755, '4': 0.9820137900379085 };

  it('reconstructs sigmoid(W2 (W1 x + b1) + b2)', () => {
    const got = reconstruct(W1, b1, W2, b2, images[0]!);
    [sigmoid['2'], 0.5, sigmoid['-2'], sigmoid['4']].forEach((want, i) => expect(got[i]).toBeCloseTo(want, 15));
  });

  it('shows the first two images on the top row and their reconstructions below, as 2 x 2 images', () => {
    const shown = reconstructionImages(W1, b1, W2, b2, images, 3);
    expect(shown.slice(0, 2)).toEqual([[[2, 5], [5, 5]], [[0, 1], [1, 1]]]);
    expect(shown[3]).toEqual([[0.5, 0.5], [0.5, 0.5]]);
    expect(shown[2]![1]![1]).toBeCloseTo(sigmoid['4'], 15);
    expect(reconstructionPlaces(W1, b1, W2, b2, images, 3)).toEqual([[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1]]);
  });

  it.each([
    ['an image that is not square', () => asSquare([1, 2, 3]), /^an image of 3 pixels is not square$/],
    ['a batch of 1', () => reconstructionImages(W1, b1, W2, b2, images, 1), /^batch_size must be an integer of at least 2, got 1$/],
    ['a batch of 2.5', () => reconstructionPlaces(W1, b1, W2, b2, images, 2.5), /^batch_size must be an integer of at least 2, got 2\.5$/],
    ['a loader of no images', () => reconstructionImages(W1, b1, W2, b2, [], 2), /^images must be a non-empty matrix$/],
    ['a loader of one image', () => reconstructionImages(W1, b1, W2, b2, [images[0]!], 2), /^the loader must hold at least 2 images$/],
    ['an image of the wrong size', () => reconstruct(W1, b1, W2, b2, [1, 2, 3]), /^x must have length 4, got 3$/],
  ])('refuses %s', (_case, call, message) => {
    expect(call).toThrow(message);
  });
});

describe("seed 003's loss bowl on a bowl of our own (loss-bowl.ts)", () => {
  it('on the identity bowl ||x||, the gradient is x / ||x|| and plain SGD records it before each step', () => {
    const identity = [[1, 0], [0, 1]];
    expect(bowlGradient([3, 4], identity)).toEqual([0.6, 0.8]);
    // x = [3, 4] -> [3, 4] - 0.5 [0.6, 0.8] = [2.7, 3.6], whose direction is the same: the same gradient again.
    const grads = bowlSgdGradients([3, 4], 0.5, 2, identity);
    expect(grads).toHaveLength(2);
    grads.flat().forEach((g, i) => expect(g).toBeCloseTo([0.6, 0.8][i % 2]!, 15));
  });

  it('on a diagonal bowl, B^T B x / ||B x||', () => {
    // B = diag(2, 1), x = [1, 2]: B x = [2, 2], ||B x|| = 2 sqrt 2, B^T B x = [4, 2].
    const g = bowlGradient([1, 2], [[2, 0], [0, 1]]);
    expect(g[0]).toBeCloseTo(4 / (2 * Math.SQRT2), 15);
    expect(g[1]).toBeCloseTo(2 / (2 * Math.SQRT2), 15);
  });
});
