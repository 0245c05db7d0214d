// Run by vitest before each test file (vitest.config.ts, setupFiles). vitest ends its worker processes without
// their 'exit' event, so the zygotes a file's grades kept (grader/zygote-pool.ts) are dropped after the file, with
// their stages, instead of waiting for grader/private-dirs.ts to sweep them an hour later.

import { afterAll, expect } from 'vitest';
import { dropKeptZygotes } from './zygote-pool.ts';

afterAll(dropKeptZygotes);

// The Python runners' coverage (grader/runner-coverage.ts, on under `vitest --coverage`) slows the traced processes:
// with a trace function set, CPython 3.11 runs every frame on its slower tracing path. So only the files written
// about the runners themselves (the wire, limits, attacks, restarts, the zygote, notebooks and their execution,
// bindings, imports) start a tracer; the files that grade whole homeworks many times over take the same paths in
// the runners and would mostly measure the tracer (bindings.spec.ts alone: 27 s untraced, 48 s traced). These
// reach 85% of the runners' lines (2026-12-07), against 87% with every file but the four heaviest traced.
const TRACED = [
  'grader/process-subject.spec.ts',
  'grader/batching.spec.ts',
  'grader/core-wait.spec.ts',
  'grader/hostile.spec.ts',
  'grader/resilience.spec.ts',
  'grader/sandbox.spec.ts',
  'grader/private-dirs.spec.ts',
  'grader/zygote.spec.ts',
  'grader/zygote-pool.spec.ts',
  'grader/runner-coverage.spec.ts',
  'grader/environment.spec.ts',
  'grader/matplotlib-fonts.spec.ts',
  'grader/imports.spec.ts',
  'grader/picked-file.spec.ts',
  'grader/bindings.spec.ts',
  'grader/notebook.spec.ts',
  'grader/execution/execution.spec.ts',
  'grader/execution/behaviour.spec.ts',
  'grader/execution/descent.spec.ts',
  'grader/execution/judge.spec.ts',
  'grader/execution/judge-init.spec.ts',
  'grader/execution/written.spec.ts',
];
const testFile = expect.getState().testPath ?? '';
if (!TRACED.some((file) => testFile.endsWith(`/${file}`))) delete process.env['GRADECHECK_PY_COVERAGE'];
