// hyperparam-tuning (seed 004, P2.2, 5 points): hyperparam_tuning(train_dataset, val_dataset, seed=541) ->
// (best_cfg, best_acc) tries at least 10 settings of the hyperparameters in code (depth, width, learning rate, batch
// size, epochs, L2 strength), trains each on train_dataset, selects on val_dataset and returns the best setting
// with its validation accuracy. The adapter calls the student's function on small learnable stand-ins (Subsets of
// one TensorDataset of float32 (n, 784) features, class means plus noise, 10 classes) with build_mlp, train_epoch
// and evaluate wrapped, and answers with the record reference/tuning.ts describes. The checks read the record
// alone: any search (grid, random, nested loops), any optimizer, any keys of best_cfg pass them.
//
// - tries-ten-settings: at least 10 distinct settings among the models trained (through train_epoch);
// - trains-on-train-dataset: every model tried is trained on train_dataset only;
// - evaluates-on-val-dataset: every model tried is evaluated on val_dataset after training;
// - returns-best-accuracy: best_acc is the largest validation accuracy evaluate returned;
// - returns-best-settings: best_cfg holds the values of a model that reached it: each hyperparameter the search
//   varied (a constant one need not be returned), the epochs as trained or as evaluated at (a per-epoch selection).
//
// Tolerances: an accuracy is a count over n_val <= 30 examples, so distinct accuracies differ by 1/30 or more;
// best_acc is evaluate's own number passed along, exact up to a float32 round trip (6e-8): 1e-6 absolute. A
// hyperparameter in best_cfg is the number the student passed (an int, or a float such as 0.01): equal to 1e-6
// relative, which also admits a float32 copy of a learning rate.
//
// Cases: three fixed ones (TUNING_CASES), n_train 40 (the search's cost grows with it), n_val 20..30, class means
// N(0, s^2) per feature with s 0.75 or 1 and unit noise: shallow nets with a good learning rate reach a good part of
// the validation set within 20 epochs, deep narrow ones or tiny learning rates stay near chance, so the accuracies a
// search sees are spread and rarely all tied. Training 50 settings (the seed's random search) costs about a second
// a case.

import fc from 'fast-check';
import { type Call, CheckFailure, type Value } from '../src/failure.ts';
import { type Check, type Problem, defineCheck } from '../src/problem.ts';
import type { Subject } from '../src/subject.ts';
import { type Tolerance, tolerance } from '../src/tolerance.ts';
import { type DatasetName, HYPERPARAMETERS, type TuningRecord, type TuningRun } from '../reference/tuning.ts';
import { hyperparamTuningMistakes, hyperparamTuningPlantedMistakes } from './tuning.mistakes.ts';

export const ACCURACY_TOLERANCE = tolerance(1e-6, 0, "evaluate's own ratio of counts passed along (float32 at worst: 6e-8); accuracies over n_val <= 30 examples differ by 1/30 or more");
export const SETTING_TOLERANCE = tolerance(0, 1e-6, 'the number the search passed (an int, or a float such as 0.01), or a float32 copy of it');

/** The handout's minimum: "try at least 10 (in total) different hyperparameter settings". */
export const MIN_SETTINGS = 10;

export interface TuningCase {
  readonly seed: number;
  readonly nTrain: number;
  readonly nVal: number;
  readonly separation: number;
}

/**
 * The cases: three fixed stand-ins, drawn from by every check. A case costs a whole search (the seed's trains 50
 * models, about a second), and the five checks read the same record: from a pool the adapter keeps every record it
 * made, so a student's search runs at most three times, whatever the checks' seeds and however a failure shrinks.
 * They differ in the validation set's size and the separation; each named mistake fails on each of them.
 */
export const TUNING_CASES: readonly TuningCase[] = [
  { seed: 1, nTrain: 40, nVal: 20, separation: 1 },
  { seed: 2, nTrain: 40, nVal: 25, separation: 0.75 },
  { seed: 3, nTrain: 40, nVal: 30, separation: 1 },
];

export const tuningCase: fc.Arbitrary<TuningCase> = fc.constantFrom(...TUNING_CASES);

const args = (c: TuningCase): Value[] => [c.seed, c.nTrain, c.nVal, c.separation];
const SIGNATURE = '(seed, n_train, n_val, separation)';

// ---- reading the record ---------------------------------------------------------------------------------------

const isNumber = (x: unknown): x is number => typeof x === 'number';
const DATASETS: readonly string[] = ['train_dataset', 'val_dataset', 'other'];
const isDataset = (x: unknown): x is DatasetName => typeof x === 'string' && DATASETS.includes(x);

function isRun(v: unknown): v is TuningRun {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return (
    ['depth', 'width', 'epochs'].every((k) => isNumber(r[k])) &&
    ['learning_rate', 'batch_size', 'weight_decay'].every((k) => isNumber(r[k]) || r[k] === null) &&
    Array.isArray(r.trained_on) && r.trained_on.every(isDataset) &&
    Array.isArray(r.evaluated) && r.evaluated.every((e) => Array.isArray(e) && e.length === 3 && isDataset(e[0]) && isNumber(e[1]) && isNumber(e[2]))
  );
}

function isRecord(v: unknown): v is TuningRecord {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return Array.isArray(r.runs) && r.runs.every(isRun) && isNumber(r.best_acc) && Array.isArray(r.best_cfg) && r.best_cfg.every(isNumber);
}

/** The models the search trained (through train_epoch): a model built and never trained is not a setting tried. */
const trained = (record: TuningRecord) => record.runs.filter((r) => r.epochs > 0);

const settingOf = (r: TuningRun) => HYPERPARAMETERS.map((k) => r[k]);

/** The validation accuracies the search saw: [run, accuracy, epochs so far] per evaluate call on val_dataset. */
const validations = (record: TuningRecord) =>
  record.runs.flatMap((run) => run.evaluated.filter(([d]) => d === 'val_dataset').map(([, acc, epochs]) => ({ run, acc, epochs })));

/** The trained models never evaluated on val_dataset after training (an evaluation at 0 epochs is before it). */
const unvalidated = (record: TuningRecord) => trained(record).filter((run) => !run.evaluated.some(([d, , e]) => d === 'val_dataset' && e > 0));

/** A verdict on the last validation: whether what was returned is the last model's (a mistake's signature). */
function lastVerdict(record: TuningRecord, isLast: (last: ReturnType<typeof validations>[number]) => boolean, said: readonly [string, string]): string {
  const last = validations(record).at(-1);
  if (last === undefined) return 'no validation accuracy';
  return isLast(last) ? said[0] : said[1];
}

const close = (a: number, b: number, tol: Tolerance) => Math.abs(a - b) <= tol.atol + tol.rtol * Math.abs(b);

/** Whether best_cfg's numbers hold a run's value of every hyperparameter the search varied. */
function cfgHolds(record: TuningRecord, run: TuningRun, epochs: number, tol: Tolerance): boolean {
  const runs = trained(record);
  const varied = HYPERPARAMETERS.filter((k) => new Set(runs.map((r) => r[k])).size > 1);
  const holds = (x: number | null) => x !== null && record.best_cfg.some((v) => close(v, x, tol));
  return varied.every((k) => (k === 'epochs' ? holds(run.epochs) || holds(epochs) : holds(run[k])));
}

// ---- checks --------------------------------------------------------------------------------------------------

/** What a failing record shows, in words a named mistake reproduces whatever the accuracies: compared for diagnosis. */
type Verdict = (record: TuningRecord) => string;

const sameVerdict = (a: Value, b: Value) => typeof a === 'string' && a === b;

/**
 * A check on the record: `failure` says why the record breaks it (or undefined); the failure carries the check's
 * verdict on the record, and how to reach the verdict for a named mistake's variant.
 */
function recordCheck(spec: {
  id: string;
  title: string;
  tolerance: Tolerance;
  verdict: Verdict;
  failure: (record: TuningRecord, tol: Tolerance) => { message: string; received: Value; expected: Value } | undefined;
}): Check {
  return defineCheck({
    id: spec.id,
    title: spec.title,
    arbitrary: tuningCase,
    numRuns: CASES,
    tolerance: spec.tolerance,
    sameAnswer: sameVerdict,
    run: async (subject, c, context) => {
      const call: Call = { fn: 'tuning_record', args: args(c) };
      const answer = await subject.call(call.fn, call.args);
      const tol = context.tol(spec.tolerance);
      const rerun = {
        target: 'tuning_record',
        run: async (other: Subject) => {
          const found = await other.call(call.fn, call.args);
          return isRecord(found) ? spec.verdict(found) : null;
        },
      };
      if (!isRecord(answer)) {
        throw new CheckFailure({ code: 'wrong_shape', message: 'hyperparam_tuning must return (best_cfg, best_acc): best_cfg holding the settings\' numbers, best_acc a number', call, received: answer, answer: null, tolerance: tol, rerun });
      }
      const failed = spec.failure(answer, tol);
      if (failed) throw new CheckFailure({ code: 'invariant_violated', call, ...failed, answer: spec.verdict(answer), tolerance: tol, rerun });
    },
  });
}

/** Cases a check runs in the catalog (`verify`, the kill matrix; seed 004 sets 2): draws from the three. */
const CASES = 20;

const EXACT = tolerance(0, 0, 'counts and names');

export const hyperparamTuning: Problem = {
  id: 'hyperparam-tuning',
  title: 'hyperparam_tuning(train_dataset, val_dataset, seed=541) -> (best_cfg, best_acc): at least 10 settings trained on train_dataset, selected on val_dataset, the best returned',
  source: 'seed 004, problem 2.2',
  signatures: [`tuning_record${SIGNATURE}`],
  intArgs: { tuning_record: [0, 1, 2] },
  checks: [
    recordCheck({
      id: 'tries-ten-settings',
      title: `at least ${MIN_SETTINGS} different settings (depth, width, learning rate, batch size, epochs, L2 strength) are trained, each through train_epoch`,
      tolerance: EXACT,
      verdict: (r) => (new Set(trained(r).map((run) => settingOf(run).join(','))).size < MIN_SETTINGS ? 'too few settings' : 'enough settings'),
      failure: (r) => {
        const distinct = new Set(trained(r).map((run) => settingOf(run).join(','))).size;
        return distinct >= MIN_SETTINGS ? undefined : {
          message: `the search trains ${distinct} different setting(s) through train_epoch; the handout asks for at least ${MIN_SETTINGS} (in total), tried in code`,
          received: trained(r).map(settingOf),
          expected: MIN_SETTINGS,
        };
      },
    }),
    recordCheck({
      id: 'trains-on-train-dataset',
      title: 'every model tried is trained on train_dataset only (never on val_dataset)',
      tolerance: EXACT,
      verdict: (r) => [...new Set(trained(r).flatMap((run) => run.trained_on.filter((d) => d !== 'train_dataset')))].sort().join(','),
      failure: (r) => {
        const wrong = trained(r).filter((run) => run.trained_on.some((d) => d !== 'train_dataset'));
        return wrong.length === 0 ? undefined : {
          message: `${wrong.length} of ${trained(r).length} models are trained on ${[...new Set(wrong.flatMap((run) => run.trained_on))].join(' and ')}: train each on a DataLoader over train_dataset`,
          received: wrong.map((run) => run.trained_on),
          expected: ['train_dataset'],
        };
      },
    }),
    recordCheck({
      id: 'evaluates-on-val-dataset',
      title: 'every model tried is evaluated on val_dataset (evaluate on a loader over it) after its training',
      tolerance: EXACT,
      verdict: (r) => [...new Set(unvalidated(r).flatMap((run) => run.evaluated.map(([d]) => d)))].sort().join(',') || 'none',
      failure: (r) => {
        const missing = unvalidated(r);
        return missing.length === 0 ? undefined : {
          message: `${missing.length} of ${trained(r).length} models are never evaluated on val_dataset after training (evaluated on: ${[...new Set(missing.flatMap((run) => run.evaluated.map(([d]) => d)))].join(', ') || 'nothing'}): the settings must be compared by their validation accuracy`,
          received: missing.map((run) => run.evaluated.map(([d]) => d)),
          expected: ['val_dataset'],
        };
      },
    }),
    recordCheck({
      id: 'returns-best-accuracy',
      title: 'best_acc is the largest validation accuracy evaluate returned during the search',
      tolerance: ACCURACY_TOLERANCE,
      verdict: (r) => lastVerdict(r, (last) => close(r.best_acc, last.acc, ACCURACY_TOLERANCE), ['the last validation accuracy', 'another number']),
      failure: (r, tol) => {
        const val = validations(r);
        if (val.length === 0) return { message: 'evaluate never ran on val_dataset: there is no validation accuracy to select by', received: r.best_acc, expected: null };
        const best = Math.max(...val.map((v) => v.acc));
        return close(r.best_acc, best, tol) ? undefined : {
          message: `best_acc is ${r.best_acc}, but the largest validation accuracy of the settings tried is ${best}`,
          received: r.best_acc,
          expected: best,
        };
      },
    }),
    recordCheck({
      id: 'returns-best-settings',
      title: 'best_cfg holds the settings of a model that reached the largest validation accuracy (each hyperparameter the search varied)',
      tolerance: SETTING_TOLERANCE,
      verdict: (r) => lastVerdict(r, (last) => cfgHolds(r, last.run, last.epochs, SETTING_TOLERANCE), ["the last model's settings", 'other settings']),
      failure: (r, tol) => {
        const val = validations(r);
        if (val.length === 0) return { message: 'evaluate never ran on val_dataset: no setting can be the best', received: r.best_cfg, expected: null };
        const top = Math.max(...val.map((v) => v.acc));
        const bests = val.filter((v) => close(v.acc, top, ACCURACY_TOLERANCE));
        return bests.some((v) => cfgHolds(r, v.run, v.epochs, tol)) ? undefined : {
          message: `best_cfg (its numbers: ${r.best_cfg.join(', ')}) is not the setting of a model that reached the largest validation accuracy, ${top}`,
          received: r.best_cfg,
          expected: bests.map((v) => settingOf(v.run)),
        };
      },
    }),
  ],
  mistakes: hyperparamTuningMistakes,
  planted: hyperparamTuningPlantedMistakes,
};
