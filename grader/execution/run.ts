// Executing a notebook in the student's process: the code cells read here (in notebook order, numbered by
// position with markdown cells counted, as the extraction report numbers them), sent with the assignment's
// budgets, recorded helpers and stand-ins to grader/runners/execute.py, and its answer read back as data.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Value } from '../../src/failure.ts';
import type { ProcessSubject } from '../process-subject.ts';
import { joinedText, readNotebookCells } from '../submission.ts';
import type { NumericTree } from '../../src/tolerance.ts';
import { assigningCells, firstCellMatching, resolveModelClass } from './aspect.ts';
import { type Construction, type ExecuteSettings, type ModelCheck, constructionsOf, shimsFiles } from './schema.ts';

export interface NotebookCellSource {
  /** 1-based position in the notebook, markdown cells counted. */
  readonly cell: number;
  readonly source: string;
  /** The text the notebook's saved outputs show for it (streams and plain-text results), as the student last ran it. */
  readonly saved?: string;
}

const CellReport = z.object({
  cell: z.number().int(),
  status: z.enum(['ran', 'raised', 'timed out', 'skipped', 'not run']),
  reason: z.string().optional(),
  error: z.object({ type: z.string(), message: z.string(), traceback: z.string() }).optional(),
  seconds: z.number().optional(),
  printed: z.string().optional(),
  skippedLines: z.array(z.string()).optional(),
});

const Module = z.object({
  kind: z.literal('module'),
  type: z.string(),
  /** Nested: Sequential[Linear(36, 128), ReLU(), ...]. */
  layers: z.string(),
  /** The leaf modules in order, nesting left out: Linear(784, 128), ReLU(), ... */
  leaves: z.string(),
  parameters: z.number(),
  trainable: z.number(),
});

const ModuleDescription = Module.extend({ parts: z.record(z.string(), Module).optional() });

/** A model the notebook left, as one construction built it (grader/runners/execute.py's model_report). */
const ModelReport = z.union([
  Module.extend({
    forward: z
      .union([z.object({ input: z.array(z.number()), shape: z.array(z.number()), min: z.number().nullable(), max: z.number().nullable(), finite: z.boolean() }), z.object({ error: z.string() })])
      .optional(),
  }),
  z.object({ error: z.string() }),
]);

/** An array; one of more than 65,536 entries comes as an even sample of them, flat, with `sampled` its size. */
const ArrayDescription = z.object({ kind: z.literal('array'), dtype: z.string(), shape: z.array(z.number()), value: z.unknown(), sampled: z.number().int().optional() });

/** Nested arrays of numbers as the protocol decodes them (NaN and infinities included: a model may compute them). */
const Tensor = z.custom<NumericTree>((v) => typeof v === 'number' || Array.isArray(v), 'numbers');

/** What a built model holds and did (execute.py's model_state): read only for the checks that need it. */
const ModelState = z.object({
  linears: z.array(z.object({ in: z.number().int(), out: z.number().int(), weight: Tensor, bias: Tensor.nullable() })),
  input: Tensor.nullable(),
  output: Tensor.nullable(),
  calls: z.array(z.object({ layer: z.number().int(), input: Tensor, output: Tensor })).nullable(),
});

const Described = z.union([
  ModuleDescription,
  ArrayDescription,
  /** A list (or tuple) of arrays: seed 002's globals weights and biases. */
  z.object({ kind: z.literal('list'), items: z.array(ArrayDescription) }),
  z.object({ kind: z.literal('scalar'), type: z.string(), value: z.unknown() }),
  z.object({ kind: z.literal('other'), type: z.string() }),
  z.object({ kind: z.literal('factory'), builds: z.string().optional(), hyperparameters: z.record(z.string(), z.union([z.number(), z.array(z.number())])).optional(), error: z.string().optional() }),
]);

const Line = z.object({ label: z.string(), x: z.array(z.number().nullable()), y: z.array(z.number().nullable()) });

export const ExecutionResultSchema = z.object({
  cells: z.array(CellReport),
  calls: z.array(z.object({ helper: z.string(), cell: z.number().int().nullable(), args: z.array(Described), kwargs: z.record(z.string(), Described) })),
  figures: z.array(
    z.object({
      cell: z.number().int(),
      title: z.string(),
      axes: z.array(
        z.object({
          title: z.string(),
          xlabel: z.string(),
          ylabel: z.string(),
          lines: z.array(Line),
          /** (rows, columns) of each image shown (imshow, pcolormesh, a heatmap). */
          images: z.array(z.tuple([z.number().int(), z.number().int()])).default([]),
          bars: z.number().int().default(0),
          /** A colorbar's own axes, not a subplot. */
          colorbar: z.boolean().default(false),
        }),
      ),
    }),
  ),
  values: z.record(z.string(), Described),
  /** By construction key (grader/execution/schema.ts constructionsOf). */
  models: z.record(z.string(), ModelReport),
  served: z.array(z.string()),
  seconds: z.number(),
  /** By construction key, for the constructions judged on their weights or behaviour (filled in by executeCells). */
  states: z.record(z.string(), ModelState).optional(),
  /** By construction key, why its state could not be read. */
  stateErrors: z.record(z.string(), z.string()).optional(),
});

export type ExecutionResult = z.infer<typeof ExecutionResultSchema>;
export type CellReport = z.infer<typeof CellReport>;
export type Described = z.infer<typeof Described>;
export type ModuleDescription = z.infer<typeof ModuleDescription>;
export type ModelReport = z.infer<typeof ModelReport>;
export type ModelState = z.infer<typeof ModelState>;
export type RecordedCall = ExecutionResult['calls'][number];
export type FigureDescription = ExecutionResult['figures'][number];

interface SavedOutput {
  readonly output_type?: string;
  readonly text?: string | string[];
  readonly data?: Readonly<Record<string, string | string[] | undefined>>;
}


/** What a cell's saved outputs show as text: printed streams and plain-text results, in order. */
function savedText(outputs: readonly SavedOutput[] | undefined): string | undefined {
  const text = (outputs ?? []).map((o) => (o.output_type === 'stream' ? joinedText(o.text) : joinedText(o.data?.['text/plain']))).join('');
  return text === '' ? undefined : text;
}

/** The code cells of a notebook, numbered by position (markdown cells counted), with what their saved outputs show. */
export function notebookCells(file: string): NotebookCellSource[] {
  return readNotebookCells(file).flatMap((c) => {
    if (c.type !== 'code') return [];
    const saved = savedText(c.outputs as readonly SavedOutput[]);
    return [{ cell: c.cell, source: c.source, ...(saved === undefined ? {} : { saved }) }];
  });
}

/** The assignment's stand-ins file, read (it travels to the child as text: the sandbox needs no extra file). */
export function shimsSource(settings: ExecuteSettings, assignmentFile: string): string[] {
  return shimsFiles(settings).map((file) => readFileSync(path.resolve(path.dirname(assignmentFile), file), 'utf8'));
}

/** What the execution needs beyond the cells' own time: starting the call and describing the leftovers. */
export const EXECUTION_MARGIN_MS = 20_000;

/**
 * How long past its budget a cell may take to stop before the grader kills the process: the timeout unwinds a
 * cell within a line, but a C call in progress (a large matrix product) returns first.
 */
export const STOP_GRACE_S = 5;

/** A cell went on past its budget and the grace, catching the timeout: the process was killed in it. */
export class StuckCell extends Error {
  constructor(readonly cell: number) {
    super(`cell ${cell} could not be stopped`);
  }
}

/** Kills the process when the cell it announced has run past its budget and the grace; says which cell. */
function watchForStuckCell(subject: ProcessSubject, cellBudgetS: number): { readonly stuck: () => number | undefined; readonly stop: () => void } {
  let stuck: number | undefined;
  const timer = setInterval(() => {
    const at = subject.executingCell();
    if (stuck === undefined && at && at.ms > (cellBudgetS + STOP_GRACE_S) * 1000) {
      stuck = at.cell;
      subject.stop(`cell ${at.cell} ran past its ${cellBudgetS} s budget and could not be stopped`);
    }
  }, 250);
  return { stuck: () => stuck, stop: () => clearInterval(timer) };
}

/** Where a value judged as one cell left it is kept in an execution's values: `weights#37` (execute.py's lookup). */
export const snapshotKey = (name: string, cell: number | undefined) => (cell === undefined ? name : `${name}#${cell}`);

/**
 * Runs the cells in the student's process, those in `skip` not at all (with the reason given). Rejects with a
 * StuckCell when a cell could not be stopped (the process is killed), else a SubjectError when the process died
 * or overran the whole budget.
 */
export async function executeCells(
  subject: ProcessSubject,
  cells: readonly NotebookCellSource[],
  settings: ExecuteSettings,
  shims: readonly string[],
  skip: Readonly<Record<number, string>> = {},
): Promise<ExecutionResult> {
  // Initialised values as the cells that assign them left them (a training loop may follow), or as one cell did.
  const initialised = settings.checks.flatMap((c) => {
    if (!('initialised' in c)) return [];
    const { weights, biases, cell } = c.initialised;
    const at = cell === undefined ? undefined : firstCellMatching(cell, cells);
    return [weights, ...(biases ? [biases] : [])].map((name) => ({ key: snapshotKey(name, at), cells: at === undefined ? assigningCells(name, cells) : [at] }));
  });
  // A descent check's track as its loop's cell left it (later cells reuse the names).
  const tracks = settings.checks.flatMap((c) => ('descent' in c ? [c.descent] : []));
  // A value check's value as the end of the notebook left it, or as its own cell did.
  const valued = settings.checks.flatMap((c) => {
    if (!('value' in c)) return [];
    const at = c.cell === undefined ? undefined : firstCellMatching(c.cell, cells);
    return [{ key: snapshotKey(c.value, at), cells: at === undefined ? undefined : [at] }];
  });
  const computed = settings.checks.flatMap((c) => ('written' in c && c.written.computed_by ? [c.written.computed_by] : []));
  const values = [...new Set([...valued.map((v) => v.key), ...computed, ...initialised.map((i) => i.key), ...tracks.map((t) => t.track)])];
  const snapshots = Object.fromEntries([
    ...valued.flatMap((v) => (v.cells ? [[v.key, v.cells] as const] : [])),
    ...initialised.map((i) => [i.key, i.cells] as const),
    ...tracks.map((t) => [t.track, [firstCellMatching(t.cell, cells)].filter((c) => c !== undefined)] as const),
  ]);
  const requests = settings.checks.flatMap((c) => ('model' in c ? modelRequests(resolveModelClass(c, cells)) : []));
  const models = requests.map(({ state: _state, ...request }) => request);
  const config = { budget_s: settings.budget_s, cell_budget_s: settings.cell_budget_s, record: settings.record, values, snapshots, models, shims, skip, loader_batches: settings.loader_batches ?? null };
  const watchdog = watchForStuckCell(subject, settings.cell_budget_s);
  let answer: Value;
  try {
    // The saved outputs stay here: the checks read them, the process has no use for them.
    const sent = cells.map(({ cell, source }) => ({ cell, source }));
    answer = await subject.callShaped('execute', [sent as unknown as Value, config as unknown as Value], { scope: 'execution' });
  } catch (error) {
    const stuck = watchdog.stuck();
    throw stuck === undefined ? error : new StuckCell(stuck);
  } finally {
    watchdog.stop();
  }
  const result = ExecutionResultSchema.parse(answer);
  // The weights and Linear calls of each model a check needs them of, one answer per model (each a few MB).
  // A model whose state cannot be read (its weights past the response limit, the process gone) fails the aspects
  // that need it, saying why; what the cells left is judged all the same.
  const states: Record<string, ModelState> = {};
  const stateErrors: Record<string, string> = {};
  for (const { key } of requests.filter((r) => r.state)) {
    const report = result.models[key];
    if (report === undefined || 'error' in report) continue;
    try {
      states[key] = ModelState.parse(await subject.callShaped('model_state', [key], { scope: 'execution' }));
    } catch (error) {
      if (subject.infrastructureFailure) throw subject.infrastructureFailure;
      stateErrors[key] = error instanceof Error ? error.message : String(error);
    }
  }
  return { ...result, states, stateErrors };
}

/** What execute.py is asked to build and run for a model check: one request per construction. */
function modelRequests(check: ModelCheck) {
  const reads = (c: Construction, kind: 'computes' | 'weights' | 'biases') => (c.own[kind] ?? check[kind]) !== undefined;
  return constructionsOf(check).map((c) => {
    const input = c.forward?.input;
    return {
      key: c.key,
      name: check.model,
      // JSON text, so that the arguments reach Python as written (784 an int, not a float64 array).
      build: c.call ? JSON.stringify(c.call) : null,
      inputs: input === undefined ? null : typeof input[0] === 'number' ? [input] : input,
      capture: reads(c, 'computes'),
      state: reads(c, 'computes') || reads(c, 'weights') || reads(c, 'biases'),
    };
  });
}
