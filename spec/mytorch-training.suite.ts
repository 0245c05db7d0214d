// The training half of seed 000's mytorch package (problem 6.4-6.6): Sequential, SGD and gradient_check.
//
// Sequential is graded by composition laws over the subject's own modules, so a wrong Linear costs 6.1 and not
// 6.4 as well: Sequential(L1, ReLU, L2, ...).forward equals the chain of the modules' forwards, its backward the
// chain of their backwards in reverse order (with get_gradients() concatenated in module order), and a Sequential
// of one module is that module. The networks have one width d for every layer, so a backward run in forward order
// computes something (which feedback can name) instead of raising on mismatched shapes. SGD must update the
// arrays it was given in place: the handout's loop hands it model.get_parameters(), the modules' own arrays, so a
// rebinding SGD (p = p - lr * g) leaves the model untouched; train_step reads the weights back from the modules.
//
// gradient_check is graded as a property: on the staff's model Linear, Sigmoid, Linear with SoftmaxCrossEntropy
// it must report < 1e-5 when the model's backward is right and a large error (> 1e-3) when a bug is planted in
// it (the signs flipped, the gradients multiplied by the batch, dW1 transposed). Either signature and either
// relative error of the handout passes: both definitions are below 1e-8 on the correct model (central
// differences at epsilon 1e-5 of a smooth loss, |entries| <= 2) and above 1e-2 on the planted bugs here.

import fc from 'fast-check';
import { matrixOf, sized, vectorOf } from '../src/arbitraries.ts';
import { describeShape } from '../src/decode.ts';
import type { Value } from '../src/failure.ts';
import { callLike, expectClose, expectThat } from '../src/laws.ts';
import type { Matrix, Vector } from '../src/numeric.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import type { Subject } from '../src/subject.ts';
import { Rng, hashSeed } from '../src/rng.ts';
import { CLOSED_FORM } from '../src/tolerance.ts';
import { gradientCheckError, linearForward, sequentialBackward } from '../reference/mytorch.ts';
import { mytorchGradientCheckMistakes, mytorchSequentialSgdMistakes, mytorchSequentialSgdPlantedMistakes } from './mytorch-training.mistakes.ts';

// ---- Sequential and SGD (6.4, 6.5) -------------------------------------------------------------------------

interface NetworkCase {
  readonly weights: Matrix[];
  readonly biases: Vector[];
  readonly X: Matrix;
  readonly G: Matrix;
  readonly lr: number;
}

const networkOf = (layers: number): fc.Arbitrary<NetworkCase> =>
  sized(1, 5, (n) =>
    sized(1, 5, (d) =>
      fc.record({
        weights: fc.array(matrixOf(d, d, { magnitude: 2 }), { minLength: layers, maxLength: layers }),
        biases: fc.array(vectorOf(d, 1), { minLength: layers, maxLength: layers }),
        X: matrixOf(n, d, { magnitude: 3 }),
        G: matrixOf(n, d, { magnitude: 2 }),
        lr: fc.constantFrom(0.01, 0.1, 0.5),
      }),
    ),
  );

/** Linear, ReLU, Linear, ... with 2 or 3 Linear layers. */
const network = fc.integer({ min: 2, max: 3 }).chain(networkOf);
const singleLayer = networkOf(1);

type Params = (Matrix | Vector)[];

/** The chain of the subject's own modules: forward through Linear/ReLU, or backward in reverse order. */
async function chainForward(subject: Subject, { weights, biases, X }: NetworkCase): Promise<Matrix> {
  let h = X;
  for (let l = 0; l < weights.length; l++) {
    if (l > 0) h = (await callLike(subject, 'relu_forward', [h], h)).value as Matrix;
    h = (await callLike(subject, 'linear_forward', [weights[l]!, biases[l]!, h], linearForward(weights[l]!, biases[l]!, h))).value as Matrix;
  }
  return h;
}

async function chainBackward(subject: Subject, input: NetworkCase): Promise<[Matrix, Params]> {
  const { weights, biases, X, G } = input;
  // The inputs of each module, from the subject's own forwards.
  const linearInputs: Matrix[] = [X];
  const reluInputs: Matrix[] = [];
  for (let l = 0; l < weights.length - 1; l++) {
    const z = (await callLike(subject, 'linear_forward', [weights[l]!, biases[l]!, linearInputs[l]!], G)).value as Matrix;
    reluInputs.push(z);
    linearInputs.push((await callLike(subject, 'relu_forward', [z], z)).value as Matrix);
  }
  const grads: Params = [];
  let g = G;
  for (let l = weights.length - 1; l >= 0; l--) {
    const template = [weights[l]!, biases[l]!, linearInputs[l]!];
    const [dW, db, dX] = (await callLike(subject, 'linear_backward', [weights[l]!, biases[l]!, linearInputs[l]!, g], template)).value as [Matrix, Vector, Matrix];
    grads.unshift(dW, db);
    g = l === 0 ? dX : ((await callLike(subject, 'relu_backward', [reluInputs[l - 1]!, dX], dX)).value as Matrix);
  }
  return [g, grads];
}

const netArgs = ({ weights, biases, X }: NetworkCase): Value[] => [weights, biases, X];
const backwardArgs = ({ weights, biases, X, G }: NetworkCase): Value[] => [weights, biases, X, G];
const backwardTemplate = ({ weights, biases, X }: NetworkCase): [Matrix, Params] => [X, weights.flatMap((W, l) => [W, biases[l]!])];

interface SgdCase {
  readonly params: Params;
  readonly grads: Params;
  readonly lr: number;
}

/** 1 to 4 parameter arrays (matrices and vectors), their gradients, a learning rate. */
const sgdCase: fc.Arbitrary<SgdCase> = fc
  .array(
    fc.oneof(
      sized(1, 4, (r) => sized(1, 4, (c) => fc.tuple(matrixOf(r, c, { magnitude: 3 }), matrixOf(r, c, { magnitude: 3 })))),
      sized(1, 5, (k) => fc.tuple(vectorOf(k, 3), vectorOf(k, 3))),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .chain((pairs) => fc.constantFrom(0.01, 0.1, 1).map((lr) => ({ params: pairs.map(([p]) => p as Matrix | Vector), grads: pairs.map(([, g]) => g as Matrix | Vector), lr })));

/** p - lr g written out, array by array. */
const steppedBy = (params: Params, grads: Params, lr: number): Params =>
  params.map((p, i) => (p as (number | number[])[]).map((v, j) => (Array.isArray(v) ? v.map((x, k) => x - lr * (grads[i] as Matrix)[j]![k]!) : v - lr * (grads[i] as Vector)[j]!)) as Matrix | Vector);

export const mytorchSequentialSgd: Problem = {
  id: 'mytorch-sequential-sgd',
  title: 'mytorch Sequential(*modules) (forward in order, backward in reverse, parameters and gradients concatenated in order) and SGD(parameters, lr) updating the arrays in place',
  source: 'seed 000, problems 6.4 and 6.5',
  signatures: [
    'sequential_forward(weights, biases, X)',
    'sequential_backward(weights, biases, X, G)',
    'sgd_update(params, grads, lr)',
    'train_step(weights, biases, X, G, lr)',
    'linear_forward(W, b, X)',
    'linear_backward(W, b, X, G)',
    'relu_forward(X)',
    'relu_backward(X, G)',
  ],
  checks: [
    defineCheck({
      id: 'forward-is-the-chain',
      title: "Sequential(Linear, ReLU, Linear, ...).forward(X) equals the modules' forwards applied in order",
      arbitrary: network,
      tolerance: CLOSED_FORM,
      run: async (subject, input, context) => {
        const expected = await chainForward(subject, input);
        const { call, value } = await callLike(subject, 'sequential_forward', netArgs(input), expected);
        expectClose(value, expected, context.tol(CLOSED_FORM), { message: "Sequential.forward equals the chain of its modules' forwards (expected: your Linear and ReLU applied one after the other)", call });
      },
    }),
    defineCheck({
      id: 'backward-is-the-reverse-chain',
      title: "Sequential.backward(G) equals the modules' backwards applied in reverse order, and get_gradients() lists [dW1, db1, dW2, db2, ...] in module order",
      arbitrary: network,
      tolerance: CLOSED_FORM,
      run: async (subject, input, context) => {
        const expected = await chainBackward(subject, input);
        const { call, value } = await callLike(subject, 'sequential_backward', backwardArgs(input), backwardTemplate(input));
        expectClose(value, expected, context.tol(CLOSED_FORM), {
          message: "Sequential.backward returns dX and get_gradients() the gradients of the chain of its modules' backwards, last module first (expected: your modules' own backwards)",
          call,
        });
      },
    }),
    defineCheck({
      id: 'single-module-is-the-module',
      title: 'a Sequential of one Linear computes what the Linear computes: the same forward, dX and gradients [dW, db]',
      arbitrary: singleLayer,
      tolerance: CLOSED_FORM,
      run: async (subject, input, context) => {
        const tol = context.tol(CLOSED_FORM);
        const forward = await chainForward(subject, input);
        const seq = await callLike(subject, 'sequential_forward', netArgs(input), forward);
        expectClose(seq.value, forward, tol, { message: 'Sequential(Linear).forward equals Linear.forward', call: seq.call });
        const expected = await chainBackward(subject, input);
        const back = await callLike(subject, 'sequential_backward', backwardArgs(input), backwardTemplate(input));
        expectClose(back.value, expected, tol, { message: 'Sequential(Linear).backward returns what Linear.backward returns, and get_gradients() is [dW, db]', call: back.call });
      },
    }),
    defineCheck({
      id: 'sgd-updates-in-place',
      title: 'SGD(params, lr).step(grads) subtracts lr * g from each parameter array in place (the arrays it was given change)',
      arbitrary: sgdCase,
      tolerance: CLOSED_FORM,
      run: async (subject, { params, grads, lr }, context) => {
        const expected = steppedBy(params, grads, lr);
        const { call, value } = await callLike(subject, 'sgd_update', [params, grads, lr], expected);
        expectClose(value, expected, context.tol(CLOSED_FORM), { message: 'after step(grads) the parameter arrays passed to SGD hold p - lr * g (update them in place: p -= lr * g)', call });
      },
    }),
    defineCheck({
      id: 'training-step-updates-the-modules',
      title: "one step of the handout's loop (forward, backward, SGD(model.get_parameters(), lr).step(model.get_gradients())) changes the Linear layers' own W and b to p - lr * g",
      arbitrary: network,
      tolerance: CLOSED_FORM,
      run: async (subject, input, context) => {
        const [, own] = (await callLike(subject, 'sequential_backward', backwardArgs(input), backwardTemplate(input))).value as [Matrix, Params];
        const params = input.weights.flatMap((W, l) => [W, input.biases[l]!]);
        // The subject's own gradients, unless they do not pair with the parameters (backward-is-the-reverse-chain
        // reports that): then the reference's, so the expectation stays a step of the right shapes.
        const grads = own.length === params.length && own.every((g, i) => describeShape(g) === describeShape(params[i])) ? own : sequentialBackward(input.weights, input.biases, input.X, input.G)[1];
        const expected = steppedBy(params, grads, input.lr);
        const { call, value } = await callLike(subject, 'train_step', [...backwardArgs(input), input.lr], expected);
        expectClose(value, expected, context.tol(CLOSED_FORM), { message: "after the step, each Linear's W and b hold p - lr * g: get_parameters() returns the modules' own arrays, in the order of get_gradients(), and SGD updates them in place", call });
      },
    }),
  ],
  mistakes: mytorchSequentialSgdMistakes,
  planted: mytorchSequentialSgdPlantedMistakes,
};

// ---- gradient_check (6.6) ----------------------------------------------------------------------------------

interface CheckCase {
  readonly W1: Matrix;
  readonly b1: Vector;
  readonly W2: Matrix;
  readonly b2: Vector;
  readonly X: Matrix;
  readonly Y: Matrix;
}

/**
 * Batches of 2 to 4, d inputs and d hidden units (W1 square, so its transpose has its shape), 2 to 4 classes. Entries
 * are generic, as in a network with random weights on real data: drawn from a seeded generator, 0.1 <= |x| <= 2, so
 * neither generation nor shrinking makes two of them equal. An exact zero (an input column of zeros) or a hidden unit
 * whose outgoing weights are equal for every class (softmax is shift invariant) makes gradients that are exactly 0,
 * where both of the handout's relative errors divide rounding noise (1e-18 against 1e-11) by itself and report ~1
 * for a correct model.
 */
const checkCase: fc.Arbitrary<CheckCase> = sized(2, 4, (n) =>
  sized(3, 4, (d) =>
    sized(2, 4, (k) =>
      fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((seed) => {
        const rng = new Rng(hashSeed('gradient_check', seed, n, d, k));
        const entry = () => (rng.uniform() < 0.5 ? -1 : 1) * rng.uniformIn(0.1, 2);
        const matrix = (rows: number, cols: number): Matrix => Array.from({ length: rows }, () => Array.from({ length: cols }, entry));
        const labels = Array.from({ length: n }, () => rng.int(k));
        return {
          W1: matrix(d, d),
          b1: matrix(1, d)[0]!,
          W2: matrix(k, d),
          b2: matrix(1, k)[0]!,
          X: matrix(n, d),
          Y: labels.map((c) => Array.from({ length: k }, (_, j) => (j === c ? 1 : 0))),
        };
      }),
    ),
  ),
);

const SMALL = 1e-5;
const LARGE = 1e-3;
const BUGS = ['sign', 'scaled', 'transposed'] as const;
const BUG_WORDS: Readonly<Record<(typeof BUGS)[number], string>> = {
  sign: 'every gradient with its sign flipped',
  scaled: 'every gradient multiplied by the batch size (a missing 1/batch)',
  transposed: 'dW1 transposed',
};

const checkArgs = ({ W1, b1, W2, b2, X, Y }: CheckCase, bug: string): Value[] => [W1, b1, W2, b2, X, Y, bug];

/** Planted bugs whose true error is clearly large on this case (a nearly symmetric dW1 hides a transposition). */
const plantedBugs = checkCase.chain((input) => {
  const visible = BUGS.filter((bug) => gradientCheckError(input.W1, input.b1, input.W2, input.b2, input.X, input.Y, bug) > 1e-2);
  return visible.length === 0 ? fc.constant(undefined) : fc.constantFrom(...visible).map((bug) => ({ input, bug }));
}).filter((c): c is { input: CheckCase; bug: (typeof BUGS)[number] } => c !== undefined);

export const mytorchGradientCheck: Problem = {
  id: 'mytorch-gradient-check',
  title: "mytorch gradient_check(model, [loss_fn,] x, y, epsilon=1e-5): central differences per parameter entry against the model's backward, the maximum relative error",
  source: 'seed 000, problem 6.6',
  signatures: ['gradient_check_error(W1, b1, W2, b2, X, Y, bug)'],
  checks: [
    defineCheck({
      id: 'small-on-a-correct-model',
      title: 'on a model whose backward is right (Linear, Sigmoid, Linear with SoftmaxCrossEntropy), gradient_check reports an error below 1e-5',
      arbitrary: checkCase,
      run: async (subject, input) => {
        const { call, value } = await callLike(subject, 'gradient_check_error', checkArgs(input, 'none'), 0);
        expectThat(typeof value === 'number' && value >= 0 && value < SMALL, {
          message: `gradient_check must report < ${SMALL} on a correct model (the true relative error here is ${gradientCheckError(input.W1, input.b1, input.W2, input.b2, input.X, input.Y, 'none').toExponential(2)})`,
          call,
          received: value,
          expected: `< ${SMALL}`,
        });
      },
    }),
    defineCheck({
      id: 'large-on-a-wrong-backward',
      title: 'on the same model with a bug planted in its backward (signs flipped, gradients multiplied by the batch, dW1 transposed), gradient_check reports an error above 1e-3',
      arbitrary: plantedBugs,
      run: async (subject, { input, bug }) => {
        const { call, value } = await callLike(subject, 'gradient_check_error', checkArgs(input, bug), 0);
        expectThat(typeof value === 'number' && value > LARGE, {
          message: `gradient_check must report a large error (> ${LARGE}) on a model whose backward returns ${BUG_WORDS[bug]} (the true relative error here is ${gradientCheckError(input.W1, input.b1, input.W2, input.b2, input.X, input.Y, bug).toFixed(3)})`,
          call,
          received: value,
          expected: `> ${LARGE}`,
        });
      },
    }),
  ],
  mistakes: mytorchGradientCheckMistakes,
};
