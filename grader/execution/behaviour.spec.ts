// A model's forward pass and initial weights judged without a process (grader/execution/behaviour.ts,
// grader/execution/weights.ts): a forward pass computed in float32 (every product and sum rounded, in either
// summation order) passes against the float64 reference with its own weights, step by step and end to end; each
// typical mistake (a missing ReLU, the wrong activation, Softmax or LogSoftmax on the logits, an extra layer) fails,
// saying where and what it applies instead. Weights drawn as the method draws pass; the fans swapped, the layout not
// transposed, a non-zero entry of a zero method or of a bias fail, saying which layer.

import { describe, expect, it } from 'vitest';
import { type StackLayer, parseStack, planOf } from '../../reference/layer-stack.ts';
import { Rng } from '../../src/rng.ts';
import { computesDifference } from './behaviour.ts';
import { type Float32Model, type Step, float32State } from './float32-model.ts';
import { biasesDifference, weightsDifference } from './weights.ts';

const f32 = Math.fround;
const SIZES = [12, 8, 6, 3];
const LAYERS: StackLayer[] = parseStack('Flatten, Linear, ReLU, Linear, Tanh, Linear');
const HANDOUT: Step[] = ['ReLU', 'Tanh', 'nothing'];

/** The model's state when its forward pass applies `steps` after its Linear layers, on (4, 3, 2, 2) images. */
const state = (steps: readonly Step[], options: Partial<Float32Model> = {}) => float32State({ sizes: SIZES, steps, randomBiases: true, item: [3, 2, 2], ...options });

describe('computes: the forward pass against the float64 reference with its own weights', () => {
  it('the stack reads as the handout writes it', () => {
    expect(planOf(LAYERS)).toEqual({ before: [], after: [['ReLU'], ['Tanh'], []] });
  });

  it.each([
    { how: 'step by step, summing forwards', options: {} },
    { how: 'step by step, summing backwards', options: { reverse: true } },
    { how: 'end to end (the Linear modules never called)', options: { hooks: false } },
  ])('a float32 forward pass passes, $how', ({ options }) => {
    expect(computesDifference(LAYERS, state(HANDOUT, options))).toBeUndefined();
  });

  it.each([
    { mistake: 'a missing ReLU', steps: ['nothing', 'Tanh', 'nothing'], says: "between Linear 1 (12 -> 8) and Linear 2 the forward pass applies nothing where the handout's network applies ReLU" },
    { mistake: 'Sigmoid for Tanh', steps: ['ReLU', 'Sigmoid', 'nothing'], says: "between Linear 2 (8 -> 6) and Linear 3 the forward pass applies Sigmoid where the handout's network applies Tanh" },
    { mistake: 'Softmax on the logits', steps: ['ReLU', 'Tanh', 'Softmax'], says: "after the last Linear (6 -> 3) the forward pass applies Softmax where the handout's network returns it as it is (the logits)" },
    { mistake: 'LogSoftmax on the logits', steps: ['ReLU', 'Tanh', 'LogSoftmax'], says: 'after the last Linear (6 -> 3) the forward pass applies LogSoftmax' },
    { mistake: 'a ReLU on the logits', steps: ['ReLU', 'Tanh', 'ReLU'], says: 'after the last Linear (6 -> 3) the forward pass applies ReLU' },
  ] as const)('$mistake fails, saying where and what it applies', ({ steps, says }) => {
    const difference = computesDifference(LAYERS, state(steps));
    expect(difference).toContain(says);
    expect(difference).toMatch(/\[\d+, \d+\] is -?[\d.e-]+, expected -?[\d.e-]+/);
  });

  it('an extra Linear call fails on the count; end to end, Softmax on the logits fails too', () => {
    expect(computesDifference(LAYERS, state(HANDOUT, { extraCall: true }))).toMatch(/^its forward pass calls 4 Linear layers \(Linear\(12, 8\), Linear\(8, 6\), Linear\(6, 3\), Linear\(6, 3\)\); the handout's network has 3/);
    expect(computesDifference(LAYERS, state(['ReLU', 'Tanh', 'Softmax'], { hooks: false }))).toMatch(/^the forward pass does not call its Linear modules, so it is compared end to end: output \[\d+, \d+\] is/);
  });

  it('a Linear whose output is not its own input times its weight plus its bias fails (a weight read wrong)', () => {
    const s = state(HANDOUT);
    const linears = s.linears.map((l, k) => (k === 1 ? { ...l, bias: (l.bias as number[]).map((b) => b + 1e-3) } : l));
    expect(computesDifference(LAYERS, { ...s, linears })).toMatch(/^Linear 2 \(8 -> 6\)'s output is not its input times its weight plus its bias: entry \[\d+, \d+\] is .* \(allowed .*: float32 rounding of 9 terms\)/);
  });
});

describe('weights and biases: each layer against the method, fan_in = in_features', () => {
  const rng = new Rng(11);
  // torch's layout: (out, in) for Linear(in, out), drawn in float32.
  const linear = (inn: number, out: number, std: number, bias = 0) => ({ in: inn, out, weight: Array.from({ length: out }, () => rng.normalVector(inn, 0, std).map(f32)), bias: new Array<number>(out).fill(bias) });
  const he = [linear(64, 16, Math.sqrt(2 / 64)), linear(16, 4, Math.sqrt(2 / 16))];

  it('weights drawn as He draws them, and zero biases, pass', () => {
    expect(weightsDifference('he', he)).toBeUndefined();
    expect(biasesDifference(he)).toBeUndefined();
    expect(biasesDifference([{ ...he[0]!, bias: null }])).toBeUndefined();
  });

  it('He over fan_out fails on the layers whose fans differ, saying which and why', () => {
    const fanOut = [linear(64, 16, Math.sqrt(2 / 16)), linear(16, 16, Math.sqrt(2 / 16))];
    expect(weightsDifference('he', fanOut)).toMatch(/^the 1024 weights of Linear 1 \(64 -> 16\) \(fan_in 64, fan_out 16\) are not N\(0, 2\/fan_in\) = N\(0, 0\.03125\): .*A correct implementation fails this with probability < 5\.0000e-10\.$/);
  });

  it('a weight in the (fan_in, fan_out) layout, not transposed, fails on its shape', () => {
    const untransposed = { ...he[0]!, weight: he[0]!.weight[0]!.map((_, j) => he[0]!.weight.map((row) => row[j]!)) };
    expect(weightsDifference('he', [untransposed])).toBe("Linear 1 (64 -> 16)'s weight has shape (64, 16); torch's layout is (out_features, in_features) = (16, 64): transpose a (fan_in, fan_out) draw.");
  });

  it('the zero method and the biases are exact: one entry off fails', () => {
    const zero = { in: 3, out: 2, weight: [[0, 0, 0], [0, 0, 0]], bias: [0, 0] };
    expect(weightsDifference('zero', [zero])).toBeUndefined();
    expect(weightsDifference('zero', [{ ...zero, weight: [[0, 0, 0], [0, 1e-30, 0]] }])).toMatch(/^Linear 1 \(3 -> 2\)'s weights are not all zero: 1 of 6 entries are not/);
    expect(biasesDifference([{ ...zero, bias: [0, 0.01] }])).toBe("Linear 1 (3 -> 2)'s bias is not zero: 1 of 2 entries are not (largest |b| 0.01). The handout asks for zero biases.");
  });
});
