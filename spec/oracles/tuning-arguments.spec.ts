// The P2.2 reference (reference/tuning.ts) worked through by hand: its grid, the stand-in accuracies (k / n over the
// data set the search evaluates on, every k from 0 to n reachable), which setting a search keeps on a tie, and its
// argument errors by message. Found by Stryker (docs/mutation.md): the suite's checks ask how a search uses its
// accuracies, so the reference's own choices (the data set's n, the first best on a tie, keep: 'last') could be
// changed without a test failing.

import { describe, expect, it } from 'vitest';
import { HYPERPARAMETERS, REFERENCE_GRID, searchRecord, standInAccuracy, tuningRecord } from '../../reference/tuning.ts';

describe('the reference search', () => {
  it('is the handout-suggested grid: 2 depths x 3 learning rates x 2 batch sizes, the last varying fastest', () => {
    expect(REFERENCE_GRID).toHaveLength(12);
    expect(REFERENCE_GRID[0]).toEqual({ depth: 3, width: 40, learning_rate: 0.01, batch_size: 32, weight_decay: 1e-4, epochs: 10 });
    expect(REFERENCE_GRID[1]).toEqual({ ...REFERENCE_GRID[0], batch_size: 64 });
    expect(REFERENCE_GRID[11]).toEqual({ depth: 4, width: 40, learning_rate: 0.1, batch_size: 64, weight_decay: 1e-4, epochs: 10 });
  });

  it('a stand-in accuracy is k / n, every k from 0 to n reached', () => {
    const seen = new Set<number>();
    for (let seed = 0; seed < 400; seed++) {
      const acc = standInAccuracy(seed, 0, 'val_dataset', 3);
      expect([0, 1 / 3, 2 / 3, 1]).toContain(acc);
      seen.add(acc);
    }
    expect(seen.size).toBe(4);
  });

  it('accuracies on the data set evaluated on: multiples of 1/7 on a training set of 7, of 1/5 on a validation set of 5', () => {
    const onTrain = searchRecord(REFERENCE_GRID, 3, 7, 5, { evaluateOn: 'train_dataset', keep: 'best' });
    const onVal = searchRecord(REFERENCE_GRID, 3, 7, 5, { evaluateOn: 'val_dataset', keep: 'best' });
    const steps = (r: typeof onTrain, n: number) => r.runs.map((run) => run.evaluated[0]![1] * n).every((k) => Math.abs(k - Math.round(k)) < 1e-12);
    expect(steps(onTrain, 7) && onTrain.runs.every((r) => r.evaluated[0]![0] === 'train_dataset')).toBe(true);
    expect(steps(onVal, 5) && onVal.runs.every((r) => r.evaluated[0]![0] === 'val_dataset')).toBe(true);
    expect(onVal.runs.every((r) => r.trained_on.length === 1 && r.trained_on[0] === 'train_dataset' && r.evaluated[0]![2] === r.epochs)).toBe(true);
  });

  it('keeps the first setting of the best accuracy on a tie (Python\'s `if acc > best_acc`), or the last with keep: last', () => {
    // On a validation set of 1 example every accuracy is 0 or 1: ties everywhere.
    const record = searchRecord(REFERENCE_GRID, 11, 4, 1, { evaluateOn: 'val_dataset', keep: 'best' });
    const accuracies = record.runs.map((r) => r.evaluated[0]![1]);
    const first = accuracies.indexOf(Math.max(...accuracies));
    expect(accuracies.filter((a) => a === record.best_acc).length).toBeGreaterThan(1);
    expect(record.best_cfg).toEqual(HYPERPARAMETERS.map((k) => REFERENCE_GRID[first]![k]));
    const last = searchRecord(REFERENCE_GRID, 11, 4, 1, { evaluateOn: 'val_dataset', keep: 'last' });
    expect(last.best_cfg).toEqual(HYPERPARAMETERS.map((k) => REFERENCE_GRID[11]![k]));
  });

  it('an empty search keeps nothing', () => {
    expect(searchRecord([], 1, 4, 4, { evaluateOn: 'val_dataset', keep: 'best' })).toEqual({ runs: [], best_acc: -Infinity, best_cfg: [] });
  });

  it('names a data set size that is not a positive integer; 1 is accepted', () => {
    expect(() => tuningRecord(1, 0, 5, 1)).toThrow(/^n_train must be a positive integer, got 0/);
    expect(() => tuningRecord(1, 5, 1.5, 1)).toThrow(/^n_val must be a positive integer, got 1\.5/);
    expect(() => tuningRecord(1, 2.5, 5, 1)).toThrow(/^n_train must be a positive integer, got 2\.5/);
    expect(tuningRecord(1, 1, 1, 1).runs).toHaveLength(12);
  });
});
