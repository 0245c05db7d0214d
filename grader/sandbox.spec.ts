// What the isolated child gets to see beside its submission (grader/sandbox.ts): the helper modules and data
// files next to it and matplotlib's font list, but never the assignment, and nothing else when the folder
// holds other students' files.

import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isolatedLaunch, withParentDeathSignal } from './sandbox.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-sandbox-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function staged(dir: string, options: Parameters<typeof isolatedLaunch>[5] = {}): string[] {
  const stage = mkdtempSync(path.join(tmp, 'stage-'));
  isolatedLaunch('python', path.join(dir, 'hw.py'), '/usr/bin/python3', { memoryMb: 256 }, stage, options);
  return readdirSync(path.join(stage, 'gradecheck', 'submission')).sort();
}

describe('the isolated child\'s copy of the submission', () => {
  it('takes the helper modules and data files beside it, not other files', () => {
    const dir = mkdtempSync(path.join(tmp, 'student-'));
    for (const f of ['hw.py', 'helpers.py', 'weights.npy', 'notes.md', 'secret.yaml']) writeFileSync(path.join(dir, f), '# x\n');
    expect(staged(dir)).toEqual(['helpers.py', 'hw.py', 'weights.npy']);
  });

  it('takes the file alone when its folder holds other students\' files', () => {
    const dir = mkdtempSync(path.join(tmp, 'class-'));
    for (const f of ['hw.py', 'bob.py']) writeFileSync(path.join(dir, f), '# x\n');
    expect(staged(dir, { fileOnly: true })).toEqual(['hw.py']);
  });

  it('takes the file alone when the assignment lies beside it (its hidden checks stay hidden)', () => {
    const dir = mkdtempSync(path.join(tmp, 'staff-'));
    for (const f of ['hw.py', 'helpers.py', 'hw1.json']) writeFileSync(path.join(dir, f), '# x\n');
    expect(staged(dir, { assignmentFile: path.join(dir, 'hw1.json') })).toEqual(['hw.py']);
  });

  it('takes matplotlib\'s font list beside the harness, readable, and goes on without it when it is gone', () => {
    const dir = mkdtempSync(path.join(tmp, 'fonts-'));
    writeFileSync(path.join(dir, 'hw.py'), '# x\n');
    const list = path.join(tmp, 'fontlist-v330.json');
    writeFileSync(list, '{}');
    const stage = mkdtempSync(path.join(tmp, 'stage-'));
    expect(isolatedLaunch('python', path.join(dir, 'hw.py'), '/usr/bin/python3', { memoryMb: 256 }, stage, { fontList: list }).fontList).toBe('/gradecheck/fontlist-v330.json');
    expect(statSync(path.join(stage, 'gradecheck', 'fontlist-v330.json')).mode & 0o777).toBe(0o644);
    const missing = isolatedLaunch('python', path.join(dir, 'hw.py'), '/usr/bin/python3', { memoryMb: 256 }, mkdtempSync(path.join(tmp, 'stage-')), { fontList: path.join(tmp, 'fontlist-v1.json') });
    expect(missing.fontList).toBeUndefined();
  });

  it('makes a child die with its parent where setpriv exists', () => {
    const { cmd, args } = withParentDeathSignal('/bin/true', ['x']);
    if (cmd === '/usr/bin/setpriv') expect(args).toEqual(['--pdeathsig', 'SIGKILL', '--', '/bin/true', 'x']);
    else expect({ cmd, args }).toEqual({ cmd: '/bin/true', args: ['x'] });
  });
});
