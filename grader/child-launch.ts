// How a submission's child process is launched: the limits it runs under, the interpreter and harness that
// load the submission, the scrubbed environment it sees, and its captured output (capped).

import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { runnersDir } from './paths.ts';
import { FONTLIST_ENV } from './matplotlib-fonts.ts';
import { CHILD_BASE_ENV, pythonExecutable } from './python.ts';
import { coverageBootstrap } from './runner-coverage.ts';
import type { Language } from './submission.ts';

export interface Limits {
  /** Wall time for one call. */
  readonly callTimeoutMs: number;
  /** Wall time for the child to import the submission (PyTorch takes a few seconds). */
  readonly startupTimeoutMs: number;
  /**
   * Total wall time of the submission: its calls and its processes' starts. Once used up, no further call is
   * made (the checks left report `not_run`), and a call in progress is stopped when it runs out.
   */
  readonly totalTimeMs: number;
  /** Address-space limit (Python) / old-space limit (Node), in MiB. */
  readonly memoryMb: number;
  /** Largest single response, in bytes. */
  readonly maxResponseBytes: number;
  /** stdout/stderr kept per stream, in bytes (the rest is counted and dropped). */
  readonly maxOutputBytes: number;
  /**
   * How many times a killed or crashed child is restarted before every call fails fast; counted per problem
   * (restartBudgetPerProblem), so one problem's crashes never cost another its checks.
   */
  readonly maxRestarts: number;
}

export const DEFAULT_LIMITS: Limits = {
  callTimeoutMs: 10_000,
  startupTimeoutMs: 60_000,
  totalTimeMs: 300_000,
  memoryMb: 4096,
  maxResponseBytes: 16 * 1024 * 1024,
  maxOutputBytes: 64 * 1024,
  maxRestarts: 20,
};

/** What the child needs to know of the assignment's bindings (never the answer key). */
export interface ChildBinding {
  /** The staff's adapter file (Python), loaded beside the submission. */
  readonly adapter?: string;
  /** Names the handout provides: never graded as the student's (seed 002's sigmoid). */
  readonly provided?: readonly string[];
}

/**
 * What loads the submission: the harness itself, or (Python) the grade's zygote, which forks one harness per
 * process (grader/zygote.ts).
 */
export type Entry = 'harness' | 'zygote';

/**
 * A Python child's arguments: `-u harness.py SUBMISSION`, or `-u zygote.py harness.py` (each fork names the
 * submission: a zygote kept between grades serves several, and its command line names none of them).
 */
export function pythonArgs(entry: Entry, runners: string, submission: string): string[] {
  const harness = path.join(runners, 'harness.py');
  const traced = coverageBootstrap(runners); // nothing, except under the test suite's coverage
  return entry === 'zygote' ? ['-u', ...traced, path.join(runners, 'zygote.py'), harness] : ['-u', ...traced, harness, submission];
}

export function command(language: Language, submission: string, limits: Limits, entry: Entry = 'harness'): { cmd: string; args: readonly string[] } {
  if (language === 'python') return { cmd: pythonExecutable(), args: pythonArgs(entry, runnersDir, submission) };
  // Not recorded for the suite's coverage (grader/runner-coverage.ts): tsx's loader hands V8 a rewritten harness.mjs,
  // whose offsets are not the file's.
  const loader = needsTypeScript(submission) ? ['--import', pathToUrl(tsxLoader())] : [];
  return { cmd: process.execPath, args: [`--max-old-space-size=${limits.memoryMb}`, ...loader, path.join(runnersDir, 'harness.mjs'), submission] };
}

/**
 * Whether a Node submission has TypeScript to load: a .ts file, or a folder (or a file's folder) holding one. The
 * path is the staged copy (grader/stage.ts), so the folder walked holds the submission's files only.
 */
function needsTypeScript(submission: string): boolean {
  if (TYPESCRIPT.test(submission)) return true;
  try {
    const folder = statSync(submission).isDirectory() ? submission : path.dirname(submission);
    return readdirSync(folder, { recursive: true }).some((f) => TYPESCRIPT.test(String(f)));
  } catch {
    return true; // unreadable: the loader that handles everything
  }
}
const TYPESCRIPT = /\.[mc]?ts$/i;

/** tsx's ESM loader, which compiles TypeScript as Node imports it. */
function tsxLoader(): string {
  let tsx: string;
  try {
    tsx = createRequire(import.meta.url).resolve('tsx');
  } catch {
    // The standalone self-check (grader/self-check/) carries no TypeScript compiler: not the student's doing.
    throw new Error('a TypeScript submission needs tsx, which this gradecheck does not carry (a standalone self-check runs .py, .ipynb, .js and .mjs): install gradecheck with npm to check .ts files');
  }
  return path.join(path.dirname(tsx), 'esm', 'index.mjs');
}

function pathToUrl(p: string): string {
  return new URL(`file://${p}`).href;
}

/**
 * The environment a child sees: no secrets of the grader's, nothing but what an interpreter needs.
 * `fontList`: matplotlib's font list as the child sees it (grader/matplotlib-fonts.ts), for Python children.
 */
export function scrubbedEnv(limits: Limits, seed: number, binding: ChildBinding, fontList?: string): NodeJS.ProcessEnv {
  return {
    ...(binding.adapter ? { GRADECHECK_ADAPTER: binding.adapter } : {}),
    ...(fontList ? { [FONTLIST_ENV]: fontList } : {}),
    ...(binding.provided?.length ? { GRADECHECK_PROVIDED: binding.provided.join(',') } : {}),
    GRADECHECK_SEED: String(seed >>> 0),
    ...CHILD_BASE_ENV,
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONHASHSEED: '0',
    OMP_NUM_THREADS: '1',
    OPENBLAS_NUM_THREADS: '1',
    MKL_NUM_THREADS: '1',
    GRADECHECK_MEMORY_MB: String(limits.memoryMb),
    GRADECHECK_MAX_RESPONSE_BYTES: String(limits.maxResponseBytes),
    ...(process.env['OPENBLAS_CORETYPE'] ? { OPENBLAS_CORETYPE: process.env['OPENBLAS_CORETYPE'] } : {}),
  };
}

/** A child's stdout or stderr, kept up to a cap (the rest counted and dropped). */
export class CappedText {
  private text = '';
  dropped = 0;
  constructor(private readonly cap: number) {}
  add(chunk: string): void {
    const room = this.cap - this.text.length;
    if (room > 0) this.text += chunk.slice(0, room);
    this.dropped += Math.max(0, chunk.length - Math.max(0, room));
  }
  toString(): string {
    return this.dropped > 0 ? `${this.text}\n[... ${this.dropped} more characters dropped]` : this.text;
  }
}

