// The grader end to end on the bundled fixtures: correct submissions (in several styles and languages)
// get full marks, each bug-<mistake> fixture loses exactly the deduction the assignment prices for that
// mistake with the mistake named, and broken submissions get messages and a score instead of a crash.
// Expected scores are computed from the assignment, never copied from a run.

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { problems, type ProblemId } from '../spec/registry.ts';
import { loadAssignment, parseAssignment } from './assignment.ts';
import { grade } from './grade.ts';
import { GradescopeResultsSchema, toGradescope } from './render/gradescope.ts';
import { reportTerminal } from './render/terminal.ts';

/** Which problems each fixture folder implements. */
export const FIXTURE_TOPICS: Record<string, readonly ProblemId[]> = {
  softmax: ['softmax-temperature', 'softmax-jacobian'],
  init: ['init-schemes'],
  variance: ['variance-rules'],
  'activation-statistics': ['activation-statistics'],
  'optim-sgd': ['momentum-sgd'],
  'optim-moments': ['ema', 'gradient-stats'],
  'optim-adam': ['adam-step', 'adamw-step', 'adam-closed-form'],
  mlp: ['mlp-backprop'],
  batchnorm: ['batchnorm'],
  residual: ['residual-block'],
  box: ['box-network'],
  'param-count': ['param-count'],
  metrics: ['metrics'],
  optimizers: ['sgd-weight-decay', 'adam-optimizer'],
  'affine-ls': ['affine-ls-gradient'],
  losses: ['losses'],
  activations: ['activations'],
  huber: ['huber-loss', 'huber-gradient', 'huber-fit'],
};

const POINTS = 10;
const DEDUCT = 4;

/** An assignment over the topic's problems that prices every named mistake at DEDUCT points. */
function assignmentFor(ids: readonly ProblemId[]) {
  const yaml = [
    'name: fixture test',
    'seed: 7',
    'problems:',
    ...ids.flatMap((id) => [
      `  - id: ${id}`,
      `    points: ${POINTS}`,
      '    mistakes:',
      ...problems[id].mistakes.map((m) => `      ${m.id}: { deduct: ${DEDUCT} }`),
    ]),
  ].join('\n');
  return parseAssignment(yaml, `fixture-test-${ids.join('+')}.yaml`);
}

const fixtureDir = (topic: string) => path.join(import.meta.dirname, '..', 'fixtures', 'submissions', topic);

const seed003File = path.join(import.meta.dirname, '..', 'fixtures', 'assignments', 'catalog-seed-003.yaml');
const seed003 = loadAssignment(seed003File);

/**
 * The bug fixtures of the mistakes catalog-seed-003.yaml prices, each with the topic it is graded on: graded once,
 * with seed 003's settings and prices (below), not again here.
 */
const pricedBySeed003 = seed003.problems.flatMap((settings) =>
  Object.entries(settings.mistakes).flatMap(([mistake, rubric]) => {
    const topic = Object.entries(FIXTURE_TOPICS).find(([t, ids]) => ids.includes(settings.id) && existsSync(path.join(fixtureDir(t), `bug-${mistake}.py`)));
    return topic ? [[`${settings.id}: ${mistake}`, topic[0], topic[1], settings.id, mistake, rubric.deduct] as const] : [];
  }),
);

const cases = Object.entries(FIXTURE_TOPICS).flatMap(([topic, ids]) =>
  readdirSync(fixtureDir(topic))
    .filter((file) => !pricedBySeed003.some(([, t, , , mistake]) => t === topic && file === `bug-${mistake}.py`))
    .map((file) => [topic, file, ids] as const),
);

describe('grading the fixtures', () => {
  // Concurrent: each grading waits on its own child process, so two cores overlap them.
  it.concurrent.each(cases)('%s/%s', async (topic, file, ids) => {
    const assignment = assignmentFor(ids);
    const report = await grade({ assignment, submission: path.join(fixtureDir(topic), file) });
    expect(report.ungradable).toBeUndefined();
    expect(GradescopeResultsSchema.safeParse(toGradescope(report)).success).toBe(true);
    const bug = /^bug-(.+)\.\w+$/.exec(file)?.[1];
    const owner = bug === undefined ? undefined : ids.find((id) => problems[id].mistakes.some((m) => m.id === bug));
    if (bug !== undefined) expect(owner, `fixture ${file} names no mistake of ${ids.join(', ')}`).toBeDefined();
    for (const p of report.problems) {
      const expected = p.id === owner ? POINTS - DEDUCT : POINTS;
      const failures = p.checks.filter((c) => !c.result.passed).map((c) => `${c.result.check}: ${c.result.failure?.message}`);
      expect(p.score, `${p.id}: ${failures.join('; ')}`).toBeCloseTo(expected, 6);
      // Named, or named beside another mistake that the shrunk input cannot tell apart from it (the student is told both).
      if (p.id === owner) expect([p.mistake?.id, ...(p.alsoFits ?? []).map((m) => m.id)]).toContain(bug);
    }
    expect(report.score).toBeCloseTo(ids.length * POINTS - (owner ? DEDUCT : 0), 6);
  });
});

describe('broken submissions get messages and a score, never a crash', () => {
  const softmax = assignmentFor(['softmax-temperature', 'softmax-jacobian']);
  const broken = (name: string) => path.join(fixtureDir('broken'), name);

  it('a syntax error: every problem 0, the error and its line shown', async () => {
    const report = await grade({ assignment: softmax, submission: broken('syntax-error.py') });
    expect(report.score).toBe(0);
    expect(report.loadErrors[0]?.message).toMatch(/SyntaxError.*line 3/);
    expect(report.problems.every((p) => p.notice?.includes('not defined'))).toBe(true);
  });

  it('a failing import: what the file defines is still graded', async () => {
    const report = await grade({ assignment: softmax, submission: broken('import-error.py') });
    // The missing module is stubbed (only code that uses it would fail); the training loop's error is reported.
    expect(report.missingModules).toEqual(['wandb']);
    expect(report.loadErrors[0]?.message).toContain('training loop needs a GPU');
    expect(report.problems.find((p) => p.id === 'softmax-temperature')?.score).toBe(POINTS);
    expect(report.problems.find((p) => p.id === 'softmax-jacobian')?.score).toBe(0);
  });

  it('wrong types, raised errors and mutated inputs are named per check', async () => {
    const report = await grade({ assignment: softmax, submission: broken('wrong-types.py') });
    const codes = report.problems.flatMap((p) => p.checks.map((c) => c.result.failure?.code));
    expect(codes).toContain('mutated_input');
    expect(codes).toContain('wrong_type');
    expect(report.score).toBe(0);
  });

  it('a JS module that defines nothing asked for', async () => {
    const report = await grade({ assignment: softmax, submission: broken('empty.js') });
    expect(report.score).toBe(0);
    expect(report.problems.every((p) => p.checks.every((c) => c.result.failure?.code === 'missing'))).toBe(true);
    // The terminal says it once per problem, not once per check.
    const text = reportTerminal(report);
    expect(text.match(/not defined by the submission/g)).toHaveLength(report.problems.length);
    expect(text).not.toContain('FAIL');
  });

  it('an infinite loop costs its checks, with the limit named, and the rest is graded', async () => {
    const report = await grade({ assignment: softmax, submission: broken('infinite-loop.py'), limits: { callTimeoutMs: 500 } });
    const temperature = report.problems.find((p) => p.id === 'softmax-temperature')!;
    expect(temperature.checks.every((c) => c.result.failure?.code === 'timeout')).toBe(true);
    expect(temperature.checks[0]?.result.failure?.message).toContain('did not return within 500 ms');
    expect(report.problems.find((p) => p.id === 'softmax-jacobian')?.score).toBe(POINTS);
  });

  it('a submission in an unsupported language is ungradable, not 0', async () => {
    const report = await grade({ assignment: softmax, submission: broken('../../assignments/README.md') });
    expect(report.ungradable).toMatch(/unsupported submission type/);
    expect(toGradescope(report).extra_data?.['gradecheck']).toMatchObject({ ungradable: true });
  });
});

describe("seed 003's problems as the catalog's functions (catalog-seed-003.yaml)", () => {
  const total = seed003.problems.reduce((s, p) => s + p.points, 0);

  it('the correct submission gets full marks', async () => {
    const report = await grade({ assignment: seed003, submission: path.join(fixtureDir('seed-003'), 'correct.py') });
    const failed = report.problems.flatMap((p) => p.checks.filter((c) => !c.result.passed).map((c) => `${p.id}/${c.result.check}: ${c.result.failure?.message}`));
    expect(failed).toEqual([]);
    expect(report.score).toBe(total);
  });

  // Every mistake the assignment prices that has a bug fixture: graded on the problems its topic implements,
  // it loses exactly the assignment's deduction, with the mistake named (the fixtures test above leaves these out).
  const priced = pricedBySeed003;

  it.concurrent.each(priced)('%s', async (_, topic, ids, owner, mistake, deduct) => {
    const assignment = { ...seed003, problems: seed003.problems.filter((p) => ids.includes(p.id)) };
    const report = await grade({ assignment, submission: path.join(fixtureDir(topic), `bug-${mistake}.py`) });
    for (const p of report.problems) {
      const settings = seed003.problems.find((s) => s.id === p.id)!;
      expect(p.score, p.id).toBeCloseTo(p.id === owner ? settings.points - deduct : settings.points, 6);
      if (p.id === owner) expect(p.mistake?.id).toBe(mistake);
    }
  });

  it('has a bug fixture for every mistake it prices', () => {
    const all = seed003.problems.flatMap((p) => Object.keys(p.mistakes).map((m) => `${p.id}: ${m}`));
    expect(all.filter((m) => !priced.some((c) => c[0] === m))).toEqual([]);
  });
});
