// What a batch writes for staff: the gradebook (one row per submission, one column per problem and question)
// and a summary (the score distribution, how often each check failed and each mistake was named).

import path from 'node:path';
import type { Assignment } from './assignment.ts';
import type { Submission } from './class-submissions.ts';
import { maxScoreOf, scoredItems } from './problem-plan.ts';
import type { GradeReport } from './report.ts';
import { writeAtomic } from './write.ts';

export interface BatchRow {
  readonly submission: Submission;
  readonly report: GradeReport | undefined;
  /** Why there is no report (no source file, the grading process died). */
  readonly error?: string;
  readonly cached: boolean;
}

const csvField = (v: string | number | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function gradebookCsv(assignment: Assignment, rows: readonly BatchRow[]): string {
  const ids = scoredItems(assignment).map((item) => item.id);
  const header = ['submission', 'name', 'email', 'sid', 'score', 'max_score', ...ids, 'status'];
  const lines = rows.map((r) => {
    const byId = new Map([...(r.report?.problems ?? []), ...(r.report?.questions ?? [])].map((p) => [p.id, p.score]));
    const status = r.error ? `error: ${r.error}` : r.report?.ungradable ? `ungradable: ${r.report.ungradable}` : 'graded';
    return [r.submission.id, r.submission.name, r.submission.email, r.submission.sid, r.report?.score, r.report?.maxScore, ...ids.map((id) => byId.get(id)), status].map(csvField).join(',');
  });
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

export interface BatchSummary {
  readonly assignment: string;
  readonly submissions: number;
  readonly graded: number;
  readonly failed: number;
  readonly meanScore: number;
  readonly maxScore: number;
  readonly problems: readonly { id: string; points: number; mean: number; full: number; zero: number; histogram: number[] }[];
  readonly mistakes: readonly { problem: string; id: string; title: string; count: number }[];
}

export function summarize(assignment: Assignment, rows: readonly BatchRow[]): BatchSummary {
  const graded = rows.filter((r) => r.report && !r.report.ungradable).map((r) => r.report!);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);
  // Executed checks and written answers are summarised as problems are: by id, points and score.
  const problems = scoredItems(assignment).map((settings) => {
    const scores = graded.map((g) => [...g.problems, ...(g.questions ?? [])].find((p) => p.id === settings.id)?.score ?? 0);
    // Ten bins of the fraction of the points earned; the last bin holds full marks.
    const histogram = new Array<number>(10).fill(0);
    for (const s of scores) histogram[Math.min(9, Math.floor((settings.points > 0 ? s / settings.points : 1) * 10))]!++;
    return { id: settings.id, points: settings.points, mean: mean(scores), full: scores.filter((s) => s >= settings.points).length, zero: scores.filter((s) => s === 0).length, histogram };
  });
  const counts = new Map<string, { problem: string; id: string; title: string; count: number }>();
  for (const g of graded) {
    for (const p of g.problems) {
      // One mistake per student and problem: the priced one, else the one named on the most failed checks.
      const tally = new Map<string, { title: string; n: number }>();
      for (const d of p.checks.flatMap((c) => c.result.diagnosis ?? [])) tally.set(d.id, { title: d.title, n: (tally.get(d.id)?.n ?? 0) + 1 });
      const top = [...tally.entries()].sort((a, b) => b[1].n - a[1].n)[0];
      const named = p.mistake ? [[p.mistake.id, p.mistake.title] as const] : top ? [[top[0], top[1].title] as const] : [];
      for (const [id, title] of named) {
        const key = `${p.id}/${id}`;
        const entry = counts.get(key) ?? { problem: p.id, id, title, count: 0 };
        entry.count++;
        counts.set(key, entry);
      }
    }
    for (const q of g.questions ?? []) {
      if (q.outcome.kind !== 'wrong_form') continue;
      const key = `${q.id}/${q.outcome.id}`;
      const entry = counts.get(key) ?? { problem: q.id, id: q.outcome.id, title: q.outcome.says, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
  }
  return {
    assignment: assignment.name,
    submissions: rows.length,
    graded: graded.length,
    failed: rows.length - graded.length,
    meanScore: mean(graded.map((g) => g.score)),
    maxScore: maxScoreOf(assignment, false),
    problems,
    mistakes: [...counts.values()].sort((a, b) => b.count - a.count || a.problem.localeCompare(b.problem)),
  };
}

export function summaryMarkdown(s: BatchSummary): string {
  const f = (x: number) => String(Math.round(x * 100) / 100);
  return [
    `# ${s.assignment}: class summary`,
    '',
    `${s.submissions} submissions, ${s.graded} graded, ${s.failed} not graded. Mean score ${f(s.meanScore)} / ${f(s.maxScore)}.`,
    '',
    '| problem | points | mean | full marks | zero | distribution (tenths of the points, last = full) |',
    '|---|---|---|---|---|---|',
    ...s.problems.map((p) => `| ${p.id} | ${f(p.points)} | ${f(p.mean)} | ${p.full} | ${p.zero} | ${p.histogram.join(' ')} |`),
    '',
    '## Most frequent named mistakes',
    '',
    '| problem | mistake | students |',
    '|---|---|---|',
    ...s.mistakes.map((m) => `| ${m.problem} | ${m.title} (\`${m.id}\`) | ${m.count} |`),
    '',
  ].join('\n');
}

export function writeBatchOutputs(assignment: Assignment, rows: readonly BatchRow[], outDir: string): void {
  const summary = summarize(assignment, rows);
  writeAtomic(path.join(outDir, 'gradebook.csv'), gradebookCsv(assignment, rows));
  writeAtomic(path.join(outDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  writeAtomic(path.join(outDir, 'summary.md'), summaryMarkdown(summary));
}

/** Reassembles shard outputs: every cached report of each shard's out dir, for the submissions in `dir`. */
