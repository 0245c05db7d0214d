// Losses with PyTorch semantics (seed 002 problem 4, seed 003 part 3): mean reduction over the batch as
// torch.nn.MSELoss, BCELoss (log clamped at -100) and CrossEntropyLoss (integer class labels).

import { type Matrix, type Vector } from '../src/numeric.ts';
import { softmax } from './softmax.ts';
import { requireMatrix, requireVector } from './validate.ts';

/** PyTorch's BCELoss clamps each log term at -100 so that p in {0, 1} gives a finite loss. */
export const BCE_LOG_CLAMP = -100;
/** PyTorch's BCELoss backward divides by max(p (1 - p), 1e-12). */
export const BCE_GRAD_EPS = 1e-12;

function requirePair(p: Vector, y: Vector): void {
  requireVector('p', p);
  requireVector('y', y, p.length);
  if (p.length === 0) throw new Error('p must not be empty');
}

/** mean_i (p_i - y_i)^2. */
export function mse(p: Vector, y: Vector): number {
  requirePair(p, y);
  return p.reduce((s, pi, i) => s + (pi - y[i]!) ** 2, 0) / p.length;
}

/** d mse / d p = 2 (p - y) / n. */
export function mseGrad(p: Vector, y: Vector): Vector {
  requirePair(p, y);
  return p.map((pi, i) => (2 * (pi - y[i]!)) / p.length);
}

const clampedLog = (x: number): number => Math.max(Math.log(x), BCE_LOG_CLAMP);

/** -mean_i [y_i log p_i + (1 - y_i) log(1 - p_i)], each log clamped at -100. */
export function bce(p: Vector, y: Vector): number {
  requirePair(p, y);
  return -p.reduce((s, pi, i) => s + y[i]! * clampedLog(pi) + (1 - y[i]!) * clampedLog(1 - pi), 0) / p.length;
}

/** d bce / d p as PyTorch's backward: (p - y) / max(p (1 - p), 1e-12) / n. */
export function bceGrad(p: Vector, y: Vector): Vector {
  requirePair(p, y);
  return p.map((pi, i) => (pi - y[i]!) / Math.max(pi * (1 - pi), BCE_GRAD_EPS) / p.length);
}

function requireLabels(logits: Matrix, labels: Vector): void {
  requireMatrix('logits', logits, labels.length);
  const k = logits[0]!.length;
  if (labels.some((c) => !Number.isInteger(c) || c < 0 || c >= k)) throw new Error(`labels must be integers in [0, ${k})`);
}

/** mean over rows of -log softmax(logits_i)[label_i], computed stably (log-sum-exp). */
export function crossEntropy(logits: Matrix, labels: Vector): number {
  requireLabels(logits, labels);
  let total = 0;
  logits.forEach((row, i) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    total += lse - row[labels[i]!]!;
  });
  return total / logits.length;
}

/** (softmax(logits) - onehot(labels)) / n. */
export function crossEntropyGrad(logits: Matrix, labels: Vector): Matrix {
  requireLabels(logits, labels);
  const n = logits.length;
  return logits.map((row, i) => softmax(row).map((p, c) => (p - (c === labels[i] ? 1 : 0)) / n));
}
