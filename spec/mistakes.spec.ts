// The kill matrix: every check of every problem against every named mistake (and planted variant). Each
// named mistake fails at least one check and is named as itself, alone, on at least one failure; each check is
// failed by at least one named mistake or planted variant, so none of them passes everything it is given; a
// planted variant is kept only for a check that no named mistake fails.

import { describe, expect, it } from 'vitest';
import { formatCheckResult } from '../src/format.ts';
import type { Mistake } from '../src/problem.ts';
import { type CheckResult, runProblem } from '../src/runner.ts';
import { type ProblemId, problemIds, problems } from './registry.ts';
import { mistakeSubject, variantsOf } from './subjects.ts';
import { TEST_SEED } from './seed.ts';

interface Row {
  readonly variant: Mistake;
  readonly planted: boolean;
  readonly failed: readonly CheckResult[];
}

const matrices = new Map<ProblemId, Promise<Row[]>>();

/** The rows of a problem's kill matrix, computed once per problem and shared by the tests below. */
function matrixOf(id: ProblemId): Promise<Row[]> {
  let rows = matrices.get(id);
  if (!rows) {
    const problem = problems[id];
    const variants = variantsOf(problem);
    const run = async (m: Mistake, planted: boolean): Promise<Row> => {
      // Planted variants are no student's mistake: they are never offered for diagnosis, nor diagnosed.
      const result = await runProblem(problem, mistakeSubject(m), { seed: TEST_SEED, ...(planted ? {} : { variants }) });
      return { variant: m, planted, failed: result.checks.filter((c) => !c.passed) };
    };
    rows = (async () => {
      const out: Row[] = [];
      for (const m of problem.mistakes) out.push(await run(m, false));
      for (const m of problem.planted ?? []) out.push(await run(m, true));
      return out;
    })();
    matrices.set(id, rows);
  }
  return rows;
}

const rowOf = async (id: ProblemId, variantId: string): Promise<Row> => (await matrixOf(id)).find((r) => r.variant.id === variantId)!;

const mistakeCases = problemIds.flatMap((id) => problems[id].mistakes.map((m) => [id, m.id] as const));

describe('every named mistake is caught and named as itself', () => {
  it.each(mistakeCases)('%s: %s', async (id, mistakeId) => {
    const { failed } = await rowOf(id, mistakeId);
    expect(failed.length, `mistake ${mistakeId} passed every check of ${id}`).toBeGreaterThan(0);
    const report = failed.map((c) => formatCheckResult(c)).join('\n');
    expect(failed.some((c) => c.diagnosis?.some((d) => d.id === mistakeId)), `no failure was diagnosed as ${mistakeId}:\n${report}`).toBe(true);
    const alone = failed.some((c) => c.diagnosis?.length === 1 && c.diagnosis[0]!.id === mistakeId);
    expect(alone, `every failure diagnosed as ${mistakeId} also names another mistake: feedback cannot tell them apart:\n${report}`).toBe(true);
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
    const killers = (await matrixOf(id)).filter((r) => r.failed.some((c) => c.check === checkId));
    expect(
      killers.map((r) => r.variant.id),
      `no named mistake of ${id} fails ${checkId}, so nothing shows that it can fail: add the mistake it exists to catch to the ` +
        `problem's mistakes (or, when no student would write one, a wrong implementation to its planted variants) in spec/*.suite.ts`,
    ).not.toEqual([]);
  });
});

const plantedCases = problemIds.flatMap((id) => (problems[id].planted ?? []).map((m) => [id, m.id] as const));

describe('a planted variant earns its place: it fails a check that no named mistake fails', () => {
  it.each(plantedCases)('%s: %s', async (id, variantId) => {
    const rows = await matrixOf(id);
    const byMistakes = new Set(rows.filter((r) => !r.planted).flatMap((r) => r.failed.map((c) => c.check)));
    const own = (await rowOf(id, variantId)).failed.map((c) => c.check).filter((c) => !byMistakes.has(c));
    expect(own, `${variantId} only fails checks that named mistakes fail already: remove it`).not.toEqual([]);
  });
});
