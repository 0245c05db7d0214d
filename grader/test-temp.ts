// Temporary folders for the tests, removed after the test file that made them, a test that failed halfway included.
// (Not on the process's exit: vitest ends its workers without it.)

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];
// Registered as the test file imports this module: vitest evaluates it afresh for each file.
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh folder `gradecheck-<purpose>-XXXXXX` in the machine's temp dir, removed after the test file. */
export function testTempDir(purpose: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `gradecheck-${purpose}-`));
  made.push(dir);
  return dir;
}
