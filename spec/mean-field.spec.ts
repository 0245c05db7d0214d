// The mean-field oracle of reference/mean-field.ts: its Gaussian integrals against closed forms and series, and
// its layer recursion against the variance rules of reference/variance.ts.

import { describe, expect, it } from 'vitest';
import { Rng } from '../src/rng.ts';
import { gaussianMoments, meanFieldStats } from '../reference/mean-field.ts';
import { linearOutputVariance } from '../reference/variance.ts';

describe('gaussianMoments', () => {
  it('matches closed forms: linear s^2, ReLU s/sqrt(2 pi) and s^2/2, sigmoid mean 1/2 by symmetry, tanh mean 0', () => {
    for (const s of [0.01, 0.3, 1, 4]) {
      expect(gaussianMoments('linear', s)[1]).toBeCloseTo(s * s, 14);
      const [m1, m2] = gaussianMoments('relu', s);
      expect(m1).toBeCloseTo(s / Math.sqrt(2 * Math.PI), 14);
      expect(m2).toBeCloseTo((s * s) / 2, 14);
      // Quadrature, so equal within its error (< 1e-12 here), not exactly.
      expect(Math.abs(gaussianMoments('sigmoid', s)[0] - 0.5)).toBeLessThan(1e-12);
      expect(Math.abs(gaussianMoments('tanh', s)[0])).toBeLessThan(1e-12);
    }
  });

  it('tanh: E tanh(s g)^2 = s^2 - 2 s^4 + (17/3) s^6 - (62/3) s^8 + O(s^10) for small s (Taylor series of tanh^2, E g^2k = (2k-1)!!)', () => {
    for (const s of [0.02, 0.05, 0.1]) {
      const series = s ** 2 - 2 * s ** 4 + (17 / 3) * s ** 6 - (62 / 3) * s ** 8;
      // The next term is (1382/14175) * 945 s^10 ~ 92 s^10 (1e-8 at s = 0.1); 1e-14 for the quadrature.
      expect(Math.abs(gaussianMoments('tanh', s)[1] - series)).toBeLessThan(100 * s ** 10 + 1e-14);
    }
    // And tanh^2 <= min(1, x^2): strictly below both for s = 1.
    const [, m2] = gaussianMoments('tanh', 1);
    expect(m2).toBeLessThan(1);
    expect(m2).toBeGreaterThan(0.3);
  });

  it('is f(0) at s = 0', () => {
    expect(gaussianMoments('sigmoid', 0)).toEqual([0.5, 0.25]);
    expect(gaussianMoments('tanh', 0)).toEqual([0, 0]);
  });
});

describe('meanFieldStats', () => {
  it('names a bad argument in its error', () => {
    expect(() => meanFieldStats([], 'he', 'tanh', [3])).toThrow(/^X must be a non-empty matrix/);
    expect(() => meanFieldStats([[1, 2]], 'he', 'softplus' as 'tanh', [3])).toThrow(/^unknown activation "softplus"/);
  });

  it('for a linear network is the product of the variance rule n_in sigma^2 E[x^2] over the layers', () => {
    const rng = new Rng(9);
    const X = Array.from({ length: 7 }, () => rng.normalVector(12, 0.3, 2));
    const widths = [20, 9, 30];
    const stats = meanFieldStats(X, 'he', 'linear', widths);
    let v = X.flat().reduce((s, x) => s + x * x, 0) / X.flat().length; // E[x^2]
    let fanIn = 12;
    widths.forEach((w, l) => {
      v = linearOutputVariance(fanIn, 2 / fanIn, v); // He: sigma^2 = 2 / fan_in
      expect(stats[l]![0]).toBe(0);
      expect(stats[l]![1]).toBeCloseTo(Math.sqrt(v), 12);
      fanIn = w;
    });
  });

  it('gives exactly 0 for zero weights with tanh or ReLU, and f(0) for sigmoid', () => {
    const X = [[1, 2, 3], [0, 0, 1]];
    expect(meanFieldStats(X, 'zero', 'tanh', [4, 4]).flat().every((x) => x === 0)).toBe(true);
    expect(meanFieldStats(X, 'zero', 'relu', [4]).flat().every((x) => x === 0)).toBe(true);
    expect(meanFieldStats(X, 'zero', 'sigmoid', [4])).toEqual([[0.5, 0]]);
  });

  it('rejects an unknown activation or an empty batch', () => {
    expect(() => meanFieldStats([[1]], 'he', 'gelu' as 'tanh', [2])).toThrow(/activation/);
    expect(() => meanFieldStats([], 'he', 'tanh', [2])).toThrow(/matrix/);
  });
});
