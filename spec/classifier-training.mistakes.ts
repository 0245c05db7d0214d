// The named mistakes of train-epoch, classifier-accuracy and dataset-loss (spec/classifier-training.suite.ts): in a
// module of their own, so that a student's self-check replays their recorded answers without carrying their code.

import type { Matrix, Vector } from '../src/numeric.ts';
import type { Mistake } from '../src/problem.ts';
import { batchCrossEntropies, classifierAccuracy, runEpoch } from '../reference/classifier-training.ts';
import { exampleMean } from '../reference/loader.ts';
import { linearForward } from '../reference/mytorch.ts';
import { mistake } from './subjects.ts';

/** The epoch without optimizer.zero_grad(): every step on the sum of the gradients so far. */
const epochWithoutZeroGrad = (W: Matrix, b: Vector, X: Matrix, y: Vector, batchSize: number, lr: number, optimizer: string) => runEpoch(W, b, X, y, batchSize, lr, optimizer, false);

export const trainEpochMistakes: readonly Mistake[] = [
  mistake({
    id: 'no-zero-grad',
    title: 'train_epoch never calls optimizer.zero_grad(): the gradients of every batch so far pile up in .grad',
    hint: 'backward() adds to .grad: call optimizer.zero_grad() before loss.backward() in every batch, so that each step uses that batch\'s gradient only.',
    implementation: {
      trainEpochLoss: (...args) => {
        return exampleMean(epochWithoutZeroGrad(...args).batches);
      },
      trainEpochParams: (...args) => {
        const run = epochWithoutZeroGrad(...args);
        return [run.W, run.b];
      },
      trainEpochFlat: (...args) => {
        const run = epochWithoutZeroGrad(...args);
        return [...run.W.flat(), ...run.b];
      },
    },
  }),
  mistake({
    id: 'last-batch-loss',
    title: "train_epoch returns the last batch's loss instead of the epoch's average",
    hint: 'Accumulate loss.item() * X.size(0) over the batches and divide by len(loader.dataset) after the loop.',
    implementation: {
      trainEpochLoss: (...args) => runEpoch(...args).batches.at(-1)!.value,
    },
  }),
];

export const classifierAccuracyMistakes: readonly Mistake[] = [
  mistake({
    id: 'max-values-not-argmax',
    title: 'evaluate compares the largest logits themselves (torch.max(logits, 1)[0]) with the labels, not their positions',
    hint: 'torch.max(logits, dim=1) returns (values, indices): the prediction is the index, torch.argmax(logits, dim=1).',
    implementation: {
      classifierAccuracy: (W, b, X, y) => linearForward(W, b, X).filter((row, i) => Math.max(...row) === y[i]).length / X.length,
    },
  }),
  mistake({
    id: 'accuracy-over-batch-count',
    title: 'evaluate divides the number of correct examples by the number of batches, not of examples',
    hint: 'Count the examples as you go (total += y.size(0)) and return correct / total; len(loader) is the number of batches.',
    implementation: {
      classifierAccuracy: (W, b, X, y, batchSize) => (classifierAccuracy(W, b, X, y, batchSize) * X.length) / Math.ceil(X.length / batchSize),
    },
  }),
];

export const datasetLossMistakes: readonly Mistake[] = [
  mistake({
    id: 'mean-of-batch-means',
    title: "compute_loss averages the batches' mean losses, which weighs the smaller last batch's examples more",
    hint: 'criterion returns the mean over the batch: add loss.item() * X.size(0) and divide by len(loader.dataset), not by the number of batches.',
    implementation: {
      datasetCrossEntropy: (...args) => {
        const batches = batchCrossEntropies(...args);
        return batches.reduce((s, p) => s + p.value, 0) / batches.length;
      },
    },
  }),
  mistake({
    id: 'loss-over-batch-count',
    title: 'compute_loss sums loss.item() * X.size(0) but divides by the number of batches, not of examples',
    hint: 'len(loader) counts batches; the examples are len(loader.dataset).',
    implementation: {
      datasetCrossEntropy: (...args) => {
        const batches = batchCrossEntropies(...args);
        return batches.reduce((s, p) => s + p.value * p.size, 0) / batches.length;
      },
    },
  }),
];
