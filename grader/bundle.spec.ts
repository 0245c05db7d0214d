// The Gradescope autograder bundle: `gradecheck bundle` writes a zip that an independent reader (Python's
// zipfile) extracts, with setup.sh and run_autograder executable; its run_autograder, run against a fake
// /autograder tree in a temp dir (GRADECHECK_AUTOGRADER_ROOT), writes a results.json that Gradescope's schema
// accepts with the assignment's score, runs the student's code as an unprivileged user (when the test runs
// as root), and still writes a valid, explicitly ungradable results.json when grading cannot even start.

import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { problems } from '../spec/registry.ts';
import { mistakeSubject } from '../spec/subjects.ts';
import { runProblem } from '../src/runner.ts';
import { loadAssignment } from './assignment.ts';
import { pythonExecutable } from './python.ts';
import { GradescopeResultsSchema } from './render/gradescope.ts';
import { expectIsolationWhereRequired } from './require-isolation.ts';

const run = promisify(execFile);
const root = path.join(import.meta.dirname, '..');
const isRoot = process.getuid?.() === 0;

const dir = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-bundle-'));
chmodSync(dir, 0o755); // as / above the real /autograder: the student user may pass through
const assignmentFile = path.join(dir, 'hw1.yaml');
writeFileSync(
  assignmentFile,
  ['name: "bundle"', 'seed: 5', 'problems:', '  - id: softmax-temperature', '    points: 2', '  - id: softmax-jacobian', '    points: 3', '    mistakes:', '      missing-inv-tau: { deduct: 1 }', ''].join('\n'),
);
const assignment = loadAssignment(assignmentFile);
const points = (id: string) => assignment.problems.find((p) => p.id === id)!.points;
const zip = path.join(dir, 'autograder.zip');

/** A fake /autograder: source/ (the unzipped bundle, with what setup.sh's `npm ci` would install), submission/. */
async function fakeAutograder(name: string, submission: Record<string, string>, options: { nodeModules: boolean }): Promise<string> {
  const tree = path.join(dir, name);
  mkdirSync(path.join(tree, 'source'), { recursive: true });
  await run(pythonExecutable(), ['-m', 'zipfile', '-e', zip, path.join(tree, 'source')]);
  if (options.nodeModules) symlinkSync(realpathSync(path.join(root, 'node_modules')), path.join(tree, 'source', 'gradecheck', 'node_modules'));
  mkdirSync(path.join(tree, 'submission'));
  for (const [file, text] of Object.entries(submission)) writeFileSync(path.join(tree, 'submission', file), text);
  writeFileSync(path.join(tree, 'submission_metadata.json'), JSON.stringify({ id: 1, created_at: '2026-03-01T10:00:00.000000-05:00' }));
  return tree;
}

/** Runs the tree's run_autograder as Gradescope would (as this user), and reads results.json through the schema. */
async function runAutograder(tree: string) {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', GRADECHECK_AUTOGRADER_ROOT: tree, GRADECHECK_STUDENT_USER: 'nobody', ...(process.env['GRADECHECK_PYTHON'] ? { GRADECHECK_PYTHON: process.env['GRADECHECK_PYTHON'] } : {}) };
  await run('bash', [path.join(tree, 'source', 'run_autograder')], { env, cwd: tree });
  return GradescopeResultsSchema.parse(JSON.parse(readFileSync(path.join(tree, 'results', 'results.json'), 'utf8')));
}

describe('gradecheck bundle', () => {
  const built = run(process.execPath, [path.join(root, 'bin', 'gradecheck.mjs'), 'bundle', '-a', assignmentFile, '-o', zip]);

  it('writes a zip with the scripts at its root, executable, the assignment and gradecheck without its tests', async () => {
    await built;
    const listing = await run(pythonExecutable(), [
      '-c',
      'import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps({i.filename: (i.external_attr >> 16) & 0o777 for i in z.infolist()}))',
      zip,
    ]);
    const modes = JSON.parse(listing.stdout) as Record<string, number>;
    expect(modes['setup.sh']).toBe(0o755);
    expect(modes['run_autograder']).toBe(0o755);
    expect(modes['gradecheck/bin/gradecheck.mjs']).toBe(0o755);
    expect(modes['gradecheck/grader/runners/harness.py']).toBe(0o644);
    expect(modes['gradecheck/grader/runners/sandbox.sh']).toBe(0o755);
    expect(Object.keys(modes)).toContain('assignment.yaml');
    expect(Object.keys(modes).filter((f) => f.endsWith('.spec.ts'))).toEqual([]);
    // Every suite the registry imports travels with it (the CLI runs from the bundle below).
    expect(Object.keys(modes)).toContain('gradecheck/spec/registry.ts');
    const setup = readFileSync(path.join(root, 'grader', 'autograder', 'setup.sh'), 'utf8');
    expect(setup).toMatch(/apt-get install .*python3-numpy python3-torch/);
    expect(setup).toMatch(/setup_20\.x/);
  });

  it('the privilege probe below can fail here when GRADECHECK_REQUIRE_ISOLATION is set (as root; elsewhere it proves nothing)', () => {
    expectIsolationWhereRequired();
  });

  it('run_autograder grades the submission into a valid results.json, the student\'s code unprivileged', async () => {
    await built;
    // A submission with the priced mistake that also checks what it can reach: as an unprivileged user it
    // can read neither the assignment nor gradecheck's sources; as root it could, and then defines nothing.
    const tree = path.join(dir, 'graded');
    const probe = [
      '',
      'import os as _os',
      'def _reaches(p):',
      '    try:',
      '        open(p).read()',
      '        return True',
      '    except OSError:',
      '        return False',
      `if ${isRoot ? 'True' : 'False'} and (_os.getuid() == 0 or _reaches(${JSON.stringify(path.join(tree, 'source', 'assignment.yaml'))}) or _reaches(${JSON.stringify(path.join(tree, 'source', 'gradecheck', 'reference', 'softmax.ts'))})):`,
      '    del softmax, softmax_jacobian',
      '',
    ].join('\n');
    const bug = readFileSync(path.join(root, 'fixtures', 'submissions', 'softmax', 'bug-missing-inv-tau.py'), 'utf8');
    await fakeAutograder('graded', { 'hw1.py': bug + probe, 'notes.txt': 'not code' }, { nodeModules: true });
    const results = await runAutograder(tree);
    expect(problems['softmax-jacobian'].mistakes.map((m) => m.id)).toContain('missing-inv-tau');
    expect(results.score).toBeCloseTo(points('softmax-temperature') + points('softmax-jacobian') - assignment.problems[1]!.mistakes['missing-inv-tau']!.deduct, 6);
    expect(results.tests.length).toBeGreaterThan(0);
    expect(results.tests.some((t) => t.tags.includes('mistake:missing-inv-tau'))).toBe(true);
    expect(results.extra_data?.['gradecheck']).not.toHaveProperty('ungradable');
  });

  it('run_autograder grades a TypeScript submission as an ES module', async () => {
    await built;
    const tree = await fakeAutograder('typescript', { 'hw1.ts': readFileSync(path.join(root, 'fixtures', 'submissions', 'softmax', 'bug-missing-diag.ts'), 'utf8') }, { nodeModules: true });
    const results = await runAutograder(tree);
    // It loads (its functions are found: no check fails as `missing`) and earns the points of what it gets right:
    // all of softmax-temperature, and of softmax-jacobian (the unpriced missing-diag) the share of the checks that
    // the named mistake's own variant passes at the assignment's seed.
    expect(results.tests.filter((t) => t.tags.includes('missing'))).toEqual([]);
    const jacobian = problems['softmax-jacobian'];
    const variant = await runProblem(jacobian, mistakeSubject(jacobian.mistakes.find((m) => m.id === 'missing-diag')!), { seed: assignment.seed });
    const passed = variant.checks.filter((c) => c.passed).length;
    expect(passed).toBeLessThan(jacobian.checks.length);
    expect(results.score).toBeCloseTo(points('softmax-temperature') + (points('softmax-jacobian') * passed) / jacobian.checks.length, 6);
  });

  it('writes an ungradable results.json, never a silent 0, when grading cannot start or finds no code', async () => {
    await built;
    const correct = readFileSync(path.join(root, 'fixtures', 'submissions', 'softmax', 'correct.py'), 'utf8');
    // No node_modules: setup.sh's npm ci did not happen, gradecheck cannot even load.
    const [broken, empty] = await Promise.all([fakeAutograder('no-deps', { 'hw1.py': correct }, { nodeModules: false }), fakeAutograder('no-code', { 'notes.txt': 'no code here' }, { nodeModules: true })]);
    const [crashed, nothing] = await Promise.all([runAutograder(broken), runAutograder(empty)]);
    for (const results of [crashed, nothing]) {
      expect(results.extra_data?.['gradecheck']).toMatchObject({ ungradable: true });
      expect(results.output).toMatch(/not (be )?graded/i);
      expect(results.tests).toEqual([]);
    }
    expect(String((crashed.extra_data?.['gradecheck'] as { reason: string }).reason)).toMatch(/exited with status/);
    expect(String((nothing.extra_data?.['gradecheck'] as { reason: string }).reason)).toMatch(/no source file/);
  });
});
