// The grade report: what grading one submission found, as data. The grader makes it (grader/grade.ts); the
// renderers (grader/render/), batch and the CLI read it.

import type { ReplayContext } from '../src/format.ts';
import type { SubjectTiming } from './process-subject.ts';
import type { LoadError } from './protocol.ts';
import type { NotebookReport } from './notebook.ts';
import type { ExecutionSummary } from './execution/grade-execution.ts';
import type { ScoredQuestion } from './questions.ts';
import type { ScoredProblem } from './score.ts';
import type { PickedFile } from './submission.ts';

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
  /** Written answers, one per question of the assignment (visible ones only in a self-check). */
  readonly questions: readonly ScoredQuestion[];
  /** The answers file graded, if any. */
  readonly answersFile?: string;
  /** Answers for questions the assignment does not have (ignored). */
  readonly unknownAnswers?: readonly string[];
  readonly loadErrors: readonly LoadError[];
  /** Modules the submission imports that are not installed where it was graded (only code using them failed). */
  readonly missingModules?: readonly string[];
  /** A folder holding several code files: the one graded, why, and the others nothing graded. */
  readonly pickedFile?: PickedFile;
  /** For a notebook: which cells were used and which skipped (and why). */
  readonly notebook?: NotebookReport;
  /** For an assignment that executes the notebook: each cell's outcome (ran, raised, timed out, skipped, not run). */
  readonly execution?: ExecutionSummary;
  readonly stdout: string;
  readonly stderr: string;
  readonly executionTimeMs: number;
  /** Where the time went (the submission's process: start, calls, compute inside it); absent when it never started. */
  readonly timing?: SubjectTiming;
  /** Set when grading itself failed: the score is not a grade. */
  readonly ungradable?: string;
  /** Set when the grader's environment is what failed (no numpy, no Python): every other submission would fail too. */
  readonly environmentFailure?: { readonly cause: string; readonly fix: string };
}

/** The assignment file of a grade made from `--problems`: there is no file to name. */
export const COMMAND_LINE = '(command line)';

/** How a failure in this report is replayed: on its submission, through the assignment it was graded with. */
export function replayContext(report: GradeReport, problem?: ScoredProblem): ReplayContext {
  return {
    submission: report.submission,
    ...(report.assignmentFile !== COMMAND_LINE ? { assignment: report.assignmentFile } : {}),
    ...(problem?.convention ? { convention: problem.convention.id } : {}),
  };
}
