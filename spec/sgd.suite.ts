// momentum-sgd (seed 000, problem 3): momentum_step(w, u, g, lr, mu) -> (w_new, u_new), one step of
// torch.optim.SGD(params, lr=lr, momentum=mu) (dampening 0, nesterov False, no weight decay):
//   u_new = mu u + g;   w_new = w - lr u_new.
// The reference is reference/sgd.ts momentumStep; spec/oracles/torch-optim.spec.ts replays PyTorch's own
// float64 trajectories through it (fixtures/golden/optim.json). SimpleGradientDescent (sgd-weight-decay,
// torch.optim.SGD(lr, weight_decay)) is a class: its suite waits for the optimizer protocol.

import fc from 'fast-check';
import { sized, vectorOf } from '../src/arbitraries.ts';
import { callLike, expectClose, expectFinite, matchesOracle } from '../src/laws.ts';
import type { Vector } from '../src/numeric.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import { CLOSED_FORM, tolerance } from '../src/tolerance.ts';
import { momentumStep } from '../reference/sgd.ts';
import { decayRate, expectWithin, learningRate, maxAbs, scaledVectorOf } from './optim-inputs.ts';
import { momentumSgdMistakes, momentumSgdPlantedMistakes } from './sgd.mistakes.ts';

export const MOMENTUM_TOLERANCES = {
  value: CLOSED_FORM,
  /**
   * w_new(c g) - w against c (w_new(g) - w): differencing costs an ulp of the largest of |w|, |u|, |g| (lr <= 1),
   * which the factor c multiplies; atol is per unit of M = max(1, |w|, |u|, |g|) * max(1, |c|), scaled after any
   * float32 widening (so a float32 answer gets 1e-5 M |c|).
   */
  scaling: tolerance(1e-9, 1e-13, 'differencing w: atol per unit of max(1, |w|, |u|, |g|) * max(1, |c|)'),
  /**
   * K <= 8 recursive steps against the unrolled sums: a few roundings per step of terms up to
   * M = max(1, |w|, K^2 max |g|) (sum_k u_k <= K^2 max |g| for mu <= 1, lr <= 1); atol per unit of M.
   */
  unrolled: tolerance(1e-9, 1e-13, 'K <= 8 steps against the unrolled sums: atol per unit of max(1, |w|, K^2 max |g|)'),
} as const;

export interface MomentumInput {
  readonly w: Vector;
  readonly u: Vector;
  readonly g: Vector;
  readonly lr: number;
  readonly mu: number;
}

const momentum = decayRate(0.9, 0.5, 0.99, 0);

const momentumInputs = (zeroBuffer = false): fc.Arbitrary<MomentumInput> =>
  sized(1, 8, (n) =>
    fc.record({
      w: vectorOf(n, 10),
      u: zeroBuffer ? fc.constant(new Array<number>(n).fill(0)) : scaledVectorOf(n),
      g: scaledVectorOf(n),
      lr: learningRate,
      mu: momentum,
    }),
  );

const args = ({ w, u, g, lr, mu }: MomentumInput) => [w, u, g, lr, mu];
const template = ({ w }: MomentumInput): [Vector, Vector] => [w, w];

/** K gradients in a row from u = 0, for the unrolled form of the recursion. */
const trajectories = sized(1, 6, (n) =>
  fc.record({
    w: vectorOf(n, 10),
    grads: fc.array(scaledVectorOf(n), { minLength: 1, maxLength: 8 }),
    lr: learningRate,
    mu: momentum,
  }),
);

export const momentumSgd: Problem = {
  id: 'momentum-sgd',
  title: 'One step of SGD with momentum (torch.optim.SGD, dampening 0)',
  source: 'seed 000, problem 3',
  signatures: ['momentum_step(w, u, g, lr, mu)'],
  checks: [
    matchesOracle({
      id: 'matches-reference',
      title: 'momentum_step returns (w - lr u_new, u_new) with u_new = mu u + g, as torch.optim.SGD(lr, momentum=mu)',
      arbitrary: momentumInputs(),
      fn: 'momentum_step',
      args,
      oracle: ({ w, u, g, lr, mu }) => momentumStep(w, u, g, lr, mu),
      tolerance: MOMENTUM_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'first-step-is-plain-sgd',
      title: 'from u = 0 the first step is plain SGD: u_new = g and w_new = w - lr g (PyTorch starts the buffer at g, no dampening)',
      arbitrary: momentumInputs(true),
      fn: 'momentum_step',
      args,
      oracle: ({ w, g, lr }) => [w.map((wi, i) => wi - lr * g[i]!), g],
      tolerance: MOMENTUM_TOLERANCES.value,
      independent: 'plain SGD written out',
    }),
    defineCheck({
      id: 'step-scales-with-gradients',
      title: 'momentum SGD is not scale-invariant: scaling g and u by c scales u_new and the step w_new - w by c',
      arbitrary: fc.record({ input: momentumInputs(), c: fc.constantFrom(2, -1, 10, -3, 0.5, -0.5) }),
      tolerance: MOMENTUM_TOLERANCES.scaling,
      run: async (subject, { input, c }, context) => {
        const first = await callLike(subject, 'momentum_step', args(input), template(input));
        expectFinite(first.value, first.call, 'momentum_step returned NaN or infinity');
        const [w1, u1] = first.value as [Vector, Vector];
        const scaled = { ...input, u: input.u.map((x) => c * x), g: input.g.map((x) => c * x) };
        const { call, value: scaledValue } = await callLike(subject, 'momentum_step', args(scaled), template(input));
        const [wc, uc] = scaledValue as [Vector, Vector];
        const base = context.tol(MOMENTUM_TOLERANCES.scaling);
        const magnitude = Math.max(1, maxAbs(input.w), maxAbs(input.u), maxAbs(input.g));
        const tol = { ...base, atol: base.atol * magnitude * Math.max(1, Math.abs(c)) };
        const zeros = input.w.map(() => 0);
        const message = `with g and u scaled by c = ${c}`;
        expectWithin(uc, u1.map((x) => c * x), zeros, tol, { message: `${message}, u_new should be c u_new`, call });
        expectWithin(wc, input.w.map((x, i) => x + c * (w1[i]! - x)), zeros, tol, { message: `${message}, the step w_new - w should scale by c`, call });
      },
    }),
    defineCheck({
      id: 'unrolls-to-geometric-sums',
      title: 'K steps from u = 0 unroll to u_k = sum_i mu^(k-i) g_i and w_k = w_0 - lr (u_1 + ... + u_k)',
      arbitrary: trajectories,
      tolerance: MOMENTUM_TOLERANCES.unrolled,
      run: async (subject, { w, grads, lr, mu }, context) => {
        let state: [Vector, Vector] = [w, w.map(() => 0)];
        const uSum = w.map(() => 0);
        const base = context.tol(MOMENTUM_TOLERANCES.unrolled);
        const magnitude = Math.max(1, maxAbs(w), grads.length ** 2 * Math.max(...grads.map(maxAbs)));
        const tol = { ...base, atol: base.atol * magnitude };
        for (const [k, g] of grads.entries()) {
          const callArgs = [state[0], state[1], g, lr, mu];
          const { call, value } = await callLike(subject, 'momentum_step', callArgs, [w, w]);
          state = value as [Vector, Vector];
          // u_k = sum_{i <= k} mu^(k-i) g_i, summed directly (not recursively).
          const uk = w.map((_, j) => grads.slice(0, k + 1).reduce((s, gi, i) => s + mu ** (k - i) * gi[j]!, 0));
          uk.forEach((x, j) => (uSum[j]! += x));
          expectClose(state, [w.map((x, j) => x - lr * uSum[j]!), uk], tol, {
            code: 'invariant_violated',
            message: `after step ${k + 1} of ${grads.length} from u = 0, (w_k, u_k) should be (w_0 - lr sum_j u_j, sum_i mu^(k-i) g_i)`,
            call,
          });
        }
      },
    }),
  ],
  mistakes: momentumSgdMistakes,
  planted: momentumSgdPlantedMistakes,
};
