// The optimizer references against updates worked out by hand (every expected value written out, never computed
// by the reference), and their argument errors by message. Found by Stryker (docs/mutation.md): seed 003's own
// weight-decay rule (SimpleGradientDescentPenaltyOverLr) could be emptied without any test failing, because the
// convention's suite compares it with itself; and every argument name of sgd.ts and adam.ts could be blanked.

import { describe, expect, it } from 'vitest';
import { ADAMOptimizer, SimpleGradientDescent, adamStep, adamTwoSteps, adamwStep, momentumStep, sgdStep } from '../../reference/index.ts';
import { SimpleGradientDescentPenaltyOverLr } from '../../reference/sgd.ts';

describe("seed 003's weight decay: p <- p - lr g - weight_decay p (the penalty weight_decay/(2 lr) ||p||^2)", () => {
  it('two steps on a vector and a matrix, in place', () => {
    const vector = [1, -2];
    const matrix = [[0.5], [4]];
    const sgd = new SimpleGradientDescentPenaltyOverLr([vector, matrix], 0.1, 0.01);
    sgd.step([[0.5, 0.5], [[1], [0]]]);
    // 1 - 0.05 - 0.01 = 0.94; -2 - 0.05 + 0.02 = -2.03; 0.5 - 0.1 - 0.005 = 0.395; 4 - 0 - 0.04 = 3.96
    expect(vector[0]).toBeCloseTo(0.94, 15);
    expect(vector[1]).toBeCloseTo(-2.03, 15);
    expect(matrix[0]![0]).toBeCloseTo(0.395, 15);
    expect(matrix[1]![0]).toBeCloseTo(3.96, 15);
    sgd.step([[0, 1], [[0], [0]]]);
    // 0.94 - 0.0094 = 0.9306; -2.03 - 0.1 + 0.0203 = -2.1097
    expect(vector[0]).toBeCloseTo(0.9306, 15);
    expect(vector[1]).toBeCloseTo(-2.1097, 15);
  });

  it("differs from torch's rule, p <- p - lr (g + weight_decay p), by the factor lr on the decay", () => {
    const [handout, torch] = [[1], [1]];
    new SimpleGradientDescentPenaltyOverLr([handout], 0.5, 0.1).step([[0]]);
    new SimpleGradientDescent([torch], 0.5, 0.1).step([[0]]);
    expect(handout[0]).toBeCloseTo(0.9, 15);
    expect(torch[0]).toBeCloseTo(0.95, 15);
  });
});

describe('the optimizer references name the argument that is wrong', () => {
  const v = [1, 2];
  it.each([
    ['sgd_step p', () => sgdStep('x' as never, v, 0.1), /^p must be a vector of numbers/],
    ['sgd_step g', () => sgdStep(v, [1], 0.1), /^g must have length 2, got 1/],
    ['sgd_step lr', () => sgdStep(v, v, -1), /^lr must be a non-negative finite number, got -1/],
    ['sgd_step lr NaN', () => sgdStep(v, v, NaN), /^lr must be a non-negative finite number, got NaN/],
    ['sgd_step lr infinite', () => sgdStep(v, v, Infinity), /^lr must be a non-negative finite number, got Infinity/],
    ['sgd_step lr not a number', () => sgdStep(v, v, '0.1' as never), /^lr must be a non-negative finite number/],
    ['sgd_step weight_decay', () => sgdStep(v, v, 0.1, -1), /^weight_decay must be a non-negative finite number/],
    ['momentum_step w', () => momentumStep('x' as never, v, v, 0.1, 0.9), /^w must be a vector of numbers/],
    ['momentum_step u', () => momentumStep(v, [1], v, 0.1, 0.9), /^u must have length 2/],
    ['momentum_step g', () => momentumStep(v, v, [1], 0.1, 0.9), /^g must have length 2/],
    ['momentum_step lr', () => momentumStep(v, v, v, -1, 0.9), /^lr must be a non-negative/],
    ['momentum_step mu', () => momentumStep(v, v, v, 0.1, -1), /^mu must be a non-negative/],
    ['SimpleGradientDescent params', () => new SimpleGradientDescent('x' as never), /^params must be a list of parameter arrays/],
    ['SimpleGradientDescent params[1]', () => new SimpleGradientDescent([[1], 'x' as never]), /^params\[1\] must be an array of numbers/],
    ['SimpleGradientDescent lr', () => new SimpleGradientDescent([v], -1), /^lr must be a non-negative/],
    ['SimpleGradientDescent weight_decay', () => new SimpleGradientDescent([v], 0.1, -1), /^weight_decay must be a non-negative/],
    ['adam_step w', () => adamStep('x' as never, v, v, v, 1, 0.1, 0.9, 0.999, 1e-8), /^w must be a vector of numbers/],
    ['adam_step m', () => adamStep(v, v, [0], v, 1, 0.1, 0.9, 0.999, 1e-8), /^m must have length 2/],
    ['adam_step v', () => adamStep(v, v, v, [0], 1, 0.1, 0.9, 0.999, 1e-8), /^v must have length 2/],
    ['adam_step beta2', () => adamStep(v, v, v, v, 1, 0.1, 0.9, 1, 1e-8), /^beta2 must be in \[0, 1\), got 1/],
    ['adam_step weight_decay', () => adamStep(v, v, v, v, 1, 0.1, 0.9, 0.999, 1e-8, -1), /^weight_decay must be a non-negative/],
    ['adamw_step eps', () => adamwStep(v, v, v, v, 1, 0.1, 0.9, 0.999, -1), /^eps must be a non-negative/],
    ['adam_two_steps alpha', () => adamTwoSteps(1, 1, 1, -1, 0.9, 0.999, 1e-8), /^alpha must be a non-negative/],
    ['adam_two_steps beta1', () => adamTwoSteps(1, 1, 1, 0.1, 1, 0.999, 1e-8), /^beta1 must be in \[0, 1\)/],
    ['adam_two_steps beta2', () => adamTwoSteps(1, 1, 1, 0.1, 0.9, -0.5, 1e-8), /^beta2 must be in \[0, 1\)/],
    ['adam_two_steps eps', () => adamTwoSteps(1, 1, 1, 0.1, 0.9, 0.999, -1), /^eps must be a non-negative/],
    ['ADAMOptimizer params', () => new ADAMOptimizer('x' as never), /^params must be a list of parameter arrays/],
    ['ADAMOptimizer params[0]', () => new ADAMOptimizer(['x' as never]), /^params\[0\] must be an array of numbers/],
    ['ADAMOptimizer lr', () => new ADAMOptimizer([v], -1), /^lr must be a non-negative/],
    ['ADAMOptimizer beta1', () => new ADAMOptimizer([v], 0.1, [1, 0.999]), /^beta1 must be in \[0, 1\)/],
    ['ADAMOptimizer beta2', () => new ADAMOptimizer([v], 0.1, [0.9, 1]), /^beta2 must be in \[0, 1\)/],
    ['ADAMOptimizer eps', () => new ADAMOptimizer([v], 0.1, [0.9, 0.999], -1), /^eps must be a non-negative/],
    ['ADAMOptimizer weight_decay', () => new ADAMOptimizer([v], 0.1, [0.9, 0.999], 1e-8, -1), /^weight_decay must be a non-negative/],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(message);
  });
});
