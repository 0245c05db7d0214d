// What the executed-notebook specs share: the points a fixture should lose for the aspects it fails, derived
// from the assignment (each aspect an equal share of its check's points), never from a run.

import type { Assignment } from '../assignment.ts';
import type { GradeReport } from '../report.ts';
import { type ExecutionCheck, JUDGED } from './schema.ts';
import { expectedNumbers } from './references.ts';
import { TRAINED_ASPECTS } from './trained.ts';

/** How many aspects a check judges (each an equal share of its points). */
export function aspects(check: ExecutionCheck): number {
  if ('call' in check) return (['wrapper', 'network', 'parameters', 'loss', 'optimizer'] as const).filter((k) => check[k] !== undefined).length;
  // A model check: one aspect per thing it states of every construction, and one per thing a build states of itself.
  if ('model' in check) return [check, ...(check.builds ?? [])].reduce((n, part) => n + JUDGED.filter((k) => part[k] !== undefined).length, 0);
  if ('trained' in check) return TRAINED_ASPECTS.length;
  // A written check: one aspect per number asked.
  if ('written' in check) return expectedNumbers(check.written.expected).length;
  return 1;
}

export const checksOf = (a: Assignment) => a.execute!.checks;
export const total = (a: Assignment) => checksOf(a).reduce((s, c) => s + c.points, 0);

export function failures(report: GradeReport): Record<string, string[]> {
  return Object.fromEntries(report.problems.filter((p) => p.checks.some((c) => !c.result.passed)).map((p) => [p.id, p.checks.filter((c) => !c.result.passed).map((c) => c.result.check).sort()]));
}

/** The points a report should lose for these failed aspects: each an equal share of its check's points. */
export function lost(assignment: Assignment, fails: Record<string, readonly string[]>): number {
  return Object.entries(fails).reduce((s, [id, failed]) => {
    const check = checksOf(assignment).find((c) => c.id === id)!;
    return s + (check.points * failed.length) / aspects(check);
  }, 0);
}

export const messagesOf = (report: GradeReport) => report.problems.flatMap((p) => p.checks.flatMap((c) => c.result.failure?.message ?? []));
