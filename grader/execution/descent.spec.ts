// Seed 003 task 1.1's loop judged on the points LossFunctionWithPlot recorded (grader/execution/descent.ts),
// without a process: gradient descent at any fixed learning rate (one per coordinate too, float32 rounding
// included) passes; the gradient never zeroed and a step up the gradient fail with their mistakes named and
// priced; momentum, a rate that changes, too short a track, no track and no loop fail without a name.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bowlGradient } from '../../reference/index.ts';
import { loadAssignment } from '../assignment.ts';
import { judgeExecution } from './judge.ts';
import type { ExecutionResult } from './run.ts';
import type { DescentCheck } from './schema.ts';

const assignment = loadAssignment(path.join(import.meta.dirname, '..', '..', 'fixtures', 'assignments', 'seed-003.yaml'));
const check = assignment.execute!.checks.find((c): c is DescentCheck => 'descent' in c)!;
const CELL = 3;
const LOOP = 'x = torch.tensor([-1.5, 1.2])\nL = LossFunctionWithPlot()\nfor iter in range(50):\n    ...';

type Step = (x: number[], g: number[], k: number, state: { v: number[]; sum: number[] }) => number[];

/** The 50 points a loop starting at [-1.5, 1.2] makes L record, each step from `step`. */
function track(step: Step, n = 50): number[][] {
  const points: number[][] = [];
  const state = { v: [0, 0], sum: [0, 0] };
  let x = [-1.5, 1.2];
  for (let k = 0; k < n; k++) {
    points.push(x);
    x = step(x, bowlGradient(x), k, state);
  }
  return points;
}

const descend = (lr: number[]): Step => (x, g) => x.map((v, j) => v - lr[j]! * g[j]!);

function judge(points: number[][] | undefined, source = LOOP, priced = check) {
  const result: ExecutionResult = {
    cells: [{ cell: CELL, status: 'ran' }],
    calls: [],
    figures: [],
    values: points ? { 'L.track': { kind: 'array', dtype: 'float32', shape: [points.length, 2], value: points } } : {},
    models: {},
    served: [],
    seconds: 0,
  };
  const [scored] = judgeExecution({ ...assignment.execute!, checks: [priced] }, { result }, [{ cell: 1, source: 'from hw2utils import LossFunctionWithPlot' }, { cell: CELL, source }], 1, 1);
  return { score: scored!.score, mistake: scored!.mistake?.id, message: scored!.checks[0]!.result.failure?.message ?? '' };
}

describe('a gradient-descent loop on the recorded points', () => {
  it.each([[[0.05, 0.05]], [[0.1, 0.1]], [[0.1, 0.55]]])('passes at learning rates %j, and with the points rounded to float32', (lr) => {
    expect(judge(track(descend(lr)))).toMatchObject({ score: check.points });
    expect(judge(track(descend(lr)).map((p) => p.map(Math.fround)))).toMatchObject({ score: check.points });
  });

  it('names the gradient never zeroed (steps follow the sum of the gradients so far), at its price', () => {
    const accumulating: Step = (x, g, _k, s) => ((s.sum = s.sum.map((v, j) => v + g[j]!)), x.map((v, j) => v - 0.05 * s.sum[j]!));
    const judged = judge(track(accumulating));
    expect(judged).toMatchObject({ score: check.points - check.mistakes['gradient-not-zeroed']!.deduct, mistake: 'gradient-not-zeroed' });
    expect(judged.message).toMatch(/^the 49 steps recorded in L\.track \(cell 3\) are not -learning_rate \* gradient for one learning rate: .* step \d+ \(from \[.*\] to \[.*\]\) is off by/);
    // Unpriced, the mistake is not named and the check is lost.
    expect(judge(track(accumulating), LOOP, { ...check, mistakes: {} })).toMatchObject({ score: 0, mistake: undefined });
  });

  it('names a step up the gradient', () => {
    expect(judge(track(descend([-0.05, -0.05])))).toMatchObject({ score: 0, mistake: 'gradient-ascent', message: expect.stringMatching(/learning rates \[-0\.05, -0\.05\]: not all positive/) });
  });

  it('fails momentum and a learning rate that changes, naming nothing', () => {
    const momentum: Step = (x, g, _k, s) => ((s.v = s.v.map((v, j) => 0.9 * v + g[j]!)), x.map((v, j) => v - 0.05 * s.v[j]!));
    const decaying: Step = (x, g, k) => x.map((v, j) => v - (k < 25 ? 0.05 : 0.02) * g[j]!);
    for (const step of [momentum, decaying]) expect(judge(track(step))).toMatchObject({ score: 0, mistake: undefined });
  });

  it('fails a track too short to judge, a missing one and a notebook without the loop, saying which', () => {
    expect(judge(track(descend([0.05, 0.05]), 2)).message).toMatch(/holds 2 points: the loop made fewer than 2 steps/);
    expect(judge(undefined).message).toMatch(/^L\.track after cell 3 is not found/);
    expect(judge(track(descend([0.05, 0.05])), 'x = 1').message).toMatch(/no cell's code matches .*: the loop was not found/);
  });
});
