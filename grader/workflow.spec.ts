// The GitHub Classroom workflow: `gradecheck workflow` writes a workflow whose steps use real actions and
// real commands, and whose gradecheck steps, run as a runner runs them (bash -eo pipefail, in their
// working-directory, GITHUB_WORKSPACE, GITHUB_OUTPUT and RUNNER_TEMP set, npm offline, the gradecheck checkout
// being this one), pass a correct submission with full points and fail one with a mistake, naming it; the
// Classroom reporter's part is played by decoding the result it would read and summing the points as it does.

import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadAssignment } from './assignment.ts';
import { type ClassroomResults, ClassroomResultsSchema } from './render/classroom.ts';
import { studentAssignmentYaml } from './release.ts';
import { writeSelfCheck } from './self-check/build.ts';
import { GRADECHECK_CHECKOUT, WORKFLOW_ASSIGNMENT, WORKFLOW_FILE, WORKFLOW_RELEASE, writeClassroomWorkflow } from './workflow.ts';
import { testTempDir } from './test-temp.ts';

const run = promisify(execFile);
const root = path.join(import.meta.dirname, '..');
const softmax = path.join(root, 'fixtures', 'submissions', 'softmax');
const assignmentFile = path.join(testTempDir('classroom-a'), 'hw1.yaml');
writeFileSync(assignmentFile, ['name: "softmax"', 'seed: 3', 'problems:', '  - id: softmax-temperature', '    points: 2', '  - id: softmax-jacobian', '    points: 3', ''].join('\n'));
const assignment = loadAssignment(assignmentFile);

interface Step {
  name: string;
  id?: string;
  env?: Record<string, string>;
  uses?: string;
  run?: string;
  with?: Record<string, string | number>;
  'working-directory'?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: { check: { 'runs-on': string; steps: Step[] } };
}

/** A student repository with the generated workflow, as the runner sees it after the checkout steps. */
function studentRepo(file: string): { dir: string; workflow: Workflow } {
  const dir = testTempDir('classroom');
  mkdirSync(path.join(dir, 'src'));
  copyFileSync(path.join(softmax, file), path.join(dir, 'src', 'hw1.py'));
  writeClassroomWorkflow({ assignment, submission: path.join('src', 'hw1.py'), gradecheck: { repo: 'course/gradecheck', ref: 'v0.1.0' } }, dir);
  // `actions/checkout` of gradecheck plus its `npm ci`: this checkout, with its node_modules.
  symlinkSync(realpathSync(root), path.join(dir, GRADECHECK_CHECKOUT));
  return { dir, workflow: parseYaml(readFileSync(path.join(dir, WORKFLOW_FILE), 'utf8')) as Workflow };
}

/** A template repository written by `workflow --standalone` (the self-check built once), with the student's file. */
async function standaloneRepo(): Promise<(file: string) => { dir: string; workflow: Workflow }> {
  const template = testTempDir('classroom-standalone');
  writeClassroomWorkflow({ assignment, submission: path.join('src', 'hw1.py'), gradecheck: 'standalone' }, template);
  await writeSelfCheck(path.join(template, WORKFLOW_RELEASE), path.join(template, WORKFLOW_ASSIGNMENT));
  return (file) => {
    const dir = testTempDir('classroom-student');
    cpSync(template, dir, { recursive: true });
    mkdirSync(path.join(dir, 'src'));
    copyFileSync(path.join(softmax, file), path.join(dir, 'src', 'hw1.py'));
    return { dir, workflow: parseYaml(readFileSync(path.join(dir, WORKFLOW_FILE), 'utf8')) as Workflow };
  };
}

/** Runs the steps a runner would, except the installs (done on this machine) and the actions; then the reporter's sum. */
async function runSteps(dir: string, steps: readonly Step[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string; results: ClassroomResults; points: number }> {
  let stdout = '';
  let stderr = '';
  const output = path.join(dir, 'github-output');
  writeFileSync(output, '');
  for (const step of steps.filter((s) => s.run && !/apt-get install|npm ci/.test(s.run))) {
    const cwd = path.join(dir, step['working-directory'] ?? '.');
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir, GITHUB_WORKSPACE: dir, GITHUB_OUTPUT: output, RUNNER_TEMP: dir, npm_config_offline: 'true', ...(process.env['GRADECHECK_PYTHON'] ? { GRADECHECK_PYTHON: process.env['GRADECHECK_PYTHON'] } : {}), ...extraEnv };
    const done = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], { cwd, env });
    stdout += done.stdout;
    stderr += done.stderr;
  }
  // autograding-grading-reporter: <RUNNER>_RESULTS is the check step's output, base64 JSON; points are the sum.
  const reporter = steps.find((s) => s.uses?.startsWith('classroom-resources/autograding-grading-reporter@'))!;
  const runner = String(reporter.with?.['runners']);
  const step = steps.find((s) => s.id === runner)!;
  expect(reporter.env?.[`${runner.toUpperCase()}_RESULTS`]).toBe(`\${{ steps.${step.id}.outputs.result }}`);
  const encoded = /^result=(.*)$/m.exec(readFileSync(output, 'utf8'))?.[1] ?? '';
  const results = ClassroomResultsSchema.parse(JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')));
  return { code: results.status === 'pass' ? 0 : 1, stdout, stderr, results, points: results.tests.reduce((s, t) => s + t.score, 0) };
}

describe('gradecheck workflow (GitHub Classroom)', () => {
  it('uses real actions, installs Node 20, numpy and PyTorch, and checks the student\'s file on every push', () => {
    const { dir, workflow } = studentRepo('correct.py');
    expect(Object.keys(workflow.on)).toContain('push');
    const steps = workflow.jobs.check.steps;
    expect(steps.map((s) => s.uses).filter(Boolean)).toEqual(['actions/checkout@v4', 'actions/checkout@v4', 'actions/setup-node@v4', 'classroom-resources/autograding-grading-reporter@v1']);
    expect(steps[1]?.with).toMatchObject({ repository: 'course/gradecheck', ref: 'v0.1.0', path: GRADECHECK_CHECKOUT });
    expect(steps[2]?.with?.['node-version']).toBe(20);
    expect(steps.some((s) => /apt-get install .*python3-numpy python3-torch/.test(s.run ?? ''))).toBe(true);
    const check = steps.filter((s) => s.run?.includes('node bin/gradecheck.mjs check'));
    expect(check).toHaveLength(1);
    expect(check[0]?.run).toContain('$GITHUB_WORKSPACE/src/hw1.py');
    // The student release, not the staff assignment; and no secret.
    expect(readFileSync(path.join(dir, WORKFLOW_ASSIGNMENT), 'utf8')).toBe(studentAssignmentYaml(assignment));
    expect(readFileSync(path.join(dir, WORKFLOW_FILE), 'utf8')).not.toMatch(/secrets\.|token/);
  });

  it('its steps pass a correct submission and fail a buggy one with the mistake named', async () => {
    const correct = studentRepo('correct.py');
    const buggy = studentRepo('bug-missing-inv-tau.py');
    const [pass, fail] = await Promise.all([runSteps(correct.dir, correct.workflow.jobs.check.steps), runSteps(buggy.dir, buggy.workflow.jobs.check.steps)]);
    // Not graded is neither a pass nor a fail: say why (the steps' output) rather than compare points.
    for (const { results, stdout, stderr } of [pass, fail]) expect(results.status, `${results.tests.map((t) => t.message).join('\n')}\n${stdout}\n${stderr}`).not.toBe('error');
    expect(pass.code).toBe(0);
    expect(pass.results.max_score).toBe(5);
    expect(pass.points).toBe(5);
    expect(fail.results.status).toBe('fail');
    expect(fail.points).toBeLessThan(5);
    expect(pass.stdout).toMatch(/softmax-jacobian/);
    expect(pass.stdout).not.toMatch(/Jacobian without the 1\/tau factor/);
    expect(fail.code).toBe(1);
    expect(fail.stdout).toMatch(/Jacobian without the 1\/tau factor/);
  });

  it('--standalone: no gradecheck checkout or install; the self-check beside the assignment passes a correct submission and fails a buggy one, naming it', async () => {
    const repo = await standaloneRepo();
    const [correct, buggy] = [repo('correct.py'), repo('bug-missing-inv-tau.py')];
    const steps = correct.workflow.jobs.check.steps;
    expect(steps.map((s) => s.uses).filter(Boolean)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'classroom-resources/autograding-grading-reporter@v1']);
    expect(steps.some((s) => /npm (ci|install)/.test(s.run ?? ''))).toBe(false);
    const [pass, fail] = await Promise.all([runSteps(correct.dir, steps), runSteps(buggy.dir, buggy.workflow.jobs.check.steps)]);
    expect(pass.results.status, `${pass.stdout}\n${pass.stderr}`).toBe('pass');
    expect(pass.points).toBe(5);
    expect(fail.results.status).toBe('fail');
    expect(fail.points).toBeLessThan(5);
    expect(fail.stdout).toMatch(/Jacobian without the 1\/tau factor/);
  }, 300_000);

  it('a check that stops before writing its result still reports, as an error with no points', async () => {
    // A Node that dies at start stands for a check killed by the runner (out of memory, the job's timeout).
    const { dir, workflow } = studentRepo('correct.py');
    const killed = await runSteps(dir, workflow.jobs.check.steps, { NODE_OPTIONS: '--require /nonexistent-preload.cjs' });
    expect(killed.results.status).toBe('error');
    expect(killed.points).toBe(0);
    expect(killed.results.tests[0]?.message).toMatch(/not graded \(not your mistake\)/);
  });

  it('a check that cannot grade (an assignment it cannot read) reports the reason, not an empty result', async () => {
    const { dir, workflow } = studentRepo('correct.py');
    writeFileSync(path.join(dir, WORKFLOW_ASSIGNMENT), 'problems: [\n');
    const broken = await runSteps(dir, workflow.jobs.check.steps);
    expect(broken.results.status).toBe('error');
    expect(broken.results.tests[0]?.message).toMatch(/assignment|YAML/i);
  });
});
