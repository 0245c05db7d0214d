// Statistics for grading random answers (an initialiser's matrix, activation statistics): distribution
// functions, the Kolmogorov-Smirnov distance, one-sample tests for "entries are N(0, s^2)" and "entries are
// U(-a, a)" with a stated false-failure probability, and multiple-testing corrections. Knows no problem.
//
// Distribution functions come from jStat (one package, no dependencies). Measured against scipy in
// spec/engine/stats.spec.ts: normal and chi-square quantiles to 5e-8 relative for tail probabilities down to
// 5e-11 (1e-6 at 1e-12) and k up to 30000; the normal CDF to 1e-15 absolute everywhere, but relative only
// 1e-10 at x = -5, 1e-5 at -7 and 2% at -8 (0 below -8.5). Enough here: decisions compare statistics with
// quantiles at tail probabilities >= 1e-11, and a p-value under 1e-12 is only ever reported as tiny.
//
// Every test states what its false-failure probability rests on: exact distributions for normal samples
// (the sample mean is normal, the sum of squares is chi-square), and inequalities valid at every n for the
// rest (Dvoretzky-Kiefer-Wolfowitz-Massart for Kolmogorov-Smirnov, Bernstein for bounded variables).

import jStat from 'jstat';
import { maxAbs } from './numeric.ts';

// ---- distribution functions ------------------------------------------------------------------------------

function requireProbability(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new Error(`probability must be in [0, 1], got ${p}`);
}

function requireDegrees(k: number): void {
  if (!(k > 0) || !Number.isFinite(k)) throw new Error(`degrees of freedom must be positive, got ${k}`);
}

/** P(X <= x) for X ~ N(mean, sd^2); the lower tail is computed as erfc(-z/sqrt 2)/2, without 1 - p cancellation. */
export function normalCdf(x: number, mean = 0, sd = 1): number {
  if (!(sd > 0)) throw new Error(`sd must be positive, got ${sd}`);
  const z = (x - mean) / sd;
  if (Number.isNaN(z)) return NaN;
  return z < 0 ? 0.5 * jStat.erfc(-z / Math.SQRT2) : 1 - 0.5 * jStat.erfc(z / Math.SQRT2);
}

/** The p-quantile of N(mean, sd^2): -Infinity at p = 0, Infinity at p = 1. */
export function normalQuantile(p: number, mean = 0, sd = 1): number {
  requireProbability(p);
  if (!(sd > 0)) throw new Error(`sd must be positive, got ${sd}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return mean;
  return jStat.normal.inv(p, mean, sd);
}

/** P(X <= x) for X ~ chi-square with k degrees of freedom. */
export function chiSquareCdf(x: number, k: number): number {
  requireDegrees(k);
  if (Number.isNaN(x)) return NaN;
  if (x <= 0) return 0;
  if (x === Infinity) return 1;
  return jStat.chisquare.cdf(x, k);
}

/** The p-quantile of chi-square with k degrees of freedom. */
export function chiSquareQuantile(p: number, k: number): number {
  requireProbability(p);
  requireDegrees(k);
  if (p === 0) return 0;
  if (p === 1) return Infinity;
  return jStat.chisquare.inv(p, k);
}

// ---- Kolmogorov-Smirnov ------------------------------------------------------------------------------------

/** D = sup_x |F_n(x) - F(x)|, the Kolmogorov-Smirnov distance of a sample from a continuous CDF. */
export function ksStatistic(sample: readonly number[], cdf: (x: number) => number): number {
  const n = sample.length;
  if (n === 0) throw new Error('the sample is empty');
  const sorted = Float64Array.from(sample).sort(); // numeric, and 6x faster than Array.sort on a layer's 200,000 weights
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]!);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/**
 * P(K > lambda) for the Kolmogorov distribution K, the limit of sqrt(n) D_n: the alternating series
 * 2 sum_k (-1)^(k-1) exp(-2 k^2 lambda^2) for lambda >= 1, the theta-function form of the CDF below.
 */
export function kolmogorovSurvival(lambda: number): number {
  if (Number.isNaN(lambda)) return NaN;
  if (lambda <= 0) return 1;
  if (lambda < 1) {
    if (lambda < 0.05) return 1;
    const c = (Math.PI * Math.PI) / (8 * lambda * lambda);
    let sum = 0;
    for (let k = 1; k <= 20; k++) sum += Math.exp(-(2 * k - 1) * (2 * k - 1) * c);
    return Math.min(1, Math.max(0, 1 - (Math.sqrt(2 * Math.PI) / lambda) * sum));
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    sum += k % 2 === 1 ? term : -term;
    if (term < 1e-18 * sum) break;
  }
  return Math.min(1, Math.max(0, 2 * sum));
}

/**
 * The asymptotic Kolmogorov-Smirnov p-value P(sqrt(n) D_n > sqrt(n) d) ~ P(K > sqrt(n) d). Good to about
 * 1/sqrt(n) relative for n >= 100; for a bound that holds at every n use dkwBound.
 */
export function ksPValue(d: number, n: number): number {
  return kolmogorovSurvival(Math.sqrt(n) * d);
}

/**
 * The Dvoretzky-Kiefer-Wolfowitz inequality with Massart's constant: P(D_n > d) <= 2 exp(-2 n d^2) for every
 * n and every continuous F. It is the first term of the asymptotic series, so at the small p-values that
 * decide a test it equals the asymptotic p-value to many digits, and it is never below it.
 */
export function dkwBound(d: number, n: number): number {
  return Math.min(1, 2 * Math.exp(-2 * n * d * d));
}

/** The distance d with dkwBound(d, n) = alpha: D_n exceeds it with probability at most alpha. */
export function dkwRadius(alpha: number, n: number): number {
  return Math.sqrt(Math.log(2 / alpha) / (2 * n));
}

// ---- bounded variables ---------------------------------------------------------------------------------------

/**
 * Bernstein's inequality for the mean of n independent variables with variance v and |X - mu| <= b:
 * P(|mean - mu| >= t) <= 2 exp(-n t^2 / (2 v + 2 b t / 3)).
 */
export function bernsteinTail(t: number, n: number, variance: number, bound: number): number {
  if (!(t > 0)) return 1;
  return Math.min(1, 2 * Math.exp((-n * t * t) / (2 * variance + (2 * bound * t) / 3)));
}

/** The deviation t with bernsteinTail(t, n, v, b) = alpha. */
export function bernsteinRadius(alpha: number, n: number, variance: number, bound: number): number {
  const L = Math.log(2 / alpha);
  const lin = (2 * bound * L) / 3;
  return (lin + Math.sqrt(lin * lin + 8 * n * variance * L)) / (2 * n);
}

// ---- multiple testing --------------------------------------------------------------------------------------

/** The per-test level that keeps the family-wise false-failure probability of m tests at most alpha. */
export function bonferroni(alpha: number, m: number): number {
  if (!(m >= 1)) throw new Error(`the number of tests must be at least 1, got ${m}`);
  return alpha / m;
}

/**
 * Holm's step-down procedure: which hypotheses to reject so that the family-wise error is at most alpha.
 * It rejects something exactly when Bonferroni does (the smallest p-value is at most alpha / m) and then
 * possibly more, so "any rejection" has the same probability under both.
 */
export function holm(pValues: readonly number[], alpha: number): boolean[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const rejected = pValues.map(() => false);
  for (let step = 0; step < m; step++) {
    const [p, i] = order[step]!;
    if (!(p <= alpha / (m - step))) break;
    rejected[i] = true;
  }
  return rejected;
}

// ---- one-sample tests ----------------------------------------------------------------------------------------

export type SampleTestName = 'mean' | 'variance' | 'ks' | 'support';

export interface SampleTest {
  readonly name: SampleTestName;
  /** The observed statistic: the sample mean, the mean square, the KS distance, or max |x|. */
  readonly statistic: number;
  /** Its value under the hypothesis (the KS distance: 0). */
  readonly expected: number;
  /** Where the statistic must lie not to be rejected (at the level of the first Holm step, alpha / m). */
  readonly acceptance: readonly [number, number];
  /** The (exact or upper-bound) p-value; 0 or 1 for the deterministic support condition. */
  readonly pValue: number;
  readonly rejected: boolean;
}

export interface SampleVerdict {
  readonly n: number;
  /** The false-failure probability of the whole verdict. */
  readonly alpha: number;
  readonly tests: readonly SampleTest[];
  readonly passed: boolean;
}

function requireSample(sample: readonly number[]): void {
  if (sample.length === 0) throw new Error('the sample is empty');
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);

function verdict(n: number, alpha: number, random: Omit<SampleTest, 'rejected'>[], exact: SampleTest[] = []): SampleVerdict {
  const rejected = holm(random.map((t) => t.pValue), alpha);
  const tests = [...exact, ...random.map((t, i) => ({ ...t, rejected: rejected[i]! }))];
  return { n, alpha, tests, passed: tests.every((t) => !t.rejected) };
}

/**
 * Tests "the entries are independent N(0, sd^2)" with false-failure probability at most alpha (Holm over three
 * tests, each exact for a normal sample at any n): the mean (normal with variance sd^2/n), the mean square
 * (sd^2 chi-square_n / n: the mean is known to be 0, so all n degrees of freedom count) and the
 * Kolmogorov-Smirnov distance to N(0, sd^2) (DKW bound).
 */
export function testNormalSample(sample: readonly number[], sd: number, alpha: number): SampleVerdict {
  requireSample(sample);
  if (!(sd > 0)) throw new Error(`sd must be positive, got ${sd}`);
  const n = sample.length;
  const level = bonferroni(alpha, 3);
  const mean = sum(sample) / n;
  const z = (mean * Math.sqrt(n)) / sd;
  const zCrit = -normalQuantile(level / 2);
  const halfWidth = (zCrit * sd) / Math.sqrt(n);
  const squares = sum(sample.map((x) => x * x));
  const t = squares / (sd * sd);
  const lower = chiSquareCdf(t, n);
  const variance = sd * sd;
  const d = ksStatistic(sample, (x) => normalCdf(x, 0, sd));
  return verdict(n, alpha, [
    { name: 'mean', statistic: mean, expected: 0, acceptance: [-halfWidth, halfWidth], pValue: Math.min(1, jStat.erfc(Math.abs(z) / Math.SQRT2)) },
    {
      name: 'variance',
      statistic: squares / n,
      expected: variance,
      acceptance: [(variance * chiSquareQuantile(level / 2, n)) / n, (variance * chiSquareQuantile(1 - level / 2, n)) / n],
      pValue: Math.min(1, 2 * Math.min(lower, 1 - lower)),
    },
    { name: 'ks', statistic: d, expected: 0, acceptance: [0, dkwRadius(level, n)], pValue: dkwBound(d, n) },
  ]);
}

/**
 * Tests "the entries are independent U(-a, a)" with false-failure probability at most alpha: every entry in
 * [-a - slack, a + slack] (deterministic: a uniform sample never fails it; slack covers rounding of the bound),
 * then Holm over three tests that hold at any n: the mean and the mean square by Bernstein's inequality
 * (|x| <= a, Var x = a^2/3; |x^2 - a^2/3| <= 2a^2/3, Var x^2 = 4a^4/45) and the Kolmogorov-Smirnov distance to
 * U(-a, a) (DKW bound).
 */
export function testUniformSample(sample: readonly number[], a: number, alpha: number, slack = 0): SampleVerdict {
  requireSample(sample);
  if (!(a > 0)) throw new Error(`the bound must be positive, got ${a}`);
  const n = sample.length;
  const level = bonferroni(alpha, 3);
  const largest = maxAbs(sample); // not Math.max(...): a layer's 200,000 weights overflow the call stack
  const support: SampleTest = {
    name: 'support',
    statistic: largest,
    expected: a,
    acceptance: [0, a + slack],
    pValue: largest <= a + slack ? 1 : 0,
    rejected: !(largest <= a + slack),
  };
  const mean = sum(sample) / n;
  const meanVar = (a * a) / 3;
  const meanRadius = bernsteinRadius(level, n, meanVar, a);
  const meanSquare = sum(sample.map((x) => x * x)) / n;
  const mu2 = (a * a) / 3;
  const sqVar = (4 * a ** 4) / 45;
  const sqBound = (2 * a * a) / 3;
  const sqRadius = bernsteinRadius(level, n, sqVar, sqBound);
  const d = ksStatistic(sample, (x) => Math.min(1, Math.max(0, (x + a) / (2 * a))));
  return verdict(
    n,
    alpha,
    [
      { name: 'mean', statistic: mean, expected: 0, acceptance: [-meanRadius, meanRadius], pValue: bernsteinTail(Math.abs(mean), n, meanVar, a) },
      {
        name: 'variance',
        statistic: meanSquare,
        expected: mu2,
        acceptance: [mu2 - sqRadius, mu2 + sqRadius],
        pValue: bernsteinTail(Math.abs(meanSquare - mu2), n, sqVar, sqBound),
      },
      { name: 'ks', statistic: d, expected: 0, acceptance: [0, dkwRadius(level, n)], pValue: dkwBound(d, n) },
    ],
    [support],
  );
}

/** Mean and standard deviation (sample std, n - 1 in the denominator, as torch.std and np.std(ddof=1)). */
export function meanAndStd(xs: readonly number[]): [number, number] {
  requireSample(xs);
  const n = xs.length;
  const mean = sum(xs) / n;
  if (n === 1) return [mean, NaN];
  const ss = xs.reduce((s, x) => s + (x - mean) * (x - mean), 0);
  return [mean, Math.sqrt(ss / (n - 1))];
}

// ---- two samples ---------------------------------------------------------------------------------------------

export interface SampleComparison {
  /** Two-sample Kolmogorov-Smirnov distance and its asymptotic p-value (n m / (n + m) >= 50 or so). */
  readonly ks: number;
  readonly ksPValue: number;
  /** log(mean square of a / mean square of b) and its p-value (normal approximation, fourth moments estimated). */
  readonly logScaleRatio: number;
  readonly scalePValue: number;
  /** Neither test rejects "same distribution" at alpha (Holm). */
  readonly consistent: boolean;
}

/**
 * Are two samples consistent with one distribution? For naming a random answer's mistake: the answer of a
 * submission and the answer of a named-mistake variant to the same call are compared as samples, not entry by
 * entry. Holm at alpha over a two-sample KS test and a test of equal mean squares (the scale, for the zero-mean
 * distributions of initialisers).
 */
export function compareSamples(a: readonly number[], b: readonly number[], alpha: number): SampleComparison {
  requireSample(a);
  requireSample(b);
  const n = a.length;
  const m = b.length;
  const sa = [...a].sort((x, y) => x - y);
  const sb = [...b].sort((x, y) => x - y);
  let i = 0;
  let j = 0;
  let ks = 0;
  while (i < n && j < m) {
    const x = Math.min(sa[i]!, sb[j]!);
    while (i < n && sa[i]! <= x) i++;
    while (j < m && sb[j]! <= x) j++;
    ks = Math.max(ks, Math.abs(i / n - j / m));
  }
  const ksP = kolmogorovSurvival(Math.sqrt((n * m) / (n + m)) * ks);
  const moments = (xs: readonly number[]) => {
    const ms = sum(xs.map((x) => x * x)) / xs.length;
    const m4 = sum(xs.map((x) => x ** 4)) / xs.length;
    return { ms, m4 };
  };
  const A = moments(a);
  const B = moments(b);
  let logScaleRatio: number;
  let scalePValue: number;
  if (A.ms === 0 || B.ms === 0) {
    logScaleRatio = A.ms === B.ms ? 0 : A.ms === 0 ? -Infinity : Infinity;
    scalePValue = A.ms === B.ms ? 1 : 0;
  } else {
    logScaleRatio = Math.log(A.ms / B.ms);
    const se = Math.sqrt(Math.max(0, A.m4 / A.ms ** 2 - 1) / n + Math.max(0, B.m4 / B.ms ** 2 - 1) / m);
    scalePValue = se === 0 ? (logScaleRatio === 0 ? 1 : 0) : Math.min(1, jStat.erfc(Math.abs(logScaleRatio / se) / Math.SQRT2));
  }
  const rejected = holm([ksP, scalePValue], alpha);
  return { ks, ksPValue: ksP, logScaleRatio, scalePValue, consistent: !rejected.some(Boolean) };
}
