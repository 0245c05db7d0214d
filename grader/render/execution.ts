// What the feedback says about an executed notebook (grader/execution/): one sentence naming the cells that
// raised, timed out or were not run, and a cell-by-cell table for staff and the full feedback.

import type { ExecutionSummary } from '../execution/grade-execution.ts';

export function executionSentence(summary: ExecutionSummary): string {
  if (summary.failure !== undefined) return `Executed notebook: the execution failed (${summary.failure}); the checks on it found nothing.`;
  const ran = summary.cells.filter((c) => c.status === 'ran').length;
  const trouble = summary.cells
    .filter((c) => c.status !== 'ran')
    .map((c) => `cell ${c.cell} ${c.status === 'raised' ? `raised ${c.error?.type}: ${c.error?.message}` : c.status === 'timed out' ? `timed out (${c.reason})` : `was ${c.status === 'skipped' ? 'skipped' : 'not run'} (${c.reason})`}`);
  const stubs = summary.served.length > 0 ? ` Course files served by the assignment's stand-ins: ${summary.served.join(', ')}.` : '';
  const reduced = summary.loaderBatches ? ` A reduced run: every pass over a DataLoader stopped after ${summary.loaderBatches} batch${summary.loaderBatches === 1 ? '' : 'es'}, so the training cells ran in seconds on the stand-in data.` : '';
  const also = summary.alsoExecuted?.length
    ? ` The folder's other notebooks were executed too, for the checks the graded one did not pass (each such check counts them where that scores no less): ${summary.alsoExecuted.map((a) => (a.lastCell < a.firstCell ? `${a.file} not (${a.failure})` : `${a.file} as cells ${a.firstCell}-${a.lastCell}${a.failure ? ` (its execution failed: ${a.failure})` : ''}`)).join(', ')}.`
    : '';
  return `Executed notebook: ${ran} of ${summary.cells.length} code cells ran in ${summary.seconds.toFixed(1)} s (budget ${summary.budgetSeconds} s${summary.alsoExecuted?.length ? ' for each notebook' : ''})${trouble.length ? `; ${trouble.join('; ')}` : ''}.${also} Shell and magic lines (!pip, %matplotlib) are never run and the network is off.${stubs}${reduced}`;
}

export function executionTable(summary: ExecutionSummary): string[] {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| cell | outcome | seconds | note |',
    '|---|---|---|---|',
    ...summary.cells.map((c) => {
      const note = [c.error ? `${c.error.type}: ${c.error.message}` : c.reason ?? '', c.skippedLines?.length ? `not run: ${c.skippedLines.join('; ')}` : ''].filter(Boolean).join('; ');
      return `| ${c.cell} | ${c.status} | ${c.seconds ?? ''} | ${cell(note)} |`;
    }),
  ];
}
