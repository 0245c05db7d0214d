// A handout's own convention is a problem of its own: its checks pass on the reference as the handout defines
// it, each of its named mistakes is caught and named, and the catalog's reference (the other convention) is one
// of those mistakes, so selecting the wrong convention in an assignment could not go unnoticed.

import { describe, expect, it } from 'vitest';
import { runProblem } from '../src/runner.ts';
import { moduleSubject } from '../src/subject.ts';
import * as reference from '../reference/index.ts';
import { problemIds, problems } from './registry.ts';
import { mistakeSubject, referenceUnder, variantsOf } from './subjects.ts';
import { TEST_SEED } from './seed.ts';

const conventions = problemIds.flatMap((id) => ((problems[id] as { conventions?: readonly import('../src/problem.ts').Convention[] }).conventions ?? []).map((c) => [id, c.id, c] as const));

describe.each(conventions)('%s, convention %s', (catalogId, __, convention) => {
  const problem = convention.problem;

  it('passes every check on the reference as the handout defines it', async () => {
    const result = await runProblem(problem, referenceUnder(problems[catalogId], convention.id), { seed: TEST_SEED });
    expect(result.checks.filter((c) => !c.passed).map((c) => `${c.check}: ${c.failure?.message}`)).toEqual([]);
  });

  it.each(problem.mistakes.map((m) => [m.id, m] as const))('catches and names %s', async (id, m) => {
    const result = await runProblem(problem, mistakeSubject(m), { seed: TEST_SEED, variants: variantsOf(problem) });
    const failed = result.checks.filter((c) => !c.passed);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.some((c) => c.diagnosis?.some((d) => d.id === id))).toBe(true);
  });

  it("fails the catalog's own reference", async () => {
    const result = await runProblem(problem, moduleSubject('reference', reference), { seed: TEST_SEED });
    expect(result.checks.some((c) => !c.passed)).toBe(true);
  });
});
