// The reference of mlp-forward-sample and mlp-train-sample on the sample divided by a divisor: the suite's
// pixels-over-255 convention (spec/mlp-sample.suite.ts) and the named mistakes (spec/mlp-sample.mistakes.ts) build
// on it, so it has a module of its own that both import.

import type { Matrix, Vector } from '../src/numeric.ts';

type Train = (weights: Matrix[], biases: Vector[], sample: Vector, y: number, learningRate?: number) => [Matrix[], Vector[]];
type Gradients = (weights: Matrix[], biases: Vector[], x: Vector, y: number) => [Matrix[], Vector[]];

/** feed_forward_sample on the sample divided by `divisor` (1: as given). */
export const scaledForward =
  <T>(divisor: number, forward: (weights: Matrix[], biases: Vector[], x: Vector, y: number) => T) =>
  (weights: Matrix[], biases: Vector[], sample: Vector, y: number): T =>
    forward(weights, biases, divisor === 1 ? sample : sample.map((p) => p / divisor), y);

/** One step from the gradients `grads` gives, updated by `update` (p - lr g, the reference's). */
export function stepWith(divisor: number, grads: Gradients, update = (p: number, g: number, lr: number) => p - lr * g): Train {
  return (weights, biases, sample, y, learningRate = 0.003) => {
    const [dW, db] = grads(weights, biases, divisor === 1 ? sample : sample.map((p) => p / divisor), y);
    return [weights.map((W, l) => W.map((row, i) => row.map((w, j) => update(w, dW[l]![i]![j]!, learningRate)))), biases.map((b, l) => b.map((v, j) => update(v, db[l]![j]!, learningRate)))];
  };
}
