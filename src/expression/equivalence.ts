// Are two closed forms the same function? Decided by evaluating both at random points of the declared
// domains (fast-check, seeded, shrinking to the simplest point where they differ), entrywise within a
// relative tolerance; where evaluation is degenerate (the expected form is undefined at almost every point
// drawn), math.js symbolic simplification gives a second opinion. The verdict is data.

import fc from 'fast-check';
import type { MathNode } from 'mathjs';
import { type NumericTree, type Tolerance, type WorstEntry, compare, tolerance } from '../tolerance.ts';
import { mathjs } from './math.ts';
import { type Point, type VariableSpec, pointArbitrary } from './variables.ts';

/**
 * Equivalent forms evaluated in float64 differ by rounding only: a few ulps per operation, more after
 * cancellation (an expanded product); 1e-8 relative leaves room for that and is far below any wrong form.
 */
export const EQUIVALENCE_TOLERANCE: Tolerance = tolerance(1e-8, 1e-10, 'two float64 evaluations of the same closed form differ by rounding only');

export const DEFAULT_POINTS = 200;

/** Fewer points than this where the expected form is defined: evaluation cannot decide alone. */
const MIN_DEFINED_FRACTION = 0.25;

export type Value = { readonly shape: readonly number[]; readonly value: NumericTree };

export type Verdict =
  | { readonly kind: 'equivalent'; readonly method: 'evaluation' | 'symbolic'; readonly points: number }
  | { readonly kind: 'different'; readonly point: Point; readonly expected: NumericTree; readonly received: NumericTree; readonly worst: WorstEntry | undefined; readonly tolerance: Tolerance }
  | { readonly kind: 'shape_mismatch'; readonly point: Point; readonly expectedShape: readonly number[]; readonly receivedShape: readonly number[] }
  | { readonly kind: 'not_evaluable'; readonly point: Point; readonly message: string }
  | { readonly kind: 'undecided'; readonly points: number };

export interface EquivalenceOptions {
  readonly seed: number;
  readonly numRuns?: number;
  readonly tolerance?: Tolerance;
}

/** Point values as math.js values: vectors as column matrices. */
function scopeOf(point: Point): Map<string, unknown> {
  return new Map(
    Object.entries(point).map(([k, v]) => [k, typeof v === 'number' ? v : mathjs().matrix(Array.isArray(v[0]) ? (v as number[][]) : (v as number[]).map((x) => [x]))]),
  );
}

/** A math.js result as a shape and nested numbers; a 1 x 1 matrix is a scalar. Throws on anything else. */
function toValue(result: unknown): Value {
  if (typeof result === 'number') return { shape: [], value: result };
  if (typeof result === 'boolean') return { shape: [], value: result ? 1 : 0 };
  if (mathjs().isMatrix(result)) {
    const shape = result.size();
    const data = result.toArray() as NumericTree;
    if (shape.every((d) => d === 1)) return toValue(mathjs().flatten(result).get([0]));
    // A 1-D result is a column vector.
    if (shape.length === 1) return { shape: [shape[0]!, 1], value: (data as number[]).map((x) => [x]) };
    return { shape, value: data };
  }
  if (mathjs().isComplex(result)) return { shape: [], value: NaN };
  throw new Error(`the expression evaluates to ${mathjs().typeOf(result)}, not a number, vector or matrix`);
}

function allFinite(v: NumericTree): boolean {
  return typeof v === 'number' ? Number.isFinite(v) : v.every(allFinite);
}

type Evaluation = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly message: string };

function evaluateAt(code: { evaluate: (scope: Map<string, unknown>) => unknown }, point: Point): Evaluation {
  try {
    return { ok: true, value: toValue(code.evaluate(scopeOf(point))) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

type PointVerdict = Exclude<Verdict, { kind: 'equivalent' } | { kind: 'undecided' }> | 'same' | 'undefined';

function judgePoint(expected: Evaluation, received: Evaluation, point: Point, tol: Tolerance): PointVerdict {
  // Where the expected form is undefined (its own domain is narrower than the declared one) nothing is judged.
  if (!expected.ok || !allFinite(expected.value.value)) return 'undefined';
  if (!received.ok) return { kind: 'not_evaluable', point, message: received.message };
  const e = expected.value;
  const r = received.value;
  if (e.shape.length !== r.shape.length || e.shape.some((d, i) => d !== r.shape[i])) return { kind: 'shape_mismatch', point, expectedShape: e.shape, receivedShape: r.shape };
  const c = compare(r.value, e.value, tol);
  return c.ok ? 'same' : { kind: 'different', point, expected: e.value, received: r.value, worst: c.worst, tolerance: tol };
}

/** Is `received` the same function as `expected` over the domains of `variables`? */
export function equivalence(expected: MathNode, received: MathNode, variables: readonly VariableSpec[], options: EquivalenceOptions): Verdict {
  const tol = options.tolerance ?? EQUIVALENCE_TOLERANCE;
  const numRuns = options.numRuns ?? DEFAULT_POINTS;
  const e = expected.compile();
  const r = received.compile();
  let defined = 0;
  const property = fc.property(pointArbitrary(variables), (point) => {
    const v = judgePoint(evaluateAt(e, point), evaluateAt(r, point), point, tol);
    if (v === 'undefined') return true;
    defined++;
    return v === 'same';
  });
  const details = fc.check(property, { seed: options.seed, numRuns });
  if (details.failed && details.counterexample) {
    // The shrunk point, judged again to say how the forms differ there.
    const point = details.counterexample[0];
    const v = judgePoint(evaluateAt(e, point), evaluateAt(r, point), point, tol);
    if (typeof v !== 'string') return v;
  }
  if (defined >= numRuns * MIN_DEFINED_FRACTION) return { kind: 'equivalent', method: 'evaluation', points: defined };
  return symbolicOpinion(expected, received, defined);
}

function symbolicOpinion(expected: MathNode, received: MathNode, points: number): Verdict {
  try {
    if (mathjs().symbolicEqual(expected, received)) return { kind: 'equivalent', method: 'symbolic', points };
  } catch {
    // Matrices and piecewise forms are beyond math.js simplification: undecided.
  }
  return { kind: 'undecided', points };
}
