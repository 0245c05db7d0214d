// The test run Stryker repeats for each mutant of reference/ (`npm run mutation`): the spec files (the suites on
// the reference, the kill matrix, the independent oracles) and two process-free grader tests. The grader's other
// tests run submissions in child processes and never import a mutated reference, so they would only slow each
// mutant down.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The spec files, and the grader's process-free tests of reference/layer-stack.ts (the stack an executed
    // notebook's model is run against: grader/execution/behaviour.ts).
    include: ['spec/**/*.spec.ts', 'grader/execution/behaviour.spec.ts', 'grader/execution/judge.spec.ts'],
    // Run at the lowest priority beside other work (docs/mutation.md), a training test can take minutes.
    testTimeout: 600_000,
  },
});
