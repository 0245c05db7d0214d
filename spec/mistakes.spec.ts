// Each suite rejects wrong implementations: every named mistake, put into the reference, fails at least one
// check, and the failure's call replayed on the mistake variants names that very mistake.

import { describe, expect, it } from 'vitest';
import { formatCheckResult } from '../src/format.ts';
import { runProblem } from '../src/runner.ts';
import { problemIds, problems } from './registry.ts';
import { mistakeSubject, variantsOf } from './subjects.ts';
import { TEST_SEED } from './seed.ts';

const cases = problemIds.flatMap((id) => problems[id].mistakes.map((m) => [id, m.id, m] as const));

describe('every named mistake is caught and named', () => {
  it.each(cases)('%s: %s', async (id, _, m) => {
    const problem = problems[id];
    const result = await runProblem(problem, mistakeSubject(m), { seed: TEST_SEED, variants: variantsOf(problem) });
    const failed = result.checks.filter((c) => !c.passed);
    expect(failed.length, `mistake ${m.id} passed every check of ${id}`).toBeGreaterThan(0);
    const report = failed.map((c) => formatCheckResult(c)).join('\n');
    expect(failed.some((c) => c.diagnosis?.some((d) => d.id === m.id)), `no failure was diagnosed as ${m.id}:\n${report}`).toBe(true);
    // What a student reads: the property, the input, and how to replay it.
    for (const c of failed) {
      const text = formatCheckResult(c);
      expect(text).toContain(`--seed ${c.seed}`);
      expect(text).toContain('input:');
      expect(c.failure?.code).not.toBe('check_error');
    }
  });
});
