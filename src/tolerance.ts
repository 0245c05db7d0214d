// Comparison with explicit tolerances: |received - expected| <= atol + rtol * |expected|, entrywise,
// reporting the worst entry so a student sees which number is off and by how much.

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
  /**
   * Times the size of what an entry sums (its condition: sum of |terms|, with the rounding of the inputs the
   * terms are built from), where a check supplies it: the rounding of a sum scales with its terms, not with
   * its result, which cancellation can make small. Set by widenForFloat32.
   */
  readonly mtol?: number;
  /** One line on why these numbers: shown in docs and in failure messages. */
  readonly reason: string;
}

export function tolerance(rtol: number, atol: number, reason: string): Tolerance {
  return { rtol, atol, reason };
}

/** The catalog default for float64 closed forms. */
export const CLOSED_FORM: Tolerance = tolerance(1e-6, 1e-9, 'float64 closed form (catalog default)');

/**
 * Float32 answers (PyTorch's default dtype) carry about 7 digits: 1e-4 relative leaves room for a few
 * hundred roundings of eps32 = 1.2e-7, and 1e-5 absolute covers cancellation in entries near 0 of
 * quantities of order 10-100. The catalog's mistakes are off by far more than that.
 */
export const FLOAT32_FLOOR = {
  rtol: 1e-4,
  atol: 1e-5,
  /**
   * A float32 sum of n terms is off by at most ~n eps32 sum |terms| (recursive summation, eps32 = 6e-8), plus
   * eps32 per rounded input: 1e-5 (about 170 eps32) covers n up to ~100 terms at worst-case accumulation.
   */
  mtol: 1e-5,
} as const;

export function widenForFloat32(tol: Tolerance): Tolerance {
  if (tol.rtol >= FLOAT32_FLOOR.rtol && tol.atol >= FLOAT32_FLOOR.atol && (tol.mtol ?? 0) >= FLOAT32_FLOOR.mtol) return tol;
  return {
    rtol: Math.max(tol.rtol, FLOAT32_FLOOR.rtol),
    atol: Math.max(tol.atol, FLOAT32_FLOOR.atol),
    mtol: Math.max(tol.mtol ?? 0, FLOAT32_FLOOR.mtol),
    reason: `${tol.reason}; widened for float32 answers (plus ${FLOAT32_FLOOR.mtol} times the sum of |terms| an entry adds up, where the check knows it)`,
  };
}

export interface WorstEntry {
  /** Index path into the nested array ([] for a scalar). */
  readonly index: readonly number[];
  readonly expected: number;
  readonly received: number;
  readonly absError: number;
  /** |received - expected| / |expected| (Infinity when expected is 0 and they differ). */
  readonly relError: number;
  /** atol + rtol * |expected| for this entry. */
  readonly allowed: number;
}

export interface Comparison {
  readonly ok: boolean;
  /** The entry with the largest error relative to what is allowed; absent for empty arrays. */
  readonly worst: WorstEntry | undefined;
}

export type NumericTree = number | readonly NumericTree[];

function entryAgrees(received: number, expected: number, allowed: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(received);
  if (!Number.isFinite(expected)) return received === expected;
  return Math.abs(received - expected) <= allowed;
}

/** How far over its allowance an entry is (<= 1 when it agrees). */
function excess(received: number, expected: number, allowed: number): number {
  if (entryAgrees(received, expected, allowed)) return allowed === 0 ? 0 : Math.abs(received - expected) / allowed;
  const ratio = Math.abs(received - expected) / allowed;
  return Number.isNaN(ratio) || ratio <= 1 ? Infinity : ratio;
}

/**
 * Compares two arrays of the same shape (check shapes first, e.g. with `decode`), entrywise.
 * NaN agrees only with NaN and an infinity only with the same infinity. `magnitude` (the shape of `expected`)
 * is each entry's sum of |terms|: with `tol.mtol` it adds mtol * magnitude to the entry's allowance.
 */
export function compare(received: NumericTree, expected: NumericTree, tol: Tolerance, magnitude?: NumericTree): Comparison {
  let ok = true;
  let worst: WorstEntry | undefined;
  let worstExcess = -1;
  // The index path is one mutable stack, copied only when an entry becomes the worst: comparing a 256 x 256
  // Jacobian must not allocate per entry.
  const path: number[] = [];
  const mtol = magnitude === undefined ? 0 : (tol.mtol ?? 0);
  const sizeOf = (m: NumericTree | undefined) => (mtol > 0 && typeof m === 'number' ? mtol * Math.abs(m) : 0);
  const visit = (r: NumericTree | undefined, e: NumericTree, m: NumericTree | undefined): void => {
    if (typeof e === 'number') {
      const rv = typeof r === 'number' ? r : NaN;
      const allowed = tol.atol + tol.rtol * Math.abs(e) + sizeOf(m);
      const agrees = entryAgrees(rv, e, allowed);
      if (!agrees) ok = false;
      const x = agrees && worstExcess >= 1 ? 0 : excess(rv, e, allowed);
      if (x > worstExcess) {
        worstExcess = x;
        const absError = Math.abs(rv - e);
        worst = { index: [...path], expected: e, received: rv, absError, relError: absError / Math.abs(e), allowed };
      }
      return;
    }
    const rs = Array.isArray(r) ? (r as readonly NumericTree[]) : [];
    const ms = Array.isArray(m) ? (m as readonly NumericTree[]) : [];
    if (e.every((x) => typeof x === 'number')) {
      // A row of numbers, the hot loop of every comparison: entries within tolerance that cannot be the
      // worst are skipped without a call.
      for (let i = 0; i < e.length; i++) {
        const ei = e[i] as number;
        const ri = rs[i];
        if (typeof ri === 'number') {
          const allowed = tol.atol + tol.rtol * Math.abs(ei) + sizeOf(ms[i]);
          const diff = Math.abs(ri - ei);
          // Agrees and is not the worst so far: nothing to record.
          if (diff <= allowed && (allowed === 0 ? 0 : diff / allowed) <= worstExcess) continue;
        }
        path.push(i);
        visit(ri, ei, ms[i]);
        path.pop();
      }
      return;
    }
    for (let i = 0; i < e.length; i++) {
      path.push(i);
      visit(rs[i], e[i]!, ms[i]);
      path.pop();
    }
  };
  visit(received, expected, magnitude);
  return { ok, worst };
}

export function isClose(received: number, expected: number, tol: Tolerance): boolean {
  return entryAgrees(received, expected, tol.atol + tol.rtol * Math.abs(expected));
}
