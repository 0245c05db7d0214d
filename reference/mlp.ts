// The from-scratch MLP of seed 002, problem 4: sigmoid hidden layers, a softmax output layer and the
// cross-entropy loss of one sample, with the homework's layout: a weight matrix is (n_in, n_out) and a
// layer computes a @ W + b, so a sample is a row vector.
//
// The label y is a class index (an integer in [0, k) for k = n_out of the last layer), as the homework's
// `feed_forward_sample(sample, y)` takes it ("label: An integer from 0 to 9") and one-hot encodes it
// inside; the grader sends it to Python as an int.

import { type Matrix, type Vector, matvec, outer, vecmat } from '../src/numeric.ts';
import { sigmoid, sigmoidGrad } from './activations.ts';
import { softmax } from './softmax.ts';
import { requireMatrix, requireVector } from './validate.ts';

function requireNetwork(weights: readonly Matrix[], biases: readonly Vector[], x: Vector, y: number): void {
  if (!Array.isArray(weights) || weights.length === 0) throw new Error('weights must be a non-empty list of matrices');
  if (!Array.isArray(biases) || biases.length !== weights.length) {
    throw new Error(`biases must be a list of ${weights.length} vectors, one per weight matrix`);
  }
  requireVector('x', x);
  let width = x.length;
  weights.forEach((W, l) => {
    requireMatrix(`weights[${l}]`, W, width);
    const out = W[0]!.length;
    requireVector(`biases[${l}]`, biases[l]!, out);
    width = out;
  });
  if (!Number.isInteger(y) || y < 0 || y >= width) throw new Error(`y must be a class index in [0, ${width}), got ${y}`);
}

export interface Pass {
  /** activations[0] = x, activations[l + 1] = sigmoid(z_l) for hidden layers. */
  readonly activations: Vector[];
  /** The pre-activations z_l = a_l @ W_l + b_l of every layer, the last one the logits. */
  readonly zs: Vector[];
}

/** The layers of one forward pass: sigmoid hidden activations, every pre-activation (the last the logits). */
export function forwardPass(weights: readonly Matrix[], biases: readonly Vector[], x: Vector): Pass {
  const activations: Vector[] = [x];
  const zs: Vector[] = [];
  weights.forEach((W, l) => {
    const z = vecmat(activations[l]!, W).map((v, j) => v + biases[l]![j]!);
    zs.push(z);
    if (l < weights.length - 1) activations.push(sigmoid(z));
  });
  return { activations, zs };
}

/** -log softmax(z)[y], as log-sum-exp (finite even where softmax(z)[y] underflows to 0). */
function crossEntropyOfLogits(z: Vector, y: number): number {
  const m = Math.max(...z);
  let s = 0;
  for (const v of z) s += Math.exp(v - m);
  return m + Math.log(s) - z[y]!;
}

/** Returns [loss, probs]: the cross-entropy -log probs[y] and the softmax output probabilities. */
export function feedForward(weights: Matrix[], biases: Vector[], x: Vector, y: number): [number, Vector] {
  requireNetwork(weights, biases, x, y);
  const logits = forwardPass(weights, biases, x).zs.at(-1)!;
  return [crossEntropyOfLogits(logits, y), softmax(logits)];
}

/**
 * Returns [weightGrads, biasGrads], the gradients of feedForward's loss, with the shapes of weights and
 * biases: delta_L = softmax(z_L) - onehot(y); dW_l = a_l^T delta_l (an outer product, (n_in, n_out));
 * db_l = delta_l; delta_{l-1} = (W_l delta_l) * sigmoid'(z_{l-1}).
 */
export function backprop(weights: Matrix[], biases: Vector[], x: Vector, y: number): [Matrix[], Vector[]] {
  requireNetwork(weights, biases, x, y);
  const { activations, zs } = forwardPass(weights, biases, x);
  const L = weights.length;
  const weightGrads: Matrix[] = new Array<Matrix>(L);
  const biasGrads: Vector[] = new Array<Vector>(L);
  let delta = softmax(zs[L - 1]!).map((p, c) => p - (c === y ? 1 : 0));
  for (let l = L - 1; l >= 0; l--) {
    weightGrads[l] = outer(activations[l]!, delta);
    biasGrads[l] = delta;
    if (l > 0) {
      const back = matvec(weights[l]!, delta);
      const slope = sigmoidGrad(zs[l - 1]!);
      delta = back.map((v, i) => v * slope[i]!);
    }
  }
  return [weightGrads, biasGrads];
}

// --- seed 002 Q4.2 and Q4.3 as the handout asks for them ------------------------------------------------
//
// The handout's feed_forward_sample(sample, y) and train_one_sample(sample, y, learning_rate) read and update
// the globals weights and biases; here they are pure functions of them (the assignment's globals binding sets
// the globals, calls, and reads them back). The sample is the network's input as given: the handout feeds
// MNIST pixels (0..255) unscaled. A student who divides by 255 is graded under the convention
// `pixels-over-255` of spec/mlp-sample.suite.ts, which scales the sample before calling these.

/** The one-hot vector of class c among k: the provided integer_to_one_hot(c, 10). */
export function oneHot(c: number, k: number): Vector {
  return Array.from({ length: k }, (_, i) => (i === c ? 1 : 0));
}

/** The first index of the largest entry, as np.argmax. */
export function argmax(v: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i]! > v[best]!) best = i;
  return best;
}

/**
 * Returns [loss, guess]: the cross-entropy loss of the sample and the one-hot vector of the most likely class
 * (integer_to_one_hot(argmax(y_hat), k)), with the weights and biases of the network (the handout's globals).
 */
export function feedForwardSample(weights: Matrix[], biases: Vector[], sample: Vector, y: number): [number, Vector] {
  const [loss, probs] = feedForward(weights, biases, sample, y);
  return [loss, oneHot(argmax(forwardPass(weights, biases, sample).zs.at(-1)!), probs.length)];
}

/**
 * Returns [weights', biases']: the network after one SGD step on the sample, W - learning_rate * dL/dW and
 * b - learning_rate * dL/db (new arrays; the handout's train_one_sample updates its globals in place and
 * returns nothing, which the binding reads back as these).
 */
export function trainOneSample(weights: Matrix[], biases: Vector[], sample: Vector, y: number, learningRate = 0.003): [Matrix[], Vector[]] {
  if (!Number.isFinite(learningRate)) throw new Error(`learning_rate must be a finite number, got ${learningRate}`);
  const [dW, db] = backprop(weights, biases, sample, y);
  return [weights.map((W, l) => W.map((row, i) => row.map((w, j) => w - learningRate * dW[l]![i]![j]!))), biases.map((b, l) => b.map((v, j) => v - learningRate * db[l]![j]!))];
}

/**
 * Returns [weights', biases']: the network after one epoch, trainOneSample over the samples (the rows of xTrain,
 * labels yTrain) in `order` (default: as given), each once, with `learningRate` (seed 002 Q4.4's
 * train_one_epoch(learning_rate=0.003), which loops train_one_sample over the globals x_train, y_train).
 */
export function trainOneEpoch(
  weights: Matrix[],
  biases: Vector[],
  xTrain: Matrix,
  yTrain: Vector,
  learningRate = 0.003,
  order: readonly number[] = xTrain.map((_, i) => i),
): [Matrix[], Vector[]] {
  if (!Array.isArray(xTrain) || !Array.isArray(yTrain) || xTrain.length !== yTrain.length) throw new Error('x_train and y_train must hold the same number of samples');
  let network: [Matrix[], Vector[]] = [weights, biases];
  for (const i of order) network = trainOneSample(network[0], network[1], xTrain[i]!, yTrain[i]!, learningRate);
  return network;
}
