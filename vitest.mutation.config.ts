// The test run Stryker repeats for each mutant of reference/ (`npm run mutation`): the spec files only (the
// suites on the reference, the kill matrix, the independent oracles). The grader's tests run submissions in child
// processes and never import a mutated reference, so they would only slow each mutant down.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts'],
    testTimeout: 120_000,
  },
});
