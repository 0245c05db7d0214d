// The named mistakes of huber-loss, huber-gradient and huber-fit (spec/huber.suite.ts): in a module of their own,
// so that a student's self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { type Matrix, type Vector, axpy, dot, solve, sub } from '../src/numeric.ts';
import { huberGrad, huberLoss, huberPsi } from '../reference/huber.ts';
import { frobenius2 } from './huber.shared.ts';
import { mistake } from './subjects.ts';

/** A gradient built from a point-wise psi: sign * sum_i psi(r_i) x_i + lamFactor * lam w. */
function gradientWith(psi: (r: number, delta: number) => number, sign = -1, lamFactor = 1) {
  return (w: Vector, X: Matrix, y: Vector, delta: number, lam = 0): Vector => {
    let g = w.map((wj) => lamFactor * lam * wj);
    X.forEach((xi, i) => {
      g = axpy(g, sign * psi(y[i]! - dot(w, xi), delta), xi);
    });
    return g;
  };
}

export const huberLossMistakes: readonly Mistake[] = [
  mistake({
    id: 'linear-part-missing-half-delta',
    title: 'outside |r| <= delta the loss is delta |r| instead of delta (|r| - delta/2)',
    hint: 'The linear branch must meet r^2/2 at |r| = delta: delta (|r| - delta/2) equals delta^2/2 there, delta |r| jumps to delta^2.',
    implementation: {
      huberLoss: (w, X, y, delta, lam = 0) =>
        X.reduce((s, xi, i) => {
          const r = y[i]! - dot(w, xi);
          return s + (Math.abs(r) <= delta ? 0.5 * r * r : delta * Math.abs(r));
        }, 0) + 0.5 * lam * dot(w, w),
    },
  }),
  mistake({
    id: 'squared-outside',
    title: 'r^2/2 at every residual: the loss never turns linear outside |r| <= delta (least squares, not Huber)',
    hint: 'Outside |r| <= delta the Huber loss is delta (|r| - delta/2), which grows linearly with slope delta; r^2/2 applies only inside.',
    implementation: {
      huberLoss: (w, X, y, delta, lam = 0) => X.reduce((s, xi, i) => s + 0.5 * (y[i]! - dot(w, xi)) ** 2, 0) + 0.5 * lam * dot(w, w),
    },
  }),
  mistake({
    id: 'lam-not-halved',
    title: 'regulariser lam ||w||^2 instead of lam/2 ||w||^2',
    hint: 'The objective adds lam/2 ||w||^2 (its gradient is lam w); the 1/2 is easy to drop.',
    implementation: {
      huberLoss: (w, X, y, delta, lam = 0) => huberLoss(w, X, y, delta, 0) + lam * dot(w, w),
    },
  }),
  mistake({
    id: 'mean-instead-of-sum',
    title: 'the data term is averaged over the samples instead of summed',
    hint: 'L(w) = sum_i l_delta(r_i) + lam/2 ||w||^2: a sum over the n samples, not a mean (no 1/n).',
    implementation: {
      huberLoss: (w, X, y, delta, lam = 0) => huberLoss(w, X, y, delta, 0) / X.length + 0.5 * lam * dot(w, w),
    },
  }),
];

export const huberGradientMistakes: readonly Mistake[] = [
  mistake({
    id: 'residual-sign-flipped',
    title: 'gradient with the sign of the data term flipped: +sum psi(r_i) x_i instead of -sum psi(r_i) x_i',
    hint: 'r_i = y_i - w.x_i, so dr_i/dw = -x_i: the chain rule puts a minus in front of the sum.',
    implementation: { huberGrad: gradientWith(huberPsi, +1) },
  }),
  mistake({
    id: 'no-delta-clip',
    title: 'psi(r) = r everywhere (the least-squares gradient -sum r_i x_i): no clip at delta',
    hint: 'Outside |r| <= delta the loss is linear, so its derivative is capped: psi(r) = delta sign(r) there.',
    implementation: { huberGrad: gradientWith((r) => r) },
  }),
  mistake({
    id: 'lam-term-missing',
    title: 'regularisation term lam w missing from the gradient',
    hint: 'The gradient of lam/2 ||w||^2 is lam w; add it to -sum psi(r_i) x_i.',
    implementation: { huberGrad: gradientWith(huberPsi, -1, 0) },
  }),
  mistake({
    id: 'psi-sign-without-delta',
    title: 'outside |r| <= delta, psi(r) = sign(r) instead of delta sign(r)',
    hint: 'Differentiate delta (|r| - delta/2): the slope is delta sign(r), which also makes psi continuous at |r| = delta.',
    implementation: { huberGrad: gradientWith((r, delta) => (Math.abs(r) <= delta ? r : Math.sign(r))) },
  }),
];

export const huberFitMistakes: readonly Mistake[] = [
  mistake({
    id: 'least-squares-fit',
    title: 'the (ridge) least-squares solution (X^T X + lam I)^-1 X^T y, ignoring the Huber loss',
    hint: 'Setting the Huber gradient to zero gives sum_i psi(r_i) x_i = lam w, nonlinear in w: iterate (IRLS with weights min(1, delta/|r_i|), or gradient descent / L-BFGS on the Huber objective) from the least-squares start.',
    implementation: {
      huberFit: (X, y, _delta, lam = 0) => {
        const d = X[0]!.length;
        const A = Array.from({ length: d }, (_, j) => Array.from({ length: d }, (_, k) => (j === k ? lam : 0) + X.reduce((s, xi) => s + xi[j]! * xi[k]!, 0)));
        const b = Array.from({ length: d }, (_, j) => X.reduce((s, xi, i) => s + xi[j]! * y[i]!, 0));
        return solve(A, b);
      },
    },
  }),
  mistake({
    id: 'stops-early',
    title: 'the optimisation stops long before convergence (3 gradient steps from w = 0)',
    hint: 'Iterate until the gradient is ~0 (e.g. ||grad|| <= 1e-10 times its size at the start), not for a fixed small number of steps.',
    implementation: {
      huberFit: (X, y, delta, lam = 0) => {
        const lr = 1 / (frobenius2(X) + lam);
        let w = X[0]!.map(() => 0);
        for (let k = 0; k < 3; k++) w = sub(w, huberGrad(w, X, y, delta, lam).map((g) => lr * g));
        return w;
      },
    },
  }),
];
