// The metrics references of seed 000 Q4.3 and Q4.4 (reference/metrics.ts) refuse what scikit-learn and numpy
// would not count, by message. Found by Stryker (docs/mutation.md): the golden values of sklearn-metrics.spec.ts
// are all valid inputs, so every argument check could be emptied, inverted or blanked without a test failing.
// Each bad argument sits among good ones (one label of k among 0..k-1, one negative count), so a check that
// looks only at the first entry, or asks that every entry be bad, is caught too.

import { describe, expect, it } from 'vitest';
import { confidenceQuadrants, confusionMatrix, precisionRecall } from '../../reference/metrics.ts';

describe('confusion_matrix(y_true, y_pred, k)', () => {
  it.each([
    ['k = 0', () => confusionMatrix([0], [0], 0), /^k must be a positive integer, got 0$/],
    ['k = 2.5', () => confusionMatrix([0], [0], 2.5), /^k must be a positive integer, got 2\.5$/],
    ['a true label equal to k', () => confusionMatrix([0, 1, 2], [0, 1, 1], 2), /^y_true must hold class indices in \[0, 2\)$/],
    ['a negative true label', () => confusionMatrix([0, -1], [0, 1], 2), /^y_true must hold class indices in \[0, 2\)$/],
    ['a fractional true label', () => confusionMatrix([1, 0.5], [0, 1], 2), /^y_true must hold class indices in \[0, 2\)$/],
    ['a predicted label equal to k', () => confusionMatrix([0, 1], [1, 2], 2), /^y_pred must hold class indices in \[0, 2\)$/],
    ['fewer predictions than labels', () => confusionMatrix([0, 1, 1], [0, 1], 2), /^y_pred must have length 3, got 2$/],
    ['labels that are not numbers', () => confusionMatrix(['a'] as unknown as number[], [0], 2), /^y_true must be a vector of numbers$/],
  ])('refuses %s', (_case, call, message) => {
    expect(call).toThrow(message);
  });

  it('counts the last class, k - 1', () => {
    expect(confusionMatrix([1, 1, 0], [1, 0, 0], 2)).toEqual([
      [1, 0],
      [1, 1],
    ]);
  });
});

describe('precision and recall from a confusion matrix', () => {
  it.each([
    ['a negative count among others', () => precisionRecall([[3, 1], [-1, 2]]), /^cm must hold non-negative counts$/],
    ['a NaN count', () => precisionRecall([[3, Number.NaN], [0, 2]]), /^cm must hold non-negative counts$/],
    ['a matrix that is not square', () => precisionRecall([[1, 2, 3], [4, 5, 6]]), /^cm must have 2 columns, got 3$/],
  ])('refuses %s', (_case, call, message) => {
    expect(call).toThrow(message);
  });
});

describe('confidence_quadrants(probs, y_true)', () => {
  const probs = [
    [0.95, 0.03, 0.02],
    [0.2, 0.5, 0.3],
  ];
  it.each([
    ['fewer probability rows than labels', () => confidenceQuadrants(probs, [0, 1, 2]), /^probs must have 3 rows, got 2$/],
    ['a label equal to the number of classes', () => confidenceQuadrants(probs, [0, 3]), /^y_true must hold class indices in \[0, 3\)$/],
  ])('refuses %s', (_case, call, message) => {
    expect(call).toThrow(message);
  });
});
