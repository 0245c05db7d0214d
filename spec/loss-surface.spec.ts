// The loss-surface reference (reference/loss-surface.ts) is right: PCA's defining properties on random
// trajectories, and golden float64 values of sklearn.decomposition.PCA and torch written by the committed generator
// fixtures/golden/generate_loss_surface.py into fixtures/golden/loss-surface.json (the handout's starter computed
// as it is written: fit_transform, a 25 x 25 np.meshgrid grid with 20% margins, inverse_transform, nn.Linear under
// nn.CrossEntropyLoss). plotPathDrawn, plotPathSurface and plotPathEvaluated are proven here for spec/reference.spec.ts;
// each named mistake of loss-surface-path disagrees with the golden values.
//
// Tolerance: both sides are float64; PCA by Jacobi rotations of the Gram matrix against LAPACK's SVD agrees to
// about 1e-12 relative on these well-separated spectra; entries within rtol 1e-8, atol 1e-10.

import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dot } from '../src/numeric.ts';
import type { Matrix, Vector } from '../src/numeric.ts';
import { type NumericTree, compare, tolerance } from '../src/tolerance.ts';
import { pcaInverse, pcaTransform, plotPathDrawn, plotPathEvaluated, plotPathSurface, trajectoryPca } from '../reference/loss-surface.ts';
import { Rng } from '../src/rng.ts';
import { lossSurfacePath, plotPathCase } from './loss-surface.suite.ts';
import { TEST_SEED } from './seed.ts';

const GOLDEN = path.join(import.meta.dirname, '..', 'fixtures', 'golden', 'loss-surface.json');
const TOL = tolerance(1e-8, 1e-10, 'float64 Jacobi PCA against LAPACK SVD, float64 cross-entropy against torch');

interface GoldenCase {
  readonly id: string;
  readonly X: Matrix;
  readonly y: Vector;
  readonly trajectory: Matrix;
  readonly mean: Vector;
  readonly components: Matrix;
  readonly variances: Vector;
  readonly coordinates: Matrix;
  readonly drawn: Matrix;
  readonly surface: Matrix;
}

const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as { readonly torch: string; readonly sklearn: string; readonly cases: GoldenCase[] };
const agree = (a: NumericTree, b: NumericTree) => compare(a, b, TOL).ok;

describe(`sklearn PCA and torch golden values (torch ${golden.torch}, sklearn ${golden.sklearn})`, () => {
  it.each(golden.cases.map((c) => [c.id, c] as const))('%s: the PCA, the path, the surface and the evaluated parameters agree', (_, c) => {
    const pca = trajectoryPca(c.trajectory);
    expect(agree(pca.mean, c.mean)).toBe(true);
    // sklearn's own signs (svd_flip), not just up to sign.
    expect(agree([...pca.components], c.components)).toBe(true);
    expect(agree([...pca.variances], c.variances)).toBe(true);
    expect(agree(pca.coordinates, c.coordinates)).toBe(true);
    expect(agree(plotPathDrawn(c.X, c.y, c.trajectory), c.drawn)).toBe(true);
    expect(agree(plotPathSurface(c.X, c.y, c.trajectory), c.surface)).toBe(true);
    // inverse_transform of every grid point, then of every path point: mean + x1 v1 + x2 v2 with sklearn's numbers.
    const inverse = ([x1, x2]: readonly number[]) => c.mean.map((m, j) => m + x1! * c.components[0]![j]! + x2! * c.components[1]![j]!);
    expect(agree(plotPathEvaluated(c.X, c.y, c.trajectory), [...c.surface, ...c.drawn].map(inverse))).toBe(true);
  });

  it.each(lossSurfacePath.mistakes.map((m) => [m.id, m] as const))("the named mistake %s disagrees with them", (_, m) => {
    const impl = m.implementation as Partial<Record<'plotPathDrawn' | 'plotPathSurface', (X: Matrix, y: Vector, t: Matrix) => Matrix>>;
    const wrong = golden.cases.some((c) =>
      (impl.plotPathDrawn && !agree(impl.plotPathDrawn(c.X, c.y, c.trajectory), c.drawn)) || (impl.plotPathSurface && !agree(impl.plotPathSurface(c.X, c.y, c.trajectory), c.surface)));
    expect(wrong).toBe(true);
  });
});

describe("PCA's defining properties on the suite's trajectories", () => {
  const params = { seed: TEST_SEED, numRuns: 100 };

  it('the directions are orthonormal and the coordinates centred, (x - mean) . v_i', () => {
    fc.assert(fc.property(plotPathCase, ({ trajectory }) => {
      const { components: [v1, v2], coordinates, mean } = trajectoryPca(trajectory);
      expect(Math.abs(dot(v1, v1) - 1) + Math.abs(dot(v2, v2) - 1) + Math.abs(dot(v1, v2))).toBeLessThan(1e-12);
      for (const i of [0, 1]) expect(Math.abs(coordinates.reduce((s, c) => s + c[i]!, 0))).toBeLessThan(1e-12 * trajectory.length);
      trajectory.forEach((row, t) => expect(agree(pcaTransform(trajectoryPca(trajectory), row), coordinates[t]!)).toBe(true));
      expect(mean.length).toBe(trajectory[0]!.length);
    }), params);
  });

  it('inverse_transform and transform round-trip on the plane', () => {
    fc.assert(fc.property(plotPathCase, fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), ({ trajectory }, x1, x2) => {
      const pca = trajectoryPca(trajectory);
      const [y1, y2] = pcaTransform(pca, pcaInverse(pca, x1, x2));
      expect(Math.abs(y1 - x1) + Math.abs(y2 - x2)).toBeLessThan(1e-12);
    }), params);
  });

  it('the plane through the mean minimises the squared residual among planes: none of 20 perturbed ones does better', () => {
    const residual = (trajectory: Matrix, mean: Vector, [u, v]: readonly [Vector, Vector]) =>
      trajectory.reduce((s, row) => {
        const c = row.map((x, j) => x - mean[j]!);
        const [a, b] = [dot(c, u), dot(c, v)];
        return s + c.reduce((r, x, j) => r + (x - a * u[j]! - b * v[j]!) ** 2, 0);
      }, 0);
    const orthonormal = (u: Vector, v: Vector): [Vector, Vector] => {
      const un = u.map((x) => x / Math.sqrt(dot(u, u)));
      const w = v.map((x, j) => x - dot(v, un) * un[j]!);
      return [un, w.map((x) => x / Math.sqrt(dot(w, w)))];
    };
    fc.assert(fc.property(plotPathCase, fc.integer({ min: 0, max: 2 ** 31 - 1 }), ({ trajectory }, seed) => {
      const pca = trajectoryPca(trajectory);
      const best = residual(trajectory, pca.mean, pca.components);
      const rng = new Rng(seed);
      for (let i = 0; i < 20; i++) {
        const eps = 10 ** rng.uniformIn(-4, -1);
        const plane = orthonormal(pca.components[0].map((x) => x + eps * rng.normal()), pca.components[1].map((x) => x + eps * rng.normal()));
        const shifted = pca.mean.map((m) => m + eps * rng.normal());
        expect(residual(trajectory, shifted, plane)).toBeGreaterThanOrEqual(best - 1e-12);
      }
    }), params);
  });
});
