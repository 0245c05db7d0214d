// Seed 003's loss bowl (part 1-2): L(x) = ||B x|| on a 2-vector x, B = [[2.3, -0.3], [-0.5, 0.2]] by default, and
// the plain gradient-descent run of task 2.A/2.B whose recorded gradients the handout averages.

import type { Matrix, Vector } from '../src/numeric.ts';
import { gradMeanRms } from './moments.ts';

/** The handout's default bowl (shared/handouts/seed-003.md). */
export const DEFAULT_BOWL: Matrix = [
  [2.3, -0.3],
  [-0.5, 0.2],
];

/** The gradient of ||B x||: B^T B x / ||B x|| (x with B x != 0). */
export function bowlGradient(x: Vector, bowl: Matrix = DEFAULT_BOWL): Vector {
  const bx = bowl.map((row) => row.reduce((s, b, j) => s + b * x[j]!, 0));
  const norm = Math.hypot(...bx);
  return x.map((_, j) => bowl.reduce((s, row, i) => s + row[j]! * bx[i]!, 0) / norm);
}

/**
 * The gradients of `steps` steps of plain SGD (x <- x - lr * grad) from x0, one row per step (the gradient at
 * the point before the step), as torch.optim.SGD without momentum records them.
 */
export function bowlSgdGradients(x0: Vector, lr: number, steps: number, bowl: Matrix = DEFAULT_BOWL): Matrix {
  const grads: Matrix = [];
  let x = [...x0];
  for (let t = 0; t < steps; t++) {
    const g = bowlGradient(x, bowl);
    grads.push(g);
    x = x.map((v, j) => v - lr * g[j]!);
  }
  return grads;
}

/** Task 2.A/2.B: the per-coordinate mean and RMS of the gradients of the handout's run (x0 = [-1.5, 1.2], lr 0.1, 50 steps). */
export function bowlSgdGradientStatistics(x0: Vector = [-1.5, 1.2], lr = 0.1, steps = 50): { mean: Vector; rms: Vector } {
  const [mean, rms] = gradMeanRms(bowlSgdGradients(x0, lr, steps));
  return { mean, rms };
}
