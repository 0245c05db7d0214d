// Gradescope's conventions (issue 18): a test's status and score agree (a passed check earns its full weight; a
// priced mistake's deduction lands on the failed checks, or is its own line); the visible summary never reveals
// a hidden check's verdict; gradecheck's late policy is off under Gradescope unless the assignment asks; an
// ungradable result tells the student what to do. Synthetic check results: scoring is what is under test.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult, ProblemResult } from '../../src/runner.ts';
import { type ProblemSettings, parseAssignment } from '../assignment.ts';
import { main } from '../cli.ts';
import type { GradeReport } from '../report.ts';
import { scoreProblem } from '../score.ts';
import { GradescopeResultsSchema, toGradescope } from './gradescope.ts';

const MISTAKE = { id: 'missing-inv-tau', title: 'Jacobian without the 1/tau factor', hint: 'Differentiate y = softmax(z / tau).' };

function check(id: string, passed: boolean, named = !passed): CheckResult {
  return { problem: 'softmax-jacobian', check: id, title: `the ${id} check`, passed, numRuns: 10, seed: 1, ...(named ? { diagnosis: [MISTAKE] } : {}) };
}

const settings = (deduct: number, hidden: readonly string[] = []): ProblemSettings =>
  parseAssignment(
    [
      'name: t',
      'seed: 1',
      'problems:',
      '  - id: softmax-jacobian',
      '    points: 6',
      `    mistakes: { missing-inv-tau: { deduct: ${deduct} } }`,
      ...(hidden.length ? ['    checks:', ...hidden.map((c) => `      ${c}: { visibility: hidden }`)] : []),
    ].join('\n'),
    't.yaml',
  ).problems[0]!;

const result = (checks: readonly CheckResult[]): ProblemResult => ({ problem: 'softmax-jacobian', title: 'softmax Jacobian', checks });
// Three checks of weight 1: 2 points each.
const ids = ['matches-reference', 'rows-sum-to-zero', 'vanishes-as-tau-to-zero'] as const;

function report(problem: ReturnType<typeof scoreProblem>, extra: Partial<GradeReport> = {}): GradeReport {
  return {
    assignment: 't',
    assignmentFile: 't.yaml',
    submission: 'hw.py',
    seed: 1,
    score: problem.score,
    maxScore: problem.points,
    lateFactor: 1,
    daysLate: 0,
    problems: [problem],
    questions: [],
    loadErrors: [],
    stdout: '',
    stderr: '',
    executionTimeMs: 10,
    ...extra,
  };
}

describe("a test's status and score agree", () => {
  it('a deduction larger than the failed checks hold: passed checks keep their full weight, the rest is its own line', () => {
    // One failed check (2 points) explained by a mistake priced at 3: the problem earns 3.
    const scored = scoreProblem(settings(3), result([check(ids[0], false), check(ids[1], true), check(ids[2], true)]), 0);
    expect(scored.score).toBe(3);
    const tests = GradescopeResultsSchema.parse(toGradescope(report(scored))).tests;
    for (const t of tests.filter((x) => x.status === 'passed')) expect(t.score).toBe(t.max_score);
    for (const t of tests.filter((x) => x.status === 'failed')) expect(t.score).toBeLessThan(t.max_score === 0 ? 1e-12 : t.max_score);
    const deduction = tests.find((t) => t.tags.includes('deduction'));
    expect(deduction).toMatchObject({ score: -1, max_score: 0, status: 'failed', name: expect.stringContaining(MISTAKE.title) });
    expect(tests.reduce((s, t) => s + t.score, 0)).toBeCloseTo(scored.score, 9);
  });

  it('a deduction smaller than the failed checks hold lands on them, with no extra line', () => {
    // Two failed checks (4 points) explained by a mistake priced at 1: they keep 3 between them.
    const scored = scoreProblem(settings(1), result([check(ids[0], false), check(ids[1], false), check(ids[2], true)]), 0);
    const tests = toGradescope(report(scored)).tests;
    expect(tests.map((t) => [t.status, t.score, t.max_score])).toEqual([
      ['failed', 1.5, 2],
      ['failed', 1.5, 2],
      ['passed', 2, 2],
    ]);
    expect(scored.adjustment).toBeUndefined();
  });
});

describe('the visible summary never reveals a hidden check', () => {
  it("the Gradescope output is the same whether the hidden check passed or failed; the deduction line is as hidden as its check", () => {
    const hidden = settings(3, ['vanishes-as-tau-to-zero']);
    const passing = toGradescope(report(scoreProblem(hidden, result([check(ids[0], true), check(ids[1], true), check(ids[2], true)]), 0)));
    const failing = toGradescope(report(scoreProblem(hidden, result([check(ids[0], true), check(ids[1], true), check(ids[2], false)]), 0)));
    expect(failing.output).toBe(passing.output);
    expect(passing.output).toContain('visible checks passed');
    const visibleTests = (r: typeof passing) => r.tests.filter((t) => t.visibility === 'visible');
    expect(visibleTests(failing)).toEqual(visibleTests(passing));
    expect(failing.tests.find((t) => t.tags.includes('deduction'))?.visibility).toBe('hidden');
  });
});

describe('ungradable: the student is told what to do', () => {
  it('says it is not a grade and to resubmit, then tell staff; nobody claims staff were told', () => {
    const r = toGradescope(report(scoreProblem(settings(3), result([]), 0), { problems: [], ungradable: 'EnvironmentFailure: numpy is not installed' }));
    expect(r.output).toMatch(/not a grade[^]*resubmit[^]*tell course staff/i);
    const autograder = readFileSync(path.join(import.meta.dirname, '..', 'autograder', 'run_autograder'), 'utf8');
    for (const text of [r.output, autograder]) expect(text).not.toMatch(/have been told/);
    expect(autograder).toMatch(/Resubmit; if this message comes back, tell course staff/);
  });
});

describe("late policy under Gradescope's autograder", () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-late-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const answers = path.join(tmp, 'answers.yaml');
  writeFileSync(answers, 'q1: 2/n_in\n');
  const assignment = (onGradescope: boolean) => {
    const file = path.join(tmp, `a-${onGradescope}.yaml`);
    const policy = `{ due: "2026-03-01T00:00:00Z", penalty_per_day: 0.5, max_late_days: 3${onGradescope ? ', on_gradescope: true' : ''} }`;
    writeFileSync(file, `name: late\nseed: 1\nlate_policy: ${policy}\nquestions:\n  - { id: q1, title: He, points: 2, answer: "2/n_in", variables: { n_in: positive } }\n`);
    return file;
  };
  const graded = async (file: string, flags: readonly string[]) => {
    const out = path.join(tmp, `out-${path.basename(file)}-${flags.join('')}`);
    expect(await main(['node', 'gradecheck', 'grade', '--assignment', file, '--submission', answers, '--out', out, '--submitted-at', '2026-03-01T10:00:00Z', ...flags])).toBe(0);
    return GradescopeResultsSchema.parse(JSON.parse(readFileSync(path.join(out, 'results.json'), 'utf8'))).score;
  };

  it('is applied by `grade`, not under --gradescope unless late_policy.on_gradescope', async () => {
    expect(await graded(assignment(false), [])).toBe(1);
    expect(await graded(assignment(false), ['--gradescope'])).toBe(2);
    expect(await graded(assignment(true), ['--gradescope'])).toBe(1);
  });
});
