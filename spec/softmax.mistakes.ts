// The named mistakes of softmax-temperature and softmax-jacobian (spec/softmax.suite.ts): in a module of their own,
// so that a student's self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { softmax, softmaxJacobian } from '../reference/softmax.ts';
import { mistake } from './subjects.ts';

export const softmaxTemperatureMistakes: readonly Mistake[] = [
  mistake({
    id: 'no-max-subtraction',
    title: 'softmax without subtracting max(z): exp overflows',
    hint: 'Compute exp((z - max(z)) / tau); the shift does not change the result but keeps exp finite.',
    implementation: {
      softmax: (z, tau = 1) => {
        const e = z.map((v) => Math.exp(v / tau));
        const s = e.reduce((a, b) => a + b, 0);
        return e.map((v) => v / s);
      },
    },
  }),
  mistake({
    id: 'temperature-multiplies',
    title: 'logits multiplied by tau instead of divided',
    hint: 'The temperature divides the logits: exp(z_i / tau).',
    implementation: { softmax: (z, tau = 1) => softmax(z.map((v) => v * tau * tau), tau) },
  }),
  mistake({
    id: 'temperature-ignored',
    title: 'temperature ignored (softmax at tau = 1)',
    hint: 'Divide the logits by tau before exponentiating.',
    implementation: { softmax: (z) => softmax(z, 1) },
  }),
  ];

export const softmaxJacobianMistakes: readonly Mistake[] = [
  mistake({
    id: 'missing-inv-tau',
    title: 'Jacobian without the 1/tau factor',
    hint: 'Differentiate exp(z_i / tau): the chain rule brings out 1/tau, so J = (diag(y) - y y^T) / tau.',
    implementation: { softmaxJacobian: (z, tau = 1) => softmaxJacobian(z, tau).map((row) => row.map((v) => v * tau)) },
  }),
  mistake({
    id: 'missing-diag',
    title: 'Jacobian without the diag(y) term',
    hint: 'dy_i/dz_k has an extra y_i / tau when i = k: J = (diag(y) - y y^T) / tau.',
    implementation: {
      softmaxJacobian: (z, tau = 1) => {
        const y = softmax(z, tau);
        return y.map((yi) => y.map((yk) => (-yi * yk) / tau));
      },
    },
  }),
  mistake({
    id: 'diagonal-only',
    title: 'only the diagonal y_i (1 - y_i) / tau, off-diagonal entries left at 0',
    hint: 'Changing z_k moves every y_i through the normaliser: J_ik = -y_i y_k / tau for i != k.',
    implementation: {
      softmaxJacobian: (z, tau = 1) => {
        const y = softmax(z, tau);
        return y.map((yi, i) => y.map((_, k) => (i === k ? (yi * (1 - yi)) / tau : 0)));
      },
    },
  }),
  ];
