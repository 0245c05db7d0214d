// The network references' argument errors, each by the argument it names, and the values Stryker's survivors on
// mytorch.ts, batchnorm.ts, residual.ts, flat-params.ts, param-count.ts and layer-stack.ts showed no test pinned,
// worked by hand:
// ReLU's derivative at exactly 0 (the handout's 1[x > 0]), the mean reduction over a batch of 2, the planted
// gradient_check bugs, the text's relative error over several parameters, eps = 0 for BatchNorm.

import { describe, expect, it } from 'vitest';
import { batchnormBackward, batchnormForward } from '../../reference/batchnorm.ts';
import { flatParamCount, flattenParams, loadFlatParams } from '../../reference/flat-params.ts';
import {
  gradientCheckError,
  linearBackward,
  linearForward,
  relativeError,
  reluBackward,
  sequentialBackward,
  sgdUpdate,
  softmaxCeGradient,
  softmaxCeLoss,
  staffGradients,
} from '../../reference/mytorch.ts';
import { parseStack } from '../../reference/layer-stack.ts';
import { mlpParamCount } from '../../reference/param-count.ts';
import { residualBackward, residualForward } from '../../reference/residual.ts';
import type { Matrix, Vector } from '../../src/numeric.ts';

const notAList = 'x' as unknown as number[];

describe('network references refuse bad arguments, naming the argument', () => {
  const W = [[1, 2]];
  it.each([
    ['linearForward W', () => linearForward([[1, 2], [3]], [0, 0], [[1, 2]]), /^W must be rectangular$/],
    ['linearForward b', () => linearForward(W, [1, 2], [[1, 2]]), /^b must have length 1, got 2$/],
    ['linearForward X', () => linearForward(W, [0], [[1]]), /^X must have 2 columns, got 1$/],
    ['linearBackward G', () => linearBackward(W, [0], [[1, 2]], [[1, 2]]), /^G must have 1 columns, got 2$/],
    ['sequentialBackward layers', () => sequentialBackward([], [], [[1]], [[1]]), /^one bias per weight matrix, at least one layer$/],
    ['sequentialBackward biases', () => sequentialBackward([W], [], [[1, 2]], [[1]]), /^one bias per weight matrix, at least one layer$/],
    ['sgdUpdate', () => sgdUpdate([[1]], [], 0.1), /^1 parameters but 0 gradients$/],
    ['softmaxCeLoss logits', () => softmaxCeLoss([], [[1]], 'sum'), /^logits must be a non-empty matrix$/],
    ['softmaxCeLoss Y', () => softmaxCeLoss([[0, 0]], [[1]], 'sum'), /^Y must have 2 columns, got 1$/],
    ['softmaxCeGradient Y', () => softmaxCeGradient([[0, 0]], [[1]], 'sum'), /^Y must have 2 columns, got 1$/],
    ['gradientCheckError bug', () => gradientCheckError([[1]], [0], [[1]], [0], [[1]], [[1]], 'nope'), /^unknown planted bug nope$/],
    ['batchnorm X', () => batchnormForward([], [1], [0]), /^X must be a non-empty matrix$/],
    ['batchnorm batch', () => batchnormForward([[1, 2]], [1, 1], [0, 0]), /^X must have at least 2 rows \(a batch\), got 1$/],
    ['batchnorm gamma', () => batchnormForward([[1, 2], [3, 4]], [1], [0, 0]), /^gamma must have length 2, got 1$/],
    ['batchnorm beta', () => batchnormForward([[1, 2], [3, 4]], [1, 1], [0]), /^beta must have length 2, got 1$/],
    ['batchnorm eps < 0', () => batchnormForward([[1, 2], [3, 4]], [1, 1], [0, 0], -1), /^eps must be a finite number >= 0, got -1$/],
    ['batchnorm eps infinite', () => batchnormForward([[1, 2], [3, 4]], [1, 1], [0, 0], Infinity), /^eps must be a finite number >= 0, got Infinity$/],
    ['batchnorm dY', () => batchnormBackward([[1, 1]], [[1, 2], [3, 4]], [1, 1]), /^dY must have 2 rows, got 1$/],
    ['residual x', () => residualForward([], [[1]], [0], [[1]], [0]), /^x must be a non-empty matrix$/],
    ['residual W1', () => residualForward([[1, 2]], [[1]], [0], [[1], [1]], [0, 0]), /^W1 must have 2 columns, got 1$/],
    ['residual b1', () => residualForward([[1]], [[1]], [0, 0], [[1]], [0]), /^b1 must have length 1, got 2$/],
    ['residual W2', () => residualForward([[1, 2]], [[1, 1]], [0], [[1]], [0, 0]), /^W2 must have 2 rows, got 1$/],
    ['residual b2', () => residualForward([[1, 2]], [[1, 1]], [0], [[1], [1]], [0]), /^b2 must have length 2, got 1$/],
    ['residual dy', () => residualBackward([[1], [1]], [[1]], [[1]], [0], [[1]], [0]), /^dy must have 1 rows, got 2$/],
    ['flatParamCount one width', () => flatParamCount([3]), /^sizes must list at least two positive integer widths, got \[3\]$/],
    ['flatParamCount a zero width among good ones', () => flatParamCount([3, 0, 2]), /^sizes must list at least two positive integer widths, got \[3,0,2\]$/],
    ['flatParamCount a fractional width', () => flatParamCount([3, 1.5]), /^sizes must list at least two positive integer widths, got \[3,1\.5\]$/],
    ['flatParamCount not a list', () => flatParamCount(notAList), /^sizes must list at least two positive integer widths, got "x"$/],
    ['flattenParams empty', () => flattenParams([], []), /^weights and biases must be lists of the same non-zero length$/],
    ['flattenParams biases not a list', () => flattenParams([W], notAList as unknown as Vector[]), /^weights and biases must be lists of the same non-zero length$/],
    ['flattenParams one bias short', () => flattenParams([W, [[1]]], [[0]]), /^weights and biases must be lists of the same non-zero length$/],
    ['flattenParams weights ragged', () => flattenParams([[[1, 2], [3]]], [[0, 0]]), /^weights\[0\] must be rectangular$/],
    ['flattenParams chain broken', () => flattenParams([W, [[1, 2]]], [[0], [0]]), /^weights\[1\] must have 1 columns, got 2$/],
    ['flattenParams bias length', () => flattenParams([W], [[0, 0]]), /^biases\[0\] must have length 1, got 2$/],
    ['loadFlatParams flat', () => loadFlatParams([2, 1], [1, 2]), /^flat must have length 3, got 2$/],
    ['mlpParamCount not numbers', () => mlpParamCount(notAList), /^widths must be a vector of numbers$/],
    ['mlpParamCount one width', () => mlpParamCount([3]), /^widths must list at least an input and an output width, got 1$/],
    ['mlpParamCount a zero width among good ones', () => mlpParamCount([3, 0, 2]), /^widths must be positive integers$/],
    ['mlpParamCount a fractional width', () => mlpParamCount([3, 1.5]), /^widths must be positive integers$/],
    ['parseStack an unknown layer', () => parseStack('Flatten, Linear, Softmax'), /^"Softmax" is not a layer the reference computes; it knows Flatten, Linear, ReLU, Tanh, Sigmoid$/],
    ['parseStack two unknown layers', () => parseStack('Linear, GELU(), Dropout'), /^"GELU", "Dropout" are not layers the reference computes; it knows Flatten, Linear, ReLU, Tanh, Sigmoid$/],
    ['parseStack no Linear', () => parseStack('Flatten, ReLU'), /^the stack has no Linear layer$/],
    ['parseStack () only at the end of a name', () => parseStack('Lin()ear'), /^"Lin\(\)ear" is not a layer/],
    ['parseStack a Flatten after a Linear', () => parseStack('Linear, Flatten, Linear'), /^Flatten comes before the first Linear \(the batch is flattened to rows once\)$/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(message);
  });

  it('valid calls among them answer: eps = 0, a chain of layers, the widths counted', () => {
    expect(batchnormForward([[1], [3]], [1], [0], 0)).toEqual([[-1], [1]]);
    expect(flattenParams([W, [[3]]], [[0], [4]])).toEqual([1, 2, 0, 3, 4]);
    expect(flatParamCount([2, 1])).toBe(3);
    expect(mlpParamCount([3, 2, 1])).toBe(11);
    expect(parseStack('Flatten, Linear(), ReLU( ),Linear')).toEqual(['Flatten', 'Linear', 'ReLU', 'Linear']);
    expect(parseStack('ReLU, Flatten, Linear')).toEqual(['ReLU', 'Flatten', 'Linear']);
  });
});

describe('mytorch worked by hand', () => {
  it("ReLU's backward at exactly 0 passes nothing, as the handout's 1[x > 0]", () => {
    expect(reluBackward([[0, -1, 2]], [[5, 5, 5]])).toEqual([[0, 0, 5]]);
  });

  it('the cross-entropy of two rows of equal logits: 2 ln 2 summed, ln 2 averaged', () => {
    const Y = [[1, 0], [0, 1]];
    expect(softmaxCeLoss([[0, 0], [0, 0]], Y, 'sum')).toBeCloseTo(2 * Math.LN2, 14);
    expect(softmaxCeLoss([[0, 0], [0, 0]], Y, 'mean')).toBeCloseTo(Math.LN2, 14);
  });

  it("gradient_check's planted bugs: the gradients negated, multiplied by the batch, dW1 transposed", () => {
    const params: (Matrix | Vector)[] = [[[0.5, -0.3], [0.2, 0.8]], [0.1, -0.1], [[1, -1], [0.4, 0.6]], [0, 0.2]];
    const X = [[1, 2], [-1, 0.5], [0.3, -2]];
    const Y = [[1, 0], [0, 1], [1, 0]];
    const none = staffGradients(params, X, Y, 'none');
    const scale = (g: Matrix | Vector, c: number) => (g as (number | number[])[]).map((v) => (Array.isArray(v) ? v.map((x) => x * c) : v * c));
    expect(staffGradients(params, X, Y, 'sign')).toEqual(none.map((g) => scale(g, -1)));
    expect(staffGradients(params, X, Y, 'scaled')).toEqual(none.map((g) => scale(g, 3)));
    const dW1 = none[0] as Matrix;
    expect(staffGradients(params, X, Y, 'transposed')).toEqual([[[dW1[0]![0], dW1[1]![0]], [dW1[0]![1], dW1[1]![1]]], ...none.slice(1)]);
  });

  it("the text's relative error: ||a - n|| / (||a|| + ||n||), the largest over the parameters", () => {
    expect(relativeError([[3, 4]], [[0, 0]])).toBe(1);
    expect(relativeError([[1, 1], [1, 0]], [[1, 1], [0, 0]])).toBe(1);
    expect(relativeError([[3, 4], [1, 1]], [[3, 4], [1, 0]])).toBeCloseTo(1 / (Math.SQRT2 + 1), 14);
    // Two zero gradients agree; gradients of different sizes never do.
    expect(relativeError([[0, 0]], [[0, 0]])).toBe(0);
    expect(relativeError([[1, 2]], [[1]])).toBe(Infinity);
  });
});

describe('the residual block at its kinks, worked by hand', () => {
  // d = h = 1: y = x + W2 relu(W1 relu(x) + b1) + b2.
  it('x = 0: the path through f passes nothing back to x (ReLU at 0), only the identity', () => {
    const [dx, , db1] = residualBackward([[1]], [[0]], [[1]], [1], [[1]], [0]);
    expect(dx).toEqual([[1]]);
    expect(db1).toEqual([1]);
  });

  it('z1 = 0 after the first Linear: no gradient reaches W1 and b1', () => {
    const [dx, dW1, db1] = residualBackward([[1]], [[1]], [[1]], [-1], [[1]], [0]);
    expect(dW1).toEqual([[0]]);
    expect(db1).toEqual([0]);
    expect(dx).toEqual([[1]]);
  });
});
