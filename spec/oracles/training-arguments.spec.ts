// The training references' argument errors, each by the argument it names among good ones, and values worked by
// hand on networks small enough to do so (reference/train.ts: seed 000 Q5.3's dense trainer; reference/
// classifier-training.ts: seed 004 P2.1's epoch helpers). Their suites hand them valid arguments only, and train
// real networks whose values no test states exactly.

import { describe, expect, it } from 'vitest';
import { classifierAccuracy, datasetCrossEntropy, runEpoch, trainEpochFlat } from '../../reference/classifier-training.ts';
import { cloneNetwork, forwardLayers, initNetwork, lossAndGradients, networkAccuracy, predictClasses, sgdTrainStep, trainSgd } from '../../reference/train.ts';

const f64 = (...v: number[]) => Float64Array.from(v);
const labels = (...v: number[]) => Int32Array.from(v);
const notAList = 'x' as unknown as number[];

describe("the dense trainer's arguments (reference/train.ts)", () => {
  it.each([
    ['one size', () => initNetwork([3], 'he', 'relu', 1), /^sizes must list at least an input and an output size, positive integers, got \[3\]$/],
    ['a zero size among good ones', () => initNetwork([3, 0, 2], 'he', 'relu', 1), /got \[3,0,2\]$/],
    ['a fractional size', () => initNetwork([3, 1.5], 'he', 'relu', 1), /got \[3,1\.5\]$/],
    ['sizes not a list', () => initNetwork(notAList, 'he', 'relu', 1), /^sizes must list .* got "x"$/],
    ['an unknown activation', () => initNetwork([3, 2], 'he', 'softplus', 1), /^unknown activation "softplus"; expected one of tanh, relu, sigmoid, linear$/],
    ['X of the wrong size', () => forwardLayers(initNetwork([3, 2], 'he', 'relu', 1), f64(1, 2, 3, 4, 5), 2), /^X must hold 2 rows of 3 entries, got 5 entries$/],
    ['a label equal to k among good ones', () => lossAndGradients(initNetwork([1, 2], 'he', 'relu', 1), f64(1, 2), labels(1, 2), 2), /^labels must be integers in \[0, 2\), got 2$/],
    ['a negative label', () => lossAndGradients(initNetwork([1, 2], 'he', 'relu', 1), f64(1), labels(-1), 1), /^labels must be integers in \[0, 2\), got -1$/],
  ])('%s', (_, call, message) => expect(call).toThrow(message));

  const data = { n: 2, images: f64(1, -1), labels: labels(0, 1) };
  const net = () => initNetwork([1, 2], { constant: 0 }, 'linear', 1);
  it.each([
    ['lr 0', { lr: 0, batchSize: 1, epochs: 1 }],
    ['lr NaN', { lr: NaN, batchSize: 1, epochs: 1 }],
    ['batchSize 0', { lr: 0.1, batchSize: 0, epochs: 1 }],
    ['batchSize 1.5', { lr: 0.1, batchSize: 1.5, epochs: 1 }],
    ['epochs -1', { lr: 0.1, batchSize: 1, epochs: -1 }],
    ['epochs 1.5', { lr: 0.1, batchSize: 1, epochs: 1.5 }],
  ])('trainSgd refuses %s', (_, options) => {
    expect(() => trainSgd(net(), data, { ...options, seed: 1 })).toThrow(/^need lr > 0 and positive integer batchSize and epochs, got \{"lr":/);
  });

  it('trainSgd refuses data of the wrong width, and takes 0 epochs and batches of 1', () => {
    expect(() => trainSgd(initNetwork([2, 2], { constant: 0 }, 'linear', 1), data, { lr: 0.1, batchSize: 1, epochs: 1, seed: 1 })).toThrow(/^data must hold 2 rows of 2 entries$/);
    expect(trainSgd(net(), data, { lr: 0.1, batchSize: 1, epochs: 0, seed: 1 })).toEqual([]);
    expect(trainSgd(net(), data, { lr: 0.1, batchSize: 1, epochs: 1, seed: 1 })).toHaveLength(1);
  });

  it('a network of sizes [1, 1] and its biases as asked; a constant init fills every weight', () => {
    const one = initNetwork([1, 1], 'he', 'tanh', 1, 0.25);
    expect([one.weights.length, one.biases[0]![0]]).toEqual([1, 0.25]);
    const constant = initNetwork([2, 3, 2], { constant: 0.5 }, 'relu', 1);
    expect(constant.weights.map((w) => [...w])).toEqual([[0.5, 0.5, 0.5, 0.5, 0.5, 0.5], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5]]);
    expect(constant.biases.map((b) => [...b])).toEqual([[0, 0, 0], [0, 0]]);
  });

  it('the loss and gradients of a linear layer at 0, worked by hand: ln 2, delta = (1/2 - onehot) / n', () => {
    // logits 0 for both examples: softmax (1/2, 1/2); x = 2 with label 0, x = -1 with label 1.
    const g = lossAndGradients(net(), f64(2, -1), labels(0, 1), 2);
    expect(g.loss).toBeCloseTo(Math.log(2), 15);
    // delta rows (-1/4, 1/4) and (1/4, -1/4); dW = x^T delta = 2 (-1/4, 1/4) + (-1) (1/4, -1/4); db = column sums.
    expect([...g.weights[0]!]).toEqual([-0.75, 0.75]);
    expect([...g.biases[0]!]).toEqual([0, 0]);
  });

  it('a hidden ReLU unit at exactly 0 passes nothing back; a tanh unit at 0 passes its full slope', () => {
    // One hidden unit with weight 1 from x = 0: h = f(0) = 0, the output weights 1 and -1.
    const relu = initNetwork([1, 1, 2], { constant: 1 }, 'relu', 1);
    relu.weights[1]![1] = -1;
    const tanh = cloneNetwork(relu);
    (tanh as { activation: string }).activation = 'tanh';
    // The gradient reaching the hidden unit: delta_out = (1/2, -1/2) (logits (0, 0) + biases 0), times W_out^T = 1.
    expect([...lossAndGradients(relu, f64(0), labels(1), 1).biases[0]!]).toEqual([0]);
    expect([...lossAndGradients(tanh, f64(0), labels(1), 1).biases[0]!]).toEqual([1]);
  });

  it('one SGD step is p -= lr g on weights and biases, on the network given, returning the loss before it', () => {
    const n = net();
    const before = cloneNetwork(n);
    expect(sgdTrainStep(n, f64(2, -1), labels(0, 1), 2, 0.5)).toBeCloseTo(Math.log(2), 15);
    expect([...n.weights[0]!]).toEqual([0.375, -0.375]);
    expect([...before.weights[0]!]).toEqual([0, 0]);
  });

  it('trainSgd reports each epoch, 1-based, with the mean batch loss; the last batch smaller', () => {
    const seen: [number, number][] = [];
    const three = { n: 3, images: f64(1, -1, 2), labels: labels(0, 1, 0) };
    const losses = trainSgd(net(), three, { lr: 1e-12, batchSize: 2, epochs: 2, seed: 3, onEpoch: (e, l) => seen.push([e, l]) });
    // At lr 1e-12 every batch's loss is ln 2 to 1e-11: the mean over 2 batches (2 rows and 1) is ln 2.
    expect(seen.map(([e]) => e)).toEqual([1, 2]);
    expect(seen.map(([, l]) => l)).toEqual(losses);
    for (const l of losses) expect(l).toBeCloseTo(Math.log(2), 10);
  });

  it('predictions take the first class on a tie (torch.argmax); the accuracy is the fraction right', () => {
    const tie = net();
    expect([...predictClasses(tie, f64(3, -2), 2)]).toEqual([0, 0]);
    expect(networkAccuracy(tie, { n: 4, images: f64(1, 2, 3, 4), labels: labels(0, 1, 1, 0) })).toBe(0.5);
    const leaning = net();
    leaning.biases[0]![1] = 1e-9;
    expect([...predictClasses(leaning, f64(3), 1)]).toEqual([1]);
  });
});

describe("the classifier epoch helpers' arguments (reference/classifier-training.ts)", () => {
  const W = [[0, 0]];
  const b = [0];
  const X = [[1, 2], [3, 4], [5, 6]];
  const y = [0, 0, 0];
  it.each([
    ['an unknown optimizer', () => runEpoch(W, b, X, y, 2, 0.1, 'rmsprop'), /^optimizer must be one of sgd, adam, got rmsprop$/],
    ['lr 0', () => runEpoch(W, b, X, y, 2, 0, 'sgd'), /^lr must be a positive finite number, got 0$/],
    ['W ragged', () => runEpoch([[0, 0], [0]], [0, 0], X, y, 2, 0.1, 'sgd'), /^W must be rectangular$/],
    ['b of the wrong length', () => classifierAccuracy(W, [0, 0], X, y, 2), /^b must have length 1, got 2$/],
    ['X of the wrong width', () => datasetCrossEntropy(W, b, [[1, 2, 3]], [0], 1), /^X must have 2 columns, got 3$/],
    ['y of the wrong length', () => datasetCrossEntropy(W, b, X, [0, 0], 1), /^y must have length 3, got 2$/],
  ])('%s', (_, call, message) => expect(call).toThrow(message));

  it('an SGD epoch over batches of 2 and 1, worked by hand on a one-class model (its loss 0, its gradient 0)', () => {
    // One class: every softmax is 1 and every loss 0, so the parameters do not move.
    expect(trainEpochFlat(W, b, X, y, 2, 0.5, 'sgd')).toEqual([0, 0, 0]);
    expect(runEpoch(W, b, X, y, 2, 0.5, 'adam').batches).toEqual([{ value: 0, size: 2 }, { value: 0, size: 1 }]);
  });
});
