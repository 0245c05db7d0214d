// affine-ls-gradient (seed 000, problem 1.2): the gradients of f(A, b) = 1/2 ||A x + b - t||^2.
//
// Kinks: none. f is a polynomial in (A, b), smooth everywhere, so every input is graded.
// Shapes: A is (d, m) with d and m drawn independently from 1..6. The reference check draws only
// non-square A (d != m), so grad_A transposed, (m, d) instead of (d, m), fails as a wrong shape, the
// "(n, d) vs (d, n)" mistake, and is never hidden by a square input. The other checks include square A.

import fc from 'fast-check';
import { matrixOf, sized, vectorOf } from '../src/arbitraries.ts';
import { callLike, expectClose, gradientMatchesFiniteDifferences, matchesOracle } from '../src/laws.ts';
import { type Matrix, matvec, outer } from '../src/numeric.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import { CLOSED_FORM, tolerance } from '../src/tolerance.ts';
import { affineLsGrad, affineLsLoss } from '../reference/affine-ls.ts';
import { affineLsGradientMistakes } from './affine-ls.mistakes.ts';

export const AFFINE_LS_TOLERANCES = {
  value: CLOSED_FORM,
  /**
   * f is quadratic in (A, b), so differences have no truncation error, only rounding eps |f| / h: with
   * entries in [-3, 3], |f| <= 1.1e4, that is < 1e-8 for Richardson's step (central's is confirmed by it).
   */
  finiteDifferences: tolerance(1e-6, 1e-7, 'f is quadratic: differences exact up to rounding eps |f| / h < 1e-8'),
} as const;

interface AffineInput {
  readonly A: Matrix;
  readonly b: number[];
  readonly x: number[];
  readonly t: number[];
}

const MAX_DIM = 6;

const affineOfShape = (d: number, m: number, magnitude: number): fc.Arbitrary<AffineInput> =>
  fc.record({ A: matrixOf(d, m, { magnitude }), b: vectorOf(d, magnitude), x: vectorOf(m, magnitude), t: vectorOf(d, magnitude) });

/** A of shape (d, m), d and m in 1..6 independently (square one time in six). */
const affineInput = (magnitude: number): fc.Arbitrary<AffineInput> =>
  sized(1, MAX_DIM, (d) => sized(1, MAX_DIM, (m) => affineOfShape(d, m, magnitude)));

/** A of shape (d, m) with d != m: shrinks to a (1, 2) matrix. */
const nonSquareAffineInput = (magnitude: number): fc.Arbitrary<AffineInput> =>
  sized(1, MAX_DIM, (d) => sized(1, MAX_DIM - 1, (k) => affineOfShape(d, k >= d ? k + 1 : k, magnitude)));

const args = ({ A, b, x, t }: AffineInput) => [A, b, x, t];

const residual = ({ A, b, x, t }: AffineInput): number[] => matvec(A, x).map((v, i) => v + b[i]! - t[i]!);

/** The answer's template: the reference's (grad_A, grad_b), a (d, m) matrix and a (d,) vector. */
const reference = ({ A, b, x, t }: AffineInput) => affineLsGrad(A, b, x, t);

export const affineLsGradient: Problem = {
  id: 'affine-ls-gradient',
  title: 'Gradient of the affine least-squares objective 1/2 ||A x + b - t||^2',
  source: 'seed 000, problem 1.2',
  signatures: ['affine_ls_grad(A, b, x, t)'],
  checks: [
    matchesOracle({
      id: 'matches-reference',
      title: 'affine_ls_grad(A, b, x, t) returns (grad_A, grad_b) = (r x^T, r) with r = A x + b - t, grad_A of shape (d, m) like A',
      arbitrary: nonSquareAffineInput(5),
      fn: 'affine_ls_grad',
      args,
      oracle: reference,
      tolerance: AFFINE_LS_TOLERANCES.value,
    }),
    gradientMatchesFiniteDifferences({
      id: 'matches-finite-differences',
      title: '(grad_A, grad_b) equals finite differences of f(A, b) = 1/2 ||A x + b - t||^2 in every entry of A and b',
      arbitrary: affineInput(3),
      fn: 'affine_ls_grad',
      args,
      shape: reference,
      // The point is A row by row, then b: the row-major order of the answer (grad_A, grad_b).
      forward: ({ A, x, t }, point) => {
        const m = x.length;
        const rows = A.map((_, i) => point.slice(i * m, (i + 1) * m));
        return affineLsLoss(rows, point.slice(A.length * m), x, t);
      },
      point: ({ A, b }) => [...A.flat(), ...b],
      tolerance: AFFINE_LS_TOLERANCES.finiteDifferences,
    }),
    defineCheck({
      id: 'grad-b-is-residual',
      title: 'grad_b (second entry of the answer) equals the residual r = A x + b - t',
      arbitrary: affineInput(5),
      tolerance: AFFINE_LS_TOLERANCES.value,
      run: async (subject, input, context) => {
        const { call, value } = await callLike(subject, 'affine_ls_grad', args(input), reference(input));
        const [gradA] = value as [number[][], number[]];
        // Only grad_b is constrained; grad_A is compared with itself, so the failure shows the whole answer.
        expectClose(value, [gradA, residual(input)], context.tol(AFFINE_LS_TOLERANCES.value), {
          code: 'invariant_violated',
          message: 'grad_b (index [1]) equals r = A x + b - t',
          call,
        });
      },
    }),
    defineCheck({
      id: 'grad-a-is-rank-one',
      title: 'grad_A equals grad_b x^T: row i of grad_A is x scaled by grad_b[i] (a rank-one matrix)',
      arbitrary: affineInput(5),
      tolerance: AFFINE_LS_TOLERANCES.value,
      run: async (subject, input, context) => {
        const { call, value } = await callLike(subject, 'affine_ls_grad', args(input), reference(input));
        const [, gradB] = value as [number[][], number[]];
        expectClose(value, [outer(gradB, input.x), gradB], context.tol(AFFINE_LS_TOLERANCES.value), {
          code: 'invariant_violated',
          message: 'grad_A (index [0]) equals outer(grad_b, x), i.e. grad_A[i][j] = grad_b[i] * x[j]',
          call,
        });
      },
    }),
  ],
  mistakes: affineLsGradientMistakes,
};
