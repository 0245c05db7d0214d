// Helpers of residual-block shared by its checks (spec/residual.suite.ts) and its named mistakes
// (spec/residual.mistakes.ts), which must not import the suite.

import type { Matrix, Vector } from '../src/numeric.ts';
import { residualForward } from '../reference/residual.ts';

/** f(x) = Linear2(ReLU(Linear1(ReLU(x)))) alone: the block without its skip connection. */
export const residualBranch = (x: Matrix, W1: Matrix, b1: Vector, W2: Matrix, b2: Vector): Matrix =>
  residualForward(x, W1, b1, W2, b2).map((row, i) => row.map((v, j) => v - x[i]![j]!));

export const zeroed = (m: Matrix): Matrix => m.map((row) => row.map(() => 0));
