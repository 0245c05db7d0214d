// feedback.md and the Markdown of each Gradescope test: what a student reads. Checks that are not
// visible show their verdict and the named mistake, never their inputs or expected values.

import { formatCheckResult } from '../../src/format.ts';
import type { GradeReport } from '../report.ts';
import { type NotebookReport, cellSummary } from '../notebook.ts';
import type { ScoredCheck, ScoredProblem } from '../score.ts';
import { checkView } from './visibility.ts';
import { questionFeedback, questionPassed } from './question.ts';

const fmt = (x: number) => String(Math.round(x * 100) / 100);

export function checkFeedback(problem: ScoredProblem, check: ScoredCheck): string {
  const view = checkView(check);
  if (view.kind === 'passed') return `Passed (${view.numRuns} random cases).`;
  const lines: string[] = [];
  if (problem.mistake) lines.push(`**Named mistake: ${problem.mistake.title}** (−${fmt(problem.mistake.deduct)} points). ${problem.mistake.hint}`);
  for (const other of problem.alsoFits ?? []) lines.push(`The failing input fits this mistake too: ${other.title}. ${other.hint}`);
  if (view.kind === 'hidden') {
    const diagnosis = view.diagnosis.map((d) => `Likely mistake: ${d.title}. ${d.hint}`);
    lines.push(`Failed: ${view.label}. This check's inputs are hidden.`, ...diagnosis);
    return lines.join('\n\n');
  }
  lines.push('```', formatCheckResult(view.result), '```');
  return lines.join('\n');
}

/** One sentence on which notebook cells were graded (shared by every renderer). */
export function notebookSentence(notebook: NotebookReport): string {
  const { used, skipped } = cellSummary(notebook);
  const list = (xs: number[]) => (xs.length ? xs.join(', ') : 'none');
  return `Notebook: graded the code of cells ${list(used)}; skipped cells ${list(skipped)} (shell and magic lines, training loops, downloads, plotting and other top-level work are never run).`;
}

function notebookTable(notebook: NotebookReport): string[] {
  const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [
    '| cell | In [ ] | used | skipped |',
    '|---|---|---|---|',
    ...notebook.cells
      .filter((c) => c.status !== 'empty')
      .map((c) => `| ${c.cell} | ${c.executionCount ?? ''} | ${cell(c.kept.map((k) => k.what).join(', '))} | ${cell(c.skipped.map((k) => `${k.what} (${k.reason})`).join('; '))} |`),
  ];
}

export function reportMarkdown(report: GradeReport, options: { includeChecks: boolean }): string {
  const out: string[] = [`# ${report.assignment}`, ''];
  if (report.ungradable) {
    out.push(`**This submission could not be graded** (a grader or environment failure, not a grade): ${report.ungradable}`, '');
    return out.join('\n');
  }
  out.push(`**Score: ${fmt(report.score)} / ${fmt(report.maxScore)}**${report.lateFactor < 1 ? ` (after a late factor of ${fmt(report.lateFactor)}, ${report.daysLate} day(s) late)` : ''}`, '');
  for (const e of report.loadErrors) {
    out.push(`> The submission did not load cleanly: \`${e.message}\``, '');
    if (e.traceback) out.push('```', e.traceback.trim().split('\n').slice(-10).join('\n'), '```', '');
  }
  if (report.notebook) {
    out.push(notebookSentence(report.notebook), '');
    if (options.includeChecks) out.push(...notebookTable(report.notebook), '');
  }
  out.push('| problem | score | checks passed |', '|---|---|---|');
  for (const p of report.problems) {
    out.push(`| ${p.id} | ${fmt(p.score)} / ${fmt(p.points)} | ${p.checks.filter((c) => c.result.passed).length} / ${p.checks.length} |`);
  }
  const questions = report.questions ?? [];
  if (questions.length > 0) {
    out.push('', '| written answer | score | |', '|---|---|---|');
    for (const q of questions) out.push(`| ${q.id} | ${fmt(q.score)} / ${fmt(q.points)} | ${questionPassed(q) ? '✓' : '✗'} |`);
  }
  if (report.unknownAnswers?.length) out.push('', `> Answers for questions this assignment does not have (ignored): ${report.unknownAnswers.join(', ')}`);
  out.push('');
  for (const p of report.problems) {
    if (p.notice) out.push(`- **${p.id}**: ${p.notice}`);
    if (p.mistake) out.push(`- **${p.id}**: named mistake: ${p.mistake.title} (−${fmt(p.mistake.deduct)}). ${p.mistake.hint}`);
  }
  if (!options.includeChecks) return out.join('\n');
  if (questions.length > 0) {
    out.push('', '## Written answers', '');
    for (const q of questions) out.push(`### ${questionPassed(q) ? '✓' : '✗'} ${q.id}: ${q.title} (${fmt(q.score)} / ${fmt(q.points)})`, '', questionFeedback(q), '');
  }
  for (const p of report.problems) {
    out.push('', `## ${p.id}: ${p.title} — ${fmt(p.score)} / ${fmt(p.points)}`, '');
    for (const c of p.checks) {
      out.push(`### ${c.result.passed ? '✓' : '✗'} ${c.result.check} (${fmt(c.score)} / ${fmt(c.maxScore)})`, '', c.result.title, '', checkFeedback(p, c), '');
    }
  }
  return out.join('\n');
}
