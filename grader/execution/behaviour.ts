// Whether a model's forward pass computes the handout's network (a model check's `computes`), judged with the
// student's own weights: each Linear's weight and bias read out in float64, the stack of reference/layer-stack.ts
// run on them, and the student's float32 computation compared with it.
//
// Step by step where the forward pass calls its Linear modules (hooks record each call's input and output, in
// order): the batch flattened is the first Linear's input; each Linear's output is its input times its weight plus
// its bias; what the next Linear receives (or the model returns, after the last) is the handout's elementwise
// functions of that output. Each step is compared on the student's own float32 values, so the only error left is
// the step's own rounding, bounded for any summation order (float32 unit roundoff u = 2^-24):
//   a Linear of n inputs: |z - (W x + b)| <= gamma_{n+1} (|W| |x| + |b|), gamma_m = m u / (1 - m u), the worst case
//   of n + 1 rounded products and sums in any order, BLAS blocking and FMA included (Higham, Accuracy and Stability
//   of Numerical Algorithms, 2nd ed., section 3.1); the float64 reference's own error is added the same way;
//   an elementwise function: 8 u (|f(z)| + 1) per function applied, for torch's float32 tanh and sigmoid (a few
//   ulps) and hand-written ones (exp-based tanh loses about u near 0); ReLU is exact.
// A correct float32 forward pass therefore never fails (no false failures), and a mistake shows where it is: a
// missing ReLU makes the next Linear's input negative where the handout's gives 0, a Softmax on the logits makes
// the output a distribution. The failing step is diagnosed by trying nothing, ReLU, Tanh, Sigmoid, Softmax and
// LogSoftmax on the student's values.
//
// A forward pass that never calls its Linear modules (F.linear on their weights) is compared end to end instead:
// the stack on the batch with the modules in registration order, allowed the error float32 can accumulate through
// the layers (each Linear's rounding as above, plus |W| times the error of its input: worst-case propagation, far
// looser, still far below what a missing activation changes).

import type { Matrix } from '../../src/numeric.ts';
import type { NumericTree } from '../../src/tolerance.ts';
import { flattenTree, treeShape } from '../../src/decode.ts';
import { formatNumber } from '../../src/format.ts';
import { type Elementwise, type StackLayer, applyElementwise, planOf } from '../../reference/layer-stack.ts';
import { linearForward, softmaxRows } from '../../reference/mytorch.ts';
import type { ModelState } from './run.ts';

const U32 = 2 ** -24;
const U64 = 2 ** -53;
/** Per elementwise function applied: 8 float32 ulps of (|f(z)| + 1). */
const ELEMENTWISE_ULPS = 8;

/** gamma_m for float32 and the float64 reference together: what m rounded operations in any order can cost. */
const gamma = (m: number) => (m * U32) / (1 - m * U32) + (m * U64) / (1 - m * U64);

type Linear = ModelState['linears'][number];

/** A tensor's entries as `rows` rows. */
function asMatrix(tree: NumericTree, rows: number): Matrix {
  const flat = flattenTree(tree);
  const cols = rows > 0 ? flat.length / rows : 0;
  return Array.from({ length: rows }, (_, i) => flat.slice(i * cols, (i + 1) * cols));
}

/** The last dimension as features: a Linear's input and output. */
const byFeatures = (tree: NumericTree): Matrix => {
  const shape = treeShape(tree);
  return asMatrix(tree, shape.slice(0, -1).reduce((a, b) => a * b, 1));
};

/** The first dimension as the batch: the model's input (flattened, as Flatten does) and output. */
const byBatch = (tree: NumericTree): Matrix => asMatrix(tree, treeShape(tree)[0] ?? 1);

const abs = (m: Matrix): Matrix => m.map((r) => r.map(Math.abs));
const linearOf = (l: Linear) => ({ weight: byFeatures(l.weight), bias: l.bias === null ? undefined : flattenTree(l.bias) });
const describeLinear = (l: Linear, k: number) => `Linear ${k + 1} (${l.in} -> ${l.out})`;
const names = (fns: readonly Elementwise[], none: string) => (fns.length === 0 ? none : fns.join(', then '));

/** The largest excess of |received - expected| over its allowance, or undefined when every entry is within it. */
function worstEntry(received: Matrix, expected: Matrix, allowed: Matrix): { i: number; j: number; got: number; want: number; allowed: number } | undefined {
  let worst: { i: number; j: number; got: number; want: number; allowed: number; excess: number } | undefined;
  expected.forEach((row, i) =>
    row.forEach((want, j) => {
      const got = received[i]![j]!;
      const excess = Number.isNaN(got - want) ? Infinity : Math.abs(got - want) - allowed[i]![j]!;
      if (excess > 0 && (worst === undefined || excess > worst.excess)) worst = { i, j, got, want, allowed: allowed[i]![j]!, excess };
    }),
  );
  return worst;
}

const sameShape = (a: Matrix, b: Matrix) => a.length === b.length && a.every((r, i) => r.length === b[i]!.length);

/** What float32 may change of an elementwise step's result (nothing when no function is applied). */
const elementwiseAllowance = (fns: readonly Elementwise[], result: Matrix): Matrix => result.map((r) => r.map((v) => fns.length * ELEMENTWISE_ULPS * U32 * (Math.abs(v) + 1)));

/** What the student's step might be instead of the handout's: the first of these that explains it. */
const CANDIDATES: readonly { readonly name: string; readonly apply: (z: Matrix) => Matrix }[] = [
  { name: 'nothing', apply: (z) => z },
  { name: 'ReLU', apply: (z) => applyElementwise(['ReLU'], z) },
  { name: 'Tanh', apply: (z) => applyElementwise(['Tanh'], z) },
  { name: 'Sigmoid', apply: (z) => applyElementwise(['Sigmoid'], z) },
  { name: 'Softmax', apply: softmaxRows },
  { name: 'LogSoftmax', apply: (z) => softmaxRows(z).map((r) => r.map(Math.log)) },
];

function diagnose(z: Matrix, received: Matrix): string {
  const found = CANDIDATES.find((c) => {
    const applied = c.apply(z);
    return sameShape(applied, received) && worstEntry(received, applied, elementwiseAllowance(['ReLU'], applied)) === undefined;
  });
  return found ? `applies ${found.name}` : 'applies something else';
}

/** One elementwise step of the student's forward pass against the handout's: undefined when it agrees. */
function elementwiseStep(fns: readonly Elementwise[], z: Matrix, received: Matrix, where: { from: string; to: string; isOutput: boolean }): string | undefined {
  const expected = applyElementwise(fns, z);
  if (!sameShape(expected, received)) return `${where.to} has shape [${received.length}, ${received[0]?.length ?? 0}], ${where.from} [${z.length}, ${z[0]?.length ?? 0}]: the forward pass reshapes or mixes them`;
  const worst = worstEntry(received, expected, elementwiseAllowance(fns, expected));
  if (worst === undefined) return undefined;
  const handout = where.isOutput ? (fns.length === 0 ? 'returns it as it is (the logits)' : `applies ${names(fns, '')}`) : `applies ${names(fns, 'nothing')}`;
  return (
    `${where.from} the forward pass ${diagnose(z, received)} where the handout's network ${handout}: ` +
    `${where.to}[${worst.i}, ${worst.j}] is ${formatNumber(worst.got)}, expected ${formatNumber(worst.want)}`
  );
}

/** A Linear call: its output against its input times its weight plus its bias, within float32's worst case. */
function linearStep(linear: Linear, k: number, input: Matrix, output: Matrix): string | undefined {
  const { weight, bias } = linearOf(linear);
  if (input[0]?.length !== linear.in) return `${describeLinear(linear, k)} is given ${input[0]?.length ?? 0} features`;
  const zeros = new Array<number>(linear.out).fill(0);
  const expected = linearForward(weight, bias ?? zeros, input);
  const magnitude = linearForward(abs(weight), (bias ?? zeros).map(Math.abs), abs(input));
  const allowed = magnitude.map((r) => r.map((m) => gamma(linear.in + 1) * m));
  if (!sameShape(expected, output)) return `${describeLinear(linear, k)}'s output has shape [${output.length}, ${output[0]?.length ?? 0}]`;
  const worst = worstEntry(output, expected, allowed);
  if (worst === undefined) return undefined;
  return `${describeLinear(linear, k)}'s output is not its input times its weight plus its bias: entry [${worst.i}, ${worst.j}] is ${formatNumber(worst.got)}, expected ${formatNumber(worst.want)} (allowed ${formatNumber(worst.allowed)}: float32 rounding of ${linear.in + 1} terms)`;
}

/** The stack run end to end on the modules in registration order, with float32's worst-case error carried along. */
function endToEnd(plan: ReturnType<typeof planOf>, linears: readonly Linear[], X: Matrix, output: Matrix): string | undefined {
  let h = applyElementwise(plan.before, X);
  let error = elementwiseAllowance(plan.before, h);
  for (const [k, linear] of linears.entries()) {
    if (h[0]?.length !== linear.in) return `${describeLinear(linear, k)} cannot take the ${h[0]?.length ?? 0} features before it`;
    const { weight, bias } = linearOf(linear);
    const zeros = new Array<number>(linear.out).fill(0);
    const z = linearForward(weight, bias ?? zeros, h);
    const propagated = linearForward(abs(weight), zeros, error);
    const magnitude = linearForward(abs(weight), (bias ?? zeros).map(Math.abs), h.map((r, i) => r.map((v, j) => Math.abs(v) + error[i]![j]!)));
    const after = plan.after[k]!;
    h = applyElementwise(after, z);
    const rounding = elementwiseAllowance(after, h);
    error = propagated.map((r, i) => r.map((p, j) => p + gamma(linear.in + 1) * magnitude[i]![j]! + rounding[i]![j]!));
  }
  if (!sameShape(h, output)) return `the output has shape [${output.length}, ${output[0]?.length ?? 0}]; the handout's network gives [${h.length}, ${h[0]?.length ?? 0}]`;
  const worst = worstEntry(output, h, error);
  if (worst === undefined) return undefined;
  return (
    `the forward pass does not call its Linear modules, so it is compared end to end: output [${worst.i}, ${worst.j}] is ${formatNumber(worst.got)}, ` +
    `the handout's network gives ${formatNumber(worst.want)} on the same weights (allowed ${formatNumber(worst.allowed)}: float32 rounding through the layers)`
  );
}

/**
 * Whether the forward pass recorded in `state` computes `layers` (reference/layer-stack.ts) with its own weights:
 * undefined when it does, else what differs, in words.
 */
export function computesDifference(layers: readonly StackLayer[], state: ModelState): string | undefined {
  const plan = planOf(layers);
  const handout = layers.join(', ');
  if (state.input === null || state.output === null) return 'its forward pass did not run';
  const X = byBatch(state.input);
  const output = byBatch(state.output);
  const calls = state.calls ?? [];
  if (calls.length === 0) {
    if (state.linears.length !== plan.after.length) return `it has ${state.linears.length} Linear modules; the handout's network has ${plan.after.length}: ${handout}`;
    return endToEnd(plan, state.linears, X, output);
  }
  if (calls.length !== plan.after.length) {
    const called = calls.map((c) => `Linear(${state.linears[c.layer]!.in}, ${state.linears[c.layer]!.out})`).join(', ');
    return `its forward pass calls ${calls.length} Linear layer${calls.length === 1 ? '' : 's'} (${called}); the handout's network has ${plan.after.length}: ${handout}`;
  }
  const differences: string[] = [];
  const first = byFeatures(calls[0]!.input);
  const input = elementwiseStep(plan.before, X, first, { from: 'before the first Linear', to: 'its input', isOutput: false });
  if (input) differences.push(input);
  calls.forEach((call, k) => {
    const linear = state.linears[call.layer]!;
    const z = byFeatures(call.output);
    const linearDifference = linearStep(linear, k, byFeatures(call.input), z);
    if (linearDifference) differences.push(linearDifference);
    const next = calls[k + 1];
    const received = next ? byFeatures(next.input) : output;
    const to = next ? `Linear ${k + 2}'s input` : 'the output';
    const from = next ? `between ${describeLinear(linear, k)} and Linear ${k + 2}` : `after the last Linear (${linear.in} -> ${linear.out})`;
    const step = elementwiseStep(plan.after[k]!, z, received, { from, to, isOutput: next === undefined });
    if (step) differences.push(step);
  });
  return differences.length > 0 ? differences.join('; ') : undefined;
}
