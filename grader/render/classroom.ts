// GitHub Classroom's autograding results: the base64 JSON that `classroom-resources/autograding-grading-reporter`
// reads from the environment variable <RUNNER>_RESULTS and turns into the points Classroom shows (the sum of
// the tests' scores over max_score). One test per check, as in results.json; a test passes when it earns its
// full weight. Declared as a schema so what we write is validated, not assumed.

import { z } from 'zod';
import { unjudgedSentence } from '../../src/unjudged.ts';
import type { GradeReport } from '../report.ts';
import { questionPassed } from './question.ts';
import { bonusNote } from './bonus.ts';

export const ClassroomTestSchema = z
  .object({
    name: z.string(),
    status: z.enum(['pass', 'fail', 'error']),
    score: z.number(),
    max_score: z.number(),
    message: z.string().optional(),
  })
  .strict();

export const ClassroomResultsSchema = z
  .object({
    version: z.literal(1),
    status: z.enum(['pass', 'fail', 'error']),
    max_score: z.number(),
    tests: z.array(ClassroomTestSchema),
  })
  .strict();

export type ClassroomResults = z.infer<typeof ClassroomResultsSchema>;

export function toClassroom(report: GradeReport): ClassroomResults {
  if (report.ungradable) return classroomError(report.ungradable, report.maxScore);
  const tests = [
    ...report.problems.flatMap((p) => [
      ...p.checks.map((c) => ({
        name: `${p.id}${bonusNote(p)} › ${c.result.check}`,
        // A bonus left undone does not turn the run red.
        status: c.result.passed || p.bonus ? ('pass' as const) : ('fail' as const),
        score: c.score,
        max_score: p.bonus ? 0 : c.maxScore, // a bonus's points come on top of the maximum
        ...(c.result.passed ? (c.result.unjudged ? { message: unjudgedSentence(c.result.unjudged, c.result.numRuns) } : {}) : { message: c.result.failure?.message ?? 'failed' }),
      })),
      ...(p.adjustment && p.mistake ? [{ name: `${p.id} › named mistake: ${p.mistake.title}`, status: 'fail' as const, score: p.adjustment.score, max_score: 0 }] : []),
    ]),
    ...report.questions.map((q) => ({ name: q.id, status: questionPassed(q) ? ('pass' as const) : ('fail' as const), score: q.score, max_score: q.points })),
  ];
  return { version: 1, status: tests.every((t) => t.status === 'pass') ? 'pass' : 'fail', max_score: report.maxScore, tests };
}

/** Not graded, for a reason that is not the student's: an error with no points, which Classroom shows as such. */
export function classroomError(reason: string, maxScore: number): ClassroomResults {
  return { version: 1, status: 'error', max_score: maxScore, tests: [{ name: 'gradecheck', status: 'error', score: 0, max_score: maxScore, message: `not graded (not your mistake): ${reason}` }] };
}

/** What the reporter decodes: the results as base64 of their JSON. */
export const encodeClassroom = (results: ClassroomResults): string => Buffer.from(JSON.stringify(results)).toString('base64');
export const classroomPayload = (report: GradeReport): string => encodeClassroom(toClassroom(report));
