// The named mistakes of affine-ls-gradient (spec/affine-ls.suite.ts): in a module of their own, so that a
// student's self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { transpose } from '../src/numeric.ts';
import { affineLsGrad } from '../reference/affine-ls.ts';
import { mistake } from './subjects.ts';

export const affineLsGradientMistakes: readonly Mistake[] = [
  mistake({
    id: 'grad-a-transposed',
    title: 'grad_A transposed: x r^T of shape (m, d) instead of r x^T of shape (d, m)',
    hint: 'A gradient has the shape of its variable: grad_A[i][j] = df/dA[i][j] = r[i] * x[j], so grad_A = np.outer(r, x), shape (d, m) like A.',
    implementation: {
      affineLsGrad: (A, b, x, t) => {
        const [gradA, r] = affineLsGrad(A, b, x, t);
        return [transpose(gradA), r];
      },
    },
  }),
  mistake({
    id: 'residual-sign-flipped',
    title: 'residual taken as t - A x - b: both gradients have the wrong sign',
    hint: 'Differentiate 1/2 ||A x + b - t||^2 with r = A x + b - t: grad_b = r and grad_A = r x^T; (t - A x - b) is -r.',
    implementation: {
      affineLsGrad: (A, b, x, t) => {
        const [gradA, r] = affineLsGrad(A, b, x, t);
        return [gradA.map((row) => row.map((v) => -v)), r.map((v) => -v)];
      },
    },
  }),
  mistake({
    id: 'residual-without-b',
    title: 'b left out of the residual: r = A x - t instead of A x + b - t',
    hint: 'The residual is the whole expression inside the norm: r = A x + b - t, so both gradients depend on b.',
    implementation: { affineLsGrad: (A, b, x, t) => affineLsGrad(A, b.map(() => 0), x, t) },
  }),
];
