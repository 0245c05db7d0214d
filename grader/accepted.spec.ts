// Choosing among the definitions an assignment accepts: the best score, then a named mistake, then the checks
// passed, then the listed order; and no definition is graded past the first that passes every check.

import { describe, expect, it } from 'vitest';
import type { CheckResult, ProblemResult } from '../src/runner.ts';
import { matchDefinition } from './accepted.ts';
import type { AcceptedDefinition } from './assignment.ts';
import type { ScoredProblem } from './score.ts';

const definition = (id: string): AcceptedDefinition => ({ problem: { id: 'p', title: id, source: '', signatures: [], checks: [], mistakes: [] }, convention: { id, title: id } });
const check = (passed: boolean): CheckResult => ({ problem: 'p', check: 'c', title: 'c', passed, numRuns: 1, seed: 0 });

/** A result per definition: how many checks pass of two, the score, and whether a mistake is named. */
function grading(outcomes: Record<string, { passed: number; score: number; named?: boolean }>) {
  const graded: string[] = [];
  const run = async (d: AcceptedDefinition): Promise<ProblemResult> => {
    graded.push(d.convention!.id);
    const o = outcomes[d.convention!.id]!;
    return { problem: 'p', title: d.convention!.id, checks: [check(o.passed > 0), check(o.passed > 1)] };
  };
  const score = (r: ProblemResult) => {
    const o = outcomes[r.title]!;
    return { id: 'p', title: r.title, points: 1, score: o.score, checks: [], ...(o.named ? { mistake: { id: 'm', title: 'm', hint: 'm', deduct: 1 } } : {}) } as ScoredProblem;
  };
  return { graded, match: (ids: string[]) => matchDefinition(ids.map(definition), run, score) };
}

describe('matchDefinition', () => {
  it('stops at the first definition that passes every check', async () => {
    const g = grading({ a: { passed: 2, score: 1 }, b: { passed: 2, score: 1 } });
    expect((await g.match(['a', 'b'])).definition.convention?.id).toBe('a');
    expect(g.graded).toEqual(['a']);
  });

  it('the best score; on a tie a named mistake, then more checks passed, then the order', async () => {
    expect((await grading({ a: { passed: 0, score: 0 }, b: { passed: 1, score: 0.5 } }).match(['a', 'b'])).definition.convention?.id).toBe('b');
    expect((await grading({ a: { passed: 0, score: 0 }, b: { passed: 0, score: 0, named: true } }).match(['a', 'b'])).definition.convention?.id).toBe('b');
    expect((await grading({ a: { passed: 0, score: 0 }, b: { passed: 1, score: 0 } }).match(['a', 'b'])).definition.convention?.id).toBe('b');
    expect((await grading({ a: { passed: 1, score: 0 }, b: { passed: 1, score: 0 } }).match(['a', 'b'])).definition.convention?.id).toBe('a');
  });
});
