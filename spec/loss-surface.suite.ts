// loss-surface-path (seed 004, P3, 15 points): plotPath(loader, trajectory, model) draws the cross-entropy over the
// plane of the trajectory's two principal directions (sklearn's PCA: fit_transform for the path's coordinates,
// inverse_transform for the parameters at a grid point) with the trajectory drawn on it. The catalog states a case
// in numbers (reference/loss-surface.ts): data X (n, d), labels y and T flat parameter vectors of a Linear(d, k)
// classifier. The adapter hands plotPath a DataLoader, the vectors as float32 arrays (train_epoch's flat_params)
// and a staff model holding the last of them that records its parameters at every forward pass, and reads back
// the path as drawn, the parameters the loss was computed at, and the surface drawn (any kind: plot_surface,
// contourf, pcolormesh, imshow, with a 3-D scatter or a 2-D line for the path).
//
// PCA leaves each axis's sign free (a mirrored picture is the same picture), so every check compares up to the sign
// of each axis. The grid is the student's choice: the checks ask for at least 25 points (a 5 x 5 grid) covering the
// path's range, and that every point shows the loss at the parameters it stands for.
//
// Cases: d 3..6, k 2..3, 16..24 examples in [-1, 1] (on a grid of 2^-10), T 5..8 points of a curved path
// mean + a_t v1 + (a_t^2 - mean) v2 on a grid of 2^-20 (exact in float32, so the student's trajectory is the
// catalog's), its first principal variance at least 2.25 times the second so that the directions are well apart.
// The grid is 25 x 25 in the handout's code: a case evaluates the loss some 650 times, so the assignment runs few.
//
// Tolerances (float32 against float64): sklearn fits the float32 trajectory in float32, so the student's coordinates
// and directions carry float32 rounding amplified by the spectrum's gap; the parameters the model holds are rounded
// to float32 after inverse_transform; the losses are float32 cross-entropies at them. Measured on 200 cases drawn as
// here (fixtures/golden/generate_loss_surface.py --measure, torch 1.13, sklearn 1.2): coordinates 3.5e-7 of the
// largest coordinate, off the plane by 1.4e-7 of (1 + |mean|), losses 2.1e-7 relative. 1e-4 leaves 250x or more;
// the named mistakes are off by far more: a missing mean moves every point by about |mean| (near 1), a transposed
// grid swaps axes of different lengths, raw parameters are no rotation of the PCA coordinates.

import fc from 'fast-check';
import { CheckFailure } from '../src/failure.ts';
import type { Call, Value } from '../src/failure.ts';
import type { Matrix, Vector } from '../src/numeric.ts';
import { dot } from '../src/numeric.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import { Rng, hashSeed } from '../src/rng.ts';
import type { Subject } from '../src/subject.ts';
import { type Tolerance, tolerance } from '../src/tolerance.ts';
import {
  type TrajectoryPca,
  linearClassifierLoss,
  pcaInverse,
  pcaTransform,
  plotPathDrawn,
  plotPathSurface,
  trajectoryPca,
} from '../reference/loss-surface.ts';
import { lossSurfacePathMistakes } from './loss-surface.mistakes.ts';

export const COORDINATE_TOLERANCE = tolerance(1e-4, 0, 'sklearn PCA of a float32 trajectory: measured 3.5e-7 of the largest coordinate');
export const PLANE_TOLERANCE = tolerance(1e-4, 0, 'float32 inverse_transform and parameters: measured 1.4e-7 of (1 + |mean|)');
export const LOSS_TOLERANCE = tolerance(1e-4, 1e-5, 'float32 cross-entropy at float32 parameters: measured 2.1e-7 relative');

/** The fewest grid points that make a surface: a 5 x 5 grid. */
export const MIN_GRID_POINTS = 25;

export interface PlotPathCase {
  readonly X: Matrix;
  readonly y: Vector;
  readonly trajectory: Matrix;
}

const onGrid = (x: number, bits: number) => Math.round(x * 2 ** bits) / 2 ** bits;

export const plotPathCase: fc.Arbitrary<PlotPathCase> = fc
  .record({
    seed: fc.noShrink(fc.integer({ min: 0, max: 2 ** 31 - 1 })),
    d: fc.integer({ min: 3, max: 6 }),
    k: fc.integer({ min: 2, max: 3 }),
    n: fc.integer({ min: 16, max: 24 }),
    T: fc.integer({ min: 5, max: 8 }),
  })
  .map(({ seed, d, k, n, T }) => {
    const rng = new Rng(hashSeed('plot-path-case', seed, d, k, n, T));
    const p = k * d + k;
    const vector = (bound: number) => Array.from({ length: p }, () => rng.uniformIn(-bound, bound));
    const [mean, v1, v2] = [vector(0.5), vector(0.6), vector(0.25)];
    const a = Array.from({ length: T }, (_, t) => -1 + (2 * t) / (T - 1));
    const a2 = a.reduce((s, x) => s + x * x, 0) / T;
    return {
      X: Array.from({ length: n }, () => Array.from({ length: d }, () => onGrid(rng.uniformIn(-1, 1), 10))),
      y: Array.from({ length: n }, () => Math.min(k - 1, Math.floor(rng.uniform() * k))),
      trajectory: a.map((at) => mean.map((m, j) => onGrid(m + at * v1[j]! + (at * at - a2) * v2[j]!, 20))),
    };
  })
  .filter((c) => {
    const { variances } = trajectoryPca(c.trajectory);
    return variances[0] >= 2.25 * variances[1];
  });

const args = (c: PlotPathCase): Value[] => [c.X, c.y, c.trajectory];
const SIGNATURE = '(X, y, trajectory)';

type Signs = readonly [1 | -1, 1 | -1];
const SIGN_CHOICES: readonly Signs[] = [[1, 1], [-1, 1], [1, -1], [-1, -1]];

const isRows = (v: unknown, widths: readonly number[]): v is number[][] =>
  Array.isArray(v) && v.every((row) => Array.isArray(row) && widths.includes(row.length) && row.every((x) => typeof x === 'number'));

/** max |a - s b| over the rows' first two columns, per axis, relative to the largest |b| of the axis. */
const axisErrors = (a: Matrix, b: Matrix, s: Signs): [number, number] =>
  [0, 1].map((i) => {
    const scale = Math.max(...b.map((r) => Math.abs(r[i]!)), 1e-300);
    return Math.max(...a.map((r, t) => Math.abs(r[i]! - s[i]! * b[t]![i]!))) / scale;
  }) as [number, number];

/** The signs under which a drawn path is closest to the coordinates. */
const bestSigns = (a: Matrix, b: Matrix): Signs => {
  let best = SIGN_CHOICES[0]!;
  for (const s of SIGN_CHOICES) if (Math.max(...axisErrors(a, b, s)) < Math.max(...axisErrors(a, b, best))) best = s;
  return best;
};

const within = (received: number, expected: number, tol: Tolerance) => Math.abs(received - expected) <= tol.atol + tol.rtol * Math.abs(expected);

/** Two drawn paths agree up to each axis's sign (1e-3 of the axis's extent), their losses (if any) within 1e-3. */
function pathsAgree(received: Value, variant: Value): boolean {
  if (!isRows(received, [2, 3]) || !isRows(variant, [2, 3]) || received.length !== variant.length) return false;
  if (received.some((r, t) => r.length !== variant[t]!.length)) return false;
  const s = bestSigns(received, variant);
  return Math.max(...axisErrors(received, variant, s)) <= 1e-3 && received.every((r, t) => r.length === 2 || within(r[2]!, variant[t]![2]!, tolerance(1e-3, 1e-6, '')));
}

function fail(call: Call, message: string, received: Value, expected: Value, tol: Tolerance, code: 'value_mismatch' | 'wrong_shape' | 'invariant_violated' = 'value_mismatch'): never {
  throw new CheckFailure({ code, message, call, received, answer: received, expected, tolerance: tol });
}

/** The part of `v` orthogonal to the plane's directions. */
const offPlane = (pca: TrajectoryPca, v: readonly number[]): Vector => {
  const [c1, c2] = [dot(v, pca.components[0]), dot(v, pca.components[1])];
  return v.map((x, j) => x - c1 * pca.components[0][j]! - c2 * pca.components[1][j]!);
};
const norm = (v: readonly number[]) => Math.sqrt(dot(v, v));

/**
 * What the evaluated vectors are, in two numbers a mistake reproduces whatever the grid: how many distinct ones
 * (up to MIN_GRID_POINTS), and how far their plane sits from the trajectory's mean, as a multiple of the mean's own
 * distance from the plane through the origin (0: through the mean, as inverse_transform; 1: through the origin).
 */
function evaluatedVerdict(pca: TrajectoryPca, evaluated: Matrix): [number, number] {
  const r = offPlane(pca, pca.mean);
  const shift = evaluated.map((v) => dot(offPlane(pca, v.map((x, j) => x - pca.mean[j]!)), r) / -dot(r, r));
  return [Math.min(MIN_GRID_POINTS, new Set(evaluated.map((v) => v.join(','))).size), shift.reduce((s, x) => s + x, 0) / Math.max(1, shift.length)];
}

const sameVerdict = (a: Value, b: Value) => isRows([a], [2]) && isRows([b], [2]) && (a as number[])[0] === (b as number[])[0] && Math.abs((a as number[])[1]! - (b as number[])[1]!) <= 0.05;

async function evaluatedOf(subject: Subject, c: PlotPathCase, p: number): Promise<{ call: Call; answer: Value; vectors?: Matrix }> {
  const call = { fn: 'plot_path_evaluated', args: args(c) };
  const answer = await subject.call(call.fn, call.args);
  return { call, answer, ...(isRows(answer, [p]) ? { vectors: answer } : {}) };
}

/** The path's range [lo, hi] on axis i, in the signs of a drawing. */
const pathRange = (pca: TrajectoryPca, i: 0 | 1, sign: number): [number, number] => {
  const values = pca.coordinates.map((c) => sign * c[i]!);
  return [Math.min(...values), Math.max(...values)];
};

/** Whether points on axis i (their values) cover the path's range, to `slack` of the range. */
const covers = (values: readonly number[], [lo, hi]: [number, number], slack: number) =>
  Math.min(...values) <= lo + slack * (hi - lo) && Math.max(...values) >= hi - slack * (hi - lo);

/**
 * Cases a check runs in the catalog (`verify`, the kill matrix; seed 004 sets 2): each computes a loss surface on
 * a grid of some 650 points, and each named mistake fails on its first case, so 20 cases are plenty.
 */
const CASES = 20;

export const lossSurfacePath: Problem = {
  id: 'loss-surface-path',
  title: "plotPath(loader, trajectory, model): the loss over the plane of the trajectory's two principal directions (PCA), with the trajectory drawn on it",
  source: 'seed 004, problem 3',
  signatures: [`plot_path_drawn${SIGNATURE}`, `plot_path_evaluated${SIGNATURE}`, `plot_path_surface${SIGNATURE}`],
  intArgs: { plot_path_drawn: [1], plot_path_evaluated: [1], plot_path_surface: [1] },
  checks: [
    defineCheck({
      id: 'path-at-pca-coordinates',
      title: "the trajectory is drawn at its PCA coordinates (fit_transform), up to each axis's sign, and with its loss where it is drawn in 3-D",
      arbitrary: plotPathCase,
      numRuns: CASES,
      comparesWithReference: ['plot_path_drawn'],
      sameAnswer: pathsAgree,
      run: async (subject, c, context) => {
        const call = { fn: 'plot_path_drawn', args: args(c) };
        const answer = await subject.call(call.fn, call.args);
        const expected = plotPathDrawn(c.X, c.y, c.trajectory);
        const coordinates = context.tol(COORDINATE_TOLERANCE);
        if (!isRows(answer, [2, 3]) || answer.length !== expected.length) {
          fail(call, `plotPath draws no line or scatter of the trajectory's ${expected.length} points`, answer, expected, coordinates, 'wrong_shape');
        }
        const s = bestSigns(answer, expected);
        const signed = expected.map((r) => [s[0] * r[0]!, s[1] * r[1]!, r[2]!]);
        if (Math.max(...axisErrors(answer, expected, s)) > coordinates.rtol) {
          fail(call, "the trajectory is not drawn at its PCA coordinates (pca.fit_transform of the trajectory), whatever the sign of each axis", answer, signed, coordinates);
        }
        const losses = context.tol(LOSS_TOLERANCE);
        if (answer.some((r, t) => r.length === 3 && !within(r[2]!, expected[t]![2]!, losses))) {
          fail(call, 'the trajectory drawn in 3-D is not at its loss: z must be the cross-entropy at each point of the trajectory', answer, signed, losses);
        }
      },
    }),
    defineCheck({
      id: 'evaluates-the-pca-plane',
      title: 'the loss is computed at parameters of the plane through the trajectory\'s mean along its two principal directions (inverse_transform): at least 25 distinct points covering the path\'s range',
      arbitrary: plotPathCase,
      numRuns: CASES,
      comparesWithReference: ['plot_path_evaluated'],
      sameAnswer: sameVerdict,
      run: async (subject, c, context) => {
        const pca = trajectoryPca(c.trajectory);
        const p = c.trajectory[0]!.length;
        const { call, answer, vectors } = await evaluatedOf(subject, c, p);
        const plane = context.tol(PLANE_TOLERANCE);
        const verdict = (v: Matrix) => evaluatedVerdict(pca, v);
        const rerun = { target: 'plot_path_evaluated', run: async (other: Subject) => {
          const found = (await evaluatedOf(other, c, p)).vectors;
          return found ? verdict(found) : null;
        } };
        const failWith = (message: string, received: Value, expected: Value) => {
          throw new CheckFailure({ code: 'invariant_violated', message, call, received, answer: vectors ? verdict(vectors) : answer, expected, tolerance: plane, rerun });
        };
        if (!vectors) return failWith(`the model was evaluated at no parameter vectors of length ${p}`, answer, null);
        const distinct = new Set(vectors.map((v) => v.join(','))).size;
        if (distinct < MIN_GRID_POINTS) {
          failWith(`the loss is computed at ${distinct} distinct parameter vector(s): load each grid point's parameters into the model (load_params_into_model) before computing its loss`, distinct, MIN_GRID_POINTS);
        }
        const allowed = plane.rtol * (1 + norm(pca.mean));
        const worst = vectors.reduce((w, v, i) => {
          const off = norm(offPlane(pca, v.map((x, j) => x - pca.mean[j]!)));
          return off > w.off ? { off, i } : w;
        }, { off: 0, i: 0 });
        if (worst.off > allowed) {
          failWith(`parameters the loss is computed at lie off the PCA plane through the trajectory's mean (by ${worst.off.toPrecision(3)}, allowed ${allowed.toPrecision(3)}): use pca.inverse_transform, which adds the mean`, vectors[worst.i]!, pcaInverse(pca, ...pcaTransform(pca, vectors[worst.i]!)));
        }
        const coordinates = vectors.map((v) => pcaTransform(pca, v));
        for (const i of [0, 1] as const) {
          if (!covers(coordinates.map((x) => x[i]), pathRange(pca, i, 1), 1e-3)) {
            failWith(`the points the loss is computed at do not cover the trajectory's range along principal direction ${i + 1}`, coordinates.map((x) => x[i]), pathRange(pca, i, 1));
          }
        }
      },
    }),
    defineCheck({
      id: 'surface-shows-the-loss',
      title: 'the surface drawn shows at each of its points (x, y) the loss at inverse_transform([x, y]), up to each axis\'s sign, over at least 25 points covering the path\'s range',
      arbitrary: plotPathCase,
      numRuns: CASES,
      comparesWithReference: ['plot_path_surface'],
      run: async (subject, c, context) => {
        const call = { fn: 'plot_path_surface', args: args(c) };
        const answer = await subject.call(call.fn, call.args);
        const losses = context.tol(LOSS_TOLERANCE);
        const pca = trajectoryPca(c.trajectory);
        if (!isRows(answer, [3]) || answer.length < MIN_GRID_POINTS) {
          fail(call, `plotPath draws no surface of at least ${MIN_GRID_POINTS} points (plot_surface, contourf, pcolormesh or imshow over a grid)`, answer, plotPathSurface(c.X, c.y, c.trajectory), losses, 'wrong_shape');
        }
        const lossAt = (s: Signs, [x, yy]: readonly number[]) => linearClassifierLoss(pcaInverse(pca, s[0] * x!, s[1] * yy!), c.X, c.y);
        const errorUnder = (s: Signs) => Math.max(...answer.map((r) => {
          const expected = lossAt(s, r);
          return Math.abs(r[2]! - expected) / (losses.atol + losses.rtol * Math.abs(expected));
        }));
        const errors = SIGN_CHOICES.map(errorUnder);
        const s = SIGN_CHOICES[errors.indexOf(Math.min(...errors))]!;
        if (Math.min(...errors) > 1) {
          fail(call, 'the surface does not show the loss at the parameters of its points: at (x, y), the cross-entropy at pca.inverse_transform([[x, y]]) (whatever the sign of each axis)', answer, answer.map((r) => [r[0]!, r[1]!, lossAt(s, r)]), losses);
        }
        for (const i of [0, 1] as const) {
          if (!covers(answer.map((r) => r[i]!), pathRange(pca, i, s[i]), 1e-3)) {
            fail(call, `the surface does not cover the trajectory's range along principal direction ${i + 1}`, answer.map((r) => r[i]!), pathRange(pca, i, s[i]), losses, 'invariant_violated');
          }
        }
      },
    }),
  ],
  mistakes: lossSurfacePathMistakes,
};
