// The minibatch helpers of seed 004's P2.1, one problem each (the handout gives each a point):
//   train-epoch          train_epoch(model, loader, criterion, optimizer) -> (avg_loss, flat_params)
//   classifier-accuracy  evaluate(model, loader) -> accuracy
//   dataset-loss         compute_loss(model, loader, criterion) -> cross-entropy averaged over the n examples
// The catalog states the model and the data in numbers (reference/classifier-training.ts): a Linear(d, k) with
// weights W (k, d) and bias b, rows X with integer labels y, DataLoader(TensorDataset(X, y), batch_size,
// shuffle=False), nn.CrossEntropyLoss(), and for an epoch torch.optim.SGD(lr) or torch.optim.Adam(lr); an adapter
// builds those torch objects, calls the student's function and answers in numbers (train_epoch's two values,
// and the model's parameters after it, as three catalog functions).
//
// Every case has at least two batches and a smaller last one (n = q * batch_size + r, 0 < r < batch_size): a
// mean of batch means, a count divided by the number of batches, the last batch's loss or gradients that pile up
// without zero_grad() all differ from the right answer there. Entries are drawn from a seeded generator on the
// grid 0.01, |x| in [0.1, 2], so no gradient cancels exactly, and each row's largest logit leads the next by at
// least 0.01, so argmax has no near-ties that float32 could flip. Labels are the row's argmax half of the time, so
// accuracies spread over [0, 1].
//
// Tolerances, from the computation in float32 (torch's default dtype, what the adapter's model holds), measured
// against the same computation in float64 on 3000 cases drawn as here (torch 1.13):
// - the loss of an epoch of at most 4 SGD (lr 0.1, 0.5) or Adam (lr 0.01, 0.1) steps: 2.2e-7 relative at most; the
//   parameters after it: 5e-7 absolute at most (Adam's normalised step lr m / (sqrt(v) + eps) carries the relative
//   rounding of its moments). rtol 1e-4 and atol 1e-5 leave 70x (the float32 floor every float32 answer gets),
//   while the named mistakes are off by more than 1e-2 on these inputs.
// - the accuracy is a count over n: exact but for the division (rtol 1e-9).
// - the cross-entropy over <= 11 examples: 2.2e-7 relative at most; rtol 1e-5, atol 1e-6.

import fc from 'fast-check';
import { callLike, expectClose, matchesOracle } from '../src/laws.ts';
import type { Matrix, Vector } from '../src/numeric.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import { Rng, hashSeed } from '../src/rng.ts';
import { tolerance } from '../src/tolerance.ts';
import {
  classifierAccuracy,
  datasetCrossEntropy,
  trainEpochFlat,
  trainEpochLoss,
  trainEpochParams,
} from '../reference/classifier-training.ts';
import { linearForward } from '../reference/mytorch.ts';
import { classifierAccuracyMistakes, datasetLossMistakes, trainEpochMistakes } from './classifier-training.mistakes.ts';

export const CLASSIFIER_TOLERANCES = {
  epoch: tolerance(1e-4, 1e-5, 'float32 torch over one epoch of at most 4 SGD or Adam steps: measured at most 2.2e-7 relative (loss) and 5e-7 absolute (parameters) against float64'),
  accuracy: tolerance(1e-9, 0, 'a count of correct examples over n: exact but for the division'),
  loss: tolerance(1e-5, 1e-6, 'float32 cross-entropy of at most 11 examples: measured at most 2.2e-7 relative against float64'),
} as const;

// ---- the cases ---------------------------------------------------------------------------------------------

export interface ClassifierCase {
  readonly W: Matrix;
  readonly b: Vector;
  readonly X: Matrix;
  readonly y: Vector;
  readonly batchSize: number;
}

export interface EpochCase extends ClassifierCase {
  readonly lr: number;
  readonly optimizer: 'sgd' | 'adam';
}

/** Generic entries on the grid 0.01: a random sign times [lo, hi]. */
const entry = (rng: Rng, lo: number, hi: number): number => (rng.uniform() < 0.5 ? -1 : 1) * Math.round(rng.uniformIn(lo, hi) * 100) / 100;

/** The gap between the largest logit of a row and the next: rows closer than this are drawn again. */
const MIN_MARGIN = 0.01;

function margin(row: Vector): number {
  const sorted = [...row].sort((a, b) => b - a);
  return sorted[0]! - sorted[1]!;
}

function buildCase(seed: number, d: number, k: number, batchSize: number, n: number): ClassifierCase {
  const rng = new Rng(hashSeed('classifier-case', seed, d, k, batchSize, n));
  const W = Array.from({ length: k }, () => Array.from({ length: d }, () => entry(rng, 0.1, 1)));
  const b = Array.from({ length: k }, () => entry(rng, 0.1, 0.5));
  const X: Matrix = [];
  const y: Vector = [];
  while (X.length < n) {
    const x = Array.from({ length: d }, () => entry(rng, 0.1, 2));
    const logits = linearForward(W, b, [x])[0]!;
    if (margin(logits) < MIN_MARGIN) continue;
    X.push(x);
    y.push(rng.uniform() < 0.5 ? logits.indexOf(Math.max(...logits)) : rng.int(k));
  }
  return { W, b, X, y, batchSize };
}

/** d, k in 2..4 features and classes; batches of 2..4, one or two full ones and a smaller last one. */
export const classifierCase: fc.Arbitrary<ClassifierCase> = fc
  .record({
    // A smaller seed is no simpler case: shrinking works on the sizes.
    seed: fc.noShrink(fc.integer({ min: 0, max: 2 ** 31 - 1 })),
    d: fc.integer({ min: 2, max: 4 }),
    k: fc.integer({ min: 2, max: 4 }),
    batchSize: fc.integer({ min: 2, max: 4 }),
    full: fc.integer({ min: 1, max: 2 }),
    rest: fc.nat(),
  })
  .map(({ seed, d, k, batchSize, full, rest }) => buildCase(seed, d, k, batchSize, full * batchSize + 1 + (rest % (batchSize - 1))));

/** The optimizers and learning rates of an epoch: torch.optim.SGD(lr) and torch.optim.Adam(lr). */
const OPTIMIZERS = [
  { optimizer: 'sgd', lr: 0.1 },
  { optimizer: 'sgd', lr: 0.5 },
  { optimizer: 'adam', lr: 0.01 },
  { optimizer: 'adam', lr: 0.1 },
] as const;

export const epochCase: fc.Arbitrary<EpochCase> = fc.tuple(classifierCase, fc.constantFrom(...OPTIMIZERS)).map(([c, o]) => ({ ...c, ...o }));

const dataArgs = ({ W, b, X, y, batchSize }: ClassifierCase) => [W, b, X, y, batchSize];
const epochArgs = (c: EpochCase) => [...dataArgs(c), c.lr, c.optimizer];

// ---- train-epoch -------------------------------------------------------------------------------------------

const EPOCH_SIGNATURE = '(W, b, X, y, batch_size, lr, optimizer)';

export const trainEpoch: Problem = {
  id: 'train-epoch',
  title: "train_epoch(model, loader, criterion, optimizer): one pass over the loader's batches in order (zero_grad, forward, loss, backward, step), returning the mean loss over the examples and the parameters flattened",
  source: 'seed 004, problem 2.1',
  signatures: [`train_epoch_loss${EPOCH_SIGNATURE}`, `train_epoch_params${EPOCH_SIGNATURE}`, `train_epoch_flat${EPOCH_SIGNATURE}`],
  intArgs: { train_epoch_loss: [3], train_epoch_params: [3], train_epoch_flat: [3] },
  checks: [
    matchesOracle({
      id: 'average-loss',
      title: "avg_loss is the cross-entropy averaged over the n examples, each batch's loss taken before its step (the batch's mean times its size, summed, over n)",
      arbitrary: epochCase,
      fn: 'train_epoch_loss',
      args: epochArgs,
      oracle: (c) => trainEpochLoss(c.W, c.b, c.X, c.y, c.batchSize, c.lr, c.optimizer),
      tolerance: CLASSIFIER_TOLERANCES.epoch,
    }),
    matchesOracle({
      id: 'parameters-after-the-epoch',
      title: "after the epoch the model's parameters are those of one optimizer step per batch, in the loader's order, each on that batch's gradient alone",
      arbitrary: epochCase,
      fn: 'train_epoch_params',
      args: epochArgs,
      oracle: (c) => trainEpochParams(c.W, c.b, c.X, c.y, c.batchSize, c.lr, c.optimizer),
      tolerance: CLASSIFIER_TOLERANCES.epoch,
    }),
    defineCheck({
      id: 'returns-the-trained-parameters',
      title: "flat_params holds every parameter of the model after the epoch, in one flat vector (compared as sorted values: the order is extract_model_params's, graded on its own)",
      arbitrary: epochCase,
      tolerance: CLASSIFIER_TOLERANCES.epoch,
      comparesWithReference: ['train_epoch_flat'],
      run: async (subject, c, context) => {
        const expected = trainEpochFlat(c.W, c.b, c.X, c.y, c.batchSize, c.lr, c.optimizer);
        const { call, value } = await callLike(subject, 'train_epoch_flat', epochArgs(c), expected);
        const ascending = (v: readonly number[]) => [...v].sort((a, b) => a - b);
        expectClose(ascending(value as number[]), ascending(expected), context.tol(CLASSIFIER_TOLERANCES.epoch), {
          message: "the second value train_epoch returns, sorted, equals the trained parameters sorted: return the parameters after the epoch's steps, all of them, flattened",
          call,
        });
      },
    }),
  ],
  mistakes: trainEpochMistakes,
};

// ---- classifier-accuracy -----------------------------------------------------------------------------------

export const classifierAccuracyProblem: Problem = {
  id: 'classifier-accuracy',
  title: 'evaluate(model, loader): the fraction of the examples whose largest logit is at their label (argmax over the classes), counted over the whole data set',
  source: 'seed 004, problem 2.1',
  signatures: ['classifier_accuracy(W, b, X, y, batch_size)'],
  intArgs: { classifier_accuracy: [3] },
  checks: [
    matchesOracle({
      id: 'accuracy',
      title: 'evaluate returns the number of examples with argmax(logits, dim=1) == label, over the number of examples n',
      arbitrary: classifierCase,
      fn: 'classifier_accuracy',
      args: dataArgs,
      oracle: (c) => classifierAccuracy(c.W, c.b, c.X, c.y, c.batchSize),
      tolerance: CLASSIFIER_TOLERANCES.accuracy,
    }),
  ],
  mistakes: classifierAccuracyMistakes,
};

// ---- dataset-loss ------------------------------------------------------------------------------------------

export const datasetLoss: Problem = {
  id: 'dataset-loss',
  title: 'compute_loss(model, loader, criterion): the cross-entropy averaged over the n examples, whatever the batches (the last one may be smaller)',
  source: 'seed 004, problem 2.1 (used by problem 3)',
  signatures: ['dataset_cross_entropy(W, b, X, y, batch_size)'],
  intArgs: { dataset_cross_entropy: [3] },
  checks: [
    matchesOracle({
      id: 'mean-over-examples',
      title: 'compute_loss returns -1/n sum_i log softmax(logits_i)[y_i]: each batch\'s mean loss times its size, summed, over n',
      arbitrary: classifierCase,
      fn: 'dataset_cross_entropy',
      args: dataArgs,
      oracle: (c) => datasetCrossEntropy(c.W, c.b, c.X, c.y, c.batchSize),
      tolerance: CLASSIFIER_TOLERANCES.loss,
    }),
  ],
  mistakes: datasetLossMistakes,
};
