// Numerical differentiation against functions whose derivatives are known in closed form.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vectorOf } from '../../src/arbitraries.ts';
import { directionalDerivative, gradient, jacobian, projectJacobian, projectedDerivative, stepFor } from '../../src/numdiff.ts';
import { matvec } from '../../src/numeric.ts';
import { TEST_SEED } from '../seed.ts';

// f(x) = (sin x0 * x1, exp(x0 / 2) + x1^3): J = [[cos x0 x1, sin x0], [exp(x0/2)/2, 3 x1^2]].
const f = (x: number[]) => [Math.sin(x[0]!) * x[1]!, Math.exp(x[0]! / 2) + x[1]! ** 3];
const J = (x: number[]) => [
  [Math.cos(x[0]!) * x[1]!, Math.sin(x[0]!)],
  [Math.exp(x[0]! / 2) / 2, 3 * x[1]! ** 2],
];

const maxRelError = (a: number[][], b: number[][]) =>
  Math.max(...a.flatMap((row, i) => row.map((v, k) => Math.abs(v - b[i]![k]!) / Math.max(1, Math.abs(b[i]![k]!)))));

describe('numerical differentiation', () => {
  it('step is cbrt(eps) scaled by max(1, |x|)', () => {
    expect(stepFor(0)).toBeCloseTo(Math.cbrt(Number.EPSILON), 20);
    expect(stepFor(-100)).toBeCloseTo(100 * Math.cbrt(Number.EPSILON), 15);
    expect(stepFor(3, 'richardson')).toBeCloseTo(3 * Number.EPSILON ** 0.2, 15);
  });

  it('central and Richardson Jacobians match the analytic one', () => {
    fc.assert(
      fc.property(vectorOf(2, 3), (x) => {
        expect(maxRelError(jacobian(f, x), J(x))).toBeLessThan(1e-8);
        expect(maxRelError(jacobian(f, x, 'richardson'), J(x))).toBeLessThan(1e-9);
      }),
      { seed: TEST_SEED, numRuns: 200 },
    );
  });

  it('Richardson beats central differences where the third derivative is large', () => {
    const g = (x: number[]) => [Math.exp(8 * x[0]!)];
    const exact = 8 * Math.exp(8);
    const central = Math.abs(jacobian(g, [1])[0]![0]! - exact) / exact;
    const richardson = Math.abs(jacobian(g, [1], 'richardson')[0]![0]! - exact) / exact;
    expect(richardson).toBeLessThan(central);
  });

  it('gradient of a scalar function: f = sum x_i^2 / 2 has gradient x', () => {
    fc.assert(
      fc.property(vectorOf(5, 10), (x) => {
        const g = gradient((y) => y.reduce((s, v) => s + (v * v) / 2, 0), x);
        g.forEach((gi, i) => expect(Math.abs(gi - x[i]!)).toBeLessThan(1e-7 * Math.max(1, Math.abs(x[i]!))));
      }),
      { seed: TEST_SEED, numRuns: 200 },
    );
  });

  it('a directional derivative is J u and a projection is v^T J u', () => {
    fc.assert(
      fc.property(vectorOf(2, 3), vectorOf(2, 1), vectorOf(2, 1), (x, u, v) => {
        const ju = matvec(J(x), u);
        directionalDerivative(f, x, u).forEach((d, i) => expect(d).toBeCloseTo(ju[i]!, 6));
        expect(projectedDerivative(f, x, u, v)).toBeCloseTo(projectJacobian(J(x), u, v), 6);
        expect(projectedDerivative(f, x, u, v, 'richardson')).toBeCloseTo(projectJacobian(J(x), u, v), 6);
      }),
      { seed: TEST_SEED, numRuns: 200 },
    );
  });

  it('the zero direction has zero derivative', () => {
    expect(directionalDerivative(f, [1, 2], [0, 0])).toEqual([0, 0]);
  });

  it('tells a wrong derivative apart: J with a swapped entry is far from the estimate', () => {
    const x = [0.3, -1.2];
    const wrong = J(x).map((row) => [...row].reverse());
    expect(maxRelError(jacobian(f, x), wrong)).toBeGreaterThan(1e-2);
  });
});
