// Gradient descent with weight decay (seed 003, part 1) and with momentum (seed 000, problem 3), with the
// update rules of torch.optim.SGD (dampening 0, nesterov False), in the order PyTorch evaluates them:
//   d = g + weight_decay * p;   buf = mu * buf + d (buf = d on the first step);   p = p - lr * buf.

import type { Vector } from '../src/numeric.ts';
import { type ParamArray, assignInPlace, flatten, requireGradsLike, shapeOf } from './params.ts';
import { requireVector } from './validate.ts';

export function requireNonNegative(name: string, x: number): void {
  if (typeof x !== 'number' || !(x >= 0) || !Number.isFinite(x)) throw new Error(`${name} must be a non-negative finite number, got ${x}`);
}

/** One step of torch.optim.SGD(lr, weight_decay) without momentum: p - lr (g + weight_decay p). */
export function sgdStep(p: Vector, g: Vector, lr: number, weightDecay = 0): Vector {
  requireVector('p', p);
  requireVector('g', g, p.length);
  requireNonNegative('lr', lr);
  requireNonNegative('weight_decay', weightDecay);
  return p.map((pi, i) => pi - lr * (g[i]! + weightDecay * pi));
}

/**
 * One step of SGD with momentum as torch.optim.SGD(lr, momentum=mu) (dampening 0): u = mu u + g, then
 * w = w - lr u. Returns [w_new, u_new]; start from u = 0 (PyTorch's first step sets the buffer to g, the
 * same thing).
 */
export function momentumStep(w: Vector, u: Vector, g: Vector, lr: number, mu: number): [Vector, Vector] {
  requireVector('w', w);
  requireVector('u', u, w.length);
  requireVector('g', g, w.length);
  requireNonNegative('lr', lr);
  requireNonNegative('mu', mu);
  const uNew = u.map((ui, i) => ui * mu + g[i]!);
  return [w.map((wi, i) => wi - lr * uNew[i]!), uNew];
}

/**
 * The seed's SimpleGradientDescent (task 1.3) with the catalog's numpy interface: `step(grads)` updates
 * each parameter array in place by p -= lr (g + weight_decay p), as torch.optim.SGD(params, lr,
 * weight_decay=weight_decay).
 */
export class SimpleGradientDescent {
  readonly params: ParamArray[];
  readonly lr: number;
  readonly weightDecay: number;

  constructor(params: ParamArray[], lr = 0.1, weightDecay = 0) {
    if (!Array.isArray(params)) throw new Error('params must be a list of parameter arrays');
    params.forEach((p, i) => shapeOf(`params[${i}]`, p));
    requireNonNegative('lr', lr);
    requireNonNegative('weight_decay', weightDecay);
    this.params = params;
    this.lr = lr;
    this.weightDecay = weightDecay;
  }

  step(grads: ParamArray[]): void {
    requireGradsLike(this.params, grads);
    this.params.forEach((p, i) => assignInPlace(p, sgdStep(flatten(p), flatten(grads[i]!), this.lr, this.weightDecay)));
  }
}

/**
 * Seed 003's own weight decay (part II): the penalty is lambda/(2 nu) ||p||^2 with nu the learning rate, so the
 * learning rate cancels in the decay term and the update is p <- (1 - weight_decay) p - lr g, i.e.
 * `x -= lr * x.grad + weight_decay * x`. Not torch.optim.SGD's rule (that one scales the decay by lr too).
 */
export class SimpleGradientDescentPenaltyOverLr extends SimpleGradientDescent {
  override step(grads: ParamArray[]): void {
    requireGradsLike(this.params, grads);
    this.params.forEach((p, i) => {
      const g = flatten(grads[i]!);
      assignInPlace(p, flatten(p).map((x, j) => x - this.lr * g[j]! - this.weightDecay * x));
    });
  }
}
