// The runner: results as data, reproducible seeds, replay by path, diagnosis of named mistakes.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finite, vector } from '../../src/arbitraries.ts';
import { formatCheckResult, formatProblemResult, formatValue } from '../../src/format.ts';
import { matchesOracle } from '../../src/laws.ts';
import { DEFAULT_RUNS, type Problem, defineCheck } from '../../src/problem.ts';
import { checkSeed, diagnose, runCheck, runProblem } from '../../src/runner.ts';
import { moduleSubject } from '../../src/subject.ts';
import { tolerance } from '../../src/tolerance.ts';

const tol = tolerance(1e-9, 1e-12, 'exact arithmetic');
const sumCheck = matchesOracle({
  id: 'sum',
  title: 'total(x) is the sum of x',
  arbitrary: vector({ maxLength: 6 }),
  fn: 'total',
  args: (x) => [x],
  oracle: (x) => x.reduce((s, v) => s + v, 0),
  tolerance: tol,
});
const problem: Problem = {
  id: 'toy',
  title: 'Toy',
  source: 'test',
  signatures: ['total(x)'],
  checks: [sumCheck, defineCheck({ id: 'always', title: 'always holds', arbitrary: finite(), run: async () => {} })],
  mistakes: [
    { id: 'drops-last', title: 'drops the last entry', hint: 'loop to the end', implementation: { total: (x: number[]) => x.slice(0, -1).reduce((s, v) => s + v, 0) } },
    { id: 'doubles', title: 'doubles', hint: 'h', implementation: { total: (x: number[]) => 2 * x.reduce((s, v) => s + v, 0) } },
  ],
};
const correct = moduleSubject('correct', { total: (x: number[]) => x.reduce((s, v) => s + v, 0) });
const buggy = moduleSubject('buggy', problem.mistakes[0]!.implementation);
const variants = problem.mistakes.map((m) => ({ mistake: m, subject: moduleSubject(m.id, m.implementation) }));

describe('runner', () => {
  it('passes a correct subject with every run', async () => {
    const r = await runCheck('toy', sumCheck, correct, { seed: 1 });
    expect(r).toMatchObject({ passed: true, numRuns: DEFAULT_RUNS, seed: checkSeed(1, 'toy', 'sum') });
    expect(formatCheckResult(r)).toMatch(/^PASS toy › sum/);
  });

  it('fails a wrong subject with a shrunk counterexample, the failing call, and a replayable seed and path', async () => {
    const r = await runCheck('toy', sumCheck, buggy, { seed: 1 });
    expect(r.passed).toBe(false);
    expect(r.failure?.code).toBe('value_mismatch');
    // Shrinking reaches the smallest failing input: one nonzero entry on the grid.
    const x = r.counterexample as number[];
    expect(x.length === 1 && Math.abs(x[0]!) === 0.01).toBe(true);
    expect(r.failure?.call).toEqual({ fn: 'total', args: [x] });
    const replay = await runCheck('toy', sumCheck, buggy, { seed: 999, checkSeed: r.seed, ...(r.path ? { path: r.path } : {}) });
    expect(replay.counterexample).toEqual(r.counterexample);
    expect(replay.numRuns).toBe(1);
  });

  it('is deterministic: the same seed gives the same result', async () => {
    const a = await runCheck('toy', sumCheck, buggy, { seed: 5 });
    const b = await runCheck('toy', sumCheck, buggy, { seed: 5 });
    expect(b).toEqual(a);
  });

  it('names the mistake whose variant reproduces the answer, and only that one', async () => {
    const r = await runProblem(problem, buggy, { seed: 1, variants });
    const failed = r.checks.find((c) => !c.passed);
    expect(failed?.diagnosis?.map((d) => d.id)).toEqual(['drops-last']);
    expect(formatProblemResult(r)).toContain('likely mistake: drops the last entry. loop to the end');
    expect(r.checks.find((c) => c.check === 'always')?.passed).toBe(true);
  });

  it('diagnoses nothing without a received answer, and skips variants that raise', async () => {
    expect(await diagnose({ code: 'missing', message: 'm' }, variants)).toEqual([]);
    const raising = [{ mistake: problem.mistakes[0]!, subject: moduleSubject('x', {}) }];
    expect(await diagnose({ code: 'value_mismatch', message: 'm', call: { fn: 'total', args: [[1]] }, received: 0 }, raising)).toEqual([]);
    expect(await diagnose({ code: 'value_mismatch', message: 'm', call: { fn: 'total', args: [[1]] }, received: 'text' }, variants)).toEqual([]);
  });

  it('reports a missing function as missing, not as a wrong answer', async () => {
    const r = await runProblem(problem, moduleSubject('empty', {}), { seed: 1, only: ['sum'] });
    expect(r.checks).toHaveLength(1);
    expect(r.checks[0]?.failure?.code).toBe('missing');
    expect(formatCheckResult(r.checks[0]!)).toContain('not found');
  });

  it('honours a run-count override and a time limit', async () => {
    const r = await runCheck('toy', sumCheck, correct, { seed: 1, numRuns: 7, timeLimitMs: 10_000 });
    expect(r.numRuns).toBe(7);
  });

  it('formats values for messages', () => {
    expect(formatValue([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toBe('[1, 2, 3, 4, 5, 6, ... 3 more ..., 10]');
    expect(formatValue({ a: NaN, b: -Infinity, c: 1e-9, d: 'x', e: null, f: undefined })).toBe(
      '{ a: NaN, b: -Infinity, c: 1.0000e-9, d: "x", e: null/None, f: undefined/None }',
    );
    expect(formatValue(true)).toBe('true');
    fc.assert(fc.property(fc.double(), (x) => typeof formatValue(x) === 'string'));
  });
});
