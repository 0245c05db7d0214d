// The execution step of grading (grader/grade.ts calls it): a fresh student process with a call time limit that
// covers the notebook's budget, the cells executed there, the checks judged, and what the report shows of it.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Limits } from '../child-launch.ts';
import type { ProcessSubject } from '../process-subject.ts';
import type { ScoredProblem } from '../score.ts';
import { isNotebook } from '../submission.ts';
import { judgeExecution } from './judge.ts';
import { type CellReport, EXECUTION_MARGIN_MS, type ExecutionResult, type NotebookCellSource, StuckCell, executeCells, notebookCells, shimsSource } from './run.ts';
import { type ExecuteSettings, keptWithTheirBars } from './schema.ts';
import { type MarkdownCell, markdownCells } from './written.ts';

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
  /** The folder's other notebooks, executed for the checks the graded one did not pass, and their cell numbers. */
  readonly alsoExecuted?: readonly AlsoExecuted[];
}

/** The cells of a submission: a notebook's code cells, or a script's `# %%` sections (the whole script as cell 1). */
export function submissionCells(file: string): NotebookCellSource[] {
  if (isNotebook(file)) return notebookCells(file);
  const parts = readFileSync(file, 'utf8').split(/^# %%.*$/m);
  return parts.map((source, i) => ({ cell: i + 1, source })).filter((c) => c.source.trim() !== '');
}

/** A notebook of the folder executed besides the graded one, and the cell numbers its cells were given. */
export interface AlsoExecuted {
  readonly file: string;
  readonly firstCell: number;
  readonly lastCell: number;
  readonly failure?: string;
}

type Outcome = { readonly result: ExecutionResult } | { readonly failure: string };

interface ExecutionInputs {
  readonly settings: ExecuteSettings;
  readonly shims: readonly string[];
  readonly start: (limits: Partial<Limits>) => Promise<ProcessSubject>;
}

/**
 * One notebook's cells executed on the budget. A cell that could not be stopped took its process with it: the
 * notebook is executed again, in a fresh process, without it, on what is left of the budget.
 */
async function executeNotebook(cells: readonly NotebookCellSource[], inputs: ExecutionInputs): Promise<{ outcome: Outcome; seconds: number }> {
  const { settings } = inputs;
  const started = Date.now();
  const skip: Record<number, string> = {};
  let earlierS = 0; // the runs killed in a stuck cell
  for (let run = 0; ; run++) {
    earlierS = (Date.now() - started) / 1000;
    const left = settings.budget_s - earlierS;
    const subject = await inputs.start({ callTimeoutMs: Math.max(left, 1) * 1000 + EXECUTION_MARGIN_MS });
    try {
      const result = await executeCells(subject, cells, { ...settings, budget_s: Math.max(left, 0) }, inputs.shims, skip);
      return { outcome: { result }, seconds: earlierS + result.seconds };
    } catch (error) {
      if (subject.infrastructureFailure) throw subject.infrastructureFailure;
      if (error instanceof StuckCell && run < MAX_RERUNS && left > 0) {
        skip[error.cell] = `ran past its ${settings.cell_budget_s} s budget and could not be stopped (the process was killed in it); the notebook was executed again without it`;
        continue;
      }
      return { outcome: { failure: error instanceof Error ? error.message : String(error) }, seconds: 0 };
    } finally {
      await subject.close();
    }
  }
}

/** A notebook's code and markdown cells, numbered after `offset` (the cells of the notebooks before it). */
function cellsAfter(file: string, offset: number): { code: NotebookCellSource[]; markdown: MarkdownCell[]; count: number } {
  const shift = <T extends { cell: number }>(c: T): T => ({ ...c, cell: c.cell + offset });
  const code = submissionCells(file).map(shift);
  const markdown = isNotebook(file) ? markdownCells(file).map(shift) : [];
  return { code, markdown, count: Math.max(offset, ...code.map((c) => c.cell), ...markdown.map((c) => c.cell)) - offset };
}

/**
 * What several executions left, as one: every cell, figure and helper call, and each value and model as the graded
 * notebook left it, else as the first other notebook that has it.
 */
function mergeResults(graded: ExecutionResult, others: readonly ExecutionResult[]): ExecutionResult {
  const all = [graded, ...others];
  const first = <T>(pick: (r: ExecutionResult) => Record<string, T> | undefined, usable: (v: T) => boolean = () => true): Record<string, T> => {
    const merged: Record<string, T> = {};
    for (const r of all) for (const [k, v] of Object.entries(pick(r) ?? {})) if (!(k in merged) || (!usable(merged[k]!) && usable(v))) merged[k] = v;
    return merged;
  };
  const models = first((r) => r.models, (m) => !('error' in m));
  // A model's state comes from the execution its report came from.
  const origin = (key: string) => all.find((r) => r.models[key] === models[key]);
  const states = Object.fromEntries(Object.keys(models).flatMap((k) => (origin(k)?.states?.[k] ? [[k, origin(k)!.states![k]!]] : [])));
  const stateErrors = Object.fromEntries(Object.keys(models).flatMap((k) => (origin(k)?.stateErrors?.[k] ? [[k, origin(k)!.stateErrors![k]!]] : [])));
  return {
    cells: all.flatMap((r) => r.cells),
    calls: all.flatMap((r) => r.calls),
    figures: all.flatMap((r) => r.figures),
    values: first((r) => r.values),
    models,
    served: [...new Set(all.flatMap((r) => r.served))],
    seconds: all.reduce((s, r) => s + r.seconds, 0),
    states,
    stateErrors,
  };
}

export async function gradeExecution(options: {
  readonly settings: ExecuteSettings;
  readonly assignmentFile: string;
  /** The staged copy of the submission (the notebook itself, not its extracted definitions). */
  readonly submission: string;
  /**
   * The folder's other notebooks (a P6 training notebook beside the P4/P5 one, as seed 000's handout asks): executed
   * when a check fails on the graded notebook, each check then judged on all of them together where that scores no less.
   */
  readonly others?: readonly string[];
  readonly start: (limits: Partial<Limits>) => Promise<ProcessSubject>;
  readonly firstNumber: number;
  readonly seed: number;
  readonly visibleOnly: boolean;
}): Promise<{ problems: ScoredProblem[]; summary: ExecutionSummary }> {
  const { settings } = options;
  const counted = { ...settings, checks: keptWithTheirBars(settings.checks, (c) => !options.visibleOnly || c.visibility === 'visible') };
  const inputs = { settings: counted, shims: shimsSource(settings, options.assignmentFile), start: options.start };
  const cells = submissionCells(options.submission);
  const markdown = isNotebook(options.submission) ? markdownCells(options.submission) : [];
  const graded = await executeNotebook(cells, inputs);
  let problems = judgeExecution(counted, graded.outcome, cells, options.firstNumber, options.seed, markdown);
  let summary: ExecutionSummary =
    'result' in graded.outcome
      ? { cells: graded.outcome.result.cells.map(({ printed: _printed, ...rest }) => rest), seconds: round(graded.seconds), budgetSeconds: settings.budget_s, served: graded.outcome.result.served, ...(settings.loader_batches ? { loaderBatches: settings.loader_batches } : {}) }
      : { cells: [], seconds: 0, budgetSeconds: settings.budget_s, served: [], failure: graded.outcome.failure };
  const others = (options.others ?? []).slice(0, MAX_OTHER_NOTEBOOKS);
  if ('result' in graded.outcome && others.length > 0 && problems.some((p) => p.score < p.points)) {
    // The folder's other notebooks, numbered after the graded one's cells, each in a process of its own.
    let offset = cellsAfter(options.submission, 0).count;
    const also: AlsoExecuted[] = [];
    const results: ExecutionResult[] = [];
    const allCells = [...cells];
    const allMarkdown = [...markdown];
    let seconds = graded.seconds;
    for (const file of others) {
      let own: ReturnType<typeof cellsAfter>;
      try {
        own = cellsAfter(file, offset);
      } catch (error) {
        // A scratch notebook that is not valid JSON is the student's file, not the grade's failure: said, and left.
        also.push({ file: path.basename(file), firstCell: offset + 1, lastCell: offset, failure: `it could not be read as a notebook (${error instanceof Error ? error.message : String(error)})` });
        continue;
      }
      const run = await executeNotebook(own.code, inputs);
      also.push({ file: path.basename(file), firstCell: offset + 1, lastCell: offset + own.count, ...('failure' in run.outcome ? { failure: run.outcome.failure } : {}) });
      if ('result' in run.outcome) results.push(run.outcome.result);
      allCells.push(...own.code);
      allMarkdown.push(...own.markdown);
      seconds += run.seconds;
      offset += own.count;
    }
    const merged = mergeResults(graded.outcome.result, results);
    const together = judgeExecution(counted, { result: merged }, allCells, options.firstNumber, options.seed, allMarkdown);
    // Where they score the same, what all the notebooks left says more (the other notebook's own cell, not a miss).
    problems = problems.map((p, i) => (together[i]!.score >= p.score ? together[i]! : p));
    summary = { ...summary, cells: merged.cells.map(({ printed: _printed, ...rest }) => rest), seconds: round(seconds), served: merged.served, alsoExecuted: also };
  }
  return { problems, summary };
}

const round = (seconds: number) => Math.round(seconds * 1000) / 1000;

/** Executions again after a cell that could not be stopped: a notebook with more such cells is failed as a whole. */
const MAX_RERUNS = 2;

/** The folder's other notebooks executed at most (scratch copies beyond them are left alone). */
const MAX_OTHER_NOTEBOOKS = 3;
