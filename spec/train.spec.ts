// The float64 trainer of reference/train.ts and the training dynamics of seed 000 Q5.3: its gradients are right
// (finite differences, and the independent backprop of reference/mlp.ts); with a constant initialisation the
// units of a hidden layer stay bit-identical under SGD (fast-check over shapes, constants, activations, steps),
// which a trainer that breaks symmetry fails; on real MNIST digits zero and small_random initialisations stay at
// the class prior while Xavier and He learn, and each accuracy property fails on the other initialisations.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradient } from '../src/numdiff.ts';
import { affineRows } from '../src/numeric.ts';
import { Rng, hashSeed } from '../src/rng.ts';
import { compare, tolerance } from '../src/tolerance.ts';
import { ACTIVATIONS } from '../reference/init.ts';
import { backprop } from '../reference/mlp.ts';
import { MNIST_CLASSES, MNIST_PIXELS, mnistSplit } from '../reference/mnist.ts';
import {
  type DenseNetwork,
  type Gradients,
  applySgd,
  cloneNetwork,
  forwardLayers,
  initNetwork,
  lossAndGradients,
  networkAccuracy,
  predictClasses,
  sgdTrainStep,
  trainSgd,
} from '../reference/train.ts';
import { TEST_SEED } from './seed.ts';

/** Central differences with a cbrt(eps) step are good to ~1e-10 relative on these O(1) losses; 1e-6 leaves room. */
const FD_TOLERANCE = tolerance(1e-6, 1e-9, 'central differences of a smooth O(1) loss');

function randomBatch(d: number, k: number, n: number, seed: number): { X: Float64Array; y: Int32Array } {
  const rng = new Rng(seed);
  return { X: Float64Array.from(rng.normalVector(n * d)), y: Int32Array.from({ length: n }, () => rng.int(k)) };
}

const params = (net: DenseNetwork): number[] => [...net.weights.flatMap((w) => [...w]), ...net.biases.flatMap((b) => [...b])];
const gradParams = (g: Gradients): number[] => [...g.weights.flatMap((w) => [...w]), ...g.biases.flatMap((b) => [...b])];

function withParams(net: DenseNetwork, theta: readonly number[]): DenseNetwork {
  const copy = cloneNetwork(net);
  let i = 0;
  for (const w of copy.weights) for (let j = 0; j < w.length; j++) w[j] = theta[i++]!;
  for (const b of copy.biases) for (let j = 0; j < b.length; j++) b[j] = theta[i++]!;
  return copy;
}

describe('the trainer computes the cross-entropy gradient', () => {
  it.each(['tanh', 'sigmoid', 'linear', 'relu'] as const)('%s: backprop equals central differences of the loss', (activation) => {
    const net = initNetwork([5, 4, 3, 3], 'xavier', activation, 7, 0.1);
    const { X, y } = randomBatch(5, 3, 6, 11);
    const analytic = gradParams(lossAndGradients(net, X, y, 6));
    // ReLU has kinks at 0: none of these 42 hidden pre-activations is within 1e-3 of 0 (asserted), far beyond
    // the finite-difference step (~6e-6), so no difference quotient straddles a kink.
    if (activation === 'relu') {
      let h = X;
      for (let l = 0; l < 2; l++) {
        const z = affineRows(h, 6, net.sizes[l]!, net.weights[l]!, net.biases[l]!, net.sizes[l + 1]!);
        expect(z.every((v) => Math.abs(v) > 1e-3)).toBe(true);
        h = z.map((v) => Math.max(v, 0));
      }
    }
    const numeric = gradient((theta) => lossAndGradients(withParams(net, theta), X, y, 6).loss, params(net));
    const result = compare(analytic, numeric, FD_TOLERANCE);
    expect(result.ok, JSON.stringify(result.worst)).toBe(true);
  });

  it('with sigmoid and one sample it equals the independent backprop of reference/mlp.ts (seed 002 P4)', () => {
    const net = initNetwork([4, 3, 5, 2], 'he', 'sigmoid', 3, 0.2);
    const { X, y } = randomBatch(4, 2, 1, 5);
    const ours = lossAndGradients(net, X, y, 1);
    const rows = (w: Float64Array, cols: number): number[][] => Array.from({ length: w.length / cols }, (_, r) => [...w.subarray(r * cols, (r + 1) * cols)]);
    const weights = net.weights.map((w, l) => rows(w, net.sizes[l + 1]!));
    const [gW, gb] = backprop(weights, net.biases.map((b) => [...b]), [...X], y[0]!);
    expect(compare(gradParams(ours), [...gW.flatMap((m) => m.flat()), ...gb.flat()], tolerance(1e-12, 1e-15, 'same float64 formula, other order')).ok).toBe(true);
  });

  it('trains: SGD lowers the loss on a fixed batch, and validates its arguments', () => {
    const net = initNetwork([5, 8, 3], 'xavier', 'tanh', 1);
    const { X, y } = randomBatch(5, 3, 16, 2);
    const first = sgdTrainStep(net, X, y, 16, 0.1);
    for (let i = 0; i < 50; i++) sgdTrainStep(net, X, y, 16, 0.1);
    expect(lossAndGradients(net, X, y, 16).loss).toBeLessThan(first);
    expect(() => initNetwork([5], 'xavier', 'tanh', 1)).toThrow(/sizes/);
    expect(() => initNetwork([5, 2], 'xavier', 'gelu', 1)).toThrow(/activation/);
    expect(() => initNetwork([5, 2], 'glorot', 'tanh', 1)).toThrow(/initialisation method/);
    expect(() => forwardLayers(net, new Float64Array(7), 2)).toThrow(/rows/);
    expect(() => lossAndGradients(net, X, Int32Array.from({ length: 16 }, () => 3), 16)).toThrow(/labels/);
    expect(() => trainSgd(net, { n: 16, images: X, labels: y }, { lr: 0, batchSize: 4, epochs: 1, seed: 0 })).toThrow(/lr/);
  });
});

// ---- symmetry ---------------------------------------------------------------------------------------------------

/**
 * Where two units of one hidden layer differ: their incoming weight columns, biases or outgoing weight rows
 * (compared with Object.is, so exactly, bit for bit). Empty when every hidden layer's units are identical.
 */
function asymmetries(net: DenseNetwork): string[] {
  const found: string[] = [];
  for (let l = 0; l + 1 < net.weights.length; l++) {
    const din = net.sizes[l]!;
    const width = net.sizes[l + 1]!;
    const dout = net.sizes[l + 2]!;
    const W = net.weights[l]!;
    const next = net.weights[l + 1]!;
    for (let j = 1; j < width; j++) {
      for (let i = 0; i < din; i++) if (!Object.is(W[i * width + j], W[i * width])) found.push(`layer ${l + 1} unit ${j}: W[${i}][${j}] != W[${i}][0]`);
      if (!Object.is(net.biases[l]![j], net.biases[l]![0])) found.push(`layer ${l + 1} unit ${j}: bias differs from unit 0`);
      for (let m = 0; m < dout; m++) if (!Object.is(next[j * dout + m], next[m])) found.push(`layer ${l + 1} unit ${j}: outgoing weight ${m} differs`);
    }
  }
  return found;
}

type Step = (net: DenseNetwork, X: Float64Array, y: Int32Array, n: number, lr: number, rng: Rng) => void;
const sgd: Step = (net, X, y, n, lr) => void sgdTrainStep(net, X, y, n, lr);

/** A mutant trainer: dropout on the hidden units' gradients (each unit's update skipped with probability 1/2). */
const dropoutSgd: Step = (net, X, y, n, lr, rng) => {
  const g = lossAndGradients(net, X, y, n);
  for (let l = 0; l + 1 < net.weights.length; l++) {
    const width = net.sizes[l + 1]!;
    for (let j = 0; j < width; j++) {
      if (rng.uniform() < 0.5) continue;
      for (let i = 0; i < net.sizes[l]!; i++) g.weights[l]![i * width + j] = 0;
      g.biases[l]![j] = 0;
    }
  }
  applySgd(net, g, lr);
};

const symmetryCase = fc.record({
  d: fc.integer({ min: 1, max: 6 }),
  hidden: fc.array(fc.integer({ min: 2, max: 5 }), { minLength: 1, maxLength: 3 }),
  k: fc.integer({ min: 2, max: 4 }),
  // Constants on a grid of 0.01 in [-0.5, 0.5] (0 is the seed's zero init), biases too.
  c: fc.integer({ min: -50, max: 50 }).map((i) => i / 100),
  bias: fc.integer({ min: -50, max: 50 }).map((i) => i / 100),
  activation: fc.constantFrom(...ACTIVATIONS),
  steps: fc.integer({ min: 1, max: 20 }),
  lr: fc.integer({ min: 1, max: 20 }).map((i) => i / 100),
  n: fc.integer({ min: 1, max: 8 }),
  dataSeed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
});

type SymmetryCase = typeof symmetryCase extends fc.Arbitrary<infer T> ? T : never;

function symmetryProperty(step: Step): fc.IPropertyWithHooks<[SymmetryCase]> {
  return fc.property(symmetryCase, ({ d, hidden, k, c, bias, activation, steps, lr, n, dataSeed }) => {
    const net = initNetwork([d, ...hidden, k], { constant: c }, activation, 0, bias);
    const rng = new Rng(dataSeed);
    for (let s = 0; s < steps; s++) {
      // A fresh batch every step, as SGD over a shuffled dataset.
      const { X, y } = randomBatch(d, k, n, hashSeed(dataSeed, s));
      step(net, X, y, n, lr, rng);
    }
    expect(params(net).every(Number.isFinite)).toBe(true);
    expect(asymmetries(net)).toEqual([]);
  });
}

describe('symmetry: constant initialisation keeps the units of a hidden layer identical', () => {
  it('exactly (bit for bit) after any number of SGD steps, for any shape, constant, bias and activation', () => {
    fc.assert(symmetryProperty(sgd), { seed: hashSeed(TEST_SEED, 'train symmetry'), numRuns: 150 });
  });

  it('and the property is not vacuous: from a nonzero constant the weights do move', () => {
    const net = initNetwork([3, 4, 4, 2], { constant: 0.3 }, 'tanh', 0);
    const before = params(net);
    const { X, y } = randomBatch(3, 2, 5, 1);
    // The first step passes no gradient below the output layer (its equal columns send back
    // 0.3 * sum_m delta_m = 0, as softmax - onehot sums to 0); from the second step on the first layer moves.
    for (let s = 0; s < 3; s++) sgdTrainStep(net, X, y, 5, 0.1);
    expect(params(net).slice(0, 12)).not.toEqual(before.slice(0, 12));
    expect(asymmetries(net)).toEqual([]);
  });

  it('a mutant trainer with dropout on the hidden gradients breaks it, and fast-check finds a case', () => {
    const result = fc.check(symmetryProperty(dropoutSgd), { seed: hashSeed(TEST_SEED, 'train symmetry'), numRuns: 150 });
    expect(result.failed).toBe(true);
  });

  it('one ulp of asymmetry at initialisation is seen after training (the comparison is exact)', () => {
    const net = initNetwork([3, 4, 2], { constant: 0.2 }, 'tanh', 0);
    net.weights[0]![1] = 0.2 + 2 ** -55; // the next double above 0.2 (ulp(0.2) = 2^-55)
    expect(net.weights[0]![1]).not.toBe(0.2);
    const { X, y } = randomBatch(3, 2, 5, 1);
    for (let s = 0; s < 5; s++) sgdTrainStep(net, X, y, 5, 0.1);
    expect(asymmetries(net).length).toBeGreaterThan(0);
  });
});

// ---- training dynamics on MNIST ---------------------------------------------------------------------------------

/**
 * The CI version of Q5.3. The seed trains 784-256x5-10 for 10 epochs on 60,000 digits (4,690 SGD steps); here the
 * depth, activation (tanh), lr 0.1 and batch 128 are the seed's, but the hidden layers are 64 wide and training is
 * 3 epochs on 2,000 digits (48 steps), about 12x cheaper per step and 100x fewer steps: ~2-4 s per network.
 * Narrower layers make small_random vanish faster (0.01 sqrt(64) = 0.08 per layer instead of 0.16), so the
 * contrast is no weaker than the seed's. `npm run experiments` runs the full-size version.
 */
const CI = { widths: [64, 64, 64, 64, 64], train: 2000, test: 1000, epochs: 3, lr: 0.1, batchSize: 128 } as const;

/**
 * "Near chance": a network whose output does not depend on its input predicts one class and scores that class's
 * frequency, at most the largest class frequency of the test set (about 0.11; the seed's 11.35% is exactly the
 * frequency of the digit 1 in the MNIST test set). small_random is not exactly constant (its logits depend on the
 * input through a factor ~1e-7), so the band allows 0.05 above the largest frequency: a network that learned
 * anything beyond the prior scores far more after 48 steps.
 */
function stuckViolations(accuracy: number, maxFrequency: number): string[] {
  return accuracy <= maxFrequency + 0.05 ? [] : [`accuracy ${accuracy.toFixed(3)} > largest class frequency ${maxFrequency.toFixed(3)} + 0.05`];
}

/**
 * "High accuracy": >= 0.6 after 48 steps. Between a stuck network (<= 0.18, the band above with the largest class
 * frequency seen, 0.133) and what Xavier and He reach in this budget (0.75-0.86 over 3 seeds of this test; the loss
 * is still falling, the seed's 97.7% takes 100x more steps): >= 0.15 of margin on each side.
 */
const LEARNED = 0.6;
function learnedViolations(accuracy: number): string[] {
  return accuracy >= LEARNED ? [] : [`accuracy ${accuracy.toFixed(3)} < ${LEARNED}`];
}

describe('training dynamics on real MNIST digits (seed 000 Q5.3, CI size)', () => {
  const seed = hashSeed(TEST_SEED, 'mnist training') >>> 0;
  const { train, test } = mnistSplit(CI.train, CI.test, seed);
  const counts = new Array<number>(MNIST_CLASSES).fill(0);
  for (const y of test.labels) counts[y]!++;
  const maxFrequency = Math.max(...counts) / test.n;

  const trained = new Map<string, { net: DenseNetwork; accuracy: number; losses: number[] }>();
  const trainedWith = (init: string): { net: DenseNetwork; accuracy: number; losses: number[] } => {
    let hit = trained.get(init);
    if (!hit) {
      const net = initNetwork([MNIST_PIXELS, ...CI.widths, MNIST_CLASSES], init, 'tanh', seed);
      const losses = trainSgd(net, train, { lr: CI.lr, batchSize: CI.batchSize, epochs: CI.epochs, seed });
      hit = { net, accuracy: networkAccuracy(net, test), losses };
      trained.set(init, hit);
    }
    return hit;
  };

  it('zero init: the hidden weights stay exactly 0, every test digit gets the same class, accuracy <= the prior', () => {
    const { net, accuracy } = trainedWith('zero');
    // Hidden activations tanh(0) = 0, so the output weights get gradient h^T delta = 0 and pass none back:
    // only the output biases move (they learn the class prior).
    expect(net.weights.every((w) => w.every((x) => x === 0))).toBe(true);
    expect(net.biases.slice(0, -1).every((b) => b.every((x) => x === 0))).toBe(true);
    expect(new Set(predictClasses(net, test.images, test.n)).size).toBe(1);
    expect(stuckViolations(accuracy, maxFrequency)).toEqual([]);
    expect(learnedViolations(accuracy).length).toBeGreaterThan(0);
  });

  it('small_random: stays near chance (the signal vanishes through five tanh layers); the accuracy property catches it', () => {
    const { accuracy, losses } = trainedWith('small_random');
    expect(stuckViolations(accuracy, maxFrequency)).toEqual([]);
    expect(learnedViolations(accuracy).length).toBeGreaterThan(0);
    // The loss stays at the prior's cross-entropy, about ln 10 = 2.303 (the seed: 2.3014 for 10 epochs).
    expect(Math.min(...losses)).toBeGreaterThan(2.25);
  });

  it.each(['xavier', 'he'])('%s: reaches high accuracy and the loss falls; the near-chance property catches it', (init) => {
    const { accuracy, losses } = trainedWith(init);
    expect(learnedViolations(accuracy)).toEqual([]);
    expect(stuckViolations(accuracy, maxFrequency).length).toBeGreaterThan(0);
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
  });
});
