// Classification metrics of seed 000, Q4.3 and Q4.4: the confusion matrix and per-class precision and
// recall with scikit-learn's semantics, and the four confidence quadrants of the homework.

import { type Matrix, type Vector } from '../src/numeric.ts';
import { requireMatrix, requireVector } from './validate.ts';

function requireLabels(name: string, labels: Vector, k: number, length?: number): void {
  requireVector(name, labels, length);
  if (labels.some((c) => !Number.isInteger(c) || c < 0 || c >= k)) throw new Error(`${name} must hold class indices in [0, ${k})`);
}

/**
 * cm[i][j] = the number of samples of true class i predicted as class j, for classes 0..k-1, as
 * sklearn.metrics.confusion_matrix(y_true, y_pred, labels=range(k)): rows true, columns predicted.
 */
export function confusionMatrix(yTrue: Vector, yPred: Vector, k: number): Matrix {
  if (!Number.isInteger(k) || k < 1) throw new Error(`k must be a positive integer, got ${k}`);
  requireLabels('y_true', yTrue, k);
  requireLabels('y_pred', yPred, k, yTrue.length);
  const cm = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  yTrue.forEach((t, i) => {
    cm[t]![yPred[i]!]! += 1;
  });
  return cm;
}

/**
 * [precision, recall] per class from a confusion matrix (rows true, columns predicted), as
 * sklearn.metrics.precision_recall_fscore_support(..., average=None, zero_division=0):
 * precision_j = cm[j][j] / (column j's sum), recall_j = cm[j][j] / (row j's sum), 0 where the sum is 0.
 */
export function precisionRecall(cm: Matrix): [Vector, Vector] {
  requireMatrix('cm', cm, undefined, cm.length);
  if (cm.some((row) => row.some((c) => !(c >= 0)))) throw new Error('cm must hold non-negative counts');
  const k = cm.length;
  const ratio = (num: number, den: number): number => (den > 0 ? num / den : 0);
  const precision = Array.from({ length: k }, (_, j) => ratio(cm[j]![j]!, cm.reduce((s, row) => s + row[j]!, 0)));
  const recall = Array.from({ length: k }, (_, j) => ratio(cm[j]![j]!, cm[j]!.reduce((s, c) => s + c, 0)));
  return [precision, recall];
}

/**
 * The four quadrants of seed 000 Q4.4, as counts in the homework's order
 * [correct & high, correct & low, incorrect & high, incorrect & low], where for each row of probs
 * (softmax outputs, one row per sample) the prediction is argmax (the first maximal class, as np.argmax),
 * the confidence is the max probability, "high" is confidence > hi and "low" is confidence < lo (both
 * strict). Samples with lo <= confidence <= hi are in no quadrant.
 */
export function confidenceQuadrants(probs: Matrix, yTrue: Vector, hi = 0.9, lo = 0.6): Vector {
  requireMatrix('probs', probs, yTrue.length);
  requireLabels('y_true', yTrue, probs[0]!.length);
  const counts = [0, 0, 0, 0];
  probs.forEach((row, i) => {
    let pred = 0;
    for (let c = 1; c < row.length; c++) if (row[c]! > row[pred]!) pred = c;
    const confidence = row[pred]!;
    const wrong = pred === yTrue[i] ? 0 : 2;
    if (confidence > hi) counts[wrong]! += 1;
    else if (confidence < lo) counts[wrong + 1]! += 1;
  });
  return counts;
}
