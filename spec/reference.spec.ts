// Every suite passes on the reference: the reference is right by every check the suites can make
// (finite differences, invariants), and the suites do not reject a correct implementation.

import { describe, expect, it } from 'vitest';
import { formatCheckResult } from '../src/format.ts';
import { runCheck } from '../src/runner.ts';
import { problemIds, problems } from './registry.ts';
import { referenceSubject } from './subjects.ts';
import { TEST_SEED } from './seed.ts';

describe.each(problemIds)('reference passes %s', (id) => {
  const problem = problems[id];
  it.each(problem.checks.map((c) => [c.id, c] as const))('%s', async (_, check) => {
    const result = await runCheck(problem.id, check, referenceSubject, { seed: TEST_SEED });
    expect(result.passed, formatCheckResult(result)).toBe(true);
    expect(result.numRuns).toBeGreaterThanOrEqual(200);
  });
});
