// The homeworks graded on their executed notebooks with data stand-ins (seed 000's problems 4 and 5, seed 001's
// problem 5): the notebook written as the handout asks gets full marks with every cell run on the stand-ins, and
// each typical mistake fails exactly the aspects it breaks, losing their share, with a message saying what differs.
// (Split from execution.spec.ts so that the two long files run side by side.)

import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Assignment, loadAssignment } from '../assignment.ts';
import { grade } from '../grade.ts';
import { reportMarkdown } from '../render/markdown.ts';
import { testTempDir } from '../test-temp.ts';
import { failures, lost, messagesOf, total } from './executed-fixtures.ts';
import { notebookCells } from './run.ts';

const root = path.join(import.meta.dirname, '..', '..');

/** A check's failed aspects on a fixture, and what the message must say. */
interface ExecutedMistake {
  readonly fixture: string;
  readonly fails: Record<string, string[]>;
  readonly says: RegExp;
}

/**
 * Seed 000's InitMLP mistakes (Q5.2), written by fixtures/submissions/seed-000-executed/make_fixtures.py into seed
 * 000's notebook and reused by seed-001-executed's for seed 001's: the same text, InitMLP defined in cell `cell`.
 */
function initMlpMistakes(cell: number): ExecutedMistake[] {
  const defined = `\\(defined in cell ${cell}, which ran\\)`;
  return [
    {
      fixture: 'bug-initmlp-ignores-init-method',
      fails: { 'init-mlp': ['weights-he', 'weights-small-random', 'weights-zero'] },
      says: new RegExp(`^InitMLP\\('zero'\\) ${defined}: Linear 1 \\(784 -> 256\\)'s weights are not all zero`),
    },
    {
      fixture: 'bug-initmlp-he-fan-out',
      fails: { 'init-mlp': ['weights-he'] },
      says: new RegExp(`^InitMLP\\('he'\\) ${defined}: the 200704 weights of Linear 1 \\(784 -> 256\\) \\(fan_in 784, fan_out 256\\) are not N\\(0, 2/fan_in\\)`),
    },
    {
      fixture: 'bug-initmlp-weights-not-transposed',
      fails: {
        'init-mlp': ['computes-he-activation-relu', 'computes-xavier', 'forward', 'weights-he', 'weights-small-random', 'weights-xavier', 'weights-zero'],
        // The statistics and training cells run the networks: they raise, and their figures are never drawn.
        'statistics-figure': ['figure'],
        'loss-curves': ['figure'],
        'relu-statistics-figure': ['figure'],
        'relu-loss-curves': ['figure'],
      },
      says: /Linear 1 \(784 -> 256\)'s weight has shape \(784, 256\); torch's layout is \(out_features, in_features\) = \(256, 784\)/,
    },
    {
      fixture: 'bug-initmlp-biases-not-zeroed',
      fails: { 'init-mlp': ['biases'] },
      says: new RegExp(`^InitMLP\\('zero'\\) ${defined}: Linear 1 \\(784 -> 256\\)'s bias is not zero.* \\(likewise InitMLP\\('small_random'\\)`),
    },
    {
      fixture: 'bug-initmlp-ignores-activation',
      fails: { 'init-mlp': ['computes-he-activation-relu'] },
      says: new RegExp(`^InitMLP\\('he', activation='relu'\\) ${defined}: between Linear 1 \\(784 -> 256\\) and Linear 2 the forward pass applies Tanh where the handout's network applies ReLU`),
    },
  ];
}

/**
 * An executed homework's fixtures (written by its folder's make_fixtures.py): the correct notebook gets full marks
 * on the execute: checks (those `checks` keeps: the part of the homework the fixtures hold) and `problems`
 * with every cell run on the stand-ins `served`; each bug fixture fails exactly its aspects, losing their share, and
 * says what differs. A fixture is a notebook, or a folder holding the notebook and its package.
 */
function describeExecuted(title: string, file: string, folder: string, problems: readonly string[], served: readonly string[], mistakes: readonly ExecutedMistake[], checks: (id: string) => boolean = () => true): void {
  describe(title, () => {
    const loaded = loadAssignment(path.join(root, 'fixtures', 'assignments', file));
    const execute = { ...loaded.execute!, checks: loaded.execute!.checks.filter((c) => checks(c.id)) };
    const assignment: Assignment = { ...loaded, problems: loaded.problems.filter((p) => problems.includes(p.id)), questions: [], execute };
    const dir = path.join(root, 'fixtures', 'submissions', folder);
    const submission = (fixture: string) => (existsSync(path.join(dir, fixture)) ? path.join(dir, fixture) : path.join(dir, `${fixture}.ipynb`));

    it('the handout-faithful notebook: full marks, every cell run on the stand-ins', async () => {
      const report = await grade({ assignment, submission: submission('correct') });
      expect(failures(report)).toEqual({});
      expect(report.score).toBe(total(assignment) + assignment.problems.reduce((s, p) => s + p.points, 0));
      expect(report.execution?.cells.filter((c) => c.status !== 'ran')).toEqual([]);
      expect(report.execution?.served).toEqual(expect.arrayContaining([...served]));
      expect(report.loadErrors).toEqual([]);
    });

    const executedOnly: Assignment = { ...assignment, problems: [] };

    it('has a fixture for each mistake its make_fixtures.py writes', () => {
      const written = readdirSync(dir).filter((f) => f.startsWith('bug-')).map((f) => path.basename(f, '.ipynb'));
      expect(written.sort()).toEqual(mistakes.map((m) => m.fixture).sort());
    });

    it.each(mistakes)('$fixture fails $fails, losing their share, saying what differs', async ({ fixture, fails, says }) => {
      const report = await grade({ assignment: executedOnly, submission: submission(fixture) });
      expect(failures(report)).toEqual(fails);
      expect(report.score).toBeCloseTo(total(executedOnly) - lost(executedOnly, fails), 6);
      expect(messagesOf(report).some((m) => says.test(m)), messagesOf(report).join('\n')).toBe(true);
    });
  });
}

/** Seed 000's Q6.7 checks: problem 6's part of the notebook, graded on fixtures with the mytorch package beside it. */
const Q67 = ['mytorch-training', 'mytorch-predictions', 'mytorch-gradient-output'];

// Seed 000: the execute: checks of problems 4 and 5, and Q5.1's initialize_weights that InitMLP is built from
// (problem 6's package, Q6.7 and the written answers are graded on their own fixtures). BloodMLP is defined in cell
// 8, InitMLP in cell 19.
describeExecuted("seed 000 executed: BloodMLP and InitMLP through their own interface, Q5.2's figure", 'seed-000.yaml', 'seed-000-executed', ['init-schemes'], ['torchvision', 'medmnist'], [
  { fixture: 'bug-grid-one-per-class', fails: { 'training-images': ['figure'] }, says: /^expected a figure of 16 images; found cell 5: 16 subplots with .* lines, 8 images \(28x28\); cell 5: 1 subplot with 0 lines, 8 bars/ },
  { fixture: 'bug-confusion-matrix-not-drawn', fails: { 'confusion-matrix': ['figure'] }, says: /^expected a figure of a heatmap of 8x8; found .*cell 5: 16 subplots/ },
  {
    fixture: 'bug-bloodmlp-missing-relu',
    fails: { 'blood-mlp': ['computes'] },
    says: /^BloodMLP \(defined in cell 8, which ran\): between Linear 2 \(256 -> 128\) and Linear 3 the forward pass applies nothing where the handout's network applies ReLU: Linear 3's input\[\d+, \d+\] is -/,
  },
  { fixture: 'bug-bloodmlp-softmax', fails: { 'blood-mlp': ['computes'] }, says: /after the last Linear \(128 -> 8\) the forward pass applies Softmax where the handout's network returns it as it is \(the logits\)/ },
  { fixture: 'bug-bloodmlp-hidden-width', fails: { 'blood-mlp': ['layers', 'parameters'] }, says: /^BloodMLP \(defined in cell 8, which ran\) has the layers Flatten\(\), Linear\(2352, 512\)/ },
  ...initMlpMistakes(19),
], (id) => !Q67.includes(id));

// Seed 001: problem 5 of the same homework as a notebook of its own, graded by the same checks on seed 000's
// stand-ins (seed-001.yaml); InitMLP is defined in cell 6. One of seed 000's InitMLP mistakes, in this notebook's
// cells, and its own figure mistake: mean and std on one subplot.
describeExecuted("seed 001 executed: InitMLP and Q5.2's figure, as seed 000 grades them", 'seed-001.yaml', 'seed-001-executed', ['init-schemes'], ['torchvision'], [
  initMlpMistakes(6).find((m) => m.fixture === 'bug-initmlp-ignores-init-method')!,
  // plot_stats draws both the Tanh and the ReLU figure: neither has its 2 subplots.
  { fixture: 'bug-statistics-one-subplot', fails: { 'statistics-figure': ['figure'], 'relu-statistics-figure': ['figure'] }, says: /^expected a figure of 2 subplots, 4 lines each titled mean, std\|standard dev; found cell \d+: 1 subplot/ },
]);

// Seed 000's Q6.7: problem 6's cells of the notebook, handed in beside the starter's mytorch package, with the
// outputs of the student's run on MNIST saved. The last test accuracy is Q6.7's; the loss is plotted, not printed.
describeExecuted(
  "seed 000 executed: Q6.7's mytorch training and its predictions",
  'seed-000.yaml',
  'seed-000-mytorch-executed',
  [],
  ['torchvision'],
  [
    { fixture: 'bug-accuracy-below-90', fails: { 'mytorch-training': ['saved-accuracy'] }, says: /^the saved outputs of cell 8 show a test accuracy of 0\.8843 \(88\.43%\), not above the handout's 90\.00%/ },
    { fixture: 'bug-accuracy-typed-in', fails: { 'mytorch-training': ['rerun-accuracy'] }, says: /^cell 8 prints the same test accuracy, 0\.9687, on the grader's stand-in data as in the notebook's saved outputs/ },
    // Linear's db averaged over the batch: the grader's run of the gradient check reports it.
    { fixture: 'bug-gradient-check-fails', fails: { 'mytorch-gradient-output': ['printed'] }, says: /^cell 6 printed \d\.\d\de-01, not below the handout's 1e-5$/ },
  ],
  (id) => Q67.includes(id),
);

// Seed 002's Q3: the FashionMNIST notebook as the seed's student writes it (DenseNN, 30 epochs on the stand-in
// FashionMNIST, curves, three predictions with their probabilities), with the outputs of the student's run saved;
// one fixture per typical mistake of the Gradescope rubric. DenseNN is defined in cell 5.
describeExecuted(
  "seed 002 executed: Q3's FashionMNIST classifier, its training, curves and predictions",
  'seed-002.yaml',
  'seed-002-executed',
  [],
  ['torchvision'],
  [
    { fixture: 'bug-model-size', fails: { 'fashion-classifier': ['computes', 'layers', 'parameters'] }, says: /^DenseNN \(defined in cell 5, which ran\) has 235146 parameters, expected 242762$/ },
    { fixture: 'bug-train-curve-only', fails: { 'fashion-curves': ['figure'] }, says: /^expected a figure of 2 lines each; found cell 9: 1 subplot with 1 lines/ },
    { fixture: 'bug-probabilities-missing', fails: { 'fashion-predictions': ['figure'] }, says: /^expected a figure of 3 images, 30 bars; found .*cell 12: 3 subplots with 0\/0\/0 lines, 3 images/ },
  ],
  (id) => id.startsWith('fashion-'),
);

// Seed 002 as its students hand it in: the Q4 notebook and the Q3 notebook side by side. Q4's (the one defining the
// names the problems call) is graded; Q3's checks find their cells in the other, executed after it.
describe('seed 002 in two notebooks: Q4 graded, Q3 executed beside it', () => {
  it('full marks on every code task of both; a scratch notebook that is not JSON is said and left', async () => {
    const assignment: Assignment = { ...loadAssignment(path.join(root, 'fixtures', 'assignments', 'seed-002.yaml')), questions: [] };
    const dir = path.join(testTempDir('seed-002-folder'), 'student');
    mkdirSync(dir);
    copyFileSync(path.join(root, 'fixtures', 'submissions', 'seed-002-handout', 'correct.ipynb'), path.join(dir, 'DL_HW1_Q4.ipynb'));
    copyFileSync(path.join(root, 'fixtures', 'submissions', 'seed-002-executed', 'correct.ipynb'), path.join(dir, 'DL_HW1_Q3.ipynb'));
    writeFileSync(path.join(dir, 'scratch.ipynb'), '{"cells": [');
    const report = await grade({ assignment, submission: dir });
    expect(report.ungradable).toBeUndefined();
    expect(failures(report)).toEqual({});
    expect(report.score).toBe(total(assignment) + assignment.problems.reduce((s, p) => s + p.points, 0));
    expect(report.pickedFile?.file).toBe(path.join(dir, 'DL_HW1_Q4.ipynb'));
    expect(report.execution?.alsoExecuted?.map((a) => a.file).sort()).toEqual(['DL_HW1_Q3.ipynb', 'scratch.ipynb']);
    expect(report.execution?.alsoExecuted?.find((a) => a.file === 'scratch.ipynb')?.failure).toMatch(/^it could not be read as a notebook/);
    expect(reportMarkdown(report, { includeChecks: false })).toMatch(/scratch\.ipynb not \(it could not be read as a notebook/);
  });
});

// Seed 000 as its handout asks it handed in: the P4/P5 notebook, the mytorch package and a training notebook for P6
// of their own. The P4/P5 notebook is graded (the assignment's files: names it); Q6.7's checks find their cells in
// the P6 notebook, executed after it, its cells numbered after the P4/P5 notebook's.
describe('seed 000 in two notebooks: P4/P5, and a training notebook for P6 beside the mytorch package', () => {
  const loaded = loadAssignment(path.join(root, 'fixtures', 'assignments', 'seed-000.yaml'));
  const assignment: Assignment = { ...loaded, problems: [], questions: [] };
  const work = testTempDir('two-notebooks');
  const p45 = path.join(root, 'fixtures', 'submissions', 'seed-000-executed', 'correct.ipynb');
  const p6 = (fixture: string) => path.join(root, 'fixtures', 'submissions', 'seed-000-mytorch-executed', fixture);
  function folder(fixture: string): string {
    const dir = path.join(work, fixture);
    mkdirSync(dir, { recursive: true });
    copyFileSync(p45, path.join(dir, 'hw1_p4_5_6.ipynb'));
    copyFileSync(path.join(p6(fixture), 'hw1_p4_5_6.ipynb'), path.join(dir, 'p6_training.ipynb'));
    cpSync(path.join(p6(fixture), 'mytorch'), path.join(dir, 'mytorch'), { recursive: true });
    return dir;
  }
  const p45Cells = Math.max(...notebookCells(p45).map((c) => c.cell));

  it('full marks on every execute: check, Q6.7 from the P6 notebook, which the feedback names with its cell numbers', async () => {
    const report = await grade({ assignment, submission: folder('correct') });
    expect(failures(report)).toEqual({});
    expect(report.score).toBe(total(assignment));
    expect(report.execution?.alsoExecuted).toEqual([{ file: 'p6_training.ipynb', firstCell: expect.any(Number), lastCell: expect.any(Number) }]);
    expect(report.execution!.alsoExecuted![0]!.firstCell).toBeGreaterThan(p45Cells);
  });

  it("the P6 notebook's own mistake costs Q6.7 its share, named at its cell", async () => {
    const report = await grade({ assignment, submission: folder('bug-accuracy-below-90') });
    const fails = { 'mytorch-training': ['saved-accuracy'] };
    expect(failures(report)).toEqual(fails);
    expect(report.score).toBeCloseTo(total(assignment) - lost(assignment, fails), 6);
    const first = report.execution!.alsoExecuted![0]!.firstCell;
    expect(messagesOf(report)).toContain(`the saved outputs of cell ${first + 7} show a test accuracy of 0.8843 (88.43%), not above the handout's 90.00%`);
  });
});
