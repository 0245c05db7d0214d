// The mytorch package of seed 000, problem 6: a numpy neural-network library whose modules share one protocol
// (forward caches, backward returns the input gradient and stores the parameter gradients, get_parameters and
// get_gradients in the same order). The catalog grades the package through functions over arrays: each builds
// the modules, sets their parameters, runs them and reads what the protocol exposes.
//
// Layouts as the handout: a Linear's W is (out, in) and it computes Z = X W^T + b for X of shape (batch, in);
// backward(G) gives dW = G^T X, db = sum of G over the batch, dX = G W. SoftmaxCrossEntropy takes one-hot
// targets; the handout's text sums the loss over the batch (gradient yhat - y), its starter averages it
// (gradient (yhat - y) / batch): these functions compute the text's sum, and the suite accepts either reduction
// when forward and backward agree. ReLU's kink at 0 takes the derivative 0, as the handout writes it (1[x > 0]).

import { type Matrix, type Vector, matmul, transpose } from '../src/numeric.ts';
import { Rng, hashSeed } from '../src/rng.ts';
import { requireMatrix, requireVector } from './validate.ts';

/** The two reductions the handout gives SoftmaxCrossEntropy. */
export type Reduction = 'sum' | 'mean';

// ---- Linear ------------------------------------------------------------------------------------------------

/** Z = X W^T + b (Linear.forward). */
export function linearForward(W: Matrix, b: Vector, X: Matrix): Matrix {
  requireMatrix('W', W);
  requireVector('b', b, W.length);
  requireMatrix('X', X, undefined, W[0]!.length);
  return X.map((x) => W.map((w, k) => w.reduce((s, wkj, j) => s + wkj * x[j]!, b[k]!)));
}

/** [dW, db, dX] after forward(X), backward(G): dW = G^T X, db = sum over the batch of G, dX = G W. */
export function linearBackward(W: Matrix, b: Vector, X: Matrix, G: Matrix): [Matrix, Vector, Matrix] {
  requireMatrix('G', G, X.length, W.length);
  linearForward(W, b, X);
  const db = W.map((_, k) => G.reduce((s, g) => s + g[k]!, 0));
  return [matmul(transpose(G), X), db, matmul(G, W)];
}

/** The variance of a fresh Linear's weights as the handout's text gives it: 1 / max(n_in, n_out). */
export const maxFanVariance = (nIn: number, nOut: number): number => 1 / Math.max(nIn, nOut);
/** ... and as its starter gives it (Xavier): 2 / (n_in + n_out). */
export const xavierVariance = (nIn: number, nOut: number): number => 2 / (nIn + nOut);

/** [W, b] of a fresh Linear(n_in, n_out): W (out, in) ~ N(0, 1/max(n_in, n_out)), b = 0. */
export function linearInit(nIn: number, nOut: number): [Matrix, Vector] {
  const rng = new Rng(hashSeed('linear_init', nIn, nOut));
  const std = Math.sqrt(maxFanVariance(nIn, nOut));
  return [Array.from({ length: nOut }, () => rng.normalVector(nIn, 0, std)), new Array<number>(nOut).fill(0)];
}

// ---- activations -------------------------------------------------------------------------------------------

export function reluForward(X: Matrix): Matrix {
  return X.map((row) => row.map((x) => (x > 0 ? x : 0)));
}

/** G * 1[X > 0]. */
export function reluBackward(X: Matrix, G: Matrix): Matrix {
  return G.map((row, i) => row.map((g, j) => (X[i]![j]! > 0 ? g : 0)));
}

/** The logistic function without overflow: exp of a non-positive number only. */
export function stableSigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export function sigmoidForward(X: Matrix): Matrix {
  return X.map((row) => row.map(stableSigmoid));
}

/** G * s(X) (1 - s(X)). */
export function sigmoidBackward(X: Matrix, G: Matrix): Matrix {
  return G.map((row, i) =>
    row.map((g, j) => {
      const s = stableSigmoid(X[i]![j]!);
      return g * s * (1 - s);
    }),
  );
}

// ---- SoftmaxCrossEntropy -----------------------------------------------------------------------------------

/** Row-wise softmax with the row max subtracted. */
export function softmaxRows(logits: Matrix): Matrix {
  return logits.map((row) => {
    const m = Math.max(...row);
    const e = row.map((z) => Math.exp(z - m));
    const s = e.reduce((a, v) => a + v, 0);
    return e.map((v) => v / s);
  });
}

/** -sum_i sum_k y_ik log softmax(logits)_ik (a log-sum-exp, finite for any finite logits), summed or averaged. */
export function softmaxCeLoss(logits: Matrix, Y: Matrix, reduction: Reduction): number {
  requireMatrix('logits', logits);
  requireMatrix('Y', Y, logits.length, logits[0]!.length);
  const total = logits.reduce((acc, row, i) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, z) => s + Math.exp(z - m), 0));
    return acc + row.reduce((s, z, k) => s - Y[i]![k]! * (z - lse), 0);
  }, 0);
  return reduction === 'sum' ? total : total / logits.length;
}

/** yhat - y, divided by the batch for the mean reduction. */
export function softmaxCeGradient(logits: Matrix, Y: Matrix, reduction: Reduction): Matrix {
  requireMatrix('Y', Y, logits.length, logits[0]!.length);
  const scale = reduction === 'sum' ? 1 : 1 / logits.length;
  return softmaxRows(logits).map((row, i) => row.map((p, k) => (p - Y[i]![k]!) * scale));
}

/** SoftmaxCrossEntropy.forward(logits, Y) with the handout text's sum over the batch. */
export const softmaxCeForward = (logits: Matrix, Y: Matrix): number => softmaxCeLoss(logits, Y, 'sum');
/** SoftmaxCrossEntropy.backward() after forward(logits, Y): yhat - y. */
export const softmaxCeBackward = (logits: Matrix, Y: Matrix): Matrix => softmaxCeGradient(logits, Y, 'sum');

// ---- Sequential and SGD ------------------------------------------------------------------------------------

/** Sequential(Linear(W1, b1), ReLU, Linear(W2, b2), ReLU, ..., Linear(Wk, bk)).forward(X). */
export function sequentialForward(weights: readonly Matrix[], biases: readonly Vector[], X: Matrix): Matrix {
  return weights.reduce((h, W, l) => linearForward(W, biases[l]!, l === 0 ? h : reluForward(h)), X);
}

/** [dX, get_gradients()] after forward(X) and backward(G): the modules' backwards in reverse order, gradients [dW1, db1, ...]. */
export function sequentialBackward(weights: readonly Matrix[], biases: readonly Vector[], X: Matrix, G: Matrix): [Matrix, (Matrix | Vector)[]] {
  if (weights.length !== biases.length || weights.length === 0) throw new Error('one bias per weight matrix, at least one layer');
  // Each Linear's input and output: the input of layer l > 0 is ReLU of the output of layer l - 1.
  const inputs: Matrix[] = [];
  const outputs: Matrix[] = [];
  weights.forEach((W, l) => {
    inputs.push(l === 0 ? X : reluForward(outputs[l - 1]!));
    outputs.push(linearForward(W, biases[l]!, inputs[l]!));
  });
  const grads: (Matrix | Vector)[] = [];
  let g = G;
  for (let l = weights.length - 1; l >= 0; l--) {
    const [dW, db, dX] = linearBackward(weights[l]!, biases[l]!, inputs[l]!, g);
    grads.unshift(dW, db);
    g = l === 0 ? dX : reluBackward(outputs[l - 1]!, dX);
  }
  return [g, grads];
}

/** SGD(params, lr).step(grads): p -= lr * g for every parameter array (returned as new arrays here). */
export function sgdUpdate(params: readonly (Matrix | Vector)[], grads: readonly (Matrix | Vector)[], lr: number): (Matrix | Vector)[] {
  const step = (p: Matrix | Vector, g: Matrix | Vector): Matrix | Vector =>
    p.map((v, i) => (Array.isArray(v) ? (step(v, (g as Matrix)[i]!) as Vector) : v - lr * (g as Vector)[i]!)) as Matrix | Vector;
  if (params.length !== grads.length) throw new Error(`${params.length} parameters but ${grads.length} gradients`);
  return params.map((p, i) => step(p, grads[i]!));
}

/**
 * One training step of the handout's loop on a Sequential of Linear/ReLU: forward(X), backward(G),
 * SGD(model.get_parameters(), lr).step(model.get_gradients()); returns the Linear layers' [W1, b1, W2, b2, ...].
 */
export function trainStep(weights: readonly Matrix[], biases: readonly Vector[], X: Matrix, G: Matrix, lr: number): (Matrix | Vector)[] {
  const [, grads] = sequentialBackward(weights, biases, X, G);
  return sgdUpdate(weights.flatMap((W, l) => [W, biases[l]!]), grads, lr);
}

// ---- gradient checking -------------------------------------------------------------------------------------

/** Backward bugs planted in the staff model that gradient_check is given. */
export const PLANTED_BUGS = ['none', 'sign', 'scaled', 'transposed'] as const;
export type PlantedBug = (typeof PLANTED_BUGS)[number];

/** The staff model: Linear(W1, b1), Sigmoid, Linear(W2, b2), with SoftmaxCrossEntropy (sum) as its loss. */
function staffLoss(params: readonly (Matrix | Vector)[], X: Matrix, Y: Matrix): number {
  const [W1, b1, W2, b2] = params as [Matrix, Vector, Matrix, Vector];
  return softmaxCeLoss(linearForward(W2, b2, sigmoidForward(linearForward(W1, b1, X))), Y, 'sum');
}

/** The staff model's get_gradients() after forward and backward, with its planted bug. */
export function staffGradients(params: readonly (Matrix | Vector)[], X: Matrix, Y: Matrix, bug: PlantedBug): (Matrix | Vector)[] {
  const [W1, b1, W2, b2] = params as [Matrix, Vector, Matrix, Vector];
  const z1 = linearForward(W1, b1, X);
  const a1 = sigmoidForward(z1);
  const g2 = softmaxCeGradient(linearForward(W2, b2, a1), Y, 'sum');
  const [dW2, db2, da1] = linearBackward(W2, b2, a1, g2);
  const [dW1, db1] = linearBackward(W1, b1, X, sigmoidBackward(z1, da1));
  const grads: (Matrix | Vector)[] = [dW1, db1, dW2, db2];
  switch (bug) {
    case 'none':
      return grads;
    case 'sign':
      return grads.map((g) => g.map((v) => (Array.isArray(v) ? v.map((x) => -x) : -v)) as Matrix | Vector);
    case 'scaled':
      return grads.map((g) => g.map((v) => (Array.isArray(v) ? v.map((x) => x * X.length) : v * X.length)) as Matrix | Vector);
    case 'transposed':
      return [transpose(dW1), db1, dW2, db2];
  }
}

/** Central differences of the staff loss in every parameter entry, step epsilon. */
export function staffNumericGradients(params: readonly (Matrix | Vector)[], X: Matrix, Y: Matrix, epsilon = 1e-5): (Matrix | Vector)[] {
  const copy = params.map((p) => structuredClone(p));
  const at = (): number => staffLoss(copy, X, Y);
  const entry = (p: Matrix | Vector, set: (v: number) => void, v: number): number => {
    set(v + epsilon);
    const up = at();
    set(v - epsilon);
    const down = at();
    set(v);
    return (up - down) / (2 * epsilon);
  };
  return copy.map((p) =>
    (p as (number | number[])[]).map((row, i) =>
      Array.isArray(row) ? row.map((v, j) => entry(p, (x) => ((p as Matrix)[i]![j] = x), v)) : entry(p, (x) => ((p as Vector)[i] = x), row),
    ) as Matrix | Vector,
  );
}

const flat = (p: Matrix | Vector): number[] => (p as (number | number[])[]).flat();
const norm = (v: readonly number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/** The handout text's error: max over parameters of ||a - n|| / (||a|| + ||n||). */
export function relativeError(analytic: readonly (Matrix | Vector)[], numeric: readonly (Matrix | Vector)[]): number {
  return Math.max(
    ...analytic.map((a, i) => {
      const x = flat(a);
      const y = flat(numeric[i]!);
      if (x.length !== y.length) return Infinity;
      const denominator = norm(x) + norm(y);
      return denominator === 0 ? 0 : norm(x.map((v, k) => v - y[k]!)) / denominator;
    }),
  );
}

/**
 * What gradient_check(model, loss, X, Y) reports for the staff model Linear(W1, b1), Sigmoid, Linear(W2, b2)
 * with SoftmaxCrossEntropy, whose backward carries the planted `bug`: the text's relative error between its
 * gradients and central differences (epsilon 1e-5) of its loss.
 */
export function gradientCheckError(W1: Matrix, b1: Vector, W2: Matrix, b2: Vector, X: Matrix, Y: Matrix, bug: string): number {
  if (!(PLANTED_BUGS as readonly string[]).includes(bug)) throw new Error(`unknown planted bug ${bug}`);
  const params = [W1, b1, W2, b2];
  return relativeError(staffGradients(params, X, Y, bug as PlantedBug), staffNumericGradients(params, X, Y));
}
