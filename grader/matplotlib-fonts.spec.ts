// matplotlib's font list, built once by the grader and handed to each Python child (grader/matplotlib-fonts.ts):
// a submission importing matplotlib finds the list in a writable cache dir before the font manager loads, and
// matplotlib neither warns about a temporary config dir nor rebuilds. A Python without matplotlib, or a build
// that fails or writes garbage, gives no list and no error. The real build runs once, in a temporary cache dir.

import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFontList, graderCacheDir, matplotlibFontList } from './matplotlib-fonts.ts';
import { ProcessSubject } from './process-subject.ts';
import { FALLBACK_PYTHON, probePython } from './python.ts';
import { type SandboxMode, isolationAvailable } from './sandbox.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-mpl-'));
// This test file's own grader cache (vitest runs each file in its own process): the list is built here.
process.env['XDG_CACHE_HOME'] = path.join(tmp, 'xdg');
const subjects: ProcessSubject[] = [];
afterAll(async () => {
  await Promise.all(subjects.map((s) => s.close()));
  rmSync(tmp, { recursive: true, force: true });
});

/** A stand-in `python3`: a shell script that appends its arguments to `log` and runs `body`. */
function fakePython(name: string, body: string): { python: string; log: string } {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const python = path.join(dir, 'python3');
  const log = path.join(dir, 'calls.log');
  writeFileSync(python, `#!/bin/sh\necho "$1" >> ${log}\n${body}\n`);
  chmodSync(python, 0o755);
  return { python, log };
}

const calls = (log: string) => readFileSync(log, 'utf8').trim().split('\n').length;

describe('building the font list', () => {
  it('gives no list, and no error, for a Python without matplotlib: the probe runs, the build does not', () => {
    const { python, log } = fakePython('no-mpl', `echo '{"executable": "/x/python3", "version": "3.11.0", "packages": {"numpy": "1.24.2"}}'`);
    expect(matplotlibFontList(python)).toBeUndefined();
    expect(calls(log)).toBe(1);
  });

  it('gives no list, and no error, when the interpreter is missing, fails or writes something else than a font list', () => {
    const root = path.join(tmp, 'root');
    expect(buildFontList('/nonexistent/python3', '3.6.3', root)).toBeUndefined();
    expect(buildFontList(fakePython('fails', 'exit 1').python, '3.6.3', root)).toBeUndefined();
    expect(buildFontList(fakePython('garbage', 'echo "{not json" > "$MPLCONFIGDIR/fontlist-v330.json"').python, '3.6.3', root)).toBeUndefined();
    expect(buildFontList(fakePython('other-json', 'echo "[1, 2]" > "$MPLCONFIGDIR/fontlist-v330.json"').python, '3.6.3', root)).toBeUndefined();
    // Each failed build cleaned up after itself: only the (empty) keyed folders are left.
    for (const entry of readdirSync(path.join(root, 'matplotlib'))) expect(readdirSync(path.join(root, 'matplotlib', entry))).toEqual([]);
  });

  it('builds the list once into the grader\'s cache dir, then reuses it', () => {
    const version = probePython(FALLBACK_PYTHON).packages.matplotlib;
    if (version === undefined) return; // no matplotlib here: nothing to build (the case above)
    const list = matplotlibFontList(FALLBACK_PYTHON);
    expect(list).toMatch(/\/fontlist-v\d+\.json$/);
    expect(list!.startsWith(graderCacheDir()!)).toBe(true);
    const parsed = JSON.parse(readFileSync(list!, 'utf8')) as { ttflist: unknown[] };
    expect(parsed.ttflist.length).toBeGreaterThan(0);
    // Already there: found without starting Python (an interpreter that cannot run finds it too).
    expect(buildFontList(FALLBACK_PYTHON, version, graderCacheDir()!)).toBe(list);
  });
});

const modes: SandboxMode[] = isolationAvailable() ? ['isolated', 'scrubbed'] : ['scrubbed'];
const hasMatplotlib = probePython(FALLBACK_PYTHON).packages.matplotlib !== undefined;

describe.skipIf(!hasMatplotlib).each(modes)('a %s child importing matplotlib', (sandbox) => {
  it('finds the font list in its cache dir before the font manager loads, and matplotlib says nothing', async () => {
    const cwd = mkdtempSync(path.join(tmp, 'cwd-'));
    const s = await ProcessSubject.start(path.join(import.meta.dirname, '..', 'fixtures', 'submissions', 'protocol', 'matplotlib-cache.py'), { cwd, sandbox });
    subjects.push(s);
    expect(s.infrastructureFailure).toBeUndefined();
    const state = (await s.call('cache_state', [])) as { files: string[]; writable: boolean; configdir_env: boolean; fontlist_env: boolean; fonts: number; in_working_dir: boolean };
    // In its working directory, which the grader empties or removes even when it kills the child (no atexit runs).
    expect(state).toMatchObject({ files: [expect.stringMatching(/^fontlist-v\d+\.json$/)], writable: true, configdir_env: true, fontlist_env: false, in_working_dir: true });
    expect(state.fonts).toBeGreaterThan(0);
    expect(s.stderr.toString()).not.toMatch(/temporary config\/cache directory|building the font cache/);
  });
});
