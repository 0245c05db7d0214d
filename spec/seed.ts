// The seed of the test run: fixed on CI, overridable to explore (GRADECHECK_SEED=123 npm test).
// Every failure message prints the per-check seed and path that replay it.

export const TEST_SEED = Number(process.env['GRADECHECK_SEED'] || 20261122);
