// Run by vitest before each test file (vitest.config.ts, setupFiles). vitest ends its worker processes without
// their 'exit' event, so the zygotes a file's grades kept (grader/zygote-pool.ts) are dropped after the file, with
// their stages, instead of waiting for grader/private-dirs.ts to sweep them an hour later.

import { afterAll } from 'vitest';
import { dropKeptZygotes } from './zygote-pool.ts';

afterAll(dropKeptZygotes);
