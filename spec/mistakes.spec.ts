// The kill matrix: every check of every problem against every named mistake (and planted variant). Each
// named mistake fails at least one check and is named as itself, alone, on at least one failure; each check is
// failed by at least one named mistake or planted variant, so none of them passes everything it is given; a
// planted variant is kept only for a check that no named mistake fails. The matrix's cells are computed as the
// tests ask for them, each test stopping at the first cell that decides it.

import { describe, expect, it } from 'vitest';
import { formatCheckResult } from '../src/format.ts';
import type { Mistake } from '../src/problem.ts';
import { type CheckResult, runProblem } from '../src/runner.ts';
import { type ProblemId, problemIds, problems } from './registry.ts';
import { mistakeSubject, variantsOf } from './subjects.ts';
import { TEST_SEED } from './seed.ts';

/** A variant of a problem: a named mistake, or a planted variant (no student's mistake, never diagnosed). */
const variantOf = (id: ProblemId, variantId: string): { readonly variant: Mistake; readonly planted: boolean } => {
  const problem = problems[id];
  const named = problem.mistakes.find((m) => m.id === variantId);
  return named ? { variant: named, planted: false } : { variant: (problem.planted ?? []).find((m) => m.id === variantId)!, planted: true };
};

const cells = new Map<string, Promise<CheckResult>>();

/**
 * One cell of a problem's kill matrix: a variant run through one check, computed once and shared by the tests below.
 * The tests ask for the cells they need and stop at the first that decides them: a check that passes runs all its
 * cases, so the whole matrix would cost several times what its verdicts need.
 */
function cellOf(id: ProblemId, variantId: string, checkId: string): Promise<CheckResult> {
  const key = `${id}\u0000${variantId}\u0000${checkId}`;
  let cell = cells.get(key);
  if (!cell) {
    const problem = problems[id];
    const { variant, planted } = variantOf(id, variantId);
    const check = problem.checks.find((c) => c.id === checkId)!;
    // Planted variants are no student's mistake: they are never offered for diagnosis, nor diagnosed.
    cell = runProblem({ ...problem, checks: [check] }, mistakeSubject(variant), { seed: TEST_SEED, ...(planted ? {} : { variants: variantsOf(problem) }) }).then((r) => r.checks[0]!);
    cells.set(key, cell);
  }
  return cell;
}

/** Whether the variant fails the check. */
const fails = async (id: ProblemId, variantId: string, checkId: string) => !(await cellOf(id, variantId, checkId)).passed;

const mistakeCases = problemIds.flatMap((id) => problems[id].mistakes.map((m) => [id, m.id] as const));

describe('every named mistake is caught and named as itself', () => {
  it.each(mistakeCases)('%s: %s', async (id, mistakeId) => {
    // Check by check, up to a failure that names this mistake alone.
    const failed: CheckResult[] = [];
    const alone = (c: CheckResult) => c.diagnosis?.length === 1 && c.diagnosis[0]!.id === mistakeId;
    for (const check of problems[id].checks) {
      const cell = await cellOf(id, mistakeId, check.id);
      if (!cell.passed) failed.push(cell);
      if (alone(cell)) break;
    }
    expect(failed.length, `mistake ${mistakeId} passed every check of ${id}`).toBeGreaterThan(0);
    const report = failed.map((c) => formatCheckResult(c)).join('\n');
    expect(failed.some((c) => c.diagnosis?.some((d) => d.id === mistakeId)), `no failure was diagnosed as ${mistakeId}:\n${report}`).toBe(true);
    expect(failed.some(alone), `every failure diagnosed as ${mistakeId} also names another mistake: feedback cannot tell them apart:\n${report}`).toBe(true);
    // What a student reads: the property, the input, and how to replay it.
    for (const c of failed) {
      const text = formatCheckResult(c);
      expect(text).toContain(`--seed ${c.seed}`);
      expect(text).toContain('input:');
      expect(c.failure?.code).not.toBe('check_error');
    }
  });
});

const checkCases = problemIds.flatMap((id) => problems[id].checks.map((c) => [id, c.id] as const));

describe('every check is failed by a named mistake or a planted variant', () => {
  it.each(checkCases)('%s: %s', async (id, checkId) => {
    // The named mistakes first, then the planted variants, up to the first that fails the check.
    let killer: string | undefined;
    for (const variant of [...problems[id].mistakes, ...(problems[id].planted ?? [])]) {
      if (await fails(id, variant.id, checkId)) {
        killer = variant.id;
        break;
      }
    }
    expect(
      killer,
      `no named mistake of ${id} fails ${checkId}, so nothing shows that it can fail: add the mistake it exists to catch to the ` +
        `problem's mistakes (or, when no student would write one, a wrong implementation to its planted variants) in spec/*.suite.ts`,
    ).toBeDefined();
  });
});

const plantedCases = problemIds.flatMap((id) => (problems[id].planted ?? []).map((m) => [id, m.id] as const));

describe('a planted variant earns its place: it fails a check that no named mistake fails', () => {
  it.each(plantedCases)('%s: %s', async (id, variantId) => {
    const own: string[] = [];
    for (const check of problems[id].checks) {
      if (!(await fails(id, variantId, check.id))) continue;
      let byMistake = false;
      for (const m of problems[id].mistakes) if ((byMistake = await fails(id, m.id, check.id))) break;
      if (!byMistake) own.push(check.id);
    }
    expect(own, `${variantId} only fails checks that named mistakes fail already: remove it`).not.toEqual([]);
  });
});
