// Training an autoencoder as seed 004's P4 T3 asks: per epoch, per batch of the loader (in order), flatten the
// images to rows of d pixels, reconstruct them, take nn.MSELoss between the reconstruction and the flattened
// images (the mean over the batch's rows and pixels), zero the gradients, backward, torch.optim.Adam(lr) step;
// return one loss per epoch, the mean over the epoch's examples of the batch losses.
//
// The model the catalog states in numbers is a staff autoencoder: Linear(d, h), Linear(h, d), Sigmoid (W1 of
// shape (h, d), W2 of shape (d, h), as torch lays them out). The handout's own Autoencoder (784-128-64-128-784,
// ReLUs) is graded as an architecture on the executed notebook; here any model that maps flattened images to
// their reconstructions will do, and this one has gradients in closed form. No ReLU, so float32 and float64 runs
// never take different branches.

import type { Matrix, Vector } from '../src/numeric.ts';
import { adamStep } from './adam.ts';
import { type BatchValue, batchRows, exampleMean } from './loader.ts';
import { bce, bceGrad, mse, mseGrad } from './losses.ts';
import { stableSigmoid } from './mytorch.ts';
import { requireMatrix, requirePositive, requireVector } from './validate.ts';

/** The losses the named mistakes may train with: the handout's MSE, or nn.BCELoss. */
export type ReconstructionLoss = 'mse' | 'bce';

export interface AutoencoderRun {
  /** Per epoch, each batch's loss (taken before its step) and size. */
  readonly epochs: BatchValue[][];
  /** [W1, b1, W2, b2] after training, each flattened row-major. */
  readonly params: [Vector, Vector, Vector, Vector];
}

const LOSSES: Readonly<Record<ReconstructionLoss, { value: typeof mse; grad: typeof mseGrad }>> = {
  mse: { value: mse, grad: mseGrad },
  bce: { value: bce, grad: bceGrad },
};

/** torch.optim.Adam's defaults. */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPS = 1e-8;

/**
 * The loss of one batch X (rows of d pixels) and its gradients [dW1, db1, dW2, db2], flattened row-major, for
 * code = X W1^T + b1, recon = sigmoid(code W2^T + b2). Loops over flat arrays: d is 784 and the suites train
 * thousands of times.
 */
function batchGradients(params: readonly Vector[], X: Matrix, h: number, d: number, loss: ReconstructionLoss): { value: number; grads: Vector[] } {
  const [W1, b1, W2, b2] = params as [Vector, Vector, Vector, Vector];
  const n = X.length;
  const code = new Float64Array(n * h);
  const recon: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = X[i]!;
    for (let j = 0; j < h; j++) {
      let z = b1[j]!;
      for (let p = 0; p < d; p++) z += W1[j * d + p]! * x[p]!;
      code[i * h + j] = z;
    }
    for (let p = 0; p < d; p++) {
      let z = b2[p]!;
      for (let j = 0; j < h; j++) z += W2[p * h + j]! * code[i * h + j]!;
      recon.push(stableSigmoid(z));
    }
  }
  const target = X.flat();
  const dRecon = LOSSES[loss].grad(recon, target);
  const dW1 = new Array<number>(h * d).fill(0);
  const db1 = new Array<number>(h).fill(0);
  const dW2 = new Array<number>(d * h).fill(0);
  const db2 = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) {
    const dCode = new Array<number>(h).fill(0);
    for (let p = 0; p < d; p++) {
      const s = recon[i * d + p]!;
      const dz = dRecon[i * d + p]! * s * (1 - s);
      db2[p]! += dz;
      for (let j = 0; j < h; j++) {
        dW2[p * h + j]! += dz * code[i * h + j]!;
        dCode[j]! += dz * W2[p * h + j]!;
      }
    }
    const x = X[i]!;
    for (let j = 0; j < h; j++) {
      db1[j]! += dCode[j]!;
      for (let p = 0; p < d; p++) dW1[j * d + p]! += dCode[j]! * x[p]!;
    }
  }
  return { value: LOSSES[loss].value(recon, target), grads: [dW1, db1, dW2, db2] };
}

/** Checks the staff autoencoder's weights (W1 (h, d), b1 (h), W2 (d, h), b2 (d)) and returns its widths. */
export function requireAutoencoder(W1: Matrix, b1: Vector, W2: Matrix, b2: Vector): { h: number; d: number } {
  requireMatrix('W1', W1);
  const h = W1.length;
  const d = W1[0]!.length;
  requireVector('b1', b1, h);
  requireMatrix('W2', W2, d, h);
  requireVector('b2', b2, d);
  return { h, d };
}

/** The training loop of P4 T3 on the staff autoencoder, with the handout's loss or a mistaken one. */
export function runAutoencoder(
  W1: Matrix, b1: Vector, W2: Matrix, b2: Vector, images: Matrix,
  batchSize: number, epochs: number, lr: number, loss: ReconstructionLoss = 'mse',
): AutoencoderRun {
  const { h, d } = requireAutoencoder(W1, b1, W2, b2);
  requireMatrix('images', images, undefined, d);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs must be a positive integer, got ${epochs}`);
  requirePositive('lr', lr);
  let params: Vector[] = [W1.flat(), [...b1], W2.flat(), [...b2]];
  let moments = params.map((p) => ({ m: p.map(() => 0), v: p.map(() => 0) }));
  let t = 0;
  const out: BatchValue[][] = [];
  for (let e = 0; e < epochs; e++) {
    const losses: BatchValue[] = [];
    for (const X of batchRows(images, batchSize)) {
      const { value, grads } = batchGradients(params, X, h, d, loss);
      losses.push({ value, size: X.length });
      t += 1;
      const stepped = params.map((p, i) => adamStep(p, grads[i]!, moments[i]!.m, moments[i]!.v, t, lr, BETA1, BETA2, EPS));
      params = stepped.map(([w]) => w);
      moments = stepped.map(([, m, v]) => ({ m, v }));
    }
    out.push(losses);
  }
  return { epochs: out, params: params as [Vector, Vector, Vector, Vector] };
}

/** train_autoencoder's per-epoch losses. */
export function autoencoderEpochLosses(W1: Matrix, b1: Vector, W2: Matrix, b2: Vector, images: Matrix, batchSize: number, epochs: number, lr: number): Vector {
  return runAutoencoder(W1, b1, W2, b2, images, batchSize, epochs, lr).epochs.map(exampleMean);
}

/** The shape of every batch the model is given, in order: (batch, d), flattened. */
export function autoencoderBatchShapes(W1: Matrix, b1: Vector, W2: Matrix, b2: Vector, images: Matrix, batchSize: number, epochs: number, lr: number): Matrix {
  requireMatrix('W1', W1);
  requireMatrix('images', images, undefined, W1[0]!.length);
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`epochs must be a positive integer, got ${epochs}`);
  requirePositive('lr', lr);
  const shapes = batchRows(images, batchSize).map((X) => [X.length, X[0]!.length]);
  return Array.from({ length: epochs }, () => shapes).flat();
}
