// Executing a notebook as students run it (grader/execution/, grader/runners/execute.py): the seed 003 notebook
// written as the handout asks passes every execute: check; each typical mistake fails exactly the check that
// grades it, losing the share of points its failed aspects carry (derived from the assignment, never from a
// run), with a message naming the cell; an endless loop, a long training loop, a download and `!pip install`
// are graded within the budget with the other checks intact. Figures and printed output on a small notebook.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Assignment, loadAssignment, parseAssignment } from '../assignment.ts';
import { grade } from '../grade.ts';
import { reportMarkdown } from '../render/markdown.ts';
import type { GradeReport } from '../report.ts';
import { layerPattern } from './judge.ts';
import type { ExecutionCheck } from './schema.ts';

const root = path.join(import.meta.dirname, '..', '..');
const seed003 = loadAssignment(path.join(root, 'fixtures', 'assignments', 'seed-003.yaml'));
const fixtures = path.join(root, 'fixtures', 'submissions', 'seed-003-executed');

/** Seed 003 with its execute: checks alone (its problems are graded in grader/handout.spec.ts). */
function executedOnly(a: Assignment, cellBudget?: number): Assignment {
  const execute = a.execute!;
  return { ...a, problems: [], questions: [], execute: cellBudget === undefined ? execute : { ...execute, cell_budget_s: cellBudget } };
}

/** How many aspects a check judges (each an equal share of its points). */
function aspects(check: ExecutionCheck): number {
  if ('call' in check) return (['wrapper', 'network', 'parameters', 'loss', 'optimizer'] as const).filter((k) => check[k] !== undefined).length;
  if ('model' in check) return (['network', 'layers', 'parameters', 'forward'] as const).filter((k) => check[k] !== undefined).length;
  return 1;
}

const checksOf = (a: Assignment) => a.execute!.checks;
const total = (a: Assignment) => checksOf(a).reduce((s, c) => s + c.points, 0);

function failures(report: GradeReport): Record<string, string[]> {
  return Object.fromEntries(report.problems.filter((p) => p.checks.some((c) => !c.result.passed)).map((p) => [p.id, p.checks.filter((c) => !c.result.passed).map((c) => c.result.check)]));
}

describe('seed 003 executed as students run it', () => {
  const assignment = executedOnly(seed003);

  it('the handout-faithful notebook passes every execute: check, with every cell run', async () => {
    const report = await grade({ assignment, submission: path.join(root, 'fixtures', 'submissions', 'seed-003-handout', 'correct.ipynb') });
    expect(failures(report)).toEqual({});
    expect(report.score).toBe(total(assignment));
    expect(report.execution?.cells.filter((c) => c.status !== 'ran')).toEqual([]);
    expect(report.execution?.served).toEqual(expect.arrayContaining(['hw2utils', 'tiny-classification.npz']));
  });

  // Each mistake: the checks (and their aspects) it fails, and the cell the message must name.
  const MISTAKES: readonly { fixture: string; fails: Record<string, string[]>; cell: RegExp }[] = [
    // 3.10 left at 3.8's width of 64: its network and count are 3.8's, not 3.10's.
    { fixture: 'bug-wrong-width', fails: { 'network-hidden-32': ['network', 'parameters'] }, cell: /none matches; the closest, cell \d+: .*expected Sequential\[Linear\(36, 32\)/ },
    { fixture: 'bug-missing-batchnorm', fails: { 'batchnorm-network': ['network', 'parameters'] }, cell: /none matches; the closest, cell \d+/ },
    { fixture: 'bug-rms-as-std', fails: { 'rms-grads': ['value'] }, cell: /rms_grads \(defined in cell 5, which ran\) is .* expected/ },
    { fixture: 'bug-cell-raises', fails: { 'mean-grads': ['value'], 'rms-grads': ['value'] }, cell: /not defined after the notebook ran \(defined in cell 5, which raised AttributeError/ },
  ];

  it.each(MISTAKES)('$fixture fails exactly its checks, losing their aspects\' share, naming the cell', async ({ fixture, fails, cell }) => {
    const report = await grade({ assignment, submission: path.join(fixtures, `${fixture}.ipynb`) });
    expect(failures(report)).toEqual(fails);
    const lost = Object.entries(fails).reduce((s, [id, failed]) => {
      const check = checksOf(assignment).find((c) => c.id === id)!;
      return s + (check.points * failed.length) / aspects(check);
    }, 0);
    expect(report.score).toBeCloseTo(total(assignment) - lost, 6);
    const messages = report.problems.flatMap((p) => p.checks.flatMap((c) => c.result.failure?.message ?? []));
    expect(messages.some((m) => cell.test(m)), messages.join('\n')).toBe(true);
  });

  it('an endless loop, a 10-minute training loop, a download and !pip install: graded within the budget, the cells named', async () => {
    const cellBudget = 2;
    const started = Date.now();
    const report = await grade({ assignment: executedOnly(seed003, cellBudget), submission: path.join(fixtures, 'hostile-cells.ipynb') });
    // Two cells stopped at the cell budget, everything else fast: far below the notebook's budget.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(failures(report)).toEqual({});
    expect(report.score).toBe(total(seed003));
    const outcome = Object.fromEntries(report.execution!.cells.filter((c) => c.status !== 'ran').map((c) => [c.cell, c.status]));
    expect(Object.values(outcome).sort()).toEqual(['raised', 'timed out', 'timed out']);
    const download = report.execution!.cells.find((c) => c.status === 'raised')!;
    expect(download.error?.message).toContain('network access is off');
    expect(report.execution!.cells[0]!.skippedLines).toEqual(['!pip install medmnist', '%matplotlib inline']);
    const feedback = reportMarkdown(report, { includeChecks: true });
    for (const [cell, status] of Object.entries(outcome)) expect(feedback).toContain(`cell ${cell} ${status === 'raised' ? 'raised URLError' : 'timed out (stopped after 2.0 s)'}`);
  });
});

describe('seed 004 executed: the Autoencoder the notebook leaves', () => {
  const seed004 = loadAssignment(path.join(root, 'fixtures', 'assignments', 'seed-004.yaml'));
  // The execute: check only: the problems (P2.1's helpers, train_autoencoder) are graded by grader/handout.spec.ts.
  const assignment: Assignment = { ...seed004, problems: [], questions: [] };
  const dir = path.join(root, 'fixtures', 'submissions', 'seed-004-executed');
  const check = checksOf(seed004).find((c) => c.id === 'autoencoder')!;

  // The data cell needs torchvision (not installed here: stubbed) and the training cell its loader: both raise,
  // the Autoencoder cell is graded all the same.
  it.each([
    { fixture: 'correct', fails: [] as string[] },
    { fixture: 'bug-autoencoder-no-sigmoid', fails: ['forward'] },
    { fixture: 'bug-autoencoder-bottleneck-32', fails: ['layers', 'parameters'] },
  ])('$fixture fails $fails, losing their share, naming the cell', async ({ fixture, fails }) => {
    const report = await grade({ assignment, submission: path.join(dir, `${fixture}.ipynb`) });
    expect(failures(report)).toEqual(fails.length ? { autoencoder: fails } : {});
    expect(report.score).toBeCloseTo(check.points * (1 - fails.length / aspects(check)), 6);
    for (const p of report.problems) for (const c of p.checks) if (c.result.failure) expect(c.result.failure.message).toContain('Autoencoder (defined in cell 5, which ran)');
    expect(report.execution!.cells.filter((c) => c.status === 'raised').map((c) => c.cell)).toEqual([3, 7]);
  });
});

describe('the total budget', () => {
  it('cells past the notebook budget are not run, the checks on them fail naming why, and the grade still comes back', async () => {
    const execute = { ...seed003.execute!, budget_s: 3, cell_budget_s: 2 };
    const report = await grade({ assignment: { ...seed003, problems: [], questions: [], execute }, submission: path.join(fixtures, 'hostile-cells.ipynb') });
    const notRun = report.execution!.cells.filter((c) => c.status === 'not run');
    expect(notRun.length).toBeGreaterThan(0);
    expect(notRun.every((c) => c.reason === "the notebook's time budget was used up")).toBe(true);
    // The endless loop (cell 17, after ResidualSequence) used 2 s of 3: the cells after the next one never ran.
    const failed = report.problems.flatMap((p) => p.checks.filter((c) => !c.result.passed).map((c) => c.result.failure!.message));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((m) => /was not run|none matches|no cell calls/.test(m))).toBe(true);
    expect(report.score).toBeLessThan(total(seed003));
  });
});

describe('figures and printed output', () => {
  const yaml = `name: figures
seed: 1
execute:
  budget_s: 60
  cell_budget_s: 20
  checks:
    - { id: statistics-plot, title: "Q5.2: mean and std per layer, one line per method", points: 2, figure: { subplots: 2, lines: 4, titles: [mean, std] } }
    - { id: layers-printed, title: "the layers per method, printed", points: 1, printed: "layers per method: .*'he': 5" }
`;
  const assignment = parseAssignment(yaml, path.join(root, 'fixtures', 'assignments', 'figures.yaml'));
  const dir = path.join(root, 'fixtures', 'submissions', 'executed-figures');

  it('2 subplots of 4 lines, titled, and the printed line: full marks', async () => {
    const report = await grade({ assignment, submission: path.join(dir, 'correct.ipynb') });
    expect(failures(report)).toEqual({});
    expect(report.score).toBe(3);
  });

  it('a plot with 3 lines instead of 4 loses the figure, and says what it found in which cell', async () => {
    const report = await grade({ assignment, submission: path.join(dir, 'bug-three-lines.ipynb') });
    expect(failures(report)).toEqual({ 'statistics-plot': ['figure'] });
    expect(report.score).toBe(1);
    const message = report.problems.find((p) => p.id === 'statistics-plot')!.checks[0]!.result.failure!.message;
    expect(message).toContain('found cell 4: 2 subplots with 3/3 lines');
  });
});

describe('execute: in the assignment', () => {
  const base = 'name: x\nseed: 1\nexecute:\n  checks:\n';
  it('a call check on a helper that is not recorded, or missing stand-ins, is an assignment error', () => {
    expect(() => parseAssignment(`${base}    - { id: a, title: t, points: 1, call: run_test, loss: MSELoss }\n`, 'x.yaml')).toThrow(/run_test is not recorded/);
    expect(() => parseAssignment(`name: x\nseed: 1\nexecute:\n  shims: nowhere.py\n  checks:\n    - { id: a, title: t, points: 1, printed: x }\n`, path.join(root, 'x.yaml'))).toThrow(/stand-ins file nowhere.py is not there/);
    expect(() => parseAssignment(`${base}    - { id: a, title: t, points: 1, printed: "(" }\n`, 'x.yaml')).toThrow(/not a regular expression/);
  });

  it('layer patterns: * any size, ... any layers, nothing else loose', () => {
    const net = 'Sequential[Linear(36, 128), BatchNorm1d(128), ReLU(), Linear(128, 1), Sigmoid()]'.replace(/\s+/g, '');
    expect(layerPattern('Sequential[...BatchNorm1d(*)...]').test(net)).toBe(true);
    expect(layerPattern('Sequential[Linear(36, *), ReLU(), ...]').test(net)).toBe(false);
    expect(layerPattern('Sequential[Linear(36, 64)...]').test(net)).toBe(false);
    expect(layerPattern('Sequential[...Sigmoid()]').test(net)).toBe(true);
    // `...` between commas may stand for no layers at all.
    expect(layerPattern('Sequential[Linear(36, 128), ..., Linear(128, 1), ...]').test(net)).toBe(true);
    expect(layerPattern('Sequential[..., Linear(36, 128), BatchNorm1d(128), ReLU(), Linear(128, 1), Sigmoid()]').test(net)).toBe(true);
    expect(layerPattern('Sequential[Linear(36, 128), ..., Sigmoid(), ...]').test(net)).toBe(true);
    expect(layerPattern('Sequential[Linear(36, 128), ..., BatchNorm1d(128), ..., Sigmoid(), ReLU()]').test(net)).toBe(false);
  });
});
