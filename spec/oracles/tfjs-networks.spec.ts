// The network references (catalog part D) agree with TensorFlow.js: tf's ops for the forward passes and tf's
// reverse-mode autodiff (tf.grads) for every gradient, so backprop, batchnorm_backward and residual_backward
// are checked against a chain rule applied by a machine to the forward computation, not against another
// hand derivation. Each comparison is also run on the catalog's wrong implementations to show it rejects them.
//
// Float32 tolerances, as in tfjs.spec.ts: inputs are float32-representable, TF rounds each op by <= eps32/2,
// and an entry is off by a few dozen eps32 relative to the largest intermediate that flowed into it. Every
// tolerance is rtol 1e-4 plus atol 1e-5 * scale, with `scale` a per-input bound on those intermediates,
// explained at each oracle. The scales are generous bounds: measured over 3000 inputs per oracle on the cpu
// backend, the reference used at most 1.1% of any allowance (batchnorm_backward; the others <= 0.3%). Input
// magnitudes are moderate (entries <= 2-5, small widths) so that the scales stay O(1-100) and each
// comparison still rejects the reference off by a relative 1e-3.

import fc from 'fast-check';
import type * as TF from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { awayFromKinks, finite, matrixOf, sized, vectorOf } from '../../src/arbitraries.ts';
import { type Matrix, type Vector, transpose } from '../../src/numeric.ts';
import { type NumericTree, type Tolerance, tolerance } from '../../src/tolerance.ts';
import * as ref from '../../reference/index.ts';
import { batchStatistics } from '../../reference/batchnorm.ts';
import { backwardWithout, forwardEpsOutsideSqrt, forwardUnbiased } from '../batchnorm.variants.ts';
import { type Oracle, describeOracle, maxAbs, toFloat32, wrong } from './oracle.ts';
import { TEST_SEED } from '../seed.ts';
import { loadTf } from './tf.ts';

const { tf } = await loadTf();

function float32Tolerance(scale: number, what: string): Tolerance {
  return tolerance(1e-4, 1e-5 * scale, `float32 oracle; atol = 1e-5 * ${what}`);
}

/** Runs `fn` in tf.tidy and returns every tensor it computed as nested arrays. */
function readAll(fn: () => TF.Tensor[]): NumericTree[] {
  const ts = tf.tidy(fn);
  try {
    return ts.map((t) => t.arraySync() as NumericTree);
  } finally {
    tf.dispose(ts);
  }
}

const vec = (v: Vector): TF.Tensor1D => tf.tensor1d(v, 'float32');
const mat = (m: Matrix): TF.Tensor2D => tf.tensor2d(m, undefined, 'float32');

const RUNS = 200;

// ---------------------------------------------------------------------------------------------------------
// mlp-backprop: feed_forward and backprop vs a tf MLP (sigmoid hidden layers, logSumExp cross-entropy) and
// tf.grads of its loss with respect to every weight and bias.

interface NetworkInput {
  readonly weights: Matrix[];
  readonly biases: Vector[];
  readonly x: Vector;
  readonly y: number;
}

/** Depth 1..3, widths 1..5 (2..5 classes), |W| <= 1, |b| <= 1, |x| <= 2; float32-representable. */
const networkInputs: fc.Arbitrary<NetworkInput> = fc
  .integer({ min: 1, max: 3 })
  .chain((L) => fc.tuple(fc.array(fc.integer({ min: 1, max: 5 }), { minLength: L, maxLength: L }), fc.integer({ min: 2, max: 5 })))
  .map(([hidden, k]) => [...hidden, k])
  .chain((w) =>
    fc.record({
      weights: fc.tuple(...w.slice(1).map((n, l) => matrixOf(w[l]!, n, { magnitude: 1 }).map(toFloat32))),
      biases: fc.tuple(...w.slice(1).map((n) => vectorOf(n, 1).map(toFloat32))),
      x: vectorOf(w[0]!, 2).map(toFloat32),
      y: fc.nat(w.at(-1)! - 1),
    }),
  );

/** The loss as a tf function of [W_1..W_L, b_1..b_L]. */
const tfLoss = ({ weights, x, y }: NetworkInput) => (...params: TF.Tensor[]): TF.Scalar => {
  const L = weights.length;
  let a: TF.Tensor2D = tf.reshape(vec(x), [1, x.length]);
  for (let l = 0; l < L; l++) {
    const z = tf.add(tf.matMul(a, params[l] as TF.Tensor2D), params[L + l]!) as TF.Tensor2D;
    a = l < L - 1 ? tf.sigmoid(z) : z;
  }
  const logits = tf.squeeze(a, [0]);
  return tf.sub(tf.logSumExp(logits), tf.gather(logits, y)) as TF.Scalar;
};

/**
 * Backprop's entries are products of delta (p - onehot: absolute error a few eps32 * max(1, |z|) from the
 * exponents) and activations, carried back through W and sigmoid' <= 1/4; and the logits z are sums over
 * the layers. scale = max(1, |x|) * max(1, |z|) * prod_l max(1, max row sum |W_l|) bounds all of that.
 */
function networkScale({ weights, x }: NetworkInput): number {
  const rowSums = weights.map((W) => Math.max(1, ...W.map((row) => row.reduce((s, v) => s + Math.abs(v), 0))));
  const bound = rowSums.reduce((s, r) => s * r, 1);
  return Math.max(1, maxAbs(x)) * (1 + bound * (1 + maxAbs(x))) * bound;
}

const feedForwardOracle: Oracle<NetworkInput> = {
  name: 'a tf MLP: [logSumExp(z) - z_y, softmax(z)]',
  inputs: networkInputs,
  compute: (input) => {
    const [loss, probs] = readAll(() => {
      const params = [...input.weights.map(mat), ...input.biases.map(vec)];
      const L = input.weights.length;
      let a: TF.Tensor2D = tf.reshape(vec(input.x), [1, input.x.length]);
      for (let l = 0; l < L; l++) {
        const z = tf.add(tf.matMul(a, params[l] as TF.Tensor2D), params[L + l]!) as TF.Tensor2D;
        a = l < L - 1 ? tf.sigmoid(z) : z;
      }
      return [tfLoss(input)(...params), tf.softmax(tf.squeeze(a, [0]))];
    });
    return [loss!, probs!];
  },
  tolerance: (input) => float32Tolerance(networkScale(input), 'max(1, |x|) (1 + B (1 + |x|)) B, B = prod_l max(1, max row sum |W_l|)'),
  numRuns: RUNS,
};

describeOracle('feed_forward vs a tf MLP', feedForwardOracle, ({ weights, biases, x, y }) => ref.feedForward(weights, biases, x, y), [
  wrong('tanh hidden layers instead of sigmoid', ({ weights, biases, x, y }) => {
    let a = x;
    weights.forEach((W, l) => {
      const z = W[0]!.map((_, j) => W.reduce((s, row, i) => s + a[i]! * row[j]!, biases[l]![j]!));
      a = l < weights.length - 1 ? z.map(Math.tanh) : z;
    });
    const p = ref.softmax(a);
    return [-Math.log(p[y]!), p];
  }),
  wrong('loss -log(1 - p_y)', ({ weights, biases, x, y }) => {
    const [, p] = ref.feedForward(weights, biases, x, y);
    return [-Math.log(1 - p[y]!), p];
  }),
]);

const backpropOracle: Oracle<NetworkInput> = {
  name: 'tf.grads of the MLP loss with respect to every weight and bias',
  inputs: networkInputs,
  compute: (input) => {
    const L = input.weights.length;
    const grads = readAll(() => tf.grads(tfLoss(input))([...input.weights.map(mat), ...input.biases.map(vec)]));
    return [grads.slice(0, L), grads.slice(L)];
  },
  tolerance: (input) => float32Tolerance(networkScale(input), 'max(1, |x|) (1 + B (1 + |x|)) B, B = prod_l max(1, max row sum |W_l|)'),
  numRuns: RUNS,
};

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

describeOracle('backprop vs tf.grads', backpropOracle, ({ weights, biases, x, y }) => ref.backprop(weights, biases, x, y), [
  wrong("sigmoid(z) in place of sigmoid'(z)", ({ weights, biases, x, y }) => {
    // The chain rule with sigmoid(z) as the slope: delta_prev = (W delta) * sigmoid(z_prev).
    const acts: Vector[] = [x];
    const zs: Vector[] = [];
    weights.forEach((W, l) => {
      const z = W[0]!.map((_, j) => W.reduce((s, row, i) => s + acts[l]![i]! * row[j]!, biases[l]![j]!));
      zs.push(z);
      acts.push(z.map(sigmoid));
    });
    const dW: Matrix[] = [];
    const db: Vector[] = [];
    let delta = ref.softmax(zs.at(-1)!).map((p, c) => p - (c === y ? 1 : 0));
    for (let l = weights.length - 1; l >= 0; l--) {
      const d = delta;
      dW[l] = acts[l]!.map((a) => d.map((g) => a * g));
      db[l] = d;
      if (l > 0) delta = weights[l]!.map((row, i) => row.reduce((s, w, j) => s + w * d[j]!, 0) * sigmoid(zs[l - 1]![i]!));
    }
    return [dW, db];
  }),
  wrong('bias gradients left at zero', ({ weights, biases, x, y }) => {
    const [dW, db] = ref.backprop(weights, biases, x, y);
    return [dW, db.map((b) => b.map(() => 0))];
  }),
  wrong('delta = onehot - probs (sign flipped)', ({ weights, biases, x, y }) => {
    const [dW, db] = ref.backprop(weights, biases, x, y);
    return [dW.map((W) => W.map((row) => row.map((v) => -v))), db.map((b) => b.map((v) => -v))];
  }),
]);

// ---------------------------------------------------------------------------------------------------------
// batchnorm: forward vs tf.moments-based normalisation, backward vs tf.grads of sum(dY * Y) with respect to
// X, gamma and beta.

interface BatchInput {
  readonly X: Matrix;
  readonly gamma: Vector;
  readonly beta: Vector;
  readonly eps: number;
  readonly dY: Matrix;
}

const columnStd = (c: readonly number[]): number => {
  const m = c.reduce((s, v) => s + v, 0) / c.length;
  return Math.sqrt(c.reduce((s, v) => s + (v - m) ** 2, 0) / c.length);
};

/** n in 2..8, d in 1..4; columns spread out (std >= 0.5, |x| <= 5) or constant at a multiple of 1/4. */
const batchInputs: fc.Arbitrary<BatchInput> = sized(2, 8, (n) =>
  sized(1, 4, (d) =>
    fc.record({
      X: fc
        .array(
          fc.oneof(
            { weight: 4, arbitrary: fc.array(finite(5), { minLength: n, maxLength: n }).filter((c) => columnStd(c) >= 0.5) },
            { weight: 1, arbitrary: fc.integer({ min: -20, max: 20 }).map((k) => new Array<number>(n).fill(k / 4)) },
          ),
          { minLength: d, maxLength: d },
        )
        .map((cols) => toFloat32(transpose(cols))),
      gamma: vectorOf(d, 2).map(toFloat32),
      beta: vectorOf(d, 2).map(toFloat32),
      eps: fc.constantFrom(1e-5, 1e-3, 0.1).map(Math.fround),
      dY: matrixOf(n, d, { magnitude: 2 }).map(toFloat32),
    }),
  ),
);

/** tf: gamma (X - mean) / sqrt(var + eps) + beta with tf.moments over the batch (biased variance). */
const tfBatchnorm = (eps: number) => (X: TF.Tensor, gamma: TF.Tensor, beta: TF.Tensor): TF.Tensor => {
  const { mean, variance } = tf.moments(X, 0);
  return tf.add(tf.mul(tf.div(tf.sub(X, mean), tf.sqrt(tf.add(variance, eps))), gamma), beta);
};

/**
 * x - mean has an absolute error of a few eps32 * max|x|, divided by std; dX sums n terms of size
 * |gamma| / std * |dY|. scale = max over columns of (|gamma| max|x| + |beta| std + n |gamma| max|dY|) / std.
 */
function batchScale({ X, gamma, beta, eps, dY }: BatchInput): number {
  const { std } = batchStatistics(X, eps);
  const n = X.length;
  return Math.max(...std.map((s, j) => (Math.abs(gamma[j]!) * (maxAbs(X.map((r) => r[j]!)) + n * maxAbs(dY)) + Math.abs(beta[j]!) * s) / s), 1);
}

const batchnormForwardOracle: Oracle<BatchInput> = {
  name: 'tf: gamma (X - mean) / sqrt(var + eps) + beta with tf.moments',
  inputs: batchInputs,
  compute: ({ X, gamma, beta, eps }) => readAll(() => [tfBatchnorm(eps)(mat(X), vec(gamma), vec(beta))])[0]!,
  tolerance: (input) => float32Tolerance(batchScale(input), 'max_j (|gamma| (max|x| + n max|dY|) + |beta| std) / std'),
  numRuns: RUNS,
};

describeOracle('batchnorm_forward vs tf.moments', batchnormForwardOracle, ({ X, gamma, beta, eps }) => ref.batchnormForward(X, gamma, beta, eps), [
  wrong('unbiased variance (divided by n - 1)', ({ X, gamma, beta, eps }) => forwardUnbiased(X, gamma, beta, eps)),
  wrong('sqrt(var) + eps instead of sqrt(var + eps)', ({ X, gamma, beta, eps }) => forwardEpsOutsideSqrt(X, gamma, beta, eps)),
]);

const batchnormBackwardOracle: Oracle<BatchInput> = {
  name: 'tf.grads of sum(dY * batchnorm(X, gamma, beta)) with respect to X, gamma, beta',
  inputs: batchInputs,
  compute: ({ X, gamma, beta, eps, dY }) =>
    readAll(() => tf.grads((Xt: TF.Tensor, g: TF.Tensor, b: TF.Tensor) => tf.sum(tf.mul(tfBatchnorm(eps)(Xt, g, b), mat(dY))))([mat(X), vec(gamma), vec(beta)])),
  tolerance: (input) => float32Tolerance(batchScale(input), 'max_j (|gamma| (max|x| + n max|dY|) + |beta| std) / std'),
  numRuns: RUNS,
};

describeOracle('batchnorm_backward vs tf.grads', batchnormBackwardOracle, ({ dY, X, gamma, eps }) => ref.batchnormBackward(dY, X, gamma, eps), [
  wrong("without the mean's dependence on X", ({ dY, X, gamma, eps }) => backwardWithout('mean')(dY, X, gamma, eps)),
  wrong("without the variance's dependence on X", ({ dY, X, gamma, eps }) => backwardWithout('variance')(dY, X, gamma, eps)),
]);

// ---------------------------------------------------------------------------------------------------------
// residual-block: forward vs tf (relu, matMul with W transposed as torch.nn.Linear), backward vs tf.grads of
// sum(dy * y) with respect to x, W1, b1, W2, b2. Inputs keep x and z1 at least 0.05 from ReLU's kink, far
// beyond float32 error, so tf and the reference take the same side of every kink.

interface BlockInput {
  readonly x: Matrix;
  readonly W1: Matrix;
  readonly b1: Vector;
  readonly W2: Matrix;
  readonly b2: Vector;
  readonly dy: Matrix;
}

const preActivations = ({ x, W1, b1 }: BlockInput): Matrix =>
  x.map((row) => W1.map((w, k) => w.reduce((s, wkj, j) => s + wkj * Math.max(0, row[j]!), b1[k]!)));

/** n in 1..4, d in 1..4, h in 1..5; |x| <= 3, |W| <= 2, |b| <= 1, |dy| <= 2. */
const blockInputs: fc.Arbitrary<BlockInput> = sized(1, 4, (n) =>
  sized(1, 4, (d) =>
    sized(1, 5, (h) =>
      fc.record({
        x: fc.array(fc.array(awayFromKinks({ kinks: [0], margin: 0.05, magnitude: 3 }), { minLength: d, maxLength: d }), { minLength: n, maxLength: n }).map(toFloat32),
        W1: matrixOf(h, d, { magnitude: 2 }).map(toFloat32),
        b1: vectorOf(h, 1).map(toFloat32),
        W2: matrixOf(d, h, { magnitude: 2 }).map(toFloat32),
        b2: vectorOf(d, 1).map(toFloat32),
        dy: matrixOf(n, d, { magnitude: 2 }).map(toFloat32),
      }),
    ),
  ),
).filter((input) => preActivations(input).every((row) => row.every((z) => Math.abs(z) >= 0.05)));

const tfBlock = (x: TF.Tensor, W1: TF.Tensor, b1: TF.Tensor, W2: TF.Tensor, b2: TF.Tensor): TF.Tensor => {
  const a = tf.relu(tf.add(tf.matMul(tf.relu(x) as TF.Tensor2D, W1 as TF.Tensor2D, false, true), b1));
  return tf.add(x, tf.add(tf.matMul(a as TF.Tensor2D, W2 as TF.Tensor2D, false, true), b2));
};

/**
 * z1 sums d terms |W1| |x| (d <= 4); f sums h terms |W2| |z1|; gradients multiply dy by W2 and W1 and the
 * activations. scale = (1 + max|x|) (1 + d max|W1|) (1 + h max|W2|) max(1, |dy|) bounds every intermediate.
 */
function blockScale({ x, W1, W2, dy }: BlockInput): number {
  return (1 + maxAbs(x)) * (1 + x[0]!.length * maxAbs(W1)) * (1 + W1.length * maxAbs(W2)) * Math.max(1, maxAbs(dy));
}

const blockArgs = ({ x, W1, b1, W2, b2 }: BlockInput) => [mat(x), mat(W1), vec(b1), mat(W2), vec(b2)];

const residualForwardOracle: Oracle<BlockInput> = {
  name: 'tf: x + relu(relu(x) W1^T + b1) W2^T + b2',
  inputs: blockInputs,
  compute: (input) => readAll(() => [tfBlock(...(blockArgs(input) as [TF.Tensor, TF.Tensor, TF.Tensor, TF.Tensor, TF.Tensor]))])[0]!,
  tolerance: (input) => float32Tolerance(blockScale(input), '(1 + |x|) (1 + d |W1|) (1 + h |W2|) max(1, |dy|)'),
  numRuns: RUNS,
};

const branch = (x: Matrix, W1: Matrix, b1: Vector, W2: Matrix, b2: Vector): Matrix =>
  ref.residualForward(x, W1, b1, W2, b2).map((row, i) => row.map((v, j) => v - x[i]![j]!));

describeOracle('residual_forward vs tf', residualForwardOracle, ({ x, W1, b1, W2, b2 }) => ref.residualForward(x, W1, b1, W2, b2), [
  wrong('f(x) without the skip connection', ({ x, W1, b1, W2, b2 }) => branch(x, W1, b1, W2, b2)),
  wrong('x alone (f(x) not added)', ({ x }) => x),
]);

const residualBackwardOracle: Oracle<BlockInput> = {
  name: 'tf.grads of sum(dy * block(x)) with respect to x, W1, b1, W2, b2',
  inputs: blockInputs,
  compute: (input) => readAll(() => tf.grads((...p: TF.Tensor[]) => tf.sum(tf.mul(tfBlock(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!), mat(input.dy))))(blockArgs(input))),
  tolerance: (input) => float32Tolerance(blockScale(input), '(1 + |x|) (1 + d |W1|) (1 + h |W2|) max(1, |dy|)'),
  numRuns: RUNS,
};

describeOracle('residual_backward vs tf.grads', residualBackwardOracle, ({ dy, x, W1, b1, W2, b2 }) => ref.residualBackward(dy, x, W1, b1, W2, b2), [
  wrong('dx without the identity path (dy not added)', ({ dy, x, W1, b1, W2, b2 }) => {
    const [dx, ...rest] = ref.residualBackward(dy, x, W1, b1, W2, b2);
    return [dx.map((row, i) => row.map((v, j) => v - dy[i]![j]!)), ...rest];
  }),
  wrong('the block as x alone: dx = dy, parameter gradients 0', ({ dy, W1, b1, W2, b2 }) => [dy, W1.map((r) => r.map(() => 0)), b1.map(() => 0), W2.map((r) => r.map(() => 0)), b2.map(() => 0)]),
]);

// ---------------------------------------------------------------------------------------------------------

describe('the TF.js network oracles', () => {
  it('dispose every tensor they create', () => {
    const exercise = <I>(oracle: Oracle<I>): void => {
      for (const input of fc.sample(oracle.inputs, { seed: TEST_SEED, numRuns: 5 })) oracle.compute(input);
    };
    const before = tf.memory().numTensors;
    exercise(feedForwardOracle);
    exercise(backpropOracle);
    exercise(batchnormForwardOracle);
    exercise(batchnormBackwardOracle);
    exercise(residualForwardOracle);
    exercise(residualBackwardOracle);
    expect(tf.memory().numTensors).toBe(before);
  });
});
