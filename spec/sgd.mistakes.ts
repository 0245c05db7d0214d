// The named mistakes of momentum-sgd, and its planted variants (spec/sgd.suite.ts): in a module of their own, so that
// a student's self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { momentumStep } from '../reference/sgd.ts';
import { mistake } from './subjects.ts';

export const momentumSgdMistakes: readonly Mistake[] = [
  mistake({
    id: 'momentum-dampening',
    title: 'momentum buffer with dampening: u = mu u + (1 - mu) g',
    hint: 'PyTorch SGD (dampening 0) adds the whole gradient: u = mu u + g. The (1 - mu) factor makes it an EMA and shrinks every step.',
    implementation: { momentumStep: (w, u, g, lr, mu) => momentumStep(w, u, g.map((x) => (1 - mu) * x), lr, mu) },
  }),
  mistake({
    id: 'momentum-lr-in-buffer',
    title: 'learning rate inside the buffer: u = mu u + lr g, w = w - u',
    hint: 'In PyTorch the buffer holds gradients only (u = mu u + g) and the step is w - lr u; return that u.',
    implementation: {
      momentumStep: (w, u, g, lr, mu) => {
        const uNew = u.map((x, i) => mu * x + lr * g[i]!);
        return [w.map((x, i) => x - uNew[i]!), uNew];
      },
    },
  }),
];

export const momentumSgdPlantedMistakes: readonly Mistake[] = [
  mistake({
    id: 'sign-of-buffer-step',
    title: 'planted: the step is lr sign(u_new), whatever the size of the buffer',
    hint: 'Not a student mistake: a step that is not linear in (g, u), to show that step-scales-with-gradients can fail.',
    implementation: {
      momentumStep: (w, u, g, lr, mu) => {
        const [, uNew] = momentumStep(w, u, g, lr, mu);
        return [w.map((x, i) => x - lr * Math.sign(uNew[i]!)), uNew];
      },
    },
  }),
];
