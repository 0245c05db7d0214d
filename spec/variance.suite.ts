// variance-rules (seed 002 problem 2, seed 004 problem 1): the closed forms behind Xavier and He, graded
// against the reference. spec/variance.spec.ts proves the reference's rules by Monte Carlo.

import fc from 'fast-check';
import { finite, logUniform } from '../src/arbitraries.ts';
import { matchesOracle } from '../src/laws.ts';
import type { Problem } from '../src/problem.ts';
import { CLOSED_FORM, tolerance } from '../src/tolerance.ts';
import { backwardGradVariance, linearOutputVariance, productVariance, reluSecondMoment, uniformVariance } from '../reference/variance.ts';
import { varianceRulesMistakes } from './variance.mistakes.ts';

export const VARIANCE_TOLERANCES = {
  /**
   * Products and sums of at most 4 non-negative terms: float64 rounding is relative (a few ulps), and the answers
   * go down to 1e-8, below the catalog default's atol of 1e-9, so the tolerance is relative only.
   */
  value: tolerance(CLOSED_FORM.rtol, 0, 'products and sums of non-negative terms: relative rounding only'),
} as const;

const count = fc.integer({ min: 1, max: 4096 });
const variance = logUniform(1e-2, 1e2);

export const varianceRules: Problem = {
  id: 'variance-rules',
  title: 'Variance rules of initialisation (forward, backward, ReLU, products, uniform)',
  source: 'seed 002 problem 2, seed 004 problem 1',
  signatures: [
    'linear_output_variance(n_in, sigma2, v2)',
    'backward_grad_variance(n_out, sigma2, g2)',
    'relu_second_moment(var_z)',
    'product_variance(mean_a, var_a, mean_b, var_b)',
    'uniform_variance(a)',
  ],
  checks: [
    matchesOracle({
      id: 'linear-output-variance',
      title: 'linear_output_variance(n_in, sigma2, v2) = n_in sigma2 v2 (Var of sum_i w_i x_i, zero-mean w and x)',
      arbitrary: fc.tuple(count, variance, variance),
      fn: 'linear_output_variance',
      args: ([n, s, v]) => [n, s, v],
      oracle: ([n, s, v]) => linearOutputVariance(n, s, v),
      tolerance: VARIANCE_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'backward-grad-variance',
      title: 'backward_grad_variance(n_out, sigma2, g2) = n_out sigma2 g2 (Var of dL/dx_i = sum_j w_ij dL/da_j)',
      arbitrary: fc.tuple(count, variance, variance),
      fn: 'backward_grad_variance',
      args: ([n, s, g]) => [n, s, g],
      oracle: ([n, s, g]) => backwardGradVariance(n, s, g),
      tolerance: VARIANCE_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'relu-second-moment',
      title: 'relu_second_moment(var_z) = var_z / 2 (E[ReLU(z)^2] for z symmetric about 0)',
      arbitrary: variance,
      fn: 'relu_second_moment',
      args: (v) => [v],
      oracle: (v) => reluSecondMoment(v),
      tolerance: VARIANCE_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'product-variance',
      title: 'product_variance(mean_a, var_a, mean_b, var_b) = var_a var_b + var_a mean_b^2 + var_b mean_a^2',
      arbitrary: fc.tuple(finite(5), variance, finite(5), variance),
      fn: 'product_variance',
      args: (x) => [...x],
      oracle: ([ma, va, mb, vb]) => productVariance(ma, va, mb, vb),
      tolerance: VARIANCE_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'uniform-variance',
      title: 'uniform_variance(a) = a^2 / 3 (the variance of U(-a, a))',
      arbitrary: logUniform(1e-3, 1e2),
      fn: 'uniform_variance',
      args: (a) => [a],
      oracle: (a) => uniformVariance(a),
      tolerance: VARIANCE_TOLERANCES.value,
    }),
  ],
  mistakes: varianceRulesMistakes,
};
