// The grader's private directories in the machine's temp dir (a grade's staged files, a sandbox's root), named for
// the grader process that made them, so that those a killed process left behind can be found and removed.

import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Named for the grader process that made them: `gradecheck-stage-PID-XXXXXX`. */
const STAGE = /^gradecheck-stage-(\d+)-/;
/** A stage left this long by a process that is gone is not another PID namespace's grade in progress. */
const STALE_MS = 60 * 60 * 1000;
let swept = false;

/**
 * A fresh private directory for a grade's files and processes (a stage: the sandbox's root). The first one a
 * process makes removes those of grader processes gone for an hour: one killed outright (a test runner's worker, a
 * batch worker past its limit) never removed its grade's directories nor its kept zygotes' stages.
 */
export function newStage(): string {
  if (!swept) {
    swept = true;
    for (const name of readdirSync(os.tmpdir())) {
      const pid = STAGE.exec(name)?.[1];
      const dir = path.join(os.tmpdir(), name);
      if (pid !== undefined && !alive(Number(pid)) && stale(dir)) rmSync(dir, { recursive: true, force: true });
    }
  }
  return mkdtempSync(path.join(os.tmpdir(), `gradecheck-stage-${process.pid}-`));
}

function stale(dir: string): boolean {
  try {
    return Date.now() - statSync(dir).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
