// hyperparam-tuning's checks on hand-written records: what a correct search may do (ties, constant hyperparameters
// left out of best_cfg, selection per epoch, a float32 copy of a learning rate, extra numbers such as a seed) passes,
// and each way of breaking a check fails it. The kill matrix (spec/mistakes.spec.ts) runs the named mistakes; these
// are the edges between them and a correct search.

import { describe, expect, it } from 'vitest';
import { runCheck } from '../src/runner.ts';
import { moduleSubject } from '../src/subject.ts';
import { type TuningRecord, type TuningRun, tuningRecord } from '../reference/tuning.ts';
import { hyperparamTuning } from './tuning.suite.ts';
import { TEST_SEED } from './seed.ts';

const run = (depth: number, lr: number, acc: number, extra: Partial<TuningRun> = {}): TuningRun => ({
  depth,
  width: 40,
  learning_rate: lr,
  batch_size: 32,
  weight_decay: 0,
  epochs: 10,
  trained_on: ['train_dataset'],
  evaluated: [['val_dataset', acc, 10]],
  ...extra,
});

/** Ten settings (depth 1..5 x learning rate 0.01, 0.1), depth 3 at 0.1 the best with 0.75. */
const runs = (): TuningRun[] => [1, 2, 3, 4, 5].flatMap((d) => [0.01, 0.1].map((lr) => run(d, lr, d === 3 && lr === 0.1 ? 0.75 : 0.25)));
const good: TuningRecord = { runs: runs(), best_acc: 0.75, best_cfg: [3, 0.1] };

/** The checks a record fails (the record is the same on every case). */
async function failedChecks(record: TuningRecord): Promise<string[]> {
  const subject = moduleSubject('record', { tuningRecord: () => record });
  const failed: string[] = [];
  for (const check of hyperparamTuning.checks) {
    const result = await runCheck(hyperparamTuning.id, check, subject, { seed: TEST_SEED, numRuns: 3 });
    if (!result.passed) failed.push(check.id);
  }
  return failed;
}

describe('hyperparam-tuning accepts every correct search', () => {
  it('the reference', async () => expect(await failedChecks(tuningRecord(1, 40, 20, 1))).toEqual([]));
  it('best_cfg with the varied hyperparameters only (width, batch size, decay and epochs were constant), and a seed besides', async () => {
    expect(await failedChecks({ ...good, best_cfg: [3, 0.1, 544] })).toEqual([]);
  });
  it('a tie: either of the best settings', async () => {
    const tied = runs().map((r) => (r.depth === 5 && r.learning_rate === 0.01 ? { ...r, evaluated: [['val_dataset', 0.75, 10]] as TuningRun['evaluated'] } : r));
    expect(await failedChecks({ ...good, runs: tied, best_cfg: [5, 0.01] })).toEqual([]);
    expect(await failedChecks({ ...good, runs: tied, best_cfg: [3, 0.1] })).toEqual([]);
  });
  it('a learning rate kept as float32, best_acc as a float32', async () => {
    expect(await failedChecks({ ...good, best_acc: Math.fround(0.75), best_cfg: [3, Math.fround(0.1)] })).toEqual([]);
  });
  it('selection per epoch: evaluated after each epoch, best_cfg holding the epoch of the best evaluation', async () => {
    const perEpoch = runs().map((r) => ({ ...r, epochs: 3, evaluated: [1, 2, 3].map((e) => ['val_dataset', e === 2 && r.depth === 3 && r.learning_rate === 0.1 ? 0.75 : 0.25, e] as const) }));
    expect(await failedChecks({ ...good, runs: perEpoch, best_cfg: [3, 0.1, 2] })).toEqual([]);
  });
  it('a model also evaluated on the training set (printed), selected on validation', async () => {
    const both = runs().map((r) => ({ ...r, evaluated: [['train_dataset', 1, 10] as const, ...r.evaluated] }));
    expect(await failedChecks({ ...good, runs: both })).toEqual([]);
  });
});

describe('hyperparam-tuning rejects each broken part', () => {
  it('nine settings, and a tenth model built but never trained', async () => {
    const nine = [...runs().slice(0, 9), run(9, 9, 0.1, { epochs: 0, evaluated: [] })];
    expect(await failedChecks({ ...good, runs: nine })).toEqual(['tries-ten-settings']);
  });
  it('ten models of one setting', async () => {
    const same = runs().map((r) => ({ ...r, depth: 3, learning_rate: 0.1 }));
    expect(await failedChecks({ ...good, runs: same, best_cfg: [3, 0.1] })).toContain('tries-ten-settings');
  });
  it('one model trained on train and validation data together', async () => {
    const mixed = runs().map((r, i) => (i === 4 ? { ...r, trained_on: ['other'] as const } : r));
    expect(await failedChecks({ ...good, runs: mixed })).toEqual(['trains-on-train-dataset']);
  });
  it('a model evaluated on val_dataset only before its training', async () => {
    const early = runs().map((r, i) => (i === 0 ? { ...r, evaluated: [['val_dataset', 0.25, 0]] as TuningRun['evaluated'] } : r));
    expect(await failedChecks({ ...good, runs: early })).toEqual(['evaluates-on-val-dataset']);
  });
  it('best_acc off by one validation example, or as a percentage', async () => {
    expect(await failedChecks({ ...good, best_acc: 0.75 - 1 / 20 })).toEqual(['returns-best-accuracy']);
    expect(await failedChecks({ ...good, best_acc: 75 })).toEqual(['returns-best-accuracy']);
  });
  it("best_cfg mixing two settings' values, or missing a varied hyperparameter", async () => {
    expect(await failedChecks({ ...good, best_cfg: [3, 0.01] })).toEqual(['returns-best-settings']);
    expect(await failedChecks({ ...good, best_cfg: [3] })).toEqual(['returns-best-settings']);
  });
});
