// The walk of one submission: start it in its own process, run each problem's checks on it, name the
// mistakes, score, and always return a report, even when the submission or the grader breaks.

import { accessSync, chownSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ProblemResult, runProblem } from '../src/runner.ts';
import { camelCase, moduleSubject, type Subject } from '../src/subject.ts';
import type { Problem } from '../src/problem.ts';
import { variantsOf } from '../spec/subjects.ts';
import { matchDefinition } from './accepted.ts';
import { loadAnswers } from './answers.ts';
import { type AcceptedDefinition, type Assignment, acceptedDefinitions, adapterPath, problemOf } from './assignment.ts';
import { boundSubject } from './bindings/bound-subject.ts';
import { type ProblemBinding, studentName } from './bindings/schema.ts';
import { type NotebookReport, prepareSubmission } from './notebook.ts';
import { type ExecutionSummary, gradeExecution } from './execution/grade-execution.ts';
import { type ScoredQuestion, gradeQuestions } from './questions.ts';
import { withSuggestions } from './names.ts';
import { EnvironmentFailure } from './python.ts';
import { type LoadError, ProcessSubject, type Limits, type ProcessSubjectOptions, type SubjectTiming } from './process-subject.ts';
import type { SandboxMode } from './sandbox.ts';
import { stageFolder, submissionParts } from './submission.ts';
import type { GradeReport } from './report.ts';
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
  /** The student's answers.yaml (default: answers.yaml inside a submission folder, or the submission itself when it is a .yaml). */
  readonly answers?: string;
  /** Overrides GRADECHECK_SANDBOX (docs/security.md). */
  readonly sandbox?: SandboxMode;
  /** The submission's folder holds other students' files: the isolated child gets the file alone. */
  readonly fileOnly?: boolean;
  /** Scrubbed mode: run the submission's process as this user (the Gradescope autograder's `student`). */
  readonly runAs?: { readonly uid: number; readonly gid: number };
}

/** The names the student's code must define for a problem: the catalog's, as the binding renames them. */
function studentNames(problem: Problem, binding: ProblemBinding | undefined): string[] {
  return functionsOf(problem).flatMap((fn) => studentName(fn, binding?.[fn]) ?? []);
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

const NO_CODE: Subject = moduleSubject('(no code submitted)', {});

/**
 * The graded file of a submission, ready for a child process: its folder copied into `stage` (helper modules,
 * packages, data), a notebook reduced to a .py of its definitions there. Grading and replaying share it.
 */
export function stageSubmission(code: string, stage: string, assignment: Assignment, fileOnly = false): ReturnType<typeof prepareSubmission> & { readonly staged: string } {
  requireReadableFile(code);
  stageFolder(code, stage, { fileOnly, exclude: [assignment.file] });
  const staged = path.join(stage, path.basename(code));
  return { ...prepareSubmission(staged, stage), staged };
}

/** How the assignment starts a submission's process: its seed, limits, integer arguments and bindings. */
export function childOptions(assignment: Assignment, overrides?: Partial<Limits>): Pick<ProcessSubjectOptions, 'seed' | 'limits' | 'intArgs' | 'binding'> {
  const adapter = adapterPath(assignment);
  return {
    seed: assignment.seed,
    limits: limitsOf(assignment, overrides),
    intArgs: Object.assign({}, ...assignment.problems.map((p) => problemOf(p).intArgs ?? {})) as Record<string, number[]>,
    binding: { ...(adapter ? { adapter } : {}), provided: assignment.provided },
  };
}

export async function grade(options: GradeOptions): Promise<GradeReport> {
  const { assignment } = options;
  const started = Date.now();
  const executed = (assignment.execute?.checks ?? []).filter((c) => !options.visibleOnly || c.visibility === 'visible');
  const maxScore =
    assignment.problems.reduce((s, p) => s + p.points, 0) +
    assignment.questions.filter((q) => !options.visibleOnly || q.visibility === 'visible').reduce((s, q) => s + q.points, 0) +
    executed.reduce((s, c) => s + c.points, 0);
  const parts = submissionParts(options.submission, options.answers, assignment.files);
  const base = {
    assignment: assignment.name,
    assignmentFile: assignment.file,
    submission: options.submission,
    seed: assignment.seed,
    maxScore,
    questions: [] as ScoredQuestion[],
    ...(parts.answers ? { answersFile: parts.answers } : {}),
  };
  const workDirs: string[] = [];
  const subjects: ProcessSubject[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-'));
    workDirs.push(dir);
    return dir;
  };
  let notebook: NotebookReport | undefined;
  let extractionErrors: readonly LoadError[] = [];
  /** A fresh process for the submission's code, in a fresh private directory. */
  const startSubject = async (file: string, extraLimits: Partial<Limits> = {}): Promise<ProcessSubject> => {
    const cwd = tempDir();
    if (options.runAs) chownSync(cwd, options.runAs.uid, options.runAs.gid);
    // One total time for the submission: a later process (the hidden checks') gets what the earlier ones left.
    const used = subjects.at(-1)?.usedMs ?? 0; // each process carries on from the one before
    const subject = await ProcessSubject.start(file, {
      cwd,
      ...(options.runAs ? { runAs: options.runAs } : {}),
      ...childOptions(assignment, { ...options.limits, ...extraLimits }),
      usedMs: used,
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
      isolation: { fileOnly: options.fileOnly ?? false, assignmentFile: assignment.file },
    });
    subjects.push(subject);
    if (subject.infrastructureFailure) throw subject.infrastructureFailure;
    return subject;
  };
  try {
    const answers = loadAnswers(parts.answers, assignment.questions.map((q) => q.id));
    const questions = gradeQuestions(assignment.questions, answers, assignment.seed, options.visibleOnly);
    let code: string | undefined;
    let staged: string | undefined;
    if ((assignment.problems.length > 0 || assignment.execute) && parts.code !== undefined) {
      // The submission's folder is copied once; every process grades the staged file (a notebook reduced to its
      // definitions), and an execution runs the staged notebook itself.
      const prepared = stageSubmission(parts.code, tempDir(), assignment, options.fileOnly);
      staged = prepared.staged;
      notebook = prepared.notebook && { ...prepared.notebook, file: parts.code };
      extractionErrors = prepared.loadErrors;
      code = prepared.file;
    }
    const plans = assignment.problems.map((settings) => {
      const accepted = acceptedDefinitions(settings);
      const problem = accepted[0]!.problem;
      const visibility = (id: string) => settings.checks[id]?.visibility ?? settings.visibility;
      const counted = problem.checks.filter((c) => settings.checks[c.id]?.weight !== 0 && (!options.visibleOnly || visibility(c.id) === 'visible'));
      const runs = Object.fromEntries(
        problem.checks.flatMap((c) => {
          const n = settings.checks[c.id]?.runs ?? settings.runs;
          return n === undefined ? [] : [[c.id, n]];
        }),
      );
      const overrides = Object.fromEntries(Object.entries(settings.checks).flatMap(([id, c]) => (c.tolerance ? [[id, c.tolerance]] : [])));
      return { settings, problem, accepted, runs, overrides, visible: counted.filter((c) => visibility(c.id) === 'visible').map((c) => c.id), hidden: counted.filter((c) => visibility(c.id) !== 'visible').map((c) => c.id) };
    });
    // Where the assignment accepts several definitions of a problem, the one the student's code matched (decided by
    // the first phase that runs the problem, kept for the next).
    const matched = new Map<string, AcceptedDefinition>();
    let scored: ScoredProblem[];
    let first: ProcessSubject | undefined;
    if (code === undefined) {
      // Answers only: every check of a problem finds nothing to call.
      scored = await Promise.all(
        plans.map(async (plan, index) => {
          const result = await runProblem(plan.problem, NO_CODE, { seed: assignment.seed, only: [...plan.visible, ...plan.hidden] });
          return scoreProblem(plan.settings, result, index, 'no code submitted (.py, .ipynb, .js, .mjs or .ts): only answers were found');
        }),
      );
    } else {
      const file = code;
      // Visible checks first, then the others in a fresh process: the process whose answers and errors students
      // read has never seen a hidden check's inputs, so it cannot echo them into visible feedback.
      const runPhase = async (phase: 'visible' | 'hidden'): Promise<Map<string, ProblemResult>> => {
        const results = new Map<string, ProblemResult>();
        if (plans.every((p) => p[phase].length === 0)) return results;
        const student = await startSubject(file);
        for (const [index, plan] of plans.entries()) {
          if (plan[phase].length === 0) continue;
          const run = async (definition: AcceptedDefinition): Promise<ProblemResult> => {
            student.renewRestartBudget();
            const result = await runProblem(definition.problem, boundSubject(student, definition.problem, plan.settings.bind), {
              seed: assignment.seed,
              variants: variantsOf(definition.problem),
              only: plan[phase],
              runs: plan.runs,
              overrides: plan.overrides,
              lowPrecision: () => student.lowPrecision,
            });
            // The sandbox broke while restarting the child: what the checks saw is not the student's doing.
            if (student.infrastructureFailure) throw student.infrastructureFailure;
            return result;
          };
          const decided = matched.get(plan.settings.id);
          if (decided || plan.accepted.length === 1) {
            results.set(plan.problem.id, await run(decided ?? plan.accepted[0]!));
            continue;
          }
          const best = await matchDefinition(plan.accepted, run, (result) => scoreProblem(plan.settings, result, index));
          matched.set(plan.settings.id, best.definition);
          results.set(plan.problem.id, best.result);
        }
        await student.close();
        return results;
      };
      const visible = await runPhase('visible');
      const hidden = await runPhase('hidden');
      // (An assignment with execute: checks alone needs no process of definitions: the execution's reports its load.)
      const loaded = subjects[0] ?? (plans.length > 0 ? await startSubject(file) : undefined);
      first = loaded;
      scored = plans.map((plan, index) => {
        const { settings } = plan;
        const definition = matched.get(settings.id);
        const problem = definition?.problem ?? plan.problem;
        const ran = [...(visible.get(problem.id)?.checks ?? []), ...(hidden.get(problem.id)?.checks ?? [])];
        const order = problem.checks.map((c) => c.id);
        const result: ProblemResult = { problem: problem.id, title: problem.title, checks: ran.sort((a, b) => order.indexOf(a.check) - order.indexOf(b.check)) };
        const defined = loaded?.ready.defined ?? [];
        const missing = studentNames(problem, settings.bind).filter((fn) => !defined.includes(fn) && !defined.includes(camelCase(fn)));
        // Only worth saying when a check needed one of them (an assignment may leave some functions out).
        const neededMissing = result.checks.some((c) => c.failure?.code === 'missing');
        const notice = missing.length > 0 && neededMissing ? missingNotice(withSuggestions(missing, defined), loaded?.ready.loadErrors ?? []) : undefined;
        const scoredProblem = scoreProblem(settings, result, index, notice);
        return definition?.convention ? { ...scoredProblem, convention: { ...definition.convention, accepted: plan.accepted.flatMap((a) => a.convention?.id ?? []) } } : scoredProblem;
      });
    }
    // Executing the notebook cell by cell, in a process of its own, after the problems' checks.
    let execution: ExecutionSummary | undefined;
    if (assignment.execute && staged !== undefined) {
      const outcome = await gradeExecution({
        settings: assignment.execute,
        assignmentFile: assignment.file,
        submission: staged,
        start: (limits) => startSubject(code!, limits),
        firstNumber: scored.length + 1,
        seed: assignment.seed,
        visibleOnly: options.visibleOnly ?? false,
      });
      scored = [...scored, ...outcome.problems];
      execution = outcome.summary;
      first ??= subjects[0]; // the execution's process loaded the definitions too: its load errors are the report's
    }
    const late = lateFactor(assignment, options.submittedAt);
    const raw = scored.reduce((s, p) => s + p.score, 0) + questions.reduce((s, q) => s + q.score, 0);
    return {
      ...base,
      score: Math.round(raw * late.factor * 1e6) / 1e6,
      lateFactor: late.factor,
      daysLate: late.daysLate,
      problems: scored,
      questions,
      ...(answers.kind === 'answers' && answers.unknown.length > 0 ? { unknownAnswers: answers.unknown } : {}),
      loadErrors: [...extractionErrors, ...(first?.ready.loadErrors ?? [])],
      ...(first?.ready.missingModules?.length ? { missingModules: first.ready.missingModules } : {}),
      ...(notebook ? { notebook } : {}),
      ...(execution ? { execution } : {}),
      stdout: outputOf(subjects, 'stdout'),
      stderr: outputOf(subjects, 'stderr'),
      executionTimeMs: Date.now() - started,
      timing: totalTiming(subjects),
    };
  } catch (error) {
    // A grader bug or an environment failure: say so, never pass it off as a 0.
    return {
      ...base,
      score: 0,
      lateFactor: 1,
      daysLate: 0,
      problems: [],
      loadErrors: [...extractionErrors, ...(subjects[0]?.ready.loadErrors ?? [])],
      ...(notebook ? { notebook } : {}),
      stdout: outputOf(subjects, 'stdout'),
      stderr: outputOf(subjects, 'stderr'),
      executionTimeMs: Date.now() - started,
      ungradable: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      ...(error instanceof EnvironmentFailure ? { environmentFailure: { cause: error.rootCause, fix: error.fix } } : {}),
    };
  } finally {
    await Promise.all(subjects.map((s) => s.close()));
    for (const dir of workDirs) rmSync(dir, { recursive: true, force: true });
  }
}

/** Where the time of all the submission's processes went (bench/grade.ts). */
function totalTiming(subjects: readonly ProcessSubject[]): SubjectTiming {
  const sum = (k: keyof SubjectTiming) => subjects.reduce((s, p) => s + p.timing[k], 0);
  return { startupMs: sum('startupMs'), calls: sum('calls'), roundTripMs: sum('roundTripMs'), computeMs: sum('computeMs'), messages: sum('messages') };
}

/** What the submission's processes printed, in order (staff-only: results.json hides stdout from students). */
function outputOf(subjects: readonly ProcessSubject[], stream: 'stdout' | 'stderr'): string {
  return subjects.map((s) => s[stream].toString()).filter(Boolean).join('\n');
}

/** A submission that is not there or cannot be read is not a 0: the grade is ungradable. */
function requireReadableFile(file: string): void {
  try {
    if (!statSync(file).isFile()) throw new Error('not a regular file');
    accessSync(file, constants.R_OK);
  } catch (error) {
    throw new Error(`cannot read the submission ${file}: ${(error as Error).message}`);
  }
}

function missingNotice(missing: readonly string[], loadErrors: readonly LoadError[]): string {
  const what = `not defined by the submission: ${missing.join(', ')}`;
  if (loadErrors.length === 0) return what;
  const first = loadErrors[0]!;
  return `${what}. The submission did not load cleanly: ${first.message}`;
}
