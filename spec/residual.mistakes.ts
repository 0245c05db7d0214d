// The named mistakes of residual-block (spec/residual.suite.ts): in a module of their own, so that a student's
// self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { residualBackward } from '../reference/residual.ts';
import { residualBranch, zeroed } from './residual.shared.ts';
import { mistake } from './subjects.ts';

export const residualBlockMistakes: readonly Mistake[] = [
  mistake({
    id: 'returns-f-only',
    title: 'the block returns f(x) without adding x (no skip connection)',
    hint: 'A residual block computes y = f(x) + x (seed 003, task 3.15): add the input to the output of the last Linear, and in backward add dy to the gradient that flows back through f.',
    implementation: {
      residualForward: residualBranch,
      residualBackward: (dy, x, W1, b1, W2, b2) => {
        const [dx, ...grads] = residualBackward(dy, x, W1, b1, W2, b2);
        return [dx.map((row, i) => row.map((v, j) => v - dy[i]![j]!)), ...grads];
      },
    },
  }),
  mistake({
    id: 'returns-x-only',
    title: 'the block returns x alone: f(x) is computed but not added (the template bug of seed 003, task 3.15)',
    hint: 'y = x + f(x): the output of ReLU, Linear, ReLU, Linear must be added to x, and in backward the gradients of W1, b1, W2, b2 are not zero.',
    implementation: {
      residualForward: (x) => x.map((row) => [...row]),
      residualBackward: (dy, _x, W1, b1, W2, b2) => [dy.map((row) => [...row]), zeroed(W1), b1.map(() => 0), zeroed(W2), b2.map(() => 0)],
    },
  }),
];
