// Seed 000's mytorch package graded as a package (fixtures/submissions/seed-000-mytorch, written by its
// make_fixtures.py): a package that does not import is reported with the student's file and line, as a load
// error and on every check that needed it, never as a silent 0; a module that lacks a method costs only the checks
// that call it. The grading of the correct package, its handout variants and the bug folders is in
// grader/handout.spec.ts. Expected scores come from the assignment's points and the problems' check counts.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from './assignment.ts';
import { grade } from './grade.ts';
import { problems } from '../spec/registry.ts';

const root = path.join(import.meta.dirname, '..');
const dir = path.join(root, 'fixtures', 'submissions', 'seed-000-mytorch');
const loaded = loadAssignment(path.join(root, 'fixtures', 'assignments', 'seed-000.yaml'));
// Problem 6 alone: the notebook's execute: checks (problems 4 and 5) are graded in grader/execution/execution.spec.ts.
const { execute: _execute, ...withoutExecution } = loaded;
const mytorch = { ...withoutExecution, problems: loaded.problems.filter((p) => p.id.startsWith('mytorch-')) };

describe('the mytorch package', () => {
  it('that fails to import is reported with its file and line, and every check says why it failed', async () => {
    const file = path.join('mytorch', 'nn', 'modules', 'linear.py');
    const lines = readFileSync(path.join(dir, 'broken-syntax-error', file), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.trim() === 'def forward(self, x)') + 1;
    expect(line).toBeGreaterThan(0);
    const report = await grade({ assignment: mytorch, submission: path.join(dir, 'broken-syntax-error') });
    const importError = report.loadErrors.find((e) => e.kind === 'import');
    expect(importError?.message).toContain(`${file}, line ${line}`);
    expect(importError?.message).toContain('SyntaxError');
    expect(report.ungradable).toBeUndefined();
    for (const problem of report.problems) {
      expect(problem.score).toBe(0);
      for (const check of problem.checks) expect(check.result.failure?.message, `${problem.id}/${check.result.check}`).toContain(`${file}, line ${line}`);
    }
  });

  it('whose Sigmoid lacks backward loses only the check that calls it', async () => {
    const report = await grade({ assignment: mytorch, submission: path.join(dir, 'broken-no-sigmoid-backward') });
    const failed = report.problems.flatMap((p) => p.checks.filter((c) => !c.result.passed).map((c) => `${p.id}/${c.result.check}`));
    expect(failed).toEqual(['mytorch-activations/sigmoid-backward-matches-finite-differences']);
    const activations = mytorch.problems.find((p) => p.id === 'mytorch-activations')!;
    const share = activations.points / problems['mytorch-activations'].checks.length;
    const total = mytorch.problems.reduce((s, p) => s + p.points, 0);
    expect(report.problems.reduce((s, p) => s + p.score, 0)).toBeCloseTo(total - share, 6);
    expect(report.problems.find((p) => p.id === 'mytorch-activations')!.checks.find((c) => !c.result.passed)!.result.failure?.message).toMatch(/backward/);
  });

  // Named mistakes the assignment does not price: numpy raises where their shapes disagree (G @ W.T on a layer that is
  // not square, SGD pairing W with db), and a raise names no mistake, so the problem earns the share of the checks
  // it passes; the failures numpy lets through are named.
  const UNPRICED = [
    { mistake: 'dx-uses-transpose', owner: 'mytorch-linear', fails: ['backward-matches-reference', 'backward-matches-finite-differences'] },
    { mistake: 'gradients-out-of-order', owner: 'mytorch-sequential-sgd', fails: ['backward-is-the-reverse-chain', 'single-module-is-the-module', 'training-step-updates-the-modules'] },
  ] as const;

  it.each(UNPRICED)('with the unpriced mistake $mistake loses the checks it fails, named', async ({ mistake, owner, fails }) => {
    const report = await grade({ assignment: mytorch, submission: path.join(dir, `unpriced-${mistake}`) });
    const failed = report.problems.flatMap((p) => p.checks.filter((c) => !c.result.passed).map((c) => `${p.id}/${c.result.check}`));
    expect(failed.sort()).toEqual(fails.map((c) => `${owner}/${c}`).sort());
    const problem = report.problems.find((p) => p.id === owner)!;
    const points = mytorch.problems.find((p) => p.id === owner)!.points;
    const checks = problems[owner].checks.length;
    expect(problem.score).toBeCloseTo((points * (checks - fails.length)) / checks, 6);
    expect(problem.checks.some((c) => c.result.diagnosis?.some((d) => d.id === mistake))).toBe(true);
  });

  it("with a loss whose forward and backward disagree loses Q6.3's deduction only: the 3-argument gradient_check runs with the staff's loss", async () => {
    const report = await grade({ assignment: mytorch, submission: path.join(dir, 'bug-forward-sum-backward-mean') });
    const owner = report.problems.find((p) => p.id === 'mytorch-softmax-ce')!;
    const settings = mytorch.problems.find((p) => p.id === 'mytorch-softmax-ce')!;
    expect(owner.mistake?.id).toBe('forward-sum-backward-mean');
    expect(owner.score).toBeCloseTo(settings.points - settings.mistakes['forward-sum-backward-mean']!.deduct, 6);
    for (const other of report.problems.filter((p) => p.id !== owner.id)) expect(other.score, other.id).toBe(other.points);
  });

  it('that was not handed in is no load error: each mytorch check says the package is missing', async () => {
    const report = await grade({ assignment: mytorch, submission: path.join(root, 'fixtures', 'submissions', 'seed-000-handout', 'correct.ipynb') });
    expect(report.loadErrors).toEqual([]);
    for (const problem of report.problems) {
      expect(problem.score).toBe(0);
      for (const check of problem.checks) expect(check.result.failure?.message, `${problem.id}/${check.result.check}`).toContain('no mytorch package');
    }
  });
});
