import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matrixOf } from '../../src/arbitraries.ts';
import * as N from '../../src/numeric.ts';
import { TEST_SEED } from '../seed.ts';

describe('vector and matrix helpers', () => {
  it('compute the basic operations', () => {
    expect(N.zeros(2)).toEqual([0, 0]);
    expect(N.identity(2)).toEqual([[1, 0], [0, 1]]);
    expect(N.zerosMatrix(1, 2)).toEqual([[0, 0]]);
    expect(N.dot([1, 2], [3, 4])).toBe(11);
    expect(N.add([1, 2], [3, 4])).toEqual([4, 6]);
    expect(N.sub([1, 2], [3, 4])).toEqual([-2, -2]);
    expect(N.scale([1, 2], 3)).toEqual([3, 6]);
    expect(N.axpy([1, 2], 2, [1, 1])).toEqual([3, 4]);
    expect(N.sum([1, 2, 3])).toBe(6);
    expect(N.norm2([3, 4])).toBe(5);
    expect(N.maxAbs([1, -7, 3])).toBe(7);
    expect(N.outer([1, 2], [3, 4, 5])).toEqual([[3, 4, 5], [6, 8, 10]]);
    expect(N.matvec([[1, 2], [3, 4]], [1, 1])).toEqual([3, 7]);
    expect(N.vecmat([1, 1], [[1, 2], [3, 4]])).toEqual([4, 6]);
    expect(N.transpose([[1, 2, 3]])).toEqual([[1], [2], [3]]);
    expect(N.matmul([[1, 2]], [[3], [4]])).toEqual([[11]]);
    expect(N.flatten([[1, 2], [3, 4]])).toEqual([1, 2, 3, 4]);
    expect(N.reshape([1, 2, 3, 4], 2, 2)).toEqual([[1, 2], [3, 4]]);
    expect(N.maxAbsMatrix([[1, -9], [3, 4]])).toBe(9);
  });

  it('solve inverts well-conditioned systems and refuses singular ones', () => {
    fc.assert(
      fc.property(matrixOf(4, 4, { maxCondition: 100 }), fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 4, maxLength: 4 }), (a, x) => {
        const back = N.solve(a, N.matvec(a, x));
        back.forEach((v, i) => expect(v).toBeCloseTo(x[i]!, 8));
      }),
      { seed: TEST_SEED, numRuns: 200 },
    );
    expect(() => N.solve([[1, 2], [2, 4]], [1, 1])).toThrow(/singular/);
  });

  it('symmetric eigenvalues: trace and determinant of 2x2, known spectra', () => {
    expect(N.symmetricEigenvalues([[2, 1], [1, 2]]).map((v) => Math.round(v * 1e12) / 1e12)).toEqual([1, 3]);
    fc.assert(
      fc.property(matrixOf(3, 3), (a) => {
        const s = N.matmul(N.transpose(a), a); // PSD
        const eig = N.symmetricEigenvalues(s);
        const trace = s[0]![0]! + s[1]![1]! + s[2]![2]!;
        expect(eig.reduce((x, y) => x + y, 0)).toBeCloseTo(trace, 6);
        expect(eig[0]!).toBeGreaterThanOrEqual(-1e-9 * Math.max(1, trace));
      }),
      { seed: TEST_SEED, numRuns: 200 },
    );
  });

  it('condition number: 1 for orthogonal, infinite for rank-deficient', () => {
    expect(N.conditionNumber([[0, 1], [1, 0]])).toBeCloseTo(1, 10);
    expect(N.conditionNumber([[1, 2], [2, 4]])).toBe(Infinity);
    expect(N.conditionNumber([[10, 0], [0, 1]])).toBeCloseTo(10, 8);
  });
});
