// Seed 004's training references agree with PyTorch: golden float64 values written by the committed generator
// fixtures/golden/generate_training.py (Debian's python3-torch 1.13) into fixtures/golden/training.json, each
// computed as the handout's code computes it, with torch's modules, DataLoader and optimizers:
//   - an epoch of a Linear(d, k) classifier under nn.CrossEntropyLoss with torch.optim.SGD or Adam (the loss over
//     the examples and the parameters after it), the accuracy (argmax over dim 1) and the data set's loss at the
//     starting parameters: train_epoch_loss, train_epoch_params, train_epoch_flat, classifier_accuracy,
//     dataset_cross_entropy;
//   - torch.cat of an MLP's parameters and a flat vector copied back into them: flatten_params, load_flat_params;
//   - Adam on nn.MSELoss of a Linear(d, h), Linear(h, d), Sigmoid autoencoder over flattened batches, per-epoch
//     losses: autoencoder_epoch_losses (d = 6, 16 and 784).
// The same comparisons are run on the catalog's named mistakes and on the reference off by a relative 1e-3, to show
// they reject them.
//
// Tolerance. Both sides are float64 and evaluate the same expressions in another order (torch's matmul kernels,
// log-softmax, Adam's fused arithmetic): a few ulps per operation over at most 12 steps. Each entry must agree
// within rtol 1e-9 and atol 1e-12 (the losses are of order 0.1 to 3, the parameters of order 1; the accuracy is
// a ratio of counts): far above the rounding, far below a named mistake or a relative 1e-3.

import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Matrix, Vector } from '../../src/numeric.ts';
import { type NumericTree, compare, tolerance } from '../../src/tolerance.ts';
import { runAutoencoder } from '../../reference/autoencoder.ts';
import * as ref from '../../reference/index.ts';
import { classifierAccuracyProblem, datasetLoss, trainEpoch } from '../classifier-training.suite.ts';
import { flattenParamsProblem, loadParamsProblem } from '../flat-params.suite.ts';
import { autoencoderTraining } from '../autoencoder.suite.ts';
import type { Problem } from '../../src/problem.ts';
import { type Implementation, type Oracle, describeOracle, wrong } from './oracle.ts';
import type { AutoencoderGoldenCase } from './autoencoder-golden.ts';

const GOLDEN = path.join(import.meta.dirname, '..', '..', 'fixtures', 'golden', 'training.json');

interface EpochGolden {
  readonly id: string;
  readonly regime: string;
  readonly W: Matrix;
  readonly b: Vector;
  readonly X: Matrix;
  readonly y: Vector;
  readonly batch_size: number;
  readonly optimizer: 'sgd' | 'adam';
  readonly lr: number;
  readonly accuracy: number;
  readonly dataset_loss: number;
  readonly epoch_loss: number;
  readonly params: [Matrix, Vector];
}

interface FlatGolden {
  readonly id: string;
  readonly sizes: number[];
  readonly weights: Matrix[];
  readonly biases: Vector[];
  readonly flat: Vector;
  readonly loaded: Vector;
  readonly loaded_params: (Matrix | Vector)[];
}

interface AutoencoderGolden extends AutoencoderGoldenCase {
  readonly regime: string;
  readonly epochs: number;
  readonly lr: number;
  readonly losses: Vector;
  /** [W1, b1, W2, b2] after training (the cases with d <= 16). */
  readonly params?: [Matrix, Vector, Matrix, Vector];
}

interface Golden {
  readonly generator: string;
  readonly torch: string;
  readonly dtype: string;
  readonly epochs: EpochGolden[];
  readonly flat: FlatGolden[];
  readonly autoencoders: AutoencoderGolden[];
}

const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;

const TOLERANCE = tolerance(1e-9, 1e-12, 'float64 against float64 in another order of operations: a few ulps per operation over at most 12 steps');

function oracle<I>(name: string, cases: readonly I[], compute: (c: I) => NumericTree): Oracle<I> {
  return { name, inputs: fc.constantFrom(...cases), compute, tolerance: () => TOLERANCE, numRuns: 50 };
}

/** The named mistakes of a problem that change `fn`, as wrong implementations of it. */
function mistakesOf<I>(problem: Problem, fn: keyof typeof ref, call: (impl: (...a: never[]) => unknown, c: I) => NumericTree) {
  return problem.mistakes.flatMap((m) => {
    const impl = m.implementation[fn] as ((...a: never[]) => unknown) | undefined;
    return impl ? [wrong<I>(`${problem.id}'s named mistake ${m.id}`, (c) => call(impl, c))] : [];
  });
}

// ---- an epoch, the accuracy, the data set's loss --------------------------------------------------------------

type EpochFn = (W: Matrix, b: Vector, X: Matrix, y: Vector, batchSize: number, lr: number, optimizer: string) => NumericTree;
const epochArgs = (c: EpochGolden) => [c.W, c.b, c.X, c.y, c.batch_size, c.lr, c.optimizer] as const;
const onEpoch = (f: (...a: never[]) => unknown, c: EpochGolden) => (f as unknown as EpochFn)(...epochArgs(c));
type DataFn = (W: Matrix, b: Vector, X: Matrix, y: Vector, batchSize: number) => number;
const onData = (f: (...a: never[]) => unknown, c: EpochGolden) => (f as unknown as DataFn)(c.W, c.b, c.X, c.y, c.batch_size);

const epochLoss = oracle('torch: sum of CrossEntropyLoss().item() * batch size over an epoch of optimizer steps, over n', golden.epochs, (c) => c.epoch_loss);
const epochParams = oracle('torch: list(model.parameters()) after the epoch', golden.epochs, (c) => c.params);
const epochFlat = oracle('torch: torch.cat(p.reshape(-1) for p in model.parameters()) after the epoch', golden.epochs, (c) => c.params.flat(2));
const accuracy = oracle('torch: (argmax(model(X), dim=1) == y).sum() over n', golden.epochs, (c) => c.accuracy);
const datasetLossOracle = oracle('torch: sum of CrossEntropyLoss().item() * batch size over the loader, over n', golden.epochs, (c) => c.dataset_loss);

const referenceOn = (fn: keyof typeof ref, on: typeof onEpoch): Implementation<EpochGolden> => (c) => on(ref[fn] as (...a: never[]) => unknown, c);

describe(`PyTorch golden values (torch ${golden.torch}, ${golden.dtype})`, () => {
  it('cover SGD and Adam, uneven and single batches, and 784-pixel autoencoders', () => {
    expect(new Set(golden.epochs.map((c) => c.optimizer))).toEqual(new Set(['sgd', 'adam']));
    expect(golden.epochs.some((c) => c.X.length % c.batch_size !== 0 && c.X.length > c.batch_size)).toBe(true);
    expect(golden.epochs.some((c) => c.batch_size >= c.X.length)).toBe(true);
    expect(golden.autoencoders.some((c) => c.images[0]!.length === 784)).toBe(true);
    expect(golden.autoencoders.some((c) => c.images.length % c.batch_size !== 0)).toBe(true);
  });

  it.each(golden.epochs.map((c) => [c.id, c] as const))('%s: every classifier reference agrees with PyTorch', (_, c) => {
    for (const [o, fn, on] of [
      [epochLoss, 'trainEpochLoss', onEpoch],
      [epochParams, 'trainEpochParams', onEpoch],
      [epochFlat, 'trainEpochFlat', onEpoch],
      [accuracy, 'classifierAccuracy', onData],
      [datasetLossOracle, 'datasetCrossEntropy', onData],
    ] as const) {
      const { ok, worst } = compare(referenceOn(fn, on)(c), o.compute(c), TOLERANCE);
      expect(ok, `${fn} on ${c.id}: worst entry ${JSON.stringify(worst)}`).toBe(true);
    }
  });
});

describeOracle('train_epoch_loss vs PyTorch', epochLoss, referenceOn('trainEpochLoss', onEpoch), mistakesOf(trainEpoch, 'trainEpochLoss', onEpoch));
describeOracle('train_epoch_params vs PyTorch', epochParams, referenceOn('trainEpochParams', onEpoch), mistakesOf(trainEpoch, 'trainEpochParams', onEpoch));
describeOracle('train_epoch_flat vs PyTorch', epochFlat, referenceOn('trainEpochFlat', onEpoch), mistakesOf(trainEpoch, 'trainEpochFlat', onEpoch));
describeOracle('classifier_accuracy vs PyTorch', accuracy, referenceOn('classifierAccuracy', onData), mistakesOf(classifierAccuracyProblem, 'classifierAccuracy', onData));
describeOracle('dataset_cross_entropy vs PyTorch', datasetLossOracle, referenceOn('datasetCrossEntropy', onData), mistakesOf(datasetLoss, 'datasetCrossEntropy', onData));

// ---- flat parameters ------------------------------------------------------------------------------------------

const flattenOracle = oracle('torch: torch.cat(p.reshape(-1) for p in model.parameters())', golden.flat, (c) => c.flat);
const loadOracle = oracle('torch: p.data.copy_(flat[i:i + n].view(p.size())) for p in model.parameters(), read back', golden.flat, (c) => c.loaded_params);
type FlattenFn = (weights: Matrix[], biases: Vector[]) => NumericTree;
type LoadFn = (sizes: number[], flat: Vector) => NumericTree;
const onFlatten = (f: (...a: never[]) => unknown, c: FlatGolden) => (f as unknown as FlattenFn)(c.weights, c.biases);
const onLoad = (f: (...a: never[]) => unknown, c: FlatGolden) => (f as unknown as LoadFn)(c.sizes, c.loaded);

describe('flat parameters: golden cases', () => {
  it.each(golden.flat.map((c) => [c.id, c] as const))('%s: flatten_params and load_flat_params agree with PyTorch', (_, c) => {
    expect(compare(ref.flattenParams(c.weights, c.biases), c.flat, TOLERANCE).ok).toBe(true);
    expect(compare(ref.loadFlatParams(c.sizes, c.loaded), c.loaded_params as NumericTree, TOLERANCE).ok).toBe(true);
  });
});

describeOracle('flatten_params vs PyTorch', flattenOracle, (c) => onFlatten(ref.flattenParams as never, c), mistakesOf(flattenParamsProblem, 'flattenParams', onFlatten));
describeOracle('load_flat_params vs PyTorch', loadOracle, (c) => onLoad(ref.loadFlatParams as never, c), mistakesOf(loadParamsProblem, 'loadFlatParams', onLoad));

// ---- the autoencoder ------------------------------------------------------------------------------------------

type AutoencoderFn = (W1: Matrix, b1: Vector, W2: Matrix, b2: Vector, images: Matrix, batchSize: number, epochs: number, lr: number) => NumericTree;
const onAutoencoder = (f: (...a: never[]) => unknown, c: AutoencoderGolden) => (f as unknown as AutoencoderFn)(c.W1, c.b1, c.W2, c.b2, c.images, c.batch_size, c.epochs, c.lr);
const autoencoderOracle = oracle('torch: per epoch, sum of MSELoss().item() * batch size of Adam steps on flattened batches, over n', golden.autoencoders, (c) => c.losses);

describe('the autoencoder: golden cases', () => {
  it.each(golden.autoencoders.map((c) => [c.id, c] as const))('%s: autoencoder_epoch_losses agrees with PyTorch, and so do the trained parameters', (_, c) => {
    const { ok, worst } = compare(onAutoencoder(ref.autoencoderEpochLosses as never, c), c.losses, TOLERANCE);
    expect(ok, JSON.stringify(worst)).toBe(true);
    if (c.params) {
      // Every Adam step, the last epoch's too (the losses see a step only through the batches after it).
      const { params } = runAutoencoder(c.W1, c.b1, c.W2, c.b2, c.images, c.batch_size, c.epochs, c.lr);
      const trained = compare(params, c.params.map((p) => p.flat()), TOLERANCE);
      expect(trained.ok, JSON.stringify(trained.worst)).toBe(true);
    }
  });
});

describeOracle('autoencoder_epoch_losses vs PyTorch', autoencoderOracle, (c) => onAutoencoder(ref.autoencoderEpochLosses as never, c), mistakesOf(autoencoderTraining, 'autoencoderEpochLosses', onAutoencoder));
