// The distributions the named mistakes of init-schemes draw from, in a module of their own: shared by the mistakes
// (spec/init.mistakes.ts) and by spec/init.power.ts (through spec/init.suite.ts), which computes the checks' power.

import type { InitDistribution } from '../reference/init.ts';

/** How each mistake changes the distribution of a method (the rest is the reference). */
export const MISTAKEN_DISTRIBUTIONS = {
  'xavier-fan-in-only': (d: InitDistribution, method: string, fanIn: number): InitDistribution =>
    method === 'xavier' ? { kind: 'normal', std: Math.sqrt(1 / fanIn), formula: 'N(0, 1/fan_in)' } : d,
  'he-fan-out': (d: InitDistribution, method: string, _fanIn: number, fanOut: number): InitDistribution =>
    method === 'he'
      ? { kind: 'normal', std: Math.sqrt(2 / fanOut), formula: 'N(0, 2/fan_out)' }
      : method === 'he_uniform'
        ? { kind: 'uniform', bound: Math.sqrt(6 / fanOut), formula: 'U(+-sqrt(6/fan_out))' }
        : d,
  'std-variance-confused': (d: InitDistribution): InitDistribution => (d.kind === 'normal' ? { ...d, std: d.std ** 2 } : d),
  'uniform-bound-is-std': (d: InitDistribution): InitDistribution => (d.kind === 'uniform' ? { ...d, bound: d.bound / Math.sqrt(3) } : d),
  'normal-for-uniform': (d: InitDistribution): InitDistribution =>
    d.kind === 'uniform' ? { kind: 'normal', std: d.bound / Math.sqrt(3), formula: 'N(0, a^2/3)' } : d,
} as const;
