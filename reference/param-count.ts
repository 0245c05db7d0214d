// Parameters of a dense network (seed 003 part 3, seed 004 problem 4): each layer n_in -> n_out of
// torch.nn.Linear has n_in * n_out weights and n_out biases, what sum(p.numel() for p in net.parameters())
// prints for a stack of Linear layers. Activations have none; a residual connection adds none.

import { type Vector } from '../src/numeric.ts';
import { requireVector } from './validate.ts';

/** sum over consecutive widths (n_in, n_out) of n_in * n_out + n_out; widths = [n_0, n_1, ..., n_L]. */
export function mlpParamCount(widths: Vector): number {
  requireVector('widths', widths);
  if (widths.length < 2) throw new Error(`widths must list at least an input and an output width, got ${widths.length}`);
  if (widths.some((w) => !Number.isInteger(w) || w < 1)) throw new Error('widths must be positive integers');
  let count = 0;
  for (let l = 0; l + 1 < widths.length; l++) count += widths[l]! * widths[l + 1]! + widths[l + 1]!;
  return count;
}
