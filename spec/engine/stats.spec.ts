// src/stats.ts against scipy (spec/engine/stats.scipy.json, written by stats_scipy.py), and the one-sample
// tests against their promises: a sample from the hypothesis is rejected about as often as the stated alpha
// says (checked at a level where that is measurable), and a sample from elsewhere is rejected.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/rng.ts';
import {
  bernsteinRadius,
  bernsteinTail,
  bonferroni,
  chiSquareCdf,
  chiSquareQuantile,
  compareSamples,
  dkwBound,
  dkwRadius,
  holm,
  kolmogorovSurvival,
  ksPValue,
  ksStatistic,
  meanAndStd,
  normalCdf,
  normalQuantile,
  testNormalSample,
  testUniformSample,
} from '../../src/stats.ts';

interface ScipyValues {
  normal_cdf: [number, number][];
  normal_quantile: [number, number][];
  chi_square_quantile: [number, number, number, number][];
  chi_square_cdf: [number, number, number][];
  kolmogorov_survival: [number, number][];
  ks_exact_sf: [number, number, number][];
  ks_samples: { normal: { sd: number; x: number[]; d: number }; uniform: { a: number; x: number[]; d: number } };
}

const scipy = JSON.parse(readFileSync(path.join(import.meta.dirname, 'stats.scipy.json'), 'utf8')) as ScipyValues;

const relErr = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('distribution functions agree with scipy', () => {
  it('normal CDF: 1e-15 absolute everywhere; relative 1e-13 down to x = -3, 1e-10 at -5, 1e-5 at -7, 2% at -8', () => {
    for (const [x, p] of scipy.normal_cdf) {
      expect(Math.abs(normalCdf(x) - p), `x = ${x}`).toBeLessThan(1e-15);
      const rel = x >= -3 ? 1e-13 : x >= -5 ? 1e-10 : x >= -7 ? 1e-5 : 0.02;
      expect(relErr(normalCdf(x), p), `x = ${x}`).toBeLessThan(rel);
    }
    expect(normalCdf(1.5, 1, 0.5)).toBeCloseTo(scipy.normal_cdf.find(([x]) => x === 1)![1], 14);
  });

  it('normal quantile: 1e-8 relative for p from 5e-11 to 1 - 1e-6, 1e-6 at p = 1e-12', () => {
    for (const [p, q] of scipy.normal_quantile) {
      if (q === 0) expect(normalQuantile(p)).toBe(0);
      else expect(relErr(normalQuantile(p), q), `p = ${p}`).toBeLessThan(p < 5e-11 ? 1e-6 : 1e-8);
    }
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(() => normalQuantile(1.5)).toThrow(/probability/);
  });

  it('chi-square quantiles, k from 1 to 30000: lower tail and median 1e-10 relative; upper tail 1e-8, 5e-8 at 5e-11, 1e-6 at 1e-12', () => {
    for (const [p, k, lower, upper] of scipy.chi_square_quantile) {
      expect(relErr(chiSquareQuantile(p, k), lower), `ppf(${p}, ${k})`).toBeLessThan(1e-10);
      // The upper quantile is computed at 1 - p, which rounds the tail probability by 1e-16 absolute.
      const tol = p < 1e-11 ? 1e-6 : p < 1e-9 ? 5e-8 : 1e-8;
      expect(relErr(chiSquareQuantile(1 - p, k), upper), `isf(${p}, ${k})`).toBeLessThan(tol);
    }
  });

  it('chi-square CDF: 1e-9 relative (including a tail of 1e-21 at k = 1024)', () => {
    for (const [x, k, p] of scipy.chi_square_cdf) expect(relErr(chiSquareCdf(x, k), p), `cdf(${x}, ${k})`).toBeLessThan(1e-9);
    expect(chiSquareCdf(0, 3)).toBe(0);
    expect(chiSquareCdf(Infinity, 3)).toBe(1);
  });
});

describe('Kolmogorov-Smirnov', () => {
  it('the statistic equals scipy.stats.kstest on fixed samples', () => {
    const { normal, uniform } = scipy.ks_samples;
    expect(ksStatistic(normal.x, (x) => normalCdf(x, 0, normal.sd))).toBeCloseTo(normal.d, 14);
    expect(ksStatistic(uniform.x, (x) => Math.min(1, Math.max(0, (x + uniform.a) / (2 * uniform.a))))).toBeCloseTo(uniform.d, 14);
  });

  it('the Kolmogorov survival function equals scipy.stats.kstwobign to 1e-12 absolute', () => {
    for (const [x, p] of scipy.kolmogorov_survival) expect(Math.abs(kolmogorovSurvival(x) - p), `x = ${x}`).toBeLessThan(1e-12);
    expect(kolmogorovSurvival(0)).toBe(1);
  });

  it('the asymptotic p-value is within 25% of the exact one (scipy.stats.kstwo) for n >= 100, and DKW bounds it', () => {
    for (const [n, d, exact] of scipy.ks_exact_sf) {
      expect(relErr(ksPValue(d, n), exact), `n = ${n}, d = ${d}`).toBeLessThan(0.25);
      expect(dkwBound(d, n), `n = ${n}, d = ${d}`).toBeGreaterThanOrEqual(exact);
      expect(dkwBound(d, n)).toBeGreaterThanOrEqual(ksPValue(d, n));
    }
    expect(dkwBound(dkwRadius(1e-6, 500), 500)).toBeCloseTo(1e-6, 18);
  });
});

describe('bounds and multiple testing', () => {
  it('bernsteinRadius inverts bernsteinTail', () => {
    for (const [alpha, n, v, b] of [[1e-10, 256, 1 / 3, 1], [0.01, 10, 4 / 45, 2 / 3], [1e-6, 5000, 2, 7]] as const) {
      expect(bernsteinTail(bernsteinRadius(alpha, n, v, b), n, v, b) / alpha).toBeCloseTo(1, 10);
    }
    expect(bernsteinTail(0, 10, 1, 1)).toBe(1);
  });

  it('Bonferroni divides alpha; Holm steps down', () => {
    expect(bonferroni(0.05, 5)).toBeCloseTo(0.01, 15);
    expect(() => bonferroni(0.05, 0)).toThrow();
    // alpha = 0.05, m = 4: thresholds 0.0125, 0.01667, 0.025, 0.05 on the sorted p-values.
    expect(holm([0.01, 0.04, 0.02, 0.005], 0.05)).toEqual([true, true, true, true]);
    expect(holm([0.01, 0.04, 0.03, 0.005], 0.05)).toEqual([true, false, false, true]);
    expect(holm([0.01, 0.04, 0.03, 0.2], 0.05)).toEqual([true, false, false, false]);
    expect(holm([0.02, 0.04, 0.03, 0.2], 0.05)).toEqual([false, false, false, false]);
    expect(holm([], 0.05)).toEqual([]);
  });

  it('meanAndStd uses n - 1 (torch.std, np.std(ddof=1))', () => {
    const [m, s] = meanAndStd([1, 2, 3, 4]);
    expect(m).toBe(2.5);
    expect(s).toBeCloseTo(Math.sqrt(5 / 3), 15);
    expect(meanAndStd([3])[1]).toBeNaN();
  });
});

/** How many of `trials` samples the test rejects. */
function rejections(trials: number, draw: (rng: Rng) => boolean, seed: number): number {
  const rng = new Rng(seed);
  let count = 0;
  for (let i = 0; i < trials; i++) if (!draw(rng)) count++;
  return count;
}

describe('one-sample tests keep their false-failure promise and reject other distributions', () => {
  // At alpha = 0.05 over 2000 trials the rejection count is at most Binomial(2000, 0.05): mean 100, and
  // P(count > 135) < 1e-3. Each test is Bonferroni-conservative, so the true rate is below 0.05.
  const TRIALS = 2000;
  const MAX_REJECTIONS = 135;

  it('N(0, s^2) samples pass testNormalSample at its alpha (n = 200, s = 0.3)', () => {
    const count = rejections(TRIALS, (rng) => testNormalSample(rng.normalVector(200, 0, 0.3), 0.3, 0.05).passed, 11);
    expect(count).toBeLessThanOrEqual(MAX_REJECTIONS);
    expect(count).toBeGreaterThan(20); // the test is not vacuous: it does reject at 5%
  });

  it('U(-a, a) samples pass testUniformSample at its alpha (n = 200, a = 0.7)', () => {
    const count = rejections(TRIALS, (rng) => testUniformSample(Array.from({ length: 200 }, () => rng.uniformIn(-0.7, 0.7)), 0.7, 0.05).passed, 12);
    expect(count).toBeLessThanOrEqual(MAX_REJECTIONS);
  });

  it('names what is wrong: a variance off by 1.5x, a shifted mean, a uniform sample tested as normal', () => {
    const rng = new Rng(5);
    const wide = testNormalSample(rng.normalVector(2000, 0, Math.sqrt(1.5)), 1, 1e-9);
    expect(wide.passed).toBe(false);
    expect(wide.tests.find((t) => t.name === 'variance')?.rejected).toBe(true);
    const shifted = testNormalSample(rng.normalVector(2000, 0.3, 1), 1, 1e-9);
    expect(shifted.tests.find((t) => t.name === 'mean')?.rejected).toBe(true);
    const flat = testNormalSample(Array.from({ length: 20000 }, () => rng.uniformIn(-Math.sqrt(3), Math.sqrt(3))), 1, 1e-9);
    expect(flat.tests.find((t) => t.name === 'ks')?.rejected).toBe(true);
    expect(flat.tests.find((t) => t.name === 'variance')?.rejected).toBe(false);
  });

  it('a normal sample tested as uniform fails the support condition; a narrower uniform fails the variance', () => {
    const rng = new Rng(6);
    const a = Math.sqrt(3);
    const normal = testUniformSample(rng.normalVector(300), a, 1e-9, 1e-9);
    expect(normal.tests.find((t) => t.name === 'support')?.rejected).toBe(true);
    const narrow = testUniformSample(Array.from({ length: 300 }, () => rng.uniformIn(-1, 1)), a, 1e-9);
    expect(narrow.tests.find((t) => t.name === 'support')?.rejected).toBe(false);
    expect(narrow.tests.find((t) => t.name === 'variance')?.rejected).toBe(true);
  });

  it('acceptance regions match the p-values: inside the region means not rejected', () => {
    const rng = new Rng(8);
    for (let i = 0; i < 50; i++) {
      const sd = 0.1 + i / 10;
      const v = testNormalSample(rng.normalVector(100 + 10 * i, 0, sd * (0.8 + 0.01 * i)), sd, 1e-3);
      for (const t of v.tests) {
        const inside = t.statistic >= t.acceptance[0] && t.statistic <= t.acceptance[1];
        // Holm at the first step: outside the region at alpha/3 <=> p <= alpha/3 <=> rejected (later steps may
        // reject more, never fewer).
        if (!inside) expect(t.rejected, `${t.name} at i = ${i}`).toBe(true);
      }
    }
  });

  it('rejects bad arguments', () => {
    expect(() => testNormalSample([], 1, 0.1)).toThrow(/empty/);
    expect(() => testNormalSample([1], 0, 0.1)).toThrow(/sd/);
    expect(() => testUniformSample([1], -1, 0.1)).toThrow(/bound/);
    expect(() => chiSquareCdf(1, 0)).toThrow(/degrees/);
    expect(() => normalCdf(1, 0, 0)).toThrow(/sd/);
  });
});

describe('compareSamples (naming a random answer by its distribution)', () => {
  it('accepts two samples of one distribution about 1 - alpha of the time, and tells scales and shapes apart', () => {
    const rng = new Rng(21);
    let rejected = 0;
    for (let i = 0; i < 500; i++) if (!compareSamples(rng.normalVector(300, 0, 0.2), rng.normalVector(300, 0, 0.2), 0.01).consistent) rejected++;
    expect(rejected).toBeLessThanOrEqual(15); // Binomial(500, ~0.01): P(> 15) < 1e-3
    // a variance ratio of 0.625 (Xavier against 1/fan_in at fan_out = fan_in / 4), n = 1024 each
    expect(compareSamples(rng.normalVector(1024, 0, 1), rng.normalVector(1024, 0, Math.sqrt(0.625)), 1e-3).consistent).toBe(false);
    // same variance, normal against uniform, n = 256 each: the scale test is blind, KS is not
    const u = Array.from({ length: 256 }, () => rng.uniformIn(-Math.sqrt(3), Math.sqrt(3)));
    const c = compareSamples(rng.normalVector(256), u, 1e-3);
    expect(Math.abs(c.logScaleRatio)).toBeLessThan(0.3);
    expect(compareSamples([0, 0, 0], [0, 0], 0.01).consistent).toBe(true);
    expect(compareSamples([0, 0, 0], [1, -1], 0.01).consistent).toBe(false);
  });
});
