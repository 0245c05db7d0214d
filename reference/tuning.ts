// Seed 004's P2.2: hyperparam_tuning(train_dataset, val_dataset, seed=541) -> (best_cfg, best_acc) trains a model
// per hyperparameter setting on train_dataset, measures its accuracy on val_dataset, and returns the settings of
// the most accurate one with that accuracy. What is graded is the search, not the training (train_epoch and
// evaluate are P2.1's problems): the adapter records what the student's function did while it ran (each model
// tried: depth, width, learning rate, batch size, epochs, the weight matrices' L2 strength, the data sets it was
// trained and evaluated on, each accuracy) and what it returned. The record, in numbers and names:
//
//   runs: one per model, in the order built: { depth, width, learning_rate, batch_size, weight_decay, epochs,
//         trained_on: the data sets of its train_epoch loaders, evaluated: [data set, accuracy, epochs so far] per
//         evaluate call }; data sets are 'train_dataset', 'val_dataset' or 'other'
//   best_acc: the accuracy returned; best_cfg: the numbers best_cfg holds, in order, whatever its keys.
//
// The reference is a grid search over 12 settings (depth x learning rate x batch size, as the handout suggests
// them). Its training is a stand-in: a setting's accuracy is a count of correct examples out of the data set's n,
// drawn from the case's seed and the setting (the checks ask how the search uses accuracies, whatever they are).

import { Rng, hashSeed } from '../src/rng.ts';

export type DatasetName = 'train_dataset' | 'val_dataset' | 'other';

export type TuningRun = {
  readonly depth: number;
  readonly width: number;
  readonly learning_rate: number;
  readonly batch_size: number;
  readonly weight_decay: number;
  readonly epochs: number;
  readonly trained_on: readonly DatasetName[];
  readonly evaluated: readonly (readonly [DatasetName, number, number])[];
};

export type TuningRecord = {
  readonly runs: readonly TuningRun[];
  readonly best_acc: number;
  readonly best_cfg: readonly number[];
};

/** One setting of the hyperparameters the handout lists (the run's fields that are not data sets or results). */
export type TuningSetting = Pick<TuningRun, 'depth' | 'width' | 'learning_rate' | 'batch_size' | 'weight_decay' | 'epochs'>;

/** The hyperparameters of a setting, in the order a best_cfg of the reference holds them. */
export const HYPERPARAMETERS = ['depth', 'width', 'learning_rate', 'batch_size', 'weight_decay', 'epochs'] as const;

/** Every combination of the given values, the last key varying fastest (itertools.product). */
export function grid(values: { readonly [K in keyof TuningSetting]: readonly number[] }): TuningSetting[] {
  return HYPERPARAMETERS.reduce<TuningSetting[]>(
    (settings, key) => settings.flatMap((s) => values[key].map((v) => ({ ...s, [key]: v }))),
    [{} as TuningSetting],
  );
}

/** The reference's search: 2 depths x 3 learning rates x 2 batch sizes, the handout's suggested values. */
export const REFERENCE_GRID: readonly TuningSetting[] = grid({
  depth: [3, 4],
  width: [40],
  learning_rate: [0.01, 0.05, 0.1],
  batch_size: [32, 64],
  weight_decay: [1e-4],
  epochs: [10],
});

/** The stand-in for training setting `index` and evaluating it on a data set of n examples: k / n. */
export function standInAccuracy(seed: number, index: number, dataset: DatasetName, n: number): number {
  return Math.floor(new Rng(hashSeed('tuning-accuracy', seed, index, dataset)).uniform() * (n + 1)) / n;
}

/** How a search selects: on which data set it evaluates, and whether it keeps the best setting or the last. */
export interface SearchOptions {
  readonly evaluateOn: DatasetName;
  readonly keep: 'best' | 'last';
}

/** The record of a search over `settings`: each trained on train_dataset, evaluated once after its epochs. */
export function searchRecord(settings: readonly TuningSetting[], seed: number, nTrain: number, nVal: number, options: SearchOptions): TuningRecord {
  let best: { acc: number; setting?: TuningSetting } = { acc: -Infinity };
  const runs = settings.map((setting, index): TuningRun => {
    const acc = standInAccuracy(seed, index, options.evaluateOn, options.evaluateOn === 'train_dataset' ? nTrain : nVal);
    if (acc > best.acc) best = { acc, setting };
    return { ...setting, trained_on: ['train_dataset'], evaluated: [[options.evaluateOn, acc, setting.epochs]] };
  });
  const kept = options.keep === 'best' ? best.setting : settings.at(-1);
  return { runs, best_acc: best.acc, best_cfg: kept ? HYPERPARAMETERS.map((k) => kept[k]) : [] };
}

function requireSizes(nTrain: number, nVal: number): void {
  for (const [name, n] of [['n_train', nTrain], ['n_val', nVal]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${n}`);
  }
}

/**
 * What hyperparam_tuning does on the case's stand-in data sets (the adapter builds them from seed, n_train,
 * n_val and the class means' separation; the reference's stand-in training ignores the separation).
 */
export function tuningRecord(seed: number, nTrain: number, nVal: number, _separation: number): TuningRecord {
  requireSizes(nTrain, nVal);
  return searchRecord(REFERENCE_GRID, seed, nTrain, nVal, { evaluateOn: 'val_dataset', keep: 'best' });
}
