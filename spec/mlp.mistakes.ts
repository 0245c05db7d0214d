// The named mistakes of mlp-backprop (spec/mlp.suite.ts): in a module of their own, so that a student's self-check
// replays their recorded answers without carrying their code.

import { type Matrix, type Vector, transpose } from '../src/numeric.ts';
import type { Mistake } from '../src/problem.ts';
import { sigmoid } from '../reference/activations.ts';
import { backprop, forwardPass } from '../reference/mlp.ts';
import { backpropWithSlope } from './mlp.variants.ts';
import { mistake } from './subjects.ts';

/** feed_forward as the reference, with the loss and probabilities computed from the logits by `head`. */
function feedForwardWithHead(head: (logits: Vector, y: number) => [number, Vector]) {
  return (weights: Matrix[], biases: Vector[], x: Vector, y: number): [number, Vector] => head(forwardPass(weights, biases, x).zs.at(-1)!, y);
}

export const mlpBackpropMistakes: readonly Mistake[] = [
  mistake({
    id: 'feed-forward-no-max-subtraction',
    title: 'feed_forward computes exp(logits) without subtracting the max: NaN once a logit passes 709',
    hint: 'Softmax is unchanged by a shift: use exp(z - max(z)) / sum(exp(z - max(z))), and the loss max(z) + log(sum(exp(z - max(z)))) - z[y].',
    implementation: {
      feedForward: feedForwardWithHead((z, y) => {
        const e = z.map(Math.exp);
        const total = e.reduce((s, v) => s + v, 0);
        return [-Math.log(e[y]! / total), e.map((v) => v / total)];
      }),
    },
  }),
  mistake({
    id: 'sigmoid-output-layer',
    title: 'the output layer uses sigmoid like the hidden layers: probs do not sum to 1',
    hint: 'Only the hidden layers are sigmoid; the last layer is a softmax, probs = exp(z) / sum(exp(z)) (max subtracted), so that the probabilities sum to 1.',
    implementation: {
      feedForward: feedForwardWithHead((z, y) => {
        const probs = sigmoid(z);
        return [-Math.log(probs[y]!), probs];
      }),
    },
  }),
  mistake({
    id: 'sigmoid-instead-of-derivative',
    title: "backprop multiplies by sigmoid(z) instead of sigmoid'(z)",
    hint: "Going back through a sigmoid layer multiplies by its derivative: delta_prev = (W @ delta) * sigmoid(z_prev) * (1 - sigmoid(z_prev)).",
    implementation: { backprop: backpropWithSlope(sigmoid) },
  }),
  mistake({
    id: 'missing-bias-gradient',
    title: 'bias gradients left at zero',
    hint: 'dL/db_l is the layer\'s delta itself (the bias enters z = a @ W + b with coefficient 1): bias_grads[l] = delta_l.',
    implementation: {
      backprop: (weights, biases, x, y) => {
        const [dW, db] = backprop(weights, biases, x, y);
        return [dW, db.map((b) => b.map(() => 0))];
      },
    },
  }),
  mistake({
    id: 'transposed-weight-gradient',
    title: 'weight gradients transposed: (n_out, n_in) instead of the (n_in, n_out) of W',
    hint: 'With z = a @ W + b, dL/dW = outer(a, delta) = a[:, None] * delta[None, :], of shape (n_in, n_out) like W; delta @ a.T or outer(delta, a) gives the transpose.',
    implementation: {
      backprop: (weights, biases, x, y) => {
        const [dW, db] = backprop(weights, biases, x, y);
        return [dW.map(transpose), db];
      },
    },
  }),
];
