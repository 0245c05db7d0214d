// The grader's private directories (grader/private-dirs.ts): the first one a process makes removes those that a
// grader process killed outright left behind, an hour old; never a live process's, nor a fresh one (a grader in
// another PID namespace sharing /tmp may look dead from here).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { newStage } from './private-dirs.ts';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function leftBehind(pid: number, ageMs: number): string {
  const dir = path.join(os.tmpdir(), `gradecheck-stage-${pid}-test${made.length}`);
  mkdirSync(path.join(dir, 'gradecheck', 'submission'), { recursive: true });
  const when = (Date.now() - ageMs) / 1000;
  utimesSync(dir, when, when);
  made.push(dir);
  return dir;
}

it("removes a gone process's directories an hour old, and only those", () => {
  const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
  const old = leftBehind(gone, 2 * 3600_000);
  const fresh = leftBehind(gone, 60_000);
  const live = leftBehind(process.pid, 2 * 3600_000);
  const mine = newStage();
  made.push(mine);
  expect(path.basename(mine)).toMatch(new RegExp(`^gradecheck-stage-${process.pid}-`));
  expect([existsSync(old), existsSync(fresh), existsSync(live), existsSync(mine)]).toEqual([false, true, true, true]);
});
