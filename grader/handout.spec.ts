// The seed homeworks graded through the interface their handouts ask for (shared/handouts/): a solution written
// exactly as the handout asks gets full marks on its code tasks, and each typical mistake (a fixture
// `bug-<mistake>.<ext>` beside it, or a folder `bug-<mistake>/` for a package) loses exactly the assignment's
// deduction on the task that prices it (a problem, or an execute: check such as seed 002's initialised weights),
// with the mistake named. Where the handout allows several solutions
// (seed 000's mytorch: two reductions, two initialisations, two gradient_check signatures), each is a
// `correct-<variant>` beside `correct` and gets full marks too. Expected scores come from the assignment, never
// from a run.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Assignment, loadAssignment } from './assignment.ts';
import { notebookCells } from './execution/run.ts';
import { grade } from './grade.ts';

const root = path.join(import.meta.dirname, '..');

interface HandoutSeed {
  readonly assignment: string;
  /** Folder of fixtures/submissions holding `correct.*` (or `correct/`, `correct-<variant>/`) and `bug-<mistake>.*`. */
  readonly fixtures: string;
  /**
   * The problems these fixtures are written for (default: all of the assignment's, and its execute: checks; with a
   * list, the execute: checks are left out: they are graded on their own fixtures in grader/execution/execution.spec.ts).
   */
  readonly problems?: readonly string[];
  /** The execute: checks these fixtures are written for, where not all (the others have fixtures of their own). */
  readonly checks?: (id: string) => boolean;
  /**
   * Where the handout's own code makes one task call another, a mistake in the first costs the second too
   * (seed 003's ADAMOptimizer calls the student's ema_update, as its template says).
   */
  readonly carriesInto?: Readonly<Record<string, readonly string[]>>;
  /**
   * Correct variants written as correct.ipynb with one task done another way (a contour plot instead of a 3-D
   * surface, a grid search instead of a random one): graded on that task's problems, the rest being correct's cells,
   * graded in full above. `cells` matches every code cell in which the variant differs from correct.ipynb.
   */
  readonly variants?: Readonly<Record<string, { readonly problems: readonly string[]; readonly cells: RegExp }>>;
}

const PLOT_PATH = { problems: ['loss-surface-path'], cells: /^def plotPath\(/m };
// The retraining cell (P2.3, an execute: check graded elsewhere) unpacks best_cfg, whose form the search chooses.
const TUNING = { problems: ['hyperparam-tuning'], cells: /^def hyperparam_tuning\(|^# Retrain best model/m };

const SEEDS: readonly HandoutSeed[] = [
  { assignment: 'seed-000.yaml', fixtures: 'seed-000-handout', problems: ['init-schemes'] },
  {
    assignment: 'seed-000.yaml',
    fixtures: 'seed-000-mytorch',
    problems: ['mytorch-linear', 'mytorch-activations', 'mytorch-softmax-ce', 'mytorch-sequential-sgd', 'mytorch-gradient-check'],
  },
  { assignment: 'seed-003.yaml', fixtures: 'seed-003-handout', carriesInto: { ema: ['adam-optimizer'] } },
  // Q4.1 from the executed notebook, Q4.2-Q4.4 through the globals; correct-raw-pixels feeds the pixels unscaled.
  // train_one_epoch calls the student's train_one_sample, as the handout's code does.
  // Q3 is a notebook of its own, graded on fixtures/submissions/seed-002-executed (grader/execution/executed-seeds.spec.ts).
  { assignment: 'seed-002.yaml', fixtures: 'seed-002-handout', carriesInto: { 'mlp-train-sample': ['mlp-train-epoch'] }, checks: (id) => !id.startsWith('fashion-') },
  {
    assignment: 'seed-004.yaml',
    fixtures: 'seed-004-handout',
    problems: ['train-epoch', 'classifier-accuracy', 'dataset-loss', 'flatten-params', 'load-params', 'hyperparam-tuning', 'autoencoder-training', 'loss-surface-path', 'fashion-mnist-loaders', 'autoencoder-reconstructions'],
    variants: {
      'correct-contourf.ipynb': PLOT_PATH,
      'correct-imshow.ipynb': PLOT_PATH,
      'correct-pcolormesh.ipynb': PLOT_PATH,
      'correct-wireframe.ipynb': PLOT_PATH,
      'correct-grid-search.ipynb': TUNING,
      'correct-own-loops.ipynb': TUNING,
      'correct-own-model.ipynb': TUNING,
    },
  },
];

// The problems and, where the assignment executes the notebook, its execute: checks.
const codePoints = (a: Assignment) => a.problems.reduce((s, p) => s + p.points, 0) + (a.execute?.checks ?? []).reduce((s, c) => s + c.points, 0);

describe.each(SEEDS)('$assignment through its handout ($fixtures)', ({ assignment: file, fixtures, problems, checks, carriesInto = {}, variants = {} }) => {
  const loaded = loadAssignment(path.join(root, 'fixtures', 'assignments', file));
  const { execute, ...withoutExecution } = loaded;
  const kept: Assignment = checks && execute ? { ...loaded, execute: { ...execute, checks: execute.checks.filter((c) => checks(c.id)) } } : loaded;
  const assignment: Assignment = problems ? { ...withoutExecution, problems: loaded.problems.filter((p) => problems.includes(p.id)) } : kept;
  const dir = path.join(root, 'fixtures', 'submissions', fixtures);
  const files = readdirSync(dir);
  const corrects = files.filter((f) => f === 'correct' || f.startsWith('correct.') || f.startsWith('correct-'));

  it('has a correct solution', () => expect(corrects).not.toEqual([]));

  it.each(corrects)('%s gets full marks on every code task (a variant: on its own task)', async (correct) => {
    const variant = variants[correct];
    const graded = variant ? { ...assignment, problems: assignment.problems.filter((p) => variant.problems.includes(p.id)) } : assignment;
    const report = await grade({ assignment: graded, submission: path.join(dir, correct) });
    const failed = report.problems.flatMap((p) => p.checks.filter((c) => !c.result.passed).map((c) => `${p.id}/${c.result.check}: ${c.result.failure?.message}`));
    expect(failed).toEqual([]);
    expect(report.problems.reduce((s, p) => s + p.score, 0)).toBe(codePoints(graded));
    expect(report.loadErrors).toEqual([]);
  });

  it.each(Object.entries(variants))('%s differs from correct.ipynb only in its task\'s cells', (variant, { cells }) => {
    const code = (f: string) => notebookCells(path.join(dir, f)).map((c) => c.source);
    const [base, other] = [code('correct.ipynb'), code(variant)];
    const changed = other.filter((source, i) => source !== base[i]);
    expect(other.length).toBe(base.length);
    expect(changed).not.toEqual([]);
    for (const source of changed) expect(source, `a cell of ${variant} outside its task differs from correct.ipynb's`).toMatch(cells);
  });

  // The mistakes priced by problems, and by execute: checks (seed 002's initialised weights).
  const priced = [
    ...assignment.problems.flatMap((p) => Object.entries(p.mistakes).map(([mistake, { deduct }]) => ({ owner: p.id, mistake, deduct, points: p.points, executed: false }))),
    ...(assignment.execute?.checks ?? []).flatMap((c) => Object.entries('mistakes' in c ? c.mistakes : {}).map(([mistake, { deduct }]) => ({ owner: c.id, mistake, deduct, points: c.points, executed: true }))),
  ];
  const cases = files.filter((f) => f.startsWith('bug-')).map((f) => {
    const mistake = path.basename(f, path.extname(f)).slice('bug-'.length);
    return [f, priced.find((p) => p.mistake === mistake)] as const;
  });

  it('prices the mistake of every bug fixture, and has a fixture for every mistake it prices', () => {
    expect(cases.filter(([, p]) => p === undefined).map(([f]) => f)).toEqual([]);
    expect(priced.filter((p) => !cases.some(([, c]) => c?.mistake === p.mistake)).map((p) => p.mistake)).toEqual([]);
  });

  it.concurrent.each(cases.filter(([, p]) => p !== undefined))('%s loses its deduction on its task, named', async (fixture, pricing) => {
    const { owner, mistake, deduct, points, executed } = pricing!;
    const carried = carriesInto[owner] ?? [];
    // The owner and what it carries into are graded; the other tasks are shown full in the correct-solution test.
    // (The other execute: checks are graded on their own fixtures: grader/execution/execution.spec.ts.)
    const { execute, ...rest } = assignment;
    const graded = {
      ...rest,
      problems: assignment.problems.filter((p) => p.id === owner || carried.includes(p.id)),
      ...(executed ? { execute: { ...execute!, checks: execute!.checks.filter((c) => c.id === owner) } } : {}),
    };
    const report = await grade({ assignment: graded, submission: path.join(dir, fixture) });
    const problem = report.problems.find((p) => p.id === owner)!;
    expect(problem.score).toBeCloseTo(points - deduct, 6);
    expect(problem.mistake?.id).toBe(mistake);
    for (const other of report.problems.filter((p) => p.id !== owner)) expect(other.score, `${other.id} carries ${owner}'s mistake`).toBeLessThanOrEqual(other.points);
  });
});
