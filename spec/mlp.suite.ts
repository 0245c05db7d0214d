// mlp-backprop (seed 002, problem 4): feed_forward and backprop of a from-scratch MLP with sigmoid hidden
// layers, a softmax output and the cross-entropy loss of one sample.
//
// Conventions (the homework's): weights[l] is (n_in, n_out) and a layer computes a @ W + b; x is one sample
// (a vector); y is the class index (an int in [0, k), k = n_out of the last layer), which the homework's
// feed_forward_sample one-hot encodes itself. feed_forward returns (loss, probs) and backprop returns
// (weight_grads, bias_grads), lists with the shapes of weights and biases.
//
// Python receives weights and biases as lists of float64 arrays; when every matrix has the same shape
// (e.g. widths 3-3-3) the list arrives as one 3-d array, which iterates, indexes and len()s the same way.
//
// Sizes: the value and finite-difference checks use small networks (depth 1..4, widths 1..8: at most a few
// hundred parameters, full gradients by central differences). One check covers depths 1..6 and widths
// 1..64 (up to ~20k parameters) with random projections v^T g instead of the full gradient, which costs two
// forward passes per run instead of two per parameter. It keeps its 200 runs (the reference suite requires
// 200 per check) but draws three widths out of four from 1..16, so that a few networks are large and the
// average one (~1.5k parameters) is cheap to send to a Python submission; its weights come from a seeded
// generator (on the grid k/100), since drawing thousands of values one by one through fast-check would
// dominate the run. A separate check drives the sigmoids into saturation.

import fc from 'fast-check';
import { matrixOf, vectorOf } from '../src/arbitraries.ts';
import type { Value } from '../src/failure.ts';
import { callLike, expectClose, expectThat, gradientMatchesFiniteDifferences, matchesOracle } from '../src/laws.ts';
import { type Matrix, type Vector } from '../src/numeric.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import { Rng } from '../src/rng.ts';
import { CLOSED_FORM, tolerance } from '../src/tolerance.ts';
import { backprop, feedForward } from '../reference/mlp.ts';
import { mlpBackpropMistakes } from './mlp.mistakes.ts';

export const MLP_TOLERANCES = {
  value: CLOSED_FORM,
  /** loss and -log(probs[y]) are the same number computed two ways; probs sums n <= 8 rounded entries. */
  consistency: tolerance(1e-6, 1e-9, 'the same quantity computed two ways: rounding only'),
  /**
   * Central differences of the loss (step 6e-6 relative): with weights <= 2 and |x| <= 3, third
   * derivatives stay below ~1e2, so truncation is < 1e-8; rounding eps |loss| / h < 1e-9.
   */
  finiteDifferences: tolerance(1e-5, 1e-7, 'central differences of the loss: truncation < 1e-8, rounding < 1e-9'),
  /**
   * Logits up to ~1e3: a float32 answer rounds the loss (up to ~1e3, the gap between two logits) by
   * ulp32(1e3) / 2 = 3e-5, as the losses problem's large-logits check. The named mistake is NaN, not a small error.
   */
  largeLogits: tolerance(1e-6, 1e-4, 'a loss up to 1e3 rounds by 3e-5 in float32'),
} as const;

export interface NetworkInput {
  readonly weights: Matrix[];
  readonly biases: Vector[];
  readonly x: Vector;
  readonly y: number;
}

export const networkArgs = ({ weights, biases, x, y }: NetworkInput): Value[] => [weights, biases, x, y];

/** Widths [n_0, ..., n_L] of a network of depth L: input and hidden widths from `width`, k classes in 1..maxClasses. */
const widthsOf = (depth: fc.Arbitrary<number>, width: fc.Arbitrary<number>, maxClasses: number): fc.Arbitrary<number[]> =>
  depth.chain((L) =>
    fc.tuple(fc.array(width, { minLength: L, maxLength: L }), fc.integer({ min: 1, max: maxClasses })).map(([widths, k]) => [...widths, k]),
  );

const upTo = (max: number): fc.Arbitrary<number> => fc.integer({ min: 1, max });

/** A width in 1..64, three times out of four at most 16: a few large layers, most networks cheap to send. */
const mostlyNarrow: fc.Arbitrary<number> = fc.oneof({ weight: 3, arbitrary: upTo(16) }, { weight: 1, arbitrary: fc.integer({ min: 17, max: 64 }) });

/** A network with the given widths, entries on the 0.01 grid: |W| <= weightScale, |b| <= 1, |x| <= 3. */
const networkWith = (widths: readonly number[], weightScale: number): fc.Arbitrary<NetworkInput> =>
  fc.record({
    weights: fc.tuple(...widths.slice(1).map((w, l) => matrixOf(widths[l]!, w, { magnitude: weightScale }))),
    biases: fc.tuple(...widths.slice(1).map((w) => vectorOf(w, 1))),
    x: vectorOf(widths[0]!, 3),
    y: fc.nat(widths.at(-1)! - 1),
  });

/** Depth 1..4, widths 1..8, up to 6 classes, weights in [-2, 2]. */
export const smallNetwork: fc.Arbitrary<NetworkInput> = widthsOf(fc.integer({ min: 1, max: 4 }), upTo(8), 6).chain((w) => networkWith(w, 2));

/**
 * Depth 2..4, widths 1..6, weights in [-10, 10], |x| <= 3: hidden pre-activations up to |z| = 6 * 10 * 3 + 1 = 181,
 * so sigmoid'(z) goes down to 1e-79 (and sigmoid(z) (1 - sigmoid(z)) rounds to 0 for z > 37, harmlessly).
 */
const saturatedNetwork: fc.Arbitrary<NetworkInput> = widthsOf(fc.integer({ min: 2, max: 4 }), upTo(6), 5).chain((w) => networkWith(w, 10));

/** Consecutive widths all different, so that a transposed (n_out, n_in) matrix has the wrong shape. */
const nonSquareNetwork: fc.Arbitrary<NetworkInput> = fc
  .integer({ min: 1, max: 4 })
  .chain((L) => fc.uniqueArray(fc.integer({ min: 1, max: 9 }), { minLength: L + 1, maxLength: L + 1 }))
  .chain((w) => networkWith(w, 2));

/** Depth 1..6, widths 1..64 (mostly <= 16), up to 10 classes; entries from a seeded generator on the 0.01 grid. */
const deepWideNetwork: fc.Arbitrary<NetworkInput> = fc
  .record({ widths: widthsOf(fc.integer({ min: 1, max: 6 }), mostlyNarrow, 10), seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }) })
  .map(({ widths, seed }) => {
    const rng = new Rng(seed);
    const grid = (scale: number) => Math.round(rng.uniformIn(-scale, scale) * 100) / 100;
    return {
      weights: widths.slice(1).map((w, l) => Array.from({ length: widths[l]! }, () => Array.from({ length: w }, () => grid(1)))),
      biases: widths.slice(1).map((w) => Array.from({ length: w }, () => grid(1))),
      x: Array.from({ length: widths[0]! }, () => grid(3)),
      y: rng.int(widths.at(-1)!),
    };
  });

/**
 * One layer (x @ W + b are the logits), widths 1..4 in, 2..6 classes, x[0] = 3 and W[0][at] an integer in
 * [250, 333]: the logit at `at` is at least 750 - 2 * 3 * 3 - 1 = 731 (exp overflows float64 above 709.78)
 * and at most 1006. The label is that largest logit, so that the loss is near 0 and -log(probs[y]) of a
 * stable softmax is as exact as log-sum-exp (for another label probs[y] underflows to 0 and -log gives
 * Infinity in float64 too: the homework's formula, not the mistake graded here).
 */
const largeLogitsNetwork: fc.Arbitrary<NetworkInput> = fc
  .record({ nIn: upTo(4), k: fc.integer({ min: 2, max: 6 }) })
  .chain(({ nIn, k }) =>
    fc.record({
      network: networkWith([nIn, k], 2),
      big: fc.integer({ min: 250, max: 333 }),
      at: fc.nat(k - 1),
    }),
  )
  .map(({ network, big, at }) => ({
    ...network,
    x: network.x.map((v, i) => (i === 0 ? 3 : v)),
    y: at,
    weights: [network.weights[0]!.map((row, i) => (i === 0 ? row.map((v, j) => (j === at ? big : v)) : row))],
  }));

// --- finite differences of the loss in every parameter ------------------------------------------------

/** The parameters in the order of backprop's answer: every weight matrix row by row, then every bias. */
const flatParameters = ({ weights, biases }: NetworkInput): number[] => [...weights.flatMap((W) => W.flat()), ...biases.flat()];

/** The network with its parameters taken from a flat vector in flatParameters' order. */
function withParameters(input: NetworkInput, flat: readonly number[]): NetworkInput {
  let at = 0;
  const take = (n: number) => flat.slice(at, (at += n));
  const weights = input.weights.map((W) => W.map(() => take(W[0]!.length)));
  const biases = input.biases.map((b) => take(b.length));
  return { ...input, weights, biases };
}

const zerosLike = ({ weights, biases }: NetworkInput): [Matrix[], Vector[]] => [weights.map((W) => W.map((row) => row.map(() => 0))), biases.map((b) => b.map(() => 0))];

const lossAt = (input: NetworkInput, flat: number[]): number => {
  const { weights, biases, x, y } = withParameters(input, flat);
  return feedForward(weights, biases, x, y)[0];
};

/** Small networks: the full gradient (at most 4 * (8 * 8 + 8) = 288 parameters) by central differences. */
export const FULL_GRADIENT_UP_TO = 300;

// --- the problem --------------------------------------------------------------------------------------

export const mlpBackprop: Problem = {
  id: 'mlp-backprop',
  title: 'Feed-forward and backprop of a sigmoid MLP with softmax output and cross-entropy loss (W is (n_in, n_out), a layer is a @ W + b; y is a class index)',
  source: 'seed 002, problem 4',
  signatures: ['feed_forward(weights, biases, x, y)', 'backprop(weights, biases, x, y)'],
  // The class index reaches Python as an int, so onehot[y] = 1 and probs[y] work.
  intArgs: { feed_forward: [3], backprop: [3] },
  checks: [
    matchesOracle({
      id: 'feed-forward-matches-reference',
      title: 'feed_forward returns (loss, probs): probs = softmax of the last layer, hidden layers sigmoid(a @ W + b), loss = -log(probs[y])',
      arbitrary: smallNetwork,
      fn: 'feed_forward',
      args: networkArgs,
      oracle: ({ weights, biases, x, y }) => feedForward(weights, biases, x, y),
      tolerance: MLP_TOLERANCES.value,
    }),
    defineCheck({
      id: 'feed-forward-consistent',
      title: 'feed_forward returns probabilities that sum to 1 and the loss -log(probs[y]) of the class y',
      arbitrary: smallNetwork,
      tolerance: MLP_TOLERANCES.consistency,
      run: async (subject, input, context) => {
        const { call, value } = await callLike(subject, 'feed_forward', networkArgs(input), feedForward(input.weights, input.biases, input.x, input.y));
        const [loss, probs] = value as [number, number[]];
        expectThat(probs.every((p) => p >= 0 && p <= 1), { message: 'every entry of probs is in [0, 1]', call, received: probs });
        const tol = context.tol(MLP_TOLERANCES.consistency);
        expectClose(probs.reduce((s, p) => s + p, 0), 1, tol, { code: 'invariant_violated', message: 'probs sums to 1', call });
        expectClose(loss, -Math.log(probs[input.y]!), tol, { code: 'invariant_violated', message: `loss (received) equals -log(probs[y]) (expected), y = ${input.y}`, call });
      },
    }),
    matchesOracle({
      id: 'feed-forward-finite-at-large-logits',
      title: 'feed_forward stays finite and exact for logits up to 1e3 (subtract the max logit before exp, in the softmax and in the loss)',
      arbitrary: largeLogitsNetwork,
      fn: 'feed_forward',
      args: networkArgs,
      oracle: ({ weights, biases, x, y }) => feedForward(weights, biases, x, y),
      tolerance: MLP_TOLERANCES.largeLogits,
    }),
    matchesOracle({
      id: 'backprop-matches-reference',
      title: "backprop returns (weight_grads, bias_grads): delta = probs - onehot(y) at the output, dW = outer(a_in, delta), db = delta, delta_prev = (W @ delta) * sigmoid'(z_prev)",
      arbitrary: smallNetwork,
      fn: 'backprop',
      args: networkArgs,
      oracle: ({ weights, biases, x, y }) => backprop(weights, biases, x, y),
      tolerance: MLP_TOLERANCES.value,
    }),
    gradientMatchesFiniteDifferences({
      id: 'backprop-matches-finite-differences',
      title: 'backprop equals finite differences of the loss of feed_forward in every weight and bias (depth 1..4, widths 1..8)',
      arbitrary: smallNetwork,
      fn: 'backprop',
      args: networkArgs,
      shape: zerosLike,
      forward: lossAt,
      point: flatParameters,
      tolerance: MLP_TOLERANCES.finiteDifferences,
      projectAbove: FULL_GRADIENT_UP_TO,
    }),
    defineCheck({
      id: 'gradients-have-parameter-shapes',
      title: 'backprop returns weight_grads[l] with the shape (n_in, n_out) of weights[l] and bias_grads[l] with the shape of biases[l] (checked with n_in != n_out)',
      arbitrary: nonSquareNetwork,
      tolerance: MLP_TOLERANCES.value,
      comparesWithReference: ['backprop'],
      run: async (subject, input, context) => {
        const expected = backprop(input.weights, input.biases, input.x, input.y);
        // callLike rejects an answer of another shape (wrong_shape) before the values are compared.
        const { call, value } = await callLike(subject, 'backprop', networkArgs(input), expected);
        expectClose(value, expected, context.tol(MLP_TOLERANCES.value), { message: 'backprop matches the reference on a network with non-square layers', call });
      },
    }),
    matchesOracle({
      id: 'backprop-saturated-sigmoids',
      title: "backprop stays exact when the sigmoids saturate (weights up to 10: pre-activations up to 181, sigmoid'(z) down to 1e-79)",
      arbitrary: saturatedNetwork,
      fn: 'backprop',
      args: networkArgs,
      oracle: ({ weights, biases, x, y }) => backprop(weights, biases, x, y),
      tolerance: MLP_TOLERANCES.value,
    }),
    gradientMatchesFiniteDifferences({
      id: 'backprop-deep-wide-finite-differences',
      title: 'backprop equals finite differences of the loss at depths 1..6 and widths 1..64 (random projections of the gradient)',
      arbitrary: deepWideNetwork,
      fn: 'backprop',
      args: networkArgs,
      shape: zerosLike,
      forward: lossAt,
      point: flatParameters,
      tolerance: MLP_TOLERANCES.finiteDifferences,
      projectAbove: FULL_GRADIENT_UP_TO,
    }),
  ],
  mistakes: mlpBackpropMistakes,
};
