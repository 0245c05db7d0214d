// The reference initialiser and the numbers init-schemes rests on: its draws have the distributions the
// catalog names, its arguments are validated, the false-failure budget holds, and every named mistake is caught
// by a single call with probability >= REQUIRED_POWER at every shape the checks draw (docs/statistics.md).

import { describe, expect, it } from 'vitest';
import { Rng, hashSeed } from '../src/rng.ts';
import { testNormalSample, testUniformSample } from '../src/stats.ts';
import { INIT_METHODS, activationStats, distributionVariance, initDistribution, initializeWeights, layerStats } from '../reference/init.ts';
import {
  ACTIVATION_CONFIGS,
  ACTIVATION_TOLERANCES,
  ACTIVATION_WIDTHS,
  ALPHA_PER_CALL,
  METHOD_GRIDS,
  REQUIRED_POWER,
  SHAPE_GRIDS,
  SUITE_ALPHA,
  activationBatch,
  initSchemes,
  referenceBands,
} from './init.suite.ts';
import { POWER_CLAIMS, callPower, entriesNeeded, powerTable, suiteAlpha } from './init.power.ts';

describe('initializeWeights (reference)', () => {
  it('returns a fan_in x fan_out matrix for every method; zero is exactly 0', () => {
    for (const method of INIT_METHODS) {
      const W = initializeWeights([3, 5], method);
      expect(W.length).toBe(3);
      expect(W.every((row) => row.length === 5 && row.every(Number.isFinite))).toBe(true);
      if (method === 'zero') expect(W.flat().every((x) => x === 0)).toBe(true);
    }
  });

  it('is a fixed function of (shape, method) without an rng, and draws afresh from a given one', () => {
    expect(initializeWeights([4, 6], 'he')).toEqual(initializeWeights([4, 6], 'he'));
    expect(initializeWeights([4, 6], 'he')).not.toEqual(initializeWeights([4, 6], 'lecun'));
    const rng = new Rng(1);
    expect(initializeWeights([4, 6], 'he', rng)).not.toEqual(initializeWeights([4, 6], 'he', rng));
  });

  it('throws on an unknown method or a shape that is not a pair of positive integers', () => {
    expect(() => initializeWeights([3, 4], 'glorot')).toThrow(/unknown initialisation method/);
    expect(() => initializeWeights([3], 'he')).toThrow(/pair/);
    expect(() => initializeWeights([3, 4, 5], 'he')).toThrow(/pair/);
    expect(() => initializeWeights([0, 4], 'he')).toThrow(/positive integers/);
    expect(() => initializeWeights([2.5, 4], 'he')).toThrow(/positive integers/);
  });

  it('names the distributions of the catalog', () => {
    const v = (method: string, shape: [number, number] = [30, 10]) => {
      const d = initDistribution(shape, method);
      return d.kind === 'normal' ? d.std ** 2 : d.kind === 'uniform' ? d.bound ** 2 / 3 : 0;
    };
    expect(v('small_random')).toBeCloseTo(1e-4, 15);
    expect(v('xavier')).toBeCloseTo(2 / 40, 15);
    expect(v('he')).toBeCloseTo(2 / 30, 15);
    expect(v('xavier_uniform')).toBeCloseTo(2 / 40, 15); // sqrt(6/(fan_in + fan_out))^2 / 3
    expect(v('he_uniform')).toBeCloseTo(2 / 30, 15);
    expect(v('lecun')).toBeCloseTo(1 / 30, 15);
    expect(v('max_fan')).toBeCloseTo(1 / 30, 15);
    expect(v('max_fan', [10, 30])).toBeCloseTo(1 / 30, 15);
    // Wide: fan_in < fan_out, where LeCun and He (fan_in) part from max_fan and from a fan_out mistake.
    expect(v('lecun', [10, 30])).toBeCloseTo(1 / 10, 15);
    expect(v('he', [10, 30])).toBeCloseTo(2 / 10, 15);
    expect(v('he_uniform', [10, 30])).toBeCloseTo(2 / 10, 15);
    expect(v('xavier', [10, 30])).toBeCloseTo(2 / 40, 15);
  });

  it('gives the variance of each kind of distribution: std^2, a^2/3 for U(-a, a), 0 for zero', () => {
    expect(distributionVariance({ kind: 'normal', std: 0.5, formula: '' })).toBe(0.25);
    expect(distributionVariance({ kind: 'uniform', bound: 3, formula: '' })).toBe(3);
    expect(distributionVariance({ kind: 'zero' })).toBe(0);
  });

  it('draws what it names: over 300 independent draws per method, tests at alpha = 0.01 reject about 1%', () => {
    // Rejections ~ Binomial(300, <= 0.01): P(more than 12) < 1e-4.
    const rng = new Rng(2026);
    for (const method of INIT_METHODS.filter((m) => m !== 'zero')) {
      let rejected = 0;
      for (let i = 0; i < 300; i++) {
        const shape: [number, number] = [8 + (i % 17), 9 + (i % 13)];
        const d = initDistribution(shape, method);
        const x = initializeWeights(shape, method, rng).flat();
        const verdict = d.kind === 'normal' ? testNormalSample(x, d.std, 0.01) : d.kind === 'uniform' ? testUniformSample(x, d.bound, 0.01) : undefined;
        if (!verdict?.passed) rejected++;
      }
      expect(rejected, method).toBeLessThanOrEqual(12);
    }
  });
});

describe('init-schemes: false failures and power (docs/statistics.md)', () => {
  it(`a correct submission fails the whole problem with probability <= ${SUITE_ALPHA} at the default runs`, () => {
    const { calls, alpha } = suiteAlpha();
    expect(calls).toBe(7 * 200);
    expect(alpha).toBeLessThanOrEqual(SUITE_ALPHA);
    expect(ALPHA_PER_CALL * calls).toBe(alpha);
  });

  it(`every named mistake fails one call with probability >= ${REQUIRED_POWER} at every shape of its check's grid`, () => {
    const table = powerTable();
    for (const row of table) expect(row.minPower, `${row.method} / ${row.mistake} at (${row.worstShape.join(', ')})`).toBeGreaterThanOrEqual(REQUIRED_POWER);
    // Every random named mistake has a claim; 'transposed' is caught deterministically by the shape, and
    // 'unknown-method-falls-back' by answering at all where it must raise.
    const claimed = new Set(POWER_CLAIMS.map(([, m]) => m));
    const deterministic = ['transposed', 'unknown-method-falls-back'];
    for (const m of initSchemes.mistakes) if (!deterministic.includes(m.id)) expect(claimed.has(m.id as never), m.id).toBe(true);
  });

  it('the hardest case needs the sizes the xavier grid has: a variance ratio 0.625 needs 862 entries', () => {
    expect(entriesNeeded(0.625, REQUIRED_POWER)).toBe(862);
    expect(Math.min(...METHOD_GRIDS.xavier.shapes.map(([a, b]) => a * b))).toBeGreaterThanOrEqual(862);
  });

  it('power is small where the mistake is invisible: xavier vs 1/fan_in on a square shape', () => {
    const h = initDistribution([32, 32], 'xavier');
    const x = initDistribution([32, 32], 'lecun');
    expect(callPower(h, x, 1024)).toBeLessThan(1e-9);
  });

  it('the tall-or-wide grids keep 4 <= L/s <= 10 and their size range', () => {
    for (const [grid, lo, hi] of [[SHAPE_GRIDS.xavier, 1000, 2500], [SHAPE_GRIDS.fanScaled, 256, 1024]] as const) {
      for (const [a, b] of grid.shapes) {
        const ratio = Math.max(a, b) / Math.min(a, b);
        expect(ratio).toBeGreaterThanOrEqual(4);
        expect(ratio).toBeLessThanOrEqual(10);
        expect(a * b).toBeGreaterThanOrEqual(lo);
        expect(a * b).toBeLessThanOrEqual(hi);
      }
    }
  });
});

describe('activationStats (reference) and the activation-statistics bands', () => {
  const X = activationBatch();
  const widths = [...ACTIVATION_WIDTHS];

  it('returns one [mean, std] per hidden layer, std over all batch x width entries with n - 1 (torch.std)', () => {
    const stats = activationStats(X, 'xavier', 'tanh', widths, 5);
    expect(stats.length).toBe(widths.length);
    const pre = layerStats(X, 'xavier', 'tanh', widths, 5, 'pre-activation');
    // Layer 1 by hand, from the same first weight draw: tanh(X @ W1).
    const rng = new Rng(hashSeed('activation_stats', 5));
    const W = initializeWeights([X[0]!.length, widths[0]!], 'xavier', rng);
    const z = X.map((row) => widths.slice(0, 1).flatMap(() => W[0]!.map((_, j) => row.reduce((s, a, i) => s + a * W[i]![j]!, 0))));
    const h = z.flat().map(Math.tanh);
    const mean = h.reduce((a, b) => a + b, 0) / h.length;
    const std = Math.sqrt(h.reduce((a, b) => a + (b - mean) ** 2, 0) / (h.length - 1));
    expect(stats[0]![0]).toBeCloseTo(mean, 12);
    expect(stats[0]![1]).toBeCloseTo(std, 12);
    expect(pre[0]![1]).toBeGreaterThan(stats[0]![1]!); // tanh shrinks
  });

  it('zero weights give exactly 0; small_random with tanh shrinks by about 0.01 sqrt(width) per layer', () => {
    expect(activationStats(X, 'zero', 'relu', widths, 1).flat().every((v) => v === 0)).toBe(true);
    const stats = activationStats(X, 'small_random', 'tanh', widths, 1);
    for (let l = 1; l < stats.length; l++) {
      const ratio = stats[l]![1]! / stats[l - 1]![1]!;
      expect(ratio / (0.01 * Math.sqrt(32))).toBeGreaterThan(0.8);
      expect(ratio / (0.01 * Math.sqrt(32))).toBeLessThan(1.2);
    }
  });

  it('validates its arguments', () => {
    expect(() => activationStats(X, 'xavier', 'softplus', widths, 1)).toThrow(/activation/);
    expect(() => activationStats(X, 'xavier', 'tanh', [], 1)).toThrow(/widths/);
    expect(() => activationStats(X, 'glorot', 'tanh', widths, 1)).toThrow(/method/);
  });

  it('over 400 fresh seeds the standardized statistics have normal-looking tails and stay inside the bands', () => {
    // For 400 normal draws P(max |z| > 4.5) < 400 * 6.8e-6 = 2.7e-3 per statistic; the band is 8 sd wide.
    const k = ACTIVATION_TOLERANCES.band.atol;
    for (const { method, activation } of ACTIVATION_CONFIGS.filter((c) => c.method !== 'zero')) {
      const bands = referenceBands(method, activation);
      let worst = 0;
      for (let s = 0; s < 400; s++) {
        const stats = activationStats(X, method, activation, widths, 7_000_000 + s);
        bands.forEach((b, l) => {
          const zMean = ((b.logMean ? Math.log(stats[l]![0]!) : stats[l]![0]!) - b.mean[0]) / b.mean[1];
          const zStd = (Math.log(stats[l]![1]!) - b.logStd[0]) / b.logStd[1];
          worst = Math.max(worst, Math.abs(zMean), Math.abs(zStd));
        });
      }
      expect(worst, `${method}/${activation}`).toBeLessThan(Math.min(k, 5.5));
    }
  });

  it('the band catches pre-activation statistics on every seed for xavier/tanh, he/relu and xavier/relu', () => {
    const k = ACTIVATION_TOLERANCES.band.atol;
    for (const [method, activation] of [['xavier', 'tanh'], ['he', 'relu'], ['xavier', 'relu']] as const) {
      const bands = referenceBands(method, activation);
      for (let s = 0; s < 50; s++) {
        const pre = layerStats(X, method, activation, widths, s, 'pre-activation');
        const outside = bands.some((b, l) =>
          (b.logMean ? !(pre[l]![0]! > 0) || Math.abs(Math.log(pre[l]![0]!) - b.mean[0]) > k * b.mean[1] : Math.abs(pre[l]![0]! - b.mean[0]) > k * b.mean[1]) ||
          Math.abs(Math.log(pre[l]![1]!) - b.logStd[0]) > k * b.logStd[1]);
        expect(outside, `${method}/${activation} seed ${s}`).toBe(true);
      }
    }
  });
});
