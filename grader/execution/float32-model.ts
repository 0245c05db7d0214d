// What a model leaves for the checks (execute.py's model_state) when its forward pass runs in float32, built here
// without a process: the judge's tests (behaviour.spec.ts, judge.spec.ts) state what a correct model leaves and
// what each mistake changes. Every product and partial sum is rounded to float32, in the order asked for, as a
// BLAS might; the weights are drawn as an initialisation method draws them, in torch's (out, in) layout.

import { type InitMethod, initDistribution } from '../../reference/init.ts';
import { ELEMENTWISE, type Elementwise } from '../../reference/layer-stack.ts';
import { softmaxRows } from '../../reference/mytorch.ts';
import type { Matrix } from '../../src/numeric.ts';
import type { NumericTree } from '../../src/tolerance.ts';
import { Rng } from '../../src/rng.ts';
import type { ModelState } from './run.ts';

const f32 = Math.fround;

/** What a forward pass applies after a Linear: the handout's elementwise functions, nothing, or a mistake's Softmax. */
export type Step = Elementwise | 'nothing' | 'Softmax' | 'LogSoftmax';

/** x W^T + b with every product and partial sum rounded to float32, summing forwards or backwards. */
function linear32(W: Matrix, b: readonly number[], X: Matrix, reverse: boolean): Matrix {
  return X.map((x) =>
    W.map((w, k) => {
      const order = reverse ? [...w.keys()].reverse() : [...w.keys()];
      return f32(order.reduce((s, j) => f32(s + f32(w[j]! * x[j]!)), 0) + b[k]!);
    }),
  );
}

function apply32(step: Step, z: Matrix): Matrix {
  if (step === 'nothing') return z;
  if (step === 'Softmax') return softmaxRows(z).map((r) => r.map(f32));
  if (step === 'LogSoftmax') return softmaxRows(z).map((r) => r.map((v) => f32(Math.log(v))));
  return z.map((r) => r.map((v) => f32(ELEMENTWISE[step](v))));
}

export interface Float32Model {
  /** The layer widths: [in, hidden..., out]; one Linear between each two. */
  readonly sizes: readonly number[];
  /** What follows each Linear (the last: what the model returns its output as). */
  readonly steps: readonly Step[];
  /** How the weights are drawn (default: N(0, 1/fan_in)); biases zero, or small random ones. */
  readonly method?: InitMethod;
  readonly randomBiases?: boolean;
  /** Sum each dot product backwards; record no Linear calls (a forward pass through F.linear); call the last Linear twice. */
  readonly reverse?: boolean;
  readonly hooks?: boolean;
  readonly extraCall?: boolean;
  /** The shape of one input (default [sizes[0]]): the model flattens it, as nn.Flatten does. */
  readonly item?: readonly number[];
  readonly seed?: number;
}

/** A row of numbers in a nested shape, row-major. */
function shaped(row: readonly number[], shape: readonly number[]): NumericTree {
  if (shape.length <= 1) return [...row];
  const size = row.length / shape[0]!;
  return Array.from({ length: shape[0]! }, (_, i) => shaped(row.slice(i * size, (i + 1) * size), shape.slice(1)));
}

/** The state such a model leaves after a forward pass on a (4, sizes[0]) batch of uniform [0, 1) inputs. */
export function float32State(model: Float32Model): ModelState {
  const rng = new Rng(model.seed ?? 7);
  const linears = model.sizes.slice(1).map((out, l) => {
    const inn = model.sizes[l]!;
    const d = model.method ? initDistribution([inn, out], model.method) : { kind: 'normal' as const, std: 1 / Math.sqrt(inn) };
    const draw = () => f32(d.kind === 'zero' ? 0 : d.kind === 'normal' ? rng.normal(0, d.std) : rng.uniformIn(-d.bound, d.bound));
    const weight = Array.from({ length: out }, () => Array.from({ length: inn }, draw));
    return { in: inn, out, weight, bias: model.randomBiases ? rng.normalVector(out, 0, 0.1).map(f32) : new Array<number>(out).fill(0) };
  });
  const rows = Array.from({ length: 4 }, () => Array.from({ length: model.sizes[0]! }, () => f32(rng.uniform())));
  let h: Matrix = rows;
  const calls: NonNullable<ModelState['calls']> = [];
  const order = linears.map((_, l) => l).concat(model.extraCall ? [linears.length - 1] : []);
  order.forEach((layer, k) => {
    const { weight, bias, in: inn } = linears[layer]!;
    // A second call of the last Linear gets as many features as it takes: the first ones of what it is given.
    const x = h.map((r) => r.slice(0, inn));
    const z = linear32(weight, bias, x, model.reverse ?? false);
    calls.push({ layer, input: x, output: z });
    h = apply32(model.steps[Math.min(k, model.steps.length - 1)]!, z);
  });
  const input = rows.map((r) => shaped(r, model.item ?? [r.length]));
  return { linears, input, output: h, calls: model.hooks === false ? [] : calls };
}
