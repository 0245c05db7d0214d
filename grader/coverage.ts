// `gradecheck coverage`: the handout's code tasks with their points, which of them gradecheck grades and through
// which interface, and which are left to a person, with the share of points graded automatically.

import type { Assignment } from './assignment.ts';
import { problemOf } from './assignment.ts';
import { catalogCallables, studentName } from './bindings/schema.ts';
import { ANY_MODULE_CLASS, type ExecutionCheck, JUDGED, constructionsOf } from './execution/schema.ts';
import { bound } from './execution/printed.ts';

export interface CoverageRow {
  readonly task: string;
  readonly points: number;
  readonly what: string;
  /** How it is graded ("problem ema: function ema_update"), or undefined when a person grades it. */
  readonly how?: string;
  readonly left?: string;
}

export interface Coverage {
  readonly rows: readonly CoverageRow[];
  readonly codePoints: number;
  readonly gradedPoints: number;
}

/** What an execute: check looks at, in a few words. */
function executedWhat(check: ExecutionCheck): string {
  if ('value' in check) return `the value of ${check.value}`;
  if ('call' in check) return `the ${check.call} call (${['wrapper', 'network', 'parameters', 'loss', 'optimizer'].filter((k) => k in check).join(', ')})`;
  if ('model' in check) {
    const constructions = constructionsOf(check);
    const judged = JUDGED.filter((k) => check[k] !== undefined || constructions.some((c) => c.own[k] !== undefined));
    const built = constructions.some((c) => c.call) ? ` built as ${constructions.map((c) => c.label).join(', ')}` : '';
    return `the model ${check.model === ANY_MODULE_CLASS ? 'the nn.Module class the notebook defines' : check.model}${built} (${judged.join(', ')})`;
  }
  if ('figure' in check) {
    const f = check.figure;
    const shown = [f.subplots && `${f.subplots} subplots`, f.lines !== undefined && `${f.lines} lines each`, f.images && `${f.images} images`, f.heatmap && `a ${f.heatmap.join('x')} heatmap`, f.bars && `${f.bars} bars`];
    return `a figure of ${shown.filter(Boolean).join(', ')}`;
  }
  if ('trained' in check) {
    const t = check.trained;
    const bar = t.at_least !== undefined ? `>= ${t.at_least}` : t.above !== undefined ? `> ${t.above}` : `above ${t.beats}'s`;
    return `a training result: the saved test accuracy ${bar}; re-run on the stand-ins, the loss computed and not rising, the accuracy computed`;
  }
  if ('initialised' in check) {
    const { weights, biases, widths, method } = check.initialised;
    return `the initial ${weights}${biases ? ` and ${biases}` : ''} of ${widths.join('-')} (${method}, statistically)`;
  }
  if ('descent' in check) return `gradient descent on the points ${check.descent.track} recorded in the first cell matching /${check.descent.cell}/`;
  if ('written' in check) return `the numbers written in the markdown cell matching /${check.written.cell}/`;
  return `printed output /${check.printed}/${check.below === undefined ? '' : `, a number in it below ${bound(check.below)}`}`;
}

/** How the student's code is reached for one problem: its bound names, conventions and adapter. */
function interfaceOf(assignment: Assignment, id: string): string {
  const executed = assignment.execute?.checks.find((c) => c.id === id);
  if (executed) return `executed notebook, check ${id}: ${executedWhat(executed)}`;
  const settings = assignment.problems.find((p) => p.id === id);
  if (!settings) return `written answer ${id}`;
  const problem = problemOf(settings);
  const names = [...catalogCallables(problem)].map(([name, { isClass }]) => {
    const entry = settings.bind?.[name];
    const student = studentName(name, entry);
    const form = typeof entry === 'object' && 'optimizer' in entry && entry.optimizer ? ` (${entry.optimizer} optimizer)` : '';
    return student === undefined ? `${name} through the adapter` : `${isClass ? 'class' : 'function'} ${student}${form}`;
  });
  const conventions = typeof settings.convention === 'string' ? `; the handout's convention ${settings.convention}` : settings.convention ? `; any of the conventions ${settings.convention.join(', ')} (the one the code matches counts)` : '';
  return `problem ${id}: ${names.join(', ')}${conventions}`;
}

export function coverageOf(assignment: Assignment): Coverage {
  const rows = assignment.handout.map((t) => ({
    task: t.task,
    points: t.points,
    what: t.what,
    ...(t.graded_by !== undefined ? { how: interfaceOf(assignment, t.graded_by) } : {}),
    ...(t.left !== undefined ? { left: t.left } : {}),
  }));
  const sum = (r: readonly CoverageRow[]) => r.reduce((s, x) => s + x.points, 0);
  return { rows, codePoints: sum(rows), gradedPoints: sum(rows.filter((r) => r.how !== undefined)) };
}

export function formatCoverage(assignment: Assignment, coverage: Coverage): string {
  if (coverage.rows.length === 0) return `${assignment.file}: the assignment lists no handout tasks (add a handout: section)`;
  const pct = coverage.codePoints > 0 ? Math.round((100 * coverage.gradedPoints) / coverage.codePoints) : 0;
  return [
    `${assignment.name}`,
    '',
    '| task | points | deliverable | graded |',
    '|---|---|---|---|',
    ...coverage.rows.map((r) => `| ${r.task} | ${r.points} | ${r.what} | ${r.how ?? `by a person: ${r.left}`} |`),
    '',
    `graded automatically: ${coverage.gradedPoints} of ${coverage.codePoints} code points (${pct}%)`,
  ].join('\n');
}
