// The minibatch helpers of a PyTorch classifier (seed 004, P2.1): one training epoch, the accuracy and the
// cross-entropy over a data set, on the model the catalog can state in numbers, a Linear(d, k) (W of shape
// (k, d), logits X W^T + b) under nn.CrossEntropyLoss (mean over the batch, integer labels).
//
// The loader is torch's DataLoader(TensorDataset(X, y), batch_size, shuffle=False): consecutive rows, batch_size
// at a time, the last batch smaller when batch_size does not divide n. An epoch takes, per batch in that order,
// the batch's mean loss at the current parameters and then one optimizer step on its gradient: torch.optim.SGD
// (lr, no momentum) or torch.optim.Adam (lr, torch's defaults) with the references of sgd.ts and adam.ts. The
// epoch's loss and the data set's loss are means over the n examples (a batch's mean weighted by its size), as
// the handout's cost -1/n sum_i sum_k y_k log yhat_k.

import type { Matrix, Vector } from '../src/numeric.ts';
import { ADAMOptimizer } from './adam.ts';
import { crossEntropy, crossEntropyGrad } from './losses.ts';
import { type BatchValue, batchRows, exampleMean } from './loader.ts';
import { linearBackward, linearForward } from './mytorch.ts';
import { SimpleGradientDescent } from './sgd.ts';
import { requireMatrix, requirePositive, requireVector } from './validate.ts';

/** The optimizers an epoch can run: torch.optim.SGD(params, lr) and torch.optim.Adam(params, lr). */
export const EPOCH_OPTIMIZERS = ['sgd', 'adam'] as const;
export type EpochOptimizer = (typeof EPOCH_OPTIMIZERS)[number];

function requireData(W: Matrix, b: Vector, X: Matrix, y: Vector): void {
  requireMatrix('W', W);
  requireVector('b', b, W.length);
  requireMatrix('X', X, undefined, W[0]!.length);
  requireVector('y', y, X.length);
}

/** Each batch's rows and labels, in the loader's order. */
function batches(X: Matrix, y: Vector, batchSize: number): { X: Matrix; y: Vector }[] {
  const labels = batchRows(y, batchSize);
  return batchRows(X, batchSize).map((rows, i) => ({ X: rows, y: labels[i]! }));
}

export interface EpochRun {
  /** Each batch's mean cross-entropy, taken before its step, and its size. */
  readonly batches: BatchValue[];
  /** The parameters after the epoch. */
  readonly W: Matrix;
  readonly b: Vector;
}

/**
 * One epoch over the batches in order. `zeroGrad: false` is the loop without optimizer.zero_grad(): each step
 * uses the gradients of every batch so far, summed (what .grad holds when backward keeps adding to it).
 */
export function runEpoch(W: Matrix, b: Vector, X: Matrix, y: Vector, batchSize: number, lr: number, optimizer: string, zeroGrad = true): EpochRun {
  requireData(W, b, X, y);
  requirePositive('lr', lr);
  if (!(EPOCH_OPTIMIZERS as readonly string[]).includes(optimizer)) throw new Error(`optimizer must be one of ${EPOCH_OPTIMIZERS.join(', ')}, got ${optimizer}`);
  const params: [Matrix, Vector] = [W.map((row) => [...row]), [...b]];
  const opt = optimizer === 'sgd' ? new SimpleGradientDescent(params, lr) : new ADAMOptimizer(params, lr);
  let held: [Matrix, Vector] | undefined;
  const out: BatchValue[] = [];
  for (const batch of batches(X, y, batchSize)) {
    const logits = linearForward(params[0], params[1], batch.X);
    out.push({ value: crossEntropy(logits, batch.y), size: batch.X.length });
    const [dW, db] = linearBackward(params[0], params[1], batch.X, crossEntropyGrad(logits, batch.y));
    held = zeroGrad || !held ? [dW, db] : [held[0].map((row, i) => row.map((g, j) => g + dW[i]![j]!)), held[1].map((g, i) => g + db[i]!)];
    opt.step(held);
  }
  return { batches: out, W: params[0], b: params[1] };
}

/** train_epoch's avg_loss: the mean cross-entropy over the n examples, each batch's taken before its step. */
export function trainEpochLoss(W: Matrix, b: Vector, X: Matrix, y: Vector, batchSize: number, lr: number, optimizer: string): number {
  return exampleMean(runEpoch(W, b, X, y, batchSize, lr, optimizer).batches);
}

/** The model's parameters after the epoch, in module order: [W, b]. */
export function trainEpochParams(W: Matrix, b: Vector, X: Matrix, y: Vector, batchSize: number, lr: number, optimizer: string): [Matrix, Vector] {
  const run = runEpoch(W, b, X, y, batchSize, lr, optimizer);
  return [run.W, run.b];
}

/** train_epoch's flat_params: the parameters after the epoch flattened in module order (W row by row, then b). */
export function trainEpochFlat(W: Matrix, b: Vector, X: Matrix, y: Vector, batchSize: number, lr: number, optimizer: string): Vector {
  const run = runEpoch(W, b, X, y, batchSize, lr, optimizer);
  return [...run.W.flat(), ...run.b];
}

/** evaluate: the fraction of the examples whose largest logit is their label's. */
export function classifierAccuracy(W: Matrix, b: Vector, X: Matrix, y: Vector, batchSize: number): number {
  requireData(W, b, X, y);
  return exampleMean(
    batches(X, y, batchSize).map((batch) => {
      const logits = linearForward(W, b, batch.X);
      const correct = logits.filter((row, i) => row.indexOf(Math.max(...row)) === batch.y[i]).length;
      return { value: correct / batch.X.length, size: batch.X.length };
    }),
  );
}

/** Each batch's mean cross-entropy at fixed parameters, and its size. */
export function batchCrossEntropies(W: Matrix, b: Vector, X: Matrix, y: Vector, batchSize: number): BatchValue[] {
  requireData(W, b, X, y);
  return batches(X, y, batchSize).map((batch) => ({ value: crossEntropy(linearForward(W, b, batch.X), batch.y), size: batch.X.length }));
}

/** compute_loss: the cross-entropy averaged over the n examples (not over the batches). */
export function datasetCrossEntropy(W: Matrix, b: Vector, X: Matrix, y: Vector, batchSize: number): number {
  return exampleMean(batchCrossEntropies(W, b, X, y, batchSize));
}
