// param-count (seed 003 part 3, seed 004 problem 4): mlp_param_count(widths), the weights plus biases of a
// dense network with layer widths [n_0, n_1, ..., n_L]: sum_l n_(l-1) n_l + n_l, what
// sum(p.numel() for p in net.parameters()) prints for a stack of torch.nn.Linear layers.
//
// The seed's networks, with their widths read off the homework code. A residual block
// (ReLU, Linear(16, 32), ReLU, Linear(32, 16)) has the parameters of the dense layers 16-32-16 (the skip
// adds none), and BatchNorm1d(k) adds 2k (gamma and beta), which the check adds to the dense count:
//   36-256-256-1                         75521   the example network of part 3
//   36-128-128-1                         21377   tasks 3.1-3.7
//   36-64-64-1                            6593   task 3.8
//   36-32-32-1                            2273   task 3.10
//   36-16-16-1                             881   task 3.11
//   36-64-64-64-1                        10753   task 3.12
//   36-32-32-32-32-32-1                   5441   task 3.13 (six Linear layers)
//   same + 2 x BatchNorm1d(32)            5569   task 3.14
//   36-16-(32-16)x4-1                     4897   task 3.16 (four residual blocks)
//   36-16-(32-16)x2-1                     2753   task 3.17 (two residual blocks)
//   36-16-(32-16)x2-1 + 3 x BatchNorm1d(16)  2849   task 3.18
//   36-16-(32-16)x6-1 + 7 x BatchNorm1d(16)  7265   task 3.19
//   784-128-64-128-784                  218192   seed 004, problem 4 (the dense autoencoder)

import fc from 'fast-check';
import { callLike, expectClose, matchesOracle } from '../src/laws.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import { CLOSED_FORM } from '../src/tolerance.ts';
import { mlpParamCount } from '../reference/param-count.ts';
import { paramCountMistakes } from './param-count.mistakes.ts';

export const PARAM_COUNT_TOLERANCES = {
  /** Counts are integers far below 2^53: exact, and the catalog default changes nothing. */
  value: CLOSED_FORM,
} as const;

export interface SeedNetwork {
  readonly name: string;
  readonly widths: readonly number[];
  /** Features of the BatchNorm1d layers in the network (2 parameters each). */
  readonly batchNorm: readonly number[];
  /** What the homework printed. */
  readonly printed: number;
}

const residual = (blocks: number): number[] => [36, 16, ...Array.from({ length: blocks }, () => [32, 16]).flat(), 1];

export const SEED_NETWORKS: readonly SeedNetwork[] = [
  { name: 'seed 003 part 3 example, 36-256-256-1', widths: [36, 256, 256, 1], batchNorm: [], printed: 75521 },
  { name: 'seed 003 tasks 3.1-3.7, 36-128-128-1', widths: [36, 128, 128, 1], batchNorm: [], printed: 21377 },
  { name: 'seed 003 task 3.8, 36-64-64-1', widths: [36, 64, 64, 1], batchNorm: [], printed: 6593 },
  { name: 'seed 003 task 3.10, 36-32-32-1', widths: [36, 32, 32, 1], batchNorm: [], printed: 2273 },
  { name: 'seed 003 task 3.11, 36-16-16-1', widths: [36, 16, 16, 1], batchNorm: [], printed: 881 },
  { name: 'seed 003 task 3.12, 36-64-64-64-1', widths: [36, 64, 64, 64, 1], batchNorm: [], printed: 10753 },
  { name: 'seed 003 task 3.13, 36-32-32-32-32-32-1', widths: [36, 32, 32, 32, 32, 32, 1], batchNorm: [], printed: 5441 },
  { name: 'seed 003 task 3.14, 36-32-32-32-32-32-1 with 2 BatchNorm1d(32)', widths: [36, 32, 32, 32, 32, 32, 1], batchNorm: [32, 32], printed: 5569 },
  { name: 'seed 003 task 3.16, 4 residual blocks 16-32-16', widths: residual(4), batchNorm: [], printed: 4897 },
  { name: 'seed 003 task 3.17, 2 residual blocks 16-32-16', widths: residual(2), batchNorm: [], printed: 2753 },
  { name: 'seed 003 task 3.18, 2 residual blocks with 3 BatchNorm1d(16)', widths: residual(2), batchNorm: [16, 16, 16], printed: 2849 },
  { name: 'seed 003 task 3.19, 6 residual blocks with 7 BatchNorm1d(16)', widths: residual(6), batchNorm: [16, 16, 16, 16, 16, 16, 16], printed: 7265 },
  { name: 'seed 004 problem 4 autoencoder, 784-128-64-128-784', widths: [784, 128, 64, 128, 784], batchNorm: [], printed: 218192 },
];

const batchNormParameters = (network: SeedNetwork): number => network.batchNorm.reduce((s, k) => s + 2 * k, 0);

/** 2..8 widths in 1..1000. */
const widths: fc.Arbitrary<number[]> = fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: 8 });

export const paramCount: Problem = {
  id: 'param-count',
  title: 'Parameters (weights and biases) of a dense network with layer widths [n_0, ..., n_L]',
  source: 'seed 003 part 3; seed 004, problem 4',
  signatures: ['mlp_param_count(widths)'],
  intArgs: { mlp_param_count: [0] },
  checks: [
    matchesOracle({
      id: 'matches-reference',
      title: 'mlp_param_count(widths) equals sum over layers of n_in * n_out + n_out (weights and biases of every Linear)',
      arbitrary: widths,
      fn: 'mlp_param_count',
      args: (w) => [w],
      oracle: (w) => mlpParamCount(w),
      tolerance: PARAM_COUNT_TOLERANCES.value,
    }),
    defineCheck({
      id: 'seed-networks',
      title: 'mlp_param_count reproduces the counts the homework printed: 21377, 5441, 2273, 881, 4897 and 7265 (seed 003, with 2k per BatchNorm1d(k)) and 218192 (the seed 004 autoencoder)',
      arbitrary: fc.constantFrom(...SEED_NETWORKS),
      tolerance: PARAM_COUNT_TOLERANCES.value,
      run: async (subject, network, context) => {
        const dense = network.printed - batchNormParameters(network);
        const { call, value } = await callLike(subject, 'mlp_param_count', [[...network.widths]], dense);
        const extra = network.batchNorm.length > 0 ? ` (the printed ${network.printed} less ${batchNormParameters(network)} BatchNorm parameters)` : '';
        expectClose(value, dense, context.tol(PARAM_COUNT_TOLERANCES.value), { message: `${network.name}: ${dense} dense parameters${extra}`, call });
      },
    }),
    defineCheck({
      id: 'widening-a-layer',
      title: 'one more unit in hidden layer l adds n_(l-1) + n_(l+1) + 1 parameters (its incoming weights, its bias and its outgoing weights)',
      arbitrary: fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 3, maxLength: 8 }).chain((w) => fc.record({ widths: fc.constant(w), l: fc.integer({ min: 1, max: w.length - 2 }) })),
      tolerance: PARAM_COUNT_TOLERANCES.value,
      run: async (subject, { widths: w, l }, context) => {
        const { value: before } = await callLike(subject, 'mlp_param_count', [w], 0);
        const wider = w.map((n, i) => (i === l ? n + 1 : n));
        const { call, value: after } = await callLike(subject, 'mlp_param_count', [wider], 0);
        const added = w[l - 1]! + w[l + 1]! + 1;
        expectClose(after, (before as number) + added, context.tol(PARAM_COUNT_TOLERANCES.value), {
          code: 'invariant_violated',
          message: `widening layer ${l} from ${w[l]} to ${w[l]! + 1} units adds ${w[l - 1]} + ${w[l + 1]} + 1 = ${added} parameters`,
          call,
        });
      },
    }),
  ],
  mistakes: paramCountMistakes,
};
