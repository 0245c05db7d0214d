// The variables of a closed form and their domains: integer or real scalars in a range, vectors and matrices
// whose sizes are integer variables (so shapes stay consistent within a point), and fast-check arbitraries
// that draw a point from them. Values lie on a grid so a shrunk counterexample is readable.

import fc from 'fast-check';

export interface VariableSpec {
  readonly name: string;
  readonly kind: 'integer' | 'real';
  /** Inclusive range of every entry. */
  readonly min: number;
  readonly max: number;
  /** [] a scalar, [n] a column vector of n entries, [d, m] a d x m matrix; a dimension is a number or the name of an integer variable. */
  readonly shape: readonly (number | string)[];
  /** Other ways students write the quantity (`E[x^2]`, `\mathrm{Var}[w]`), LaTeX or math.js. */
  readonly aliases: readonly string[];
}

/** A vector is a flat array (a column vector in expressions), a matrix an array of rows. */
export type VariableValue = number | readonly number[] | readonly (readonly number[])[];
export type Point = Readonly<Record<string, VariableValue>>;

/**
 * Sizes that name no declared variable are drawn from this range: at least 2, so that a 1 x 1 result (read
 * as a scalar) never hides a shape mismatch such as y'y for y y'.
 */
export const IMPLICIT_SIZE = { min: 2, max: 4 } as const;

const DECIMALS = 2;

/**
 * Where a real shrinks to: 0 when the range has it, else 1 (tau = 1, sigma = 1), else the middle of a range
 * inside (0, 1) (beta = 0.5), else the end nearest 0. Counterexamples then read like `tau = 1, y = [0, 1]`.
 */
function shrinkTarget(lo: number, hi: number, unit: number): number {
  if (lo <= 0 && hi >= 0) return 0;
  if (lo <= unit && hi >= unit) return unit;
  if (lo > 0 && hi < unit) return Math.round(unit / 2);
  return lo > 0 ? lo : hi;
}

function scalar(spec: Pick<VariableSpec, 'kind' | 'min' | 'max'>): fc.Arbitrary<number> {
  if (spec.kind === 'integer') return fc.integer({ min: Math.ceil(spec.min), max: Math.floor(spec.max) });
  // k / 100 in [min, max]; fast-check shrinks an integer toward 0, so k is drawn as an offset from the target.
  const unit = 10 ** DECIMALS;
  const lo = Math.ceil(spec.min * unit);
  const hi = Math.floor(spec.max * unit);
  const target = Math.min(hi, Math.max(lo, shrinkTarget(lo, hi, unit)));
  return fc.integer({ min: lo - target, max: hi - target }).map((d) => (target + d) / unit);
}

/** The names used as dimensions, declared or implicit. */
export function dimensionNames(specs: readonly VariableSpec[]): string[] {
  return [...new Set(specs.flatMap((s) => s.shape.filter((d): d is string => typeof d === 'string')))];
}

/** A point: every scalar first (sizes among them), then the arrays with those sizes. */
export function pointArbitrary(specs: readonly VariableSpec[]): fc.Arbitrary<Point> {
  const declared = new Set(specs.map((s) => s.name));
  const implicit = dimensionNames(specs).filter((d) => !declared.has(d));
  const scalars = specs.filter((s) => s.shape.length === 0);
  const arrays = specs.filter((s) => s.shape.length > 0);
  const scalarRecord: Record<string, fc.Arbitrary<number>> = {};
  for (const s of scalars) scalarRecord[s.name] = scalar(s);
  for (const d of implicit) scalarRecord[d] = fc.integer(IMPLICIT_SIZE);
  return fc.record(scalarRecord).chain((values) => {
    const size = (d: number | string) => (typeof d === 'number' ? d : values[d]!);
    const arrayRecord: Record<string, fc.Arbitrary<VariableValue>> = {};
    for (const a of arrays) {
      const [rows, cols] = a.shape.map(size);
      const entry = scalar(a);
      arrayRecord[a.name] =
        cols === undefined
          ? fc.array(entry, { minLength: rows!, maxLength: rows! })
          : fc.array(fc.array(entry, { minLength: cols, maxLength: cols }), { minLength: rows!, maxLength: rows! });
    }
    // Implicit sizes are not variables of the expression: they only shape the arrays.
    const own = Object.fromEntries(Object.entries(values).filter(([k]) => declared.has(k)));
    return fc.record(arrayRecord).map((arrays): Point => ({ ...own, ...arrays }));
  });
}
