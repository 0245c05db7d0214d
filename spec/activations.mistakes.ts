// The named mistakes of activations (spec/activations.suite.ts): in a module of their own, so that a student's
// self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { sigmoid } from '../reference/activations.ts';
import { relu } from './activations.shared.ts';
import { mistake } from './subjects.ts';

export const activationsMistakes: readonly Mistake[] = [
  mistake({
    id: 'sigmoid-overflows',
    title: 'sigmoid computed as exp(x) / (1 + exp(x)): NaN for x above 709, where exp(x) overflows',
    hint: 'Never exponentiate a large positive number: use 1 / (1 + exp(-x)) for x >= 0 and exp(x) / (1 + exp(x)) for x < 0 (np.where evaluates both branches, so clip x or use scipy.special.expit).',
    implementation: { sigmoid: (x) => x.map((v) => Math.exp(v) / (1 + Math.exp(v))) },
  }),
  mistake({
    id: 'sigmoid-sign-flipped',
    title: 'sigmoid computed as 1 / (1 + exp(x)): the mirror image sigmoid(-x)',
    hint: 'sigmoid(x) = 1 / (1 + exp(-x)) rises from 0 to 1: sigmoid(2) is about 0.88, not 0.12. Check the sign in the exponent.',
    implementation: { sigmoid: (x) => x.map((v) => 1 / (1 + Math.exp(v))) },
  }),
  mistake({
    id: 'sigmoid-negative-branch-wrong',
    title: 'stable sigmoid whose branch for x < 0 returns sigmoid(|x|): never below 0.5',
    hint: 'For x < 0 the stable form is exp(x) / (1 + exp(x)), which is below 0.5; 1 / (1 + exp(x)) there is sigmoid(-x). Check sigmoid(-x) = 1 - sigmoid(x).',
    implementation: { sigmoid: (x) => x.map((v) => 1 / (1 + Math.exp(-Math.abs(v)))) },
  }),
  mistake({
    id: 'sigmoid-grad-is-sigmoid',
    title: "sigmoid_grad returns sigmoid(x) instead of sigmoid'(x)",
    hint: "Backprop multiplies by the derivative of the activation: sigmoid'(z) = sigmoid(z) (1 - sigmoid(z)), not sigmoid(z) itself (at z = 0 it is 0.25, not 0.5).",
    implementation: { sigmoidGrad: (x) => sigmoid(x) },
  }),
  mistake({
    id: 'tanh-grad-missing-square',
    title: 'tanh_grad computed as 1 - tanh(x), without the square',
    hint: "d/dx tanh(x) = 1 - tanh(x)^2 (= 1 / cosh(x)^2): square the tanh. It is even in x, so tanh_grad(-x) = tanh_grad(x).",
    implementation: { tanhGrad: (x) => x.map((v) => 1 - Math.tanh(v)) },
  }),
  mistake({
    id: 'relu-grad-is-relu',
    title: "relu_grad returns relu(x) = max(0, x) instead of relu'(x)",
    hint: "The derivative of max(0, x) is 1 where x > 0 and 0 elsewhere (np.where(x > 0, 1.0, 0.0)), not max(0, x) itself.",
    implementation: { reluGrad: (x) => relu(x) },
  }),
  mistake({
    id: 'relu-grad-one-at-zero',
    title: 'relu_grad(0) = 1: the test is x >= 0 instead of x > 0',
    hint: 'At the kink x = 0 the catalog follows PyTorch: relu_grad(0) = 0. Use (x > 0), not (x >= 0).',
    implementation: { reluGrad: (x) => x.map((v) => (v >= 0 ? 1 : 0)) },
  }),
];
