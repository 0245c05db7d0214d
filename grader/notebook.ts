// Jupyter notebooks as submissions: grader/runners/notebook.py picks the statements a problem needs out of the
// code cells (imports, definitions, the constants they use) without executing anything, and the result is
// graded as a .py file written into the child's private work dir. Which cells were used is part of the report.

import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { LoadError } from './protocol.ts';
import { runnersDir } from './paths.ts';
import { isNotebook } from './submission.ts';
import { CHILD_BASE_ENV, pythonExecutable, requirePython } from './python.ts';
import { coverageBootstrap, withRunnerCoverage } from './runner-coverage.ts';


const Statement = z.object({ line: z.number(), what: z.string() });

const NotebookCellSchema = z.object({
  /** 1-based position of the cell in the notebook (markdown cells counted). */
  cell: z.number().int(),
  /** The `In [n]` number the student saw, if the cell was run. */
  executionCount: z.number().int().nullable(),
  status: z.enum(['used', 'partly used', 'skipped', 'empty']),
  kept: z.array(Statement),
  skipped: z.array(Statement.extend({ reason: z.string() })),
});

const ExtractionSchema = z.object({
  source: z.string(),
  cells: z.array(NotebookCellSchema),
  errors: z.array(z.object({ kind: z.enum(['syntax', 'import']), message: z.string(), traceback: z.string() })),
});

export type NotebookCell = z.infer<typeof NotebookCellSchema>;

/** What the report says about a notebook submission. */
export interface NotebookReport {
  readonly file: string;
  readonly cells: readonly NotebookCell[];
}

export interface PreparedSubmission {
  /** The file the harness loads (the submission itself, or the code extracted from a notebook). */
  readonly file: string;
  readonly notebook?: NotebookReport;
  /** Problems found while extracting (a cell that does not parse, a file that is not a notebook). */
  readonly loadErrors: readonly LoadError[];
}


/** Runs the extractor on a notebook (it parses, never executes). */
export function extractNotebook(file: string): z.infer<typeof ExtractionSchema> {
  requirePython(pythonExecutable());
  const out = withRunnerCoverage('python', ['ignore', 'pipe', 'pipe'], (stdio) =>
    execFileSync(pythonExecutable(), ['-I', ...coverageBootstrap(runnersDir), path.join(runnersDir, 'notebook.py'), path.resolve(file)], {
      encoding: 'utf8',
      timeout: 30_000,
      maxBuffer: 64 * 1024 * 1024,
      env: CHILD_BASE_ENV,
      stdio,
    }),
  );
  return ExtractionSchema.parse(JSON.parse(out));
}

/**
 * A notebook becomes `<workDir>/<stem>.py` (`<stem>_notebook.py` when the folder has a `<stem>.py` of its own),
 * beside the staged files of its folder, so its helper modules import; any other submission is graded as it is.
 */
export function prepareSubmission(file: string, workDir: string): PreparedSubmission {
  if (!isNotebook(file)) return { file, loadErrors: [] };
  const extraction = extractNotebook(file);
  const stem = path.basename(file, path.extname(file));
  const target = [`${stem}.py`, `${stem}_notebook.py`, `${stem}_${Date.now()}.py`].map((f) => path.join(workDir, f)).find((f) => !existsSync(f))!;
  writeFileSync(target, extraction.source);
  return { file: target, notebook: { file, cells: extraction.cells }, loadErrors: extraction.errors };
}

/** The cells whose code was used, and those skipped entirely (empty cells left out). */
export function cellSummary(notebook: NotebookReport): { used: number[]; skipped: number[] } {
  return {
    used: notebook.cells.filter((c) => c.status === 'used' || c.status === 'partly used').map((c) => c.cell),
    skipped: notebook.cells.filter((c) => c.status === 'skipped').map((c) => c.cell),
  };
}
