// Run by vitest before each test file (vitest.config.ts, setupFiles). vitest ends its worker processes without
// their 'exit' event, so the zygotes a file's grades kept (grader/zygote-pool.ts) are dropped after the file, with
// their stages, instead of waiting for grader/private-dirs.ts to sweep them an hour later.

import { afterAll, expect } from 'vitest';
import { dropKeptZygotes } from './zygote-pool.ts';

afterAll(dropKeptZygotes);

// The Python runners' coverage (grader/python-coverage.ts, on under `vitest --coverage`) slows the traced processes:
// with a trace function set, CPython 3.11 runs every frame on its slower tracing path (a notebook's cells run
// untraced, but a function check's calls of torch code do not). These files grade whole homeworks many times over
// and start no tracer: the runners' paths they take, the other grading files take too (docs/how-it-works.md).
// mytorch.spec.ts calls the numpy layers of whole student packages: traced, it took 35 s to 52-60 s.
const UNTRACED = ['grader/handout.spec.ts', 'grader/execution/executed-seeds.spec.ts', 'grader/grade.spec.ts', 'grader/mytorch.spec.ts'];
const testFile = expect.getState().testPath ?? '';
if (UNTRACED.some((file) => testFile.endsWith(`/${file}`))) delete process.env['GRADECHECK_PY_COVERAGE'];
