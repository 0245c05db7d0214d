// Independent oracles: a second, differently built computation of the same quantity (TF.js autodiff in
// float32, math.js symbolic derivatives in float64) that the reference must agree with.
//
// One comparison, `agreesWith(oracle, implementation)`, is the property for both sides of the proof:
// the reference must pass it (`assertAgrees`), and deliberately wrong implementations must fail it
// (`assertRejects`), which shows the comparison can fail at all, e.g. that its tolerance is not so loose
// that anything passes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeShape } from '../../src/decode.ts';
import { formatValue } from '../../src/format.ts';
import { type NumericTree, type Tolerance, compare } from '../../src/tolerance.ts';
import { TEST_SEED } from '../seed.ts';

export interface Oracle<I> {
  /** What computes the truth, e.g. "tf.grad of 1/2 ||A x + b - t||^2". */
  readonly name: string;
  readonly inputs: fc.Arbitrary<I>;
  readonly compute: (input: I) => NumericTree;
  /** May depend on the input: float32 error scales with the magnitude of the intermediate values. */
  readonly tolerance: (input: I) => Tolerance;
  readonly numRuns: number;
}

export type Implementation<I> = (input: I) => NumericTree;

/** Thrown by the property when an implementation disagrees with the oracle (and only then). */
export class OracleMismatch extends Error {
  override name = 'OracleMismatch';
}

/** The implementation's answer has the oracle's shape and agrees with it entrywise within the tolerance. */
export function agreesWith<I>(oracle: Oracle<I>, implementation: Implementation<I>): fc.IProperty<[I]> {
  return fc.property(oracle.inputs, (input) => {
    const expected = oracle.compute(input);
    const received = implementation(input);
    const shape = describeShape(expected);
    if (describeShape(received) !== shape) {
      throw new OracleMismatch(`shape ${describeShape(received)}, but ${oracle.name} has shape ${shape}`);
    }
    const tol = oracle.tolerance(input);
    const { ok, worst } = compare(received, expected, tol);
    if (!ok) {
      const at = worst === undefined ? '' : `at [${worst.index.join(', ')}]: received ${formatValue(worst.received)}, ${oracle.name} ${formatValue(worst.expected)}, |diff| ${formatValue(worst.absError)} > allowed ${formatValue(worst.allowed)}`;
      throw new OracleMismatch(`disagrees with ${oracle.name} ${at} (rtol ${tol.rtol}, atol ${formatValue(tol.atol)}: ${tol.reason})`);
    }
  });
}

function parameters<I>(oracle: Oracle<I>): fc.Parameters<[I]> {
  return { seed: TEST_SEED, numRuns: oracle.numRuns };
}

/** The implementation agrees with the oracle on every generated input (fast-check shrinks a failure). */
export function assertAgrees<I>(oracle: Oracle<I>, implementation: Implementation<I>): void {
  fc.assert(agreesWith(oracle, implementation), parameters(oracle));
}

/**
 * The same property, on a wrong implementation, fails, and fails by disagreeing with the oracle (not by
 * throwing some other error). Stops at the first failure: shrinking would only cost time here.
 */
export function assertRejects<I>(oracle: Oracle<I>, implementation: Implementation<I>): void {
  const details = fc.check(agreesWith(oracle, implementation), {
    ...parameters(oracle),
    endOnFailure: true,
  });
  expect(details.failed, `a wrong implementation passed ${details.numRuns} runs against ${oracle.name}`).toBe(true);
  expect(details.errorInstance, String(details.errorInstance)).toBeInstanceOf(OracleMismatch);
}

/** A wrong implementation, with what is wrong about it. */
export interface Wrong<I> {
  readonly mistake: string;
  readonly implementation: Implementation<I>;
}

export function wrong<I>(mistake: string, implementation: Implementation<I>): Wrong<I> {
  return { mistake, implementation };
}

/** Rounds every entry to the nearest float32, so that handing the input to float32 code loses nothing. */
export function toFloat32<T extends NumericTree>(value: T): T {
  return (typeof value === 'number' ? Math.fround(value) : value.map((v) => toFloat32(v))) as T;
}

/** The largest |entry|. */
export function maxAbs(value: NumericTree): number {
  return typeof value === 'number' ? Math.abs(value) : value.reduce<number>((m, v) => Math.max(m, maxAbs(v)), 0);
}

/** The implementation with every entry multiplied by 1 + relative: a small, uniform error. */
export function perturbed<I>(implementation: Implementation<I>, relative: number): Implementation<I> {
  const scale = (v: NumericTree): NumericTree => (typeof v === 'number' ? v * (1 + relative) : v.map(scale));
  return (input) => scale(implementation(input));
}

/**
 * The tests of one oracle: the reference agrees with it, and each wrong implementation is rejected by the
 * very same property. So is the reference itself off by `resolution` (relative), which shows how fine an
 * error the comparison resolves, not only that it catches wrong formulas.
 */
export function describeOracle<I>(
  title: string,
  oracle: Oracle<I>,
  reference: Implementation<I>,
  wrongs: readonly Wrong<I>[],
  resolution = 1e-3,
): void {
  const all = [...wrongs, wrong(`the reference off by a relative ${resolution}`, perturbed(reference, resolution))];
  describe(title, () => {
    it(`the reference agrees with ${oracle.name} (${oracle.numRuns} runs)`, () => assertAgrees(oracle, reference));
    it.each(all.map((w) => [w.mistake, w] as const))('the same comparison rejects: %s', (_, w) => assertRejects(oracle, w.implementation));
  });
}
