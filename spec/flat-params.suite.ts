// A model's parameters as one flat vector and back (seed 004, P2.1's helpers, one point each; P3 walks the loss
// surface through them): extract_model_params(model) and load_params_into_model(model, all_params), on the MLP
// of build_mlp, Linear(s0, s1), ReLU, Linear(s1, s2)[, ReLU, Linear(s2, s3)]. The order is model.parameters()'s,
// each tensor flattened row-major (reference/flat-params.ts). The adapter builds the model with the catalog's
// weights (extract) or a fresh one (load, the vector handed over as a float32 tensor, as the handout's plotPath
// does), calls the student's helper and reads model.parameters() back.
//
// Widths in 1..4 with at least two Linear layers, so that putting every weight before the biases (the order of
// the groups the seed's team builds for weight decay) moves entries; entries are drawn from a seeded generator on
// the grid 0.01, |x| in [0.1, 2], all distinct from their neighbours in practice. Tolerance: the model holds
// float32, so each entry comes back rounded to float32 (half an ulp, 6e-8 relative): rtol 1e-6.

import fc from 'fast-check';
import { matchesOracle } from '../src/laws.ts';
import type { Matrix, Vector } from '../src/numeric.ts';
import type { Problem } from '../src/problem.ts';
import { Rng, hashSeed } from '../src/rng.ts';
import { tolerance } from '../src/tolerance.ts';
import { flatParamCount, flattenParams, loadFlatParams } from '../reference/flat-params.ts';
import { flattenParamsMistakes, loadParamsMistakes } from './flat-params.mistakes.ts';

export const FLAT_PARAMS_TOLERANCE = tolerance(1e-6, 1e-9, 'each entry is a float64 input rounded to float32 in the model: 6e-8 relative at most');

const entry = (rng: Rng): number => (rng.uniform() < 0.5 ? -1 : 1) * Math.round(rng.uniformIn(0.1, 2) * 100) / 100;

/** Widths [s0, ..., sL]: 2 or 3 Linear layers of widths 1..4. */
const sizes: fc.Arbitrary<number[]> = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 3, maxLength: 4 });

interface MlpParams {
  readonly weights: Matrix[];
  readonly biases: Vector[];
}

const mlpParams: fc.Arbitrary<MlpParams> = fc.tuple(sizes, fc.integer({ min: 0, max: 2 ** 31 - 1 })).map(([s, seed]) => {
  const rng = new Rng(hashSeed('mlp-params', seed, ...s));
  return {
    weights: s.slice(1).map((out, l) => Array.from({ length: out }, () => Array.from({ length: s[l]! }, () => entry(rng)))),
    biases: s.slice(1).map((out) => Array.from({ length: out }, () => entry(rng))),
  };
});

interface LoadCase {
  readonly sizes: number[];
  readonly flat: Vector;
}

const loadCase: fc.Arbitrary<LoadCase> = fc.tuple(sizes, fc.integer({ min: 0, max: 2 ** 31 - 1 })).map(([s, seed]) => {
  const rng = new Rng(hashSeed('flat-params', seed, ...s));
  return { sizes: s, flat: Array.from({ length: flatParamCount(s) }, () => entry(rng)) };
});

export const flattenParamsProblem: Problem = {
  id: 'flatten-params',
  title: "extract_model_params(model): every parameter of the model in one flat vector, in model.parameters()'s order, each tensor row-major (W1, b1, W2, b2, ...)",
  source: 'seed 004, problem 2.1 (used by problem 3)',
  signatures: ['flatten_params(weights, biases)'],
  checks: [
    matchesOracle({
      id: 'module-order',
      title: "extract_model_params returns W1 row by row, then b1, then W2, b2, ...: torch.cat of the parameters in model.parameters()'s order",
      arbitrary: mlpParams,
      fn: 'flatten_params',
      args: ({ weights, biases }) => [weights, biases],
      oracle: ({ weights, biases }) => flattenParams(weights, biases),
      tolerance: FLAT_PARAMS_TOLERANCE,
    }),
  ],
  mistakes: flattenParamsMistakes,
};

export const loadParamsProblem: Problem = {
  id: 'load-params',
  title: "load_params_into_model(model, all_params): the flat vector written back into the model's parameters, in model.parameters()'s order, each slice reshaped to its tensor",
  source: 'seed 004, problem 2.1 (used by problem 3)',
  signatures: ['load_flat_params(sizes, flat)'],
  intArgs: { load_flat_params: [0] },
  checks: [
    matchesOracle({
      id: 'module-order',
      title: "after load_params_into_model(model, v), model.parameters() hold v: W1 its first s1 * s0 entries row by row, b1 the next s1, then W2, b2, ...",
      arbitrary: loadCase,
      fn: 'load_flat_params',
      args: ({ sizes: s, flat }) => [s, flat],
      oracle: ({ sizes: s, flat }) => loadFlatParams(s, flat),
      tolerance: FLAT_PARAMS_TOLERANCE,
    }),
  ],
  mistakes: loadParamsMistakes,
};
