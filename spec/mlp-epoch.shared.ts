// The reference epoch of mlp-train-epoch on the samples divided by a divisor, in a given order: the suite's
// pixels-over-255 convention (spec/mlp-epoch.suite.ts) and the named mistakes (spec/mlp-epoch.mistakes.ts) build on
// it, so it has a module of its own that both import.

import type { Matrix, Vector } from '../src/numeric.ts';
import { trainOneEpoch } from '../reference/mlp.ts';

type Epoch = (weights: Matrix[], biases: Vector[], xTrain: Matrix, yTrain: Vector, learningRate?: number) => [Matrix[], Vector[]];

/** The epoch on the data set divided by `divisor`, in the order `order`. */
export const scaledEpoch =
  (divisor: number, steps: (n: number) => number[] = (n) => Array.from({ length: n }, (_, i) => i), rate?: number): Epoch =>
  (weights, biases, xTrain, yTrain, learningRate = 0.003) =>
    trainOneEpoch(weights, biases, divisor === 1 ? xTrain : xTrain.map((s) => s.map((p) => p / divisor)), yTrain, rate ?? learningRate, steps(xTrain.length));
