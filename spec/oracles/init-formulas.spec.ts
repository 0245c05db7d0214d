// The initialisation reference (reference/init.ts) against what students read and what it must refuse. Found by
// Stryker (docs/mutation.md): the `formula` each method's distribution carries is the text feedback shows next to
// the numbers ("N(0, 2/fan_in) = N(0, 0.0625)"), and no test read it, so a blanked or wrong formula survived; the
// argument checks of activation_stats (a width of 1 is a width; a seed must be an integer) and a fan_out of 0 were
// untested, and so were the lists its errors name and the sigmoid's branch for large inputs. Here each formula is
// parsed and evaluated with math.js at a shape where the methods part, and must denote the very variance the
// reference draws from: an oracle independent of the reference's arithmetic.

import { parse } from 'mathjs';
import { describe, expect, it } from 'vitest';
import { INIT_METHODS, activate, activationStats, distributionVariance, initDistribution, initializeWeights } from '../../reference/init.ts';

/** The variance a formula's text denotes: N(0, V) gives V; U(-B, +B) gives B^2 / 3; evaluated at the shape. */
function variancePrinted(formula: string, fanIn: number, fanOut: number): number {
  const scope = { fan_in: fanIn, fan_out: fanOut };
  const normal = /^N\(0, (.+)\)$/.exec(formula);
  if (normal) return parse(normal[1]!).evaluate(scope) as number;
  const uniform = /^U\(-(.+), \+(.+)\)$/.exec(formula);
  if (!uniform) throw new Error(`not a distribution's formula: ${formula}`);
  const [low, high] = [parse(uniform[1]!).evaluate(scope) as number, parse(uniform[2]!).evaluate(scope) as number];
  expect(low).toBe(high); // symmetric about 0
  return high ** 2 / 3;
}

describe('the formula feedback prints for each initialisation', () => {
  // (10, 30): fan_in, fan_out, their sum and their max all differ, so every method's variance is its own.
  it.each(INIT_METHODS.filter((m) => m !== 'zero'))('%s: the printed formula is the variance drawn from', (method) => {
    const d = initDistribution([10, 30], method);
    expect(d.kind).not.toBe('zero');
    if (d.kind === 'zero') return;
    expect(variancePrinted(d.formula, 10, 30)).toBeCloseTo(distributionVariance(d), 14);
  });

  it('names fan_in, fan_out or both as the method does', () => {
    const formula = (method: string) => {
      const d = initDistribution([10, 30], method);
      return d.kind === 'zero' ? '' : d.formula;
    };
    expect(formula('small_random')).not.toMatch(/fan/);
    for (const method of ['he', 'he_uniform', 'lecun']) {
      expect(formula(method)).toMatch(/fan_in/);
      expect(formula(method)).not.toMatch(/fan_out/);
    }
    for (const method of ['xavier', 'xavier_uniform', 'max_fan']) expect(formula(method)).toMatch(/fan_in.*fan_out/);
  });
});

describe('argument errors, by message', () => {
  const X = [
    [0.5, -1, 2],
    [1, 0.25, -0.5],
  ];

  it('a fan_out below 1 is refused as a fan_in below 1 is', () => {
    expect(() => initializeWeights([4, 0], 'he')).toThrow(/^fan_in and fan_out must be positive integers, got \[4,0\]/);
    expect(() => initializeWeights([4, -2], 'xavier')).toThrow(/^fan_in and fan_out must be positive integers/);
  });

  it('a hidden layer of width 1 is a layer; 0 and 2.5 are not widths', () => {
    const stats = activationStats(X, 'he', 'tanh', [1, 4], 3);
    expect(stats).toHaveLength(2);
    expect(stats[0]![1]).toBeGreaterThan(0); // one unit over two samples: a spread, not an error
    expect(() => activationStats(X, 'he', 'tanh', [4, 0], 3)).toThrow(/^widths must be a non-empty list of positive integers, got \[4,0\]/);
    expect(() => activationStats(X, 'he', 'tanh', [2.5], 3)).toThrow(/^widths must be a non-empty list of positive integers/);
  });

  it('an unknown method or activation is refused with the list of the known ones; X is named', () => {
    expect(() => initializeWeights([3, 4], 'glorot')).toThrow('unknown initialisation method "glorot"; expected one of zero, small_random, xavier, he, xavier_uniform, he_uniform, lecun, max_fan');
    expect(() => activationStats(X, 'he', 'softplus', [4], 3)).toThrow('unknown activation "softplus"; expected one of tanh, relu, sigmoid, linear');
    expect(() => activationStats([], 'he', 'tanh', [4], 3)).toThrow(/^X must be a non-empty matrix/);
  });

  it('the seed must be an integer', () => {
    expect(() => activationStats(X, 'he', 'relu', [4], 1.5)).toThrow(/^seed must be an integer, got 1.5/);
  });
});

describe('the sigmoid of the activation statistics', () => {
  it('saturates to 1 and 0 without overflowing at pre-activations of +-1000', () => {
    expect(activate.sigmoid(1000)).toBe(1);
    expect(activate.sigmoid(-1000)).toBe(0);
    expect(activate.sigmoid(0)).toBe(0.5);
  });
});
