// The terminal view of a report (gradecheck check / grade).

import { formatCheckResult } from '../../src/format.ts';
import { UNJUDGED_WHY, unjudgedSentence } from '../../src/unjudged.ts';
import { type GradeReport, replayContext } from '../report.ts';
import { conventionSentence, notebookSentence, pickedFileSentence } from './markdown.ts';
import { executionSentence } from './execution.ts';
import { questionFeedback, questionPassed } from './question.ts';
import { bonusNote } from './bonus.ts';

const fmt = (x: number) => String(Math.round(x * 100) / 100);


export function reportTerminal(report: GradeReport): string {
  if (report.ungradable) return `UNGRADABLE (not a grade): ${report.ungradable}`;
  const out: string[] = [];
  for (const e of report.loadErrors) {
    out.push(`! the submission did not load cleanly: ${e.message}`);
    if (e.traceback) out.push(...e.traceback.trim().split('\n').slice(-6).map((l) => `  | ${l}`));
  }
  if (report.missingModules?.length) out.push(`note: not installed where this is graded, so code using it could not run: ${report.missingModules.join(', ')}`);
  if (report.pickedFile) out.push(pickedFileSentence(report.pickedFile, report.submission));
  if (report.notebook) out.push(notebookSentence(report.notebook, report.execution !== undefined));
  if (report.execution) out.push(executionSentence(report.execution));
  for (const p of report.problems) {
    const passed = p.checks.filter((c) => c.result.passed).length;
    out.push(`${p.score === p.points ? '✓' : '✗'} ${p.id}: ${fmt(p.score)} / ${fmt(p.points)} points${bonusNote(p)}, ${passed}/${p.checks.length} checks passed`);
    if (p.notice) out.push(`  ${p.notice}`);
    const convention = conventionSentence(p);
    if (convention) out.push(`  ${convention}`);
    if (p.mistake) out.push(`  named mistake: ${p.mistake.title} (−${fmt(p.mistake.deduct)}). ${p.mistake.hint}`);
    for (const other of p.alsoFits ?? []) out.push(`  the failing input fits this mistake too: ${other.title}. ${other.hint}`);
    // A problem whose functions are not there at all: the notice says it, one line per check would repeat it.
    const nothingDefined = p.notice !== undefined && p.checks.every((c) => c.result.failure?.code === 'missing');
    // The same failure on several checks (one error raised by every call) is printed once.
    const said = new Map<string, string>();
    for (const c of p.checks) {
      if (c.result.passed && c.result.unjudged) out.push(`    ~ ${c.result.check}: ${unjudgedSentence(c.result.unjudged, c.result.numRuns)}`);
      if (c.result.passed || nothingDefined) continue;
      if (c.visibility !== 'visible') {
        out.push(`    FAIL ${c.result.check} (hidden check)`);
        continue;
      }
      const f = c.result.failure;
      const key = f && (f.code === 'raised' || f.code === 'crashed' || f.code === 'timeout' || f.code === 'missing') ? `${f.code}\0${f.message}` : undefined;
      const first = key === undefined ? undefined : said.get(key);
      if (first !== undefined) {
        out.push(`    FAIL ${p.id} › ${c.result.check}: the same failure as ${first}`);
        continue;
      }
      if (key !== undefined) said.set(key, c.result.check);
      out.push(formatCheckResult(c.result, replayContext(report, p)).replace(/^/gm, '    '));
    }
  }
  for (const q of report.questions ?? []) {
    out.push(`${questionPassed(q) ? '✓' : '✗'} ${q.id}: ${fmt(q.score)} / ${fmt(q.points)} points (written answer)`);
    if (!questionPassed(q) || q.outcome.kind === 'wrong_form') out.push(`    ${questionFeedback(q)}`);
  }
  if (report.problems.some((p) => p.checks.some((c) => c.result.unjudged))) out.push(`~ not judged here: ${UNJUDGED_WHY}`);
  if (report.unknownAnswers?.length) out.push(`! answers for unknown questions (ignored): ${report.unknownAnswers.join(', ')}`);
  const late = report.lateFactor < 1 ? ` (late factor ${fmt(report.lateFactor)})` : '';
  out.push(`score: ${fmt(report.score)} / ${fmt(report.maxScore)}${late}  [seed ${report.seed}, ${(report.executionTimeMs / 1000).toFixed(1)} s]`);
  return out.join('\n');
}
