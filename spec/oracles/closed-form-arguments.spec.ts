// The closed forms' argument errors, each by the argument it names (Stryker's survivors on activations.ts,
// affine-ls.ts, softmax.ts and variance.ts: blanked names in the messages passed every test that only expected
// some error), with a valid call beside them; and 0, which "non-negative" admits.

import { describe, expect, it } from 'vitest';
import { reluGrad, sigmoid, sigmoidGrad, tanhGrad } from '../../reference/activations.ts';
import { affineResidual } from '../../reference/affine-ls.ts';
import { softmax, softmaxJacobian } from '../../reference/softmax.ts';
import { backwardGradVariance, linearOutputVariance, productVariance, uniformVariance } from '../../reference/variance.ts';

const bad = ['not a vector'] as unknown as number[];

describe('closed forms refuse bad arguments, naming the argument', () => {
  it.each([
    ['sigmoid', () => sigmoid(bad), /^x must be a vector of numbers$/],
    ['sigmoidGrad', () => sigmoidGrad(bad), /^x must be a vector of numbers$/],
    ['tanhGrad', () => tanhGrad(bad), /^x must be a vector of numbers$/],
    ['reluGrad', () => reluGrad(bad), /^x must be a vector of numbers$/],
    ['affineResidual A', () => affineResidual([], [0], [0], [0]), /^A must be a non-empty matrix$/],
    ['affineResidual x', () => affineResidual([[1, 2]], [0], [0], [0]), /^x must have length 2, got 1$/],
    ['affineResidual b', () => affineResidual([[1]], [0, 0], [0], [0]), /^b must have length 1, got 2$/],
    ['affineResidual t', () => affineResidual([[1]], [0], [0], [0, 0]), /^t must have length 1, got 2$/],
    ['softmax z', () => softmax(bad), /^z must be a vector of numbers$/],
    ['softmaxJacobian tau', () => softmaxJacobian([1, 2], 0), /^tau must be a positive finite number, got 0$/],
    ['linearOutputVariance sigma2', () => linearOutputVariance(2, -1, 1), /^sigma2 must be a non-negative finite number, got -1$/],
    ['linearOutputVariance v2', () => linearOutputVariance(2, 1, -1), /^v2 must be a non-negative finite number, got -1$/],
    ['backwardGradVariance n_out', () => backwardGradVariance(0, 1, 1), /^n_out must be a positive integer, got 0$/],
    ['backwardGradVariance g2', () => backwardGradVariance(2, 1, -1), /^g2 must be a non-negative finite number, got -1$/],
    ['productVariance mean_b', () => productVariance(0, 1, Infinity, 1), /^mean_b must be finite, got Infinity$/],
    ['productVariance var_a', () => productVariance(0, -1, 0, 1), /^var_a must be a non-negative finite number, got -1$/],
    ['productVariance var_b', () => productVariance(0, 1, 0, -1), /^var_b must be a non-negative finite number, got -1$/],
    ['uniformVariance a', () => uniformVariance(0), /^a must be a positive finite number, got 0$/],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(message);
  });

  it('valid calls among them answer; a variance of 0 is non-negative', () => {
    expect(sigmoid([0])).toEqual([0.5]);
    expect(affineResidual([[2]], [1], [3], [4])).toEqual([3]);
    expect(softmax([0, 0])).toEqual([0.5, 0.5]);
    expect(linearOutputVariance(3, 0, 1)).toBe(0);
    expect(productVariance(0, 0, 5, 0)).toBe(0);
  });
});
