// Reading what a subject returned: checks say which shape they expect and get numbers back, or a
// wrong_shape / wrong_type failure that says what came instead. Nothing a student returns crashes a check.

import { type Call, CheckFailure, type Value } from './failure.ts';
import type { NumericTree } from './tolerance.ts';

/** "scalar", "(3,)", "(2, 3)", or "tuple of 2: ((2, 3), (2,))". */
export function describeShape(value: unknown): string {
  if (typeof value === 'number') return 'scalar';
  if (!Array.isArray(value)) return value === null ? 'None/null' : typeof value;
  if (value.every((v) => typeof v === 'number')) return `(${value.length},)`;
  if (value.length > 0 && value.every((row) => Array.isArray(row) && row.every((v) => typeof v === 'number'))) {
    const lengths = new Set(value.map((row: unknown[]) => row.length));
    if (lengths.size === 1) return `(${value.length}, ${(value[0] as unknown[]).length})`;
    return `ragged rows of lengths ${[...lengths].join(', ')}`;
  }
  return `tuple of ${value.length}: (${value.map(describeShape).join(', ')})`;
}

function fail(code: 'wrong_shape' | 'wrong_type', call: Call, expected: NumericTree, received: Value, what: string): never {
  throw new CheckFailure({
    code,
    message: `${call.fn} returned ${what}; expected ${describeShape(expected)}`,
    call,
    received,
  });
}

/**
 * Checks that `received` has the shape of `template` (a scalar, vector, matrix or tuple of those) and
 * returns it as numbers. A one-element array is accepted where a scalar is expected (numpy's `x @ w` on
 * a single row, a 0-d tensor sent as a list).
 */
export function decodeLike(received: Value, template: NumericTree, call: Call): NumericTree {
  const visit = (r: Value, t: NumericTree): NumericTree => {
    // Fast path for the common leaf rows (vectors, matrix rows): a plain loop, no recursion per entry.
    if (Array.isArray(r) && Array.isArray(t) && r.length === t.length && typeof t[0] === 'number' && isNumberRow(r, t)) return r.slice() as number[];
    if (typeof t === 'number') {
      if (typeof r === 'number') return r;
      if (Array.isArray(r) && r.length === 1) return visit(r[0] as Value, t);
      return fail(Array.isArray(r) ? 'wrong_shape' : 'wrong_type', call, template, received, describeShape(received));
    }
    if (!Array.isArray(r)) {
      return fail(typeof r === 'number' ? 'wrong_shape' : 'wrong_type', call, template, received, describeShape(received));
    }
    const rs = r as readonly Value[];
    if (rs.length !== t.length) return fail('wrong_shape', call, template, received, describeShape(received));
    return t.map((child, i) => visit(rs[i], child));
  };
  return visit(received, template);
}

/** True when `r` is a row of numbers where `t` is a row of numbers. */
function isNumberRow(r: readonly unknown[], t: readonly unknown[]): boolean {
  for (let i = 0; i < r.length; i++) if (typeof r[i] !== 'number' || typeof t[i] !== 'number') return false;
  return true;
}

/** The shape of a rectangular numeric tree, read along its first entries: [] for a number, [n, 3, 28, 28] for a batch. */
export function treeShape(tree: NumericTree): number[] {
  const shape: number[] = [];
  for (let t = tree; Array.isArray(t); t = t[0] as NumericTree) shape.push(t.length);
  return shape;
}

/** Flattens a numeric tree in row-major order. */
export function flattenTree(tree: NumericTree): number[] {
  const flat: number[] = [];
  // A loop, not flatMap: a layer's 200,000 weights flatten in milliseconds.
  const visit = (t: NumericTree): void => {
    if (typeof t === 'number') flat.push(t);
    else if (Array.isArray(t)) for (const x of t) visit(x);
    else throw new TypeError(`not a number or an array of numbers: ${typeof t}`);
  };
  visit(tree);
  return flat;
}

/** Fills a template's shape with numbers taken in row-major order from `flat`. */
export function unflattenLike(flat: readonly number[], template: NumericTree): NumericTree {
  let next = 0;
  const visit = (t: NumericTree): NumericTree => (typeof t === 'number' ? flat[next++]! : t.map(visit));
  return visit(template);
}

/** True when every number in the tree is finite. */
export function allFinite(tree: NumericTree): boolean {
  return typeof tree === 'number' ? Number.isFinite(tree) : tree.every(allFinite);
}
