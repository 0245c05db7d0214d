// mlp-forward-sample and mlp-train-sample (seed 002 Q4.2 and Q4.3): the handout's own interface to the numpy
// network of problem 4. feed_forward_sample(sample, y) returns (loss, one_hot_guess) and
// train_one_sample(sample, y, learning_rate) makes one SGD step, both over the module globals weights and
// biases (lists; weights[l] is (n_in, n_out), a layer is a @ W + b, sigmoid hidden layers, a softmax output
// of 10 classes, the cross-entropy loss). The catalog passes the globals as arguments
// (feed_forward_sample(weights, biases, sample, y), train_one_sample(...) returning the updated
// (weights, biases)); an assignment binds them to the globals (`globals:`, `returns: globals`).
//
// The step is graded through the gradient it took: (W - W') / learning_rate, with learning rates that are
// powers of two (1/16 .. 1/2), so that lr * g is exact and the recovered gradient is off by at most
// ulp(W') / lr (2e-15 here, 2e-6 for a float32 answer: far below the tolerances).
//
// Input scale. The handout feeds the pixels as they are (0..255); the seed's student divides them by 255 in both
// functions, a choice the handout does not forbid. Each problem is defined for the raw sample (`raw-pixels`,
// the catalog's definition) and has the convention `pixels-over-255`; an assignment may accept both, and the
// report says which one the code matched. The networks are drawn per convention so that the first layer's
// pre-activations have the same size either way (W0 = U / 255 for raw pixels, W0 = U for pixels / 255).
//
// Sizes: the handout's depth (two hidden layers, so code that hard-codes three layers is graded too), the
// handout's sample, an MNIST digit of 784 pixels (0 half of the time, as in MNIST; code that reshapes it to 784 or
// (28, 28) works), hidden widths 1..8, 10 classes: a few thousand parameters per call. The first layer's entries
// are scaled by sqrt(64/784) = 2/7, so that a unit's pre-activation, a sum of some 400 random terms, is as large
// as for 64 pixels: the first layer weighs in the logits, and a sample taken at the wrong scale changes the guess.

import fc from 'fast-check';
import { decodeLike } from '../src/decode.ts';
import { CheckFailure, type Call, type Value } from '../src/failure.ts';
import { expectClose, expectThat } from '../src/laws.ts';
import { type Matrix, type Vector } from '../src/numeric.ts';
import { type Check, type Problem, defineCheck } from '../src/problem.ts';
import type { Subject } from '../src/subject.ts';
import { Rng } from '../src/rng.ts';
import { CLOSED_FORM, type Tolerance, tolerance } from '../src/tolerance.ts';
import { argmax, backprop, feedForwardSample, forwardPass } from '../reference/mlp.ts';
import { pixelsOver255ForwardMistakes, pixelsOver255TrainMistakes, rawPixelForwardMistakes, rawPixelTrainMistakes } from './mlp-sample.mistakes.ts';
import { scaledForward, stepWith } from './mlp-sample.shared.ts';

/** The handout's output layer: integer_to_one_hot(y, 10). */
export const CLASSES = 10;

/** The learning rates of the step checks: powers of two, so that lr * g is exact. */
export const STEP_RATES = [1 / 16, 1 / 8, 1 / 4, 1 / 2] as const;

export interface SampleCase {
  readonly weights: Matrix[];
  readonly biases: Vector[];
  /** Pixels, integers in 0..255. */
  readonly sample: Vector;
  readonly y: number;
  readonly learningRate: number;
}

/** An input scale: what the code divides the pixels by before the first layer. */
interface Scale {
  readonly id: 'raw-pixels' | 'pixels-over-255';
  readonly title: string;
  readonly divisor: number;
  /** Loss and step tolerances under this scale. */
  readonly loss: Tolerance;
  readonly step: Tolerance;
}

const SCALES: Readonly<Record<Scale['id'], Scale>> = {
  'raw-pixels': {
    id: 'raw-pixels',
    title: 'the sample as given (pixels 0..255), as the handout feeds it',
    divisor: 1,
    loss: CLOSED_FORM,
    // float32 input is exact (integers); what is left is float64 rounding and the recovery (W - W')/lr (< 1e-14).
    step: tolerance(1e-6, 1e-9, 'float64 backprop; the recovered gradient (W - W\')/lr is off by at most ulp(W\')/lr < 1e-14'),
  },
  'pixels-over-255': {
    id: 'pixels-over-255',
    title: 'the sample divided by 255 (pixels in [0, 1]), as the seed\'s student normalises it',
    divisor: 255,
    // The seed rounds the scaled input to float32 (sample.astype(np.float32)/255): 6e-8 relative per pixel. With
    // |x| <= 1, sum_i |W0_ij| <= 784 * 0.25 * 2/7 = 56, widths <= 8, |W| <= 1 and sigmoid' <= 1/4, the logits
    // move by at most 1.3e-5 and the loss by at most 2.7e-5 (all roundings aligned; typically 1e-8).
    loss: tolerance(1e-6, 6e-5, "the seed's float32 input (astype(np.float32)/255): the loss moves by at most 2.7e-5"),
    // The same rounding through the backward pass: output deltas move by at most 2.7e-5, hidden ones by 8e-5
    // and 1.75e-4 (sigmoid'' <= 0.1 included), so a gradient entry by at most 1.75e-4.
    step: tolerance(1e-6, 3e-4, "the seed's float32 input (astype(np.float32)/255): a gradient entry moves by at most 1.75e-4"),
  },
};

// --- the networks -------------------------------------------------------------------------------------------

/** Entries on the 0.01 grid in [-m, m]. */
const grid = (rng: Rng, m: number) => Math.round(rng.uniformIn(-m, m) * 100) / 100;

const matrix = (rng: Rng, rows: number, cols: number, m: number, divisor = 1): Matrix =>
  Array.from({ length: rows }, () => Array.from({ length: cols }, () => grid(rng, m) / divisor));

/** The handout's sample: an MNIST digit, 784 pixels. */
export const PIXELS = 784;

/**
 * Cases a check: each sends the student a network of some 6,000 weights (784 pixels); every named mistake of these
 * problems changes the answer on any case, so 15 prove as much as the default 200 at a fraction of the cost.
 */
export const SAMPLE_RUNS = 15;

/** The logits' top two differ by at least this much, so that no rounding of the student's can change the guess. */
const GUESS_MARGIN = 1e-3;

function logitGap(c: SampleCase, divisor: number): number {
  const logits = forwardPass(c.weights, c.biases, c.sample.map((p) => p / divisor)).zs.at(-1)!;
  const sorted = [...logits].sort((a, b) => b - a);
  return sorted[0]! - sorted[1]!;
}

/**
 * A network with the handout's depth (two sigmoid hidden layers, 10 outputs) and an MNIST-like sample: 784
 * pixels, half of them 0 and the rest uniform in 1..255; hidden widths 1..8. Weights on the 0.01 grid: the first
 * layer's in [-0.25, 0.25] scaled by sqrt(64/784) = 2/7 and by 1 / (255 / divisor) (the same pre-activations under either
 * scale), the others in [-1, 1], biases in [-1, 1]. Entries come from a seeded generator (hundreds per case); fast-check draws the
 * sizes, the label, the learning rate and the seed, and shrinks them.
 */
function sampleCase(divisor: number): fc.Arbitrary<SampleCase> {
  return fc
    .record({
      h1: fc.integer({ min: 1, max: 8 }),
      h2: fc.integer({ min: 1, max: 8 }),
      y: fc.nat(CLASSES - 1),
      learningRate: fc.constantFrom(...STEP_RATES),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    })
    .map(({ h1, h2, y, learningRate, seed }) => {
      const rng = new Rng(seed);
      return {
        weights: [matrix(rng, PIXELS, h1, 0.25, (255 / divisor) * Math.sqrt(PIXELS / 64)), matrix(rng, h1, h2, 1), matrix(rng, h2, CLASSES, 1)],
        biases: [h1, h2, CLASSES].map((w) => Array.from({ length: w }, () => grid(rng, 1))),
        sample: Array.from({ length: PIXELS }, () => (rng.uniform() < 0.5 ? 0 : 1 + rng.int(255))),
        y,
        learningRate,
      };
    })
    .filter((c) => logitGap(c, divisor) >= GUESS_MARGIN);
}

// --- the named mistakes under each scale (spec/mlp-sample.mistakes.ts) --------------------------------------

const MISTAKES = {
  'raw-pixels': { forward: rawPixelForwardMistakes, train: rawPixelTrainMistakes },
  'pixels-over-255': { forward: pixelsOver255ForwardMistakes, train: pixelsOver255TrainMistakes },
} as const;

// --- the checks ---------------------------------------------------------------------------------------------

const forwardArgs = (c: SampleCase): Value[] => [c.weights, c.biases, c.sample, c.y];
const trainArgs = (c: SampleCase): Value[] => [c.weights, c.biases, c.sample, c.y, c.learningRate];

/** feed_forward_sample's answer, which must be the pair (loss, guess). */
async function callForward(subject: Subject, c: SampleCase): Promise<{ call: Call; loss: number; guess: Value }> {
  const call: Call = { fn: 'feed_forward_sample', args: forwardArgs(c) };
  const answer = await subject.call(call.fn, call.args);
  if (!Array.isArray(answer) || answer.length !== 2) {
    throw new CheckFailure({ code: 'wrong_shape', message: 'feed_forward_sample returns the pair (loss, one_hot_guess)', call, received: answer, answer });
  }
  return { call, loss: decodeLike(answer[0] as Value, 0, call) as number, guess: answer[1] as Value };
}

/** The gradients the step took: (W - W') / lr for every weight and bias, with the shapes of W and b. */
async function stepGradients(subject: Subject, c: SampleCase): Promise<{ call: Call; dW: Matrix[]; db: Vector[] }> {
  const call: Call = { fn: 'train_one_sample', args: trainArgs(c) };
  const [after, afterB] = decodeLike(await subject.call(call.fn, call.args), [c.weights, c.biases], call) as [Matrix[], Vector[]];
  const lr = c.learningRate;
  return { call, dW: after.map((W, l) => W.map((row, i) => row.map((w, j) => (c.weights[l]![i]![j]! - w) / lr))), db: afterB.map((b, l) => b.map((v, j) => (c.biases[l]![j]! - v) / lr)) };
}

function sampleProblems(scale: Scale): { forward: Problem; train: Problem } {
  const { divisor } = scale;
  const arbitrary = sampleCase(divisor);
  const x = (c: SampleCase) => (divisor === 1 ? c.sample : c.sample.map((p) => p / divisor));
  const input = divisor === 1 ? 'the sample as given' : 'the sample divided by 255';
  const mistakes = MISTAKES[scale.id];
  const forwardChecks: Check[] = [
    defineCheck({
      id: 'loss-matches-reference',
      title: `feed_forward_sample(sample, y) returns (loss, guess) with loss = -log softmax(z)[y], z the output of the sigmoid hidden layers on ${input}`,
      arbitrary,
      numRuns: SAMPLE_RUNS,
      tolerance: scale.loss,
      comparesWithReference: ['feed_forward_sample'],
      run: async (subject, c, context) => {
        const { call, loss } = await callForward(subject, c);
        expectClose(loss, feedForwardSample(c.weights, c.biases, x(c), c.y)[0], context.tol(scale.loss), { message: `the cross-entropy loss of the sample (the network on ${input})`, call });
      },
    }),
    defineCheck({
      id: 'guess-is-one-hot-argmax',
      title: 'the guess is integer_to_one_hot(argmax of the output, 10): ten entries, 1 at the most likely class and 0 elsewhere',
      arbitrary,
      numRuns: SAMPLE_RUNS,
      tolerance: tolerance(0, 0, 'a one-hot vector is exact'),
      comparesWithReference: ['feed_forward_sample'],
      run: async (subject, c) => {
        const { call, guess } = await callForward(subject, c);
        const expected = feedForwardSample(c.weights, c.biases, x(c), c.y)[1];
        const received = decodeLike(guess, expected, call);
        expectThat(JSON.stringify(received) === JSON.stringify(expected), {
          message: `the guess is the one-hot vector of class ${argmax(expected)}, the most likely one`,
          call,
          expected,
          received,
        });
      },
    }),
  ];
  const stepCheck = (part: 'weights' | 'biases'): Check =>
    defineCheck({
      id: part === 'weights' ? 'weight-step-is-gradient' : 'bias-step-is-gradient',
      title:
        part === 'weights'
          ? `train_one_sample(sample, y, learning_rate) moves every weights[l] by -learning_rate * dL/dW_l = -learning_rate * outer(a_l, delta_l) (backprop on ${input})`
          : `train_one_sample(sample, y, learning_rate) moves every biases[l] by -learning_rate * dL/db_l = -learning_rate * delta_l`,
      arbitrary,
      numRuns: SAMPLE_RUNS,
      tolerance: scale.step,
      comparesWithReference: ['train_one_sample'],
      run: async (subject, c, context) => {
        const { call, dW, db } = await stepGradients(subject, c);
        const [eW, eb] = backprop(c.weights, c.biases, x(c), c.y);
        expectClose(part === 'weights' ? dW : db, part === 'weights' ? eW : eb, context.tol(scale.step), {
          message: `the step divided by -learning_rate (${c.learningRate}) is the gradient of the loss with respect to the ${part}`,
          call,
        });
      },
    });
  const suffix = divisor === 1 ? '' : ' (the sample divided by 255)';
  return {
    forward: {
      id: 'mlp-forward-sample',
      title: `feed_forward_sample of the seed 002 network: (loss, one-hot guess) over the globals weights, biases${suffix}`,
      source: 'seed 002, Q4.2',
      signatures: ['feed_forward_sample(weights, biases, sample, y)'],
      checks: forwardChecks,
      mistakes: mistakes.forward,
    },
    train: {
      id: 'mlp-train-sample',
      title: `train_one_sample of the seed 002 network: one SGD step on the globals weights, biases${suffix}`,
      source: 'seed 002, Q4.3',
      signatures: ['train_one_sample(weights, biases, sample, y, learning_rate=0.003)'],
      checks: [stepCheck('weights'), stepCheck('biases')],
      mistakes: mistakes.train,
    },
  };
}

const raw = sampleProblems(SCALES['raw-pixels']);
const over255 = sampleProblems(SCALES['pixels-over-255']);
const definition = { id: SCALES['raw-pixels'].id, title: SCALES['raw-pixels'].title };
const overTitle = SCALES['pixels-over-255'].title;

export const mlpForwardSample: Problem = {
  ...raw.forward,
  definition,
  conventions: [{ id: 'pixels-over-255', title: overTitle, implementation: { feedForwardSample: scaledForward(255, feedForwardSample) }, problem: over255.forward }],
};

export const mlpTrainSample: Problem = {
  ...raw.train,
  definition,
  conventions: [{ id: 'pixels-over-255', title: overTitle, implementation: { trainOneSample: stepWith(255, backprop) }, problem: over255.train }],
};

/** The networks each scale draws (spec/mlp-sample.spec.ts proves the references on them). */
export const SAMPLE_CASES = { 'raw-pixels': sampleCase(1), 'pixels-over-255': sampleCase(255) } as const;
