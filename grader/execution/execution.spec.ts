// Executing a notebook as students run it (grader/execution/, grader/runners/execute.py): the seed 003 notebook
// written as the handout asks passes every execute: check; each typical mistake fails exactly the check that
// grades it, losing the share of points its failed aspects carry (derived from the assignment, never from a
// run), with a message naming the cell; an endless loop, a long training loop, a download and `!pip install`
// are graded within the budget with the other checks intact. Figures and printed output on a small notebook.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { notebookCells } from './run.ts';
import { type Assignment, loadAssignment, parseAssignment } from '../assignment.ts';
import { grade } from '../grade.ts';
import { maxScoreOf } from '../problem-plan.ts';
import { toClassroom } from '../render/classroom.ts';
import { reportHtml } from '../render/html.ts';
import { reportMarkdown } from '../render/markdown.ts';
import { AssignmentError } from '../assignment-error.ts';
import { layerPattern } from './aspect.ts';
import { testTempDir } from '../test-temp.ts';
import { failures, lost, messagesOf, total } from './executed-fixtures.ts';
import { JUDGED } from './schema.ts';

const root = path.join(import.meta.dirname, '..', '..');
const seed003 = loadAssignment(path.join(root, 'fixtures', 'assignments', 'seed-003.yaml'));
const fixtures = path.join(root, 'fixtures', 'submissions', 'seed-003-executed');

/** Seed 003 with its execute: checks alone (its problems are graded in grader/handout.spec.ts). */
function executedOnly(a: Assignment, cellBudget?: number): Assignment {
  const execute = a.execute!;
  return { ...a, problems: [], questions: [], execute: cellBudget === undefined ? execute : { ...execute, cell_budget_s: cellBudget } };
}

/**
 * The hostile notebooks hold the cells their tests are about, not 4.4's and 4.5's loops (six 2048 x 2048 draws
 * each: over a 2 s cell budget on a busy machine); those two checks are graded on the other fixtures.
 */
function withoutInitLoops(a: Assignment): Assignment {
  return { ...a, execute: { ...a.execute!, checks: a.execute!.checks.filter((c) => !['xavier-loop', 'kaiming-loop'].includes(c.id)) } };
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

  // Each mistake: the checks (and their aspects) it fails, and the cell the messages must name.
  const MISTAKES: readonly { fixture: string; fails: Record<string, string[]>; cell: RegExp | RegExp[] }[] = [
    // 3.10 left at 3.8's width of 64: its network and count are 3.8's, not 3.10's.
    // Judged on the student's own 3.10 cell (26, the third configuration no other task matches), not on the
    // BatchNorm cell that shares more layers with 3.10's pattern.
    { fixture: 'bug-wrong-width', fails: { 'network-hidden-32': ['network', 'parameters'] }, cell: /none matches; by the notebook's order the one for this task, cell 26: .*expected Sequential\[Linear\(36, 32\)/ },
    { fixture: 'bug-missing-batchnorm', fails: { 'batchnorm-network': ['network', 'parameters'] }, cell: /none matches; by the notebook's order the one for this task, cell \d+/ },
    // The std for the RMS, and its printed numbers copied into 2.B: x[0]'s agrees with the RMS to the 4 decimals
    // printed (torch's std divides by n - 1), x[1]'s does not, and is traced to the code.
    {
      fixture: 'bug-rms-as-std',
      fails: { 'rms-grads': ['value'], 'written-rms-grads': ['answer-2'] },
      cell: [/rms_grads \(defined in cell 7, which ran\) is .* expected/, /^x\[1\] is written as 0\.2961 in markdown cell 6, .*that is what rms_grads computes/],
    },
    // The statistics cell raised: the inline questions are left as the template has them.
    {
      fixture: 'bug-cell-raises',
      fails: { 'mean-grads': ['value'], 'rms-grads': ['value'], 'written-mean-grads': ['answer-1', 'answer-2'], 'written-rms-grads': ['answer-1', 'answer-2'] },
      cell: /not defined after the notebook ran \(defined in cell 7, which raised AttributeError/,
    },
  ];

  it.each(MISTAKES)('$fixture fails exactly its checks, losing their aspects\' share, naming the cell', async ({ fixture, fails, cell }) => {
    const report = await grade({ assignment, submission: path.join(fixtures, `${fixture}.ipynb`) });
    expect(failures(report)).toEqual(fails);
    expect(report.score).toBeCloseTo(total(assignment) - lost(assignment, fails), 6);
    const messages = messagesOf(report);
    for (const said of [cell].flat()) expect(messages.some((m) => said.test(m)), messages.join('\n')).toBe(true);
  });

  it('an endless loop, a 10-minute training loop, a download and !pip install: graded within the budget, the cells named', async () => {
    const cellBudget = 2;
    const started = Date.now();
    const assignment = withoutInitLoops(executedOnly(seed003, cellBudget));
    const report = await grade({ assignment, submission: path.join(fixtures, 'hostile-cells.ipynb') });
    // Two cells stopped at the cell budget, everything else fast: far below the notebook's budget.
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(failures(report)).toEqual({});
    expect(report.score).toBe(total(assignment));
    const outcome = Object.fromEntries(report.execution!.cells.filter((c) => c.status !== 'ran').map((c) => [c.cell, c.status]));
    expect(Object.values(outcome).sort()).toEqual(['raised', 'timed out', 'timed out']);
    const download = report.execution!.cells.find((c) => c.status === 'raised')!;
    expect(download.error?.message).toContain('network access is off');
    expect(report.execution!.cells[0]!.skippedLines).toEqual(['!pip install medmnist', '%matplotlib inline']);
    const feedback = reportMarkdown(report, { includeChecks: true });
    for (const [cell, status] of Object.entries(outcome)) expect(feedback).toContain(`cell ${cell} ${status === 'raised' ? 'raised URLError' : 'timed out (stopped after 2.0 s)'}`);
  });
});

describe('cells that catch the timeout', () => {
  it('a training loop around a bare except: stops at the budget; a cell catching it at every level is killed and the notebook executed again without it', async () => {
    const file = path.join(fixtures, 'hostile-uncatchable.ipynb');
    const [training, stubborn] = notebookCells(file).filter((c) => /except/.test(c.source)).map((c) => c.cell);
    const started = Date.now();
    const assignment = withoutInitLoops(executedOnly(seed003, 2));
    const report = await grade({ assignment, submission: file });
    // Two cell budgets, the grace and a second execution: far below the notebook's budget (60 s).
    expect(Date.now() - started).toBeLessThan(45_000);
    expect(failures(report)).toEqual({});
    expect(report.score).toBe(total(assignment));
    const cell = (n: number | undefined) => report.execution!.cells.find((c) => c.cell === n);
    expect(cell(training)).toMatchObject({ status: 'timed out', reason: 'stopped after 2.0 s' });
    expect(cell(stubborn)?.status).toBe('timed out');
    expect(cell(stubborn)?.reason).toMatch(/could not be stopped .*executed again without it/);
    expect(report.execution!.cells.filter((c) => c.status !== 'ran').map((c) => c.cell)).toEqual([training, stubborn]);
  });
});

describe('seed 004 executed: build_mlp called with the handout\'s arguments, the Autoencoder the notebook leaves', () => {
  const seed004 = loadAssignment(path.join(root, 'fixtures', 'assignments', 'seed-004.yaml'));
  // The execute: check only: the problems (P2.1's helpers, train_autoencoder) are graded by grader/handout.spec.ts.
  const assignment: Assignment = { ...seed004, problems: [], questions: [] };
  const dir = path.join(root, 'fixtures', 'submissions', 'seed-004-executed');

  // Written by fixtures/submissions/seed-004-executed/make_fixtures.py. P4's data cell needs torchvision (not
  // installed here: stubbed) and its training cell its loader: both raise, the models are graded all the same.
  // P2's cells run on the assignment's stand-ins, reduced to 2 batches an epoch (P2.3's retraining is cell 10, P2.4's
  // bonus variant cell 12). Each mistake: the aspects it fails and what the message must say (build_mlp is defined
  // in cell 3, the Autoencoder in cell 16).
  const MISTAKES: readonly { fixture: string; fails: Record<string, string[]>; says?: RegExp }[] = [
    { fixture: 'correct', fails: {} },
    { fixture: 'bug-autoencoder-no-sigmoid', fails: { autoencoder: ['forward'] }, says: /^Autoencoder \(defined in cell 16, which ran\)'s outputs span/ },
    { fixture: 'bug-autoencoder-bottleneck-32', fails: { autoencoder: ['layers', 'parameters'] }, says: /^Autoencoder \(defined in cell 16, which ran\) has the layers .*Linear\(128, 32\)/ },
    {
      fixture: 'bug-build-mlp-final-relu',
      fails: { 'build-mlp': ['computes-784-1-64-10', 'computes-784-3-32-10'] },
      says: /^build_mlp\(784, 1, 64, 10\) \(defined in cell 3, which ran\): after the last Linear \(64 -> 10\) the forward pass applies ReLU where the handout's network returns it as it is \(the logits\)/,
    },
    {
      fixture: 'bug-build-mlp-n-layers-off-by-one',
      fails: { 'build-mlp': ['computes-784-1-64-10', 'computes-784-3-32-10', 'parameters-784-1-64-10', 'parameters-784-3-32-10'] },
      says: /^build_mlp\(784, 3, 32, 10\) \(defined in cell 3, which ran\): its forward pass calls 3 Linear layers \(.*\); the handout's network has 4/,
    },
    // P2.3, judged on the saved outputs and on the re-run of cell 10.
    { fixture: 'bug-retrain-below-87', fails: { 'retrain-best': ['saved-accuracy'] }, says: /^the saved outputs of cell 10 show a test accuracy of 0\.8512 \(85\.12%\), below the handout's 87\.00%$/ },
    {
      fixture: 'bug-retrain-accuracy-typed-in',
      fails: { 'retrain-best': ['loss-falls', 'rerun-accuracy'] },
      says: /^cell 10 prints the same test accuracy, 0\.8771, on the grader's stand-in data as in the notebook's saved outputs/,
    },
    // Both results P2.3 and P2.4's bonus read from the saved outputs.
    { fixture: 'bug-outputs-cleared', fails: { 'retrain-best': ['saved-accuracy'], 'variant-beats-best': ['saved-accuracy'] }, says: /^the notebook's saved outputs show no test accuracy .* run the notebook to the end and submit it with its outputs$/ },
    // P2.4's bonus: the variant's own run below P2.3's.
    { fixture: 'bug-variant-not-better', fails: { 'variant-beats-best': ['saved-accuracy'] }, says: /^the saved outputs of cell 12 show a test accuracy of 0\.8702 \(87\.02%\), not above retrain-best's 0\.8771 \(87\.71%\) in cell 10$/ },
  ];

  it.each(MISTAKES)('$fixture fails $fails, losing their share, saying what differs', async ({ fixture, fails, says }) => {
    const report = await grade({ assignment, submission: path.join(dir, `${fixture}.ipynb`) });
    expect(failures(report)).toEqual(fails);
    expect(report.score).toBeCloseTo(total(assignment) - lost(assignment, fails), 6);
    if (says) expect(messagesOf(report).some((m) => says.test(m)), messagesOf(report).join('\n')).toBe(true);
    expect(report.execution!.cells.filter((c) => c.status === 'raised').map((c) => c.cell)).toEqual([14, 18]);
    // P2.4's points are a bonus: on top of the maximum, which does not count them.
    const bonus = assignment.execute!.checks.filter((c) => c.bonus);
    expect(bonus.map((c) => c.id)).toEqual(['variant-beats-best']);
    expect(report.maxScore).toBe(total(assignment) - bonus.reduce((s, c) => s + c.points, 0));
  });

  it('a notebook without the bonus: full marks on the maximum, the bonus alone unearned, and GitHub Classroom stays green', async () => {
    const notebook = JSON.parse(readFileSync(path.join(dir, 'correct.ipynb'), 'utf8')) as { cells: { source: string[] | string }[] };
    const text = (c: { source: string[] | string }) => [c.source].flat().join('');
    const variant = notebook.cells.findIndex((c) => text(c).includes('(bonus)'));
    notebook.cells.splice(variant, 2); // P2.4's heading and its cell
    const file = path.join(testTempDir('no-bonus'), 'hw3.ipynb');
    writeFileSync(file, JSON.stringify(notebook));
    const report = await grade({ assignment, submission: file });
    expect(failures(report)).toEqual({ 'variant-beats-best': ['loss-falls', 'rerun-accuracy', 'saved-accuracy'] });
    expect(report.score).toBe(report.maxScore);
    expect(toClassroom(report)).toMatchObject({ status: 'pass', max_score: report.maxScore });
    expect(reportMarkdown(report, { includeChecks: false })).toMatch(/\| variant-beats-best \| 0 \/ 2 \(bonus\) \|/);
  });
});

describe('the total budget', () => {
  it('cells past the notebook budget are not run, the checks on them fail naming why, and the grade still comes back', async () => {
    const execute = { ...seed003.execute!, budget_s: 3, cell_budget_s: 2 };
    const report = await grade({ assignment: withoutInitLoops({ ...seed003, problems: [], questions: [], execute }), submission: path.join(fixtures, 'hostile-cells.ipynb') });
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

describe('a module the grading machine lacks, imported by a cell', () => {
  it('is stubbed as when the submission loads: the cell runs on, and only the cell that uses it raises, naming it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-missing-'));
    const cell = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: source.split(/(?<=\n)/) });
    // Nothing the extraction keeps uses medmnist, so only the executed cell imports it.
    const notebook = { cells: [cell('import numpy as np\nfrom medmnist import INFO\nsplits = 3\n'), cell("flag = INFO['bloodmnist']\n")], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    writeFileSync(path.join(dir, 'hw.ipynb'), JSON.stringify(notebook));
    const yaml = 'name: x\nseed: 1\nexecute:\n  checks:\n    - { id: splits, title: t, points: 1, value: splits, expected: 3, tolerance: { rtol: 0, atol: 0, reason: an integer } }\n';
    const report = await grade({ assignment: parseAssignment(yaml, path.join(dir, 'x.yaml')), submission: path.join(dir, 'hw.ipynb') });
    expect(failures(report)).toEqual({});
    expect(report.execution!.cells.map((c) => [c.cell, c.status])).toEqual([[1, 'ran'], [2, 'raised']]);
    expect(report.execution!.cells[1]!.error?.message).toContain("needs the module 'medmnist', which is not installed where this is graded");
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('a reduced run (loader_batches)', () => {
  it('stops every pass over a DataLoader after N batches, and the report says so; without it the pass is whole', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-reduced-'));
    const cell = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: source.split(/(?<=\n)/) });
    const source = 'import torch\nfrom torch.utils.data import DataLoader, TensorDataset\nloader = DataLoader(TensorDataset(torch.zeros(40, 2)), batch_size=4)\nprint(f"batches: {sum(1 for _ in loader)} of {len(loader)}")\n';
    writeFileSync(path.join(dir, 'hw.ipynb'), JSON.stringify({ cells: [cell(source)], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    const yaml = (extra: string, batches: number) => `name: x\nseed: 1\nexecute:\n${extra}  checks:\n    - { id: b, title: t, points: 1, printed: "^batches: ${batches} of 10$" }\n`;
    const reduced = await grade({ assignment: parseAssignment(yaml('  loader_batches: 3\n', 3), path.join(dir, 'x.yaml')), submission: path.join(dir, 'hw.ipynb') });
    expect(failures(reduced)).toEqual({});
    expect(reportMarkdown(reduced, { includeChecks: false })).toContain('A reduced run: every pass over a DataLoader stopped after 3 batches');
    const whole = await grade({ assignment: parseAssignment(yaml('', 10), path.join(dir, 'x.yaml')), submission: path.join(dir, 'hw.ipynb') });
    expect(failures(whole)).toEqual({});
    expect(reportMarkdown(whole, { includeChecks: false })).not.toContain('A reduced run');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('figures and printed output', () => {
  const assignment = loadAssignment(path.join(root, 'fixtures', 'assignments', 'executed-figures.yaml'));
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
    // feedback.html draws the student's two subplots beside the message.
    const html = reportHtml(report);
    for (const subplot of [1, 2]) expect(html).toContain(`your figure, cell 4, subplot ${subplot}`);
    expect(html).not.toContain('subplot 3');
  });
});

describe('as Jupyter runs a cell: plt.show() ends a figure, %time runs its statement; tqdm and seaborn where they are missing', () => {
  it('two plots parted by plt.show() are two figures, `%time acc = ...` assigns acc, a loop in tqdm runs, sns.heatmap draws', async () => {
    // notebook-libraries.shims.py serves a pass-through tqdm and seaborn's heatmap where the machine has neither.
    const yaml = `name: jupyter
seed: 1
execute:
  shims: notebook-libraries.shims.py
  checks:
    - { id: two-figures, title: "train and val curves, then accuracy curves", points: 1, figure: { lines: 2, count: 2 } }
    - { id: timed, title: "the accuracy %time computed", points: 1, printed: "accuracy is 3" }
    - { id: progress, title: "a loop in a progress bar", points: 1, printed: "total 3" }
    - { id: heatmap, title: "a confusion matrix drawn with seaborn", points: 1, figure: { heatmap: [3, 3] } }
`;
    const dir = testTempDir('jupyter');
    const assignment = parseAssignment(yaml, path.join(root, 'fixtures', 'assignments', 'jupyter.yaml'));
    const code = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source });
    const notebook = path.join(dir, 'hw.ipynb');
    writeFileSync(notebook, JSON.stringify({ cells: [
      code('import matplotlib.pyplot as plt\n%time acc = sum([1, 2])\n'),
      code("plt.plot([1, 2], label='train'); plt.plot([2, 3], label='val'); plt.title('Loss'); plt.show()\nplt.plot([1, 2], label='train'); plt.plot([3, 4], label='val'); plt.title('Accuracy'); plt.show()\nprint(f'accuracy is {acc}')\n"),
      code("from tqdm.auto import tqdm\ntotal = 0\nfor i in tqdm(range(3), desc='epochs'):\n    total += i\nprint(f'total {total}')\n"),
      code("import seaborn as sns\nsns.set()\nsns.heatmap([[5, 1, 0], [0, 6, 1], [1, 0, 7]], annot=True, fmt='d')\nplt.show()\n"),
    ], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    const report = await grade({ assignment, submission: notebook });
    expect(failures(report)).toEqual({});
    expect(report.score).toBe(4);
  });
});

describe('execute: in the assignment', () => {
  const base = 'name: x\nseed: 1\nexecute:\n  checks:\n';
  it('a call check on a helper that is not recorded, or missing stand-ins, is an assignment error', () => {
    expect(() => parseAssignment(`${base}    - { id: a, title: t, points: 1, call: run_test, loss: MSELoss }\n`, 'x.yaml')).toThrow(/run_test is not recorded/);
    const trained = (id: string, bar: string) => `    - { id: ${id}, title: t, points: 1, trained: { losses: "loss (\\\\d+)", accuracy: "acc (\\\\d+)", ${bar} } }\n`;
    expect(() => parseAssignment(`${base}${trained('a', 'beats: b')}`, 'x.yaml')).toThrow(/"b" is not another trained: check of this execute: section/);
    expect(() => parseAssignment(`${base}${trained('a', 'beats: a')}`, 'x.yaml')).toThrow(/"a" is not another trained: check/);
    expect(() => parseAssignment(`${base}${trained('a', 'at_least: 0.5, beats: b')}${trained('b', 'above: 0.1')}`, 'x.yaml')).toThrow(/exactly one of at_least, above and beats/);
    expect(() => parseAssignment(`${base}${trained('a', 'beats: b')}${trained('b', 'beats: a')}`, 'x.yaml')).toThrow(/"b" beats another result itself: the result to beat needs a bar of its own/);
    expect(parseAssignment(`${base}${trained('a', 'beats: b')}${trained('b', 'above: 0.1')}`, 'x.yaml').execute?.checks.map((c) => c.id)).toEqual(['a', 'b']);
    // A self-check without the result to beat (hidden) leaves out the check that must beat it: its bar is unknown.
    const hiddenBar = parseAssignment(`${base}${trained('a', 'beats: b')}${trained('b', 'above: 0.1').replace('points: 1', 'points: 1, visibility: hidden')}    - { id: c, title: t, points: 1, printed: x }\n`, 'x.yaml');
    expect(maxScoreOf(hiddenBar, true)).toBe(1);
    expect(maxScoreOf(hiddenBar, false)).toBe(3);
    expect(() => parseAssignment(`name: x\nseed: 1\nexecute:\n  shims: nowhere.py\n  checks:\n    - { id: a, title: t, points: 1, printed: x }\n`, path.join(root, 'x.yaml'))).toThrow(/stand-ins file nowhere.py is not there/);
    expect(() => parseAssignment(`${base}    - { id: a, title: t, points: 1, printed: "(" }\n`, 'x.yaml')).toThrow(/not a regular expression/);
  });

  it('a model check built wrong is an assignment error on its file, line and field, before any student is graded', () => {
    const model = (fields: string) => `name: x\nseed: 1\nexecute:\n  checks:\n    - id: m\n      title: t\n      points: 1\n      model: InitMLP\n${fields}`;
    const issue = (yaml: string) => {
      try {
        parseAssignment(yaml, 'x.yaml');
      } catch (error) {
        if (error instanceof AssignmentError) return error.issues.map((i) => `${i.line}: ${i.path}: ${i.message}`);
        throw error;
      }
      return [];
    };
    const forward = '      forward: { input: [2, 784] }\n';
    expect(issue(model(`${forward}      computes: "Linear, Softmax"\n`))).toEqual([`10: execute.checks[0].computes: "Softmax" is not a layer the reference computes; it knows Flatten, Linear, ReLU, Tanh, Sigmoid`]);
    expect(issue(model(`${forward}      computes: "Linear, Flatten, Linear"\n`))[0]).toMatch(/^10: execute\.checks\[0\]\.computes: Flatten comes before the first Linear/);
    expect(issue(model('      computes: "Linear, ReLU, Linear"\n'))).toEqual(['9: execute.checks[0].computes: computes needs forward: { input } (the batch the model is run on)']);
    expect(issue(model('      builds:\n        - { args: [he], weights: he }\n        - { args: [he], weights: kaiming }\n'))[0]).toMatch(/^11: execute\.checks\[0\]\.builds\[1\]\.weights: Invalid option: expected one of "zero"\|/);
    expect(issue(model('      args: [he]\n      builds:\n        - { args: [xavier], weights: xavier }\n'))).toEqual(['9: execute.checks[0].args: with builds:, give the args of each construction in its build']);
    expect(issue(model('      biases: zero\n      builds:\n        - { args: [he], biases: zero }\n'))).toEqual(['11: execute.checks[0].builds[0].biases: biases is given for the check and for this build: say it once']);
    expect(issue(model('      args: [he]\n'))).toEqual([`8: execute.checks[0].model: say what to check of the model: ${JUDGED.join(', ')}`]);
    expect(issue(model('      args: [he]\n      weights: he\n      kwargs: { 1bad: 2 }\n'))[0]).toMatch(/^11: execute\.checks\[0\]\.kwargs\.1bad: /);
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
