// The Huber references' argument errors, each by its message (Stryker's survivors on huber.ts: blanked argument
// names in the messages passed every test that only expected some error).

import { describe, expect, it } from 'vitest';
import { huberFit, huberGrad, huberLoss } from '../../reference/huber.ts';

const X = [
  [1, 0],
  [0, 1],
  [1, 1],
];
const y = [1, 2, 3];

describe('huber references refuse bad arguments, naming the argument', () => {
  it.each([
    ['huberLoss', () => huberLoss([0, 0], [[1, 0]], y, 1), /^X must have 3 rows, got 1$/],
    ['huberLoss', () => huberLoss([0, 0, 0], X, y, 1), /^w must have length 2, got 3$/],
    ['huberLoss', () => huberLoss([0, 0], X, y, 0), /^delta must be /],
    ['huberGrad', () => huberGrad([0], X, y, 1), /^w must have length 2, got 1$/],
    ['huberGrad', () => huberGrad([0, 0], X, y, -1), /^delta must be /],
    ['huberFit', () => huberFit([[1, 0]], y, 1), /^X must have 3 rows, got 1$/],
    ['huberFit', () => huberFit(X, y, 0), /^delta must be /],
  ])('%s', (_name, call, message) => {
    expect(call).toThrow(message);
  });

  it('a valid call among them answers', () => {
    expect(huberLoss([0, 0], X, y, 1)).toBeCloseTo(0.5 + 1.5 + 2.5, 12);
  });
});
