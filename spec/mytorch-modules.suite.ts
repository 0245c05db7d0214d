// The modules of seed 000's mytorch package (problem 6.1-6.3): Linear, ReLU, Sigmoid and SoftmaxCrossEntropy,
// graded through catalog functions that build the module, set its parameters, run forward and backward and read
// what the module protocol exposes (the seed's assignment binds them to the student's classes through an
// adapter, fixtures/assignments/seed-000.adapter.py).
//
// Every backward is proven against central differences of its forward: of sum(G * forward(...)) for a module
// given the upstream gradient G, of the loss itself for SoftmaxCrossEntropy. ReLU's kink at 0 is not graded
// by differences (inputs stay 0.01 away from it, farther than any difference step reaches); the handout defines
// the mask as 1[x > 0], and the forward is graded everywhere. Linear's initialisation is random: graded
// statistically, accepting either variance the handout gives (text: 1/max(n_in, n_out); starter: Xavier).
//
// SoftmaxCrossEntropy: the handout's text sums the loss over the batch, its starter averages it. Either
// reduction passes when forward and backward agree; a forward with one and a backward with the other is a named
// mistake. Batches have at least 2 rows, so the two reductions differ.

import fc from 'fast-check';
import { awayFromKinks, finite, matrixOf, sized, vectorOf } from '../src/arbitraries.ts';
import { describeShape, flattenTree } from '../src/decode.ts';
import { CheckFailure, type Value } from '../src/failure.ts';
import { callLike, expectClose, expectFinite, expectThat, gradientMatchesFiniteDifferences, matchesOracle } from '../src/laws.ts';
import { gradient } from '../src/numdiff.ts';
import { type Matrix, type Vector, matmul, transpose } from '../src/numeric.ts';
import { type Check, type Problem, defineCheck } from '../src/problem.ts';
import { compareSamples, testNormalSample } from '../src/stats.ts';
import { CLOSED_FORM, compare, tolerance } from '../src/tolerance.ts';
import { linearBackward, maxFanVariance, softmaxCeGradient, softmaxCeLoss, stableSigmoid, xavierVariance } from '../reference/mytorch.ts';
import { naiveCeSum } from './mytorch-modules.shared.ts';
import { mytorchActivationsMistakes, mytorchActivationsPlantedMistakes, mytorchLinearMistakes, mytorchSoftmaxCeMistakes } from './mytorch-modules.mistakes.ts';
import type { Subject } from '../src/subject.ts';

export const MYTORCH_TOLERANCES = {
  value: CLOSED_FORM,
  /** Central differences of smooth (or, away from kinks, piecewise-linear) functions of inputs <= 5 in size. */
  finiteDifferences: tolerance(1e-5, 1e-7, 'central differences, inputs away from kinks, |x| <= 5'),
  /** Logits up to 1e3: the loss is up to ~1e4, rounded relative to its size. */
  largeLogits: tolerance(1e-9, 1e-9, 'log-sum-exp of logits up to 1e3 (relative rounding of a loss up to ~1e4)'),
} as const;

/** False-failure probability of one call of the initialisation check. */
const ALPHA_PER_CALL = 1e-9;

// ---- Linear (6.1) ------------------------------------------------------------------------------------------

export interface LinearCase {
  readonly W: Matrix;
  readonly b: Vector;
  readonly X: Matrix;
  readonly G: Matrix;
}

const linearOf = (n: number, din: number, dout: number): fc.Arbitrary<LinearCase> =>
  fc.record({ W: matrixOf(dout, din, { magnitude: 2 }), b: vectorOf(dout, 2), X: matrixOf(n, din, { magnitude: 3 }), G: matrixOf(n, dout, { magnitude: 2 }) });

/** Any shapes. */
const linearCase: fc.Arbitrary<LinearCase> = sized(1, 5, (n) => sized(1, 6, (din) => sized(1, 6, (dout) => linearOf(n, din, dout))));
/**
 * Square layers: a transposition (dW = X^T G, dX = G W^T) then computes a wrong value of the right shape, which
 * feedback can name, instead of raising on mismatched shapes (the other shapes are graded by differences).
 */
const squareLinearCase: fc.Arbitrary<LinearCase> = sized(1, 5, (n) => sized(2, 5, (d) => linearOf(n, d, d)));

const linearForwardArgs = ({ W, b, X }: LinearCase): Value[] => [W, b, X];
const linearBackwardArgs = ({ W, b, X, G }: LinearCase): Value[] => [W, b, X, G];

/** sum(G * (X W^T + b)) at the flat point [W, b, X]. */
function linearLoss({ W, b, X, G }: LinearCase, flat: readonly number[]): number {
  const out = W.length;
  const din = W[0]!.length;
  const Wf = flat.slice(0, out * din);
  const bf = flat.slice(out * din, out * din + out);
  const Xf = flat.slice(out * din + out);
  let s = 0;
  for (let i = 0; i < X.length; i++)
    for (let k = 0; k < out; k++) {
      let z = bf[k]!;
      for (let j = 0; j < din; j++) z += Xf[i * din + j]! * Wf[k * din + j]!;
      s += G[i]![k]! * z;
    }
  return s;
}

const INIT_SHAPES: readonly (readonly [number, number])[] = [
  [64, 32],
  [32, 64],
  [48, 48],
  [20, 80],
  [100, 30],
];

const sameInit = (received: Value, variant: Value): boolean => {
  if (!Array.isArray(received) || !Array.isArray(variant) || received.length !== 2 || variant.length !== 2) return false;
  if (describeShape(received[0]) !== describeShape(variant[0])) return false;
  const zero = (b: Value) => Array.isArray(b) && b.every((x) => x === 0);
  if (zero(received[1] as Value) !== zero(variant[1] as Value)) return false;
  const entries = (w: Value) => flattenTree(w as Matrix);
  return compareSamples(entries(received[0] as Value), entries(variant[0] as Value), 1e-3).consistent;
};

async function callInit(subject: Subject, [nIn, nOut]: readonly [number, number]) {
  const template: [Matrix, Vector] = [Array.from({ length: nOut }, () => new Array<number>(nIn).fill(0)), new Array<number>(nOut).fill(0)];
  const received = await subject.call('linear_init', [nIn, nOut]);
  return { call: { fn: 'linear_init', args: [nIn, nOut] }, received, template };
}

export const mytorchLinear: Problem = {
  id: 'mytorch-linear',
  title: 'mytorch Linear(in_features, out_features): W (out, in), forward Z = X W^T + b, backward dW = G^T X, db = sum of G over the batch, dX = G W; W initialised N(0, 1/max(n_in, n_out)) or Xavier N(0, 2/(n_in + n_out)), b = 0',
  source: 'seed 000, problem 6.1',
  signatures: ['linear_forward(W, b, X)', 'linear_backward(W, b, X, G)', 'linear_init(n_in, n_out)'],
  checks: [
    matchesOracle({
      id: 'forward-matches-reference',
      title: 'linear_forward returns X W^T + b (W of shape (out, in), one row per sample)',
      arbitrary: linearCase,
      fn: 'linear_forward',
      args: linearForwardArgs,
      oracle: ({ W, b, X }) => matmul(X, transpose(W)).map((row) => row.map((z, k) => z + b[k]!)),
      independent: 'X W^T + b written with the engine matmul, not the reference',
      tolerance: MYTORCH_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'backward-matches-reference',
      title: 'after forward(X), backward(G) stores dW = G^T X and db = sum of G over the batch, and returns dX = G W (square layers)',
      arbitrary: squareLinearCase,
      fn: 'linear_backward',
      args: linearBackwardArgs,
      oracle: ({ W, b, X, G }) => linearBackward(W, b, X, G),
      tolerance: MYTORCH_TOLERANCES.value,
    }),
    gradientMatchesFiniteDifferences({
      id: 'backward-matches-finite-differences',
      title: 'the gradients (dW, db, dX) equal central differences of sum(G * forward(X)) in every entry of W, b and X',
      arbitrary: linearCase,
      fn: 'linear_backward',
      args: linearBackwardArgs,
      shape: ({ W, b, X }) => [W, b, X],
      forward: linearLoss,
      point: ({ W, b, X }) => [...W.flat(), ...b, ...X.flat()],
      tolerance: MYTORCH_TOLERANCES.finiteDifferences,
    }),
    defineCheck({
      id: 'init-shape-and-zero-bias',
      title: 'a fresh Linear(n_in, n_out) has W of shape (n_out, n_in) and a zero bias b of shape (n_out,)',
      arbitrary: fc.constantFrom(...INIT_SHAPES),
      sameAnswer: sameInit,
      run: async (subject, shape) => {
        const { call, received, template } = await callInit(subject, shape);
        const [W, b] = Array.isArray(received) ? received : [];
        const ok = describeShape(W) === describeShape(template[0]) && describeShape(b) === describeShape(template[1]) && (b as number[]).every((x) => x === 0);
        if (!ok)
          throw new CheckFailure({
            code: 'value_mismatch',
            message: `Linear(${shape[0]}, ${shape[1]}) must start with W of shape (${shape[1]}, ${shape[0]}) = (out, in) and b = 0 of shape (${shape[1]},)`,
            call,
            expected: { W: describeShape(template[0]), b: `zeros ${describeShape(template[1])}` },
            received: { W: describeShape(W), b: Array.isArray(b) && b.every((x) => x === 0) ? `zeros ${describeShape(b)}` : `${describeShape(b)}, not all zero` },
            answer: received,
          });
      },
    }),
    defineCheck({
      id: 'init-variance',
      title: "a fresh Linear's weights are N(0, 1/max(n_in, n_out)) (the handout's text) or N(0, 2/(n_in + n_out)) (its starter, Xavier)",
      arbitrary: fc.constantFrom(...INIT_SHAPES),
      sameAnswer: sameInit,
      run: async (subject, shape) => {
        const { call, received } = await callInit(subject, shape);
        const W = Array.isArray(received) ? (received[0] as Value) : undefined;
        expectThat(Array.isArray(W) && W.every((r) => Array.isArray(r)), { code: 'wrong_shape', message: 'linear_init returns [W, b] with W a matrix', call, received });
        const entries = flattenTree(W as Matrix);
        expectFinite(entries, call, 'the initial weights are finite');
        const [nIn, nOut] = shape;
        const variances = [maxFanVariance(nIn, nOut), xavierVariance(nIn, nOut)];
        if (variances.some((v) => testNormalSample(entries, Math.sqrt(v), ALPHA_PER_CALL).passed)) return;
        const mean = entries.reduce((s, x) => s + x, 0) / entries.length;
        throw new CheckFailure({
          code: 'value_mismatch',
          message: `the ${entries.length} weights of Linear(${nIn}, ${nOut}) are neither N(0, 1/max(n_in, n_out) = ${variances[0]!.toPrecision(4)}) nor N(0, 2/(n_in + n_out) = ${variances[1]!.toPrecision(4)}). A correct implementation fails this with probability < ${ALPHA_PER_CALL}.`,
          call,
          expected: { mean: 0, variance: variances },
          received: { mean, variance: entries.reduce((s, x) => s + (x - mean) ** 2, 0) / entries.length },
          answer: received,
        });
      },
    }),
  ],
  mistakes: mytorchLinearMistakes,
};

// ---- ReLU and Sigmoid (6.2) --------------------------------------------------------------------------------

interface ActivationCase {
  readonly X: Matrix;
  readonly G: Matrix;
}

const activationWith = (entry: fc.Arbitrary<number>): fc.Arbitrary<ActivationCase> =>
  sized(1, 5, (n) => sized(1, 6, (d) => fc.record({ X: fc.array(fc.array(entry, { minLength: d, maxLength: d }), { minLength: n, maxLength: n }), G: matrixOf(n, d, { magnitude: 2 }) })));

/** Any x in [-5, 5], zeros included. */
const activationCase = activationWith(finite(5));
/** x at least 0.01 away from ReLU's kink. */
const smoothActivation = activationWith(awayFromKinks({ kinks: [0], margin: 0.01, magnitude: 5 }));
/** Inputs up to 1000 in size, where exp(-x) overflows unless the input is clipped or the branch chosen by sign. */
const wideActivation = activationWith(fc.oneof(finite(5), fc.integer({ min: -1000, max: 1000 })));

const elementwiseLoss = (f: (x: number) => number) => ({ X, G }: ActivationCase, flat: readonly number[]): number => {
  const d = X[0]!.length;
  return flat.reduce((s, x, k) => s + G[Math.floor(k / d)]![k % d]! * f(x), 0);
};

/** After forward(X), `name`.backward(G) equals central differences of sum(G * f(X)). */
const backwardMatchesDifferences = (name: 'relu' | 'sigmoid', f: (x: number) => number, arbitrary: fc.Arbitrary<ActivationCase>, where: string): Check =>
  gradientMatchesFiniteDifferences({
    id: `${name}-backward-matches-finite-differences`,
    title: `after forward(X), ${name === 'relu' ? 'ReLU' : 'Sigmoid'}.backward(G) equals central differences of sum(G * ${name}(X))${where}`,
    arbitrary,
    fn: `${name}_backward`,
    args: ({ X, G }) => [X, G],
    shape: ({ X }) => X,
    forward: elementwiseLoss(f),
    point: ({ X }) => X.flat(),
    tolerance: MYTORCH_TOLERANCES.finiteDifferences,
  });

export const mytorchActivations: Problem = {
  id: 'mytorch-activations',
  title: 'mytorch ReLU (backward G * 1[x > 0]) and stable Sigmoid (backward G * s(x)(1 - s(x))) modules',
  source: 'seed 000, problem 6.2',
  signatures: ['relu_forward(X)', 'relu_backward(X, G)', 'sigmoid_forward(X)', 'sigmoid_backward(X, G)'],
  checks: [
    matchesOracle({
      id: 'relu-forward-matches-reference',
      title: 'ReLU.forward returns max(0, x) entry by entry',
      arbitrary: activationCase,
      fn: 'relu_forward',
      args: ({ X }) => [X],
      oracle: ({ X }) => X.map((row) => row.map((x) => Math.max(0, x))),
      independent: 'max(0, x) written out',
      tolerance: MYTORCH_TOLERANCES.value,
    }),
    backwardMatchesDifferences('relu', (x) => Math.max(0, x), smoothActivation, ' (away from the kink at 0)'),
    matchesOracle({
      id: 'sigmoid-forward-matches-reference',
      title: 'Sigmoid.forward returns 1 / (1 + exp(-x)), finite for inputs up to 1000 in size (clip the input or branch on its sign)',
      arbitrary: wideActivation,
      fn: 'sigmoid_forward',
      args: ({ X }) => [X],
      oracle: ({ X }) => X.map((row) => row.map((x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))))),
      independent: 'the logistic function written out, branching on the sign',
      tolerance: MYTORCH_TOLERANCES.value,
    }),
    backwardMatchesDifferences('sigmoid', stableSigmoid, activationCase, ''),
  ],
  mistakes: mytorchActivationsMistakes,
  planted: mytorchActivationsPlantedMistakes,
};

// ---- SoftmaxCrossEntropy (6.3) -----------------------------------------------------------------------------

interface CeCase {
  readonly logits: Matrix;
  readonly Y: Matrix;
}

const oneHot = (labels: readonly number[], k: number): Matrix => labels.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0)));

const ceWith = (magnitude: number): fc.Arbitrary<CeCase> =>
  sized(2, 5, (n) =>
    sized(2, 6, (k) =>
      fc.record({ logits: matrixOf(n, k, { magnitude }), labels: fc.array(fc.nat(k - 1), { minLength: n, maxLength: n }) }).map(({ logits, labels }) => ({ logits, Y: oneHot(labels, k) })),
    ),
  );

const ceCase = ceWith(5);
const largeCeCase = ceWith(1000);

/** Which reduction a value follows: the sum, the batch mean, or neither. */
function reductionOf(received: number, logits: Matrix, Y: Matrix, tol = MYTORCH_TOLERANCES.value): 'sum' | 'mean' | undefined {
  const sum = softmaxCeLoss(logits, Y, 'sum');
  if (compare(received, sum, tol).ok) return 'sum';
  if (compare(received, sum / logits.length, tol).ok) return 'mean';
  return undefined;
}

export const mytorchSoftmaxCe: Problem = {
  id: 'mytorch-softmax-ce',
  title: 'mytorch SoftmaxCrossEntropy: forward(logits, one-hot Y) returns the loss (summed over the batch, or averaged: either), backward() returns dL/dlogits in the same reduction',
  source: 'seed 000, problem 6.3',
  signatures: ['softmax_ce_forward(logits, Y)', 'softmax_ce_backward(logits, Y)'],
  checks: [
    defineCheck({
      id: 'forward-matches-a-reduction',
      title: 'forward(logits, Y) returns -sum of y log softmax(logits), summed over the batch (the text) or averaged (the starter)',
      arbitrary: ceCase,
      tolerance: MYTORCH_TOLERANCES.value,
      run: async (subject, { logits, Y }, context) => {
        const sum = naiveCeSum(logits, Y);
        const { call, value } = await callLike(subject, 'softmax_ce_forward', [logits, Y], 0);
        const tol = context.tol(MYTORCH_TOLERANCES.value);
        if (compare(value, sum / logits.length, tol).ok) return;
        expectClose(value, sum, tol, { message: `the loss is -sum y log softmax(logits) summed over the batch (${sum}) or averaged (${sum / logits.length})`, call });
      },
    }),
    defineCheck({
      id: 'backward-matches-a-reduction',
      title: 'backward() equals central differences of the summed loss (yhat - y) or of the averaged loss ((yhat - y) / batch)',
      arbitrary: ceCase,
      tolerance: MYTORCH_TOLERANCES.finiteDifferences,
      run: async (subject, { logits, Y }, context) => {
        const k = logits[0]!.length;
        const fd = gradient((flat) => naiveCeSum(logits.map((_, i) => flat.slice(i * k, (i + 1) * k)), Y), logits.flat());
        const sum = logits.map((_, i) => fd.slice(i * k, (i + 1) * k));
        const { call, value } = await callLike(subject, 'softmax_ce_backward', [logits, Y], sum);
        const tol = context.tol(MYTORCH_TOLERANCES.finiteDifferences);
        if (compare(value, sum.map((row) => row.map((g) => g / logits.length)), tol).ok) return;
        expectClose(value, sum, tol, { code: 'derivative_mismatch', message: 'backward() is the gradient of the loss: yhat - y for the summed loss, (yhat - y) / batch for the averaged one', call });
      },
    }),
    defineCheck({
      id: 'forward-and-backward-agree',
      title: 'forward and backward use the same reduction: a summed loss has gradient yhat - y, an averaged one (yhat - y) / batch',
      arbitrary: ceCase,
      tolerance: MYTORCH_TOLERANCES.value,
      run: async (subject, { logits, Y }, context) => {
        const tol = context.tol(MYTORCH_TOLERANCES.value);
        const forward = await callLike(subject, 'softmax_ce_forward', [logits, Y], 0);
        const backward = await callLike(subject, 'softmax_ce_backward', [logits, Y], softmaxCeGradient(logits, Y, 'sum'));
        const lossReduction = reductionOf(forward.value as number, logits, Y, tol);
        if (lossReduction === undefined) return; // graded by forward-matches-a-reduction
        if (compare(backward.value, softmaxCeGradient(logits, Y, lossReduction), tol).ok) return;
        // They disagree: the side that departs from the text's sum is the one at fault.
        if (compare(backward.value, softmaxCeGradient(logits, Y, 'sum'), tol).ok) {
          expectClose(forward.value, softmaxCeLoss(logits, Y, 'sum'), tol, { message: 'backward() returns yhat - y, the gradient of the summed loss, but forward averages the loss over the batch: use one reduction in both', call: forward.call });
        }
        expectClose(backward.value, softmaxCeGradient(logits, Y, lossReduction), tol, {
          code: 'derivative_mismatch',
          message: `forward returns the ${lossReduction === 'sum' ? 'summed' : 'averaged'} loss, so backward() must return ${lossReduction === 'sum' ? 'yhat - y' : '(yhat - y) / batch'}`,
          call: backward.call,
        });
      },
    }),
    defineCheck({
      id: 'stable-at-large-logits',
      title: 'forward and backward stay finite and exact for logits up to 1000 in size (subtract the row max before exp)',
      arbitrary: largeCeCase,
      tolerance: MYTORCH_TOLERANCES.largeLogits,
      run: async (subject, { logits, Y }, context) => {
        const tol = context.tol(MYTORCH_TOLERANCES.largeLogits);
        const sum = softmaxCeLoss(logits, Y, 'sum');
        const forward = await callLike(subject, 'softmax_ce_forward', [logits, Y], 0);
        if (!compare(forward.value, sum / logits.length, tol).ok) expectClose(forward.value, sum, tol, { message: 'the loss at large logits (log-sum-exp with the row max subtracted)', call: forward.call });
        const expected = softmaxCeGradient(logits, Y, 'sum');
        const backward = await callLike(subject, 'softmax_ce_backward', [logits, Y], expected);
        if (!compare(backward.value, softmaxCeGradient(logits, Y, 'mean'), tol).ok) expectClose(backward.value, expected, tol, { message: 'the gradient at large logits (softmax with the row max subtracted)', call: backward.call });
      },
    }),
  ],
  mistakes: mytorchSoftmaxCeMistakes,
};
