// The infinite-width (mean-field) prediction of activationStats: what the variance rules of reference/variance.ts
// say each hidden layer's mean and std should be, computed without drawing a single weight. It is the oracle the
// activation statistics on real digits are compared with (spec/activation-stats-mnist.spec.ts), independent of
// the Monte Carlo forward pass in reference/init.ts.
//
// Given a layer's input row h (one example), z_j = sum_i h_i w_ij with independent zero-mean weights of variance
// s2 is N(0, s2 ||h||^2) over the weights (exactly for normal weights, by the CLT for uniform ones): the rule
// Var(sum w_i x_i) = n sigma^2 E[x^2] of seed 004 P1 applied per example. At infinite width ||h||^2 / width
// concentrates, so each example's next squared norm per unit is q' = E_g[f(sqrt(fan_in s2 q) g)^2], g ~ N(0, 1)
// (Poole et al. 2016). The layer's mean and mean square are averages over the examples of E f(.) and q'.

import { ACTIVATIONS, type Activation, type InitMethod, activate, distributionVariance, initDistribution } from './init.ts';
import { requireMatrix } from './validate.ts';

/** E_g[f(s g)] and E_g[f(s g)^2] for g ~ N(0, 1). */
export function gaussianMoments(activation: Activation, s: number): [number, number] {
  if (s === 0) {
    const f0 = activate[activation](0);
    return [f0, f0 * f0];
  }
  switch (activation) {
    case 'linear':
      return [0, s * s];
    case 'relu':
      return [s / Math.sqrt(2 * Math.PI), (s * s) / 2];
    default: {
      // Simpson's rule on [-10, 10] (the mass outside is < 2e-23) with 2000 panels: the integrand is smooth and
      // bounded by 1, so the error is far below 1e-12.
      const f = activate[activation];
      const panels = 2000;
      const a = -10;
      const step = 20 / panels;
      let m1 = 0;
      let m2 = 0;
      for (let i = 0; i <= panels; i++) {
        const g = a + i * step;
        const w = (i === 0 || i === panels ? 1 : i % 2 === 1 ? 4 : 2) * Math.exp(-0.5 * g * g);
        const v = f(s * g);
        m1 += w * v;
        m2 += w * v * v;
      }
      const c = step / 3 / Math.sqrt(2 * Math.PI);
      return [m1 * c, m2 * c];
    }
  }
}

/**
 * The mean-field [mean, std] of every hidden layer of activationStats(X, method, activation, widths, seed), at
 * infinite width: one row per hidden layer, std over examples and units (population std; the n - 1 of
 * activationStats differs by 1 / (2 n width), invisible here).
 */
export function meanFieldStats(X: number[][], method: InitMethod, activation: Activation, widths: readonly number[]): number[][] {
  requireMatrix('X', X);
  if (!(ACTIVATIONS as readonly string[]).includes(activation)) throw new Error(`unknown activation ${JSON.stringify(activation)}`);
  // q[n] = ||h_n||^2 / fan_in for the layer's input; for the data itself, the mean square of each row.
  let fanIn = X[0]!.length;
  let q = X.map((row) => row.reduce((s, x) => s + x * x, 0) / fanIn);
  const stats: number[][] = [];
  for (const width of widths) {
    const s2 = distributionVariance(initDistribution([fanIn, width], method));
    let mean = 0;
    let square = 0;
    q = q.map((qn) => {
      const [m1, m2] = gaussianMoments(activation, Math.sqrt(fanIn * s2 * qn));
      mean += m1;
      square += m2;
      return m2;
    });
    mean /= q.length;
    square /= q.length;
    stats.push([mean, Math.sqrt(Math.max(0, square - mean * mean))]);
    fanIn = width;
  }
  return stats;
}
