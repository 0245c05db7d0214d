// Every problem gradecheck can grade, by catalog id. The type of valid ids is derived from this object,
// so an unknown id is a type error in code and a clear message on the command line.

import type { Problem } from '../src/problem.ts';
import { softmaxJacobianProblem, softmaxTemperature } from './softmax.suite.ts';
import { affineLsGradient } from './affine-ls.suite.ts';
import { losses } from './losses.suite.ts';
import { activations } from './activations.suite.ts';
import { huberFitProblem, huberGradientProblem, huberLossProblem } from './huber.suite.ts';

export const problems = {
  'softmax-temperature': softmaxTemperature,
  'softmax-jacobian': softmaxJacobianProblem,
  'affine-ls-gradient': affineLsGradient,
  'losses': losses,
  'activations': activations,
  'huber-loss': huberLossProblem,
  'huber-gradient': huberGradientProblem,
  'huber-fit': huberFitProblem,
} as const satisfies Record<string, Problem>;

export type ProblemId = keyof typeof problems;

export const problemIds = Object.keys(problems) as ProblemId[];

export function isProblemId(id: string): id is ProblemId {
  return Object.hasOwn(problems, id);
}
