// The batchnorm reference agrees with PyTorch: golden float64 values of torch.nn.BatchNorm1d in training
// mode (forward Y, and dX, dgamma, dbeta by autograd from an upstream gradient dY), written by the committed
// generator fixtures/golden/generate_batchnorm.py (Debian's python3-torch 1.13) into
// fixtures/golden/batchnorm.json, by regime: small, medium, two rows, columns far from 0, variance below eps,
// constant columns, large eps, wide range. Every case is compared, and the same comparison is run on the
// catalog's wrong implementations (and on the reference off by a relative 1e-3) to show it rejects them.
//
// Tolerance. Both sides are float64; they differ only in the order of operations. The errors that survive
// are cancellations, so each is bounded relative to the terms that cancel, not to the result:
//   Y:  x - mean cancels: absolute error a few eps64 * |x| / std, times |gamma|, so
//       scale_Y = max_j |gamma_j| max_i |X_ij| / std_j (+ |beta_j|);
//   dX: n dY - sum(dY) - xhat sum(dY xhat) cancels (to ~0 for two rows): terms up to n max|dY| (1 + max|xhat|^2),
//       times |gamma_j| / (n std_j), so scale_dX = max_j |gamma_j| / std_j * max|dY| * (1 + n);
//   dgamma, dbeta: sums of n terms |dY xhat| and |dY|: scale = n max|dY| max(1, |xhat|).
// Each entry must agree within rtol 1e-9 plus atol 1e-12 * scale: measured, the reference uses at most 1e-4
// of that allowance (the largest raw error, 3e-12 of max|Y|, is on columns centred at 1e4 with std 1e-2).

import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Matrix, Vector } from '../../src/numeric.ts';
import { type NumericTree, type Tolerance, compare, tolerance } from '../../src/tolerance.ts';
import { batchStatistics, batchnormBackward, batchnormForward } from '../../reference/batchnorm.ts';
import { backwardWithout, forwardEpsOutsideSqrt, forwardUnbiased } from '../batchnorm.variants.ts';
import { type Oracle, describeOracle, maxAbs, wrong } from './oracle.ts';

const GOLDEN = path.join(import.meta.dirname, '..', '..', 'fixtures', 'golden', 'batchnorm.json');

interface GoldenCase {
  readonly id: string;
  readonly regime: string;
  /** The module as constructed, e.g. "torch.nn.BatchNorm1d(3, eps=1e-05, dtype=torch.float64).train()". */
  readonly call: string;
  readonly X: Matrix;
  readonly gamma: Vector;
  readonly beta: Vector;
  readonly eps: number;
  readonly dY: Matrix;
  readonly Y: Matrix;
  readonly dX: Matrix;
  readonly dgamma: Vector;
  readonly dbeta: Vector;
}

interface Golden {
  readonly generator: string;
  readonly torch: string;
  readonly dtype: string;
  readonly cases: GoldenCase[];
}

const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;
const cases = golden.cases;

const RTOL = 1e-9;
const ATOL_SCALE = 1e-12;

function forwardScale({ X, gamma, beta, eps }: GoldenCase): number {
  const { std } = batchStatistics(X, eps);
  return Math.max(...gamma.map((g, j) => (Math.abs(g) * Math.max(...X.map((row) => Math.abs(row[j]!)))) / std[j]! + Math.abs(beta[j]!)));
}

function backwardScale({ X, gamma, eps, dY }: GoldenCase): number {
  const n = X.length;
  const { std, xhat } = batchStatistics(X, eps);
  const dYmax = maxAbs(dY);
  const dXscale = Math.max(...gamma.map((g, j) => Math.abs(g) / std[j]!)) * dYmax * (1 + n);
  return Math.max(dXscale, n * dYmax * Math.max(1, maxAbs(xhat)));
}

const goldenTolerance = (scale: number, what: string): Tolerance => tolerance(RTOL, ATOL_SCALE * scale, `float64 against float64; atol = 1e-12 * ${what}`);

const forwardOracle: Oracle<GoldenCase> = {
  name: 'torch.nn.BatchNorm1d(d, eps).train()(X)',
  inputs: fc.constantFrom(...cases),
  compute: (c) => c.Y,
  tolerance: (c) => goldenTolerance(forwardScale(c), 'max_j |gamma_j| max|X_j| / std_j + |beta_j|'),
  numRuns: 200,
};

const backwardOracle: Oracle<GoldenCase> = {
  name: 'autograd of torch.nn.BatchNorm1d: (X.grad, weight.grad, bias.grad)',
  inputs: fc.constantFrom(...cases),
  compute: (c) => [c.dX, c.dgamma, c.dbeta],
  tolerance: (c) => goldenTolerance(backwardScale(c), 'max(max_j |gamma_j| / std_j max|dY| (1 + n), n max|dY| max(1, |xhat|))'),
  numRuns: 200,
};

const forwardReference = (c: GoldenCase): NumericTree => batchnormForward(c.X, c.gamma, c.beta, c.eps);
const backwardReference = (c: GoldenCase): NumericTree => batchnormBackward(c.dY, c.X, c.gamma, c.eps);

describe(`PyTorch golden values (${golden.cases.length} cases, torch ${golden.torch}, ${golden.dtype})`, () => {
  it('cover every regime of the generator', () => {
    expect(new Set(cases.map((c) => c.regime))).toEqual(
      new Set(['small', 'medium', 'two-rows', 'offset', 'tiny-variance', 'constant', 'large-eps', 'wide-range']),
    );
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s: the reference agrees with PyTorch forward and backward', (_, c) => {
    for (const [oracle, implementation] of [
      [forwardOracle, forwardReference],
      [backwardOracle, backwardReference],
    ] as const) {
      const tol = oracle.tolerance(c);
      const { ok, worst } = compare(implementation(c), oracle.compute(c), tol);
      expect(ok, `${c.call} on ${c.id}: worst entry ${JSON.stringify(worst)} (${tol.reason})`).toBe(true);
    }
  });
});

describeOracle('batchnorm_forward vs PyTorch golden values', forwardOracle, forwardReference, [
  wrong('unbiased variance (divided by n - 1)', (c) => forwardUnbiased(c.X, c.gamma, c.beta, c.eps)),
  wrong('sqrt(var) + eps instead of sqrt(var + eps)', (c) => forwardEpsOutsideSqrt(c.X, c.gamma, c.beta, c.eps)),
]);

describeOracle('batchnorm_backward vs PyTorch golden values', backwardOracle, backwardReference, [
  wrong("without the mean's dependence on X", (c) => backwardWithout('mean')(c.dY, c.X, c.gamma, c.eps)),
  wrong("without the variance's dependence on X", (c) => backwardWithout('variance')(c.dY, c.X, c.gamma, c.eps)),
  wrong('dgamma and dbeta swapped', (c) => {
    const [dX, dgamma, dbeta] = batchnormBackward(c.dY, c.X, c.gamma, c.eps);
    return [dX, dbeta, dgamma];
  }),
]);
