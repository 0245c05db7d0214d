// Grading a whole class: discover the submissions (a Gradescope export or a folder per student), grade them N
// at a time in N long-lived `gradecheck worker` processes (grader/worker.ts), cache every report by a content
// hash so that a killed batch resumes without repeating work, and write the gradebook and a summary.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { answersIn } from './answers.ts';
import type { Assignment } from './assignment.ts';
import type { GradeReport } from './report.ts';
import { ACCEPTED_TYPES, isCodeFile, pickCodeFile } from './submission.ts';
import { gradecheckVersion } from './version.ts';
import { GradeWorker } from './worker.ts';
import { writeAtomic } from './write.ts';

const NO_SOURCE_FILE = `no source file (${ACCEPTED_TYPES}) or answers.yaml in the submission`;

export interface Submission {
  /** Stable id: the Gradescope submission folder, or the student's folder/file name. */
  readonly id: string;
  readonly file: string | undefined;
  /** The student's answers.yaml (written answers), when the folder has one. */
  readonly answers?: string;
  readonly name?: string;
  readonly email?: string;
  readonly sid?: string;
  readonly submittedAt?: string;
  /** Why the submission's folder could not be read. */
  readonly unreadable?: string;
}

/** A student's folder; one that cannot be read is that student's row error, not the batch's crash. */
function folderSubmission(id: string, dir: string): Submission {
  try {
    const answers = answersIn(dir);
    return { id, file: pickCodeFile(dir), ...(answers ? { answers } : {}) };
  } catch (error) {
    return { id, file: undefined, unreadable: `cannot read the submission folder: ${(error as Error).message}` };
  }
}

interface GradescopeSubmitter {
  readonly ':name'?: string;
  readonly ':email'?: string;
  readonly ':sid'?: string;
}

/**
 * The submissions in `dir`: a Gradescope export (`submission_metadata.yml` beside `submission_*` folders),
 * or one folder or one file per student.
 */
export function discoverSubmissions(dir: string): Submission[] {
  const metadataFile = path.join(dir, 'submission_metadata.yml');
  if (existsSync(metadataFile)) {
    const metadata = (parseYaml(readFileSync(metadataFile, 'utf8')) ?? {}) as Record<string, { ':submitters'?: GradescopeSubmitter[]; ':created_at'?: string }>;
    return Object.entries(metadata)
      .map(([id, meta]) => {
        const folder = path.join(dir, id);
        const submitter = meta[':submitters']?.[0] ?? {};
        const createdAt = meta[':created_at'];
        return {
          ...(existsSync(folder) ? folderSubmission(id, folder) : { id, file: undefined }),
          ...(submitter[':name'] ? { name: submitter[':name'] } : {}),
          ...(submitter[':email'] ? { email: submitter[':email'] } : {}),
          ...(submitter[':sid'] ? { sid: String(submitter[':sid']) } : {}),
          ...(createdAt ? { submittedAt: new Date(createdAt).toISOString() } : {}),
        };
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .flatMap((e): Submission[] => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return [folderSubmission(e.name, full)];
      if (isCodeFile(e.name)) return [{ id: path.basename(e.name, path.extname(e.name)), file: full }];
      return [];
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** `i/n`: the submissions whose position in id order is i modulo n (0-based). */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) throw new Error(`--shard must be i/n with 0 <= i < n, got "${text}"`);
  return { index, count };
}

/** The environment variables an array job's engine sets (a subset of `process.env`). */
export type ShardEnv = Readonly<Record<string, string | undefined>>;

export class ShardEnvError extends Error {
  override readonly name = 'ShardEnvError';
}

const envInt = (env: ShardEnv, name: string): number | undefined => {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ShardEnvError(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
};

/**
 * `--shard auto`: the task's slice from the variables its engine sets. Kubernetes Indexed Job:
 * `JOB_COMPLETION_INDEX` (the count is the Job's `completions`, which Kubernetes does not export: give it as
 * `GRADECHECK_SHARD_COUNT`). Slurm array: `SLURM_ARRAY_TASK_ID` relative to `SLURM_ARRAY_TASK_MIN` and
 * `SLURM_ARRAY_TASK_STEP`, of `SLURM_ARRAY_TASK_COUNT`. Anything else (a GitHub Actions matrix:
 * `strategy.job-index` / `strategy.job-total`): `GRADECHECK_SHARD_INDEX` and `GRADECHECK_SHARD_COUNT`.
 */
export function shardFromEnv(env: ShardEnv): { index: number; count: number; source: string } {
  const explicitCount = envInt(env, 'GRADECHECK_SHARD_COUNT');
  let found: { index: number; count: number | undefined; source: string } | undefined;
  const explicitIndex = envInt(env, 'GRADECHECK_SHARD_INDEX');
  const k8s = envInt(env, 'JOB_COMPLETION_INDEX');
  const slurm = envInt(env, 'SLURM_ARRAY_TASK_ID');
  if (explicitIndex !== undefined) found = { index: explicitIndex, count: explicitCount, source: 'GRADECHECK_SHARD_INDEX' };
  else if (k8s !== undefined) found = { index: k8s, count: explicitCount, source: 'JOB_COMPLETION_INDEX' };
  else if (slurm !== undefined) {
    const min = envInt(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    const step = envInt(env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
    if (step < 1 || (slurm - min) % step !== 0) throw new ShardEnvError(`SLURM_ARRAY_TASK_ID ${slurm} is not on the array's grid (min ${min}, step ${step})`);
    found = { index: (slurm - min) / step, count: explicitCount ?? envInt(env, 'SLURM_ARRAY_TASK_COUNT'), source: 'SLURM_ARRAY_TASK_ID' };
  }
  if (!found) {
    throw new ShardEnvError(
      '--shard auto found no task index: set JOB_COMPLETION_INDEX (Kubernetes Indexed Job), SLURM_ARRAY_TASK_ID (Slurm array) or GRADECHECK_SHARD_INDEX (e.g. ${{ strategy.job-index }} in a GitHub Actions matrix)',
    );
  }
  if (found.count === undefined || found.count < 1) {
    throw new ShardEnvError(`--shard auto found ${found.source}=${found.index} but no shard count: set GRADECHECK_SHARD_COUNT (the Job's completions, the matrix's strategy.job-total)`);
  }
  if (found.index >= found.count) throw new ShardEnvError(`--shard auto: ${found.source} gives index ${found.index}, not below the shard count ${found.count}`);
  return { index: found.index, count: found.count, source: found.source };
}

export function shardOf<T>(items: readonly T[], shard: { index: number; count: number }): T[] {
  return items.filter((_, i) => i % shard.count === shard.index);
}

/** What makes a grade: the submission's bytes (code and answers), the assignment's bytes and gradecheck's version. */
export function cacheKey(submissionFile: string | undefined, assignmentFile: string, version: string, answersFile?: string): string {
  const h = createHash('sha256');
  h.update(version).update('\0').update(readFileSync(assignmentFile));
  if (submissionFile !== undefined) h.update('\0').update(readFileSync(submissionFile));
  if (answersFile !== undefined) h.update('\0answers\0').update(readFileSync(answersFile));
  return h.digest('hex');
}


export interface BatchRow {
  readonly submission: Submission;
  readonly report: GradeReport | undefined;
  /** Why there is no report (no source file, the grading process died). */
  readonly error?: string;
  readonly cached: boolean;
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
  const all = discoverSubmissions(options.submissionsDir);
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

const csvField = (v: string | number | undefined) => {
  const s = v === undefined ? '' : String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function gradebookCsv(assignment: Assignment, rows: readonly BatchRow[]): string {
  const ids = [...assignment.problems.map((p) => p.id), ...assignment.questions.map((q) => q.id)];
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
  // Written answers are summarised as problems are: by id, points and score.
  const scoredItems = [...assignment.problems, ...assignment.questions];
  const problems = scoredItems.map((settings) => {
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
    maxScore: assignment.problems.reduce((s, p) => s + p.points, 0) + assignment.questions.reduce((s, q) => s + q.points, 0),
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
export function mergeShards(assignment: Assignment, submissionsDir: string, shardDirs: readonly string[], outDir: string): BatchRow[] {
  const version = gradecheckVersion();
  const rows = discoverSubmissions(submissionsDir).map((submission): BatchRow => {
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
