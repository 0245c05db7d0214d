// Monte Carlo proofs of the variance rules in reference/variance.ts, independent of the closed forms: each
// rule's value is estimated from M simulated draws and must lie within 5 standard errors of the estimate
// (the standard error measured from the same draws). For a normal-ish estimator that is a two-sided tail of
// 6e-7 per assertion, so the test does not flake whatever GRADECHECK_SEED; a wrong rule (off by a factor 2
// or more) sits hundreds of standard errors away. Where a rule's assumption fails, the test shows that too.

import { describe, expect, it } from 'vitest';
import { Rng } from '../src/rng.ts';
import { backwardGradVariance, linearOutputVariance, productVariance, reluSecondMoment, uniformVariance } from '../reference/variance.ts';
import { TEST_SEED } from './seed.ts';

const M = 40_000;
const BUDGET_SE = 5;

/** The mean of f over M draws and its standard error. */
function estimate(rng: Rng, f: (rng: Rng) => number, m = M): { mean: number; se: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < m; i++) {
    const y = f(rng);
    s += y;
    s2 += y * y;
  }
  const mean = s / m;
  return { mean, se: Math.sqrt(Math.max(0, s2 / m - mean * mean) / m) };
}

/** Variance of f over M draws (two-pass on stored draws) and its standard error (delta method, 4th moment). */
function varianceEstimate(rng: Rng, f: (rng: Rng) => number, m = M): { mean: number; se: number } {
  const ys = Array.from({ length: m }, () => f(rng));
  const mu = ys.reduce((a, b) => a + b, 0) / m;
  const d2 = ys.map((y) => (y - mu) ** 2);
  const v = d2.reduce((a, b) => a + b, 0) / (m - 1);
  const m4 = d2.reduce((a, b) => a + b * b, 0) / m;
  return { mean: v, se: Math.sqrt(Math.max(0, m4 - v * v) / m) };
}

function expectWithinBudget(e: { mean: number; se: number }, expected: number, label: string): void {
  expect(Math.abs(e.mean - expected), `${label}: estimate ${e.mean} vs ${expected} (se ${e.se})`).toBeLessThanOrEqual(BUDGET_SE * e.se);
}

function expectOutsideBudget(e: { mean: number; se: number }, wrong: number, label: string): void {
  expect(Math.abs(e.mean - wrong), `${label}: estimate ${e.mean} should be far from ${wrong} (se ${e.se})`).toBeGreaterThan(20 * e.se);
}

const uniformWithVariance = (rng: Rng, v: number) => rng.uniformIn(-Math.sqrt(3 * v), Math.sqrt(3 * v));

describe('variance rules by Monte Carlo (5 standard errors)', () => {
  it('Var(sum_i w_i x_i) = n_in sigma^2 v^2 for independent zero-mean w ~ N(0, sigma^2) and x (here uniform)', () => {
    const rng = new Rng(TEST_SEED ^ 1);
    for (const [n, sigma2, v2] of [[8, 0.3, 2], [64, 1 / 64, 1]] as const) {
      const e = varianceEstimate(rng, (r) => {
        let s = 0;
        for (let i = 0; i < n; i++) s += r.normal(0, Math.sqrt(sigma2)) * uniformWithVariance(r, v2);
        return s;
      }, 20_000);
      expectWithinBudget(e, linearOutputVariance(n, sigma2, v2), `n = ${n}`);
      expectOutsideBudget(e, sigma2 * v2, 'without n_in');
    }
  });

  it('Var(w x) = Var(w) E[x^2] for zero-mean w, even when E[x] != 0 (not Var(w) Var(x))', () => {
    const rng = new Rng(TEST_SEED ^ 2);
    const [sw, mx, sx] = [0.3, 1.5, 0.5];
    const e = varianceEstimate(rng, (r) => r.normal(0, sw) * r.normal(mx, sx));
    const ex2 = sx * sx + mx * mx;
    expectWithinBudget(e, sw * sw * ex2, 'Var(w) E[x^2]');
    expect(productVariance(0, sw * sw, mx, sx * sx)).toBeCloseTo(sw * sw * ex2, 14);
    expectOutsideBudget(e, sw * sw * sx * sx, 'Var(w) Var(x)');
  });

  it('Var(dL/dx_i) = n_out sigma^2 g^2 for dL/dx_i = sum_j w_ij g_j', () => {
    const rng = new Rng(TEST_SEED ^ 3);
    const [nOut, sigma2, g2] = [32, 0.05, 0.7];
    const e = varianceEstimate(rng, (r) => {
      let s = 0;
      for (let j = 0; j < nOut; j++) s += r.normal(0, Math.sqrt(sigma2)) * r.normal(0, Math.sqrt(g2));
      return s;
    }, 20_000);
    expectWithinBudget(e, backwardGradVariance(nOut, sigma2, g2), 'backward');
  });

  it('E[ReLU(z)^2] = Var(z)/2 for zero-mean symmetric z (normal, uniform, Laplace)', () => {
    const rng = new Rng(TEST_SEED ^ 4);
    const relu2 = (z: number) => (z > 0 ? z * z : 0);
    const laplace = (r: Rng, b: number) => (r.uniform() < 0.5 ? -1 : 1) * -b * Math.log(1 - r.uniform());
    const cases: [string, number, (r: Rng) => number][] = [
      ['normal', 2.5, (r) => r.normal(0, Math.sqrt(2.5))],
      ['uniform', 0.4, (r) => uniformWithVariance(r, 0.4)],
      ['Laplace', 2 * 0.7 ** 2, (r) => laplace(r, 0.7)],
    ];
    for (const [name, varZ, draw] of cases) {
      expectWithinBudget(estimate(rng, (r) => relu2(draw(r))), reluSecondMoment(varZ), name);
    }
  });

  it('and fails for asymmetric zero-mean z: z = Exp(1) - 1 has Var 1 but E[ReLU(z)^2] = 2/e, not 1/2', () => {
    const rng = new Rng(TEST_SEED ^ 5);
    const e = estimate(rng, (r) => {
      const z = -Math.log(1 - r.uniform()) - 1;
      return z > 0 ? z * z : 0;
    }, 100_000);
    expectWithinBudget(e, 2 / Math.E, 'exact value 2/e');
    expectOutsideBudget(e, reluSecondMoment(1), 'the symmetric rule');
  });

  it('Var(AB) = Var A Var B + Var A (E B)^2 + Var B (E A)^2 for independent A, B (normal times uniform)', () => {
    const rng = new Rng(TEST_SEED ^ 6);
    for (const [ma, va, mb, vb] of [[1, 0.5, -2, 0.3], [0, 1, 0, 2], [3, 0.1, 0.5, 1]] as const) {
      const e = varianceEstimate(rng, (r) => r.normal(ma, Math.sqrt(va)) * (mb + uniformWithVariance(r, vb)));
      expectWithinBudget(e, productVariance(ma, va, mb, vb), `means ${ma}, ${mb}`);
    }
  });

  it('Var(U(-a, a)) = a^2/3', () => {
    const rng = new Rng(TEST_SEED ^ 7);
    for (const a of [0.05, 1, 7]) {
      const e = varianceEstimate(rng, (r) => r.uniformIn(-a, a));
      expectWithinBudget(e, uniformVariance(a), `a = ${a}`);
      expectOutsideBudget(e, (a * a) / 12, 'a^2/12');
    }
  });
});

describe('variance rules validate their arguments', () => {
  it('throws on counts that are not positive integers and on negative variances', () => {
    expect(() => linearOutputVariance(0, 1, 1)).toThrow(/n_in/);
    expect(() => linearOutputVariance(2.5, 1, 1)).toThrow(/n_in/);
    expect(() => backwardGradVariance(3, -1, 1)).toThrow(/sigma2/);
    expect(() => reluSecondMoment(-0.1)).toThrow(/var_z/);
    expect(() => productVariance(Number.NaN, 1, 0, 1)).toThrow(/mean_a/);
    expect(() => uniformVariance(0)).toThrow(/a/);
  });
});
