// mlp-train-epoch's reference and check: trainOneEpoch is trainOneSample folded over the samples in the order
// given; the check passes on the reference in order and on an epoch that shuffles (the seed's student's), under
// each input scale, and fails, naming the mistake, on an epoch that skips the last sample or drops the learning
// rate, whether the samples go in order or shuffled.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Matrix, Vector } from '../src/numeric.ts';
import { runProblem } from '../src/runner.ts';
import { moduleSubject } from '../src/subject.ts';
import { Rng } from '../src/rng.ts';
import * as reference from '../reference/index.ts';
import { trainOneEpoch, trainOneSample } from '../reference/mlp.ts';
import { EPOCH_CASES, mlpTrainEpoch } from './mlp-epoch.suite.ts';
import { variantsOf } from './subjects.ts';
import { TEST_SEED } from './seed.ts';

const scales = { 'raw-pixels': 1, 'pixels-over-255': 255 } as const;
type Epoch = (weights: Matrix[], biases: Vector[], xTrain: Matrix, yTrain: Vector, learningRate?: number) => [Matrix[], Vector[]];

/** An epoch as a student writes it: shuffled (or not), `skip` samples short, the rate passed on or not. */
function studentEpoch(divisor: number, { shuffle = false, skip = 0, passRate = true }): Epoch {
  const rng = new Rng(7);
  return (weights, biases, xTrain, yTrain, learningRate = 0.003) => {
    const order = xTrain.map((_, i) => i);
    if (shuffle) for (let i = order.length - 1; i > 0; i--) { const j = rng.int(i + 1); [order[i], order[j]] = [order[j]!, order[i]!]; }
    let network: [Matrix[], Vector[]] = [weights, biases];
    for (const i of order.slice(0, order.length - skip)) network = trainOneSample(network[0], network[1], xTrain[i]!.map((p) => p / divisor), yTrain[i]!, passRate ? learningRate : 0.003);
    return network;
  };
}

describe.each(Object.entries(scales) as [keyof typeof scales, number][])('mlp-train-epoch on the %s data sets', (scale, divisor) => {
  const problem = scale === 'raw-pixels' ? mlpTrainEpoch : mlpTrainEpoch.conventions![0]!.problem;

  it('trainOneEpoch is trainOneSample over the samples in the order given', () => {
    for (const c of fc.sample(EPOCH_CASES[scale], { seed: TEST_SEED, numRuns: 10 })) {
      const order = [2, 0, 3, 1];
      let network: [Matrix[], Vector[]] = [c.weights, c.biases];
      for (const i of order) network = trainOneSample(network[0], network[1], c.xTrain[i]!, c.yTrain[i]!, c.learningRate);
      expect(trainOneEpoch(c.weights, c.biases, c.xTrain, c.yTrain, c.learningRate, order)).toEqual(network);
    }
  });

  it.each([
    { name: 'in order', shuffle: false },
    { name: 'shuffled', shuffle: true },
  ])('an epoch $name passes', async ({ shuffle }) => {
    const result = await runProblem(problem, moduleSubject('student', { ...reference, trainOneEpoch: studentEpoch(divisor, { shuffle }) }), { seed: TEST_SEED });
    expect(result.checks.filter((c) => !c.passed).map((c) => c.failure?.message)).toEqual([]);
  });

  it.each([
    { mistake: 'epoch-skips-last-sample', skip: 1, passRate: true },
    { mistake: 'epoch-learning-rate-not-passed', skip: 0, passRate: false },
  ])('$mistake fails, named, in order and shuffled', async ({ mistake, skip, passRate }) => {
    for (const shuffle of [false, true]) {
      const subject = moduleSubject('student', { ...reference, trainOneEpoch: studentEpoch(divisor, { shuffle, skip, passRate }) });
      const result = await runProblem(problem, subject, { seed: TEST_SEED, variants: variantsOf(problem) });
      expect(result.checks.map((c) => c.passed)).toEqual([false]);
      expect(result.checks[0]!.diagnosis?.map((d) => d.id)).toEqual([mistake]);
    }
  });
});
