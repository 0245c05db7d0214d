// init-schemes (seed 000 Q5.1, seed 002 P4, seed 003 part 4): initialize_weights(shape, method), graded
// statistically. docs/statistics.md has the design and the numbers; spec/init.power.ts computes them.
//
// A check calls the subject's initialize_weights(shape, method) and tests the matrix it returns against the
// named distribution: shape exact; for normal methods the mean (normal interval), the mean of squares (chi-square
// interval: the mean is known to be 0) and the Kolmogorov-Smirnov distance; for uniform methods every entry
// within the bound, the mean and mean of squares (Bernstein intervals) and the KS distance. Each call is one
// test at false-failure probability ALPHA_PER_CALL (Holm over its three random tests), whatever RNG and seed the
// subject uses: the fast-check seed only picks shapes, never the subject's draws. Over the suite's default runs
// the family-wise false-failure probability is at most SUITE_ALPHA (Bonferroni over every call).
//
// Power: the shapes are drawn from grids (SHAPE_GRIDS) on which every named mistake fails a single call with
// probability >= 0.999 (spec/init.spec.ts asserts it from exact distributions). Xavier, He, LeCun and
// max-fan are drawn tall or wide (fan_out/fan_in >= 4 or <= 1/4): at fan_in = fan_out, Xavier equals
// N(0, 1/fan_in) and He(fan_in) equals He(fan_out), so no test can tell those mistakes apart there.
//
// Named mistakes are random too. The reference and every variant draw from an rng seeded by the call's
// arguments (reference/init.ts callRng), so in this process a failing call replayed on the right variant
// reproduces the answer exactly and the runner names the mistake. A student's draws cannot be replayed: naming
// a mistake in a submission needs the runner to compare distributions instead of numbers (docs/statistics.md).

import fc from 'fast-check';
import { flattenTree } from '../src/decode.ts';
import { type Call, CheckFailure, type Plot, SubjectError } from '../src/failure.ts';
import { formatNumber, formatValue } from '../src/format.ts';
import { callLike, expectClose, expectFinite, expectThat, withPlots } from '../src/laws.ts';
import { type Check, type Problem, defineCheck } from '../src/problem.ts';
import { type SampleTest, type SampleVerdict, compareSamples, testNormalSample, testUniformSample } from '../src/stats.ts';
import type { Value } from '../src/failure.ts';
import type { Subject } from '../src/subject.ts';
import { describeShape } from '../src/decode.ts';
import { tolerance } from '../src/tolerance.ts';
import { type InitDistribution, type InitMethod, activationStats, initDistribution } from '../reference/init.ts';
import { Rng, hashSeed } from '../src/rng.ts';
import { activationStatisticsMistakes, initSchemesMistakes, initSchemesPlantedMistakes } from './init.mistakes.ts';

/** False-failure probability of one call of a distribution check (a correct submission, any RNG, any seed). */
export const ALPHA_PER_CALL = 5e-10;
/** What the whole problem may cost a correct submission at its default run counts (asserted in init.spec.ts). */
export const SUITE_ALPHA = 1e-6;
/** The per-call probability that each named mistake is caught, at every shape of the grids (asserted). */
export const REQUIRED_POWER = 0.999;

export const INIT_TOLERANCES = {
  /** zero means 0.0: np.zeros and torch.zeros are exact in every dtype. */
  zero: tolerance(0, 0, 'the zero method returns exact zeros'),
  /**
   * A uniform draw never leaves [-a, a]; a float32 answer may round a bound-hugging entry, or the bound itself
   * computed in float32, by 6e-8 relative. 1e-6 relative leaves room for that and moves the probability that a
   * same-variance normal stays inside (the power against normal-for-uniform) by less than 1e-6.
   */
  uniformBound: tolerance(1e-6, 0, 'rounding of the uniform bound and of entries near it'),
} as const;

// ---- shapes ----------------------------------------------------------------------------------------------

export interface ShapeGrid {
  readonly description: string;
  /** Every shape the arbitrary can produce, for the power computation. */
  readonly shapes: readonly (readonly [number, number])[];
  readonly arbitrary: fc.Arbitrary<[number, number]>;
}

/** fan_in, fan_out each in [lo, hi]. */
function squareish(lo: number, hi: number): ShapeGrid {
  const sides = Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
  return {
    description: `fan_in, fan_out in [${lo}, ${hi}]`,
    shapes: sides.flatMap((a) => sides.map((b) => [a, b] as const)),
    arbitrary: fc.tuple(fc.integer({ min: lo, max: hi }), fc.integer({ min: lo, max: hi })),
  };
}

/**
 * Tall or wide: a short side s and a long side L with 4 <= L/s <= 10 and minN <= s L <= maxN, either way round.
 * Shrinks toward a small short side, a short long side, and fan_in < fan_out.
 */
function tallOrWide(minN: number, maxN: number): ShapeGrid {
  const longSides = (s: number) => {
    const lo = Math.max(4 * s, Math.ceil(minN / s));
    const hi = Math.min(10 * s, Math.floor(maxN / s));
    return { lo, hi };
  };
  const shorts: number[] = [];
  for (let s = 1; s * 4 * s <= maxN; s++) if (longSides(s).lo <= longSides(s).hi) shorts.push(s);
  const sMin = shorts[0]!;
  const sMax = shorts[shorts.length - 1]!;
  if (shorts.length !== sMax - sMin + 1) throw new Error('tallOrWide: the short sides must be contiguous');
  return {
    description: `tall or wide: short side s, long side L with 4 <= L/s <= 10 and ${minN} <= s L <= ${maxN}`,
    shapes: shorts.flatMap((s) => {
      const { lo, hi } = longSides(s);
      return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i).flatMap((L) => [[s, L] as const, [L, s] as const]);
    }),
    arbitrary: fc
      .integer({ min: sMin, max: sMax })
      .chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: longSides(s).lo, max: longSides(s).hi }), fc.boolean()))
      .map(([s, L, tall]) => (tall ? [L, s] : [s, L])),
  };
}

export const SHAPE_GRIDS = {
  /** Xavier must tell 2/(fan_in + fan_out) from 1/fan_in, a variance ratio down to 0.625: about 1000 entries. */
  xavier: tallOrWide(1000, 2500),
  /** He, LeCun, max-fan: the mistakes change the variance by 4x or more. */
  fanScaled: tallOrWide(256, 1024),
  /** small_random and the uniform methods: the mistakes change the variance 3x or the support. */
  generic: squareish(16, 40),
  /** Shape and exact-zero checks: every small shape, fans of 1 included. */
  small: squareish(1, 12),
} as const satisfies Record<string, ShapeGrid>;

/** The grid each distribution check draws from. */
export const METHOD_GRIDS: Readonly<Record<Exclude<InitMethod, 'zero'>, ShapeGrid>> = {
  small_random: SHAPE_GRIDS.generic,
  xavier: SHAPE_GRIDS.xavier,
  he: SHAPE_GRIDS.fanScaled,
  xavier_uniform: SHAPE_GRIDS.generic,
  he_uniform: SHAPE_GRIDS.generic,
  lecun: SHAPE_GRIDS.fanScaled,
  max_fan: SHAPE_GRIDS.fanScaled,
};

const REQUIRED_METHODS = ['zero', 'small_random', 'xavier', 'he'] as const;

/** Diagnosis: a random answer is a mistake's when it has the variant's shape and its distribution (alpha 1e-3). */
export const sameDistribution = (received: Value, variant: Value): boolean => {
  if (describeShape(received) !== describeShape(variant) || !Array.isArray(received)) return false;
  const flat = (v: Value) => (v as number[][]).flat().filter((x): x is number => typeof x === 'number');
  return compareSamples(flat(received), flat(variant), 1e-3).consistent;
};

const zeros = (rows: number, cols: number): number[][] => Array.from({ length: rows }, () => new Array<number>(cols).fill(0));

async function callInit(subject: Parameters<Check['property']>[0], shape: readonly [number, number], method: string) {
  return callLike(subject, 'initialize_weights', [[...shape], method], zeros(shape[0], shape[1]));
}

// ---- the distribution checks ---------------------------------------------------------------------------------

const TEST_WORDS: Record<SampleTest['name'], string> = {
  mean: 'mean',
  variance: 'mean of squares (the variance: the mean is 0)',
  ks: 'Kolmogorov-Smirnov distance',
  support: 'largest |entry|',
};

export function rejectionText(t: SampleTest): string {
  const [lo, hi] = t.acceptance;
  const where = t.name === 'ks' || t.name === 'support' ? `above ${formatNumber(hi)}` : `outside [${formatNumber(lo)}, ${formatNumber(hi)}]`;
  return `${TEST_WORDS[t.name]} ${formatNumber(t.statistic)} ${where}`;
}

export function distributionText(d: Exclude<InitDistribution, { kind: 'zero' }>): string {
  return d.kind === 'normal' ? `${d.formula} = N(0, ${formatNumber(d.std ** 2)})` : `${d.formula} = U(-${formatNumber(d.bound)}, ${formatNumber(d.bound)})`;
}

/**
 * Tests entries against a random method's distribution, at false-failure probability ALPHA_PER_CALL whatever the
 * RNG (docs/statistics.md); `uniformSlack` is how far past the bound rounding may put a uniform entry.
 */
export function testInitSample(entries: readonly number[], d: Exclude<InitDistribution, { kind: 'zero' }>, uniformSlack: number): SampleVerdict {
  return d.kind === 'normal' ? testNormalSample(entries, d.std, ALPHA_PER_CALL) : testUniformSample(entries, d.bound, ALPHA_PER_CALL, uniformSlack);
}

/** A failed verdict in words: "are not N(0, 2/fan_in) = N(0, 0.0625): mean of squares 0.12 outside [...]. A correct ...". */
export function verdictText(d: Exclude<InitDistribution, { kind: 'zero' }>, v: SampleVerdict): string {
  const reasons = v.tests.filter((t) => t.rejected).map(rejectionText).join('; ');
  return `are not ${distributionText(d)}: ${reasons}. A correct implementation fails this with probability < ${formatNumber(v.alpha)}.`;
}

function fail(call: Call, d: Exclude<InitDistribution, { kind: 'zero' }>, v: SampleVerdict): never {
  const stat = (name: SampleTest['name']) => v.tests.find((t) => t.name === name)!.statistic;
  const variance = d.kind === 'normal' ? d.std ** 2 : d.bound ** 2 / 3;
  throw new CheckFailure({
    code: 'value_mismatch',
    message: `the ${v.n} entries of ${call.fn}(${formatValue(call.args[0])}, ${formatValue(call.args[1])}) ${verdictText(d, v)}`,
    call,
    expected: { mean: 0, variance, ...(d.kind === 'uniform' ? { max_abs: d.bound } : {}) },
    received: { mean: stat('mean'), variance: stat('variance'), ks_distance: stat('ks'), ...(d.kind === 'uniform' ? { max_abs: stat('support') } : {}) },
  });
}

function distributionCheck(method: Exclude<InitMethod, 'zero'>, title: string): Check {
  const grid = METHOD_GRIDS[method];
  return defineCheck({
    id: `${method.replace('_', '-')}-distribution`,
    title,
    // The four methods the homeworks ask for are required; the others are the catalog's extras.
    optional: !(REQUIRED_METHODS as readonly string[]).includes(method),
    arbitrary: grid.arbitrary,
    sameAnswer: sameDistribution,
    run: async (subject, shape, context) => {
      const d = initDistribution(shape, method);
      if (d.kind === 'zero') throw new Error(`${method} is not random`);
      const { call, value } = await callInit(subject, shape, method);
      const entries = flattenTree(value);
      expectFinite(value, call, `${method} entries are finite`);
      const { rtol, atol } = context.tol(INIT_TOLERANCES.uniformBound);
      const verdict = testInitSample(entries, d, d.kind === 'uniform' ? atol + rtol * d.bound : 0);
      if (!verdict.passed) fail(call, d, verdict);
    },
  });
}

const UNKNOWN_METHODS = ['bogus', 'not_a_method', '', 'xavier_he', 'glorot-ish'] as const;

const unknownMethod = fc.record({
  shape: fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 })).map(([a, b]) => [a, b]),
  method: fc.constantFrom(...UNKNOWN_METHODS),
});

const badShape = fc.record({
  shape: fc.oneof(fc.tuple(fc.integer({ min: 1, max: 6 })), fc.tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 6 }))).map((s) => [...s]),
  method: fc.constantFrom(...REQUIRED_METHODS),
});

/** initialize_weights must raise on these arguments (a handout may ask for one kind of rejection and not the other). */
function rejects(id: string, title: string, arbitrary: fc.Arbitrary<{ shape: number[]; method: string }>): Check {
  return defineCheck({
    id,
    title,
    arbitrary,
    run: async (subject, { shape, method }) => {
      const call: Call = { fn: 'initialize_weights', args: [shape, method] };
      let answer: unknown;
      try {
        answer = await subject.call(call.fn, call.args);
      } catch (error) {
        if (error instanceof SubjectError && error.code === 'raised') return;
        throw error;
      }
      const what = shape.length !== 2 ? `the shape ${formatValue(shape)} is not a pair` : `${JSON.stringify(method)} is not a method`;
      expectThat(false, { message: `${what}, so initialize_weights must raise; it returned a value`, call, received: answer as never });
    },
  });
}

// ---- named mistakes --------------------------------------------------------------------------------------------


export const initSchemes: Problem = {
  id: 'init-schemes',
  title: 'Weight initialisation schemes (graded statistically)',
  source: 'seed 000 Q5.1, seed 002 P4, seed 003 part 4',
  signatures: ['initialize_weights(shape, method)'],
  intArgs: { initialize_weights: [0] },
  checks: [
    defineCheck({
      id: 'returns-fan-in-by-fan-out',
      title: "initialize_weights((fan_in, fan_out), method) returns a fan_in x fan_out matrix of finite numbers ('zero', 'small_random', 'xavier', 'he')",
      arbitrary: fc.tuple(SHAPE_GRIDS.small.arbitrary, fc.constantFrom(...REQUIRED_METHODS)),
      sameAnswer: sameDistribution,
      run: async (subject, [shape, method]) => {
        const { call, value } = await callInit(subject, shape, method);
        expectFinite(value, call, 'every entry is finite');
      },
    }),
    defineCheck({
      id: 'zero-is-exactly-zero',
      title: "initialize_weights(shape, 'zero') is exactly 0 everywhere",
      arbitrary: SHAPE_GRIDS.small.arbitrary,
      tolerance: INIT_TOLERANCES.zero,
      sameAnswer: sameDistribution,
      run: async (subject, shape, context) => {
        const { call, value } = await callInit(subject, shape, 'zero');
        expectClose(value, zeros(shape[0], shape[1]), context.tol(INIT_TOLERANCES.zero), { message: "the 'zero' method returns zeros", call });
      },
    }),
    rejects('rejects-unknown-method', 'an unknown method raises ValueError (Error in JS)', unknownMethod),
    rejects('rejects-bad-shape', 'a shape that is not a pair (fan_in, fan_out) raises ValueError (Error in JS)', badShape),
    distributionCheck('small_random', "'small_random' entries are N(0, 0.01^2)"),
    distributionCheck('xavier', "'xavier' entries are N(0, 2/(fan_in + fan_out)) (tall and wide shapes)"),
    distributionCheck('he', "'he' entries are N(0, 2/fan_in) (tall and wide shapes)"),
    distributionCheck('xavier_uniform', "'xavier_uniform' entries are U(-sqrt(6/(fan_in + fan_out)), +sqrt(6/(fan_in + fan_out)))"),
    distributionCheck('he_uniform', "'he_uniform' entries are U(-sqrt(6/fan_in), +sqrt(6/fan_in))"),
    distributionCheck('lecun', "'lecun' entries are N(0, 1/fan_in) (tall and wide shapes)"),
    distributionCheck('max_fan', "'max_fan' entries are N(0, 1/max(fan_in, fan_out)) (tall and wide shapes)"),
  ],
  mistakes: initSchemesMistakes,
  planted: initSchemesPlantedMistakes,
};

// ---- activation-statistics -------------------------------------------------------------------------------------
//
// activation_stats(X, method, activation, widths, seed) returns one [mean, std] per hidden layer. A submission
// draws its weights from its own RNG, so its answer is one draw from a distribution over weight draws; the
// check compares it with the reference's distribution for the same configuration, estimated once per process
// from REFERENCE_DRAWS seeds. Over weight draws a layer's std is a product of per-layer gains, so log(std) is
// close to normal, and so is a layer's mean (of log(mean) for ReLU, where the mean is a product too;
// spec/init.spec.ts checks the tails on 400 draws): the band is center +- k standard deviations, k =
// ACTIVATION_TOLERANCES.band.atol. At k = 8 a normal statistic leaves the band with probability 1.2e-15; with the sd estimated from 60
// draws (relative error ~9%; underestimated by 35% with probability < 1e-4) that is at most 3.6e-9 per
// statistic, 2.9e-8 per call (4 layers x 2), 5.8e-6 over the check's 200 calls. This rests on the normal
// approximation (not an inequality, unlike init-schemes): docs/statistics.md.

export const REFERENCE_DRAWS = 60;

export const ACTIVATION_TOLERANCES = {
  /** In standard deviations of the reference's distribution over weight seeds (log scale for std). */
  band: tolerance(0, 8, 'standard deviations of the reference over 60 weight seeds (log scale for std)'),
  /** Rounding of a mean or std over 1024 entries; keeps the all-zero configuration exact. */
  floor: tolerance(1e-9, 1e-12, 'rounding of sums over 1024 activations'),
} as const;

/** The configurations the check draws: the seed's four methods with tanh and ReLU (catalog part C). */
export const ACTIVATION_CONFIGS = [
  { method: 'xavier', activation: 'tanh' },
  { method: 'he', activation: 'relu' },
  { method: 'small_random', activation: 'tanh' },
  { method: 'zero', activation: 'tanh' },
  { method: 'zero', activation: 'relu' },
  { method: 'he', activation: 'tanh' },
  { method: 'xavier', activation: 'relu' },
] as const;

export const ACTIVATION_WIDTHS = [32, 32, 32, 32] as const;
const BATCH = { rows: 32, cols: 16 } as const;

/** The fixed Gaussian batch (the real-MNIST replication of seed 000 Q5.2 is for later). */
export function activationBatch(): number[][] {
  const rng = new Rng(hashSeed('activation-statistics batch'));
  return Array.from({ length: BATCH.rows }, () => rng.normalVector(BATCH.cols));
}

export interface LayerBand {
  /**
   * Mean over reference seeds of the layer's mean, and its sd: of log(mean) when the mean is positive on every
   * reference draw (ReLU: a product of layer gains, skewed like the std), of the mean itself otherwise (tanh).
   */
  readonly mean: readonly [number, number];
  readonly logMean: boolean;
  /** Mean over reference seeds of log(std) and its sd (std identically 0: [-Infinity, 0]). */
  readonly logStd: readonly [number, number];
}

const bandCache = new Map<string, LayerBand[]>();

/** Per hidden layer, the distribution of [mean, std] over draws (one answer of activation_stats per weight seed). */
function bandsFromDraws(draws: readonly (readonly (readonly number[])[])[]): LayerBand[] {
  const moments = (xs: number[]): [number, number] => {
    const mu = xs.reduce((a, b) => a + b, 0) / xs.length;
    return [mu, Math.sqrt(xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (xs.length - 1))];
  };
  return (draws[0] ?? []).map((_, l) => {
    const stds = draws.map((d) => d[l]![1]!);
    const means = draws.map((d) => d[l]![0]!);
    const logMean = means.every((m) => m > 0);
    return {
      mean: moments(logMean ? means.map(Math.log) : means),
      logMean,
      logStd: stds.every((s) => s === 0) ? ([-Infinity, 0] as const) : moments(stds.map(Math.log)),
    };
  });
}

/** The weight seeds the bands are drawn over (never a seed the check itself draws: those are below 2^31). */
const bandSeeds = Array.from({ length: REFERENCE_DRAWS }, (_, s) => 1_000_000 + s);

/** The reference's distribution of the answer for one configuration, per hidden layer (memoised). */
export function referenceBands(method: string, activation: string): LayerBand[] {
  const key = `${method}/${activation}`;
  const cached = bandCache.get(key);
  if (cached) return cached;
  const X = activationBatch();
  const bands = bandsFromDraws(bandSeeds.map((seed) => activationStats(X, method, activation, [...ACTIVATION_WIDTHS], seed)));
  bandCache.set(key, bands);
  return bands;
}

type Interval = readonly [number, number];

/** The accepted [lo, hi] of a layer's mean and std: k sd of the band (log scale where the band is), plus rounding. */
function layerIntervals(band: LayerBand, k: number, floor: { readonly rtol: number; readonly atol: number }): { mean: Interval; std: Interval } {
  const [center, sd] = band.mean;
  const mean: Interval = band.logMean
    ? [Math.exp(center - k * sd), Math.exp(center + k * sd)]
    : [center - (floor.atol + k * sd + floor.rtol * Math.abs(center)), center + (floor.atol + k * sd + floor.rtol * Math.abs(center))];
  const [logCenter, logSd] = band.logStd;
  const std: Interval =
    logCenter === -Infinity
      ? [-floor.atol, floor.atol] // all activations exactly 0
      : [Math.exp(logCenter - k * logSd) * (1 - floor.rtol) - floor.atol, Math.exp(logCenter + k * logSd) * (1 + floor.rtol) + floor.atol];
  return { mean, std };
}

const inside = (x: number, [lo, hi]: Interval) => x >= lo && x <= hi;

/**
 * Diagnosis of a random answer: a named mistake's activation_stats is run over the band seeds, and the
 * student's rows are the mistake's when every layer lies within the mistake's own bands (answers drawn with
 * another RNG can only be compared as distributions).
 */
async function mistakeBands(subject: Subject, call: Call): Promise<Value> {
  const [X, method, activation, widths] = call.args;
  const draws: number[][][] = [];
  for (const seed of bandSeeds) {
    const answer = await subject.call(call.fn, [X!, method!, activation!, widths!, seed]);
    if (!Array.isArray(answer) || !answer.every((row) => Array.isArray(row) && row.length === 2 && row.every((x) => typeof x === 'number'))) return null;
    draws.push(answer as number[][]);
  }
  return bandsFromDraws(draws).map((band) => {
    const { mean, std } = layerIntervals(band, ACTIVATION_TOLERANCES.band.atol, ACTIVATION_TOLERANCES.floor);
    return [...mean, ...std];
  });
}

const withinMistakeBands = (received: Value, intervals: Value): boolean =>
  Array.isArray(received) &&
  Array.isArray(intervals) &&
  received.length === intervals.length &&
  received.every((row, l) => {
    const [mLo, mHi, sLo, sHi] = intervals[l] as number[];
    return Array.isArray(row) && typeof row[0] === 'number' && typeof row[1] === 'number' && inside(row[0], [mLo!, mHi!]) && inside(row[1], [sLo!, sHi!]);
  });

/** The student's per-layer mean and std against the bands the check accepts, every layer. */
function activationPlots(config: (typeof ACTIVATION_CONFIGS)[number], bands: readonly LayerBand[], accepted: readonly { mean: Interval; std: Interval }[], rows: readonly number[][]): Plot[] {
  const x = bands.map((_, l) => l + 1);
  const what = `${config.method} init, ${config.activation}`;
  const centers = {
    mean: bands.map((b) => (b.logMean ? Math.exp(b.mean[0]) : b.mean[0])),
    std: bands.map((b) => (b.logStd[0] === -Infinity ? 0 : Math.exp(b.logStd[0]))),
  };
  const plot = (stat: 'mean' | 'std', column: number): Plot => ({
    kind: 'band',
    title: `${stat} of the activations per hidden layer (${what})`,
    xLabel: 'hidden layer',
    yLabel: stat,
    x,
    band: { label: "reference's band", lo: accepted.map((a) => a[stat][0]), hi: accepted.map((a) => a[stat][1]), center: centers[stat] },
    student: { label: 'your activation_stats', role: 'student', y: rows.map((r) => r[column]!) },
    ...(stat === 'std' && accepted.every((a) => a.std[0] > 0) && rows.every((r) => r[1]! > 0) ? { logY: true } : {}),
  });
  return [plot('mean', 0), plot('std', 1)];
}

const activationCall = (config: (typeof ACTIVATION_CONFIGS)[number], seed: number): Call => ({
  fn: 'activation_stats',
  args: [activationBatch(), config.method, config.activation, [...ACTIVATION_WIDTHS], seed],
});

export const activationStatistics: Problem = {
  id: 'activation-statistics',
  title: 'Activation statistics of an MLP at initialisation (graded against the distribution over weight draws)',
  source: 'seed 000 Q5.2 and Q5.4, seed 003 tasks 4.1-4.5',
  signatures: ['activation_stats(X, method, activation, widths, seed)'],
  intArgs: { activation_stats: [3] },
  checks: [
    defineCheck({
      id: 'matches-reference-distribution',
      title: `per hidden layer [mean, std] lies within ${ACTIVATION_TOLERANCES.band.atol} sd of the reference's distribution over weight seeds (32 x 16 Gaussian batch, widths 32-32-32-32)`,
      arbitrary: fc.record({ config: fc.constantFrom(...ACTIVATION_CONFIGS), seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }) }),
      tolerance: ACTIVATION_TOLERANCES.band,
      sameAnswer: withinMistakeBands,
      run: async (subject, { config, seed }, context) => {
        const call = activationCall(config, seed);
        try {
          const bands = referenceBands(config.method, config.activation);
          const { value } = await callLike(subject, call.fn, call.args, bands.map(() => [0, 0]));
          const rows = value as number[][];
          expectFinite(rows, call, 'every statistic is finite');
          const k = context.tol(ACTIVATION_TOLERANCES.band).atol;
          const floor = context.tol(ACTIVATION_TOLERANCES.floor);
          const accepted = bands.map((band) => layerIntervals(band, k, floor));
          withPlots(
            () => activationPlots(config, bands, accepted, rows),
            () =>
              bands.forEach((band, l) => {
                const [mean, std] = rows[l] as [number, number];
                const layer = `layer ${l + 1} (${config.method}, ${config.activation})`;
                const center = (log: boolean, c: number) => (log ? `geometric center ${formatNumber(Math.exp(c))}` : `center ${formatNumber(c)}`);
                for (const [name, x, interval, about] of [
                  ['mean', mean, accepted[l]!.mean, center(band.logMean, band.mean[0])],
                  ['std', std, accepted[l]!.std, band.logStd[0] === -Infinity ? 'every reference activation is 0' : center(true, band.logStd[0])],
                ] as const) {
                  expectThat(inside(x, interval), {
                    code: 'value_mismatch',
                    message: `${layer}: ${name} ${formatNumber(x)} outside the reference's band [${formatNumber(interval[0])}, ${formatNumber(interval[1])}] (${about})`,
                    call,
                    received: x,
                  });
                }
              }),
          );
        } catch (error) {
          // Any wrong answer (shape included) is diagnosed against the mistakes' distributions, not one draw.
          if (error instanceof CheckFailure && !error.failure.rerun) {
            throw new CheckFailure({ ...error.failure, rerun: { target: 'activation_stats', run: (other) => mistakeBands(other, call) } });
          }
          throw error;
        }
      },
    }),
    defineCheck({
      id: 'zero-init-is-exactly-zero',
      title: "with method 'zero' every layer's mean and std is exactly 0",
      arbitrary: fc.record({ activation: fc.constantFrom('tanh', 'relu'), seed: fc.integer({ min: 0, max: 1000 }) }),
      tolerance: INIT_TOLERANCES.zero,
      run: async (subject, { activation, seed }, context) => {
        const call = activationCall({ method: 'zero', activation } as (typeof ACTIVATION_CONFIGS)[number], seed);
        const { value } = await callLike(subject, call.fn, call.args, ACTIVATION_WIDTHS.map(() => [0, 0]));
        expectClose(value, ACTIVATION_WIDTHS.map(() => [0, 0]), context.tol(INIT_TOLERANCES.zero), { message: 'zero weights give zero activations', call });
      },
    }),
  ],
  mistakes: activationStatisticsMistakes,
};
