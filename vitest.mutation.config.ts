// The test run Stryker repeats for each mutant of reference/ (`npm run mutation`): the spec files (the suites on
// the reference, the kill matrix, the independent oracles) and two process-free grader tests. The grader's other
// tests run submissions in child processes and never import a mutated reference, so they would only slow each
// mutant down.
import { defineConfig } from 'vitest/config';

// GRADECHECK_MUTATION_SPECS (comma-separated globs) narrows the run to the spec files that test the files mutated:
// the training references' dry run over every spec file takes most of an hour on two cores. A mutant only the
// left-out files would kill counts as surviving, so the narrowed score is a lower bound.
const narrowed = process.env['GRADECHECK_MUTATION_SPECS']?.split(',').filter((s) => s !== '');

export default defineConfig({
  test: {
    // The spec files, and the grader's process-free tests of reference/layer-stack.ts (the stack an executed
    // notebook's model is run against: grader/execution/behaviour.ts).
    include: narrowed ?? ['spec/**/*.spec.ts', 'grader/execution/behaviour.spec.ts', 'grader/execution/judge.spec.ts'],
    // Run at the lowest priority beside other work (docs/mutation.md), a training test can take minutes.
    testTimeout: 600_000,
  },
});
