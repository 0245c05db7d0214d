// A column of a gradient history (T x d, one row per step) and the mean of a vector: shared by gradient-stats'
// check rms-equals-abs-mean-iff-constant (spec/moments.suite.ts) and its named mistakes (spec/moments.mistakes.ts).

import type { Matrix, Vector } from '../src/numeric.ts';

export const column = (m: Matrix, j: number): Vector => m.map((row) => row[j]!);
export const meanOf = (v: Vector): number => v.reduce((s, x) => s + x, 0) / v.length;
