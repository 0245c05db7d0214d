// The index of a row's largest entry (the first on a tie): shared by metrics' quadrant inputs (spec/metrics.suite.ts)
// and its named mistake quadrants-inclusive-thresholds (spec/metrics.mistakes.ts).

export const argmax = (row: readonly number[]): number => row.reduce((best, v, i) => (v > row[best]! ? i : best), 0);
