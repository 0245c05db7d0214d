// Mutation score of reference/ (`npm run mutation`; not part of `npm test`): every mutant of a reference file
// must fail a spec test, or be documented as equivalent in docs/mutation.md. One file at a time (2 shared cores
// make the whole run long): `npm run mutation -- --mutate reference/box.ts`.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: ['reference/**/*.ts', '!reference/index.ts'],
  coverageAnalysis: 'perTest',
  concurrency: 2,
  timeoutMS: 60_000,
  // The first run (every spec file, with per-test coverage) takes minutes on 2 busy cores.
  dryRunTimeoutMinutes: 30,
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  tempDirName: '.stryker-tmp',
  thresholds: { high: 90, low: 80, break: null },
};
