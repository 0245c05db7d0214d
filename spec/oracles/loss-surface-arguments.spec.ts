// The loss-surface reference (seed 004's P3) at the edges of what it accepts, each error by its message, and
// np.linspace's exact values. Found by Stryker (docs/mutation.md): the PCA's size and rank checks, classesOf's and
// linspace's last point could be changed without a test failing, the suite's cases being well inside them.

import { describe, expect, it } from 'vitest';
import { classesOf, linearClassifierLoss, linspace, trajectoryPca } from '../../reference/loss-surface.ts';

describe('trajectoryPca', () => {
  it.each([
    ['2 vectors', [[0, 1], [1, 0]], /^a trajectory of at least 3 vectors of at least 2 parameters is needed, got 2 x 2/],
    ['1 parameter', [[0], [1], [3]], /^a trajectory of at least 3 vectors of at least 2 parameters is needed, got 3 x 1/],
    ['2 vectors of 5 parameters', [[0, 1, 2, 3, 4], [1, 0, 0, 0, 0]], /got 2 x 5/],
    ['the same point 3 times', [[1, 2], [1, 2], [1, 2]], /^the trajectory does not span two directions/],
    ['not a matrix', [], /^trajectory must be a non-empty matrix/],
  ])('%s', (_, trajectory, message) => {
    expect(() => trajectoryPca(trajectory)).toThrow(message);
  });

  it('accepts the smallest trajectory, 3 vectors of 2 parameters, and finds both directions', () => {
    const pca = trajectoryPca([[0, 0], [2, 0], [0, 1]]);
    expect(pca.mean).toEqual([2 / 3, 1 / 3]);
    // Orthonormal directions whose coordinates reproduce the centred points.
    const [v1, v2] = pca.components;
    expect(v1[0]! * v2[0]! + v1[1]! * v2[1]!).toBeCloseTo(0, 14);
    pca.coordinates.forEach(([a, b], t) => {
      const point = [[0, 0], [2, 0], [0, 1]][t]!;
      expect(pca.mean[0]! + a! * v1[0]! + b! * v2[0]!).toBeCloseTo(point[0]!, 14);
      expect(pca.mean[1]! + a! * v1[1]! + b! * v2[1]!).toBeCloseTo(point[1]!, 14);
    });
  });
});

describe('classesOf and the loss', () => {
  it('k = p / (d + 1) must be a whole number of at least 1', () => {
    expect(classesOf(3, 2)).toBe(1); // Linear(2, 1): the smallest
    expect(classesOf(9, 2)).toBe(3);
    expect(() => classesOf(7, 2)).toThrow(/^7 parameters are no Linear\(2, k\): k d \+ k parameters are needed/);
    expect(() => classesOf(0, 2)).toThrow(/^0 parameters are no Linear\(2, k\)/);
  });

  it('names the data it cannot use', () => {
    expect(() => linearClassifierLoss([0, 0, 0], [], [])).toThrow(/^X must be a non-empty matrix/);
    expect(() => linearClassifierLoss([0, 0, 0], [[1, 2]], [0, 1])).toThrow(/^y must /);
  });
});

describe('linspace, as np.linspace', () => {
  it('ends exactly at hi, and steps (hi - lo) / (n - 1)', () => {
    // -1.3 + 4.2 is 2.9000000000000004 in float64 (np.linspace(-1.3, 2.9, 3) is [-1.3, 0.8, 2.9]): the end point
    // is hi itself, not lo plus the span.
    expect(linspace(-1.3, 2.9, 3)).toEqual([-1.3, 0.8, 2.9]);
    expect(linspace(0.15, 0.45, 2)).toEqual([0.15, 0.45]);
    expect(linspace(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});
