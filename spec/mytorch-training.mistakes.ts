// The named mistakes of mytorch-sequential-sgd and mytorch-gradient-check (spec/mytorch-training.suite.ts): in a
// module of their own, so that a student's self-check replays their recorded answers without carrying their code.

import type { Matrix, Vector } from '../src/numeric.ts';
import type { Mistake } from '../src/problem.ts';
import { linearForward, reluBackward, reluForward, sequentialBackward, sgdUpdate } from '../reference/mytorch.ts';
import { mistake } from './subjects.ts';

type Params = (Matrix | Vector)[];

/**
 * Sequential.backward with the modules' backwards called first to last (each Linear and ReLU with the input it cached
 * in forward): the named mistake backward-in-forward-order. One width for every layer, so the shapes agree.
 */
function backwardInForwardOrder(weights: readonly Matrix[], biases: readonly Vector[], X: Matrix, G: Matrix): [Matrix, Params] {
  const linearInputs: Matrix[] = [X];
  const reluInputs: Matrix[] = [];
  weights.forEach((W, l) => {
    const z = linearForward(W, biases[l]!, linearInputs[l]!);
    if (l < weights.length - 1) {
      reluInputs.push(z);
      linearInputs.push(reluForward(z));
    }
  });
  const grads: Params = [];
  let g = G;
  weights.forEach((W, l) => {
    const x = linearInputs[l]!;
    grads.push(
      W.map((_, k) => x[0]!.map((_, j) => g.reduce((s, row, i) => s + row[k]! * x[i]![j]!, 0))),
      W.map((_, k) => g.reduce((s, row) => s + row[k]!, 0)),
    );
    g = g.map((row) => W[0]!.map((_, j) => row.reduce((s, gk, k) => s + gk * W[k]![j]!, 0)));
    if (l < weights.length - 1) g = reluBackward(reluInputs[l]!, g);
  });
  return [g, grads];
}

export const mytorchSequentialSgdMistakes: readonly Mistake[] = [
  mistake({
    id: 'backward-in-forward-order',
    title: "Sequential.backward calls the modules' backwards in forward order",
    hint: 'The gradient flows from the loss back to the input: for module in reversed(self.modules): grad = module.backward(grad).',
    implementation: {
      sequentialBackward: backwardInForwardOrder,
      trainStep: (weights, biases, X, G, lr) => sgdUpdate(weights.flatMap((W, l) => [W, biases[l]!]), backwardInForwardOrder(weights, biases, X, G)[1], lr),
    },
  }),
  mistake({
    id: 'gradients-out-of-order',
    title: "Linear.get_gradients() returns [db, dW] while get_parameters() returns [W, b]",
    hint: 'get_parameters() and get_gradients() must list the arrays in the same order ([W, b] and [dW, db]): SGD pairs them by position.',
    implementation: {
      sequentialBackward: (weights, biases, X, G) => {
        const [dX, grads] = sequentialBackward(weights, biases, X, G);
        return [dX, grads.map((_, i) => grads[i % 2 === 0 ? i + 1 : i - 1]!)];
      },
      trainStep: () => {
        throw new Error('operands could not be broadcast together');
      },
    },
  }),
  mistake({
    id: 'sgd-rebinds',
    title: 'SGD.step rebinds the loop variable (p = p - lr * g) instead of updating the array in place',
    hint: 'p = p - lr * g makes a new array and leaves the model\'s own unchanged: write p -= lr * g (or p[...] = p - lr * g).',
    implementation: {
      sgdUpdate: (params) => params.map((p) => structuredClone(p)),
      trainStep: (weights, biases) => weights.flatMap((W, l) => [structuredClone(W), [...biases[l]!]]),
    },
  }),
];

export const mytorchSequentialSgdPlantedMistakes: readonly Mistake[] = [
  mistake({
    id: 'forward-drops-last-module',
    title: 'Sequential.forward stops before the last module',
    hint: 'planted',
    implementation: {
      sequentialForward: (weights, biases, X) => weights.slice(0, -1).reduce((h, W, l) => linearForward(W, biases[l]!, l === 0 ? h : reluForward(h)), X),
    },
  }),
];

export const mytorchGradientCheckMistakes: readonly Mistake[] = [
  mistake({
    id: 'gradient-check-always-zero',
    title: 'gradient_check returns 0 whatever the gradients (the error is never computed or never compared)',
    hint: 'Compare the analytic gradients (model.get_gradients() after backward) with the central differences (f(p + eps) - f(p - eps)) / (2 eps) and return the largest relative error.',
    implementation: { gradientCheckError: () => 0 },
  }),
  mistake({
    id: 'perturbs-a-copy',
    title: 'gradient_check perturbs a copy of each parameter (p = p + eps), so the loss never changes and every numerical gradient is 0',
    hint: 'Change the parameter array in place (param[idx] += eps), evaluate the loss, and restore it (param[idx] = old): the model must see the change.',
    implementation: {
      // Every numerical gradient 0: ||a - 0|| / (||a|| + 0) = 1 (element-wise too).
      gradientCheckError: () => 1,
    },
  }),
];
