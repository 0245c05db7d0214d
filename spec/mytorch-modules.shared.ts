// Helpers of mytorch-softmax-ce shared by its checks (spec/mytorch-modules.suite.ts) and its named mistakes
// (spec/mytorch-modules.mistakes.ts), which must not import the suite.

import type { Matrix } from '../src/numeric.ts';

/** -sum_i log(exp(z_{i,y_i}) / sum_k exp(z_ik)) written out naively (fine for |z| <= 5). */
export const naiveCeSum = (logits: Matrix, Y: Matrix): number =>
  -logits.reduce((s, row, i) => s + Math.log(row.reduce((t, z, k) => t + Y[i]![k]! * Math.exp(z), 0) / row.reduce((t, z) => t + Math.exp(z), 0)), 0);
