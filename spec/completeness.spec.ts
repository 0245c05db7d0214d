// Completeness, derived from the registry: every problem has a reference for each of its functions, checks,
// named mistakes that are distinct, and an up-to-date entry in docs/problems.md. A failure says what is
// missing and where it goes.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PROBLEMS_DOC, problemsMarkdown } from '../grader/docs.ts';
import { functionsOf } from '../grader/problem-plan.ts';
import { lookupExport } from '../src/subject.ts';
import * as reference from '../reference/index.ts';
import { problemIds, problems } from './registry.ts';

describe.each(problemIds)('%s is complete', (id) => {
  const problem = problems[id];

  it('every function it grades has a reference in reference/index.ts', () => {
    for (const fn of functionsOf(problem)) {
      expect(lookupExport(reference, fn), `reference/index.ts exports nothing for ${fn} (export it as its camelCase name)`).toBeTypeOf('function');
    }
  });

  it('has checks and named mistakes with unique ids', () => {
    expect(problem.checks.length).toBeGreaterThan(0);
    expect(problem.mistakes.length, `${id} names no mistake: add the catalog's known mistakes to its suite`).toBeGreaterThan(0);
    expect(new Set(problem.checks.map((c) => c.id)).size).toBe(problem.checks.length);
    const variants = [...problem.mistakes, ...(problem.planted ?? [])];
    expect(new Set(variants.map((m) => m.id)).size, 'a planted variant has the id of a named mistake').toBe(variants.length);
  });
});

describe('docs', () => {
  it('docs/problems.md is generated from the registry (run `npm run docs` after changing a suite)', () => {
    expect(readFileSync(PROBLEMS_DOC, 'utf8')).toBe(problemsMarkdown());
  });
});
