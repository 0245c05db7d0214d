// The named mistakes of batchnorm (spec/batchnorm.suite.ts): in a module of their own, so that a student's
// self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { batchnormBackward } from '../reference/batchnorm.ts';
import { sumColumns } from './batchnorm.shared.ts';
import { backwardWithout, forwardEpsOutsideSqrt, forwardUnbiased } from './batchnorm.variants.ts';
import { mistake } from './subjects.ts';

export const batchnormMistakes: readonly Mistake[] = [
  mistake({
    id: 'backward-no-mean-path',
    title: "batchnorm backward ignores the batch mean's dependence on X (columns of dX do not sum to 0)",
    hint: 'The mean depends on every x_i: dX = gamma / (n std) (n dY - sum(dY) - xhat sum(dY xhat)). The -sum(dY) term is the path through the mean.',
    implementation: { batchnormBackward: backwardWithout('mean') },
  }),
  mistake({
    id: 'backward-no-variance-path',
    title: "batchnorm backward ignores the batch variance's dependence on X",
    hint: 'The variance depends on every x_i too: dX = gamma / (n std) (n dY - sum(dY) - xhat sum(dY xhat)). The -xhat sum(dY xhat) term is the path through the variance.',
    implementation: { batchnormBackward: backwardWithout('variance') },
  }),
  mistake({
    id: 'dgamma-with-x',
    title: 'dgamma computed from X instead of the normalised xhat: sum over the batch of dY * X',
    hint: 'gamma multiplies xhat = (X - mean) / sqrt(var + eps), so dgamma = sum over the batch of dY * xhat; keep xhat from the forward pass.',
    implementation: {
      batchnormBackward: (dY, X, gamma, eps) => {
        const [dX, , dbeta] = batchnormBackward(dY, X, gamma, eps);
        return [dX, sumColumns(dY.map((row, i) => row.map((g, j) => g * X[i]![j]!))), dbeta];
      },
    },
  }),
  mistake({
    id: 'forward-unbiased-variance',
    title: 'batchnorm forward normalises with the unbiased variance (divided by n - 1)',
    hint: 'In training mode torch.nn.BatchNorm1d normalises with the biased batch variance: mean((x - mean)^2), divided by n (np.var(X, axis=0), not ddof=1; torch.var(unbiased=False)).',
    implementation: { batchnormForward: forwardUnbiased },
  }),
  mistake({
    id: 'eps-outside-sqrt',
    title: 'batchnorm forward divides by sqrt(var) + eps instead of sqrt(var + eps)',
    hint: 'As torch.nn.BatchNorm1d: y = (x - mean) / sqrt(var + eps) * gamma + beta; eps goes under the square root.',
    implementation: { batchnormForward: forwardEpsOutsideSqrt },
  }),
];
