// feedback.md and the Markdown of each Gradescope test: what a student reads. Checks that are not
// visible show their verdict and the named mistake, never their inputs or expected values.

import path from 'node:path';
import { type ReplayContext, formatCheckResult } from '../../src/format.ts';
import { UNJUDGED_WHY, unjudgedSentence } from '../../src/unjudged.ts';
import { type GradeReport, replayContext } from '../report.ts';
import { type NotebookReport, cellSummary } from '../notebook.ts';
import type { PickedFile } from '../submission.ts';
import { executionSentence, executionTable } from './execution.ts';
import type { Visibility } from '../assignment.ts';
import type { ScoredCheck, ScoredProblem } from '../score.ts';
import { checkView } from './visibility.ts';
import { questionFeedback, questionPassed } from './question.ts';
import { bonusNote } from './bonus.ts';

const fmt = (x: number) => String(Math.round(x * 100) / 100);

/** A check's feedback; a visible failure ends with how to replay it (on which submission, through which assignment). */
export function checkFeedback(problem: ScoredProblem, check: ScoredCheck, replay: ReplayContext = {}): string {
  const view = checkView(check);
  if (view.kind === 'passed') {
    const { unjudged } = check.result;
    return unjudged ? `Passed (${view.numRuns} random cases; ${unjudgedSentence(unjudged, view.numRuns)}: ${UNJUDGED_WHY}).` : `Passed (${view.numRuns} random cases).`;
  }
  const lines: string[] = [];
  if (problem.mistake) lines.push(`**Named mistake: ${problem.mistake.title}** (−${fmt(problem.mistake.deduct)} points). ${problem.mistake.hint}`);
  for (const other of problem.alsoFits ?? []) lines.push(`The failing input fits this mistake too: ${other.title}. ${other.hint}`);
  if (view.kind === 'hidden') {
    const diagnosis = view.diagnosis.map((d) => `Likely mistake: ${d.title}. ${d.hint}`);
    lines.push(`Failed: ${view.label}. This check's inputs are hidden.`, ...diagnosis);
    return lines.join('\n\n');
  }
  lines.push('```', formatCheckResult(view.result, replay), '```');
  return lines.join('\n');
}

/** Which of the definitions an assignment accepts the code was graded under (shared by every renderer). */
export function conventionSentence(problem: ScoredProblem): string | undefined {
  const c = problem.convention;
  return c && `graded as ${c.title} (${c.id}): of the definitions the assignment accepts (${c.accepted.join(', ')}), the one your code matched`;
}

/** Which of a folder's code files was graded, and what else the folder holds (shared by every renderer). */
export function pickedFileSentence(picked: PickedFile, folder: string): string {
  const name = (f: string) => path.relative(folder, f) || path.basename(f);
  return `Graded ${name(picked.file)} (${picked.why}); also in the folder: ${picked.others.join(', ')} (the problems call the graded file's code alone).`;
}

/**
 * One sentence on which notebook cells were graded (shared by every renderer). Where the assignment also executes
 * the notebook, the top-level work the problems leave out is not "never run": the execution runs every cell.
 */
export function notebookSentence(notebook: NotebookReport, executed = false): string {
  const { used, skipped } = cellSummary(notebook);
  const list = (xs: number[]) => (xs.length ? xs.join(', ') : 'none');
  if (executed) {
    const defined = used.length ? `the problems call the functions and classes of cells ${list(used)}, loaded without their top-level work; ` : '';
    return `Notebook: ${defined}every code cell is also executed in order, as the next sentence says.`;
  }
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

/** The score and points of the visible checks and questions alone. */
function visibleScore(report: GradeReport): { score: number; points: number } {
  const checks = report.problems.flatMap((p) => [...p.checks, ...(p.adjustment ? [{ ...p.adjustment, maxScore: 0 }] : [])]).filter((c) => c.visibility === 'visible');
  const questions = (report.questions ?? []).filter((q) => q.visibility === 'visible');
  return { score: checks.reduce((s, c) => s + c.score, 0) + questions.reduce((s, q) => s + q.score, 0), points: checks.reduce((s, c) => s + c.maxScore, 0) + questions.reduce((s, q) => s + q.points, 0) };
}

export function reportMarkdown(report: GradeReport, options: { includeChecks: boolean }): string {
  const out: string[] = [`# ${report.assignment}`, ''];
  if (report.ungradable) {
    out.push(
      `**This submission could not be graded**: a failure of the grader or its machine, not of your code, and not a grade (${report.ungradable}).`,
      '',
      'What to do: resubmit. If this message comes back, tell course staff: they see this reason too and can grade your submission by hand.',
      '',
    );
    return out.join('\n');
  }
  // Gradescope's visible summary (includeChecks false) counts only what a student may already see: a hidden
  // check's pass/fail must not be readable from "3 / 5 checks passed" or from a problem's score.
  const shown = (v: Visibility) => options.includeChecks || v === 'visible';
  const questions = report.questions ?? [];
  const everythingShown = report.problems.every((p) => p.checks.every((c) => shown(c.visibility)) && (!p.adjustment || shown(p.adjustment.visibility))) && questions.every((q) => shown(q.visibility));
  const late = report.lateFactor < 1 ? ` (after a late factor of ${fmt(report.lateFactor)}, ${report.daysLate} day(s) late)` : '';
  if (everythingShown) out.push(`**Score: ${fmt(report.score)} / ${fmt(report.maxScore)}**${late}`, '');
  else {
    const visible = visibleScore(report);
    out.push(`**Score on the visible checks: ${fmt(visible.score)} / ${fmt(visible.points)}**${late}. The other checks are shown when grades are published.`, '');
  }
  for (const e of report.loadErrors) {
    out.push(`> The submission did not load cleanly: \`${e.message}\``, '');
    if (e.traceback) out.push('```', e.traceback.trim().split('\n').slice(-10).join('\n'), '```', '');
  }
  if (report.pickedFile) out.push(pickedFileSentence(report.pickedFile, report.submission), '');
  if (report.notebook) {
    out.push(notebookSentence(report.notebook, report.execution !== undefined), '');
    if (options.includeChecks) out.push(...notebookTable(report.notebook), '');
  }
  if (report.execution) {
    out.push(executionSentence(report.execution), '');
    if (options.includeChecks) out.push(...executionTable(report.execution), '');
  }
  out.push(`| problem | score | ${everythingShown ? 'checks passed' : 'visible checks passed'} |`, '|---|---|---|');
  for (const p of report.problems) {
    const checks = p.checks.filter((c) => shown(c.visibility));
    const all = checks.length === p.checks.length && (!p.adjustment || shown(p.adjustment.visibility));
    const score = all ? `${fmt(p.score)} / ${fmt(p.points)}${bonusNote(p)}` : `${fmt(checks.reduce((s, c) => s + c.score, 0))} / ${fmt(checks.reduce((s, c) => s + c.maxScore, 0))} visible`;
    out.push(`| ${p.id} | ${score} | ${checks.filter((c) => c.result.passed).length} / ${checks.length} |`);
  }
  const listed = questions.filter((q) => shown(q.visibility));
  if (listed.length > 0) {
    out.push('', '| written answer | score | |', '|---|---|---|');
    for (const q of listed) out.push(`| ${q.id} | ${fmt(q.score)} / ${fmt(q.points)} | ${questionPassed(q) ? '✓' : '✗'} |`);
  }
  if (report.unknownAnswers?.length) out.push('', `> Answers for questions this assignment does not have (ignored): ${report.unknownAnswers.join(', ')}`);
  out.push('');
  for (const p of report.problems) {
    if (p.notice) out.push(`- **${p.id}**: ${p.notice}`);
    const convention = conventionSentence(p);
    if (convention) out.push(`- **${p.id}**: ${convention}.`);
    // Named only as far as its failed checks are seen.
    const failedSeen = p.checks.filter((c) => !c.result.passed).every((c) => shown(c.visibility));
    if (p.mistake && failedSeen) out.push(`- **${p.id}**: named mistake: ${p.mistake.title} (−${fmt(p.mistake.deduct)}). ${p.mistake.hint}`);
  }
  if (!options.includeChecks) return out.join('\n');
  if (questions.length > 0) {
    out.push('', '## Written answers', '');
    for (const q of questions) out.push(`### ${questionPassed(q) ? '✓' : '✗'} ${q.id}: ${q.title} (${fmt(q.score)} / ${fmt(q.points)})`, '', questionFeedback(q), '');
  }
  for (const p of report.problems) {
    out.push('', `## ${p.id}: ${p.title} — ${fmt(p.score)} / ${fmt(p.points)}${bonusNote(p)}`, '');
    for (const c of p.checks) {
      out.push(`### ${c.result.passed ? '✓' : '✗'} ${c.result.check} (${fmt(c.score)} / ${fmt(c.maxScore)})`, '', c.result.title, '', checkFeedback(p, c, replayContext(report, p)), '');
    }
  }
  return out.join('\n');
}
