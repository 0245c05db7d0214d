// Grading a whole class: discover the submissions (a Gradescope export or a folder per student), grade them N
// at a time in N long-lived `gradecheck worker` processes (grader/worker.ts), cache every report by a content
// hash so that a killed batch resumes without repeating work, and write the gradebook and a summary.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Assignment } from './assignment.ts';
import { discoverSubmissions } from './class-submissions.ts';
import { gradedFilePreference } from './graded-names.ts';
import { type BatchRow, writeBatchOutputs } from './gradebook.ts';
import type { GradeReport } from './report.ts';
import { shardOf } from './shards.ts';
import { ACCEPTED_TYPES } from './submission.ts';
import { gradecheckVersion } from './version.ts';
import { GradeWorker } from './worker.ts';
import { writeAtomic } from './write.ts';

const NO_SOURCE_FILE = `no source file (${ACCEPTED_TYPES}) or answers.yaml in the submission`;

/** What makes a grade: the submission's bytes (code and answers), the assignment's bytes and gradecheck's version. */
export function cacheKey(submissionFile: string | undefined, assignmentFile: string, version: string, answersFile?: string): string {
  const h = createHash('sha256');
  h.update(version).update('\0').update(readFileSync(assignmentFile));
  if (submissionFile !== undefined) h.update('\0').update(readFileSync(submissionFile));
  if (answersFile !== undefined) h.update('\0answers\0').update(readFileSync(answersFile));
  return h.digest('hex');
}

export interface BatchOptions {
  readonly assignment: Assignment;
  readonly submissionsDir: string;
  readonly outDir: string;
  readonly jobs?: number;
  readonly shard?: { index: number; count: number };
  /** Called after each submission (the progress display). */
  readonly onProgress?: (done: number, total: number, row: BatchRow) => void;
}

export async function runBatch(options: BatchOptions): Promise<BatchRow[]> {
  const all = discoverSubmissions(options.submissionsDir, gradedFilePreference(options.assignment));
  const submissions = options.shard ? shardOf(all, options.shard) : all;
  const cacheDir = path.join(options.outDir, 'cache');
  mkdirSync(cacheDir, { recursive: true });
  const version = gradecheckVersion();
  const rows: BatchRow[] = new Array(submissions.length);
  let next = 0;
  let done = 0;
  // The environment failed (no numpy, no Python): every later submission would fail the same way, so stop.
  let stopped: GradeReport['environmentFailure'];
  const finish = (i: number, row: BatchRow) => {
    rows[i] = row;
    options.onProgress?.(++done, submissions.length, row);
  };
  const worker = async (grader: GradeWorker) => {
    for (let i = next++; i < submissions.length && !stopped; i = next++) {
      const submission = submissions[i]!;
      if (submission.file === undefined && submission.answers === undefined) {
        finish(i, { submission, report: undefined, error: submission.unreadable ?? NO_SOURCE_FILE, cached: false });
        continue;
      }
      const studentDir = path.join(options.outDir, 'students', submission.id);
      const key = cacheKey(submission.file, options.assignment.file, version, submission.answers);
      const cached = path.join(cacheDir, `${key}.json`);
      if (existsSync(cached)) {
        finish(i, { submission, report: JSON.parse(readFileSync(cached, 'utf8')) as GradeReport, cached: true });
        continue;
      }
      try {
        const main = submission.file ?? submission.answers!;
        const report = await grader.grade({
          submission: main,
          assignmentFile: options.assignment.file,
          outDir: studentDir,
          ...(submission.answers ? { answers: submission.answers } : {}),
          ...(submission.submittedAt ? { submittedAt: submission.submittedAt } : {}),
          // One file per student: the files beside it are the other students'.
          ...(path.resolve(path.dirname(main)) === path.resolve(options.submissionsDir) ? { fileOnly: true } : {}),
        });
        // Only a finished grade is cached: an ungradable run is retried next time.
        if (!report.ungradable) writeAtomic(cached, JSON.stringify(report));
        stopped ??= report.environmentFailure;
        finish(i, { submission, report, cached: false });
      } catch (error) {
        finish(i, { submission, report: undefined, error: (error as Error).message, cached: false });
      }
    }
  };
  const jobs = Math.max(1, options.jobs ?? os.availableParallelism());
  const graders = Array.from({ length: Math.min(jobs, Math.max(1, submissions.length)) }, () => new GradeWorker());
  try {
    await Promise.all(graders.map(worker));
  } finally {
    for (const g of graders) g.close();
  }
  for (let i = 0; i < submissions.length; i++) {
    rows[i] ??= { submission: submissions[i]!, report: undefined, error: `not graded: the batch stopped (${stopped?.cause ?? 'environment failure'})`, cached: false };
  }
  writeBatchOutputs(options.assignment, rows, options.outDir);
  return rows;
}

export function mergeShards(assignment: Assignment, submissionsDir: string, shardDirs: readonly string[], outDir: string): BatchRow[] {
  const version = gradecheckVersion();
  const rows = discoverSubmissions(submissionsDir, gradedFilePreference(assignment)).map((submission): BatchRow => {
    if (!submission.file && !submission.answers) return { submission, report: undefined, error: submission.unreadable ?? NO_SOURCE_FILE, cached: false };
    const key = `${cacheKey(submission.file, assignment.file, version, submission.answers)}.json`;
    const found = shardDirs.map((d) => path.join(d, 'cache', key)).find((f) => existsSync(f) && statSync(f).isFile());
    return found
      ? { submission, report: JSON.parse(readFileSync(found, 'utf8')) as GradeReport, cached: true }
      : { submission, report: undefined, error: 'not graded by any shard', cached: false };
  });
  writeBatchOutputs(assignment, rows, outDir);
  return rows;
}
