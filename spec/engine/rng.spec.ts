import { describe, expect, it } from 'vitest';
import { Rng, hashSeed } from '../../src/rng.ts';

describe('Rng', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new Rng(42).normalVector(5);
    expect(new Rng(42).normalVector(5)).toEqual(a);
    expect(new Rng(43).normalVector(5)).not.toEqual(a);
  });

  it('draws uniforms in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new Rng(7);
    const n = 100_000;
    const xs = Array.from({ length: n }, () => rng.uniform());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    // 6-sigma bounds: sd(mean) = sqrt(1/12 / n) ~ 9e-4.
    expect(Math.abs(mean - 0.5)).toBeLessThan(6 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(6 * Math.sqrt(1 / 180 / n));
  });

  it('draws normals with the requested mean and standard deviation', () => {
    const rng = new Rng(11);
    const n = 100_000;
    const xs = Array.from({ length: n }, () => rng.normal(3, 2));
    const mean = xs.reduce((s, x) => s + x, 0) / n;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / n;
    expect(Math.abs(mean - 3)).toBeLessThan(6 * (2 / Math.sqrt(n)));
    // sd of the sample variance of a normal: sigma^2 sqrt(2 / n).
    expect(Math.abs(variance - 4)).toBeLessThan(6 * 4 * Math.sqrt(2 / n));
  });

  it('draws permutations: each is one of 0..n-1, and every position is uniform over the values', () => {
    const rng = new Rng(5);
    expect([...rng.permutation(10)].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    // Where 0 lands, over 6000 permutations of 6: 1000 expected per position, sd sqrt(6000 (1/6)(5/6)) ~ 29;
    // a 6-sigma band. An off-by-one Fisher-Yates (j in [0, i)) never leaves 0 in place and fails it.
    const counts = new Array<number>(6).fill(0);
    for (let t = 0; t < 6000; t++) counts[rng.permutation(6).indexOf(0)]!++;
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(6 * Math.sqrt(6000 * (1 / 6) * (5 / 6)));
  });

  it('draws integers and uniforms in ranges', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 1000; i++) {
      const k = rng.int(5);
      expect(Number.isInteger(k) && k >= 0 && k < 5).toBe(true);
      const u = rng.uniformIn(-2, -1);
      expect(u >= -2 && u < -1).toBe(true);
    }
  });

  it('hashes parts into signed 32-bit seeds, stable and order-sensitive', () => {
    expect(hashSeed(1, 'a', 'b')).toBe(hashSeed(1, 'a', 'b'));
    expect(hashSeed(1, 'a', 'b')).not.toBe(hashSeed(1, 'b', 'a'));
    expect(hashSeed('ab', 'c')).not.toBe(hashSeed('a', 'bc'));
    const h = hashSeed(5);
    expect(h | 0).toBe(h);
  });
});
