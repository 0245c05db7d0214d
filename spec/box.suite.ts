// box-network (seed 002, problem 1): box_function(x, h, delta) = h (step(x) - step(x - delta)) with
// step(u) = 1 if u > 0 else 0, box_sum(x, heights, starts, delta) = sum_j heights_j (step(x - starts_j) -
// step(x - (starts_j + delta))), and boxes_needed(n, d) = n^d.
//
// Edges. The network h (step(x) - step(x - delta)) is h on (0, delta]: 0 at x = 0 (step(0) = 0) and h at
// x = delta (step(0) = 0 again for the second neuron). The homework writes its box as 0 < x < delta; the two
// differ at the single point x = delta, and box_function is the network, so it returns h there.
//
// x is a 1-D array of points and the answer has one entry per point. Every x, delta and start is a
// multiple of 1/16 (points near an edge sit 2^-20 from it), so x - delta and x - (start + delta) are exact in
// float64 and float32 alike: an edge is an edge for every implementation, and a failure at one is a
// convention, not rounding.

import fc from 'fast-check';
import { finite } from '../src/arbitraries.ts';
import { formatNumber } from '../src/format.ts';
import { callLike, expectClose, expectThat, matchesOracle } from '../src/laws.ts';
import { type Vector } from '../src/numeric.ts';
import { type Problem, defineCheck } from '../src/problem.ts';
import { CLOSED_FORM, tolerance } from '../src/tolerance.ts';
import { boxFunction, boxSum, boxesNeeded } from '../reference/box.ts';
import { boxNetworkMistakes } from './box.mistakes.ts';

export const BOX_TOLERANCES = {
  value: CLOSED_FORM,
  /** The sum of boxes and f(x) are each rounded a few times: the Lipschitz bound L delta gets this slack. */
  approximation: tolerance(0, 1e-9, 'rounding of f(x) and of the sum of boxes, on top of L delta'),
} as const;

/** A small offset, exact next to any multiple of 1/16 up to 2^3 in float32 as in float64. */
const TINY = 2 ** -20;

/** A multiple of 1/16 in [-magnitude, magnitude]. */
const sixteenths = (magnitude: number): fc.Arbitrary<number> => fc.integer({ min: -16 * magnitude, max: 16 * magnitude }).map((k) => k / 16);

/** A box width: a multiple of 1/16 in (0, 4]. */
const width: fc.Arbitrary<number> = fc.integer({ min: 1, max: 64 }).map((k) => k / 16);

interface BoxInput {
  readonly x: Vector;
  readonly h: number;
  readonly delta: number;
}

/** Points on the 1/16 grid in [-6, 6], mixed with the edges 0 and delta and points 2^-20 to either side of them. */
const boxInput: fc.Arbitrary<BoxInput> = width.chain((delta) =>
  fc.record({
    delta: fc.constant(delta),
    h: finite(5),
    x: fc.array(
      fc.oneof(
        { weight: 3, arbitrary: sixteenths(6) },
        { weight: 2, arbitrary: fc.constantFrom(0, delta, -TINY, TINY, delta - TINY, delta + TINY) },
      ),
      { minLength: 1, maxLength: 16 },
    ),
  }),
);

/** The points that decide the edges: outside left, both sides of 0, inside, both sides of delta, outside right. */
const edgePoints = (delta: number): number[] => [-delta, -TINY, 0, TINY, delta / 2, delta - TINY, delta, delta + TINY, 2 * delta];

interface SumInput {
  readonly x: Vector;
  readonly heights: Vector;
  readonly starts: Vector;
  readonly delta: number;
}

/** 1..8 boxes at starts on the 1/16 grid in [-4, 4]; x holds grid points and every box's two edges. */
const sumInput: fc.Arbitrary<SumInput> = fc
  .record({
    delta: width,
    boxes: fc.array(fc.tuple(finite(5), sixteenths(4)), { minLength: 1, maxLength: 8 }),
    extra: fc.array(sixteenths(6), { maxLength: 8 }),
  })
  .map(({ delta, boxes, extra }) => ({
    delta,
    heights: boxes.map(([h]) => h),
    starts: boxes.map(([, s]) => s),
    x: [...boxes.flatMap(([, s]) => [s, s + delta]), ...extra],
  }));

interface LipschitzInput {
  /** f(x) = sum_k a_k sin(w_k x + p_k), L = sum_k |a_k w_k|. */
  readonly terms: readonly (readonly [number, number, number])[];
  readonly B: number;
  readonly delta: number;
}

/** B in {1, 2, 4}, delta = 2^-m with at most 64 boxes across [-B, B] (so a loop-per-point submission stays fast). */
const lipschitzInput: fc.Arbitrary<LipschitzInput> = fc
  .record({
    terms: fc.array(fc.tuple(finite(2), finite(3), finite(3)), { minLength: 1, maxLength: 3 }),
    B: fc.constantFrom(1, 2, 4),
    delta: fc.integer({ min: 1, max: 5 }).map((m) => 2 ** -m),
  })
  .filter(({ B, delta }) => (2 * B) / delta <= 64);

const evaluate = (terms: LipschitzInput['terms'], x: number): number => terms.reduce((s, [a, w, p]) => s + a * Math.sin(w * x + p), 0);

/**
 * The construction of seed 002 1(b): boxes (s_j, s_j + delta] with s_j = -B - delta + j delta, j = 0..2B/delta,
 * cover [-B, B]; box j's height is f at its right end (clamped into [-B, B]), so |sum - f| <= L delta.
 * The points are every multiple of delta/2 in [-B, B]: all box edges and midpoints.
 */
function boxApproximation({ terms, B, delta }: LipschitzInput) {
  const count = Math.round((2 * B) / delta) + 1;
  const starts = Array.from({ length: count }, (_, j) => -B - delta + j * delta);
  const heights = starts.map((s) => evaluate(terms, Math.min(B, Math.max(-B, s + delta))));
  const x = Array.from({ length: Math.round((4 * B) / delta) + 1 }, (_, i) => -B + (i * delta) / 2);
  const L = terms.reduce((s, [a, w]) => s + Math.abs(a * w), 0);
  return { starts, heights, x, L, f: x.map((xi) => evaluate(terms, xi)) };
}

interface PowerInput {
  readonly n: number;
  readonly d: number;
}

/** n in 1..100, d in 1..12, with n^d below 2^53 (exact in a float64 and an int64). */
const powerInput: fc.Arbitrary<PowerInput> = fc
  .record({ n: fc.integer({ min: 1, max: 100 }), d: fc.integer({ min: 1, max: 12 }) })
  .filter(({ n, d }) => n ** d <= Number.MAX_SAFE_INTEGER);

/**
 * The curse of dimensionality as the homework tabulates it (seed 002, 1(c)): with 10 intervals per dimension,
 * "10 neurons" in 1-D, "10 x 10 = 100" in 2-D, "10^3 = 1,000" in 3-D and "10^100" in 100-D.
 */
const SEED_POWERS: readonly (PowerInput & { readonly printed: number })[] = [
  { n: 10, d: 1, printed: 10 },
  { n: 10, d: 2, printed: 100 },
  { n: 10, d: 3, printed: 1000 },
  { n: 10, d: 100, printed: 1e100 },
];

export const boxNetwork: Problem = {
  id: 'box-network',
  title: 'Boxes from step neurons: h (step(x) - step(x - delta)) is h on (0, delta]; sums of boxes; n^d boxes in d dimensions (x is a 1-D array of points)',
  source: 'seed 002, problem 1',
  signatures: ['box_function(x, h, delta)', 'box_sum(x, heights, starts, delta)', 'boxes_needed(n, d)'],
  // Counts reach Python as ints, so n ** d is exact (a Python int does not overflow).
  intArgs: { boxes_needed: [0, 1] },
  checks: [
    matchesOracle({
      id: 'box-matches-reference',
      title: 'box_function(x, h, delta) equals h (step(x) - step(x - delta)) at every point of x, step(u) = 1 if u > 0 else 0',
      arbitrary: boxInput,
      fn: 'box_function',
      args: ({ x, h, delta }) => [x, h, delta],
      oracle: ({ x, h, delta }) => boxFunction(x, h, delta),
      tolerance: BOX_TOLERANCES.value,
    }),
    defineCheck({
      id: 'box-exact-at-edges',
      title: 'box_function is h exactly on (0, delta]: 0 at x = 0 (step(0) = 0), h at x = delta (the second neuron step(x - delta) is still off there), 0 just beyond',
      arbitrary: fc.record({ h: finite(5).filter((h) => h !== 0), delta: width }),
      tolerance: BOX_TOLERANCES.value,
      run: async (subject, { h, delta }, context) => {
        const x = edgePoints(delta);
        // Written out, not computed by the reference: the homework's table (x <= 0: 0, then h, then 0) with the
        // network's h at x = delta, where its second neuron is step(0) = 0.
        const expected = [0, 0, 0, h, h, h, h, 0, 0];
        const { call, value } = await callLike(subject, 'box_function', [x, h, delta], expected);
        expectClose(value, expected, context.tol(BOX_TOLERANCES.value), {
          message: `box_function at x = [-delta, -2^-20, 0, 2^-20, delta/2, delta - 2^-20, delta, delta + 2^-20, 2 delta] is [0, 0, 0, h, h, h, h, 0, 0]`,
          call,
        });
      },
    }),
    matchesOracle({
      id: 'box-sum-matches-reference',
      title: 'box_sum(x, heights, starts, delta) equals sum_j heights_j (step(x - starts_j) - step(x - (starts_j + delta))), checked at every box edge',
      arbitrary: sumInput,
      fn: 'box_sum',
      args: ({ x, heights, starts, delta }) => [x, heights, starts, delta],
      oracle: ({ x, heights, starts, delta }) => boxSum(x, heights, starts, delta),
      tolerance: BOX_TOLERANCES.value,
    }),
    defineCheck({
      id: 'box-sum-approximates-lipschitz',
      title: 'boxes of width delta with heights f(right end) approximate an L-Lipschitz f on [-B, B] within L delta (seed 002, 1(b)), at every box edge and midpoint',
      arbitrary: lipschitzInput,
      tolerance: BOX_TOLERANCES.approximation,
      run: async (subject, input, context) => {
        const { starts, heights, x, L, f } = boxApproximation(input);
        const { call, value } = await callLike(subject, 'box_sum', [x, heights, starts, input.delta], f);
        const approx = value as number[];
        const tol = context.tol(BOX_TOLERANCES.approximation);
        const bad = x.findIndex((_, i) => !(Math.abs(approx[i]! - f[i]!) <= L * input.delta + tol.atol + tol.rtol * Math.abs(f[i]!)));
        expectThat(bad < 0, {
          message: `|box_sum(x) - f(x)| <= L delta = ${formatNumber(L * input.delta)} on [-${input.B}, ${input.B}]; at x = ${formatNumber(x[bad]!)} the sum of boxes is ${formatNumber(approx[bad]!)} but f(x) = ${formatNumber(f[bad]!)}`,
          call,
          received: approx,
          expected: f,
        });
      },
    }),
    matchesOracle({
      id: 'boxes-needed-matches-reference',
      title: 'boxes_needed(n, d) equals n^d, the boxes of a grid with n intervals along each of d dimensions',
      arbitrary: powerInput,
      fn: 'boxes_needed',
      args: ({ n, d }) => [n, d],
      oracle: ({ n, d }) => boxesNeeded(n, d),
      tolerance: BOX_TOLERANCES.value,
    }),
    matchesOracle({
      id: 'boxes-needed-seed-examples',
      title: 'boxes_needed(10, d) is 10, 100, 1000 and 10^100 for d = 1, 2, 3 and 100 (int64 overflows at 10^19: use Python ints or floats)',
      arbitrary: fc.constantFrom(...SEED_POWERS),
      fn: 'boxes_needed',
      args: ({ n, d }) => [n, d],
      oracle: ({ printed }) => printed,
      tolerance: BOX_TOLERANCES.value,
      independent: 'the numbers printed in the homework',
    }),
  ],
  mistakes: boxNetworkMistakes,
};
