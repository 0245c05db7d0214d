// The named mistakes of metrics (spec/metrics.suite.ts): in a module of their own, so that a student's self-check
// replays their recorded answers without carrying their code.

import { type Matrix, type Vector, transpose } from '../src/numeric.ts';
import type { Mistake } from '../src/problem.ts';
import { confusionMatrix, precisionRecall } from '../reference/metrics.ts';
import { argmax } from './metrics.shared.ts';
import { mistake } from './subjects.ts';

function quadrantsInclusive(probs: Matrix, yTrue: Vector, hi = 0.9, lo = 0.6): Vector {
  const out = [0, 0, 0, 0];
  probs.forEach((row, i) => {
    const p = argmax(row);
    const wrong = p === yTrue[i] ? 0 : 2;
    if (row[p]! >= hi) out[wrong]! += 1;
    else if (row[p]! <= lo) out[wrong + 1]! += 1;
  });
  return out;
}

export const metricsMistakes: readonly Mistake[] = [
  mistake({
    id: 'confusion-matrix-transposed',
    title: 'confusion matrix transposed: rows are predicted classes, columns true classes',
    hint: 'As sklearn.metrics.confusion_matrix: cm[true][pred] += 1, so row i holds the samples whose true class is i.',
    implementation: { confusionMatrix: (yTrue, yPred, k) => transpose(confusionMatrix(yTrue, yPred, k)) },
  }),
  mistake({
    id: 'precision-recall-swapped',
    title: 'precision and recall swapped (precision divides by the row sum)',
    hint: 'With rows true and columns predicted, precision_j = cm[j][j] / cm[:, j].sum() (of the samples predicted j, how many are j) and recall_j = cm[j][j] / cm[j, :].sum().',
    implementation: {
      precisionRecall: (cm) => {
        const [precision, recall] = precisionRecall(cm);
        return [recall, precision];
      },
    },
  }),
  mistake({
    id: 'quadrants-inclusive-thresholds',
    title: 'quadrant thresholds inclusive: conf >= hi counted as high and conf <= lo as low',
    hint: 'The homework defines high confidence as max prob > 0.9 and low as max prob < 0.6, both strict: a sample at exactly 0.9 or 0.6 is in no quadrant.',
    implementation: { confidenceQuadrants: quadrantsInclusive },
  }),
];
