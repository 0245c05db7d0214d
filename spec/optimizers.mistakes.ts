// The named mistakes of sgd-weight-decay (its convention penalty-over-lr's too) and adam-optimizer (spec/optimizers.suite.ts):
// in a module of their own, so that a student's self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { ADAMOptimizer, adamStep } from '../reference/adam.ts';
import { type ParamArray, assignInPlace, flatten, requireGradsLike, shapeOf } from '../reference/params.ts';
import { SimpleGradientDescent, SimpleGradientDescentPenaltyOverLr } from '../reference/sgd.ts';
import { mistake } from './subjects.ts';

/** Weight decay ignored: the same mistake under either rule of decay. */
class SimpleGradientDescentWithoutDecay extends SimpleGradientDescent {
  constructor(params: ParamArray[], lr = 0.1) {
    super(params, lr, 0);
  }
}

/** An ADAMOptimizer whose per-parameter update is replaced (the mistakes of adam-optimizer). */
function adamVariant(update: (o: ADAMOptimizer, i: number, w: number[], g: number[]) => [number[], number[], number[]]): typeof ADAMOptimizer {
  return class extends ADAMOptimizer {
    override step(grads: ParamArray[]): void {
      requireGradsLike(this.params, grads);
      this.t += 1;
      this.params.forEach((p, i) => {
        const [w, m, v] = update(this, i, flatten(p), flatten(grads[i]!));
        this.m[i] = m;
        this.v[i] = v;
        assignInPlace(p, w);
      });
    }
  };
}

export const penaltyOverLrMistakes: readonly Mistake[] = [
  mistake({
    id: 'decay-scaled-by-lr',
    title: "weight decay scaled by the learning rate (torch's p -= lr * (g + wd * p), not this handout's rule)",
    hint: 'Here the penalty is weight_decay/(2 lr) ||p||^2: its gradient times lr is weight_decay * p, so p -= lr * g + weight_decay * p (tasks 1.D, 1.E).',
    implementation: { SimpleGradientDescent },
  }),
  mistake({
    id: 'decay-uses-abs',
    title: 'decay term weight_decay * |p| instead of weight_decay * p',
    hint: 'The gradient of ||p||^2 / 2 is p itself, with its sign (task 1.D).',
    implementation: {
      SimpleGradientDescent: class extends SimpleGradientDescent {
        override step(grads: ParamArray[]): void {
          requireGradsLike(this.params, grads);
          this.params.forEach((p, i) => {
            const g = flatten(grads[i]!);
            assignInPlace(p, flatten(p).map((x, j) => x - this.lr * g[j]! - this.weightDecay * Math.abs(x)));
          });
        }
      },
    },
  }),
  mistake({
    id: 'decay-ignored',
    title: 'weight decay ignored',
    hint: 'Subtract weight_decay * p as well as lr * g in each step.',
    implementation: {
      SimpleGradientDescent: SimpleGradientDescentWithoutDecay,
    },
  }),
];

export const sgdWeightDecayMistakes: readonly Mistake[] = [
  mistake({
    id: 'decay-not-scaled-by-lr',
    title: 'weight decay not scaled by the learning rate (p -= lr*g + wd*p)',
    hint: 'The decay is part of the gradient: p -= lr * (g + weight_decay * p), so it is scaled by lr too (torch.optim.SGD).',
    implementation: { SimpleGradientDescent: SimpleGradientDescentPenaltyOverLr },
  }),
  mistake({
    id: 'decay-uses-abs',
    title: 'decay gradient weight_decay * |p| instead of weight_decay * p',
    hint: 'The gradient of (weight_decay/2) ||p||^2 is weight_decay * p, with its sign (seed 003 task 1.D).',
    implementation: {
      SimpleGradientDescent: class extends SimpleGradientDescent {
        override step(grads: ParamArray[]): void {
          requireGradsLike(this.params, grads);
          this.params.forEach((p, i) => {
            const g = flatten(grads[i]!);
            assignInPlace(p, flatten(p).map((x, j) => x - this.lr * (g[j]! + this.weightDecay * Math.abs(x))));
          });
        }
      },
    },
  }),
  mistake({
    id: 'decay-ignored',
    title: 'weight decay ignored',
    hint: 'Add weight_decay * p to the gradient before the step.',
    implementation: {
      SimpleGradientDescent: SimpleGradientDescentWithoutDecay,
    },
  }),
];

export const adamOptimizerMistakes: readonly Mistake[] = [
  mistake({
    id: 'optimizer-no-bias-correction',
    title: 'Adam without bias correction (m and v used as they are)',
    hint: 'Divide m by (1 - beta1^t) and v by (1 - beta2^t) before the update; without it the first steps have the wrong size.',
    implementation: {
      ADAMOptimizer: adamVariant((o, i, w, g) => {
        const [, m, v] = adamStep(w, g, o.m[i]!, o.v[i]!, o.t, o.lr, o.beta1, o.beta2, o.eps, o.weightDecay);
        return [w.map((x, j) => x - (o.lr * m[j]!) / (Math.sqrt(v[j]!) + o.eps)), m, v];
      }),
    },
  }),
  mistake({
    id: 'optimizer-t-per-parameter',
    title: 't advanced once per parameter instead of once per step',
    hint: 'All parameters share the step count: increment t once in step(), before the loop over parameters.',
    implementation: {
      ADAMOptimizer: adamVariant((o, i, w, g) => {
        const t = (o.t - 1) * o.params.length + i + 1;
        return adamStep(w, g, o.m[i]!, o.v[i]!, t, o.lr, o.beta1, o.beta2, o.eps, o.weightDecay);
      }),
    },
  }),
  mistake({
    id: 'optimizer-state-not-kept',
    title: 'm and v restarted from 0 at every step',
    hint: 'Keep m and v per parameter across calls of step(): store them on the optimizer.',
    implementation: {
      ADAMOptimizer: adamVariant((o, i, w, g) => {
        const zero = w.map(() => 0);
        return adamStep(w, g, zero, zero, o.t, o.lr, o.beta1, o.beta2, o.eps, o.weightDecay);
      }),
    },
  }),
  mistake({
    id: 'optimizer-shared-state',
    title: 'one m and one v shared by all parameters instead of one pair per parameter',
    hint: 'Each parameter has its own moments: keep a list self.m[i], self.v[i] (zeros shaped like params[i]), not a single self.m, self.v.',
    implementation: {
      // The student's single self.m, self.v starts at 0 and is overwritten by every parameter in turn;
      // the previous parameter's moments carry over when the shapes are equal, and count as 0 otherwise.
      ADAMOptimizer: (() => {
        const sharedState = new WeakMap<ADAMOptimizer, { m: number[]; v: number[]; shape: string }>();
        return adamVariant((o, i, w, g) => {
          const shared = sharedState.get(o);
          const shape = JSON.stringify(shapeOf('param', o.params[i]!));
          const zero = w.map(() => 0);
          const fits = shared !== undefined && shared.shape === shape;
          const [wNew, m, v] = adamStep(w, g, fits ? shared.m : zero, fits ? shared.v : zero, o.t, o.lr, o.beta1, o.beta2, o.eps, o.weightDecay);
          sharedState.set(o, { m, v, shape });
          return [wNew, m, v];
        });
      })(),
    },
  }),
  mistake({
    id: 'optimizer-decoupled-decay',
    title: 'decoupled (AdamW) weight decay where Adam couples it to the gradient',
    hint: 'torch.optim.Adam adds weight_decay * p to the gradient before the moments; p *= 1 - lr*wd is AdamW.',
    implementation: {
      ADAMOptimizer: adamVariant((o, i, w, g) => {
        const decayed = w.map((x) => x * (1 - o.lr * o.weightDecay));
        return adamStep(decayed, g, o.m[i]!, o.v[i]!, o.t, o.lr, o.beta1, o.beta2, o.eps, 0);
      }),
    },
  }),
  mistake({
    id: 'optimizer-decay-ignored',
    title: 'weight decay ignored (g = x.grad alone)',
    hint: 'Adam as torch.optim.Adam adds weight_decay * p to the gradient before updating m and v (seed 003 task 2.3: g = x.grad + weight_decay * x).',
    implementation: { ADAMOptimizer: adamVariant((o, i, w, g) => adamStep(w, g, o.m[i]!, o.v[i]!, o.t, o.lr, o.beta1, o.beta2, o.eps, 0)) },
  }),
];
