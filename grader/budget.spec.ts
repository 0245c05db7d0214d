// The bounded cost of a hostile submission: once its total time (total_time_ms) is used up, the checks left are
// not run and say so (`not_run`); a call in progress when it runs out is stopped; the visible and the hidden
// checks' processes share one total. Without the cap, every check of a submission that loops forever costs a
// call time limit and a restart.

import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAssignment } from './assignment.ts';
import { grade } from './grade.ts';

const root = path.join(import.meta.dirname, '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-budget-'));
const CALL_TIMEOUT_MS = 1500;
const TOTAL_TIME_MS = 4000;
const YAML = [
  'name: a submission that loops forever',
  'seed: 20261201',
  `limits: { call_timeout_ms: ${CALL_TIMEOUT_MS}, total_time_ms: ${TOTAL_TIME_MS} }`,
  'problems:',
  '  - id: softmax-temperature',
  '    points: 6',
  '    checks: { shift-invariant: { visibility: hidden } }',
  '  - id: softmax-jacobian',
  '    points: 4',
  '    checks: { symmetric-psd: { visibility: hidden } }',
].join('\n');
const file = path.join(tmp, 'loops.yaml');
writeFileSync(file, YAML);

describe('the total time of a submission', () => {
  it('caps a submission that loops in every function: the checks left are not run, and the report says so', async () => {
    const started = Date.now();
    const report = await grade({ assignment: parseAssignment(YAML, file), submission: path.join(root, 'fixtures', 'submissions', 'protocol', 'loops-everywhere.py') });
    const wall = Date.now() - started;
    expect(report.ungradable).toBeUndefined();
    expect(report.score).toBe(0);
    const checks = report.problems.flatMap((p) => p.checks.map((c) => c.result));
    const codes = checks.map((c) => c.failure?.code);
    // Two call limits fit in the total (each plus a restart): then nothing more is called.
    expect(codes.filter((c) => c === 'timeout').length).toBeGreaterThanOrEqual(1);
    expect(codes.filter((c) => c === 'timeout').length).toBeLessThanOrEqual(Math.ceil(TOTAL_TIME_MS / CALL_TIMEOUT_MS));
    expect(codes.every((c) => c === 'timeout' || c === 'not_run')).toBe(true);
    const notRun = checks.filter((c) => c.failure?.code === 'not_run');
    expect(notRun.length).toBeGreaterThan(0);
    expect(notRun.every((c) => /^the submission used up its total time limit of 4000 ms/.test(c.failure!.message))).toBe(true);
    // The hidden checks' process got what the visible one left: nothing, so none of them was called.
    const hidden = checks.filter((c) => c.check === 'shift-invariant' || c.check === 'symmetric-psd');
    expect(hidden.map((c) => c.failure?.code)).toEqual(['not_run', 'not_run']);
    // Without the cap: one call limit and a restart per check, 11 checks. With it: the total, the processes' first
    // starts and the grader's own work (a margin for a loaded machine, far below the uncapped cost).
    expect(wall).toBeLessThan(TOTAL_TIME_MS + 8000);
  }, 60_000);
});

describe('the restart allowance of a submission', () => {
  it('is per problem: a function that kills its process on every call costs its own problem, not the next one', async () => {
    // os-exit.py's softmax exits on every call: each of softmax-temperature's checks costs a restart, more than
    // the allowance of 2 given here. softmax_jacobian is correct and must keep every point.
    const yaml = ['name: restarts', 'seed: 7', 'problems:', '  - { id: softmax-temperature, points: 6 }', '  - { id: softmax-jacobian, points: 4 }'].join('\n');
    const report = await grade({ assignment: parseAssignment(yaml, path.join(tmp, 'restarts.yaml')), submission: path.join(root, 'fixtures', 'submissions', 'hostile', 'os-exit.py'), limits: { maxRestarts: 2 } });
    const [temperature, jacobian] = report.problems;
    expect(temperature!.score).toBe(0);
    expect(temperature!.checks.filter((c) => !c.result.passed).length).toBeGreaterThan(2);
    expect(jacobian!.checks.map((c) => c.result.failure?.message)).toEqual(jacobian!.checks.map(() => undefined));
    expect(jacobian!.score).toBe(4);
  });
});
