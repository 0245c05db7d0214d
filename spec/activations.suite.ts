// activations (seed 002, problem 4): sigmoid, sigmoid_grad, tanh_grad, relu_grad, elementwise on vectors,
// stable for |x| up to 1e3 (no overflow, no NaN).
//
// Derivatives by finite differences: the Jacobian of an elementwise f is diagonal, and the gradient of the
// scalar x -> sum_i f(x_i) is exactly that diagonal, (f'(x_1), ..., f'(x_n)). So the shared gradient law
// runs unchanged on whole vectors: no per-element forward, and a failure shows the subject's full answer
// (which lets the named-mistake replay recognise it).
//
// Kinks: sigmoid and tanh are smooth. ReLU has a kink at 0 where the catalog defines relu_grad(0) = 0
// (PyTorch's choice), so the value there IS graded: the reference check draws exact zeros and values as
// close to 0 as 1e-300 on either side. Finite differences of ReLU only make sense away from the kink, so
// that check keeps |x| >= 0.01, farther than any difference step (<= 7.4e-4 there) reaches.

import fc from 'fast-check';
import { awayFromKinks, finite, logUniform, vector } from '../src/arbitraries.ts';
import { callLike, expectClose, expectThat, gradientMatchesFiniteDifferences, matchesOracle } from '../src/laws.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import { CLOSED_FORM, tolerance } from '../src/tolerance.ts';
import { reluGrad, sigmoid, sigmoidGrad, tanhGrad } from '../reference/activations.ts';
import { relu } from './activations.shared.ts';
import { activationsMistakes } from './activations.mistakes.ts';

export const ACTIVATIONS_TOLERANCES = {
  value: CLOSED_FORM,
  /** 1 - sigmoid(x) is only accurate to eps (absolute) where sigmoid(x) is close to 1. */
  symmetry: tolerance(0, 1e-9, 'absolute: 1 - sigmoid(x) rounds by eps near sigmoid(x) = 1'),
  /**
   * Central differences at |x| <= 10 (step h <= 6e-5): truncation h^2 |f'''| / 6 < 1e-10 (|sigma'''| <= 1/8,
   * |tanh'''| <= 2), rounding eps n / h < 1e-9 for the sum of n <= 16 outputs.
   */
  finiteDifferences: tolerance(1e-5, 1e-7, 'central differences at |x| <= 10: truncation and rounding < 1e-9'),
} as const;

interface VectorInput {
  readonly x: number[];
}

const MAX_LENGTH = 16;

const inputs = (magnitude: number): fc.Arbitrary<VectorInput> => fc.record({ x: vector({ maxLength: MAX_LENGTH, magnitude }) });

/**
 * Nonzero integers in [-1000, 1000] followed by big and -big, big in [710, 1000] (exp(710) overflows
 * float64). Zero is left out so that relu_grad's kink is graded by its own check, not reported here.
 */
const largeInputs: fc.Arbitrary<VectorInput> = fc
  .record({ s: fc.array(finite(1000, 0).filter((v) => v !== 0), { maxLength: 8 }), big: fc.integer({ min: 710, max: 1000 }) })
  .map(({ s, big }) => ({ x: [...s, big, -big] }));

/** For relu_grad: ordinary values, exact zeros, and values within 1e-300..1e-3 of 0 on either side. */
const nearKink: fc.Arbitrary<VectorInput> = fc.record({
  x: fc.array(
    fc.oneof(
      { weight: 3, arbitrary: finite(10) },
      { weight: 1, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.tuple(fc.boolean(), logUniform(1e-30, 1e-3)).map(([negative, v]) => (negative ? -v : v)) },
    ),
    { minLength: 1, maxLength: MAX_LENGTH },
  ),
});

/** Away from the ReLU kink: |x| >= 0.01. */
const awayFromZero: fc.Arbitrary<VectorInput> = fc.record({
  x: fc.array(awayFromKinks({ kinks: [0], margin: 0.01, magnitude: 10 }), { minLength: 1, maxLength: MAX_LENGTH }),
});

const args = ({ x }: VectorInput) => [x];

/** x -> sum_i f(x_i): its gradient is the vector of f'(x_i), the diagonal of the elementwise Jacobian. */
const sumOf = (f: (x: number[]) => number[]) => (x: number[]): number => f(x).reduce((s, v) => s + v, 0);

const tanh = (x: number[]): number[] => x.map(Math.tanh);

const DERIVATIVES = [
  { fn: 'sigmoid_grad', reference: sigmoidGrad },
  { fn: 'tanh_grad', reference: tanhGrad },
  { fn: 'relu_grad', reference: reluGrad },
] as const;

export const activations: Problem = {
  id: 'activations',
  title: 'Activations and their derivatives: sigmoid, sigmoid_grad, tanh_grad, relu_grad',
  source: 'seed 002, problem 4',
  signatures: ['sigmoid(x)', 'sigmoid_grad(x)', 'tanh_grad(x)', 'relu_grad(x)'],
  checks: [
    // sigmoid
    matchesOracle({
      id: 'sigmoid-matches-reference',
      title: 'sigmoid(x) equals 1 / (1 + exp(-x)) elementwise',
      arbitrary: inputs(20),
      fn: 'sigmoid',
      args,
      oracle: ({ x }) => sigmoid(x),
      tolerance: ACTIVATIONS_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'sigmoid-finite-at-large-inputs',
      title: 'sigmoid stays finite and exact for |x| up to 1e3: sigmoid(1000) = 1, sigmoid(-1000) = 0 (never exp of a large positive number)',
      arbitrary: largeInputs,
      fn: 'sigmoid',
      args,
      oracle: ({ x }) => sigmoid(x),
      tolerance: ACTIVATIONS_TOLERANCES.value,
    }),
    defineCheck({
      id: 'sigmoid-in-unit-interval',
      title: 'every entry of sigmoid(x) is a number in [0, 1], for |x| up to 1e3',
      arbitrary: inputs(1000),
      run: async (subject, input) => {
        const { call, value } = await callLike(subject, 'sigmoid', args(input), input.x);
        const ys = value as number[];
        expectThat(ys.every((v) => v >= 0 && v <= 1), { message: 'every entry of sigmoid(x) is in [0, 1] (NaN is not)', call, received: ys });
      },
    }),
    defineCheck({
      id: 'sigmoid-symmetric',
      title: 'sigmoid(-x) equals 1 - sigmoid(x)',
      arbitrary: inputs(50),
      tolerance: ACTIVATIONS_TOLERANCES.symmetry,
      run: async (subject, input, context) => {
        const { value } = await callLike(subject, 'sigmoid', args(input), input.x);
        const { call, value: mirrored } = await callLike(subject, 'sigmoid', [input.x.map((v) => -v)], input.x);
        expectClose(mirrored, (value as number[]).map((v) => 1 - v), context.tol(ACTIVATIONS_TOLERANCES.symmetry), {
          code: 'invariant_violated',
          message: 'sigmoid(-x) (received) equals 1 - sigmoid(x) (expected)',
          call,
        });
      },
    }),
    // sigmoid_grad
    matchesOracle({
      id: 'sigmoid-grad-matches-reference',
      title: "sigmoid_grad(x) equals sigmoid'(x) = sigmoid(x) (1 - sigmoid(x)) elementwise",
      arbitrary: inputs(20),
      fn: 'sigmoid_grad',
      args,
      oracle: ({ x }) => sigmoidGrad(x),
      tolerance: ACTIVATIONS_TOLERANCES.value,
    }),
    gradientMatchesFiniteDifferences({
      id: 'sigmoid-grad-matches-finite-differences',
      title: 'sigmoid_grad(x) equals finite differences of sigmoid at each entry',
      arbitrary: inputs(10),
      fn: 'sigmoid_grad',
      args,
      shape: ({ x }) => x,
      forward: (_, x) => sumOf(sigmoid)(x),
      point: ({ x }) => x,
      tolerance: ACTIVATIONS_TOLERANCES.finiteDifferences,
    }),
    // tanh_grad
    matchesOracle({
      id: 'tanh-grad-matches-reference',
      title: 'tanh_grad(x) equals 1 - tanh(x)^2 elementwise',
      arbitrary: inputs(20),
      fn: 'tanh_grad',
      args,
      oracle: ({ x }) => tanhGrad(x),
      tolerance: ACTIVATIONS_TOLERANCES.value,
    }),
    gradientMatchesFiniteDifferences({
      id: 'tanh-grad-matches-finite-differences',
      title: 'tanh_grad(x) equals finite differences of tanh at each entry',
      arbitrary: inputs(10),
      fn: 'tanh_grad',
      args,
      shape: ({ x }) => x,
      forward: (_, x) => sumOf(tanh)(x),
      point: ({ x }) => x,
      tolerance: ACTIVATIONS_TOLERANCES.finiteDifferences,
    }),
    // relu_grad
    matchesOracle({
      id: 'relu-grad-matches-reference',
      title: 'relu_grad(x) is 1 where x > 0 and 0 where x <= 0, including relu_grad(0) = 0 exactly (as PyTorch)',
      arbitrary: nearKink,
      fn: 'relu_grad',
      args,
      oracle: ({ x }) => reluGrad(x),
      tolerance: ACTIVATIONS_TOLERANCES.value,
    }),
    gradientMatchesFiniteDifferences({
      id: 'relu-grad-matches-finite-differences',
      title: 'relu_grad(x) equals finite differences of max(0, x) at each entry, for |x| >= 0.01 (away from the kink)',
      arbitrary: awayFromZero,
      fn: 'relu_grad',
      args,
      shape: ({ x }) => x,
      forward: (_, x) => sumOf(relu)(x),
      point: ({ x }) => x,
      tolerance: ACTIVATIONS_TOLERANCES.finiteDifferences,
    }),
    // all derivatives, far out
    defineCheck({
      id: 'derivatives-finite-at-large-inputs',
      title: 'sigmoid_grad, tanh_grad and relu_grad stay finite and exact for |x| up to 1e3 (0 far out, 1 for relu_grad at x > 0)',
      arbitrary: largeInputs,
      tolerance: ACTIVATIONS_TOLERANCES.value,
      comparesWithReference: DERIVATIVES.map((d) => d.fn),
      run: async (subject, input, context) => {
        for (const { fn, reference } of DERIVATIVES) {
          const expected = reference(input.x);
          const { call, value } = await callLike(subject, fn, args(input), expected);
          expectClose(value, expected, context.tol(ACTIVATIONS_TOLERANCES.value), { message: `${fn} is finite and exact for |x| up to 1e3`, call });
        }
      },
    }),
  ],
  mistakes: activationsMistakes,
};
