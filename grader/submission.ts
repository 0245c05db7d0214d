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

/** What an assignment expects of the file it grades (grader/graded-names.ts): its file names, the names it defines. */
export interface CodeFilePreference {
  /** The assignment's `files:`, in order of preference. */
  readonly files: readonly string[];
  /** The functions, classes and top-level names its problems and checks look for. */
  readonly names: readonly string[];
}

const NO_PREFERENCE: CodeFilePreference = { files: [], names: [] };

/** A notebook cell as the .ipynb holds it, numbered by its position (markdown cells counted), its source joined. */
export interface RawNotebookCell {
  readonly cell: number;
  readonly type: string;
  readonly source: string;
  readonly outputs: readonly unknown[];
}

/** Text nbformat stores as a string or a list of lines, joined. */
export const joinedText = (t: unknown): string => (Array.isArray(t) ? t.join('') : typeof t === 'string' ? t : '');

/** The cells of a .ipynb (the one place that reads one's JSON). Throws when the file is not a notebook's JSON. */
export function readNotebookCells(file: string): RawNotebookCell[] {
  const nb = JSON.parse(readFileSync(file, 'utf8')) as { cells?: { cell_type?: string; source?: unknown; outputs?: unknown[] }[] };
  return (nb.cells ?? []).map((c, i) => ({ cell: i + 1, type: c.cell_type ?? '', source: joinedText(c.source), outputs: c.outputs ?? [] }));
}

/** A file's code: a notebook's code cells, joined; '' when it cannot be read. */
function codeOf(file: string): string {
  try {
    if (!isNotebook(file)) return readFileSync(file, 'utf8');
    return readNotebookCells(file).filter((c) => c.type === 'code').map((c) => c.source).join('\n');
  } catch {
    return '';
  }
}

/** How many of `names` a file's code defines at top level (def, class, function, an assignment). */
function definedCount(file: string, names: readonly string[]): number {
  const code = codeOf(file);
  return names.filter((name) => new RegExp(`^(?:export\\s+)?(?:(?:async\\s+)?(?:def|function)|class|const|let|var)\\s+${name}\\b|^(?:[\\w.]+\\s*,\\s*)*${name}\\s*(?:,[^=\\n]*)?(?::[^=\\n]*)?=(?!=)`, 'm').test(code)).length;
}

/** The file graded in a folder, why that one, and the folder's other top-level files. */
export interface PickedFile {
  readonly file: string;
  readonly why: string;
  /** The folder's other top-level code files no other file imports (a Q3 notebook beside the Q4 one graded). */
  readonly others: readonly string[];
}

/**
 * The file to grade in a student's folder: the first of the assignment's `files:` found (at the top or anywhere
 * below); else, of the top-level files no other file imports (hw1.py, not its a_utils.py helper), the one that
 * defines most of the names the assignment grades (a Q4 notebook beside a Q3 one), then a notebook before a
 * script, then by name.
 */
export function pickFile(dir: string, preference: CodeFilePreference = NO_PREFERENCE): PickedFile | undefined {
  const files = codeFiles(dir);
  const depth = (f: string) => f.split(path.sep).length;
  const top = files.filter((f) => depth(f) === Math.min(...files.map(depth)));
  const mains = top.filter((f) => !importedByAnother(dir, f, files));
  const pool = mains.length > 0 ? mains : top;
  const picked = (file: string, why: string): PickedFile => ({ file: path.join(dir, file), why, others: pool.filter((f) => f !== file) });
  for (const name of preference.files) {
    const found = files.find((f) => f === name) ?? files.find((f) => path.basename(f) === path.basename(name));
    if (found) return picked(found, 'the file the assignment names');
  }
  const rank = (f: string) => SUBMISSION_EXTENSIONS.indexOf(path.extname(f).toLowerCase() as (typeof SUBMISSION_EXTENSIONS)[number]);
  const defined = new Map(pool.map((f) => [f, pool.length > 1 && preference.names.length > 0 ? definedCount(path.join(dir, f), preference.names) : 0]));
  const order = [...pool].sort((a, b) => defined.get(b)! - defined.get(a)! || rank(a) - rank(b) || a.localeCompare(b));
  const first = order[0];
  if (first === undefined) return undefined;
  const count = defined.get(first)!;
  const missing = preference.files.length > 0 ? `the folder has none of the files the assignment names (${preference.files.join(', ')}); ` : '';
  return picked(first, `${missing}${count > 0 ? `it defines ${count} of the ${preference.names.length} names this assignment grades, the most of the folder's files` : 'the first by type (a notebook before a script) and by name'}`);
}

export const pickCodeFile = (dir: string, preference: CodeFilePreference = NO_PREFERENCE): string | undefined => pickFile(dir, preference)?.file;

export interface SubmissionParts {
  /** The code file graded. */
  readonly code?: string;
  /** How it was picked in a folder holding other code files. */
  readonly picked?: PickedFile;
  /** The written answers. */
  readonly answers?: string;
}

/** A submission is a code file, an answers file, or a folder holding either or both. */
export function submissionParts(submission: string, answers?: string, preference: CodeFilePreference = NO_PREFERENCE): SubmissionParts {
  let isDir = false;
  try {
    isDir = statSync(submission).isDirectory();
  } catch {
    // A missing file: the runner reports it.
  }
  if (isDir) {
    const picked = pickFile(submission, preference);
    const found = answers ?? answersIn(submission);
    return { ...(picked ? { code: picked.file, ...(picked.others.length > 0 ? { picked } : {}) } : {}), ...(found ? { answers: found } : {}) };
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
