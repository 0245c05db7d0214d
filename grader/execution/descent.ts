// A top-level gradient-descent loop judged on the points its loss function recorded (seed 003 task 1.1: the
// student writes `x -= learning_rate * x.grad` on LossFunctionWithPlot, which records every x it is called at).
// Point k is where step k starts; step k must be -lr * grad L(point k), with the same rate at every step (one per
// coordinate). The rate is the student's to choose, so it is fitted (least squares per coordinate), then every
// step is held to it. Two classic mistakes are named when they explain the track: the gradient never zeroed
// (x.grad accumulates, so step k follows the sum of the gradients so far) and a step up the gradient.

import { bowlGradient } from '../../reference/index.ts';
import type { MistakeMatch } from '../../src/runner.ts';
import { type Aspect, cellOutcome, fail, firstCellMatching, noCellMatching } from './aspect.ts';
import type { ExecutionResult, NotebookCellSource } from './run.ts';
import type { DESCENT_MISTAKES, DescentCheck } from './schema.ts';

type Vector = number[];

/**
 * How far a step may be from -lr * gradient: the loop runs in float32, so each coordinate of a point carries
 * about 6e-8 of relative rounding, and a step (a difference of two points) an absolute error of that times the
 * point's size; torch's gradient of ||B x|| adds a relative 1e-6 or so. 1e-5 of the point's size plus 1e-4 of the
 * step covers both with room, and is far below any of the mistakes' differences (a whole gradient per step).
 */
const STEP_ATOL = 1e-5;
const STEP_RTOL = 1e-4;
/** A point this close to 0 is on the norm's kink (||B x|| has no gradient there): no step from it is judged. */
const KINK = 1e-6;

type DescentMistake = (typeof DESCENT_MISTAKES)[number];

const MISTAKES: Record<DescentMistake, Omit<MistakeMatch, 'id'>> = {
  'gradient-not-zeroed': {
    title: 'the gradient is never zeroed: x.grad accumulates over the iterations, so each step follows the sum of all the gradients so far',
    hint: 'backward() adds to x.grad: set x.grad = None (or x.grad.zero_()) after each update.',
  },
  'gradient-ascent': {
    title: 'each step goes up the gradient (x += learning_rate * x.grad): the loss is climbed, not descended',
    hint: 'Gradient descent subtracts: x -= learning_rate * x.grad.',
  },
};

const GRADIENTS: Record<DescentCheck['descent']['loss'], (x: Vector) => Vector> = { bowl: (x) => bowlGradient(x) };

/** How well steps follow `directions` with one rate per coordinate: the fitted rates and the worst step. */
function fitRates(points: readonly Vector[], directions: readonly Vector[]): { rates: Vector; worst?: { step: number; off: number; allowed: number } } {
  const dims = points[0]!.length;
  const steps = directions.map((_, k) => points[k + 1]!.map((v, j) => v - points[k]![j]!));
  const rates = Array.from({ length: dims }, (_, j) => {
    const num = directions.reduce((s, g, k) => s + steps[k]![j]! * g[j]!, 0);
    const den = directions.reduce((s, g) => s + g[j]! * g[j]!, 0);
    return den > 0 ? -num / den : 0;
  });
  let worst: { step: number; off: number; allowed: number } | undefined;
  directions.forEach((g, k) => {
    const size = Math.max(1, ...points[k]!.map(Math.abs));
    g.forEach((gj, j) => {
      const expected = -rates[j]! * gj;
      const off = Math.abs(steps[k]![j]! - expected);
      const allowed = STEP_ATOL * size + STEP_RTOL * Math.abs(expected);
      if (!(off <= allowed) && (worst === undefined || off - allowed > worst.off - worst.allowed)) worst = { step: k, off, allowed };
    });
  });
  return worst ? { rates, worst } : { rates };
}

const short = (xs: readonly number[]) => `[${xs.map((x) => Number(x.toPrecision(5))).join(', ')}]`;

/** The points of the track as rows, or why they cannot be read. */
function trackPoints(check: DescentCheck, result: ExecutionResult): Vector[] | string {
  const found = result.values[check.descent.track];
  if (found === undefined) return 'not found';
  if (found.kind !== 'array' || found.shape.length !== 2) return `not a list of points (${'type' in found ? found.type : found.kind})`;
  const value = found.value as unknown;
  return Array.isArray(value) && value.every((row) => Array.isArray(row) && row.every((v) => typeof v === 'number')) ? (value as Vector[]) : 'not numbers';
}

export function judgeDescent(check: DescentCheck, result: ExecutionResult, sources: readonly NotebookCellSource[]): Aspect[] {
  const { track, cell: pattern, loss } = check.descent;
  const title = `the points ${track} recorded follow gradient descent (each step -learning_rate * gradient)`;
  const cell = firstCellMatching(pattern, sources);
  if (cell === undefined) return [{ id: 'descent', title, failure: fail('missing', `${noCellMatching(pattern)}: the loop was not found`) }];
  const ran = result.cells.find((c) => c.cell === cell);
  const where = `cell ${cell}${ran && ran.status !== 'ran' ? `, which ${cellOutcome(ran)}` : ''}`;
  const points = trackPoints(check, result);
  if (typeof points === 'string') return [{ id: 'descent', title, failure: fail('missing', `${track} after ${where} is ${points}`) }];
  const gradient = GRADIENTS[loss];
  // A point at 0 is the norm's kink, where the gradient is undefined: the track is judged up to it.
  const kink = points.findIndex((p) => Math.hypot(...p) < KINK);
  const judged = kink < 0 ? points : points.slice(0, kink + 1);
  if (judged.length < 3) return [{ id: 'descent', title, failure: fail('missing', `${track} after ${where} holds ${points.length} points: the loop made fewer than 2 steps`) }];
  const gradients = judged.slice(0, -1).map(gradient);
  const plain = fitRates(judged, gradients);
  if (plain.worst === undefined && plain.rates.every((r) => r > 0)) return [{ id: 'descent', title }];

  const diagnosis: MistakeMatch[] = [];
  const sums = gradients.map((_, k) => gradients.slice(0, k + 1).reduce((s, g) => s.map((v, j) => v + g[j]!), judged[0]!.map(() => 0)));
  const accumulated = fitRates(judged, sums);
  if (accumulated.worst === undefined && accumulated.rates.every((r) => r > 0) && check.mistakes['gradient-not-zeroed']) diagnosis.push({ id: 'gradient-not-zeroed', ...MISTAKES['gradient-not-zeroed'] });
  if (plain.worst === undefined && plain.rates.every((r) => r < 0) && check.mistakes['gradient-ascent']) diagnosis.push({ id: 'gradient-ascent', ...MISTAKES['gradient-ascent'] });
  const message = plain.worst === undefined
    ? `the ${judged.length - 1} steps recorded in ${track} (${where}) follow the gradient with learning rates ${short(plain.rates)}: not all positive, so they do not descend`
    : `the ${judged.length - 1} steps recorded in ${track} (${where}) are not -learning_rate * gradient for one learning rate: with the best fit, ${short(plain.rates)}, step ${plain.worst.step} (from ${short(judged[plain.worst.step]!)} to ${short(judged[plain.worst.step + 1]!)}) is off by ${plain.worst.off.toPrecision(3)} (allowed ${plain.worst.allowed.toPrecision(3)})`;
  return [{ id: 'descent', title, failure: fail('value_mismatch', message), ...(diagnosis.length ? { diagnosis } : {}) }];
}
