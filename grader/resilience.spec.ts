// The grader under plain bad conditions (issue 9): a missing submission, a grader that cannot start the
// submission's process, an out dir that cannot be written or fills up, a folder it cannot read, and a batch
// stopped with SIGTERM or SIGINT. Each ends as "ungradable" (exit 3) or as that student's error, never as a
// 0, a crash or a partial/corrupt results.json; a stopped batch leaves no process behind and resumes.

import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAssignment } from './assignment.ts';
import { EXIT } from './cli.ts';
import { GradescopeResultsSchema } from './render/gradescope.ts';
import { writeAtomic } from './write.ts';
import { expectIsolationWhereRequired } from './require-isolation.ts';

const root = path.join(import.meta.dirname, '..');
const cli = path.join(root, 'bin', 'gradecheck.mjs');
const softmax = (f: string) => path.join(root, 'fixtures', 'submissions', 'softmax', f);
const isRoot = process.platform === 'linux' && process.getuid?.() === 0;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-resilience-'));
chmodSync(tmp, 0o755);
const token = path.basename(tmp);
const YAML = [
  'name: resilience',
  'seed: 11',
  'limits: { call_timeout_ms: 1500 }',
  'problems:',
  '  - { id: softmax-temperature, points: 3, runs: 10 }',
  '  - { id: softmax-jacobian, points: 2, runs: 10, mistakes: { missing-inv-tau: { deduct: 1 } } }',
].join('\n');
const assignmentFile = path.join(tmp, 'a.yaml');
writeFileSync(assignmentFile, YAML);
chmodSync(assignmentFile, 0o644);
const assignment = parseAssignment(YAML, assignmentFile);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const points = (id: string) => assignment.problems.find((p) => p.id === id)!.points;

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function gradecheck(args: readonly string[], env: NodeJS.ProcessEnv = {}, wrap: readonly string[] = []): Promise<Run> {
  const [cmd, ...pre] = wrap.length ? wrap : [process.execPath];
  const argv = [...pre, ...(wrap.length ? [process.execPath] : []), cli, ...args];
  return new Promise((resolve) => {
    execFile(cmd!, argv, { env: { ...process.env, ...env }, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

const results = (dir: string) => GradescopeResultsSchema.parse(JSON.parse(readFileSync(path.join(dir, 'results.json'), 'utf8')));
const leftovers = (dir: string) => readdirSync(dir).filter((f) => f.includes('.tmp-'));

describe('ungradable, never a 0', () => {
  it.concurrent('a missing or wrong-type submission file is a usage error (exit 2) that names it, not a grade', async () => {
    const out = path.join(tmp, 'missing');
    const run = await gradecheck(['grade', '--assignment', assignmentFile, '--submission', path.join(tmp, 'nope.py'), '--out', out]);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toContain(`--submission: no such file or folder: ${path.join(tmp, 'nope.py')}`);
    expect(existsSync(path.join(out, 'results.json'))).toBe(false);
    const docx = path.join(tmp, 'hw1.docx');
    writeFileSync(docx, 'not code');
    const wrong = await gradecheck(['check', docx, '--assignment', assignmentFile]);
    expect(wrong.code).toBe(EXIT.usage);
    expect(wrong.stderr).toMatch(/hw1\.docx cannot be graded \(\.docx\): give a \.py \.ipynb/);
    expect(wrong.stdout).not.toMatch(/UNGRADABLE/);
  });

  it.concurrent('an interpreter that cannot be started is the grader\'s failure, not the student\'s 0', async () => {
    const out = path.join(tmp, 'no-python');
    const run = await gradecheck(['grade', '--assignment', assignmentFile, '--submission', softmax('correct.py'), '--out', out], { GRADECHECK_PYTHON: '/nonexistent/python3' });
    expect(run.code).toBe(EXIT.ungradable);
    expect(results(out).extra_data?.['gradecheck']).toMatchObject({ ungradable: true, reason: expect.stringMatching(/cannot start|before the harness started|could not start|cannot prepare/) });
  });

  it.concurrent('an unknown sandbox setting is ungradable', async () => {
    const out = path.join(tmp, 'bad-sandbox');
    const run = await gradecheck(['grade', '--assignment', assignmentFile, '--submission', softmax('correct.py'), '--out', out], { GRADECHECK_SANDBOX: 'bogus' });
    expect(run.code).toBe(EXIT.ungradable);
    expect(results(out).extra_data?.['gradecheck']).toMatchObject({ reason: expect.stringContaining('GRADECHECK_SANDBOX must be') });
  });

  it.concurrent('an out dir that cannot be created: exit 3 with the reason, no stack trace', async () => {
    const run = await gradecheck(['grade', '--assignment', assignmentFile, '--submission', softmax('correct.py'), '--out', '/dev/full/out']);
    expect(run.code).toBe(EXIT.ungradable);
    expect(run.stderr).toMatch(/ungradable \(environment failure, nothing recorded\): ENOTDIR/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('the root-only tests below run here when GRADECHECK_REQUIRE_ISOLATION is set (they are skipped elsewhere)', () => {
    expectIsolationWhereRequired();
  });

  it.skipIf(!isRoot)('a full disk on the out dir: exit 3, no results.json (an old one is removed), no partial or temp file', () => {
    // A 64 KiB tmpfs, nearly full, in a private mount namespace: nothing outside sees it.
    const script = [
      'set -e',
      `mnt=${tmp}/full`,
      'mkdir -p "$mnt" && mount -t tmpfs -o size=64k tmpfs "$mnt"',
      'mkdir "$mnt/out" && echo \'{"score": 99}\' > "$mnt/out/results.json" && head -c 60000 /dev/zero > "$mnt/filler"',
      `set +e; "${process.execPath}" "${cli}" grade --assignment "${assignmentFile}" --submission "${softmax('bug-missing-inv-tau.py')}" --out "$mnt/out" >/dev/null 2>"${tmp}/full-err.txt"; echo "exit=$?"`,
      `rm -f "$mnt/filler"; echo "files=$(ls -A "$mnt/out" | tr "\\n" " ")"; cat "${tmp}/full-err.txt"`,
    ].join('\n');
    const run = spawnSync('/usr/bin/unshare', ['--mount', '--', '/bin/sh', '-c', script], { encoding: 'utf8', timeout: 90_000 });
    expect(run.stdout).toMatch(/exit=3/);
    const files = /files=(.*)/.exec(run.stdout)?.[1]?.trim().split(/\s+/).filter(Boolean) ?? [];
    expect(files).not.toContain('results.json');
    expect(files.filter((f) => f.includes('.tmp-'))).toEqual([]);
    expect(run.stdout).toMatch(/ENOSPC/);
  });

  it('writeAtomic leaves neither a partial file nor its temp file when the final rename fails', () => {
    const dir = mkdtempSync(path.join(tmp, 'atomic-'));
    mkdirSync(path.join(dir, 'results.json', 'in-the-way'), { recursive: true });
    expect(() => writeAtomic(path.join(dir, 'results.json'), '{}')).toThrow();
    expect(leftovers(dir)).toEqual([]);
    expect(existsSync(path.join(dir, 'results.json', 'in-the-way'))).toBe(true);
  });
});

/** Processes whose command line mentions `tag` (unique to one test: graders, submissions). */
function processesMentioning(tag: string): string[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)
    .flatMap((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        return cmd.includes(tag) ? [`${pid}: ${cmd.slice(0, 200)}`] : [];
      } catch {
        return [];
      }
    });
}

const waitFor = async (ok: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!ok() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
  return ok();
};

/** A folder of one file per student, with names unique to this run (so /proc can be searched for them). */
function classFolder(name: string): { dir: string; expected: Record<string, number> } {
  const dir = path.join(tmp, name);
  const tag = `${token}-${name}`;
  mkdirSync(dir, { recursive: true });
  const T = points('softmax-temperature');
  const J = points('softmax-jacobian');
  const students: Record<string, [string, number]> = {
    [`${tag}-a`]: ['correct.py', T + J],
    [`${tag}-b`]: ['bug-missing-inv-tau.py', T + J - 1],
    [`${tag}-c`]: ['alt-loops.py', T + J],
  };
  const expected: Record<string, number> = {};
  for (const [id, [file, score]] of Object.entries(students)) {
    const ext = path.extname(file);
    copyFileSync(softmax(file), path.join(dir, `${id}${ext}`));
    expected[id] = score;
  }
  return { dir, expected };
}

/** The gradebook by submission id. Only the status (the last column) may be quoted here. */
function gradebook(out: string): Record<string, string[]> {
  const [header, ...lines] = readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n');
  const last = header!.split(',').length - 1;
  return Object.fromEntries(
    lines.map((l) => {
      const cells = l.split(',');
      return [cells[0]!, [...cells.slice(0, last), cells.slice(last).join(',').replace(/^"|"$/g, '')]];
    }),
  );
}

describe('a batch stopped with a signal', () => {
  it.concurrent.each(['SIGTERM', 'SIGINT'] as const)('%s: no process left running, no corrupt result, and the rerun resumes from the cache', async (signal) => {
    const { dir, expected } = classFolder(`class-${signal}`);
    const out = path.join(tmp, `batch-${signal}`);
    const batch: ChildProcess = spawn(process.execPath, [cli, 'batch', '-a', assignmentFile, '--submissions', dir, '-o', out, '-j', '1'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => batch.once('exit', () => resolve()));
    const cached = () => (existsSync(path.join(out, 'cache')) ? readdirSync(path.join(out, 'cache')).filter((f) => f.endsWith('.json')).length : 0);
    expect(await waitFor(() => cached() >= 1, 90_000)).toBe(true);
    batch.kill(signal);
    await exited;
    // Every grading process and submission process it started is gone shortly after. Most are killed at once (the
    // parent's death signal); one started in the instant the batch died, before setpriv armed that signal, finds
    // its request pipe closed when its start-up ends and exits then: seconds on a loaded machine (seen in CI).
    const tag = `${token}-class-${signal}`;
    expect(await waitFor(() => processesMentioning(tag).length === 0, 20_000), processesMentioning(tag).join('\n')).toBe(true);
    // What was written is whole: every results.json parses; no temp files.
    const studentsDir = path.join(out, 'students');
    for (const s of existsSync(studentsDir) ? readdirSync(studentsDir) : []) {
      const d = path.join(studentsDir, s);
      expect(leftovers(d)).toEqual([]);
      if (existsSync(path.join(d, 'results.json'))) expect(() => results(d)).not.toThrow();
    }
    for (const f of readdirSync(path.join(out, 'cache'))) expect(() => JSON.parse(readFileSync(path.join(out, 'cache', f), 'utf8'))).not.toThrow();
    const before = cached();

    const rerun = await gradecheck(['batch', '-a', assignmentFile, '--submissions', dir, '-o', out, '-j', '2']);
    expect(rerun.code, rerun.stderr).toBe(EXIT.ok);
    expect(rerun.stderr.match(/\(cached\)/g)?.length ?? 0).toBeGreaterThanOrEqual(before);
    const book = gradebook(out);
    for (const [id, score] of Object.entries(expected)) {
      expect(Number(book[id]?.[4]), `${id}: ${book[id]?.join(',')}`).toBeCloseTo(score, 6);
      expect(book[id]?.at(-1)).toBe('graded');
    }
  });
});

describe.skipIf(!isRoot)('an unreadable student folder (the grader as an unprivileged user)', () => {
  it('is that student\'s error in the gradebook; the others are graded (in the scrubbed mode)', async () => {
    const dir = path.join(tmp, 'class-unreadable');
    mkdirSync(path.join(dir, 'alice'), { recursive: true });
    mkdirSync(path.join(dir, 'bob'), { recursive: true });
    copyFileSync(softmax('correct.py'), path.join(dir, 'alice', 'hw.py'));
    copyFileSync(softmax('correct.py'), path.join(dir, 'bob', 'hw.py'));
    for (const d of [dir, path.join(dir, 'alice')]) chmodSync(d, 0o755);
    chmodSync(path.join(dir, 'alice', 'hw.py'), 0o644);
    chmodSync(path.join(dir, 'bob'), 0o000);
    const out = path.join(tmp, 'out-unreadable');
    mkdirSync(out);
    chmodSync(out, 0o777);
    const nobody = ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];
    const run = await gradecheck(['batch', '-a', assignmentFile, '--submissions', dir, '-o', out, '-j', '2'], { HOME: '/nonexistent' }, nobody);
    expect(run.code, run.stderr).toBe(EXIT.failed);
    const book = gradebook(out);
    expect(Number(book['alice']?.[4])).toBeCloseTo(points('softmax-temperature') + points('softmax-jacobian'), 6);
    expect(book['bob']?.at(-1)).toMatch(/^error: cannot read the submission folder: EACCES/);
  });
});
