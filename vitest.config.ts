import os from 'node:os';
import path from 'node:path';
import { defineConfig } from 'vitest/config';
import { choosePython } from './grader/python.ts';
import { SlowestFirst } from './vitest.sequencer.ts';

// With coverage on (npm test), the processes the tests start (the CLI, the batch's workers) write raw V8
// coverage here; bin/coverage-report.mjs joins it with the workers' own.
// The runners the submissions' processes run write what they ran to coverage/python (grader/runners/*.py) and
// coverage/harness-js (grader/runners/harness.mjs) (grader/runner-coverage.ts).
const coverage = (folder: string) => path.join(import.meta.dirname, 'coverage', folder);
const childCoverage = process.argv.includes('--coverage')
  ? { NODE_V8_COVERAGE: coverage('children'), GRADECHECK_PY_COVERAGE: coverage('python'), GRADECHECK_JS_COVERAGE: coverage('harness-js') }
  : undefined;

// The Python is chosen once for the run, as the grader would choose it here, and handed to every test file and
// every CLI a test starts: probing PATH costs about 0.4 s where python3 is a pyenv shim, paid again by each of
// them otherwise. The tests of the choice itself (grader/environment.spec.ts) give their own environment.
const python = { GRADECHECK_PYTHON: process.env['GRADECHECK_PYTHON'] || choosePython(process.env).executable };

export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts', 'grader/**/*.spec.ts'],
    setupFiles: ['grader/test-setup.ts'],
    // Property suites are CPU-bound; 2 cores on CI. Much of a grading test waits on the submission's process, so
    // two test files at a time use both cores where vitest's default (cores - 1) would leave one idle.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    testTimeout: 120_000,
    sequence: { sequencer: SlowestFirst },
    env: { ...python, ...childCoverage },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts', 'reference/**/*.ts', 'grader/**/*.ts'],
      exclude: ['**/*.spec.ts'],
      reporter: ['text-summary', 'text', 'json'],
      // grader/ runs largely in child processes: its lines are held by bin/coverage-report.mjs, children included.
      thresholds: { 'src/**/*.ts': { lines: 90, functions: 90, statements: 90, branches: 80 }, 'reference/**/*.ts': { lines: 90, functions: 90, statements: 90, branches: 80 } },
    },
  },
});
