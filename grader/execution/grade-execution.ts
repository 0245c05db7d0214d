// The execution step of grading (grader/grade.ts calls it): a fresh student process with a call time limit that
// covers the notebook's budget, the cells executed there, the checks judged, and what the report shows of it.

import { readFileSync } from 'node:fs';
import type { Limits } from '../child-launch.ts';
import type { ProcessSubject } from '../process-subject.ts';
import type { ScoredProblem } from '../score.ts';
import { isNotebook } from '../submission.ts';
import { judgeExecution } from './judge.ts';
import { type CellReport, EXECUTION_MARGIN_MS, type NotebookCellSource, StuckCell, executeCells, notebookCells, shimsSource } from './run.ts';
import type { ExecuteSettings } from './schema.ts';
import { markdownCells } from './written.ts';

/** What the report says about an executed notebook: each cell's outcome (the printed text stays with the checks). */
export interface ExecutionSummary {
  readonly cells: readonly Omit<CellReport, 'printed'>[];
  /** Wall time of the cells, in seconds, and the budget they had. */
  readonly seconds: number;
  readonly budgetSeconds: number;
  /** Course modules and data files served by the assignment's stand-ins. */
  readonly served: readonly string[];
  /** A reduced run: every pass over a DataLoader stopped after this many batches (the assignment's loader_batches). */
  readonly loaderBatches?: number;
  /** Set when the execution as a whole failed (the process died or overran every budget). */
  readonly failure?: string;
}

/** The cells of a submission: a notebook's code cells, or a script's `# %%` sections (the whole script as cell 1). */
export function submissionCells(file: string): NotebookCellSource[] {
  if (isNotebook(file)) return notebookCells(file);
  const parts = readFileSync(file, 'utf8').split(/^# %%.*$/m);
  return parts.map((source, i) => ({ cell: i + 1, source })).filter((c) => c.source.trim() !== '');
}

export async function gradeExecution(options: {
  readonly settings: ExecuteSettings;
  readonly assignmentFile: string;
  /** The staged copy of the submission (the notebook itself, not its extracted definitions). */
  readonly submission: string;
  readonly start: (limits: Partial<Limits>) => Promise<ProcessSubject>;
  readonly firstNumber: number;
  readonly seed: number;
  readonly visibleOnly: boolean;
}): Promise<{ problems: ScoredProblem[]; summary: ExecutionSummary }> {
  const { settings } = options;
  const counted = { ...settings, checks: settings.checks.filter((c) => !options.visibleOnly || c.visibility === 'visible') };
  const cells = submissionCells(options.submission);
  const shims = shimsSource(settings, options.assignmentFile);
  const started = Date.now();
  let outcome: Parameters<typeof judgeExecution>[1] | undefined;
  // A cell that could not be stopped took its process with it: execute again, in a fresh process, without it,
  // on what is left of the budget.
  const skip: Record<number, string> = {};
  let earlierS = 0; // the runs killed in a stuck cell
  for (let run = 0; outcome === undefined; run++) {
    earlierS = (Date.now() - started) / 1000;
    const left = settings.budget_s - earlierS;
    const subject = await options.start({ callTimeoutMs: Math.max(left, 1) * 1000 + EXECUTION_MARGIN_MS });
    try {
      outcome = { result: await executeCells(subject, cells, { ...counted, budget_s: Math.max(left, 0) }, shims, skip) };
    } catch (error) {
      if (subject.infrastructureFailure) throw subject.infrastructureFailure;
      if (error instanceof StuckCell && run < MAX_RERUNS && left > 0) {
        skip[error.cell] = `ran past its ${settings.cell_budget_s} s budget and could not be stopped (the process was killed in it); the notebook was executed again without it`;
        continue;
      }
      outcome = { failure: error instanceof Error ? error.message : String(error) };
    } finally {
      await subject.close();
    }
  }
  const markdown = isNotebook(options.submission) ? markdownCells(options.submission) : [];
  const problems = judgeExecution(counted, outcome, cells, options.firstNumber, options.seed, markdown);
  const summary: ExecutionSummary =
    'result' in outcome
      ? { cells: outcome.result.cells.map(({ printed: _printed, ...rest }) => rest), seconds: Math.round((earlierS + outcome.result.seconds) * 1000) / 1000, budgetSeconds: settings.budget_s, served: outcome.result.served, ...(settings.loader_batches ? { loaderBatches: settings.loader_batches } : {}) }
      : { cells: [], seconds: 0, budgetSeconds: settings.budget_s, served: [], failure: outcome.failure };
  return { problems, summary };
}

/** Executions again after a cell that could not be stopped: a notebook with more such cells is failed as a whole. */
const MAX_RERUNS = 2;
