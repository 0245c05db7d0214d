// Recording and replaying a module (grader/self-check/recordings.ts), in one process: what a replayed module
// answers is what the real one answered to the same arguments (functions, classes driven through a history of
// calls, objects of functions, lists of named mistakes, constants), the arguments it changed in place included; any other call is not
// judged here; a recorded error is thrown again.

import { describe, expect, it } from 'vitest';
import { isNotJudgedHere } from '../../src/unjudged.ts';
import { type Recordings, recordedModule, recordingsSoFar, replayFrom, replayedModule } from './recordings.ts';

class Accumulator {
  constructor(private readonly into: number[], private readonly rate = 1) {}
  /** Adds rate * g to the array given at construction, in place, and returns how many steps so far. */
  step(g: number[]): number {
    g.forEach((v, i) => (this.into[i]! += this.rate * v));
    return this.count();
  }
  count(): number {
    return (this.steps = (this.steps ?? 0) + 1);
  }
  private steps?: number;
}

const real = {
  add: (a: number, b: number) => a + b,
  scaleInPlace: (v: number[], c: number) => {
    v.forEach((x, i) => (v[i] = c * x));
  },
  positive: (x: number) => {
    if (!(x > 0)) throw new Error(`x must be positive, got ${x}`);
    return Math.sqrt(x);
  },
  Accumulator,
  activations: { relu: (x: number) => Math.max(0, x) },
  LIMITS: { low: -0, high: Infinity },
  makesAFunction: () => () => 1,
  // A suite's named mistakes: a list of objects, each with its own implementation.
  mistakes: [{ id: 'negated', title: 'sum negated', implementation: { add: (a: number, b: number) => -(a + b) } }],
};

type Module = typeof real;

describe('a module recorded, then replayed', () => {
  const recording = recordedModule('toy.ts', real) as Module;
  // The calls a check would make while recording.
  expect(recording.add(1, 2)).toBe(3);
  const v = [1, 2];
  recording.scaleInPlace(v, 3);
  expect(v).toEqual([3, 6]);
  expect(() => recording.positive(-1)).toThrow(/^x must be positive, got -1$/);
  const params = [0, 0];
  const acc = new recording.Accumulator(params, 0.5);
  expect([acc.step([2, 4]), acc.step([2, 0])]).toEqual([1, 2]);
  expect(params).toEqual([2, 2]);
  expect(recording.activations.relu(-3)).toBe(0);
  recording.makesAFunction();
  expect(recording.mistakes[0]!.implementation.add(1, 2)).toBe(-3);

  replayFrom(JSON.parse(JSON.stringify(recordingsSoFar())) as Recordings);
  const replay = replayedModule('toy.ts', Object.keys(real)) as Module;

  it('answers a recorded call as the real function did, and refuses any other as not judged here', () => {
    expect(replay.add(1, 2)).toBe(3);
    let thrown: unknown;
    try {
      replay.add(2, 2);
    } catch (error) {
      thrown = error;
    }
    expect(isNotJudgedHere(thrown)).toBe(true);
  });

  it('changes the arguments in place as the recorded call did, and throws what it threw', () => {
    const w = [1, 2];
    replay.scaleInPlace(w, 3);
    expect(w).toEqual([3, 6]);
    expect(() => replay.positive(-1)).toThrow(/^x must be positive, got -1$/);
  });

  it('replays a class through its constructor arguments and the history of its calls, one call counted as one', () => {
    const p = [0, 0];
    const a = new replay.Accumulator(p, 0.5);
    expect(a.step([2, 4])).toBe(1);
    expect(p).toEqual([1, 2]);
    expect(a.step([2, 0])).toBe(2);
    expect(p).toEqual([2, 2]);
    // Another history (the second step first) was never recorded.
    const b = new replay.Accumulator([0, 0], 0.5);
    expect(() => b.step([2, 0])).toThrow(/not judged here/);
  });

  it('keeps constants, replays an object of functions member by member, and refuses what could not be recorded', () => {
    expect(Object.is(replay.LIMITS.low, -0)).toBe(true);
    expect(replay.LIMITS.high).toBe(Infinity);
    expect(replay.activations.relu(-3)).toBe(0);
    expect(() => replay.activations.relu(3)).toThrow(/not judged here/);
    expect(() => replay.makesAFunction()).toThrow(/not judged here/);
    expect(() => (replayedModule('toy.ts', ['missing'])['missing'] as () => void)()).toThrow(/not judged here/);
  });

  it('replays a list of named mistakes item by item: their names as they were, their implementations as recorded', () => {
    const [negated] = replay.mistakes;
    expect(replay.mistakes).toHaveLength(1);
    expect([negated!.id, negated!.title]).toEqual(['negated', 'sum negated']);
    expect(negated!.implementation.add(1, 2)).toBe(-3);
    expect(() => negated!.implementation.add(2, 2)).toThrow(/not judged here/);
    expect(Function.prototype.toString.call(negated!.implementation.add)).not.toContain('-(a + b)');
  });
});
