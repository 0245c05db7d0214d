// residual-block (seed 003, tasks 3.15-3.17): residual_forward and residual_backward of the block
// ResidualSequence(ReLU, Linear(d, h), ReLU, Linear(h, d)): y = x + f(x), f(x) = Linear2(ReLU(Linear1(ReLU(x)))).
//
// Conventions: the weights have the layout of torch.nn.Linear, as the seed builds the block: W1 is (h, d)
// (nn.Linear(d, h).weight), W2 is (d, h), and a layer computes u @ W.T + b. x is a batch of shape (n, d),
// one sample per row; dy has the shape of y. residual_backward returns (dx, dW1, db1, dW2, db2), the
// gradients of sum(dy * y), so the parameter gradients are summed over the batch. The shapes make the
// layout visible: every check draws h and d independently, so W1 is usually not square.
//
// Kinks: ReLU is not differentiable at 0. Gradients are graded only where every x and every
// pre-activation z1 = ReLU(x) @ W1.T + b1 is at least 0.01 away from 0 (farther than any difference step
// reaches); the forward pass, which is continuous, is graded everywhere.

import fc from 'fast-check';
import { awayFromKinks, finite, matrixOf, sized, vectorOf } from '../src/arbitraries.ts';
import type { Value } from '../src/failure.ts';
import { callLike, expectClose, gradientMatchesFiniteDifferences, matchesOracle } from '../src/laws.ts';
import { gradient } from '../src/numdiff.ts';
import { type Matrix, type Vector } from '../src/numeric.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import { CLOSED_FORM, tolerance } from '../src/tolerance.ts';
import { residualBackward, residualForward } from '../reference/residual.ts';
import { residualBranch, zeroed } from './residual.shared.ts';
import { residualBlockMistakes } from './residual.mistakes.ts';

export const RESIDUAL_TOLERANCES = {
  value: CLOSED_FORM,
  /** x + 0 and dy + 0 are exact; the rest is rounding of sums of zeros. */
  identity: tolerance(0, 1e-12, 'x + f(x) with f = 0 is exact'),
  /**
   * Central differences of sum(dy * y): the block is piecewise linear in x and in each layer's parameters
   * (quadratic across two layers), and no step crosses a kink, so only rounding remains (< 1e-9).
   */
  finiteDifferences: tolerance(1e-5, 1e-7, 'central differences of a piecewise-polynomial function away from its kinks'),
} as const;

export interface BlockInput {
  readonly x: Matrix;
  readonly W1: Matrix;
  readonly b1: Vector;
  readonly W2: Matrix;
  readonly b2: Vector;
}

export interface BlockBackwardInput extends BlockInput {
  readonly dy: Matrix;
}

const KINK_MARGIN = 0.01;

/** ReLU(x) @ W1.T + b1, the pre-activations of the block's second ReLU. */
const preActivations = ({ x, W1, b1 }: BlockInput): Matrix =>
  x.map((row) => W1.map((w, k) => w.reduce((s, wkj, j) => s + wkj * Math.max(0, row[j]!), b1[k]!)));

/** n in 1..6 samples of width d in 1..6, hidden width h in 1..8; x entries from `entry`. */
const blockWith = (entry: fc.Arbitrary<number>): fc.Arbitrary<BlockBackwardInput> =>
  sized(1, 6, (n) =>
    sized(1, 6, (d) =>
      sized(1, 8, (h) =>
        fc.record({
          x: fc.array(fc.array(entry, { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
          W1: matrixOf(h, d, { magnitude: 2 }),
          b1: vectorOf(h, 1),
          W2: matrixOf(d, h, { magnitude: 2 }),
          b2: vectorOf(d, 1),
          dy: matrixOf(n, d, { magnitude: 2 }),
        }),
      ),
    ),
  );

/** Any x in [-3, 3], zeros included. */
const block = blockWith(finite(3));

/** x and z1 at least 0.01 away from ReLU's kink at 0. */
const smoothBlock = blockWith(awayFromKinks({ kinks: [0], margin: KINK_MARGIN, magnitude: 3 })).filter((input) =>
  preActivations(input).every((row) => row.every((z) => Math.abs(z) >= KINK_MARGIN)),
);

const forwardArgs = ({ x, W1, b1, W2, b2 }: BlockInput): Value[] => [x, W1, b1, W2, b2];
const backwardArgs = ({ dy, x, W1, b1, W2, b2 }: BlockBackwardInput): Value[] => [dy, x, W1, b1, W2, b2];

/** sum(dy * y) as a function of the flat parameters [x, W1, b1, W2, b2] (row-major each). */
function lossAt(input: BlockBackwardInput, flat: readonly number[], blockFn = residualForward): number {
  let at = 0;
  const take = (k: number) => flat.slice(at, (at += k));
  const rows = (m: Matrix) => m.map((r) => take(r.length));
  const x = rows(input.x);
  const W1 = rows(input.W1);
  const b1 = take(input.b1.length);
  const W2 = rows(input.W2);
  const b2 = take(input.b2.length);
  const y = blockFn(x, W1, b1, W2, b2);
  return y.reduce((s, row, i) => s + row.reduce((t, v, j) => t + v * input.dy[i]![j]!, 0), 0);
}

export const residualBlock: Problem = {
  id: 'residual-block',
  title: 'Residual block y = x + Linear2(ReLU(Linear1(ReLU(x)))), forward and backward (x is (n, d); W1 is (h, d), W2 is (d, h) as torch.nn.Linear.weight)',
  source: 'seed 003, tasks 3.15-3.17',
  signatures: ['residual_forward(x, W1, b1, W2, b2)', 'residual_backward(dy, x, W1, b1, W2, b2)'],
  checks: [
    matchesOracle({
      id: 'forward-matches-reference',
      title: 'residual_forward returns x + relu(relu(x) @ W1.T + b1) @ W2.T + b2, row by row',
      arbitrary: block,
      fn: 'residual_forward',
      args: forwardArgs,
      oracle: ({ x, W1, b1, W2, b2 }) => residualForward(x, W1, b1, W2, b2),
      tolerance: RESIDUAL_TOLERANCES.value,
    }),
    defineCheck({
      id: 'zeroed-last-layer-is-identity',
      title: 'with the last Linear zeroed (W2 = 0, b2 = 0) the block is the identity: residual_forward returns x and residual_backward returns dx = dy',
      arbitrary: block,
      tolerance: RESIDUAL_TOLERANCES.identity,
      run: async (subject, input, context) => {
        const idle = { ...input, W2: zeroed(input.W2), b2: input.b2.map(() => 0) };
        const tol = context.tol(RESIDUAL_TOLERANCES.identity);
        const forward = await callLike(subject, 'residual_forward', forwardArgs(idle), input.x);
        expectClose(forward.value, input.x, tol, { code: 'invariant_violated', message: 'with W2 = 0 and b2 = 0, residual_forward returns x (y = x + f(x), f = 0)', call: forward.call });
        const backward = await callLike(subject, 'residual_backward', backwardArgs(idle), residualBackward(idle.dy, idle.x, idle.W1, idle.b1, idle.W2, idle.b2));
        const dx = (backward.value as Matrix[])[0]!;
        expectClose(dx, input.dy, tol, { code: 'invariant_violated', message: 'with W2 = 0 and b2 = 0, residual_backward returns dx = dy (the Jacobian of the block is I)', call: backward.call });
      },
    }),
    matchesOracle({
      id: 'backward-matches-reference',
      title: 'residual_backward returns (dx, dW1, db1, dW2, db2): dW2 = dy.T @ a, dz1 = (dy @ W2) * [z1 > 0], dW1 = dz1.T @ relu(x), dx = dy + (dz1 @ W1) * [x > 0]',
      arbitrary: smoothBlock,
      fn: 'residual_backward',
      args: backwardArgs,
      oracle: ({ dy, x, W1, b1, W2, b2 }) => residualBackward(dy, x, W1, b1, W2, b2),
      tolerance: RESIDUAL_TOLERANCES.value,
    }),
    gradientMatchesFiniteDifferences({
      id: 'backward-matches-finite-differences',
      title: 'residual_backward equals finite differences of sum(dy * residual_forward(x, W1, b1, W2, b2)) in every entry of x, W1, b1, W2 and b2 (away from the ReLU kinks)',
      arbitrary: smoothBlock,
      fn: 'residual_backward',
      args: backwardArgs,
      shape: ({ x, W1, b1, W2, b2 }) => [x, W1, b1, W2, b2],
      forward: (input, flat) => lossAt(input, flat),
      point: ({ x, W1, b1, W2, b2 }) => [...x.flat(), ...W1.flat(), ...b1, ...W2.flat(), ...b2],
      tolerance: RESIDUAL_TOLERANCES.finiteDifferences,
    }),
    defineCheck({
      id: 'input-gradient-is-identity-plus-branch',
      title: 'the Jacobian of the block is I + J_f: dx - dy equals finite differences of sum(dy * f(x)) for the branch f(x) = Linear2(ReLU(Linear1(ReLU(x)))) alone',
      arbitrary: smoothBlock,
      tolerance: RESIDUAL_TOLERANCES.finiteDifferences,
      run: async (subject, input, context) => {
        const expected = residualBackward(input.dy, input.x, input.W1, input.b1, input.W2, input.b2);
        const { call, value } = await callLike(subject, 'residual_backward', backwardArgs(input), expected);
        const dx = (value as Matrix[])[0]!;
        const d = input.x[0]!.length;
        const rest = [...input.W1.flat(), ...input.b1, ...input.W2.flat(), ...input.b2];
        const branch = gradient((xs) => lossAt(input, [...xs, ...rest], residualBranch), input.x.flat());
        expectClose(
          dx.map((row, i) => row.map((v, j) => v - input.dy[i]![j]!)),
          input.x.map((row, i) => row.map((_, j) => branch[i * d + j]!)),
          context.tol(RESIDUAL_TOLERANCES.finiteDifferences),
          { code: 'derivative_mismatch', message: 'dx - dy (received) equals the gradient through the branch f alone (expected): the skip connection contributes exactly dy', call },
        );
      },
    }),
  ],
  mistakes: residualBlockMistakes,
};
