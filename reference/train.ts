// A small dense-network trainer in float64 (seed 000 Q5.3 and Q5.4): hidden layers h = f(a @ W + b), a linear
// output layer, the mean cross-entropy of torch.nn.CrossEntropyLoss, and plain SGD as torch.optim.SGD(lr) (no
// momentum, no weight decay). Weights are (fan_in, fan_out) as in the catalog, drawn with initializeWeights,
// biases 0, as the seed's `_init_weights`.
//
// Matrices are row-major Float64Arrays (a (rows, cols) matrix M has M[r * cols + c]) because training on MNIST is
// the hot path; every sum runs in the same order for every unit of a layer, so two units that start equal get
// bit-identical updates (the symmetry property of spec/train.spec.ts relies on nothing else).

import { affineRows } from '../src/numeric.ts';
import { Rng, hashSeed } from '../src/rng.ts';
import { ACTIVATIONS, type Activation, activate, initializeWeights } from './init.ts';

/** n examples as one row-major (n, dim) Float64Array, and their integer class labels. */
export interface Dataset {
  readonly n: number;
  readonly images: Float64Array;
  readonly labels: Int32Array;
}

/** An initialisation: a catalog method of initialize_weights, or every weight equal to one constant. */
export type NetworkInit = string | { readonly constant: number };

export interface DenseNetwork {
  /** Layer sizes [input, hidden..., classes]. */
  readonly sizes: readonly number[];
  /** The hidden layers' activation; the output layer is linear (logits). */
  readonly activation: Activation;
  /** weights[l] is (sizes[l], sizes[l + 1]), row-major; updated in place by sgdStep. */
  readonly weights: Float64Array[];
  readonly biases: Float64Array[];
}

export interface Gradients {
  /** The mean cross-entropy over the batch. */
  readonly loss: number;
  readonly weights: Float64Array[];
  readonly biases: Float64Array[];
}

/** d f / d z in terms of the output h = f(z); relu'(0) = 0 as PyTorch. */
const slopeOfOutput: Readonly<Record<Activation, (h: number) => number>> = {
  tanh: (h) => 1 - h * h,
  relu: (h) => (h > 0 ? 1 : 0),
  sigmoid: (h) => h * (1 - h),
  linear: () => 1,
};

function requireSizes(sizes: readonly number[]): void {
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.some((s) => !Number.isInteger(s) || s < 1)) {
    throw new Error(`sizes must list at least an input and an output size, positive integers, got ${JSON.stringify(sizes)}`);
  }
}

/**
 * A network with the given layer sizes: every weight matrix (fan_in, fan_out) = initializeWeights(..., method)
 * drawn from one rng seeded by `seed` (or the constant), every bias `bias` (0 by default, as the seed).
 */
export function initNetwork(sizes: readonly number[], init: NetworkInit, activation: string, seed: number, bias = 0): DenseNetwork {
  requireSizes(sizes);
  if (!(ACTIVATIONS as readonly string[]).includes(activation)) {
    throw new Error(`unknown activation ${JSON.stringify(activation)}; expected one of ${ACTIVATIONS.join(', ')}`);
  }
  const rng = new Rng(hashSeed('init_network', seed));
  const weights: Float64Array[] = [];
  const biases: Float64Array[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l]!;
    const fanOut = sizes[l + 1]!;
    weights.push(
      typeof init === 'string' ? Float64Array.from(initializeWeights([fanIn, fanOut], init, rng).flat()) : new Float64Array(fanIn * fanOut).fill(init.constant),
    );
    biases.push(new Float64Array(fanOut).fill(bias));
  }
  return { sizes: [...sizes], activation: activation as Activation, weights, biases };
}

/** A deep copy (training updates a network in place). */
export function cloneNetwork(net: DenseNetwork): DenseNetwork {
  return { sizes: net.sizes, activation: net.activation, weights: net.weights.map((w) => w.slice()), biases: net.biases.map((b) => b.slice()) };
}

/** [X, h_1, ..., h_hidden, logits]: every layer's output for the batch X (n, sizes[0]). */
export function forwardLayers(net: DenseNetwork, X: Float64Array, n: number): Float64Array[] {
  if (X.length !== n * net.sizes[0]!) throw new Error(`X must hold ${n} rows of ${net.sizes[0]} entries, got ${X.length} entries`);
  const f = activate[net.activation];
  const outs: Float64Array[] = [X];
  const L = net.weights.length;
  for (let l = 0; l < L; l++) {
    const z = affineRows(outs[l]!, n, net.sizes[l]!, net.weights[l]!, net.biases[l]!, net.sizes[l + 1]!);
    if (l < L - 1) for (let i = 0; i < z.length; i++) z[i] = f(z[i]!);
    outs.push(z);
  }
  return outs;
}

/** The mean cross-entropy of the batch and its gradient with respect to every weight and bias (backprop). */
export function lossAndGradients(net: DenseNetwork, X: Float64Array, labels: Int32Array, n: number): Gradients {
  const outs = forwardLayers(net, X, n);
  const L = net.weights.length;
  const k = net.sizes[L]!;
  const logits = outs[L]!;
  // delta = (softmax(logits) - onehot(y)) / n, the gradient of the mean loss with respect to the logits.
  let delta = new Float64Array(n * k);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const y = labels[i]!;
    if (!Number.isInteger(y) || y < 0 || y >= k) throw new Error(`labels must be integers in [0, ${k}), got ${y}`);
    let m = -Infinity;
    for (let c = 0; c < k; c++) m = Math.max(m, logits[i * k + c]!);
    let s = 0;
    for (let c = 0; c < k; c++) s += Math.exp(logits[i * k + c]! - m);
    loss += m + Math.log(s) - logits[i * k + y]!;
    for (let c = 0; c < k; c++) delta[i * k + c] = (Math.exp(logits[i * k + c]! - m) / s - (c === y ? 1 : 0)) / n;
  }
  const slope = slopeOfOutput[net.activation];
  const deadSlope = slope(0) === 0;
  const gW = new Array<Float64Array>(L);
  const gb = new Array<Float64Array>(L);
  for (let l = L - 1; l >= 0; l--) {
    const din = net.sizes[l]!;
    const dout = net.sizes[l + 1]!;
    const A = outs[l]!;
    const W = net.weights[l]!;
    const dW = new Float64Array(din * dout);
    const db = new Float64Array(dout);
    // One pass over (example, input unit, output unit) for both dW_l = A^T delta_l and, below the first layer,
    // delta_{l-1} = (delta_l @ W_l^T) * f'(z_{l-1}) with f' from the layer's input A = f(z_{l-1}). Every sum runs
    // in the same index order for every unit.
    const back = l > 0 ? new Float64Array(n * din) : undefined;
    for (let i = 0; i < n; i++) {
      const d = i * dout;
      for (let j = 0; j < dout; j++) db[j]! += delta[d + j]!;
      for (let q = 0; q < din; q++) {
        const a = A[i * din + q]!;
        const w = q * dout;
        if (back) {
          let s = 0;
          if (a === 0 && deadSlope) {
            back[i * din + q] = 0; // ReLU: a unit at 0 passes nothing back (relu'(0) = 0)
            continue;
          } else if (a === 0) {
            for (let j = 0; j < dout; j++) s += delta[d + j]! * W[w + j]!;
          } else {
            for (let j = 0; j < dout; j++) {
              const dj = delta[d + j]!;
              dW[w + j]! += a * dj;
              s += dj * W[w + j]!;
            }
          }
          back[i * din + q] = s * slope(a);
        } else if (a !== 0) {
          for (let j = 0; j < dout; j++) dW[w + j]! += a * delta[d + j]!;
        }
      }
    }
    gW[l] = dW;
    gb[l] = db;
    if (back) delta = back;
  }
  return { loss: loss / n, weights: gW, biases: gb };
}

/** p -= lr * g for every weight and bias, in place (torch.optim.SGD(lr) without momentum). */
export function applySgd(net: DenseNetwork, grads: Gradients, lr: number): void {
  net.weights.forEach((W, l) => {
    const g = grads.weights[l]!;
    for (let i = 0; i < W.length; i++) W[i]! -= lr * g[i]!;
  });
  net.biases.forEach((b, l) => {
    const g = grads.biases[l]!;
    for (let i = 0; i < b.length; i++) b[i]! -= lr * g[i]!;
  });
}

/** One SGD step on the batch, in place; returns the batch loss before the step. */
export function sgdTrainStep(net: DenseNetwork, X: Float64Array, labels: Int32Array, n: number, lr: number): number {
  const grads = lossAndGradients(net, X, labels, n);
  applySgd(net, grads, lr);
  return grads.loss;
}

export interface TrainOptions {
  readonly lr: number;
  readonly batchSize: number;
  readonly epochs: number;
  /** Seeds the order of the examples in every epoch (DataLoader(shuffle=True)). */
  readonly seed: number;
  /** Called after every epoch with its 1-based number and mean batch loss. */
  readonly onEpoch?: (epoch: number, loss: number) => void;
}

/**
 * Trains in place for `epochs` passes over the data in shuffled batches of `batchSize` (the last one smaller, as
 * DataLoader with drop_last=False). Returns the mean batch loss of every epoch (the seed's running_loss / len).
 */
export function trainSgd(net: DenseNetwork, data: Dataset, options: TrainOptions): number[] {
  const { lr, batchSize, epochs, seed } = options;
  if (!(lr > 0) || !Number.isInteger(batchSize) || batchSize < 1 || !Number.isInteger(epochs) || epochs < 0) {
    throw new Error(`need lr > 0 and positive integer batchSize and epochs, got ${JSON.stringify({ lr, batchSize, epochs })}`);
  }
  const d = net.sizes[0]!;
  if (data.images.length !== data.n * d) throw new Error(`data must hold ${data.n} rows of ${d} entries`);
  const rng = new Rng(hashSeed('train_sgd', seed));
  const losses: number[] = [];
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const order = rng.permutation(data.n);
    let total = 0;
    let batches = 0;
    for (let start = 0; start < data.n; start += batchSize) {
      const idx = order.slice(start, start + batchSize);
      const X = new Float64Array(idx.length * d);
      const y = new Int32Array(idx.length);
      idx.forEach((r, i) => {
        X.set(data.images.subarray(r * d, (r + 1) * d), i * d);
        y[i] = data.labels[r]!;
      });
      total += sgdTrainStep(net, X, y, idx.length, lr);
      batches++;
    }
    losses.push(total / batches);
    options.onEpoch?.(epoch, total / batches);
  }
  return losses;
}

/** The predicted class of every row (argmax of the logits, the first on a tie as torch.argmax). */
export function predictClasses(net: DenseNetwork, X: Float64Array, n: number): Int32Array {
  const outs = forwardLayers(net, X, n);
  const logits = outs[outs.length - 1]!;
  const k = net.sizes[net.sizes.length - 1]!;
  const pred = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (logits[i * k + c]! > logits[i * k + best]!) best = c;
    pred[i] = best;
  }
  return pred;
}

/** The fraction of the data classified correctly. */
export function networkAccuracy(net: DenseNetwork, data: Dataset): number {
  const pred = predictClasses(net, data.images, data.n);
  let correct = 0;
  for (let i = 0; i < data.n; i++) if (pred[i] === data.labels[i]) correct++;
  return correct / data.n;
}
