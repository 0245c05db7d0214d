// The named mistakes of flatten-params and load-params (spec/flat-params.suite.ts): in a module of their own, so
// that a student's self-check replays their recorded answers without carrying their code.

import type { Matrix } from '../src/numeric.ts';
import type { Mistake } from '../src/problem.ts';
import { loadFlatParams } from '../reference/flat-params.ts';
import { mistake } from './subjects.ts';

/** Every weight matrix first, then every bias: the order of `[p for n, p in named_parameters() if 'weight' in n] + [... 'bias' ...]`. */
const weightsFirst = <T>(params: readonly T[]): T[] => [...params.filter((_, i) => i % 2 === 0), ...params.filter((_, i) => i % 2 === 1)];

export const flattenParamsMistakes: readonly Mistake[] = [
  mistake({
    id: 'extract-order-mismatch',
    title: 'extract_model_params puts every weight matrix first and the biases after them, not in model.parameters()\'s order',
    hint: 'Walk model.parameters() (W1, b1, W2, b2, ...) and concatenate p.view(-1) in that order: load_params_into_model reads them back in the same order.',
    implementation: {
      flattenParams: (weights, biases) => weightsFirst(weights.flatMap((W, l) => [W.flat(), biases[l]!])).flat(),
    },
  }),
];

export const loadParamsMistakes: readonly Mistake[] = [
  mistake({
    id: 'load-order-mismatch',
    title: 'load_params_into_model reads every weight matrix first and the biases after them, not in model.parameters()\'s order',
    hint: 'Walk model.parameters() (W1, b1, W2, b2, ...), taking p.numel() entries for each in turn, the order extract_model_params writes them in.',
    implementation: {
      loadFlatParams: (s, flat) => {
        const shapes = s.slice(1).flatMap((out, l) => [[out, s[l]!], [out]]);
        let next = 0;
        const read = new Map(weightsFirst(shapes.map((_, i) => i)).map((i) => [i, flat.slice(next, (next += shapes[i]!.reduce((a, c) => a * c, 1)))]));
        return shapes.map((shape, i) => (shape.length === 2 ? Array.from({ length: shape[0]! }, (_, r) => read.get(i)!.slice(r * shape[1]!, (r + 1) * shape[1]!)) : read.get(i)!));
      },
    },
  }),
  mistake({
    id: 'load-position-not-advanced',
    title: 'load_params_into_model never advances its position: every parameter is filled from the start of the vector',
    hint: 'After copying a parameter, move on by its size (current_pos += param.numel()) so the next one reads the entries that follow.',
    implementation: {
      loadFlatParams: (s, flat) => loadFlatParams(s, Array.from({ length: flat.length }, () => 0)).map((p) => (Array.isArray(p[0]) ? (p as Matrix).map((row, r) => flat.slice(r * row.length, (r + 1) * row.length)) : flat.slice(0, p.length))),
    },
  }),
];
