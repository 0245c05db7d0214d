// The named mistakes of mytorch-linear, mytorch-activations and mytorch-softmax-ce (spec/mytorch-modules.suite.ts):
// in a module of their own, so that a student's self-check replays their recorded answers without carrying their code.

import { type Matrix, type Vector, matmul, transpose } from '../src/numeric.ts';
import type { Mistake } from '../src/problem.ts';
import { Rng, hashSeed } from '../src/rng.ts';
import { linearBackward, maxFanVariance, reluBackward, sigmoidBackward, softmaxCeGradient, softmaxCeLoss, stableSigmoid } from '../reference/mytorch.ts';
import { naiveCeSum } from './mytorch-modules.shared.ts';
import { mistake } from './subjects.ts';

/** Deterministic N(0, std^2) draws for the initialisation variants. */
function gaussianMatrix(rows: number, cols: number, std: number, salt: string): Matrix {
  const rng = new Rng(hashSeed(salt, rows, cols));
  return Array.from({ length: rows }, () => rng.normalVector(cols, 0, std));
}

export const mytorchLinearMistakes: readonly Mistake[] = [
  mistake({
    id: 'forward-no-bias',
    title: 'forward returns X W^T without adding the bias',
    hint: 'Z = x @ W.T + b: the bias (shape (out,)) is broadcast over the batch.',
    implementation: { linearForward: (W, _b, X) => matmul(X, transpose(W)) },
  }),
  mistake({
    id: 'dw-not-transposed',
    title: 'dW computed as X^T G, of shape (in, out), instead of G^T X',
    hint: 'W has shape (out, in), so dW must too: dW = grad_output.T @ x.',
    implementation: { linearBackward: (W, b, X, G) => ((([, db, dX]) => [matmul(transpose(X), G), db, dX] as [Matrix, Vector, Matrix])(linearBackward(W, b, X, G))) },
  }),
  mistake({
    id: 'db-not-summed',
    title: 'db averaged over the batch instead of summed',
    hint: 'Each sample contributes its gradient to the bias: db = grad_output.sum(axis=0), not the mean.',
    implementation: { linearBackward: (W, b, X, G) => ((([dW, db, dX]) => [dW, db.map((v) => v / X.length), dX] as [Matrix, Vector, Matrix])(linearBackward(W, b, X, G))) },
  }),
  mistake({
    id: 'dx-uses-transpose',
    title: 'dX computed with W^T (G W^T), which only has the right shape when the layer is square',
    hint: 'Z = X W^T, so dX = grad_output @ W (W is (out, in), grad_output is (batch, out)).',
    implementation: {
      linearBackward: (W, b, X, G) => {
        if (W.length !== W[0]!.length) throw new Error(`shapes (${G.length},${G[0]!.length}) and (${W[0]!.length},${W.length}) not aligned`);
        const [dW, db] = linearBackward(W, b, X, G);
        return [dW, db, matmul(G, transpose(W))];
      },
    },
  }),
  mistake({
    id: 'init-transposed',
    title: 'W initialised with shape (in, out)',
    hint: 'Linear(in_features, out_features) stores W of shape (out_features, in_features), as torch.nn.Linear.',
    implementation: {
      linearInit: (nIn, nOut) => {
        const std = Math.sqrt(maxFanVariance(nIn, nOut));
        return [gaussianMatrix(nIn, nOut, std, 'init-transposed'), new Array<number>(nOut).fill(0)];
      },
    },
  }),
  mistake({
    id: 'init-unscaled',
    title: 'W initialised N(0, 1) (np.random.randn without a scale)',
    hint: 'Scale the normal draws: W = np.random.randn(out, in) * np.sqrt(1 / max(in, out)) (or Xavier: sqrt(2 / (in + out))).',
    implementation: { linearInit: (nIn, nOut) => [gaussianMatrix(nOut, nIn, 1, 'init-unscaled'), new Array<number>(nOut).fill(0)] },
  }),
  mistake({
    id: 'init-random-bias',
    title: 'the bias initialised at random instead of zero',
    hint: 'The handout starts every bias at zero: b = np.zeros(out_features).',
    implementation: {
      linearInit: (nIn, nOut) => [gaussianMatrix(nOut, nIn, Math.sqrt(maxFanVariance(nIn, nOut)), 'init-random-bias'), gaussianMatrix(1, nOut, 1, 'init-random-bias-b')[0]!],
    },
  }),
];

export const mytorchActivationsMistakes: readonly Mistake[] = [
  mistake({
    id: 'relu-no-mask',
    title: 'ReLU.backward returns grad_output unchanged',
    hint: 'ReLU passes the gradient only where its input was positive: grad_output * (x > 0), with x cached in forward.',
    implementation: { reluBackward: (_X, G) => G.map((row) => [...row]) },
  }),
  mistake({
    id: 'relu-mask-on-grad',
    title: 'ReLU.backward masks by the sign of grad_output instead of the sign of the input',
    hint: 'The mask is 1[x > 0] for the input x cached in forward, not 1[grad_output > 0].',
    implementation: { reluBackward: (_X, G) => G.map((row) => row.map((g) => (g > 0 ? g : 0))) },
  }),
  mistake({
    id: 'sigmoid-overflow',
    title: 'Sigmoid computed as exp(x) / (1 + exp(x)) without clipping: inf / inf = nan for large inputs',
    hint: 'Clip the input (np.clip(x, -500, 500)) or use 1 / (1 + exp(-x)) for x >= 0 and exp(x) / (1 + exp(x)) for x < 0.',
    implementation: {
      sigmoidForward: (X) => X.map((row) => row.map((x) => Math.exp(x) / (1 + Math.exp(x)))),
      sigmoidBackward: (X, G) =>
        G.map((row, i) =>
          row.map((g, j) => {
            const s = Math.exp(X[i]![j]!) / (1 + Math.exp(X[i]![j]!));
            return g * s * (1 - s);
          }),
        ),
    },
  }),
  mistake({
    id: 'sigmoid-backward-resquashes',
    title: 'Sigmoid.backward applies the sigmoid to the cached output again: s(s(x))(1 - s(s(x)))',
    hint: 'If forward caches s = sigmoid(x), backward is grad_output * s * (1 - s); do not pass s through the sigmoid again.',
    implementation: { sigmoidBackward: (X, G) => sigmoidBackward(X.map((row) => row.map(stableSigmoid)), G) },
  }),
];

export const mytorchActivationsPlantedMistakes: readonly Mistake[] = [
  mistake({
    id: 'relu-forward-leaky',
    title: 'ReLU.forward leaks 0.01 x for negative x',
    hint: 'planted',
    implementation: { reluForward: (X) => X.map((row) => row.map((x) => (x > 0 ? x : 0.01 * x))), reluBackward: (X, G) => reluBackward(X, G) },
  }),
];

export const mytorchSoftmaxCeMistakes: readonly Mistake[] = [
  mistake({
    id: 'forward-sum-backward-mean',
    title: 'forward sums the loss over the batch, backward divides the gradient by the batch',
    hint: 'Pick one reduction for both: a summed loss has gradient yhat - y; if backward divides by the batch size, forward must average the loss.',
    implementation: { softmaxCeBackward: (logits, Y) => softmaxCeGradient(logits, Y, 'mean') },
  }),
  mistake({
    id: 'forward-mean-backward-sum',
    title: 'forward averages the loss over the batch, backward returns yhat - y without the 1/batch',
    hint: 'Pick one reduction for both: an averaged loss has gradient (yhat - y) / batch.',
    implementation: { softmaxCeForward: (logits, Y) => softmaxCeLoss(logits, Y, 'mean') },
  }),
  mistake({
    id: 'ce-no-max-subtraction',
    title: 'softmax without subtracting the row max: exp overflows to inf and the loss is nan',
    hint: 'Compute exp(logits - logits.max(axis=1, keepdims=True)): the shift does not change the softmax but keeps exp finite.',
    implementation: {
      softmaxCeForward: (logits, Y) => naiveCeSum(logits, Y),
      softmaxCeBackward: (logits, Y) =>
        logits.map((row, i) => {
          const e = row.map(Math.exp);
          const s = e.reduce((a, v) => a + v, 0);
          return e.map((v, k) => v / s - Y[i]![k]!);
        }),
    },
  }),
  mistake({
    id: 'ce-loss-sign',
    title: 'the loss without its minus sign: sum of y log yhat (negative)',
    hint: 'Cross-entropy is L = -sum y log yhat: log yhat <= 0, so the loss is non-negative.',
    implementation: { softmaxCeForward: (logits, Y) => -softmaxCeLoss(logits, Y, 'sum') },
  }),
  mistake({
    id: 'ce-backward-sign',
    title: 'backward returns y - yhat (the sign flipped)',
    hint: 'd/dz of -sum y log softmax(z) is softmax(z) - y: predictions minus targets.',
    implementation: { softmaxCeBackward: (logits, Y) => softmaxCeGradient(logits, Y, 'sum').map((row) => row.map((g) => -g)) },
  }),
];
