// `check`'s exit code, which a student's script or a CI job reads: 0 only when every check passes and every
// question earns its points; a bonus left undone does not fall short; an ungradable run is 3, never a pass or a fail.

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAssignment } from './assignment.ts';
import { EXIT, checkExitCode } from './cli.ts';
import { grade } from './grade.ts';
import type { GradeReport } from './report.ts';

const root = path.join(import.meta.dirname, '..');
const assignment = loadAssignment(path.join(root, 'fixtures', 'assignments', 'catalog-seed-000.yaml'));
const softmaxOnly = { ...assignment, problems: assignment.problems.filter((p) => p.id.startsWith('softmax-')), questions: [] };
const graded = (fixture: string) => grade({ assignment: softmaxOnly, submission: path.join(root, 'fixtures', 'submissions', 'softmax', fixture), visibleOnly: true });

describe("check's exit code", () => {
  let correct: GradeReport;
  let buggy: GradeReport;
  beforeAll(async () => {
    [correct, buggy] = await Promise.all([graded('correct.py'), graded('bug-missing-inv-tau.py')]);
  }, 120_000);

  it('is 0 when every check passes, 1 when one fails', () => {
    expect(checkExitCode(correct)).toBe(EXIT.ok);
    expect(buggy.problems.find((p) => p.id === 'softmax-jacobian')!.checks.some((c) => !c.result.passed)).toBe(true);
    expect(checkExitCode(buggy)).toBe(EXIT.failed);
  });

  it('is 0 when the only checks failed are a bonus problem\'s', () => {
    const bonus = { ...buggy, problems: buggy.problems.map((p) => (p.id === 'softmax-jacobian' ? { ...p, bonus: true as const } : p)) };
    expect(checkExitCode(bonus)).toBe(EXIT.ok);
    const alsoMissed = { ...bonus, problems: bonus.problems.map((p) => (p.id === 'softmax-temperature' ? { ...p, checks: p.checks.map((c, i) => (i === 0 ? { ...c, result: { ...c.result, passed: false } } : c)) } : p)) };
    expect(checkExitCode(alsoMissed)).toBe(EXIT.failed);
  });

  it('is 1 when a question falls short of its points, and 3 when the run is ungradable', () => {
    expect(checkExitCode({ ...correct, questions: [{ ...({} as GradeReport['questions'][number]), id: 'q', score: 0.5, points: 1 }] })).toBe(EXIT.failed);
    expect(checkExitCode({ ...correct, ungradable: 'no numpy' })).toBe(EXIT.ungradable);
  });
});
