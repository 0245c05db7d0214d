// feedback.md and the Markdown of each Gradescope test: what a student reads. Checks that are not
// visible show their verdict and the named mistake, never their inputs or expected values.

import { codeLabel, formatCheckResult } from '../../src/format.ts';
import type { GradeReport } from '../grade.ts';
import type { ScoredCheck, ScoredProblem } from '../score.ts';
import { questionFeedback, questionPassed } from './question.ts';

const fmt = (x: number) => String(Math.round(x * 100) / 100);

export function checkFeedback(problem: ScoredProblem, check: ScoredCheck): string {
  const r = check.result;
  if (r.passed) return `Passed (${r.numRuns} random cases).`;
  const lines: string[] = [];
  if (problem.mistake) lines.push(`**Named mistake: ${problem.mistake.title}** (−${fmt(problem.mistake.deduct)} points). ${problem.mistake.hint}`);
  if (check.visibility !== 'visible') {
    const diagnosis = (r.diagnosis ?? []).map((d) => `Likely mistake: ${d.title}. ${d.hint}`);
    lines.push(`Failed: ${r.failure ? codeLabel(r.failure.code) : 'failed'}. This check's inputs are hidden.`, ...diagnosis);
    return lines.join('\n\n');
  }
  lines.push('```', formatCheckResult(r), '```');
  return lines.join('\n');
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
