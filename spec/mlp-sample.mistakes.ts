// The named mistakes of mlp-forward-sample and mlp-train-sample, under either input scale (spec/mlp-sample.suite.ts):
// in a module of their own, so that a student's self-check replays their recorded answers without carrying their code.

import { type Matrix, type Vector, transpose } from '../src/numeric.ts';
import type { Mistake } from '../src/problem.ts';
import { sigmoid } from '../reference/activations.ts';
import { argmax, backprop, feedForward, feedForwardSample, forwardPass, oneHot } from '../reference/mlp.ts';
import { softmax } from '../reference/softmax.ts';
import { scaledForward, stepWith } from './mlp-sample.shared.ts';
import { backpropWithSlope } from './mlp.variants.ts';
import { mistake } from './subjects.ts';

/** The logits through a sigmoid before the softmax: the output layer treated as one more hidden layer. */
function sigmoidBeforeSoftmax(weights: Matrix[], biases: Vector[], x: Vector, y: number): [number, Vector] {
  const probs = softmax(sigmoid(forwardPass(weights, biases, x).zs.at(-1)!));
  return [-Math.log(probs[y]!), oneHot(argmax(probs), probs.length)];
}

/** (n_out, n_in) = delta a^T, reshaped (row-major, as numpy) to W's (n_in, n_out) instead of transposed. */
function reshapedWeightGradients(weights: Matrix[], biases: Vector[], x: Vector, y: number): [Matrix[], Vector[]] {
  const [dW, db] = backprop(weights, biases, x, y);
  return [
    dW.map((g) => {
      const flat = transpose(g).flat();
      const cols = g[0]!.length;
      return g.map((_, i) => flat.slice(i * cols, (i + 1) * cols));
    }),
    db,
  ];
}

function mistakesFor(divisor: number) {
  const forward = (f: (weights: Matrix[], biases: Vector[], x: Vector, y: number) => [number, Vector]) => scaledForward(divisor, f);
  return {
    forward: [
      mistake({
        id: 'guess-is-probabilities',
        title: 'feed_forward_sample returns the output probabilities y_hat as the guess, not the one-hot vector of the most likely class',
        hint: "The second value is integer_to_one_hot(np.argmax(y_hat), 10): feed_forward_dataset compares it with the one-hot labels to count the correct guesses.",
        implementation: { feedForwardSample: forward((W, b, x, y) => feedForward(W, b, x, y)) },
      }),
      mistake({
        id: 'guess-is-index',
        title: 'feed_forward_sample returns the class index np.argmax(y_hat) as the guess, not its one-hot vector',
        hint: 'feed_forward_dataset stores the guess in a row of one_hot_guesses (10 entries): return integer_to_one_hot(np.argmax(y_hat), 10).',
        implementation: {
          // An index where the reference returns a vector: the answer has another shape, as the student's.
          feedForwardSample: scaledForward(divisor, (W, b, x, y) => {
            const [loss, probs] = feedForward(W, b, x, y);
            return [loss, argmax(probs)];
          }) as unknown as typeof feedForwardSample,
        },
      }),
      mistake({
        id: 'sigmoid-before-softmax',
        title: 'the output layer goes through sigmoid before the softmax (every layer sigmoid, then softmax)',
        hint: 'Only the hidden layers are sigmoid: loop over range(len(weights) - 1), then y_hat = softmax(a @ weights[-1] + biases[-1]) on the raw logits.',
        implementation: { feedForwardSample: forward(sigmoidBeforeSoftmax) },
      }),
    ],
    train: [
      mistake({
        id: 'sigmoid-instead-of-derivative',
        title: "backprop multiplies by sigmoid(z) instead of sigmoid'(z) = dsigmoid(z)",
        hint: "Going back through a sigmoid layer multiplies by its derivative: delta = (weights[i] @ delta) * dsigmoid(zs[i - 1]).",
        implementation: { trainOneSample: stepWith(divisor, backpropWithSlope(sigmoid)) },
      }),
      mistake({
        id: 'weight-gradient-reshaped',
        title: 'the weight gradient built as delta a^T, (n_out, n_in), and reshaped to the (n_in, n_out) of W instead of transposed',
        hint: 'With z = a @ W + b, dL/dW = np.outer(a, delta), (n_in, n_out) like W; reshape() keeps the order of the entries, so it scrambles a transposed matrix: use .T.',
        implementation: { trainOneSample: stepWith(divisor, reshapedWeightGradients) },
      }),
      mistake({
        id: 'update-sign-flipped',
        title: 'the step goes up the gradient: weights[i] += learning_rate * gradient',
        hint: 'Gradient descent subtracts: weights[i] -= learning_rate * weight_grads[i] (and the same for the biases).',
        implementation: { trainOneSample: stepWith(divisor, backprop, (p, g, lr) => p + lr * g) },
      }),
      mistake({
        id: 'bias-not-updated',
        title: 'train_one_sample updates the weights but leaves the biases as they were',
        hint: 'dL/db of a layer is its delta: biases[i] -= learning_rate * delta as well.',
        implementation: {
          trainOneSample: (weights: Matrix[], biases: Vector[], sample: Vector, y: number, learningRate?: number) => [stepWith(divisor, backprop)(weights, biases, sample, y, learningRate)[0], biases],
        },
      }),
    ],
  };
}

export const rawPixelForwardMistakes: readonly Mistake[] = mistakesFor(1).forward;
export const rawPixelTrainMistakes: readonly Mistake[] = mistakesFor(1).train;
export const pixelsOver255ForwardMistakes: readonly Mistake[] = mistakesFor(255).forward;
export const pixelsOver255TrainMistakes: readonly Mistake[] = mistakesFor(255).train;
