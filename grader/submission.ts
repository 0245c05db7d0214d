// Finding and reading a submission: which files a student handed in, which one is graded, in which language,
// and the private copy of its folder that the submission's process runs from (helper modules, packages with
// relative imports and data files beside it, a notebook reduced to its definitions). The one home of the
// accepted file types.

import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { SubjectError } from '../src/failure.ts';
import { answersIn, isAnswersFile } from './answers.ts';
import { repoRoot } from './paths.ts';

/** The grader's own folder: never staged as part of a submission. */

/** The code files a submission may be, in the order a folder's candidates are preferred. */
export const SUBMISSION_EXTENSIONS = ['.ipynb', '.py', '.ts', '.mts', '.mjs', '.js'] as const;
/** How the accepted types are named in messages (no commas: it lands in CSV cells). */
export const ACCEPTED_TYPES = '.py .ipynb .js .mjs .ts';

export type Language = 'python' | 'node';

export function languageOf(file: string): Language {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.py' || ext === '.ipynb') return 'python';
  if (['.js', '.mjs', '.ts', '.mts'].includes(ext)) return 'node';
  throw new SubjectError('missing', `unsupported submission type "${ext}": expected one of ${ACCEPTED_TYPES}`);
}

export const isNotebook = (file: string): boolean => path.extname(file).toLowerCase() === '.ipynb';

export const isCodeFile = (file: string): boolean => (SUBMISSION_EXTENSIONS as readonly string[]).includes(path.extname(file).toLowerCase());
const ignoredPart = (part: string) => part.startsWith('.') || part === 'node_modules' || part === '__pycache__';

/** Every code file under `dir` (relative paths), hidden folders, node_modules and caches left out. */
function codeFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => isCodeFile(f) && !f.split(path.sep).some(ignoredPart));
}

/** Whether another file of the submission imports `file` as a module (`import a_utils`, `from a_utils import`). */
function importedByAnother(dir: string, file: string, others: readonly string[]): boolean {
  const stem = path.basename(file, path.extname(file));
  const pattern = new RegExp(`(^|\\n)\\s*(from\\s+\\.?${stem}\\s+import|import\\s+${stem}\\b)|from\\s+['"]\\.\\/${stem}(\\.[mc]?[jt]s)?['"]`);
  return others.some((o) => o !== file && pattern.test(readFileSync(path.join(dir, o), 'utf8')));
}

/**
 * The file to grade in a student's folder. With `expected` (the assignment's `files:`), the first of those
 * names found (at the top or anywhere below); otherwise a top-level file before one inside a package, a file no
 * other file imports (hw1.py, not its a_utils.py helper), a notebook before a script, then by name.
 */
export function pickCodeFile(dir: string, expected: readonly string[] = []): string | undefined {
  const files = codeFiles(dir);
  if (expected.length > 0) {
    for (const name of expected) {
      const found = files.find((f) => f === name) ?? files.find((f) => path.basename(f) === path.basename(name));
      if (found) return path.join(dir, found);
    }
    return undefined;
  }
  const depth = (f: string) => f.split(path.sep).length;
  const rank = (f: string) => SUBMISSION_EXTENSIONS.indexOf(path.extname(f).toLowerCase() as (typeof SUBMISSION_EXTENSIONS)[number]);
  const top = files.filter((f) => depth(f) === Math.min(...files.map(depth)));
  const mains = top.filter((f) => !importedByAnother(dir, f, files));
  const pool = mains.length > 0 ? mains : top;
  pool.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return pool[0] === undefined ? undefined : path.join(dir, pool[0]);
}

export interface SubmissionParts {
  /** The code file graded. */
  readonly code?: string;
  /** The written answers. */
  readonly answers?: string;
}

/** A submission is a code file, an answers file, or a folder holding either or both. */
export function submissionParts(submission: string, answers?: string, expected: readonly string[] = []): SubmissionParts {
  let isDir = false;
  try {
    isDir = statSync(submission).isDirectory();
  } catch {
    // A missing file: the runner reports it.
  }
  if (isDir) {
    const code = pickCodeFile(submission, expected);
    const found = answers ?? answersIn(submission);
    return { ...(code ? { code } : {}), ...(found ? { answers: found } : {}) };
  }
  if (isAnswersFile(submission)) return { answers: answers ?? submission };
  return { code: submission, ...(answers ? { answers } : {}) };
}

/** Files beside a submission that it may import or load (helper modules, packages, saved weights, data). */
const STAGED_EXTENSIONS = ['.py', '.js', '.mjs', '.cjs', '.ts', '.mts', '.json', '.npy', '.npz', '.csv', '.txt', '.pt', '.pth'];
const STAGED_MAX_BYTES = 8 * 1024 * 1024;
const STAGED_MAX_FILES = 200;
const STAGED_MAX_DEPTH = 4;

export interface StagingOptions {
  /** Copy the submission alone: its folder holds other students' files (a batch of one file per student). */
  readonly fileOnly?: boolean;
  /** Staff files (the assignment): a folder that holds one is staff's, and the submission is copied alone. */
  readonly exclude?: readonly string[];
}

/**
 * Copies the files a submission may import or read (the graded file's folder: helper modules beside it,
 * packages below it up to a few levels) into `stage`, keeping their relative paths. Returns the copied files,
 * relative to `stage`. Nothing is copied from a folder that holds the grader itself.
 */
export function stageFolder(file: string, stage: string, options: StagingOptions = {}): string[] {
  const dir = path.dirname(path.resolve(file));
  mkdirSync(stage, { recursive: true });
  const copied: string[] = [];
  const copy = (relative: string) => {
    mkdirSync(path.join(stage, path.dirname(relative)), { recursive: true });
    copyFileSync(path.join(dir, relative), path.join(stage, relative));
    copied.push(relative);
  };
  copy(path.basename(file));
  const holdsGrader = `${path.resolve(repoRoot)}/`.startsWith(`${dir}/`);
  // A folder that holds the assignment is staff's (hidden checks, answer key nearby): the file goes alone.
  const holdsExcluded = (options.exclude ?? []).some((f) => path.resolve(f).startsWith(`${dir}/`));
  if (options.fileOnly || holdsGrader || holdsExcluded) return copied;
  const walk = (relative: string, depth: number) => {
    let entries: string[];
    try {
      entries = readdirSync(path.join(dir, relative));
    } catch {
      return;
    }
    for (const name of entries.sort()) {
      if (copied.length >= STAGED_MAX_FILES || ignoredPart(name)) continue;
      const rel = path.join(relative, name);
      const absolute = path.join(dir, rel);
      const st = statSync(absolute, { throwIfNoEntry: false });
      if (!st || rel === path.basename(file)) continue;
      if (st.isDirectory() && depth < STAGED_MAX_DEPTH) walk(rel, depth + 1);
      else if (st.isFile() && st.size <= STAGED_MAX_BYTES && STAGED_EXTENSIONS.includes(path.extname(name).toLowerCase())) copy(rel);
    }
  };
  walk('', 0);
  return copied;
}

/** Whether `file` exists as a regular file. */
export function isFile(file: string): boolean {
  return existsSync(file) && statSync(file).isFile();
}
