// The test suite's coverage of grader/runners/*.py (bin/coverage-report.mjs). Under `vitest --coverage`,
// vitest.config.ts sets GRADECHECK_PY_COVERAGE to a folder. Each Python runner the grader starts then runs behind
// runners/line_coverage.py, which traces it, and gets a fresh file of that folder open as fd 7, where the lines it
// ran are appended. A file descriptor, not a path: the isolated child sees none of the grader's folders and runs
// under another uid. Unset, as in every real grade, nothing changes.

import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import type { StdioOptions } from 'node:child_process';

type StdioEntry = Extract<StdioOptions, unknown[]>[number];

/** The descriptor line_coverage.py writes to (3 to 6 are the protocol's and the zygote's). */
const PY_COVERAGE_FD = 7;

let opened = 0;

function coverageFolder(): string | undefined {
  return process.env['GRADECHECK_PY_COVERAGE'] || undefined;
}

/** What goes between the interpreter's flags and a runner's path: the tracer, under the suite's coverage. */
export function coverageBootstrap(runners: string): string[] {
  return coverageFolder() ? [path.join(runners, 'line_coverage.py')] : [];
}

/** A new coverage file, or none where this process cannot write one (a test runs the grader as another user). */
function openCoverageFile(folder: string): number | undefined {
  try {
    mkdirSync(folder, { recursive: true });
    return openSync(path.join(folder, `${process.pid}-${++opened}.jsonl`), 'a');
  } catch {
    return undefined;
  }
}

/**
 * Starts a Python runner with `start(stdio)`; under the suite's coverage, with a new coverage file as fd 7 (when
 * there is none, line_coverage.py runs the runner untraced). The grader's copy of the descriptor is closed once
 * the child has it.
 */
export function withPythonCoverage<T>(stdio: readonly StdioEntry[], start: (stdio: StdioOptions) => T): T {
  const folder = coverageFolder();
  const fd = folder === undefined ? undefined : openCoverageFile(folder);
  if (fd === undefined) return start([...stdio]);
  try {
    return start(Array.from({ length: PY_COVERAGE_FD + 1 }, (_, i): StdioEntry => (i === PY_COVERAGE_FD ? fd : (stdio[i] ?? 'ignore'))));
  } finally {
    closeSync(fd);
  }
}
