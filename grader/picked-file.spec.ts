// Which file of a student's folder is graded (grader/submission.ts pickFile, grader/graded-names.ts): seed 002's
// students hand in Q3 (FashionMNIST) and Q4 (the numpy network) as two notebooks. Picked by name, the Q3 notebook
// came first and a correct Q4 scored 0; the file defining the names the assignment grades is graded, by `grade`
// and by a class batch alike, and the report says which file was graded and what else the folder holds.

import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from './assignment.ts';
import { discoverSubmissions } from './class-submissions.ts';
import { grade } from './grade.ts';
import { gradedFilePreference } from './graded-names.ts';
import { reportMarkdown } from './render/markdown.ts';
import { pickFile } from './submission.ts';
import { testTempDir } from './test-temp.ts';

const root = path.join(import.meta.dirname, '..');
const work = testTempDir('picked-file');
const seed002 = loadAssignment(path.join(root, 'fixtures', 'assignments', 'seed-002.yaml'));
const seed003 = loadAssignment(path.join(root, 'fixtures', 'assignments', 'seed-003.yaml'));

const code = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source });
const notebook = (...cells: string[]) => JSON.stringify({ cells: cells.map(code), metadata: {}, nbformat: 4, nbformat_minor: 5 });
// Seed 002's Q3 notebook as the seed's student starts it: FashionMNIST and a dense network, none of Q4's names.
const Q3 = notebook(
  "import torch\nimport torchvision\ntrainingdata = torchvision.datasets.FashionMNIST('./FashionMNIST', train=True, download=True, transform=torchvision.transforms.ToTensor())\n",
  'class DenseNN(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.layer1 = torch.nn.Linear(28*28, 10)\n\n    def forward(self, x):\n        return self.layer1(x.view(-1, 28*28))\n',
);

/** A student's folder: the Q3 notebook beside the handout-faithful Q4 notebook, named as the seed's student names them. */
function splitHomework(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'DL_HW1_Q3.ipynb'), Q3);
  copyFileSync(path.join(root, 'fixtures', 'submissions', 'seed-002-handout', 'correct.ipynb'), path.join(dir, 'DL_HW1_Q4.ipynb'));
  return dir;
}

describe('a folder holding several notebooks', () => {
  it('is graded on the one defining the names the assignment grades, not the first by name', () => {
    const dir = splitHomework(path.join(work, 'split'));
    const picked = pickFile(dir, gradedFilePreference(seed002));
    expect(picked).toEqual({ file: path.join(dir, 'DL_HW1_Q4.ipynb'), why: expect.stringMatching(/^it defines [1-9]\d* of the \d+ names this assignment grades/), others: ['DL_HW1_Q3.ipynb'] });
    // Without the assignment's names, the order is by name: the Q3 notebook.
    expect(pickFile(dir)?.file).toBe(path.join(dir, 'DL_HW1_Q3.ipynb'));
  });

  it("falls back to the names when none of the assignment's files: is there (a renamed notebook), and says so", () => {
    const dir = path.join(work, 'renamed');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'a_scratch.ipynb'), notebook('x = 1\n'));
    copyFileSync(path.join(root, 'fixtures', 'submissions', 'seed-003-handout', 'correct.ipynb'), path.join(dir, 'CS7150_HW2_solution.ipynb'));
    const picked = pickFile(dir, gradedFilePreference(seed003));
    expect(picked?.file).toBe(path.join(dir, 'CS7150_HW2_solution.ipynb'));
    expect(picked?.why).toMatch(/^the folder has none of the files the assignment names \(hw2\.ipynb, HW2\.ipynb\); it defines/);
  });

  it("a class batch picks each student's file the same way", () => {
    const classDir = path.join(work, 'class');
    splitHomework(path.join(classDir, 'student-a'));
    const [student] = discoverSubmissions(classDir, gradedFilePreference(seed002));
    expect(student?.file).toBe(path.join(classDir, 'student-a', 'DL_HW1_Q4.ipynb'));
  });

  it("full marks on Q4's code, and the feedback names the file graded and the other one", async () => {
    const dir = splitHomework(path.join(work, 'graded'));
    const { execute: _execute, ...problemsOnly } = seed002;
    const report = await grade({ assignment: { ...problemsOnly, questions: [] }, submission: dir });
    expect(report.problems.map((p) => [p.id, p.score])).toEqual(seed002.problems.map((p) => [p.id, p.points]));
    expect(reportMarkdown(report, { includeChecks: false })).toContain('also in the folder: DL_HW1_Q3.ipynb (the problems call the graded file\'s code alone).');
    expect(reportMarkdown(report, { includeChecks: false })).toMatch(/Graded DL_HW1_Q4\.ipynb \(it defines/);
  });
});
