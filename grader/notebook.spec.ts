// Notebook submissions: a seed-shaped notebook (markdown, outputs, magics, a download, an endless training
// loop and plots next to the functions) is graded exactly like the equivalent .py, check by check, and the
// top-level work is never run: if the `while True` training loop ran, loading would time out and every
// problem would score 0.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAssignment } from './assignment.ts';
import { grade } from './grade.ts';
import type { GradeReport } from './report.ts';
import { cellSummary, extractNotebook } from './notebook.ts';
import { notebookSentence, reportMarkdown } from './render/markdown.ts';
import { GradescopeResultsSchema, toGradescope } from './render/gradescope.ts';

const root = path.join(import.meta.dirname, '..', 'fixtures', 'submissions');
const notebook = (name: string) => path.join(root, 'notebooks', name);

// Seed 000's problems 1-2 with two of its deductions (fixtures/assignments/catalog-seed-000.yaml); few runs per check
// (the same seeds on both sides, so the comparison is exact), to keep the test short.
const assignment = parseAssignment(
  [
    'name: seed 000 notebook test',
    'seed: 20260301',
    'problems:',
    '  - { id: softmax-temperature, points: 2, runs: 20 }',
    '  - id: softmax-jacobian',
    '    points: 4',
    '    runs: 20',
    '    mistakes: { missing-inv-tau: { deduct: 2 } }',
    '  - { id: affine-ls-gradient, points: 6, runs: 20 }',
    '  - id: huber-gradient',
    '    points: 6',
    '    runs: 20',
    '    mistakes: { no-delta-clip: { deduct: 4 } }',
    '  - { id: huber-loss, points: 3, runs: 20 }',
    '  - { id: huber-fit, points: 4, runs: 10 }',
  ].join('\n'),
  'seed-000-notebook-test.yaml',
);

/** Short enough that a training loop run at load time fails the test quickly. */
const limits = { startupTimeoutMs: 20_000 };

/** Everything a grade decides, per check: whether it passed, its score, the failing input and the named mistake. */
const verdicts = (r: GradeReport) =>
  r.problems.map((p) => ({
    id: p.id,
    score: p.score,
    mistake: p.mistake?.id,
    checks: p.checks.map((c) => ({ check: c.result.check, passed: c.result.passed, score: c.score, counterexample: c.result.counterexample })),
  }));

describe('a seed-shaped notebook is graded like the equivalent .py', () => {
  it.each([
    ['seed-000-correct.ipynb', 'seed-000/correct.py'],
    ['seed-000-typical.ipynb', 'seed-000/typical.py'],
  ])('%s grades as %s', async (nb, py) => {
    const [fromNotebook, fromPy] = await Promise.all([
      grade({ assignment, submission: notebook(nb), limits }),
      grade({ assignment, submission: path.join(root, py), limits }),
    ]);
    expect(fromNotebook.ungradable).toBeUndefined();
    expect(fromNotebook.loadErrors).toEqual([]);
    expect(verdicts(fromNotebook)).toEqual(verdicts(fromPy));
    expect(fromNotebook.score).toBe(fromPy.score);
    if (py.endsWith('typical.py')) {
      // Not trivially equal: the bugs cost exactly the priced deductions in both.
      const deduct = (problem: string, mistake: string) => assignment.problems.find((p) => p.id === problem)!.mistakes[mistake]!.deduct;
      expect(fromNotebook.score).toBe(fromNotebook.maxScore - deduct('softmax-jacobian', 'missing-inv-tau') - deduct('huber-gradient', 'no-delta-clip'));
      expect(fromNotebook.problems.find((p) => p.id === 'softmax-jacobian')?.mistake?.id).toBe('missing-inv-tau');
      expect(fromNotebook.problems.find((p) => p.id === 'huber-gradient')?.mistake?.id).toBe('no-delta-clip');
    } else {
      expect(fromNotebook.score).toBe(fromNotebook.maxScore);
    }
    // Which cells were used is in the feedback and in results.json.
    const { used, skipped } = cellSummary(fromNotebook.notebook!);
    expect(used).toEqual([3, 5, 8, 11, 12]);
    expect(skipped).toEqual([2, 6, 10, 14, 15, 16]);
    expect(reportMarkdown(fromNotebook, { includeChecks: true })).toContain('graded the code of cells 3, 5, 8, 11, 12; skipped cells 2, 6, 10, 14, 15, 16');
    // Where the assignment also executes the notebook, its top-level work is not "never run".
    expect(notebookSentence(fromNotebook.notebook!, true)).toBe('Notebook: the problems call the functions and classes of cells 3, 5, 8, 11, 12, loaded without their top-level work; every code cell is also executed in order, as the next sentence says.');
    const results = toGradescope(fromNotebook);
    expect(GradescopeResultsSchema.safeParse(results).success).toBe(true);
    expect(results.extra_data?.['gradecheck']).toMatchObject({ notebook: { cells_used: used, cells_skipped: skipped } });
  });
});

describe('what the extractor keeps and skips', () => {
  const extraction = extractNotebook(notebook('seed-000-correct.ipynb'));
  const cell = (n: number) => extraction.cells.find((c) => c.cell === n)!;

  it('keeps imports the definitions use, the definitions, and the constants they read', () => {
    expect(extraction.source).toMatch(/^import numpy as np$/m);
    for (const name of ['softmax', 'softmax_jacobian', 'affine_ls_grad', 'huber_loss', 'huber_grad', 'huber_fit']) expect(extraction.source).toContain(`def ${name}(`);
    expect(cell(11).kept.map((k) => k.what)).toEqual(['IRLS_ITERS', 'TINY', 'RIDGE']); // read by huber_fit (a default, a body)
    expect(cell(11).skipped.map((k) => k.what)).toEqual(['DELTA', 'lr']); // used only by the training loop
  });

  it('never keeps shell and magic lines, downloads, training loops, plots or __main__ blocks', () => {
    for (const text of ['pip install', '%matplotlib', 'urlretrieve', 'np.load', 'while True', 'plt.', '__main__', 'os.system', 'print(']) {
      expect(extraction.source, text).not.toContain(text);
    }
    expect(cell(2).skipped.map((s) => s.reason)).toEqual(['shell or magic line', 'shell or magic line', 'shell or magic line']);
    expect(cell(6)).toMatchObject({ status: 'skipped', skipped: [{ what: '%%time' }] });
    expect(cell(10).skipped.find((s) => s.what.startsWith('urllib'))?.reason).toMatch(/top-level work/);
    expect(cell(14).skipped.map((s) => s.reason)).toContain('top-level work (a loop: training, data preparation)');
    expect(cell(16).skipped[0]?.reason).toMatch(/conditional/);
  });

  it('keeps a dict of lambdas (their bodies are not evaluated) and drops calls of anything but cheap modules', () => {
    const seed003 = extractNotebook(notebook('seed-003-buggy.ipynb'));
    expect(seed003.source).toContain('ACTIVATIONS = {');
    expect(seed003.source).not.toMatch(/torchvision|DataLoader|MNIST/);
  });
});

describe("Colab's device global", () => {
  it('is kept for the definitions that read it: asking torch.cuda.is_available() is cheap; a CUDA call is not', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-nb-device-'));
    try {
      const code = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source });
      const file = path.join(dir, 'hw.ipynb');
      writeFileSync(file, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [
        code("import torch\ndevice = torch.device('cuda' if torch.cuda.is_available() else 'cpu')\nSEED = torch.cuda.manual_seed(0)\n"),
        code('def initialize_weights(shape, method):\n    return torch.zeros(shape, device=device) + SEED\n'),
      ] }));
      const extraction = extractNotebook(file);
      expect(extraction.source).toContain("device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')");
      expect(extraction.source).not.toContain('manual_seed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a notebook that does not parse everywhere', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-nb-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const code = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source });

  it('a cell with a syntax error is reported with its number; the other cells are graded', async () => {
    const file = path.join(dir, 'hw.ipynb');
    writeFileSync(
      file,
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: {},
        cells: [
          { cell_type: 'markdown', metadata: {}, source: '# HW' },
          code('import numpy as np\ndef softmax(z, tau):\n    e = np.exp((np.asarray(z) - np.max(z)) / tau)\n    return e / e.sum()\n'),
          code('def softmax_jacobian(z, tau)\n    return None\n'),
        ],
      }),
    );
    const one = parseAssignment('name: t\nseed: 1\nproblems:\n  - { id: softmax-temperature, points: 2 }\n  - { id: softmax-jacobian, points: 4 }', 't.yaml');
    const report = await grade({ assignment: one, submission: file, limits });
    expect(report.loadErrors[0]?.message).toMatch(/SyntaxError in notebook cell 3/);
    expect(report.problems.map((p) => p.score)).toEqual([2, 0]);
  });

  it('a file that is not a notebook is a load error, not a crash', async () => {
    const file = path.join(dir, 'broken.ipynb');
    writeFileSync(file, '{"cells": 3');
    const one = parseAssignment('name: t\nseed: 1\nproblems:\n  - { id: softmax-temperature, points: 2 }', 't.yaml');
    const report = await grade({ assignment: one, submission: file, limits });
    expect(report.ungradable).toBeUndefined();
    expect(report.loadErrors[0]?.message).toMatch(/could not be read/);
    expect(report.score).toBe(0);
  });
});
