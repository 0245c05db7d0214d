// The named mistakes of param-count (spec/param-count.suite.ts): in a module of their own, so that a student's
// self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { mistake } from './subjects.ts';

export const paramCountMistakes: readonly Mistake[] = [
  mistake({
    id: 'no-biases',
    title: 'biases not counted: only the n_in * n_out weights of each layer',
    hint: 'Every torch.nn.Linear(n_in, n_out) has a bias of n_out entries too: count n_in * n_out + n_out per layer (36-128-128-1 has 21377 parameters, not 21120).',
    implementation: { mlpParamCount: (w) => w.slice(1).reduce((s, n, i) => s + w[i]! * n, 0) },
  }),
];
