// The named mistakes of variance-rules (spec/variance.suite.ts): in a module of their own, so that a student's
// self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { mistake } from './subjects.ts';

export const varianceRulesMistakes: readonly Mistake[] = [
  mistake({
    id: 'linear-missing-n-in',
    title: 'Var(a_j) without the factor n_in (the variance of one term, not of the sum)',
    hint: 'a_j sums n_in independent terms w_ij x_i, each of variance sigma^2 v^2; variances of independent terms add.',
    implementation: { linearOutputVariance: (_n, s, v) => s * v },
  }),
  mistake({
    id: 'backward-uses-std',
    title: 'backward variance with the standard deviations multiplied (n_out sigma g)',
    hint: 'Var(w g) = Var(w) Var(g) = sigma^2 g^2 for independent zero-mean w and g: square the standard deviations.',
    implementation: { backwardGradVariance: (n, s, g) => n * Math.sqrt(s) * Math.sqrt(g) },
  }),
  mistake({
    id: 'relu-no-half',
    title: 'E[ReLU(z)^2] taken as Var(z), forgetting that ReLU zeroes half of a symmetric z',
    hint: 'For z symmetric about 0, z^2 is the same on both halves and ReLU keeps one: E[ReLU(z)^2] = E[z^2]/2 = Var(z)/2.',
    implementation: { reluSecondMoment: (v) => v },
  }),
  mistake({
    id: 'product-zero-mean-only',
    title: 'Var(AB) = Var A Var B, which holds only when both means are 0',
    hint: 'Var(AB) = E[A^2] E[B^2] - (E A E B)^2 = Var A Var B + Var A (E B)^2 + Var B (E A)^2.',
    implementation: { productVariance: (_ma, va, _mb, vb) => va * vb },
  }),
  mistake({
    id: 'uniform-half-width-over-12',
    title: 'Var(U(-a, a)) as a^2/12: the half-width a put into (b - a)^2/12',
    hint: 'U(-a, a) has width 2a, so its variance is (2a)^2/12 = a^2/3.',
    implementation: { uniformVariance: (a) => (a * a) / 12 },
  }),
];
