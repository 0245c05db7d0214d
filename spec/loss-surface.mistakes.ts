// The named mistakes of loss-surface-path (spec/loss-surface.suite.ts): in a module of their own, so that a student's
// self-check replays their recorded answers without carrying their code.

import type { Matrix, Vector } from '../src/numeric.ts';
import type { Mistake } from '../src/problem.ts';
import { type TrajectoryPca, pcaInverse, plotPathDrawn, plotPathSurface, runPlotPath } from '../reference/loss-surface.ts';
import { mistake } from './subjects.ts';

type PlotArgs = [Matrix, Vector, Matrix];

/** The team's code with parameters plotted at (x1, x2) replaced: the mistakes below. */
const withParams = (paramsAt: (pca: TrajectoryPca, x1: number, x2: number, trajectory: Matrix) => Vector) =>
  (X: Matrix, y: Vector, trajectory: Matrix) => runPlotPath(X, y, trajectory, (pca, x1, x2) => paramsAt(pca, x1, x2, trajectory));
const withoutMean = withParams((pca, x1, x2) => pcaInverse(pca, x1, x2).map((v, j) => v - pca.mean[j]!));
const notLoaded = withParams((_pca, _x1, _x2, trajectory) => trajectory.at(-1)!);

export const lossSurfacePathMistakes: readonly Mistake[] = [
  mistake({
    id: 'path-raw-coordinates',
    title: 'plotPath draws the trajectory at its first two parameters instead of its PCA coordinates',
    hint: "The surface's axes are the principal directions: draw the trajectory at trajectory_2d = pca.fit_transform(trajectory), not at trajectory[:, 0] and trajectory[:, 1].",
    implementation: {
      plotPathDrawn: (...a: PlotArgs) => plotPathDrawn(...a).map((r, t) => [a[2][t]![0]!, a[2][t]![1]!, r[2]!]),
    },
  }),
  mistake({
    id: 'grid-without-mean',
    title: 'plotPath computes the loss at x1 v1 + x2 v2 (the components without the mean) instead of pca.inverse_transform([[x1, x2]])',
    hint: "A point (x1, x2) of the PCA plane stands for the parameters mean + x1 v1 + x2 v2: pca.inverse_transform adds pca.mean_ back.",
    implementation: {
      plotPathDrawn: (...a: PlotArgs) => withoutMean(...a).drawn,
      plotPathEvaluated: (...a: PlotArgs) => withoutMean(...a).evaluated,
      plotPathSurface: (...a: PlotArgs) => withoutMean(...a).surface,
    },
  }),
  mistake({
    id: 'params-not-loaded',
    title: "plotPath never loads a grid point's parameters into the model: every loss is the trained model's, a flat surface",
    hint: 'Before compute_loss at a grid point, write its parameters into the model: load_params_into_model(model, torch.from_numpy(point_params).float()).',
    implementation: {
      plotPathDrawn: (...a: PlotArgs) => notLoaded(...a).drawn,
      plotPathEvaluated: (...a: PlotArgs) => notLoaded(...a).evaluated,
      plotPathSurface: (...a: PlotArgs) => notLoaded(...a).surface,
    },
  }),
  mistake({
    id: 'surface-transposed',
    title: 'plotPath stores the loss of grid point (axis1[i], axis2[j]) at Z[i, j], while np.meshgrid puts axis1 along the columns: the surface is transposed',
    hint: 'np.meshgrid(axis1, axis2) gives Xaxis[i, j] = axis1[j] and Yaxis[i, j] = axis2[i]: compute Z[i, j] at (Xaxis[i, j], Yaxis[i, j]).',
    implementation: {
      plotPathSurface: (...a: PlotArgs) => {
        const surface = plotPathSurface(...a);
        const side = Math.round(Math.sqrt(surface.length));
        return surface.map((r, index) => [r[0]!, r[1]!, surface[(index % side) * side + Math.floor(index / side)]![2]!]);
      },
    },
  }),
  mistake({
    id: 'surface-upside-down',
    title: "plotPath draws the loss grid with imshow's default origin='upper': row 0, the grid's lowest y, is drawn at the top, so the surface is upside down",
    hint: "imshow puts Z[0, :] at the top of the image: with extent=[x_min, x_max, y_min, y_max], pass origin='lower' (contourf and pcolormesh place Z[i, j] at (X[i, j], Y[i, j]) themselves).",
    implementation: {
      plotPathSurface: (...a: PlotArgs) => {
        const surface = plotPathSurface(...a);
        const side = Math.round(Math.sqrt(surface.length));
        return surface.map((r, index) => [r[0]!, r[1]!, surface[(side - 1 - Math.floor(index / side)) * side + (index % side)]![2]!]);
      },
    },
  }),
];
