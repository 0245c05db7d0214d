// The reference functions no library computes for us, against values worked out by hand from the homework and
// from PyTorch's and NumPy's documentation (every expected value below is written out, never computed by the
// reference): bce with PyTorch's clamp of each log at -100, relu_grad with relu'(0) = 0, the boxes of seed 002
// problem 1, grad_mean_rms and ema_update of seed 003, np.argmax's ties in confidence_quadrants, feed_forward at
// logits far apart; and the argument errors, each naming the argument (a message is a student's only clue).

import { describe, expect, it } from 'vitest';
import { bce, boxFunction, boxSum, boxesNeeded, confidenceQuadrants, emaUpdate, feedForward, gradMeanRms, reluGrad } from '../../reference/index.ts';

/** Both sides are a handful of float64 roundings apart at most. */
const CLOSE = 1e-15;

describe('bce as torch.nn.BCELoss (mean reduction, each log clamped at -100)', () => {
  it.each([
    ['p = 1/2, y = 1: -log(1/2)', [0.5], [1], Math.LN2],
    ['p = y = 1: 0', [1], [1], 0],
    ['p = 0, y = 1: the clamp, -(-100)', [0], [1], 100],
    ['p = 1, y = 0: the clamp on log(1 - p)', [1], [0], 100],
    ['two samples: -(log(1 - 1/4) + log(3/4)) / 2 = -log(3/4)', [0.25, 0.75], [0, 1], -Math.log(0.75)],
    ['a soft target: -(0.3 log 0.9 + 0.7 log 0.1)', [0.9], [0.3], -(0.3 * Math.log(0.9) + 0.7 * Math.log(0.1))],
  ])('%s', (_, p, y, expected) => {
    expect(Math.abs(bce(p, y) - expected)).toBeLessThanOrEqual(CLOSE * Math.max(1, expected));
  });
});

describe("relu_grad as PyTorch's ReLU backward", () => {
  it('is 1 for x > 0 and 0 for x <= 0, 0 at the kink', () => {
    expect(reluGrad([-2, -1e-300, 0, 1e-300, 3, 1e3])).toEqual([0, 0, 0, 1, 1, 1]);
  });
});

describe('the boxes of seed 002 problem 1: h (step(x) - step(x - delta)), step(0) = 0', () => {
  it('box_function is 0 up to and at 0, h on (0, delta], 0 beyond', () => {
    expect(boxFunction([-1, 0, 0.5, 1, 1.5], 2, 1)).toEqual([0, 0, 2, 2, 0]);
    // A negative height times 0 is -0 (h * (step(x) - step(x - delta))); + 0 reads it as 0.
    expect(boxFunction([0.25, 0.5], -3, 0.25).map((v) => v + 0)).toEqual([-3, 0]);
  });

  it('box_sum adds the boxes (0, 1] of height 1 and (1, 2] of height 2', () => {
    expect(boxSum([0, 0.5, 1, 1.5, 2, 2.5], [1, 2], [0, 1], 1)).toEqual([0, 1, 1, 2, 2, 0]);
  });

  it('overlapping boxes add up', () => {
    expect(boxSum([0.75], [1, 2], [0, 0.5], 1)).toEqual([3]);
  });
});

describe('the boxes reject what is not a box, naming the argument', () => {
  it.each([
    ['n = 0', () => boxesNeeded(0, 2), /^n must be a positive integer, got 0$/],
    ['n not an integer', () => boxesNeeded(2.5, 2), /^n must be a positive integer, got 2\.5$/],
    ['d = 0', () => boxesNeeded(2, 0), /^d must be a positive integer, got 0$/],
    ['d not an integer', () => boxesNeeded(2, 1.5), /^d must be a positive integer, got 1\.5$/],
    ['a width of 0', () => boxFunction([1], 1, 0), /^delta must be a positive finite number, got 0$/],
    ['x not a vector', () => boxFunction(['1'] as unknown as number[], 1, 1), /^x must be a vector of numbers$/],
    ['box_sum: x not a vector', () => boxSum(['1'] as unknown as number[], [1], [0], 1), /^x must be a vector of numbers$/],
    ['box_sum: heights not a vector', () => boxSum([1], ['1'] as unknown as number[], [0], 1), /^heights must be a vector of numbers$/],
    ['box_sum: a start per height', () => boxSum([1], [1, 2], [0], 1), /^starts must have length 2, got 1$/],
    ['box_sum: a negative width', () => boxSum([1], [1], [0], -1), /^delta must be a positive finite number, got -1$/],
  ] as const)('%s', (_, call, message) => {
    expect(call).toThrow(message);
  });

  it('accepts n = 1 or d = 1: a single box', () => {
    expect(boxesNeeded(1, 5)).toBe(1);
    expect(boxesNeeded(7, 1)).toBe(7);
  });
});

describe('grad_mean_rms of seed 003 2.A/2.B: per-dimension mean and root mean square over the steps', () => {
  it('of two steps [1, -2] and [3, 4]: mean [2, 1], rms [sqrt(5), sqrt(10)]', () => {
    const [mean, rms] = gradMeanRms([
      [1, -2],
      [3, 4],
    ]);
    expect(mean).toEqual([2, 1]);
    expect(rms[0]).toBeCloseTo(Math.sqrt(5), 15);
    expect(rms[1]).toBeCloseTo(Math.sqrt(10), 15);
  });

  it('of negative gradients: a negative mean', () => {
    expect(gradMeanRms([[-1], [-3]])[0]).toEqual([-2]);
  });
});

describe('confidence_quadrants of seed 000 Q4.4: argmax takes the first maximal class (np.argmax), thresholds are strict', () => {
  it.each([
    ['a tie predicts class 0: correct for label 0, and low (0.5 < 0.6)', [[0.5, 0.5]], [0], [0, 1, 0, 0]],
    ['a tie predicts class 0: incorrect for label 1', [[0.5, 0.5]], [1], [0, 0, 0, 1]],
    ['confidence exactly hi = 0.9 is not high, nor low', [[0.9, 0.1]], [0], [0, 0, 0, 0]],
    ['confidence exactly lo = 0.6 is not low', [[0.4, 0.6]], [1], [0, 0, 0, 0]],
    ['one of each quadrant, all of label 0', [[0.95, 0.05], [0.55, 0.45], [0.02, 0.98], [0.45, 0.55]], [0, 0, 0, 0], [1, 1, 1, 1]],
  ])('%s', (_, probs, yTrue, expected) => {
    expect(confidenceQuadrants(probs, yTrue, 0.9, 0.6)).toEqual(expected);
  });
});

describe('feed_forward of seed 002 problem 4 at logits far apart (one layer: the logits are x @ W + b)', () => {
  it('logits [1000, 0]: probs [1, 0] (exp(-1000) underflows to 0), loss 0 for y = 0 and 1000 for y = 1', () => {
    const W = [[1000, 0]];
    expect(feedForward([W], [[0, 0]], [1], 0)).toEqual([0, [1, 0]]);
    expect(feedForward([W], [[0, 0]], [1], 1)).toEqual([1000, [1, 0]]);
  });
});

describe('ema_update of seed 003 task 2.2: scalars and vectors broadcast both ways; arguments named when wrong', () => {
  it('a scalar x_t with a vector ema_star_old: ema_star = beta old + (1 - beta) x, ema = ema_star / (1 - beta^t)', () => {
    // beta = 0.5, t = 1: ema_star = 0.5 [0, 2] + 0.5 * 2 = [1, 2], ema = ema_star / 0.5 = [2, 4].
    expect(emaUpdate(2, 0.5, 1, [0, 2])).toEqual([[2, 4], [1, 2]]);
  });

  it.each([
    ['x_t with a non-number entry', () => emaUpdate([1, '2'] as unknown as number[], 0.5, 1, 0), /^x_t must be a number or a vector of numbers$/],
    ['ema_star_old not a number', () => emaUpdate(1, 0.5, 1, '0' as unknown as number), /^ema_star_old must be a number or a vector of numbers$/],
    ['beta < 0', () => emaUpdate(1, -0.5, 1, 0), /^beta must be in \[0, 1\), got -0\.5$/],
    ['beta a string', () => emaUpdate(1, '0.5' as unknown as number, 1, 0), /^beta must be in \[0, 1\)/],
    ['t not an integer', () => emaUpdate(1, 0.5, 1.5, 0), /^t must be an integer >= 1 \(t is 1-based\), got 1\.5$/],
  ] as const)('%s throws', (_, call, message) => {
    expect(call).toThrow(message);
  });
});
