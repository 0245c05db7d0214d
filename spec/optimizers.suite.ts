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
import { ADAMOptimizer } from '../reference/adam.ts';
import type { ParamArray } from '../reference/params.ts';
import { SimpleGradientDescent, SimpleGradientDescentPenaltyOverLr } from '../reference/sgd.ts';
import { epsilon, learningRate, weightDecay } from './optim-inputs.ts';
import { adamOptimizerMistakes, penaltyOverLrMistakes, sgdWeightDecayMistakes } from './optimizers.mistakes.ts';

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
  mistakes: penaltyOverLrMistakes,
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
  mistakes: sgdWeightDecayMistakes,
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
  mistakes: adamOptimizerMistakes,
};
