// The loss and MLP references name the argument that is wrong, at the edges of what they accept (a label equal to
// the number of classes, a class index equal to the output width, an empty vector). Found by Stryker
// (docs/mutation.md): every validation of losses.ts and mlp.ts could be emptied without a test failing.

import { describe, expect, it } from 'vitest';
import { backprop, bce, bceGrad, crossEntropy, feedForward, feedForwardSample, mse, mseGrad, trainOneSample } from '../../reference/index.ts';

const W = [[1, 0], [0, 1], [1, 1]]; // (3, 2): 3 inputs, 2 classes
const b = [0, 0];
const x = [0.1, 0.2, 0.3];

describe('the loss references', () => {
  it.each([
    ['mse p', () => mse('x' as never, [1]), /^p must be a vector of numbers/],
    ['mse_grad y', () => mseGrad([1, 2], [1]), /^y must have length 2, got 1/],
    ['bce empty', () => bce([], []), /^p must not be empty/],
    ['bce_grad y', () => bceGrad([0.5], ['a' as never]), /^y must be a vector of numbers/],
    ['cross_entropy logits', () => crossEntropy([[1, 2]], [0, 1]), /^logits must have 2 rows, got 1/],
    ['cross_entropy label = k', () => crossEntropy([[1, 2]], [2]), /^labels must be integers in \[0, 2\)/],
    ['cross_entropy label -1', () => crossEntropy([[1, 2]], [-1]), /^labels must be integers in \[0, 2\)/],
    ['cross_entropy label 0.5', () => crossEntropy([[1, 2]], [0.5]), /^labels must be integers in \[0, 2\)/],
    ['cross_entropy one bad label among good ones', () => crossEntropy([[1, 2], [1, 2]], [0, 2]), /^labels must be integers in \[0, 2\)/],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(message);
  });

  it('accepts the largest label, k - 1, and a one-element pair', () => {
    expect(crossEntropy([[0, 0]], [1])).toBeCloseTo(Math.LN2, 15);
    expect(mse([1], [3])).toBe(4);
  });
});

describe('the MLP references', () => {
  it.each([
    ['weights empty', () => feedForward([], [], x, 0), /^weights must be a non-empty list of matrices/],
    ['weights not a list', () => feedForward('w' as never, [], x, 0), /^weights must be a non-empty list of matrices/],
    ['biases count', () => backprop([W], [], x, 0), /^biases must be a list of 1 vectors, one per weight matrix/],
    ['biases not a list', () => backprop([W], 'b' as never, x, 0), /^biases must be a list of 1 vectors/],
    ['x', () => feedForward([W], [b], 'x' as never, 0), /^x must be a vector of numbers/],
    ['weights[1] rows', () => feedForward([W, W], [b, b], x, 0), /^weights\[1\] must have 2 rows, got 3/],
    ['biases[0] length', () => feedForward([W], [[0]], x, 0), /^biases\[0\] must have length 2, got 1/],
    ['y = width', () => feedForward([W], [b], x, 2), /^y must be a class index in \[0, 2\), got 2/],
    ['y = -1', () => backprop([W], [b], x, -1), /^y must be a class index in \[0, 2\), got -1/],
    ['y = 0.5', () => backprop([W], [b], x, 0.5), /^y must be a class index in \[0, 2\), got 0.5/],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(message);
  });

  it('accepts the largest class index, width - 1', () => {
    const [loss] = feedForward([W], [b], x, 1);
    expect(loss).toBeGreaterThan(0);
  });
});

describe("seed 002's sample functions", () => {
  it('the guess is the first of tied logits, as np.argmax takes it', () => {
    // Zero weights: every logit is its bias; classes 1 and 2 tie for the largest.
    const zero = [[0, 0, 0], [0, 0, 0]];
    expect(feedForwardSample([zero], [[0, 5, 5]], [1, 1], 0)[1]).toEqual([0, 1, 0]);
  });

  it('names a learning rate that is not a finite number', () => {
    expect(() => trainOneSample([W], [b], x, 0, Number.NaN)).toThrow(/^learning_rate must be a finite number, got NaN/);
  });
});
