// The walk of one submission: start it in its own process, run each problem's checks on it, name the
// mistakes, score, and always return a report, even when the submission or the grader breaks.

import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runProblem } from '../src/runner.ts';
import { camelCase } from '../src/subject.ts';
import type { Problem } from '../src/problem.ts';
import { problems } from '../spec/registry.ts';
import { variantsOf } from '../spec/subjects.ts';
import type { Assignment } from './assignment.ts';
import { type LoadError, ProcessSubject, type Limits, type SubjectTiming } from './process-subject.ts';
import { type ScoredProblem, lateFactor, scoreProblem } from './score.ts';

export interface GradeOptions {
  readonly assignment: Assignment;
  readonly submission: string;
  /** When the student submitted (for the late policy). */
  readonly submittedAt?: Date;
  /** Students' self-check: only checks whose visibility is "visible" run. */
  readonly visibleOnly?: boolean;
  /** Overrides the assignment's limits (tests use short ones). */
  readonly limits?: Partial<Limits>;
  /** Run the submission's process as this user (the Gradescope autograder's `student`). */
  readonly runAs?: { readonly uid: number; readonly gid: number };
}

export interface GradeReport {
  readonly assignment: string;
  readonly assignmentFile: string;
  readonly submission: string;
  readonly seed: number;
  /** After the late factor. */
  readonly score: number;
  readonly maxScore: number;
  readonly lateFactor: number;
  readonly daysLate: number;
  readonly problems: readonly ScoredProblem[];
  readonly loadErrors: readonly LoadError[];
  readonly stdout: string;
  readonly stderr: string;
  readonly executionTimeMs: number;
  /** Where the time went (the submission's process: start, calls, compute inside it); absent when it never started. */
  readonly timing?: SubjectTiming;
  /** Set when grading itself failed: the score is not a grade. */
  readonly ungradable?: string;
}

/** The function names a problem grades, from its catalog signatures. */
export function functionsOf(problem: Problem): string[] {
  return problem.signatures
    .map((s) => s.slice(0, s.indexOf('(')).replace(/^class\s+/, '').trim())
    .filter((name) => !name.includes('.')); // methods (`ADAMOptimizer.step`) belong to their class
}

function limitsOf(assignment: Assignment, overrides: Partial<Limits> | undefined): Partial<Limits> {
  const l = assignment.limits;
  return {
    ...(l.call_timeout_ms !== undefined ? { callTimeoutMs: l.call_timeout_ms } : {}),
    ...(l.startup_timeout_ms !== undefined ? { startupTimeoutMs: l.startup_timeout_ms } : {}),
    ...(l.total_time_ms !== undefined ? { totalTimeMs: l.total_time_ms } : {}),
    ...(l.memory_mb !== undefined ? { memoryMb: l.memory_mb } : {}),
    ...overrides,
  };
}

export async function grade(options: GradeOptions): Promise<GradeReport> {
  const { assignment } = options;
  const started = Date.now();
  const maxScore = assignment.problems.reduce((s, p) => s + p.points, 0);
  const base = {
    assignment: assignment.name,
    assignmentFile: assignment.file,
    submission: options.submission,
    seed: assignment.seed,
    maxScore,
  };
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-'));
  let subject: ProcessSubject | undefined;
  try {
    const intArgs = Object.assign({}, ...assignment.problems.map((p) => problems[p.id].intArgs ?? {})) as Record<string, number[]>;
    if (options.runAs) chownSync(workDir, options.runAs.uid, options.runAs.gid);
    subject = await ProcessSubject.start(options.submission, {
      cwd: workDir,
      seed: assignment.seed,
      limits: limitsOf(assignment, options.limits),
      intArgs,
      ...(options.runAs ? { runAs: options.runAs } : {}),
    });
    const student = subject;
    const scored: ScoredProblem[] = [];
    for (const [index, settings] of assignment.problems.entries()) {
      const problem = problems[settings.id];
      const visibleChecks = problem.checks.filter(
        (c) => settings.checks[c.id]?.weight !== 0 && (!options.visibleOnly || (settings.checks[c.id]?.visibility ?? settings.visibility) === 'visible'),
      );
      const runs = Object.fromEntries(
        problem.checks.flatMap((c) => {
          const n = settings.checks[c.id]?.runs ?? settings.runs;
          return n === undefined ? [] : [[c.id, n]];
        }),
      );
      const overrides = Object.fromEntries(Object.entries(settings.checks).flatMap(([id, c]) => (c.tolerance ? [[id, c.tolerance]] : [])));
      const result = await runProblem(problem, student, {
        seed: assignment.seed,
        variants: variantsOf(problem),
        only: visibleChecks.map((c) => c.id),
        runs,
        overrides,
        lowPrecision: () => student.lowPrecision,
      });
      const missing = functionsOf(problem).filter((fn) => !student.ready.defined.includes(fn) && !student.ready.defined.includes(camelCase(fn)));
      // Only worth saying when a check needed one of them (an assignment may leave some functions out).
      const neededMissing = result.checks.some((c) => c.failure?.code === 'missing');
      const notice = missing.length > 0 && neededMissing ? missingNotice(missing, student.ready.loadErrors) : undefined;
      scored.push(scoreProblem(settings, result, index, notice));
    }
    const late = lateFactor(assignment, options.submittedAt);
    const raw = scored.reduce((s, p) => s + p.score, 0);
    return {
      ...base,
      score: Math.round(raw * late.factor * 1e6) / 1e6,
      lateFactor: late.factor,
      daysLate: late.daysLate,
      problems: scored,
      loadErrors: student.ready.loadErrors,
      stdout: student.stdout.toString(),
      stderr: student.stderr.toString(),
      executionTimeMs: Date.now() - started,
      timing: student.timing,
    };
  } catch (error) {
    // A grader bug or an environment failure: say so, never pass it off as a 0.
    return {
      ...base,
      score: 0,
      lateFactor: 1,
      daysLate: 0,
      problems: [],
      loadErrors: subject?.ready.loadErrors ?? [],
      stdout: subject?.stdout.toString() ?? '',
      stderr: subject?.stderr.toString() ?? '',
      executionTimeMs: Date.now() - started,
      ungradable: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  } finally {
    await subject?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

function missingNotice(missing: readonly string[], loadErrors: readonly LoadError[]): string {
  const what = `not defined by the submission: ${missing.join(', ')}`;
  if (loadErrors.length === 0) return what;
  const first = loadErrors[0]!;
  return `${what}. The submission did not load cleanly: ${first.message}`;
}
