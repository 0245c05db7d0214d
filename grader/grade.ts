// The walk of one submission: stage it, start it in its own process, run each problem's checks on it (visible
// checks first, hidden ones in a fresh process), name the mistakes, score, execute the notebook where the
// assignment asks, and always return a report, even when the submission or the grader breaks.

import path from 'node:path';
import { type ProblemResult, runProblem } from '../src/runner.ts';
import { camelCase, moduleSubject, type Subject } from '../src/subject.ts';
import { variantsOf } from '../spec/subjects.ts';
import { matchDefinition } from './accepted.ts';
import { loadAnswers } from './answers.ts';
import type { AcceptedDefinition, Assignment } from './assignment.ts';
import { boundSubject } from './bindings/bound-subject.ts';
import { type ExecutionSummary, gradeExecution } from './execution/grade-execution.ts';
import { withSuggestions } from './names.ts';
import type { NotebookReport } from './notebook.ts';
import { type Phase, type ProblemPlan, maxScoreOf, planProblems, studentNames } from './problem-plan.ts';
import type { Limits } from './child-launch.ts';
import type { ProcessSubject } from './process-subject.ts';
import type { LoadError } from './protocol.ts';
import { EnvironmentFailure } from './python.ts';
import { gradeQuestions } from './questions.ts';
import type { GradeReport } from './report.ts';
import type { SandboxMode } from './sandbox.ts';
import { type ScoredProblem, lateFactor, scoreProblem } from './score.ts';
import { stageSubmission } from './stage.ts';
import { gradedFilePreference } from './graded-names.ts';
import { type SubmissionParts, isNotebook, submissionParts } from './submission.ts';
import { SubmissionProcesses } from './submission-processes.ts';

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

const NO_CODE: Subject = moduleSubject('(no code submitted)', {});

export async function grade(options: GradeOptions): Promise<GradeReport> {
  const { assignment } = options;
  const started = Date.now();
  const parts = submissionParts(options.submission, options.answers, gradedFilePreference(assignment));
  const base = {
    assignment: assignment.name,
    assignmentFile: assignment.file,
    submission: options.submission,
    seed: assignment.seed,
    maxScore: maxScoreOf(assignment, options.visibleOnly ?? false),
    questions: [],
    ...(parts.answers ? { answersFile: parts.answers } : {}),
  };
  const processes = new SubmissionProcesses(options);
  const outputs = () => ({ stdout: processes.output('stdout'), stderr: processes.output('stderr'), executionTimeMs: Date.now() - started });
  let notebook: NotebookReport | undefined;
  let extractionErrors: readonly LoadError[] = [];
  try {
    // 1. The written answers.
    const answers = loadAnswers(parts.answers, assignment.questions.map((q) => q.id));
    const questions = gradeQuestions(assignment.questions, answers, assignment.seed, options.visibleOnly);
    // 2. The code, staged once: every process grades the staged file (a notebook reduced to its definitions),
    //    and an execution runs the staged notebook itself.
    let code: string | undefined;
    let staged: string | undefined;
    if ((assignment.problems.length > 0 || assignment.execute) && parts.code !== undefined) {
      const prepared = stageSubmission(parts.code, processes.tempDir(), assignment, options.fileOnly);
      staged = prepared.staged;
      notebook = prepared.notebook && { ...prepared.notebook, file: parts.code };
      extractionErrors = prepared.loadErrors;
      code = prepared.file;
    }
    // 3. The problems' checks.
    const plans = planProblems(assignment, options.visibleOnly ?? false);
    let scored = code === undefined ? await scoreWithoutCode(plans, assignment.seed) : await gradeProblems(plans, code, processes, assignment.seed);
    // 4. The notebook executed cell by cell, in a process of its own, after the problems' checks.
    let execution: ExecutionSummary | undefined;
    if (assignment.execute && staged !== undefined) {
      const outcome = await gradeExecution({
        settings: assignment.execute,
        assignmentFile: assignment.file,
        submission: staged,
        others: otherNotebooks(parts),
        start: (limits) => processes.start(code!, limits),
        firstNumber: scored.length + 1,
        seed: assignment.seed,
        visibleOnly: options.visibleOnly ?? false,
      });
      scored = [...scored, ...outcome.problems];
      execution = outcome.summary;
    }
    // 5. The score, late policy applied, and what the first process saw of the submission's load.
    const late = lateFactor(assignment, options.submittedAt);
    const raw = scored.reduce((s, p) => s + p.score, 0) + questions.reduce((s, q) => s + q.score, 0);
    const ready = processes.first?.ready;
    return {
      ...base,
      score: Math.round(raw * late.factor * 1e6) / 1e6,
      lateFactor: late.factor,
      daysLate: late.daysLate,
      problems: scored,
      questions,
      ...(answers.kind === 'answers' && answers.unknown.length > 0 ? { unknownAnswers: answers.unknown } : {}),
      loadErrors: [...extractionErrors, ...(ready?.loadErrors ?? [])],
      ...(ready?.missingModules?.length ? { missingModules: ready.missingModules } : {}),
      ...(parts.picked ? { pickedFile: parts.picked } : {}),
      ...(notebook ? { notebook } : {}),
      ...(execution ? { execution } : {}),
      ...outputs(),
      timing: processes.timing(),
    };
  } catch (error) {
    // A grader bug or an environment failure: say so, never pass it off as a 0.
    return {
      ...base,
      score: 0,
      lateFactor: 1,
      daysLate: 0,
      problems: [],
      loadErrors: [...extractionErrors, ...(processes.first?.ready.loadErrors ?? [])],
      ...(notebook ? { notebook } : {}),
      ...outputs(),
      ungradable: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      ...(error instanceof EnvironmentFailure ? { environmentFailure: { cause: error.rootCause, fix: error.fix } } : {}),
    };
  } finally {
    await processes.close();
  }
}

/** The folder's notebooks besides the one graded (seed 000's handout asks for a P6 training notebook of its own). */
function otherNotebooks(parts: SubmissionParts): string[] {
  const picked = parts.picked;
  return picked === undefined ? [] : picked.others.filter(isNotebook).map((f) => path.join(path.dirname(picked.file), f));
}

/** Answers only: every check of a problem finds nothing to call. */
function scoreWithoutCode(plans: readonly ProblemPlan[], seed: number): Promise<ScoredProblem[]> {
  return Promise.all(
    plans.map(async (plan, index) => {
      const result = await runProblem(plan.problem, NO_CODE, { seed, only: [...plan.visible, ...plan.hidden] });
      return scoreProblem(plan.settings, result, index, 'no code submitted (.py, .ipynb, .js, .mjs or .ts): only answers were found');
    }),
  );
}

/** Where the assignment accepts several definitions of a problem, the one the student's code matched, by problem id. */
type Matched = Map<string, AcceptedDefinition>;

/**
 * Visible checks first, then the others in a fresh process: the process whose answers and errors students read
 * has never seen a hidden check's inputs, so it cannot echo them into visible feedback.
 */
async function gradeProblems(plans: readonly ProblemPlan[], file: string, processes: SubmissionProcesses, seed: number): Promise<ScoredProblem[]> {
  // The first phase that runs a problem decides its definition; the next one keeps it.
  const matched: Matched = new Map();
  const visible = await runPhase('visible', plans, file, processes, seed, matched);
  const hidden = await runPhase('hidden', plans, file, processes, seed, matched);
  // Some process must have loaded the definitions to say which names are missing.
  const loaded = processes.first ?? (plans.length > 0 ? await processes.start(file) : undefined);
  return plans.map((plan, index) => {
    const { settings } = plan;
    const definition = matched.get(settings.id);
    const problem = definition?.problem ?? plan.problem;
    const order = problem.checks.map((c) => c.id);
    const ran = [...(visible.get(problem.id)?.checks ?? []), ...(hidden.get(problem.id)?.checks ?? [])];
    const result: ProblemResult = { problem: problem.id, title: problem.title, checks: ran.sort((a, b) => order.indexOf(a.check) - order.indexOf(b.check)) };
    const scored = scoreProblem(settings, result, index, missingNamesNotice(plan, result, loaded));
    return definition?.convention ? { ...scored, convention: { ...definition.convention, accepted: plan.accepted.flatMap((a) => a.convention?.id ?? []) } } : scored;
  });
}

/** One phase's checks of every problem, in one process started for it (none when the phase has no check). */
async function runPhase(phase: Phase, plans: readonly ProblemPlan[], file: string, processes: SubmissionProcesses, seed: number, matched: Matched): Promise<Map<string, ProblemResult>> {
  const results = new Map<string, ProblemResult>();
  if (plans.every((p) => p[phase].length === 0)) return results;
  const student = await processes.start(file);
  for (const [index, plan] of plans.entries()) {
    if (plan[phase].length === 0) continue;
    const run = async (definition: AcceptedDefinition): Promise<ProblemResult> => {
      student.renewRestartBudget();
      const subject = boundSubject(student, definition.problem, plan.settings.bind);
      const options = { seed, variants: variantsOf(definition.problem), only: plan[phase], runs: plan.runs, overrides: plan.overrides, lowPrecision: () => student.lowPrecision };
      const result = await runProblem(definition.problem, subject, options);
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
}

/** The problem's names the submission does not define, said only when a check needed one of them. */
function missingNamesNotice(plan: ProblemPlan, result: ProblemResult, loaded: ProcessSubject | undefined): string | undefined {
  const defined = loaded?.ready.defined ?? [];
  const missing = studentNames(plan.problem, plan.settings.bind).filter((fn) => !defined.includes(fn) && !defined.includes(camelCase(fn)));
  if (missing.length === 0 || !result.checks.some((c) => c.failure?.code === 'missing')) return undefined;
  const what = `not defined by the submission: ${withSuggestions(missing, defined).join(', ')}`;
  const firstError = loaded?.ready.loadErrors[0];
  return firstError ? `${what}. The submission did not load cleanly: ${firstError.message}` : what;
}
