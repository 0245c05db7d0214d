// ||X||_F^2, shared by spec/huber.suite.ts (the scales of huber-fit's tolerances) and spec/huber.mistakes.ts (the
// step size of the stops-early mistake).

import { type Matrix, dot } from '../src/numeric.ts';

export function frobenius2(X: Matrix): number {
  return X.reduce((s, xi) => s + dot(xi, xi), 0);
}
