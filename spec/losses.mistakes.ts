// The named mistakes of losses (spec/losses.suite.ts): in a module of their own, so that a student's self-check
// replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { bce, bceGrad, crossEntropy, crossEntropyGrad, mse, mseGrad } from '../reference/losses.ts';
import { softmax } from '../reference/softmax.ts';
import { mistake } from './subjects.ts';

export const lossesMistakes: readonly Mistake[] = [
  mistake({
    id: 'mse-sum-reduction',
    title: 'mse summed over the batch instead of averaged',
    hint: "torch.nn.MSELoss() uses reduction='mean': divide the sum of squared errors by n, the batch size.",
    implementation: { mse: (p, y) => mse(p, y) * p.length },
  }),
  mistake({
    id: 'mse-grad-missing-2',
    title: 'mse_grad without the factor 2: (p - y) / n',
    hint: 'd/dp_i of (p_i - y_i)^2 / n is 2 (p_i - y_i) / n: the exponent 2 comes down as a factor.',
    implementation: { mseGrad: (p, y) => mseGrad(p, y).map((g) => g / 2) },
  }),
  mistake({
    id: 'mse-grad-missing-inv-n',
    title: 'mse_grad without the 1/n of the mean: 2 (p - y)',
    hint: 'The loss is the mean over the n samples, so its gradient is 2 (p - y) / n, not 2 (p - y).',
    implementation: { mseGrad: (p, y) => mseGrad(p, y).map((g) => g * p.length) },
  }),
  mistake({
    id: 'bce-sum-reduction',
    title: 'bce summed over the batch instead of averaged',
    hint: "torch.nn.BCELoss() uses reduction='mean': divide the sum of the per-sample losses by n.",
    implementation: { bce: (p, y) => bce(p, y) * p.length },
  }),
  mistake({
    id: 'bce-no-clamp',
    title: 'bce without clamping the logs: Infinity or NaN when p is exactly 0 or 1',
    hint: 'As torch.nn.BCELoss, clamp each log at -100 before multiplying: np.maximum(np.log(p), -100) and np.maximum(np.log(1 - p), -100); then 0 * log(0) no longer gives NaN.',
    implementation: {
      bce: (p, y) => -p.reduce((s, pi, i) => s + y[i]! * Math.log(pi) + (1 - y[i]!) * Math.log(1 - pi), 0) / p.length,
    },
  }),
  mistake({
    id: 'bce-grad-sign-flipped',
    title: 'bce_grad with the sign flipped: (y - p) / (p (1 - p)) / n',
    hint: 'd/dp of -[y log p + (1 - y) log(1 - p)] is -y/p + (1 - y)/(1 - p) = (p - y) / (p (1 - p)); then divide by n for the mean.',
    implementation: { bceGrad: (p, y) => bceGrad(p, y).map((g) => -g) },
  }),
  mistake({
    id: 'cross-entropy-grad-missing-inv-n',
    title: 'cross_entropy_grad without the 1/n of the mean: softmax(logits) - onehot(labels)',
    hint: 'The loss is the mean over the n rows, so every row of the gradient, softmax(logits_i) - onehot(labels_i), is divided by n.',
    implementation: { crossEntropyGrad: (logits, labels) => crossEntropyGrad(logits, labels).map((row) => row.map((v) => v * logits.length)) },
  }),
  mistake({
    id: 'cross-entropy-sum-reduction',
    title: 'cross_entropy summed over the rows instead of averaged',
    hint: "torch.nn.CrossEntropyLoss() uses reduction='mean': divide the sum of -log softmax(logits_i)[labels_i] by n.",
    implementation: { crossEntropy: (logits, labels) => crossEntropy(logits, labels) * logits.length },
  }),
  mistake({
    id: 'cross-entropy-grad-missing-onehot',
    title: 'cross_entropy_grad without subtracting the one-hot labels: softmax(logits) / n',
    hint: 'd/dz of -log softmax(z)[y] is softmax(z) - onehot(y): subtract 1 at the label of each row (each row then sums to 0).',
    implementation: { crossEntropyGrad: (logits, labels) => logits.map((row) => softmax(row).map((p) => p / logits.length)) },
  }),
  mistake({
    id: 'cross-entropy-no-max-subtraction',
    title: 'cross_entropy without subtracting the row max: exp overflows for logits above 709',
    hint: 'Use log-sum-exp: with m = max(row), -log softmax(row)[label] = m + log(sum(exp(row - m))) - row[label]; exp(row - m) <= 1 never overflows.',
    implementation: {
      crossEntropy: (logits, labels) =>
        logits.reduce((s, row, i) => s - Math.log(Math.exp(row[labels[i]!]!) / row.reduce((a, v) => a + Math.exp(v), 0)), 0) / logits.length,
    },
  }),
];
