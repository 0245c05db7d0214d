// Judging a `printed:` check (grader/execution/schema.ts): what the cells printed in the grader's run, matched
// against a regular expression; with `below:`, a number the pattern captures must be below the bound the handout
// states (seed 000 Q6.7: "the gradient-check output on 5 samples (< 1e-5)").

import { type Aspect, type Captured, captured, fail, troubleSentence } from './aspect.ts';
import type { ExecutionResult, NotebookCellSource } from './run.ts';
import type { PrintedCheck } from './schema.ts';

/** What the cells printed, for a printed check that found no match: the first lines of a few cells. */
const PRINTED_SHOWN = { cells: 4, lines: 3, characters: 160 } as const;

function printedSummary(cells: ExecutionResult['cells']): string {
  const printing = cells.filter((c) => c.printed?.trim());
  if (printing.length === 0) return 'no cell printed anything';
  const shown = printing.slice(0, PRINTED_SHOWN.cells).map((c) => {
    const lines = c.printed!.trim().split('\n');
    const head = lines.slice(0, PRINTED_SHOWN.lines).join(' / ').slice(0, PRINTED_SHOWN.characters);
    return `cell ${c.cell}: "${head}${lines.length > PRINTED_SHOWN.lines || head.length === PRINTED_SHOWN.characters ? ' ...' : ''}"`;
  });
  const more = printing.length - shown.length;
  return `the cells printed ${shown.join('; ')}${more > 0 ? ` (and ${more} more ${more === 1 ? 'cell' : 'cells'})` : ''}`;
}

/** A bound as a handout writes it: 1e-5, 0.9. */
export const bound = (x: number) => (x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential() : String(x));

const missing = (check: PrintedCheck, result: ExecutionResult, title: string): Aspect[] => {
  const trouble = troubleSentence(result.cells);
  return [{ id: 'printed', title, failure: fail('missing', `no cell printed text matching /${check.printed}/: ${printedSummary(result.cells)}${trouble ? `; ${trouble}` : ''}`) }];
};

/** The numbers a bounded check's pattern captures in one cell: in the grader's run, or in its saved outputs. */
interface Found {
  readonly cell: number;
  readonly saved: boolean;
  readonly numbers: readonly Captured[];
}

function judgeBound(check: PrintedCheck, below: number, result: ExecutionResult, sources: readonly NotebookCellSource[], title: string): Aspect[] {
  // A cell the grader stopped at its budget (a gradient check of the whole network takes minutes) printed nothing
  // there: the notebook's saved outputs, the student's own run, are all there is of it. Any other cell is judged on
  // the grader's run alone.
  const stopped = new Set(result.cells.filter((c) => c.status === 'timed out').map((c) => c.cell));
  const found: Found[] = [
    ...result.cells.map((c) => ({ cell: c.cell, saved: false, numbers: captured(check.printed, c.printed) })),
    ...sources.filter((s) => stopped.has(s.cell)).map((s) => ({ cell: s.cell, saved: true, numbers: captured(check.printed, s.saved) })),
  ].filter((f) => f.numbers.length > 0);
  if (found.length === 0) return missing(check, result, title);
  // One number below the bound passes: a student may also show the check failing on a network broken on purpose.
  if (found.some((f) => f.numbers.some((n) => n.value < below))) return [{ id: 'printed', title }];
  const first = found[0]!;
  const whose = first.saved ? `cell ${first.cell} timed out in the grader's run; its saved outputs show` : `cell ${first.cell} printed`;
  const shown = first.numbers.map((n) => n.text).join(', ');
  return [{ id: 'printed', title, failure: fail('value_mismatch', `${whose} ${shown}, not below the handout's ${bound(below)}`, { expected: `< ${bound(below)}`, received: shown }) }];
}

export function judgePrinted(check: PrintedCheck, result: ExecutionResult, sources: readonly NotebookCellSource[]): Aspect[] {
  const { below } = check;
  const title = below === undefined ? `printed output matching /${check.printed}/` : `a number printed by /${check.printed}/ below ${bound(below)}`;
  if (below !== undefined) return judgeBound(check, below, result, sources, title);
  const pattern = new RegExp(check.printed, 'm');
  if (result.cells.some((c) => c.printed !== undefined && pattern.test(c.printed))) return [{ id: 'printed', title }];
  return missing(check, result, title);
}
