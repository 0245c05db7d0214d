// The residual block of seed 003, tasks 3.15-3.17: ResidualSequence(ReLU, Linear(d, h), ReLU, Linear(h, d))
// computing y = x + f(x), f(x) = Linear2(ReLU(Linear1(ReLU(x)))).
//
// Weights in the layout of torch.nn.Linear, which is how the seed builds the block: W1 is
// nn.Linear(d, h).weight, of shape (h, d), and a layer computes u @ W^T + b (so W2 is (d, h)). x is a batch
// of shape (n, d), one sample per row (seed 003 feeds train_data rows through the block); the parameter
// gradients are summed over the batch, as autograd gives them for the loss sum(dy * y).
//
// ReLU's kinks (x = 0, and z1 = 0 after the first Linear) take the derivative 0, as PyTorch; the suite
// does not grade gradients exactly at a kink.

import { type Matrix, type Vector } from '../src/numeric.ts';
import { requireMatrix, requireVector } from './validate.ts';

function requireBlock(x: Matrix, W1: Matrix, b1: Vector, W2: Matrix, b2: Vector): void {
  requireMatrix('x', x);
  const d = x[0]!.length;
  requireMatrix('W1', W1, undefined, d);
  const h = W1.length;
  requireVector('b1', b1, h);
  requireMatrix('W2', W2, d, h);
  requireVector('b2', b2, d);
}

const relu = (v: number): number => (v > 0 ? v : 0);

/** u @ W^T + b for every row u (torch.nn.Linear with weight W, bias b). */
function linear(rows: Matrix, W: Matrix, b: Vector): Matrix {
  return rows.map((u) => W.map((w, k) => w.reduce((s, wkj, j) => s + wkj * u[j]!, b[k]!)));
}

interface BlockPass {
  /** ReLU(x). */
  readonly u: Matrix;
  /** Linear1(ReLU(x)). */
  readonly z1: Matrix;
  /** ReLU(z1). */
  readonly a: Matrix;
  /** f(x) = Linear2(a). */
  readonly f: Matrix;
}

function blockPass(x: Matrix, W1: Matrix, b1: Vector, W2: Matrix, b2: Vector): BlockPass {
  const u = x.map((row) => row.map(relu));
  const z1 = linear(u, W1, b1);
  const a = z1.map((row) => row.map(relu));
  return { u, z1, a, f: linear(a, W2, b2) };
}

/** y = x + Linear2(ReLU(Linear1(ReLU(x)))), row by row. */
export function residualForward(x: Matrix, W1: Matrix, b1: Vector, W2: Matrix, b2: Vector): Matrix {
  requireBlock(x, W1, b1, W2, b2);
  const { f } = blockPass(x, W1, b1, W2, b2);
  return x.map((row, i) => row.map((v, j) => v + f[i]![j]!));
}

/**
 * Returns [dx, dW1, db1, dW2, db2] for the upstream gradient dy of residualForward's output:
 * db2 = sum_i dy_i, dW2 = dy^T a, dz1 = (dy W2) * [z1 > 0], db1 = sum_i dz1_i, dW1 = dz1^T u, and
 * dx = dy + (dz1 W1) * [x > 0]: the identity path plus the path through f.
 */
export function residualBackward(dy: Matrix, x: Matrix, W1: Matrix, b1: Vector, W2: Matrix, b2: Vector): [Matrix, Matrix, Vector, Matrix, Vector] {
  requireBlock(x, W1, b1, W2, b2);
  requireMatrix('dy', dy, x.length, x[0]!.length);
  const { u, z1, a } = blockPass(x, W1, b1, W2, b2);
  const h = W1.length;
  const d = x[0]!.length;
  const sumRows = (m: Matrix, cols: number): Vector => Array.from({ length: cols }, (_, j) => m.reduce((s, row) => s + row[j]!, 0));
  /** m^T p: (cols of m) x (cols of p), summed over the batch. */
  const batchOuter = (m: Matrix, p: Matrix, rows: number, cols: number): Matrix =>
    Array.from({ length: rows }, (_, k) => Array.from({ length: cols }, (_, j) => m.reduce((s, mi, i) => s + mi[k]! * p[i]![j]!, 0)));
  const dz1 = dy.map((g, i) => Array.from({ length: h }, (_, k) => (z1[i]![k]! > 0 ? W2.reduce((s, w2, j) => s + g[j]! * w2[k]!, 0) : 0)));
  const dx = dy.map((g, i) =>
    g.map((gj, j) => gj + (x[i]![j]! > 0 ? dz1[i]!.reduce((s, dzk, k) => s + dzk * W1[k]![j]!, 0) : 0)),
  );
  return [dx, batchOuter(dz1, u, h, d), sumRows(dz1, h), batchOuter(dy, a, d, h), sumRows(dy, d)];
}
