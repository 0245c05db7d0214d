// The named mistakes of box-network (spec/box.suite.ts): in a module of their own, so that a student's self-check
// replays their recorded answers without carrying their code.

import type { Vector } from '../src/numeric.ts';
import type { Mistake } from '../src/problem.ts';
import { mistake } from './subjects.ts';

/** box_function and box_sum with the box `inside(x - start)` in place of (0, delta]. */
function boxesOn(inside: (u: number, delta: number) => boolean) {
  return {
    boxFunction: (x: Vector, h: number, delta: number): Vector => x.map((xi) => (inside(xi, delta) ? h : 0)),
    boxSum: (x: Vector, heights: Vector, starts: Vector, delta: number): Vector =>
      x.map((xi) => heights.reduce((s, hj, j) => s + (inside(xi - starts[j]!, delta) ? hj : 0), 0)),
  };
}

export const boxNetworkMistakes: readonly Mistake[] = [
  mistake({
    id: 'box-closed-at-zero',
    title: 'box closed at 0: h at x = 0, where the network gives 0 (step(0) = 0)',
    hint: 'step(u) is 1 only for u > 0, so the first neuron is off at x = 0: the box is (0, delta], open at 0. Compare with > 0, not >= 0.',
    implementation: boxesOn((u, delta) => u >= 0 && u <= delta),
  }),
  mistake({
    id: 'box-open-at-delta',
    title: 'box open at delta: 0 at x = delta, where the network gives h (the homework\'s 0 < x < delta, not the network)',
    hint: 'At x = delta the second neuron computes step(delta - delta) = step(0) = 0, so the network still outputs h: the box is (0, delta], closed at delta. Compute h * (step(x) - step(x - delta)) with step(u) = (u > 0).',
    implementation: boxesOn((u, delta) => u > 0 && u < delta),
  }),
  mistake({
    id: 'boxes-needed-n-times-d',
    title: 'boxes_needed(n, d) = n d: one row of n boxes per dimension instead of a grid',
    hint: 'Covering [-B, B]^d needs a box in every cell of the grid: n choices along each of d axes, n^d cells (10^3 = 1000 in 3-D, not 30).',
    implementation: { boxesNeeded: (n, d) => n * d },
  }),
];
