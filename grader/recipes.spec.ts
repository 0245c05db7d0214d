// The distributed recipes of docs/recipes/ run as their engines would run them: the environment each engine
// sets for a task (Kubernetes' JOB_COMPLETION_INDEX, Slurm's SLURM_ARRAY_*, GitHub's strategy.job-index /
// job-total) is simulated, the recipe's own command runs verbatim (`npx gradecheck` resolves to this
// checkout's bin through a shim on PATH), and the merged gradebook must equal one unsharded batch's, whose
// scores are the assignment's (computed from its points, not copied from a run).

import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { problems } from '../spec/registry.ts';
import { loadAssignment } from './assignment.ts';
import { runBatch } from './batch.ts';
import { ShardEnvError, shardFromEnv } from './shards.ts';
import { testTempDir } from './test-temp.ts';

const run = promisify(execFile);
const root = path.join(import.meta.dirname, '..');
const recipes = path.join(root, 'docs', 'recipes');

describe('shardFromEnv (--shard auto)', () => {
  it('reads each engine\'s variables', () => {
    expect(shardFromEnv({ JOB_COMPLETION_INDEX: '2', GRADECHECK_SHARD_COUNT: '4' })).toEqual({ index: 2, count: 4, source: 'JOB_COMPLETION_INDEX' });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '0' })).toMatchObject({ index: 3, count: 4 });
    // An array 1-4 (or 10-40:10) still gives the slices 0..3.
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '1' })).toMatchObject({ index: 0, count: 4 });
    expect(shardFromEnv({ SLURM_ARRAY_TASK_ID: '30', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_STEP: '10' })).toMatchObject({ index: 2, count: 4 });
    expect(shardFromEnv({ GRADECHECK_SHARD_INDEX: '0', GRADECHECK_SHARD_COUNT: '1', SLURM_ARRAY_TASK_ID: '5' })).toMatchObject({ index: 0, count: 1, source: 'GRADECHECK_SHARD_INDEX' });
  });

  it('refuses what would grade the wrong slice', () => {
    expect(() => shardFromEnv({})).toThrow(ShardEnvError);
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '0' })).toThrow(/GRADECHECK_SHARD_COUNT/);
    expect(() => shardFromEnv({ JOB_COMPLETION_INDEX: '4', GRADECHECK_SHARD_COUNT: '4' })).toThrow(/not below/);
    expect(() => shardFromEnv({ GRADECHECK_SHARD_INDEX: 'x', GRADECHECK_SHARD_COUNT: '2' })).toThrow(/non-negative integer/);
    expect(() => shardFromEnv({ SLURM_ARRAY_TASK_ID: '15', SLURM_ARRAY_TASK_COUNT: '4', SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_STEP: '10' })).toThrow(/grid/);
  });
});

describe('recipes', () => {
  // A small class: a correct student, one with a priced mistake, one who submitted nothing.
  const data = testTempDir('recipes');
  const assignmentFile = path.join(data, 'hw1.yaml');
  writeFileSync(
    assignmentFile,
    ['name: "recipes"', 'seed: 11', 'problems:', '  - id: softmax-temperature', '    points: 2', '  - id: softmax-jacobian', '    points: 3', '    mistakes:', '      missing-inv-tau: { deduct: 1 }', ''].join('\n'),
  );
  const assignment = loadAssignment(assignmentFile);
  const students: Record<string, string | undefined> = { alice: 'correct.py', bob: 'bug-missing-inv-tau.py', carol: undefined };
  for (const [id, file] of Object.entries(students)) {
    mkdirSync(path.join(data, 'submissions', id), { recursive: true });
    if (file) copyFileSync(path.join(root, 'fixtures', 'submissions', 'softmax', file), path.join(data, 'submissions', id, 'hw1.py'));
  }
  const expected = (file: string) => {
    const bug = /^bug-(.+)\.py$/.exec(file)?.[1];
    return assignment.problems.reduce((s, p) => s + p.points - (bug && problems[p.id].mistakes.some((m) => m.id === bug) ? (p.mistakes[bug]?.deduct ?? p.points) : 0), 0);
  };

  // `npx gradecheck ...` as the recipes write it, resolved to this checkout (what `npm ci` in the image does).
  const bin = path.join(data, 'bin');
  mkdirSync(bin);
  writeFileSync(path.join(bin, 'npx'), `#!/bin/sh\n[ "$1" = gradecheck ] || exit 127\nshift\nexec "${process.execPath}" "${path.join(root, 'bin', 'gradecheck.mjs')}" "$@"\n`);
  chmodSync(path.join(bin, 'npx'), 0o755);
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  const baseEnv = { PATH: `${bin}:${process.env['PATH'] ?? '/usr/bin:/bin'}`, HOME: data, ...(process.env['GRADECHECK_PYTHON'] ? { GRADECHECK_PYTHON: process.env['GRADECHECK_PYTHON'] } : {}) };
  const sh = (script: string, env: Record<string, string>, cwd: string) => run('bash', ['-e', '-c', script], { cwd, env: { ...baseEnv, ...env } });

  const baseline = (async () => {
    const out = path.join(data, 'baseline');
    await runBatch({ assignment, submissionsDir: path.join(data, 'submissions'), outDir: out, jobs: 2 });
    return readFileSync(path.join(out, 'gradebook.csv'), 'utf8');
  })();

  it('one unsharded batch gives the assignment\'s scores', async () => {
    expect(pkg.bin['gradecheck']).toBe('./bin/gradecheck.mjs');
    const rows = Object.fromEntries((await baseline).trim().split('\n').slice(1).map((l) => [l.split(',')[0], l.split(',')]));
    expect(Number(rows['alice']?.[4])).toBeCloseTo(expected('correct.py'), 6);
    expect(Number(rows['bob']?.[4])).toBeCloseTo(expected('bug-missing-inv-tau.py'), 6);
    expect(expected('bug-missing-inv-tau.py')).toBeLessThan(expected('correct.py'));
    expect(rows['carol']?.at(-1)).toMatch(/^error: no source file/);
  });

  it('Kubernetes Indexed Job: the shards of `completions` pods merge into the same gradebook', async () => {
    type Container = { command: string[]; env?: { name: string; value: string }[]; workingDir: string };
    type JobDoc = { spec: { completionMode?: string; completions?: number; template: { spec: { containers: Container[] } } } };
    const job = parseYaml(readFileSync(path.join(recipes, 'k8s-indexed-job.yaml'), 'utf8')) as JobDoc;
    const merge = parseAllDocuments(readFileSync(path.join(recipes, 'k8s-merge-job.yaml'), 'utf8'))[0]!.toJS() as JobDoc;
    expect(job.spec.completionMode).toBe('Indexed');
    const completions = job.spec.completions!;
    const container = job.spec.template.spec.containers[0]!;
    const env = Object.fromEntries((container.env ?? []).map((e) => [e.name, e.value]));
    expect(Number(env['GRADECHECK_SHARD_COUNT'])).toBe(completions);
    // The pod's volume mount /data is the temp dir; the image's /opt/gradecheck is this checkout.
    const inPod = (c: Container) => {
      expect(c.command.slice(0, 2)).toEqual(['sh', '-c']);
      expect(c.workingDir).toBe('/opt/gradecheck');
      return c.command[2]!.replaceAll('/data/', `${data}/k8s/`).replaceAll('/data ', `${data}/k8s `);
    };
    cpSync(path.join(data, 'submissions'), path.join(data, 'k8s', 'submissions'), { recursive: true });
    copyFileSync(assignmentFile, path.join(data, 'k8s', 'hw1.yaml'));
    await Promise.all(Array.from({ length: completions }, (_, i) => sh(inPod(container), { ...env, JOB_COMPLETION_INDEX: String(i) }, root)));
    await sh(inPod(merge.spec.template.spec.containers[0]!), {}, root);
    expect(readFileSync(path.join(data, 'k8s', 'out', 'merged', 'gradebook.csv'), 'utf8')).toBe(await baseline);
  });

  it('Slurm array: the tasks of --array merge into the same gradebook', async () => {
    const script = path.join(recipes, 'slurm-array.sbatch');
    const m = /^#SBATCH --array=(\d+)-(\d+)$/m.exec(readFileSync(script, 'utf8'));
    expect(m).not.toBeNull();
    const [min, max] = [Number(m![1]), Number(m![2])];
    const env = { GRADECHECK_DIR: root, ASSIGNMENT: assignmentFile, SUBMISSIONS: path.join(data, 'submissions'), OUT: path.join(data, 'slurm') };
    const tasks = Array.from({ length: max - min + 1 }, (_, i) => min + i);
    const slurm = (id: number) => ({ SLURM_ARRAY_JOB_ID: '77', SLURM_ARRAY_TASK_ID: String(id), SLURM_ARRAY_TASK_MIN: String(min), SLURM_ARRAY_TASK_MAX: String(max), SLURM_ARRAY_TASK_COUNT: String(tasks.length), SLURM_CPUS_PER_TASK: '1' });
    await Promise.all(tasks.map((id) => run('bash', [script], { cwd: data, env: { ...baseEnv, ...env, ...slurm(id) } })));
    // The merge job: `sbatch --array=0 --dependency=afterany:$jid slurm-array.sbatch merge`.
    await run('bash', [script, 'merge'], { cwd: data, env: { ...baseEnv, ...env, SLURM_ARRAY_TASK_ID: '0', SLURM_ARRAY_TASK_COUNT: '1' } });
    expect(readFileSync(path.join(data, 'slurm', 'merged', 'gradebook.csv'), 'utf8')).toBe(await baseline);
  });

  it('GitHub Actions matrix: the matrix jobs and the merge job give the same gradebook', async () => {
    type Step = { name?: string; uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, string> };
    type Workflow = { env: Record<string, string>; jobs: Record<string, { needs?: string; strategy?: { matrix: { shard: number[] } }; steps: Step[] }> };
    const wf = parseYaml(readFileSync(path.join(recipes, 'github-actions-matrix.yml'), 'utf8')) as Workflow;
    const total = wf.jobs['grade']!.strategy!.matrix.shard.length;
    expect(wf.jobs['merge']!.needs).toBe('grade');
    // The course's grading repository: the assignment and the submissions where the workflow's env says.
    const repo = path.join(data, 'gh');
    mkdirSync(path.dirname(path.join(repo, wf.env['ASSIGNMENT']!)), { recursive: true });
    copyFileSync(assignmentFile, path.join(repo, wf.env['ASSIGNMENT']!));
    symlinkSync(path.join(data, 'submissions'), path.join(repo, wf.env['SUBMISSIONS']!));
    const expand = (text: string, index: number) => text.replaceAll('${{ strategy.job-index }}', String(index)).replaceAll('${{ strategy.job-total }}', String(total));
    const expandAll = (o: Record<string, string> | undefined, index: number) => Object.fromEntries(Object.entries(o ?? {}).map(([k, v]) => [k, expand(String(v), index)]));
    const gradecheckSteps = (job: string) => wf.jobs[job]!.steps.filter((s) => s.run?.includes('npx gradecheck'));
    const artifacts = (job: string, action: string) => wf.jobs[job]!.steps.filter((s) => s.uses?.startsWith(action));
    expect(gradecheckSteps('grade')).toHaveLength(1);
    expect(gradecheckSteps('merge')).toHaveLength(1);
    const upload = artifacts('grade', 'actions/upload-artifact@')[0]!;
    const download = artifacts('merge', 'actions/download-artifact@')[0]!;
    await Promise.all(
      Array.from({ length: total }, async (_, index) => {
        // GitHub's ubuntu runners: a fresh checkout per matrix job.
        const job = path.join(data, `gh-job-${index}`);
        cpSync(repo, job, { recursive: true, verbatimSymlinks: true });
        for (const step of gradecheckSteps('grade')) await sh(expand(step.run!, index), { ...wf.env, ...expandAll(step.env, index) }, job);
        // upload-artifact `name` from `path`; download-artifact with a pattern puts each under path/name.
        const up = expandAll(upload.with, index);
        cpSync(path.join(job, up['path']!), path.join(repo, download.with!['path']!, up['name']!), { recursive: true });
      }),
    );
    for (const step of gradecheckSteps('merge')) await sh(step.run!, wf.env, repo);
    expect(readFileSync(path.join(repo, 'out', 'merged', 'gradebook.csv'), 'utf8')).toBe(await baseline);
  });
});
