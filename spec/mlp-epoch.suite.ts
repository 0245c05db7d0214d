// mlp-train-epoch (seed 002 Q4.4): train_one_epoch(learning_rate=0.003) loops the handout's train_one_sample over
// the training set, the module globals x_train and y_train, updating the globals weights and biases. The catalog
// passes them as arguments, train_one_epoch(weights, biases, x_train, y_train, learning_rate), and takes the
// network after the epoch back; an assignment binds them to the globals (`globals:`, `returns: [weights, biases]`).
//
// One epoch is train_one_sample over every sample once. The handout says "loop over the entire training dataset"
// and does not forbid shuffling; the seed's student shuffles (rng.permutation) and got full marks. So the check
// accepts any order: the data set has 4 samples, and the network must be the reference epoch in one of the 24
// orders (the orders differ by far more than the tolerance, so the one that matches is the one the code took).
// The named mistakes are recognised in any order too: each is rerun on the data set in every order.
//
// Learning rates 1/64 and 1/32: powers of two (lr * g exact), and far from the default 0.003, so a rate that is
// not passed through to train_one_sample changes every step by a factor of 5 or more.
//
// Input scale: as mlp-train-sample's (spec/mlp-sample.suite.ts), the handout's raw pixels and the seed's pixels
// divided by 255 are both definitions; train_one_epoch calls the student's own train_one_sample, so a mistake in
// it costs this task too, as the handout's code makes one call the other.

import fc from 'fast-check';
import { decodeLike } from '../src/decode.ts';
import { CheckFailure, type Call, type Value } from '../src/failure.ts';
import { expectClose } from '../src/laws.ts';
import type { Matrix, Vector } from '../src/numeric.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import type { Subject } from '../src/subject.ts';
import { Rng } from '../src/rng.ts';
import { compare, tolerance } from '../src/tolerance.ts';
import { trainOneEpoch } from '../reference/mlp.ts';
import { CLASSES, SAMPLE_CASES } from './mlp-sample.suite.ts';
import { pixelsOver255EpochMistakes, rawPixelEpochMistakes } from './mlp-epoch.mistakes.ts';
import { scaledEpoch } from './mlp-epoch.shared.ts';

/** The learning rates of the epoch check (powers of two, 5 and 10 times the default 0.003). */
export const EPOCH_RATES = [1 / 64, 1 / 32] as const;

/** Cases of the epoch check (see its run). */
const EPOCH_RUNS = 8;

/** Samples per data set: 4! = 24 orders to try. */
const SAMPLES = 4;

export interface EpochCase {
  readonly weights: Matrix[];
  readonly biases: Vector[];
  /** Pixels, integers in 0..255, one sample a row. */
  readonly xTrain: Matrix;
  readonly yTrain: Vector;
  readonly learningRate: number;
}

// The float32 input of the seed (astype(np.float32)/255) moves a step's gradient entry by at most 1.75e-4
// (mlp-train-sample's bound), so an entry of the network by lr * 1.75e-4 <= 5.5e-6 per step, 2.2e-5 over 4 steps
// (64 pixels, measured over 2000 cases: 3.1e-10). Wrong epochs (a sample skipped, the default rate) differ by more
// than 1e-2.
const EPOCH_TOLERANCE = tolerance(1e-6, 4e-5, "4 steps, each off by at most lr * 1.75e-4 for the seed's float32 input (astype(np.float32)/255)");

/** A network of mlp-train-sample's cases (its sample the first of the set) and 3 more MNIST-like samples. */
function epochCase(divisor: 1 | 255): fc.Arbitrary<EpochCase> {
  return fc
    .record({ c: SAMPLE_CASES[divisor === 1 ? 'raw-pixels' : 'pixels-over-255'], seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }), learningRate: fc.constantFrom(...EPOCH_RATES) })
    .map(({ c, seed, learningRate }) => {
      const rng = new Rng(seed);
      const more = Array.from({ length: SAMPLES - 1 }, () => c.sample.map(() => (rng.uniform() < 0.5 ? 0 : 1 + rng.int(255))));
      return { weights: c.weights, biases: c.biases, xTrain: [c.sample, ...more], yTrain: [c.y, ...more.map(() => rng.int(CLASSES))], learningRate };
    });
}

/** Every order of 0..n-1. */
function orders(n: number): number[][] {
  if (n === 0) return [[]];
  return orders(n - 1).flatMap((o) => Array.from({ length: n }, (_, k) => [...o.slice(0, k), n - 1, ...o.slice(k)]));
}
const ORDERS = orders(SAMPLES);

/** The candidate among `answers` closest to `received` (the smallest worst error relative to what is allowed). */
function closest(received: [Matrix[], Vector[]], answers: readonly [Matrix[], Vector[]][]): { answer: [Matrix[], Vector[]]; ok: boolean } {
  let best = { answer: answers[0]!, ok: false, excess: Infinity };
  for (const answer of answers) {
    const c = compare(received, answer, EPOCH_TOLERANCE);
    const excess = c.ok ? 0 : c.worst ? c.worst.absError / c.worst.allowed : Infinity;
    if (excess < best.excess) best = { answer, ok: c.ok, excess };
  }
  return best;
}

const call = (c: EpochCase, order: readonly number[] = c.xTrain.map((_, i) => i)): Call => ({
  fn: 'train_one_epoch',
  args: [c.weights, c.biases, order.map((i) => c.xTrain[i]!), order.map((i) => c.yTrain[i]!), c.learningRate],
});

/** `subject`'s network after the epoch on the data set in `order`. */
async function epochOf(subject: Subject, c: EpochCase, order?: readonly number[]): Promise<[Matrix[], Vector[]]> {
  const at = call(c, order);
  return decodeLike(await subject.call(at.fn, at.args), [c.weights, c.biases], at) as [Matrix[], Vector[]];
}

function epochProblem(divisor: 1 | 255): Problem {
  const input = divisor === 1 ? 'the samples as given' : 'the samples divided by 255';
  const check = defineCheck({
    id: 'epoch-is-every-sample-once',
    title: `train_one_epoch(learning_rate) leaves the network train_one_sample gives over every sample of x_train once, with that learning rate, in order or shuffled (${input})`,
    arbitrary: epochCase(divisor),
    // Each case is 24 reference epochs (one per order) of 784-pixel samples; the named mistakes change every case.
    numRuns: EPOCH_RUNS,
    tolerance: EPOCH_TOLERANCE,
    comparesWithReference: ['train_one_epoch'],
    run: async (subject, c, context) => {
      const at = call(c);
      const received = await epochOf(subject, c);
      const x = divisor === 1 ? c.xTrain : c.xTrain.map((s) => s.map((p) => p / divisor));
      const found = closest(received, ORDERS.map((order) => trainOneEpoch(c.weights, c.biases, x, c.yTrain, c.learningRate, order)));
      if (found.ok) return;
      try {
        expectClose(received, found.answer, context.tol(EPOCH_TOLERANCE), {
          message: `the network after one epoch (${SAMPLES} samples, learning_rate ${c.learningRate}) is train_one_sample over every sample once, in none of the ${ORDERS.length} orders (compared here with the closest)`,
          call: at,
        });
      } catch (error) {
        if (!(error instanceof CheckFailure)) throw error;
        // A named mistake explains the answer if it gives it in some order: rerun it on the data set in each.
        const rerun = async (other: Subject): Promise<Value> => closest(received, await Promise.all(ORDERS.map((order) => epochOf(other, c, order)))).answer as unknown as Value;
        throw new CheckFailure({ ...error.failure, answer: received as unknown as Value, rerun: { target: 'train_one_epoch', run: rerun } });
      }
    },
  });
  return {
    id: 'mlp-train-epoch',
    title: `train_one_epoch of the seed 002 network: train_one_sample over every sample of x_train once${divisor === 1 ? '' : ' (the samples divided by 255)'}`,
    source: 'seed 002, Q4.4',
    signatures: ['train_one_epoch(weights, biases, x_train, y_train, learning_rate=0.003)'],
    checks: [check],
    mistakes: divisor === 1 ? rawPixelEpochMistakes : pixelsOver255EpochMistakes,
  };
}

const raw = epochProblem(1);
const over255 = epochProblem(255);

export const mlpTrainEpoch: Problem = {
  ...raw,
  definition: { id: 'raw-pixels', title: 'the samples as given (pixels 0..255), as the handout feeds them' },
  conventions: [
    { id: 'pixels-over-255', title: "the samples divided by 255 (pixels in [0, 1]), as the seed's student normalises them", implementation: { trainOneEpoch: scaledEpoch(255) }, problem: over255 },
  ],
};

/** The data sets each scale draws (spec/mlp-epoch.spec.ts proves the reference and the check on them). */
export const EPOCH_CASES = { 'raw-pixels': epochCase(1), 'pixels-over-255': epochCase(255) } as const;
