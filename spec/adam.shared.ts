// Coupled (L2) weight decay as a gradient shift, g + weight_decay w: shared by adam-step's check
// coupled-decay-is-gradient-shift (spec/adam.suite.ts) and its named mistakes (spec/adam.mistakes.ts).

import type { Vector } from '../src/numeric.ts';

export const coupled = (g: Vector, w: Vector, wd: number) => g.map((x, i) => x + wd * w[i]!);
