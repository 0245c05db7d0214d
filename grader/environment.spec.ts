// The grader's environment failing (issue 18): a Python without numpy, a Python that cannot start, a
// submission importing torch where torch is missing. Each is ungradable (exit 3) with one root-cause line and
// its fix, in grade, check and batch (which stops early instead of grading a class to 0); never a page of 0s.
// The Pythons are built here as wrappers of Debian's: `python3 -S` (no site-packages, so no numpy) and
// `python3 -S` with a PYTHONPATH holding numpy alone (numpy, no torch).

import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT } from './cli.ts';
import { canGrade, doctor, fixPlan, formatDoctor } from './doctor.ts';
import { FALLBACK_PYTHON, choosePython } from './python.ts';
import { GradescopeResultsSchema } from './render/gradescope.ts';

const root = path.join(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'gradecheck.mjs');
const softmax = (f: string) => path.join(root, 'fixtures', 'submissions', 'softmax', f);
const seed000 = path.join(root, 'fixtures', 'assignments', 'seed-000.yaml');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-environment-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A `python3` in its own folder: Debian's, started with `flags` and `env` (a shell wrapper). */
function wrapper(name: string, flags: string, env = ''): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'python3');
  writeFileSync(file, `#!/bin/sh\n${env}exec /usr/bin/python3 ${flags} "$@"\n`);
  chmodSync(file, 0o755);
  return file;
}

const noNumpy = wrapper('no-numpy', '-S');
const numpySite = path.join(tmp, 'numpy-site');
mkdirSync(numpySite);
// Debian's numpy package alone on the path: numpy without torch.
symlinkSync(path.dirname(execFileSync(FALLBACK_PYTHON, ['-c', 'import numpy; print(numpy.__file__)'], { encoding: 'utf8' }).trim()), path.join(numpySite, 'numpy'));
const numpyOnly = wrapper('numpy-only', '-S', `PYTHONPATH=${numpySite} `);

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

// The scrubbed sandbox: the wrappers live under /tmp, which the isolated sandbox replaces with its own tmpfs.
function gradecheck(args: readonly string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { env: { ...process.env, GRADECHECK_SANDBOX: 'scrubbed', ...env }, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

const results = (dir: string) => GradescopeResultsSchema.parse(JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')));

describe('Python discovery (one place: grader/python.ts)', () => {
  it('GRADECHECK_PYTHON wins; else the first python3 on PATH with numpy and torch; else with numpy; else /usr/bin/python3', () => {
    expect(choosePython({ GRADECHECK_PYTHON: noNumpy, PATH: path.dirname(numpyOnly) }).executable).toBe(noNumpy);
    const debian = path.join(tmp, 'debian');
    mkdirSync(debian);
    symlinkSync(FALLBACK_PYTHON, path.join(debian, 'python3'));
    const dirs = (...files: string[]) => files.map((f) => path.dirname(f)).join(path.delimiter);
    const both = choosePython({ PATH: dirs(noNumpy, numpyOnly, path.join(debian, 'python3')) });
    expect(both.executable).toBe(path.join(debian, 'python3'));
    expect(both.probes.map((p) => Object.keys(p.packages).filter((k) => k !== 'matplotlib').sort())).toEqual([[], ['numpy'], ['numpy', 'torch']]);
    expect(choosePython({ PATH: dirs(noNumpy, numpyOnly) })).toMatchObject({ executable: numpyOnly, why: expect.stringContaining('numpy') });
    expect(choosePython({ PATH: dirs(noNumpy) }).executable).toBe(FALLBACK_PYTHON);
  });
});

describe('gradecheck doctor', () => {
  it('names the Python, why it was chosen, and a fix for each missing package; cannot grade without numpy', () => {
    const broken = doctor(choosePython({ GRADECHECK_PYTHON: noNumpy }));
    expect(broken.find((i) => i.what === 'python')).toMatchObject({ ok: true, found: expect.stringContaining('GRADECHECK_PYTHON is set') });
    expect(broken.find((i) => i.what === 'numpy')).toMatchObject({ ok: false, required: true, fix: expect.stringContaining('python3-numpy') });
    expect(canGrade(broken)).toBe(false);
    expect(formatDoctor(broken)).toMatch(/MISSING numpy[^]*fix: apt-get install python3-numpy[^]*cannot grade Python submissions here/);
    const fine = doctor(choosePython({ GRADECHECK_PYTHON: numpyOnly }));
    expect(canGrade(fine)).toBe(true);
    expect(fine.find((i) => i.what === 'torch')).toMatchObject({ ok: false, required: false, fix: expect.stringContaining('python3-torch') });
  });

  it('the command exits 3 where nothing can be graded, and --version prints the version', async () => {
    const run = await gradecheck(['doctor'], { GRADECHECK_PYTHON: path.join(tmp, 'nope', 'python3') });
    expect(run.code).toBe(EXIT.ungradable);
    expect(run.stdout).toMatch(/MISSING python/);
    const version = await gradecheck(['--version'], {});
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version);
  });
});

describe('gradecheck doctor --fix', () => {
  const noNumpyItems = () => doctor(choosePython({ GRADECHECK_PYTHON: noNumpy }));

  it('installs Debian packages for what the Python lacks, only as root where apt-get is, and never for a forced Python', () => {
    const items = noNumpyItems();
    expect(fixPlan(items, { root: true, apt: true, forcedPython: false }).command).toEqual(['apt-get', 'install', '-y', '-qq', 'python3-numpy', 'python3-torch', 'python3-matplotlib']);
    expect(fixPlan(items, { root: false, apt: true, forcedPython: false })).toEqual({ says: 'run as root (sudo) to install: apt-get install -y python3-numpy python3-torch python3-matplotlib' });
    expect(fixPlan(items, { root: true, apt: false, forcedPython: false }).command).toBeUndefined();
    expect(fixPlan(items, { root: true, apt: true, forcedPython: true }).says).toMatch(/^GRADECHECK_PYTHON names the Python: install numpy, torch, matplotlib into it/);
    const fine = doctor(choosePython({ GRADECHECK_PYTHON: FALLBACK_PYTHON })).filter((i) => i.what !== 'chromium');
    expect(fixPlan(fine, { root: true, apt: true, forcedPython: false })).toEqual({ says: 'nothing to install: the Python pieces are all here' });
  });

  it('--dry-run says what it would do and still exits 3 where nothing can be graded', async () => {
    const run = await gradecheck(['doctor', '--fix', '--dry-run'], { GRADECHECK_PYTHON: noNumpy });
    expect(run.code).toBe(EXIT.ungradable);
    expect(run.stdout).toMatch(/doctor --fix: GRADECHECK_PYTHON names the Python: install numpy/);
    expect(run.stdout).toMatch(/MISSING numpy/);
  });
});

describe('environment failures are ungradable, never 0', () => {
  it.concurrent('grade with a Python without numpy: exit 3, results.json ungradable with one root-cause line and the fix', async () => {
    const out = path.join(tmp, 'grade-no-numpy');
    const run = await gradecheck(['grade', '--assignment', seed000, '--submission', softmax('correct.py'), '--out', out], { GRADECHECK_PYTHON: noNumpy });
    expect(run.code).toBe(EXIT.ungradable);
    const r = results(out);
    const reason = String((r.extra_data?.['gradecheck'] as { reason?: string }).reason);
    expect(reason).toMatch(/numpy is not installed for .*no-numpy\/python3.*Fix: install numpy/);
    expect(reason).not.toContain('\n');
    expect(r.tests).toEqual([]);
    expect(run.stdout.match(/numpy is not installed/g)).toHaveLength(1);
  });

  it.concurrent('check with a Python without numpy: exit 3, said once', async () => {
    const run = await gradecheck(['check', softmax('correct.py'), '--assignment', seed000], { GRADECHECK_PYTHON: noNumpy });
    expect(run.code).toBe(EXIT.ungradable);
    expect(run.stdout).toMatch(/^UNGRADABLE/);
    expect(run.stdout.match(/numpy is not installed/g)).toHaveLength(1);
  });

  it.concurrent('a Python that cannot start: exit 3 with the fix', async () => {
    const out = path.join(tmp, 'grade-no-python');
    const run = await gradecheck(['grade', '--assignment', seed000, '--submission', softmax('correct.py'), '--out', out], { GRADECHECK_PYTHON: path.join(tmp, 'nope', 'python3') });
    expect(run.code).toBe(EXIT.ungradable);
    expect((results(out).extra_data?.['gradecheck'] as { reason?: string }).reason).toMatch(/cannot start \(ENOENT\)\. Fix: .*GRADECHECK_PYTHON/);
  });

  it.concurrent('a torch submission on a Python without torch is the environment\'s failure, not the student\'s 0', async () => {
    const yaml = path.join(tmp, 'losses.yaml');
    writeFileSync(yaml, 'name: losses\nseed: 3\nproblems:\n  - { id: losses, points: 4, runs: 5 }\n');
    const out = path.join(tmp, 'grade-no-torch');
    const run = await gradecheck(['grade', '--assignment', yaml, '--submission', path.join(root, 'fixtures', 'submissions', 'losses', 'alt-torch.py'), '--out', out], { GRADECHECK_PYTHON: numpyOnly });
    expect(run.code).toBe(EXIT.ungradable);
    expect((results(out).extra_data?.['gradecheck'] as { reason?: string }).reason).toMatch(/imports torch, which is not installed.*Fix: install torch/);
  });

  it.concurrent('batch with a Python without numpy stops early: exit 3, nobody graded 0', async () => {
    const dir = path.join(tmp, 'class');
    mkdirSync(dir);
    for (const [i, f] of ['correct.py', 'alt-loops.py', 'bug-missing-inv-tau.py', 'correct.py'].entries()) copyFileSync(softmax(f), path.join(dir, `s${i}.py`));
    const out = path.join(tmp, 'class-out');
    const run = await gradecheck(['batch', '--assignment', seed000, '--submissions', dir, '--out', out, '--jobs', '1'], { GRADECHECK_PYTHON: noNumpy });
    expect(run.code).toBe(EXIT.ungradable);
    expect(run.stderr).toMatch(/stopped early.*numpy is not installed[^]*fix: install numpy/);
    const rows = readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n').slice(1);
    expect(rows).toHaveLength(4);
    expect(rows.filter((l) => l.endsWith(',graded'))).toEqual([]);
    // The first is ungradable; the batch stopped before the others.
    expect(rows.filter((l) => l.includes('not graded: the batch stopped (numpy is not installed')).length).toBe(3);
  });
});
