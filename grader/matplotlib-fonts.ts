// matplotlib's font list, built once per machine for the Python that runs submissions and handed to every
// Python child read-only (docs/notebooks.md, "How the cells run"). A child has no home and a fresh /tmp, so
// without it matplotlib makes a temporary config dir, warns about it on stderr and rebuilds the list (fc-list
// and a scan of the fonts: 0.1 to 0.2 s of CPU with the 50 fonts here, more where more are installed) in every
// process that imports matplotlib.pyplot, which every executed notebook does. The harness copies the file into
// a private temporary MPLCONFIGDIR.
//
// Kept in $XDG_CACHE_HOME/gradecheck (else ~/.cache/gradecheck), else in a temporary dir of this process,
// under a key of the interpreter and its matplotlib version; written atomically and checked to be the JSON
// matplotlib writes before use. A stale list is harmless (matplotlib rebuilds it when its format version
// differs, or when a font file it names is gone). Anything that fails means no list: grading goes on as before.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHILD_BASE_ENV, probePython, pythonChoice } from './python.ts';

/** The environment variable naming the font list for the child (grader/runners/harness.py reads it); set to
 * `off` in the grader's environment, no list is handed over. */
export const FONTLIST_ENV = 'GRADECHECK_MPL_FONTLIST';

/** The name matplotlib gives its font list (fontlist-v330.json); the harness copies it under the same name. */
const FONTLIST_NAME = /^fontlist-v\d+\.json$/;

/** A list matplotlib wrote is about 40 KB; anything far larger is not one. */
const MAX_BYTES = 4 * 1024 * 1024;

// Imports the font manager, which builds the list in MPLCONFIGDIR; Agg so that no GUI toolkit is tried.
const BUILD = 'import matplotlib; matplotlib.use("Agg"); import matplotlib.font_manager';

/** The grader's own cache directory: $XDG_CACHE_HOME/gradecheck, else ~/.cache/gradecheck. */
export function graderCacheDir(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const xdg = env['XDG_CACHE_HOME'];
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'gradecheck');
  const home = os.homedir();
  return home && path.isAbsolute(home) ? path.join(home, '.cache', 'gradecheck') : undefined;
}

/** Whether `file` holds a font list as matplotlib writes it (a FontManager with its version and fonts). */
function validFontList(file: string): boolean {
  try {
    const text = readFileSync(file, 'utf8');
    if (text.length > MAX_BYTES) return false;
    const list = JSON.parse(text) as Record<string, unknown>;
    return list['__class__'] === 'FontManager' && typeof list['_version'] === 'number' && Array.isArray(list['ttflist']) && Array.isArray(list['afmlist']);
  } catch {
    return false;
  }
}

/** The font list already built in `dir`, if it is there and valid. */
function builtIn(dir: string): string | undefined {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => FONTLIST_NAME.test(n));
  } catch {
    return undefined;
  }
  return names.map((n) => path.join(dir, n)).find(validFontList);
}

/**
 * The font list of `python`'s matplotlib (version `matplotlibVersion`) under `root`: the one built before, else
 * built now with `python` in the environment a child gets (so it lists the fonts the child sees), in a
 * temporary dir beside it, then renamed into place. Undefined when it cannot be built; never throws.
 */
export function buildFontList(python: string, matplotlibVersion: string, root: string): string | undefined {
  let work: string | undefined;
  try {
    const key = createHash('sha256').update(`${realpathSync(python)}\0${matplotlibVersion}`).digest('hex').slice(0, 16);
    const dir = path.join(root, 'matplotlib', key);
    const found = builtIn(dir);
    if (found) return found;
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    work = mkdtempSync(path.join(root, 'matplotlib', 'build-'));
    const run = spawnSync(python, ['-c', BUILD], { env: { ...CHILD_BASE_ENV, MPLCONFIGDIR: work }, stdio: 'ignore', timeout: 120_000 });
    if (run.error || run.status !== 0) return undefined;
    const built = builtIn(work);
    if (!built) return undefined;
    chmodSync(built, 0o644);
    // Atomic: a grader starting meanwhile sees the old list or the new one, never half of one.
    const target = path.join(dir, path.basename(built));
    renameSync(built, target);
    return target;
  } catch {
    return undefined;
  } finally {
    if (work) rmSync(work, { recursive: true, force: true });
  }
}

let fallbackRoot: string | undefined;

/** Where this process keeps the lists: the grader's cache dir when writable, else a temporary dir of its own. */
function fontListRoot(): string {
  const shared = graderCacheDir();
  if (shared) {
    try {
      mkdirSync(shared, { recursive: true, mode: 0o755 });
      accessSync(shared, constants.W_OK);
      return shared;
    } catch {
      // Not writable (a read-only home): this process's own dir below.
    }
  }
  if (!fallbackRoot) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-cache-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    fallbackRoot = dir;
  }
  return fallbackRoot;
}

/** The matplotlib version `python` has (from the probe that chose it when there was one), else undefined. */
function matplotlibVersion(python: string): string | undefined {
  const probe = pythonChoice().probes.find((p) => p.candidate === python) ?? probePython(python);
  return probe.packages.matplotlib;
}

const memo = new Map<string, string | undefined>();

/**
 * The font list for the children `python` runs (a host path), built on first use and remembered for this
 * process; undefined when `python` has no matplotlib or the list cannot be built. Only for Python submissions.
 */
export function matplotlibFontList(python: string): string | undefined {
  if (process.env[FONTLIST_ENV] === 'off') return undefined; // staff's switch (and the benchmark's comparison)
  if (memo.has(python)) return memo.get(python);
  let list: string | undefined;
  try {
    const version = matplotlibVersion(python);
    list = version === undefined ? undefined : buildFontList(python, version, fontListRoot());
  } catch {
    list = undefined;
  }
  memo.set(python, list);
  return list;
}
