// The numbers behind init-schemes' statistical checks (docs/statistics.md): for every distribution check and
// every named mistake it is meant to catch, the probability that ONE call on a mistaken implementation fails,
// at the worst shape of the check's grid; and the sample size that probability needs.
//
// Every number is a lower bound computed from exact distributions or from inequalities that hold at every n,
// never from simulation:
// - normal method, normal mistake: the mean-of-squares statistic of the mistake is sigma_X^2 chi-square_n / n
//   exactly, so the probability that it leaves the acceptance interval is exact;
// - uniform method, normal mistake: an entry leaves [-a - slack, a + slack] with probability 2 Phi(-(a + slack)/
//   sigma_X), exactly;
// - uniform method, narrower uniform mistake: the mean of squares is rejected unless it strays from its own mean
//   by more than the gap minus the acceptance radius, which Bernstein's inequality bounds.
// Any of the other tests can only add rejections (Holm rejects something iff its first step does), so the
// check's power is at least this test's.
//
// Run `npx tsx spec/init.power.ts` for the table in docs/statistics.md.

import { pathToFileURL } from 'node:url';
import { bernsteinRadius, bernsteinTail, bonferroni, chiSquareCdf, chiSquareQuantile, normalCdf } from '../src/stats.ts';
import { FLOAT32_FLOOR } from '../src/tolerance.ts';
import { type InitDistribution, type InitMethod, initDistribution } from '../reference/init.ts';
import { MISTAKEN_DISTRIBUTIONS } from './init.mistaken-distributions.ts';
import { ALPHA_PER_CALL, INIT_TOLERANCES, METHOD_GRIDS, initSchemes } from './init.suite.ts';

export type MistakeId = keyof typeof MISTAKEN_DISTRIBUTIONS;
type RandomMethod = Exclude<InitMethod, 'zero'>;

/** Which check is meant to catch which mistake, with power REQUIRED_POWER at every shape of its grid. */
export const POWER_CLAIMS: readonly (readonly [RandomMethod, MistakeId])[] = [
  ['xavier', 'xavier-fan-in-only'],
  ['he', 'he-fan-out'],
  ['small_random', 'std-variance-confused'],
  ['xavier', 'std-variance-confused'],
  ['he', 'std-variance-confused'],
  ['lecun', 'std-variance-confused'],
  ['max_fan', 'std-variance-confused'],
  ['xavier_uniform', 'uniform-bound-is-std'],
  ['he_uniform', 'uniform-bound-is-std'],
  ['xavier_uniform', 'normal-for-uniform'],
  ['he_uniform', 'normal-for-uniform'],
];

/** The widest slack a check may allow around a uniform bound: INIT_TOLERANCES.uniformBound widened for float32. */
function worstSlack(a: number): number {
  const { rtol, atol } = INIT_TOLERANCES.uniformBound;
  return Math.max(atol, FLOAT32_FLOOR.atol) + Math.max(rtol, FLOAT32_FLOOR.rtol) * a;
}

/** P(one call with n entries from `x` fails the check of hypothesis `h`), a lower bound. */
export function callPower(h: InitDistribution, x: InitDistribution, n: number, alpha = ALPHA_PER_CALL): number {
  const level = bonferroni(alpha, 3);
  if (h.kind === 'normal' && x.kind === 'normal') {
    const ratio = (h.std / x.std) ** 2;
    const lo = chiSquareQuantile(level / 2, n);
    const hi = chiSquareQuantile(1 - level / 2, n);
    return chiSquareCdf(lo * ratio, n) + (1 - chiSquareCdf(hi * ratio, n));
  }
  if (h.kind === 'uniform' && x.kind === 'normal') {
    const outside = 2 * normalCdf(-(h.bound + worstSlack(h.bound)) / x.std);
    return 1 - (1 - outside) ** n;
  }
  if (h.kind === 'uniform' && x.kind === 'uniform') {
    const a = h.bound;
    const b = x.bound;
    if (b > a + worstSlack(a)) return 1 - ((a + worstSlack(a)) / b) ** n;
    const radius = bernsteinRadius(level, n, (4 * a ** 4) / 45, (2 * a * a) / 3);
    const gap = (a * a) / 3 - (b * b) / 3 - radius;
    return gap <= 0 ? 0 : 1 - bernsteinTail(gap, n, (4 * b ** 4) / 45, (2 * b * b) / 3);
  }
  throw new Error(`no power computation for ${h.kind} against ${x.kind}`);
}

export interface PowerRow {
  readonly method: RandomMethod;
  readonly mistake: MistakeId;
  readonly grid: string;
  /** The least powerful shape of the grid, and its power. */
  readonly worstShape: readonly [number, number];
  readonly minPower: number;
  /** sigma_X^2 / sigma_H^2 at the worst shape (for normal-against-normal and uniform-against-uniform). */
  readonly varianceRatio: number;
}

export function powerTable(): PowerRow[] {
  return POWER_CLAIMS.map(([method, mistake]) => {
    const grid = METHOD_GRIDS[method];
    let worst: { shape: readonly [number, number]; power: number; ratio: number } | undefined;
    for (const shape of grid.shapes) {
      const h = initDistribution(shape, method);
      const x = MISTAKEN_DISTRIBUTIONS[mistake](h, method, shape[0], shape[1]);
      const power = callPower(h, x, shape[0] * shape[1]);
      if (!worst || power < worst.power) worst = { shape, power, ratio: varianceOf(x) / varianceOf(h) };
    }
    return { method, mistake, grid: grid.description, worstShape: worst!.shape, minPower: worst!.power, varianceRatio: worst!.ratio };
  });
}

function varianceOf(d: InitDistribution): number {
  return d.kind === 'normal' ? d.std ** 2 : d.kind === 'uniform' ? d.bound ** 2 / 3 : 0;
}

/** The least n at which the normal variance test catches a variance ratio `ratio` with probability `power`. */
export function entriesNeeded(ratio: number, power: number, alpha = ALPHA_PER_CALL): number {
  const h: InitDistribution = { kind: 'normal', std: 1, formula: '' };
  const x: InitDistribution = { kind: 'normal', std: Math.sqrt(ratio), formula: '' };
  let lo = 2;
  let hi = 2;
  while (callPower(h, x, hi, alpha) < power) hi *= 2;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (callPower(h, x, mid, alpha) >= power) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The family-wise false-failure bound of the problem at its default run counts (Bonferroni over every call). */
export function suiteAlpha(): { calls: number; alpha: number } {
  const calls = initSchemes.checks.filter((c) => c.id.endsWith('-distribution')).reduce((s, c) => s + c.numRuns, 0);
  return { calls, alpha: calls * ALPHA_PER_CALL };
}

function main(): void {
  const fmt = (p: number) => (p >= 1 - 1e-15 ? '1 - <1e-15' : p > 0.999999 ? `1 - ${(1 - p).toExponential(1)}` : p.toFixed(6));
  console.log('| check | mistake | worst shape (n) | Var ratio | P(one call fails) | n needed at that ratio |');
  console.log('|---|---|---|---|---|---|');
  for (const r of powerTable()) {
    const n = r.worstShape[0] * r.worstShape[1];
    const normalPair = r.method !== 'xavier_uniform' && r.method !== 'he_uniform';
    const needed = normalPair ? String(entriesNeeded(r.varianceRatio, 0.999)) : '-';
    console.log(`| ${r.method} | ${r.mistake} | (${r.worstShape.join(', ')}) (${n}) | ${r.varianceRatio.toPrecision(3)} | ${fmt(r.minPower)} | ${needed} |`);
  }
  const { calls, alpha } = suiteAlpha();
  console.log(`\nper call: ${ALPHA_PER_CALL}; calls at default runs: ${calls}; family-wise bound: ${alpha.toExponential(2)}`);
  for (const ratio of [0.5, 0.625, 0.75, 0.8, 0.9, 1.25, 1.5, 2]) {
    console.log(`entries needed for power 0.999 at variance ratio ${ratio}: ${entriesNeeded(ratio, 0.999)}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
