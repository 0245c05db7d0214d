// Inputs and comparisons shared by the optimisation suites (momentum-sgd, ema, gradient-stats, adam-step,
// adamw-step, adam-closed-form). Every value lies on a readable grid: gradients are k/100 times a power of
// ten from 1e-6 (tiny, comparable to eps) to 1e3 (huge), hyperparameters are typical values or 3-digit grid
// points, so a shrunk counterexample can be recomputed by hand.

import fc from 'fast-check';
import { finite, logUniform, roundSignificant } from '../src/arbitraries.ts';
import { CheckFailure, type Call } from '../src/failure.ts';
import { formatNumber } from '../src/format.ts';
import type { Tolerance } from '../src/tolerance.ts';

/** A power of ten 10^k, k in [lo, hi]; shrinks toward 1. */
export const powerOfTen = (lo: number, hi: number): fc.Arbitrary<number> => fc.integer({ min: lo, max: hi }).map((k) => 10 ** k);

/** x * scale rounded to 6 significant digits, so that 0.37 * 1e-6 reads 3.7e-7. */
export const times = (x: number, scale: number): number => roundSignificant(x * scale, 6);

/** A gradient-like vector: entries k/100 in [-1, 1] times one power of ten in [1e-6, 1e3] for the whole vector. */
export const scaledVectorOf = (n: number, lo = -6, hi = 3): fc.Arbitrary<number[]> =>
  fc.record({ unit: fc.array(finite(1), { minLength: n, maxLength: n }), scale: powerOfTen(lo, hi) }).map(({ unit, scale }) => unit.map((x) => times(x, scale)));

/** Entries k/100 with k in [1, 100] and a random sign: never 0. */
export const nonZeroUnit: fc.Arbitrary<number> = fc
  .record({ k: fc.integer({ min: 1, max: 100 }), negative: fc.boolean() })
  .map(({ k, negative }) => (negative ? -k : k) / 100);

/** As scaledVectorOf, with no zero entry. */
export const nonZeroScaledVectorOf = (n: number, lo = -6, hi = 3): fc.Arbitrary<number[]> =>
  fc.record({ unit: fc.array(nonZeroUnit, { minLength: n, maxLength: n }), scale: powerOfTen(lo, hi) }).map(({ unit, scale }) => unit.map((x) => times(x, scale)));

/** A decay rate beta in [0, 1): the usual values (0.9 first, where shrinking ends) or a 3-digit grid point. */
export const decayRate = (...typical: number[]): fc.Arbitrary<number> =>
  fc.oneof(fc.constantFrom(...typical), fc.integer({ min: 0, max: 999 }).map((k) => k / 1000));

/** A 1-based step index: mostly small (where bias correction matters), sometimes up to 10^4. */
export const stepIndex: fc.Arbitrary<number> = fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10_000 }));

// fc.oneof shrinks within the branch it drew from, and constantFrom toward its first value: typical values
// come first, so that most counterexamples end on the seed's lr = 0.1 and PyTorch's eps = 1e-8.

/** A learning rate: a typical value (0.1 first) or log-uniform on [1e-3, 1]. */
export const learningRate: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(0.1, 0.001, 0.01, 1, 0.5) },
  { weight: 1, arbitrary: logUniform(1e-3, 1) },
);

/** Adam's eps: PyTorch's default 1e-8 first, or a power of ten from 1e-12 to 0.1 (large eps shows where it sits). */
export const epsilon: fc.Arbitrary<number> = fc.constantFrom(1e-8, 1e-12, 1e-10, 1e-6, 1e-4, 1e-3, 1e-2, 0.1);

/** A weight decay: 0 (off), a typical value, or log-uniform on [1e-4, 1]. */
export const weightDecay: fc.Arbitrary<number> = fc.oneof(
  fc.constant(0),
  fc.constantFrom(0.1, 0.01, 0.001, 1),
  logUniform(1e-4, 1),
);

/** A gradient scale factor c: positive or negative, from 1e-3 to 1e3 (1 excluded). */
export const scaleFactor: fc.Arbitrary<number> = fc.constantFrom(2, -1, 10, -2, 0.5, -0.5, 1000, -1000, 0.001, -0.001, 3, -10);

export const maxAbs = (v: readonly number[]): number => v.reduce((m, x) => Math.max(m, Math.abs(x)), 0);

/**
 * Throws an invariant_violated failure naming the worst entry unless |received_i - expected_i| <=
 * tol.atol + tol.rtol |expected_i| + slack_i for every i (slack: a proven bound on how far the two may
 * legitimately differ, e.g. the effect of eps on Adam's scale invariance).
 */
export function expectWithin(
  received: readonly number[],
  expected: readonly number[],
  slack: readonly number[],
  tol: Tolerance,
  context: { readonly message: string; readonly call: Call },
): void {
  let worst = -1;
  let worstRatio = 1;
  expected.forEach((e, i) => {
    const r = received[i]!;
    const allowed = tol.atol + tol.rtol * Math.abs(e) + slack[i]!;
    const diff = Math.abs(r - e);
    const ratio = Number.isNaN(diff) ? Infinity : diff / allowed;
    if (!(diff <= allowed) && ratio >= worstRatio) {
      worst = i;
      worstRatio = ratio;
    }
  });
  if (worst < 0) return;
  const e = expected[worst]!;
  const r = received[worst]!;
  const allowed = tol.atol + tol.rtol * Math.abs(e) + slack[worst]!;
  throw new CheckFailure({
    code: 'invariant_violated',
    message: `${context.message}; entry [${worst}]: expected ${formatNumber(e)}, received ${formatNumber(r)}, allowed difference ${formatNumber(allowed)}`,
    call: context.call,
    expected: [...expected],
    received: [...received],
    tolerance: tol,
  });
}
