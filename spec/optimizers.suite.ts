// sgd-weight-decay (seed 003 task 1.3, 1.D, 1.E) and adam-optimizer (seed 003 task 2.3, 3.6): the stateful
// optimizer classes. A check drives the submitted class and the reference through the same random sequence
// of step(grads) calls over several parameter arrays of different shapes, and compares every parameter after
// every step (updated in place, state kept per parameter). References: SimpleGradientDescent matches
// torch.optim.SGD(params, lr, weight_decay); ADAMOptimizer matches torch.optim.Adam(params, lr, betas, eps,
// weight_decay) (checked against PyTorch trajectories in spec/oracles/torch-optim.spec.ts).
//
// Python submissions may be written in the numpy form (step(grads)) or the PyTorch form of seed 003 (tensors
// with .grad, step() without argument): the harness adapts the second to the first.

import fc from 'fast-check';
import { finite } from '../src/arbitraries.ts';
import { trajectoryMatchesOracle } from '../src/laws.ts';
import type { Problem } from '../src/problem.ts';
import { tolerance } from '../src/tolerance.ts';
import { ADAMOptimizer, adamStep } from '../reference/adam.ts';
import { type ParamArray, assignInPlace, flatten, requireGradsLike, shapeOf } from '../reference/params.ts';
import { SimpleGradientDescent, SimpleGradientDescentPenaltyOverLr } from '../reference/sgd.ts';
import { epsilon, learningRate, weightDecay } from './optim-inputs.ts';
import { mistake } from './subjects.ts';

export const OPTIMIZER_TOLERANCES = {
  /**
   * Up to 8 steps of a closed-form update: a few roundings per step, relative to the parameters; 1e-9
   * absolute for parameters that pass through 0.
   */
  trajectory: tolerance(1e-8, 1e-9, 'a few float64 roundings per step over <= 8 steps'),
} as const;

/** A parameter array: a vector of 1-4 entries or a matrix of up to 3 x 3, entries on the 0.01 grid. */
const shapeArb: fc.Arbitrary<number[]> = fc.oneof(
  fc.integer({ min: 1, max: 4 }).map((n) => [n]),
  fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })).map(([r, c]) => [r, c]),
);

const arrayOf = (shape: readonly number[], magnitude: number): fc.Arbitrary<ParamArray> =>
  shape.length === 1
    ? fc.array(finite(magnitude), { minLength: shape[0]!, maxLength: shape[0]! })
    : fc.array(fc.array(finite(magnitude), { minLength: shape[1]!, maxLength: shape[1]! }), { minLength: shape[0]!, maxLength: shape[0]! });

interface Scenario<H> {
  readonly params: ParamArray[];
  readonly hyper: H;
  readonly grads: ParamArray[][];
}

/** 2-3 parameters of one shape: state kept in one place for all parameters carries over from one to the next. */
const sameShapes: fc.Arbitrary<number[][]> = fc.tuple(shapeArb, fc.integer({ min: 2, max: 3 })).map(([shape, n]) => Array.from({ length: n }, () => shape));

/** 1-3 parameters of different shapes (or of `shapes`), hyper-parameters, and 1-8 steps of gradients of those shapes. */
function scenario<H>(hyper: fc.Arbitrary<H>, shapesArb = fc.array(shapeArb, { minLength: 1, maxLength: 3 })): fc.Arbitrary<Scenario<H>> {
  return shapesArb.chain((shapes) =>
    fc.record({
      params: fc.tuple(...shapes.map((s) => arrayOf(s, 5))),
      hyper,
      grads: fc.array(fc.tuple(...shapes.map((s) => arrayOf(s, 10))), { minLength: 1, maxLength: 8 }),
    }),
  );
}

/** Runs a reference optimizer over the scenario; the parameters after each step. */
function referenceTrajectory(make: (params: ParamArray[]) => { step(grads: ParamArray[]): void }, s: Scenario<unknown>): ParamArray[][] {
  const params = structuredClone(s.params);
  const optimizer = make(params);
  return s.grads.map((g) => {
    optimizer.step(structuredClone(g));
    return structuredClone(params);
  });
}

interface SgdHyper {
  readonly lr: number;
  readonly wd: number;
}

/** Weight decay ignored: the same mistake under either rule of decay. */
class SimpleGradientDescentWithoutDecay extends SimpleGradientDescent {
  constructor(params: ParamArray[], lr = 0.1) {
    super(params, lr, 0);
  }
}

/** Every parameter after each step of a random sequence of step(grads), against `Reference` (a rule of decay). */
const sgdTrajectory = (id: string, title: string, Reference: typeof SimpleGradientDescent) =>
  trajectoryMatchesOracle({
    id,
    title,
    arbitrary: scenario<SgdHyper>(fc.record({ lr: learningRate, wd: weightDecay })),
    cls: 'SimpleGradientDescent',
    args: (s) => [s.params, s.hyper.lr, s.hyper.wd],
    steps: (s) => s.grads,
    oracle: (s) => referenceTrajectory((p) => new Reference(p, s.hyper.lr, s.hyper.wd), s),
    tolerance: OPTIMIZER_TOLERANCES.trajectory,
  });

const SGD_SIGNATURES = ['class SimpleGradientDescent(params, lr=0.1, weight_decay=0.0)', 'SimpleGradientDescent.step(grads)'];

/**
 * Seed 003's own rule: its penalty lambda/(2 nu) ||theta||^2 makes the update theta -= nu g + lambda theta (the
 * handout's `x -= lr * x.grad + weight_decay * x`, and the answer of its question 1.E). Relative to it, torch's
 * rule is the mistake.
 */
const penaltyOverLr: Problem = {
  id: 'sgd-weight-decay',
  title: "Gradient descent with seed 003's weight decay (SimpleGradientDescent)",
  source: 'seed 003, tasks 1.3, 1.D, 1.E',
  signatures: SGD_SIGNATURES,
  checks: [
    sgdTrajectory(
      'matches-handout-rule',
      "step(grads) updates every parameter in place by p -= lr * g + weight_decay * p (seed 003's penalty weight_decay/(2 lr) ||p||^2)",
      SimpleGradientDescentPenaltyOverLr,
    ),
  ],
  mistakes: [
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
  ],
};

export const sgdWeightDecay: Problem = {
  id: 'sgd-weight-decay',
  title: 'Gradient descent with weight decay (SimpleGradientDescent)',
  source: 'seed 003, tasks 1.3, 1.D, 1.E',
  signatures: SGD_SIGNATURES,
  checks: [sgdTrajectory('matches-torch-sgd', 'step(grads) updates every parameter in place by p -= lr * (g + weight_decay * p), as torch.optim.SGD', SimpleGradientDescent)],
  conventions: [
    {
      id: 'penalty-over-lr',
      title: "seed 003's decay: penalty weight_decay/(2 lr) ||p||^2, so p -= lr * g + weight_decay * p",
      implementation: { SimpleGradientDescent: SimpleGradientDescentPenaltyOverLr },
      problem: penaltyOverLr,
    },
  ],
  mistakes: [
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
  ],
};

interface AdamHyper {
  readonly lr: number;
  readonly betas: [number, number];
  readonly eps: number;
  readonly wd: number;
}

const adamHyper: fc.Arbitrary<AdamHyper> = fc.record({
  lr: learningRate,
  betas: fc.constantFrom<[number, number]>([0.9, 0.999], [0.8, 0.99], [0.5, 0.9], [0, 0.999]),
  eps: epsilon,
  wd: weightDecay,
});

/** An ADAMOptimizer whose per-parameter update is replaced (the mistakes below). */
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

export const adamOptimizer: Problem = {
  id: 'adam-optimizer',
  title: 'Adam as a stateful optimizer class (ADAMOptimizer)',
  source: 'seed 003, tasks 2.3, 3.6',
  signatures: ['class ADAMOptimizer(params, lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)', 'ADAMOptimizer.step(grads)'],
  checks: [
    trajectoryMatchesOracle({
      id: 'matches-torch-adam',
      title: 'over any sequence of steps, every parameter follows torch.optim.Adam (moments kept per parameter, t shared)',
      arbitrary: scenario(adamHyper),
      cls: 'ADAMOptimizer',
      args: (s) => [s.params, s.hyper.lr, s.hyper.betas, s.hyper.eps, s.hyper.wd],
      steps: (s) => s.grads,
      oracle: (s) => referenceTrajectory((p) => new ADAMOptimizer(p, s.hyper.lr, s.hyper.betas, s.hyper.eps, s.hyper.wd), s),
      tolerance: OPTIMIZER_TOLERANCES.trajectory,
    }),
    trajectoryMatchesOracle({
      id: 'matches-torch-adam-same-shapes',
      title: 'with 2-3 parameters of one shape, every parameter follows torch.optim.Adam with its own m and v (none inherits the moments of another)',
      arbitrary: scenario(adamHyper, sameShapes),
      cls: 'ADAMOptimizer',
      args: (s) => [s.params, s.hyper.lr, s.hyper.betas, s.hyper.eps, s.hyper.wd],
      steps: (s) => s.grads,
      oracle: (s) => referenceTrajectory((p) => new ADAMOptimizer(p, s.hyper.lr, s.hyper.betas, s.hyper.eps, s.hyper.wd), s),
      tolerance: OPTIMIZER_TOLERANCES.trajectory,
    }),
  ],
  mistakes: [
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
  ],
};
