// Gradescope's results.json (https://gradescope-autograders.readthedocs.io, "Autograder specifications"),
// declared as a typed schema so what we write is validated, not assumed.

import { z } from 'zod';
import path from 'node:path';
import type { GradeReport } from '../report.ts';
import { RELEASE_ASSIGNMENT } from '../release-layout.ts';
import { VISIBILITIES } from '../assignment.ts';
import { cellSummary } from '../notebook.ts';
import { checkFeedback, reportMarkdown } from './markdown.ts';
import { questionFeedback, questionPassed } from './question.ts';
import { bonusNote } from './bonus.ts';

const Visibility = z.enum(VISIBILITIES);

export const GradescopeTestSchema = z
  .object({
    score: z.number(),
    max_score: z.number(),
    status: z.enum(['passed', 'failed']),
    name: z.string(),
    number: z.string(),
    output: z.string(),
    output_format: z.enum(['text', 'html', 'simple_format', 'md', 'ansi']).optional(),
    tags: z.array(z.string()),
    visibility: Visibility,
    extra_data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

export const GradescopeResultsSchema = z
  .object({
    score: z.number(),
    execution_time: z.number().int().nonnegative(),
    output: z.string(),
    output_format: z.enum(['text', 'html', 'simple_format', 'md', 'ansi']),
    test_output_format: z.enum(['text', 'html', 'simple_format', 'md', 'ansi']).optional(),
    visibility: Visibility,
    stdout_visibility: Visibility,
    extra_data: z.record(z.string(), z.unknown()).optional(),
    tests: z.array(GradescopeTestSchema),
  })
  .strict();

export type GradescopeResults = z.infer<typeof GradescopeResultsSchema>;
export type GradescopeTest = z.infer<typeof GradescopeTestSchema>;

const round2 = (x: number) => String(Math.round(x * 100) / 100);

export function toGradescope(report: GradeReport): GradescopeResults {
  // On Gradescope the student holds their own file and the student release, not the staff's assignment.
  const replay = { submission: path.basename(report.submission), assignment: RELEASE_ASSIGNMENT };
  const tests: GradescopeTest[] = report.problems.flatMap((p, index) => [
    ...p.checks.map(
      (c): GradescopeTest => ({
        score: c.score,
        max_score: c.maxScore,
        status: c.result.passed ? 'passed' : 'failed',
        name: `${p.id}${bonusNote(p)} › ${c.result.check}: ${c.result.title}`,
        number: c.number,
        output: checkFeedback(p, c, { ...replay, ...(p.convention ? { convention: p.convention.id } : {}) }),
        output_format: 'md',
        tags: [p.id, ...(p.bonus ? ['bonus'] : []), ...(c.result.failure ? [c.result.failure.code] : []), ...(c.result.diagnosis ?? []).map((d) => `mistake:${d.id}`)],
        visibility: c.visibility,
      }),
    ),
    // The part of a named mistake's deduction its failed checks cannot hold: its own line, worth 0 points.
    ...(p.adjustment && p.mistake
      ? [
          {
            score: p.adjustment.score,
            max_score: 0,
            status: 'failed' as const,
            name: `${p.id} › named mistake: ${p.mistake.title}`,
            number: `${index + 1}.${p.checks.length + 1}`,
            output: `**Named mistake: ${p.mistake.title}** (−${round2(p.mistake.deduct)} points for ${p.id}; ${round2(-p.adjustment.score)} of them beyond the failed checks' share). ${p.mistake.hint}`,
            output_format: 'md' as const,
            tags: [p.id, 'deduction', `mistake:${p.mistake.id}`],
            visibility: p.adjustment.visibility,
          },
        ]
      : []),
  ]);
  const questions: GradescopeTest[] = (report.questions ?? []).map((q, i) => ({
    score: q.score,
    max_score: q.points,
    status: questionPassed(q) ? 'passed' : 'failed',
    name: `${q.id}: ${q.title}`,
    number: `Q${i + 1}`,
    output: questionFeedback(q),
    output_format: 'md',
    tags: ['question', q.id, q.outcome.kind, ...(q.outcome.kind === 'wrong_form' ? [`wrong_form:${q.outcome.id}`] : [])],
    visibility: q.visibility,
  }));
  tests.push(...questions);
  return {
    score: report.score,
    execution_time: Math.round(report.executionTimeMs / 1000),
    output: reportMarkdown(report, { includeChecks: false }),
    output_format: 'md',
    test_output_format: 'md',
    visibility: 'visible',
    stdout_visibility: 'hidden',
    extra_data: {
      gradecheck: {
        assignment: report.assignment,
        seed: report.seed,
        max_score: report.maxScore,
        late_factor: report.lateFactor,
        days_late: report.daysLate,
        ...(report.notebook ? { notebook: { cells_used: cellSummary(report.notebook).used, cells_skipped: cellSummary(report.notebook).skipped } } : {}),
        ...(report.execution ? { execution: { seconds: report.execution.seconds, cells: report.execution.cells.map((c) => ({ cell: c.cell, status: c.status })) } } : {}),
        ...(report.ungradable ? { ungradable: true, reason: report.ungradable } : {}),
      },
    },
    tests,
  };
}
