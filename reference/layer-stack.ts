// A stack of torch layers in float64: the reference an executed notebook's model is run against with the
// student's own weights (grader/execution/behaviour.ts). nn.Linear in torch's layout (weight (out, in),
// y = x W^T + b), the elementwise activations ReLU, Tanh and Sigmoid between the Linear layers, and Flatten
// before the first one (the batch's rows, (n, 3, 28, 28) -> (n, 2352)). The layer sizes are the student's: the
// stack says what is computed between them, the model's `layers` check says how wide they are.

import type { Matrix } from '../src/numeric.ts';
import { activate } from './init.ts';

export const STACK_LAYERS = ['Flatten', 'Linear', 'ReLU', 'Tanh', 'Sigmoid'] as const;
export type StackLayer = (typeof STACK_LAYERS)[number];
export type Elementwise = Exclude<StackLayer, 'Flatten' | 'Linear'>;

export const ELEMENTWISE: Readonly<Record<Elementwise, (z: number) => number>> = { ReLU: activate.relu, Tanh: activate.tanh, Sigmoid: activate.sigmoid };

const isLayer = (name: string): name is StackLayer => (STACK_LAYERS as readonly string[]).includes(name);

/**
 * "Flatten, Linear, ReLU, Linear" (commas, `()` after a name allowed) as layers. Throws, saying what is wrong,
 * on a name that is not one of STACK_LAYERS, a stack without a Linear, or a Flatten after the first Linear.
 */
export function parseStack(text: string): StackLayer[] {
  const names = text.split(',').map((s) => s.trim().replace(/\(\s*\)$/, ''));
  const unknown = names.filter((n) => !isLayer(n));
  if (unknown.length > 0) throw new Error(`${unknown.map((n) => JSON.stringify(n)).join(', ')} ${unknown.length === 1 ? 'is not a layer' : 'are not layers'} the reference computes; it knows ${STACK_LAYERS.join(', ')}`);
  const layers = names as StackLayer[];
  const first = layers.indexOf('Linear');
  if (first < 0) throw new Error('the stack has no Linear layer');
  if (layers.lastIndexOf('Flatten') > first) throw new Error('Flatten comes before the first Linear (the batch is flattened to rows once)');
  return layers;
}

/** What a stack applies: before the first Linear, and after each Linear up to the next one (after the last: to the output). */
export interface StackPlan {
  readonly before: readonly Elementwise[];
  readonly after: readonly (readonly Elementwise[])[];
}

export function planOf(layers: readonly StackLayer[]): StackPlan {
  const before: Elementwise[] = [];
  const after: Elementwise[][] = [];
  for (const layer of layers) {
    if (layer === 'Linear') after.push([]);
    else if (layer !== 'Flatten') (after.at(-1) ?? before).push(layer);
  }
  return { before, after };
}

/** The elementwise functions applied in order to every entry of the rows. */
export function applyElementwise(fns: readonly Elementwise[], rows: Matrix): Matrix {
  return rows.map((row) => row.map((z) => fns.reduce((v, f) => ELEMENTWISE[f](v), z)));
}
