// fast-check arbitraries for the inputs of deep-learning formulas, with control over magnitude,
// conditioning and distance from kinks. All shrink toward small, simple inputs.

import fc from 'fast-check';
import { type Matrix, conditionNumber } from './numeric.ts';

// Values lie on a grid (k / 10^decimals, or 3 significant digits) so that shrinking ends on an input a
// student can read and recompute by hand: z = [1, 0], tau = 0.5, not tau = 1.0000010000000001 where the
// error barely exceeds the tolerance.

/** A number in [-magnitude, magnitude] on the grid k / 10^decimals; shrinks toward 0. */
export function finite(magnitude = 10, decimals = 2): fc.Arbitrary<number> {
  const unit = 10 ** decimals;
  const k = Math.round(magnitude * unit);
  return fc.integer({ min: -k, max: k }).map((i) => i / unit);
}

/** Rounds to `digits` significant digits. */
export function roundSignificant(x: number, digits = 3): number {
  return x === 0 ? 0 : Number(x.toPrecision(digits));
}

/** A positive number spread evenly over orders of magnitude in [lo, hi], to 3 significant digits. */
export function logUniform(lo: number, hi: number): fc.Arbitrary<number> {
  return fc
    .integer({ min: 0, max: 1000 })
    .map((k) => Math.min(hi, Math.max(lo, roundSignificant(lo * (hi / lo) ** (k / 1000)))));
}

export interface VectorOptions {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly magnitude?: number;
}

/**
 * A vector whose length is uniform in [minLength, maxLength] (fast-check's own array lengths are biased
 * small, which would leave the large sizes a check asks for untested); shrinks toward short vectors.
 */
export function vector(options: VectorOptions = {}): fc.Arbitrary<number[]> {
  const { minLength = 1, maxLength = 16, magnitude = 10 } = options;
  return sized(minLength, maxLength, (n) => vectorOf(n, magnitude));
}

export function vectorOf(length: number, magnitude = 10): fc.Arbitrary<number[]> {
  return fc.array(finite(magnitude), { minLength: length, maxLength: length });
}

export interface MatrixOptions {
  readonly magnitude?: number;
  /** Rejects matrices whose 2-norm condition number exceeds this (needs rows >= cols). */
  readonly maxCondition?: number;
}

export function matrixOf(rows: number, cols: number, options: MatrixOptions = {}): fc.Arbitrary<Matrix> {
  const { magnitude = 10, maxCondition } = options;
  const arb = fc.array(vectorOf(cols, magnitude), { minLength: rows, maxLength: rows });
  return maxCondition === undefined ? arb : arb.filter((m) => conditionNumber(m) <= maxCondition);
}

/** Dimensions drawn first, then a value that depends on them (shapes stay consistent while shrinking). */
export function sized<T>(min: number, max: number, build: (n: number) => fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.integer({ min, max }).chain(build);
}

/** A softmax temperature: log-uniform on [0.05, 20]. */
export function temperature(lo = 0.05, hi = 20): fc.Arbitrary<number> {
  return logUniform(lo, hi);
}

/** A Huber delta: log-uniform on [0.05, 10]. */
export function huberDelta(lo = 0.05, hi = 10): fc.Arbitrary<number> {
  return logUniform(lo, hi);
}

export interface KinkOptions {
  /** The points where the function is not smooth. */
  readonly kinks: readonly number[];
  /** Values stay at least this far from every kink (relative to max(1, |kink|)). */
  readonly margin: number;
  readonly magnitude: number;
  /** Also generate the kinks themselves (for values defined there). */
  readonly includeKinks?: boolean;
}

/** A value in [-magnitude, magnitude] that keeps a margin from the kinks, or sits exactly on one. */
export function awayFromKinks(options: KinkOptions): fc.Arbitrary<number> {
  const { kinks, margin, magnitude, includeKinks = false } = options;
  const away = finite(magnitude).filter((x) => kinks.every((k) => Math.abs(x - k) >= margin * Math.max(1, Math.abs(k))));
  return includeKinks && kinks.length > 0 ? fc.oneof({ weight: 4, arbitrary: away }, { weight: 1, arbitrary: fc.constantFrom(...kinks) }) : away;
}
