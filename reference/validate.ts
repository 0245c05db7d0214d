// Argument validation shared by the reference functions: the catalog says bad arguments throw Error
// (ValueError in Python), and a reference that silently accepted a wrong shape would hide test bugs.

import type { Matrix } from '../src/numeric.ts';

export function requireVector(name: string, v: readonly number[], length?: number): void {
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) throw new Error(`${name} must be a vector of numbers`);
  if (length !== undefined && v.length !== length) throw new Error(`${name} must have length ${length}, got ${v.length}`);
}

export function requireMatrix(name: string, m: Matrix, rows?: number, cols?: number): void {
  if (!Array.isArray(m) || m.length === 0 || !Array.isArray(m[0])) throw new Error(`${name} must be a non-empty matrix`);
  const c = m[0].length;
  if (m.some((row) => !Array.isArray(row) || row.length !== c)) throw new Error(`${name} must be rectangular`);
  if (rows !== undefined && m.length !== rows) throw new Error(`${name} must have ${rows} rows, got ${m.length}`);
  if (cols !== undefined && c !== cols) throw new Error(`${name} must have ${cols} columns, got ${c}`);
}

export function requirePositive(name: string, x: number): void {
  if (!(x > 0) || !Number.isFinite(x)) throw new Error(`${name} must be a positive finite number, got ${x}`);
}
