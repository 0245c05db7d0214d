// Helpers of batchnorm shared by its checks (spec/batchnorm.suite.ts) and its named mistakes
// (spec/batchnorm.mistakes.ts), which must not import the suite.

import type { Matrix, Vector } from '../src/numeric.ts';

export const sumColumns = (m: Matrix): Vector => m[0]!.map((_, j) => m.reduce((s, row) => s + row[j]!, 0));
