// What grading an assignment will run, decided before any student code starts: per problem, which checks count
// (weight 0 and, in a self-check, non-visible ones do not), which run in the visible process and which in the
// hidden one, their run counts and tolerance overrides; and the points at stake.

import type { Problem } from '../src/problem.ts';
import type { Tolerance } from '../src/tolerance.ts';
import { type AcceptedDefinition, type Assignment, type ProblemSettings, acceptedDefinitions } from './assignment.ts';
import { type ProblemBinding, studentName } from './bindings/schema.ts';
import { keptWithTheirBars } from './execution/schema.ts';

export interface ProblemPlan {
  readonly settings: ProblemSettings;
  /** The problem as the assignment's first accepted definition states it. */
  readonly problem: Problem;
  /** The definitions the assignment accepts (its conventions): the code is graded under each until one passes. */
  readonly accepted: readonly AcceptedDefinition[];
  /** Run counts the assignment sets per check. */
  readonly runs: Readonly<Record<string, number>>;
  /** Tolerances the assignment sets per check. */
  readonly overrides: Readonly<Record<string, Tolerance>>;
  /** The counted checks students see, run in a process of their own before the others. */
  readonly visible: readonly string[];
  readonly hidden: readonly string[];
}

export type Phase = 'visible' | 'hidden';

export function planProblems(assignment: Assignment, visibleOnly: boolean): ProblemPlan[] {
  return assignment.problems.map((settings) => {
    const accepted = acceptedDefinitions(settings);
    const problem = accepted[0]!.problem;
    const visibility = (id: string) => settings.checks[id]?.visibility ?? settings.visibility;
    const counted = problem.checks.filter((c) => settings.checks[c.id]?.weight !== 0 && (!visibleOnly || visibility(c.id) === 'visible'));
    const runs = Object.fromEntries(
      problem.checks.flatMap((c) => {
        const n = settings.checks[c.id]?.runs ?? settings.runs;
        return n === undefined ? [] : [[c.id, n]];
      }),
    );
    const overrides = Object.fromEntries(Object.entries(settings.checks).flatMap(([id, c]) => (c.tolerance ? [[id, c.tolerance]] : [])));
    return {
      settings,
      problem,
      accepted,
      runs,
      overrides,
      visible: counted.filter((c) => visibility(c.id) === 'visible').map((c) => c.id),
      hidden: counted.filter((c) => visibility(c.id) !== 'visible').map((c) => c.id),
    };
  });
}

/**
 * What scores, in the report's order: the problems, the executed notebook's checks, the written questions; `bonus`
 * where the points come on top of the maximum.
 */
export function scoredItems(assignment: Assignment, visibleOnly = false): { readonly id: string; readonly points: number; readonly bonus: boolean }[] {
  const shown = <T extends { readonly visibility: string }>(items: readonly T[]) => items.filter((i) => !visibleOnly || i.visibility === 'visible');
  const item = ({ id, points }: { id: string; points: number }, bonus = false) => ({ id, points, bonus });
  const executed = keptWithTheirBars(assignment.execute?.checks ?? [], (c) => !visibleOnly || c.visibility === 'visible');
  return [...assignment.problems.map((p) => item(p)), ...executed.map((c) => item(c, c.bonus)), ...shown(assignment.questions).map((q) => item(q))];
}

/** The points at stake: problems, the questions and executed checks a self-check shows (all of them otherwise); no bonus. */
export function maxScoreOf(assignment: Assignment, visibleOnly: boolean): number {
  return scoredItems(assignment, visibleOnly).reduce((s, item) => s + (item.bonus ? 0 : item.points), 0);
}

/** The function names a problem grades, from its catalog signatures. */
export function functionsOf(problem: Problem): string[] {
  return problem.signatures
    .map((s) => s.slice(0, s.indexOf('(')).replace(/^class\s+/, '').trim())
    .filter((name) => !name.includes('.')); // methods (`ADAMOptimizer.step`) belong to their class
}

/** The names the student's code must define for a problem: the catalog's, as the binding renames them. */
export function studentNames(problem: Problem, binding: ProblemBinding | undefined): string[] {
  return functionsOf(problem).flatMap((fn) => studentName(fn, binding?.[fn]) ?? []);
}
