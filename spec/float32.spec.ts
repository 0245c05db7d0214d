// Widened tolerances still catch every named mistake. A submission that answers in float32 is compared at
// rtol >= 1e-4, atol >= 1e-5 (FLOAT32_FLOOR) on every check; here each named mistake answers as a float32
// implementation would (every number it returns rounded to float32) and is graded with the widened tolerances,
// as the grader grades such a submission. It must still fail a check, and still be named.

import { describe, expect, it } from 'vitest';
import type { Value } from '../src/failure.ts';
import { formatCheckResult } from '../src/format.ts';
import { type CheckResult, runProblem } from '../src/runner.ts';
import type { Subject } from '../src/subject.ts';
import { problemIds, problems } from './registry.ts';
import { mistakeSubject, variantsOf } from './subjects.ts';
import { TEST_SEED } from './seed.ts';

/** Every number of a value rounded to the nearest float32, as numpy's float32 arrays return them. */
const toFloat32 = (v: Value): Value => (typeof v === 'number' ? Math.fround(v) : Array.isArray(v) ? v.map(toFloat32) : v);

/** A subject whose answers (and the state it shows) are float32. */
function float32(subject: Subject): Subject {
  return {
    label: `${subject.label} (float32)`,
    call: async (fn, args) => toFloat32(await subject.call(fn, args)),
    create: (cls, args) => subject.create(cls, args),
    invoke: async (handle, method, args) => toFloat32(await subject.invoke(handle, method, args)),
    inspect: async (handle) => (await subject.inspect(handle)).map(toFloat32),
  };
}

const cases = problemIds.flatMap((id) => problems[id].mistakes.map((m) => [id, m.id, m] as const));

describe('every named mistake answering in float32 is caught under the widened tolerances, and named', () => {
  it.each(cases)('%s: %s', async (id, mistakeId, m) => {
    const problem = problems[id];
    const subject = float32(mistakeSubject(m));
    const failed: CheckResult[] = [];
    // Check by check, up to the first failure named as the mistake: what this test asserts is decided there, and the
    // checks after it (each passing one runs all its cases) would only add cost.
    for (const check of problem.checks) {
      const result = await runProblem({ ...problem, checks: [check] }, subject, { seed: TEST_SEED, variants: variantsOf(problem), lowPrecision: () => true });
      failed.push(...result.checks.filter((c) => !c.passed));
      if (failed.some((c) => c.diagnosis?.some((d) => d.id === mistakeId))) break;
    }
    expect(failed.length, `${mistakeId} in float32 passes every check of ${id} once the tolerances are widened`).toBeGreaterThan(0);
    expect(failed.some((c) => c.diagnosis?.some((d) => d.id === mistakeId)), `no float32 failure was named ${mistakeId}:\n${failed.map((c) => formatCheckResult(c)).join('\n')}`).toBe(true);
  });
});
