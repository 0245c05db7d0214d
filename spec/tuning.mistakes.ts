// The named mistakes of hyperparam-tuning, and its planted variant (spec/tuning.suite.ts): in a module of their own, so
// that a student's self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { REFERENCE_GRID, type SearchOptions, type TuningRecord, grid, searchRecord } from '../reference/tuning.ts';
import { mistake } from './subjects.ts';

/** The reference's selection: evaluate on val_dataset, keep the best. */
const BEST_ON_VAL: SearchOptions = { evaluateOn: 'val_dataset', keep: 'best' };

/** The reference's record, changed by a mistake (given the case's seed and sizes too). */
const referenceWith = (change: (record: TuningRecord, seed: number, nTrain: number, nVal: number) => TuningRecord) =>
  (seed: number, nTrain: number, nVal: number) => change(searchRecord(REFERENCE_GRID, seed, nTrain, nVal, BEST_ON_VAL), seed, nTrain, nVal);

export const hyperparamTuningMistakes: readonly Mistake[] = [
  mistake({
    id: 'too-few-settings',
    title: 'the search tries fewer than 10 settings (a 3 x 2 grid: 6)',
    hint: 'The handout asks for at least 10 settings in total: widen the grid (itertools.product over more values) or draw 10 or more random configurations.',
    implementation: {
      tuningRecord: (seed: number, nTrain: number, nVal: number) =>
        searchRecord(grid({ depth: [3, 4, 5], width: [40], learning_rate: [0.01, 0.1], batch_size: [64], weight_decay: [0], epochs: [10] }), seed, nTrain, nVal, BEST_ON_VAL),
    },
  }),
  mistake({
    id: 'selects-on-training-accuracy',
    title: 'the settings are compared by their accuracy on the training set (evaluate on the train loader), not on val_dataset',
    hint: 'Evaluate each trained model on a DataLoader over val_dataset and keep the setting with the best validation accuracy: the training accuracy rewards overfitting.',
    implementation: {
      tuningRecord: (seed: number, nTrain: number, nVal: number) => searchRecord(REFERENCE_GRID, seed, nTrain, nVal, { evaluateOn: 'train_dataset', keep: 'best' }),
    },
  }),
  mistake({
    id: 'returns-last-not-best',
    title: 'best_cfg is the last setting tried, not the best one (its assignment sits outside the `if acc > best_acc:`)',
    hint: 'Update best_cfg together with best_acc, inside the `if current_accuracy > best_acc:` block.',
    implementation: {
      tuningRecord: referenceWith((record, ...sizes) => ({ ...record, best_cfg: searchRecord(REFERENCE_GRID, ...sizes, { ...BEST_ON_VAL, keep: 'last' }).best_cfg })),
    },
  }),
];

export const hyperparamTuningPlantedMistakes: readonly Mistake[] = [
  mistake({
    id: 'trains-on-validation-set',
    title: 'planted: every model is trained on val_dataset',
    hint: 'Not priced: shows that trains-on-train-dataset can fail (no seed solution trains on the validation set).',
    implementation: {
      tuningRecord: referenceWith((record) => ({ ...record, runs: record.runs.map((run) => ({ ...run, trained_on: ['val_dataset'] as const })) })),
    },
  }),
];
