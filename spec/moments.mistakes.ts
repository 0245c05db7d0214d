// The named mistakes of ema and gradient-stats (spec/moments.suite.ts): in a module of their own, so that a student's
// self-check replays their recorded answers without carrying their code.

import type { Matrix } from '../src/numeric.ts';
import type { Mistake } from '../src/problem.ts';
import { type Elementwise, emaUpdate, gradMeanRms, mapElementwise, zipWith } from '../reference/moments.ts';
import { column, meanOf } from './moments.shared.ts';
import { mistake } from './subjects.ts';

export const emaMistakes: readonly Mistake[] = [
  mistake({
    id: 'ema-no-bias-correction',
    title: 'EMA returned without bias correction (ema = ema_star)',
    hint: 'ema_star starts at 0 and is biased toward 0 early on; return ema = ema_star / (1 - beta^t) as the EMA.',
    implementation: {
      emaUpdate: (x: Elementwise, b: number, t: number, old: Elementwise) => {
        const star = emaUpdate(x, b, t, old)[1];
        return [star, star];
      },
    },
  }),
  mistake({
    id: 'ema-beta-swapped',
    title: 'beta and 1 - beta swapped: ema_star = (1 - beta) ema_star_old + beta x_t',
    hint: 'beta weighs the past: ema_star = beta * ema_star_old + (1 - beta) * x_t.',
    implementation: {
      emaUpdate: (x: Elementwise, b: number, t: number, old: Elementwise) => {
        const star = zipWith(old, x, (o, xi) => (1 - b) * o + b * xi);
        return [mapElementwise(star, (s) => s / (1 - b ** t)), star];
      },
    },
  }),
];

export const gradientStatsMistakes: readonly Mistake[] = [
  mistake({
    id: 'rms-as-std',
    title: 'standard deviation returned as the RMS (np.std)',
    hint: 'The RMS does not subtract the mean: rms = sqrt(mean(g^2)); the std is sqrt(mean((g - mean)^2)).',
    implementation: {
      gradMeanRms: (grads: Matrix) => {
        const [mean] = gradMeanRms(grads);
        const std = mean.map((m, j) => Math.sqrt(meanOf(column(grads, j).map((x) => (x - m) ** 2))));
        return [mean, std];
      },
    },
  }),
  mistake({
    id: 'rms-without-sqrt',
    title: 'mean of squares returned without the square root',
    hint: 'RMS is the root of the mean square: rms = sqrt(mean(g^2)).',
    implementation: {
      gradMeanRms: (grads: Matrix) => {
        const [mean, rms] = gradMeanRms(grads);
        return [mean, rms.map((r) => r * r)];
      },
    },
  }),
  mistake({
    id: 'stats-over-wrong-axis',
    title: 'statistics over the wrong axis: one per step instead of one per dimension',
    hint: 'grads is (T, d) with one row per step; average over the steps, axis 0 (grads.mean(dim=0)), to get d numbers.',
    implementation: {
      gradMeanRms: (grads: Matrix) => {
        const transposed = grads[0]!.map((_, j) => column(grads, j));
        return gradMeanRms(transposed);
      },
    },
  }),
];
