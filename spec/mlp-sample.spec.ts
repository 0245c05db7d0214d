// The references of mlp-forward-sample and mlp-train-sample, proven without themselves: feedForwardSample
// against a forward pass written out here (loops, Math.exp) and against feedForward (proven by TensorFlow.js in
// spec/oracles/tfjs-networks.spec.ts); trainOneSample's step, divided by -learning_rate, against central
// differences of that written-out loss, on the networks the checks draw under each input scale.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gradient } from '../src/numdiff.ts';
import type { Matrix, Vector } from '../src/numeric.ts';
import { runProblem } from '../src/runner.ts';
import { moduleSubject } from '../src/subject.ts';
import * as reference from '../reference/index.ts';
import { feedForward, feedForwardSample, trainOneSample } from '../reference/mlp.ts';
import { SAMPLE_CASES, type SampleCase, mlpForwardSample, mlpTrainSample } from './mlp-sample.suite.ts';
import { Rng } from '../src/rng.ts';
import { TEST_SEED } from './seed.ts';

/** First-layer entries differentiated per case (a seeded sample of the 784 x h1). */
const FIRST_LAYER_PROBES = 64;

/** The network's loss on x, written out: sigmoid hidden layers, log-sum-exp of the logits minus logit y. */
function lossWrittenOut(weights: readonly Matrix[], biases: readonly Vector[], x: readonly number[], y: number): { loss: number; logits: number[] } {
  let a = [...x];
  let logits: number[] = [];
  weights.forEach((W, l) => {
    const z = W[0]!.map((_, j) => a.reduce((s, ai, i) => s + ai * W[i]![j]!, biases[l]![j]!));
    if (l < weights.length - 1) a = z.map((v) => 1 / (1 + Math.exp(-v)));
    else logits = z;
  });
  const m = Math.max(...logits);
  return { loss: m + Math.log(logits.reduce((s, v) => s + Math.exp(v - m), 0)) - logits[y]!, logits };
}

const cases = (scale: keyof typeof SAMPLE_CASES): SampleCase[] => fc.sample(SAMPLE_CASES[scale], { seed: TEST_SEED, numRuns: 25 });
const divisors = { 'raw-pixels': 1, 'pixels-over-255': 255 } as const;

describe.each(Object.entries(divisors) as [keyof typeof divisors, number][])('the references on the %s networks', (scale, divisor) => {
  const xOf = (c: SampleCase) => c.sample.map((p) => p / divisor);

  it('feedForwardSample: the written-out loss, feedForward\'s loss, and the one-hot vector of the largest logit', () => {
    for (const c of cases(scale)) {
      const [loss, guess] = feedForwardSample(c.weights, c.biases, xOf(c), c.y);
      const { loss: written, logits } = lossWrittenOut(c.weights, c.biases, xOf(c), c.y);
      expect(loss).toBeCloseTo(written, 12);
      expect(loss).toBe(feedForward(c.weights, c.biases, xOf(c), c.y)[0]);
      const top = logits.indexOf(Math.max(...logits));
      expect(guess).toEqual(logits.map((_, k) => (k === top ? 1 : 0)));
      expect(guess).toHaveLength(10);
    }
  });

  it('trainOneSample: (W - W\') / lr is the gradient of the written-out loss (central differences; the first layer in the coordinates U = W0 * 255 / divisor, where the loss is well conditioned)', () => {
    for (const c of cases(scale)) {
      const [W, b] = trainOneSample(c.weights, c.biases, xOf(c), c.y, c.learningRate);
      const unit = 255 / divisor; // W0 = U / unit: dL/dU = dL/dW0 / unit
      const shapes = c.weights.map((M) => [M.length, M[0]!.length] as const);
      const flat = [...c.weights.flatMap((M, l) => M.flat().map((w) => (l === 0 ? w * unit : w))), ...c.biases.flat()];
      const rebuild = (v: readonly number[]) => {
        let at = 0;
        const weights = shapes.map(([r, k], l) => Array.from({ length: r }, () => v.slice(at, (at += k)).map((u) => (l === 0 ? u / unit : u))));
        const biases = c.biases.map((bl) => v.slice(at, (at += bl.length)));
        return { weights, biases };
      };
      // Every coordinate but the first layer's 784 x h1, of which a seeded sample of FIRST_LAYER_PROBES: central
      // differences of all of them would cost 12,000 losses a case.
      const firstLayer = shapes[0]![0] * shapes[0]![1];
      const rng = new Rng(c.y * 7919 + firstLayer);
      const probes = [...new Set(Array.from({ length: FIRST_LAYER_PROBES }, () => rng.int(firstLayer)))];
      const picked = [...probes, ...Array.from({ length: flat.length - firstLayer }, (_, k) => firstLayer + k)];
      const fd = gradient((sub) => {
        const v = [...flat];
        picked.forEach((i, k) => (v[i] = sub[k]!));
        const { weights, biases } = rebuild(v);
        return lossWrittenOut(weights, biases, xOf(c), c.y).loss;
      }, picked.map((i) => flat[i]!));
      const before = c.weights.map((M) => M.flat());
      const all = [...W.flatMap((M, l) => M.flat().map((w, k) => ((before[l]![k]! - w) / c.learningRate) / (l === 0 ? unit : 1))), ...b.flatMap((bl, l) => bl.map((v, j) => (c.biases[l]![j]! - v) / c.learningRate))];
      const recovered = picked.map((i) => all[i]!);
      const worst = Math.max(...recovered.map((g, k) => Math.abs(g - fd[k]!) / (1e-6 + 1e-5 * Math.abs(fd[k]!))));
      expect(worst).toBeLessThanOrEqual(1);
    }
  });
});

describe("the seed's float32 input is within the pixels-over-255 tolerances", () => {
  // sample.flatten().astype(np.float32)/255: each pixel divided by 255 and rounded to float32, the rest float64.
  const f32 = (sample: Vector) => sample.map((p) => Math.fround(p / 255));
  const seedLike = moduleSubject('float32 input', {
    ...reference,
    feedForwardSample: (W: Matrix[], b: Vector[], sample: Vector, y: number) => feedForwardSample(W, b, f32(sample), y),
    trainOneSample: (W: Matrix[], b: Vector[], sample: Vector, y: number, lr?: number) => trainOneSample(W, b, f32(sample), y, lr),
  });
  it.each([mlpForwardSample, mlpTrainSample].map((p) => [p.id, p.conventions![0]!.problem] as const))('%s', async (_, problem) => {
    const result = await runProblem(problem, seedLike, { seed: TEST_SEED });
    expect(result.checks.filter((c) => !c.passed).map((c) => c.failure?.message)).toEqual([]);
  });
});
