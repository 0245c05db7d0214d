// The named mistakes of mlp-train-epoch, under either input scale (spec/mlp-epoch.suite.ts): in a module of their
// own, so that a student's self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { scaledEpoch } from './mlp-epoch.shared.ts';
import { mistake } from './subjects.ts';

function epochMistakes(divisor: number) {
  return [
    mistake({
      id: 'epoch-skips-last-sample',
      title: 'train_one_epoch stops one sample short: the loop runs over range(len(x_train) - 1)',
      hint: 'range(n) already stops before n: loop for i in range(x_train.shape[0]) so that every sample is trained on once.',
      implementation: { trainOneEpoch: scaledEpoch(divisor, (n) => Array.from({ length: n - 1 }, (_, i) => i)) },
    }),
    mistake({
      id: 'epoch-learning-rate-not-passed',
      title: "train_one_epoch calls train_one_sample(x, y) without its learning_rate: every step takes train_one_sample's default 0.003",
      hint: 'Pass the epoch\'s rate on: train_one_sample(x_train[i], y_train[i], learning_rate).',
      implementation: { trainOneEpoch: scaledEpoch(divisor, undefined, 0.003) },
    }),
  ];
}

export const rawPixelEpochMistakes: readonly Mistake[] = epochMistakes(1);
export const pixelsOver255EpochMistakes: readonly Mistake[] = epochMistakes(255);
