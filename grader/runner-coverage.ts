// The test suite's coverage of the runners the submissions' processes run (bin/coverage-report.mjs): the Python
// runners (grader/runners/*.py) and the Node harness (grader/runners/harness.mjs). Under `vitest --coverage`,
// vitest.config.ts sets GRADECHECK_PY_COVERAGE and GRADECHECK_JS_COVERAGE to folders. Each runner the grader starts
// then runs behind its recorder (runners/line_coverage.py, which traces a Python runner; runners/harness_coverage.mjs,
// which takes V8's coverage of the Node harness) and gets a fresh file of its language's folder open as fd 7, where
// what it ran is appended. A file descriptor, not a path: the isolated child sees none of the grader's folders and
// runs under another uid. Unset, as in every real grade, nothing changes.

import { closeSync, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { StdioOptions } from 'node:child_process';
import { runnersDir } from './paths.ts';

type StdioEntry = Extract<StdioOptions, unknown[]>[number];

/** The descriptor the recorders write to (3 to 6 are the protocol's and the zygote's). */
const COVERAGE_FD = 7;

/** The Node harness's recorder, beside the harness wherever the harness is run from. */
export const NODE_RECORDER = 'harness_coverage.mjs';

let opened = 0;

function coverageFolder(language: 'python' | 'node'): string | undefined {
  return process.env[language === 'python' ? 'GRADECHECK_PY_COVERAGE' : 'GRADECHECK_JS_COVERAGE'] || undefined;
}

/** What goes between the interpreter's flags and a Python runner's path: the tracer, under the suite's coverage. */
export function coverageBootstrap(runners: string): string[] {
  return coverageFolder('python') ? [path.join(runners, 'line_coverage.py')] : [];
}

/**
 * What goes before the isolated sandbox's Node harness path: its recorder, run from `runners` (where the child finds
 * it), told the real harness file its records name; nothing but under the suite's coverage. (The scrubbed mode's
 * harness is not recorded: grader/child-launch.ts.)
 */
export function nodeCoverageImport(runners: string): string[] {
  if (!coverageFolder('node')) return [];
  const recorder = pathToFileURL(path.join(runners, NODE_RECORDER));
  recorder.searchParams.set('harness', pathToFileURL(path.join(runnersDir, 'harness.mjs')).href);
  return ['--import', recorder.href];
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
 * Starts a runner with `start(stdio)`; under the suite's coverage of its language, with a new coverage file as
 * fd 7 (when there is none, the recorder records nothing). The grader's copy of the descriptor is closed once the
 * child has it.
 */
export function withRunnerCoverage<T>(language: 'python' | 'node', stdio: readonly StdioEntry[], start: (stdio: StdioOptions) => T): T {
  const folder = coverageFolder(language);
  const fd = folder === undefined ? undefined : openCoverageFile(folder);
  if (fd === undefined) return start([...stdio]);
  try {
    return start(Array.from({ length: COVERAGE_FD + 1 }, (_, i): StdioEntry => (i === COVERAGE_FD ? fd : (stdio[i] ?? 'ignore'))));
  } finally {
    closeSync(fd);
  }
}
