// One request per property: a check's cases reach the submission's process as a few batch messages, a failing
// check is reported exactly as one call per case reports it (same counterexample, path, failure and named
// mistake), and each call of a batch keeps its own time limit.

import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ProblemResult, runProblem } from '../src/runner.ts';
import { problems } from '../spec/registry.ts';
import { variantsOf } from '../spec/subjects.ts';
import type { Limits } from './child-launch.ts';
import { ProcessSubject } from './process-subject.ts';
import { testTempDir } from './test-temp.ts';

const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'submissions');
const cwd = testTempDir('test');
const subjects: ProcessSubject[] = [];
const start = async (file: string, limits: Partial<Limits> = {}) => {
  const s = await ProcessSubject.start(path.join(fixtures, file), { cwd, seed: 1, limits });
  subjects.push(s);
  return s;
};
afterAll(async () => {
  await Promise.all(subjects.map((s) => s.close()));
});

/** A problem graded twice, each time in a fresh process: cases at once (the default), and one call per case. */
async function bothWays(file: string, problemId: keyof typeof problems, limits: Partial<Limits> = {}, only?: readonly string[]) {
  const problem = problems[problemId];
  const run = async (concurrent: boolean) => {
    const subject = await start(file, limits);
    const result = await runProblem(problem, subject, { seed: 20260301, variants: variantsOf(problem), concurrent, ...(only ? { only } : {}) });
    return { result, timing: subject.timing };
  };
  return { batched: await run(true), single: await run(false) };
}

/** What a report shows of each check (the `rerun` closure of a stateful failure aside). */
const shown = (r: ProblemResult) => r.checks.map(({ failure, ...c }) => ({ ...c, failure: failure && { ...failure, rerun: undefined } }));

describe('one request per property', () => {
  it('a failing check shrinks to the same counterexample, and is diagnosed the same, as with one call per case', async () => {
    const { batched, single } = await bothWays('softmax/bug-missing-inv-tau.py', 'softmax-jacobian');
    expect(batched.result.checks.some((c) => !c.passed && c.path?.includes(':'))).toBe(true); // some failure was shrunk
    expect(batched.result.checks.some((c) => c.diagnosis?.some((d) => d.id === 'missing-inv-tau'))).toBe(true);
    expect(shown(batched.result)).toEqual(shown(single.result));
  }, 120_000);

  it('a passing check takes a few messages instead of one per case', async () => {
    const { batched, single } = await bothWays('softmax/correct.py', 'softmax-temperature');
    expect(batched.result.checks.every((c) => c.passed)).toBe(true);
    expect(shown(batched.result)).toEqual(shown(single.result));
    expect(single.timing.messages).toBe(single.timing.calls);
    expect(batched.timing.calls).toBe(single.timing.calls);
    // Each check's cases leave in groups of CONCURRENT_CASES, and a case's calls in as many rounds. The child answers
    // each call as it finishes, so how many answers one read brings back, and so how many of the next round's calls
    // leave together, depends on the machine's timing: measured 106 to 186 messages for 1000 calls here (2 cores,
    // alone and beside the whole suite), against one message per call without batching.
    expect(batched.timing.messages).toBeLessThan(single.timing.calls / 4);
  }, 120_000);

  it('a case that overruns its time is reported as with one call per case: the input that failed, not shrunk', async () => {
    const { batched, single } = await bothWays('protocol/softmax-loops-on-long.py', 'softmax-temperature', { callTimeoutMs: 1500 }, ['matches-reference', 'probability-vector']);
    const timedOut = batched.result.checks.filter((c) => c.failure?.code === 'timeout');
    expect(timedOut.length).toBeGreaterThan(0);
    expect(timedOut.some((c) => Number(c.path) > 0)).toBe(true); // earlier cases passed first
    expect(shown(batched.result)).toEqual(shown(single.result));
  }, 120_000);
});

describe('a batch in the child', () => {
  it('times each call from the answer before it, so a batch may take longer than one call may', async () => {
    const s = await start('protocol/slow.py', { callTimeoutMs: 1000 });
    const naps = await Promise.all([0.4, 0.4, 0.4].map((t) => s.call('nap', [t])));
    expect(naps).toEqual([0.4, 0.4, 0.4]);
    expect(s.timing.messages).toBe(1);
  }, 30_000);

  it('stops at a call that overruns: those before it are answered, it times out, those after it are not run', async () => {
    const s = await start('protocol/slow.py', { callTimeoutMs: 1000 });
    const outcomes = await Promise.allSettled([0.01, 60, 0.01].map((t) => s.call('nap', [t])));
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 0.01 });
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: { code: 'timeout', message: 'nap did not return within 1000 ms' } });
    expect(outcomes[2]).toMatchObject({ status: 'rejected', reason: { code: 'timeout' } });
    expect(await s.call('nap', [0.01])).toBe(0.01); // a fresh child for the next call
  }, 30_000);
});
