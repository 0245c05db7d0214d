// Benchmark: executing a seed notebook cell by cell (grader/execution/) as `gradecheck grade` does for an
// assignment with an execute: section. Grades fixtures/submissions/seed-003-handout/correct.ipynb and
// seed-003-executed/hostile-cells.ipynb (an endless loop and a long training loop, each stopped at the cell
// budget) and hostile-uncatchable.ipynb (cells that catch the timeout) against fixtures/assignments/seed-003.yaml's execute: checks alone, and
// seed-000-executed/correct.ipynb against seed-000.yaml's (two models rebuilt six times, their weights read back
// and tested, three training loops on the stand-in data), seed-000-mytorch-executed/correct (Q6.7: the mytorch
// network trained beside its package), and seed-004-executed/correct.ipynb against seed-004.yaml's
// (P2's tuning and retraining on a reduced run; its torchvision cells raise, its checks do not need them), and prints per notebook: the wall
// time of the grade, the cells' own time as the child measured it, the budget used, the slowest cell, and the
// time outside the cells (the process start with torch's import, the stand-ins, describing the leftovers).
// Asserts nothing about speed, but exits non-zero when the correct notebook does not get full marks.
// Run with `npx tsx bench/execute.ts [REPS]` (medians over REPS, default 3, after one warm-up).

import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Assignment, loadAssignment } from '../grader/assignment.ts';
import { grade } from '../grader/grade.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const seed003 = loadAssignment(path.join(root, 'fixtures', 'assignments', 'seed-003.yaml'));
const seed000 = loadAssignment(path.join(root, 'fixtures', 'assignments', 'seed-000.yaml'));
const seed004 = loadAssignment(path.join(root, 'fixtures', 'assignments', 'seed-004.yaml'));
/** The hostile notebook's loops are stopped at this cell budget (the assignment's is 20 s). */
const HOSTILE_CELL_BUDGET_S = 5;
const withoutLoops = (id: string) => id !== 'xavier-loop' && id !== 'kaiming-loop';
const NOTEBOOKS = [
  { label: 'seed 003, correct', seed: seed003, file: path.join(root, 'fixtures', 'submissions', 'seed-003-handout', 'correct.ipynb'), cellBudget: undefined, full: true },
  // The hostile notebooks hold no 4.4/4.5 loops (their cells are the template's up to 4.3): those checks are left out.
  { label: `seed 003, hostile (cell budget ${HOSTILE_CELL_BUDGET_S} s)`, seed: seed003, file: path.join(root, 'fixtures', 'submissions', 'seed-003-executed', 'hostile-cells.ipynb'), cellBudget: HOSTILE_CELL_BUDGET_S, full: true, checks: withoutLoops },
  // A training loop around a bare except (stopped at the budget) and a cell catching the timeout at every level
  // (killed after the budget and STOP_GRACE_S, the notebook executed again without it).
  { label: `seed 003, catching the timeout (cell budget ${HOSTILE_CELL_BUDGET_S} s)`, seed: seed003, file: path.join(root, 'fixtures', 'submissions', 'seed-003-executed', 'hostile-uncatchable.ipynb'), cellBudget: HOSTILE_CELL_BUDGET_S, full: true, checks: withoutLoops },
  { label: 'seed 000, correct', seed: seed000, file: path.join(root, 'fixtures', 'submissions', 'seed-000-executed', 'correct.ipynb'), cellBudget: undefined, full: true, checks: (id: string) => !id.startsWith('mytorch-') },
  // Q6.7: problem 6's cells beside the mytorch package: a gradient check, 3 epochs of numpy training, predictions.
  { label: 'seed 000 Q6.7, correct', seed: seed000, file: path.join(root, 'fixtures', 'submissions', 'seed-000-mytorch-executed', 'correct'), cellBudget: undefined, full: true, checks: (id: string) => id.startsWith('mytorch-') },
  // P2.2's search over 50 settings and P2.3's 50-epoch retraining on the stand-ins, reduced to 2 batches an epoch.
  { label: 'seed 004, correct (reduced run)', seed: seed004, file: path.join(root, 'fixtures', 'submissions', 'seed-004-executed', 'correct.ipynb'), cellBudget: undefined, full: true },
] as const;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The notebook's execute: checks alone (those `keep` keeps: the part of the homework the notebook holds). */
function executedOnly(seed: Assignment, cellBudget: number | undefined, keep: (id: string) => boolean = () => true): Assignment {
  const execute = { ...seed.execute!, checks: seed.execute!.checks.filter((c) => keep(c.id)) };
  return { ...seed, problems: [], questions: [], execute: cellBudget === undefined ? execute : { ...execute, cell_budget_s: cellBudget } };
}

/** Returns false when a notebook meant to pass every check did not. */
export async function benchExecute(reps = 3): Promise<boolean> {
  let ok = true;
  console.log(`notebook execution (grader/execution/), medians over ${reps} after a warm-up`);
  for (const notebook of NOTEBOOKS) {
    const assignment = executedOnly(notebook.seed, notebook.cellBudget, 'checks' in notebook ? notebook.checks : undefined);
    const runs: { wall: number; cells: number; slowest: string; count: number; budget: number }[] = [];
    for (let i = 0; i <= reps; i++) {
      const started = performance.now();
      const report = await grade({ assignment, submission: notebook.file });
      const wall = (performance.now() - started) / 1000;
      if (notebook.full && report.score !== report.maxScore) {
        console.log(`  ${notebook.label}: ${report.score} / ${report.maxScore}, not full marks: ${report.ungradable ?? ''}`);
        ok = false;
      }
      const cells = report.execution?.cells ?? [];
      const slowest = cells.reduce((a, c) => ((c.seconds ?? 0) > (a.seconds ?? 0) ? c : a), cells[0] ?? { cell: 0, seconds: 0 });
      if (i > 0) runs.push({ wall, cells: report.execution?.seconds ?? 0, slowest: `cell ${slowest.cell} ${(slowest.seconds ?? 0).toFixed(2)} s`, count: cells.length, budget: report.execution?.budgetSeconds ?? 0 });
    }
    const wall = median(runs.map((r) => r.wall));
    const cells = median(runs.map((r) => r.cells));
    const last = runs.at(-1)!;
    console.log(
      `  ${notebook.label}: ${last.count} code cells, grade ${wall.toFixed(2)} s, cells ${cells.toFixed(2)} s (${((100 * cells) / last.budget).toFixed(1)}% of the ${last.budget} s budget), outside the cells ${(wall - cells).toFixed(2)} s, slowest ${last.slowest}`,
    );
  }
  return ok;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!(await benchExecute(Number(process.argv[2] ?? 3)))) process.exitCode = 1;
}
