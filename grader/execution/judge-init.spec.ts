// The initialised-weights judge (seed 002 Q4.1) without a process: the globals a Q1 cell leaves, drawn here as
// a student's numpy would (an rng of its own, never the reference's draws), judged against seed-002.yaml's
// check. A correct initialisation earns every point; each wrong one fails exactly its aspect, and the priced
// mistake is named and costs its deduction.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Value } from '../../src/failure.ts';
import { Rng } from '../../src/rng.ts';
import { loadAssignment } from '../assignment.ts';
import { judgeExecution } from './judge.ts';
import type { ExecutionResult } from './run.ts';
import type { InitialisedCheck } from './schema.ts';

const assignment = loadAssignment(path.join(import.meta.dirname, '..', '..', 'fixtures', 'assignments', 'seed-002.yaml'));
const check = assignment.execute!.checks.find((c): c is InitialisedCheck => 'initialised' in c)!;
const CELL = 7;
const SIZES = [784, 32, 32, 10];

/** `weights` and `biases` as a Q1 cell builds them, with its own rng and standard deviation per layer. */
function globals(std: (nIn: number, nOut: number) => number, options: { seed?: number; transposed?: boolean; bias?: number } = {}) {
  const rng = new Rng(options.seed ?? 80085);
  const array = (shape: number[], value: Value) => ({ kind: 'array' as const, dtype: 'float64', shape, value });
  const weights = SIZES.slice(1).map((nOut, l) => {
    const [rows, cols] = options.transposed ? [nOut, SIZES[l]!] : [SIZES[l]!, nOut];
    return array([rows, cols], Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal(0, std(SIZES[l]!, nOut)))));
  });
  const biases = SIZES.slice(1).map((nOut) => array([nOut], new Array<number>(nOut).fill(options.bias ?? 0)));
  return { weights: { kind: 'list' as const, items: weights }, biases: { kind: 'list' as const, items: biases } };
}

const judge = (values: ExecutionResult['values']) => {
  const result: ExecutionResult = { cells: [{ cell: CELL, status: 'ran' }], calls: [], figures: [], values, models: {}, served: [], seconds: 0 };
  return judgeExecution({ ...assignment.execute!, checks: [check] }, { result }, [{ cell: CELL, source: 'weights = []\nbiases = []\n' }], 1, 1)[0]!;
};
const failed = (scored: ReturnType<typeof judge>) => scored.checks.filter((c) => !c.result.passed).map((c) => c.result.check);

const maxFan = (nIn: number, nOut: number) => 1 / Math.sqrt(Math.max(nIn, nOut));

describe('seed 002 Q4.1: the weights and biases the Q1 cell leaves', () => {
  it.each([80085, 1, 2, 3])('N(0, 1/max(n_in, n_out)) in (n_in, n_out), zero biases: every point (rng seed %i)', (seed) => {
    const scored = judge(globals(maxFan, { seed }));
    expect(failed(scored)).toEqual([]);
    expect(scored.score).toBe(check.points);
  });

  it('1/n_in is the same rule on a narrowing network: every point', () => {
    expect(judge(globals((nIn) => 1 / Math.sqrt(nIn))).score).toBe(check.points);
  });

  it('the variance as the standard deviation: the distribution fails, named std-variance-confused, its deduction', () => {
    const scored = judge(globals((nIn, nOut) => 1 / Math.max(nIn, nOut)));
    expect(failed(scored)).toEqual(['distribution']);
    expect(scored.mistake?.id).toBe('std-variance-confused');
    expect(scored.score).toBeCloseTo(check.points - check.mistakes['std-variance-confused']!.deduct, 6);
    expect(scored.checks.find((c) => c.result.check === 'distribution')!.result.failure!.message).toMatch(/weights \(defined in cell 7, which ran\): the 25088 entries of weights\[0\] \(784, 32\) are not N\(0, 1\/max\(fan_in, fan_out\)\)/);
  });

  it('unit variance (rng.normal without scale): the distribution fails, no mistake named', () => {
    const scored = judge(globals(() => 1));
    expect(failed(scored)).toEqual(['distribution']);
    expect(scored.mistake).toBeUndefined();
    expect(scored.score).toBeCloseTo((2 / 3) * check.points, 6);
  });

  it("variance 1/n_out: the first layer's is 24 times too large", () => {
    expect(failed(judge(globals((_, nOut) => 1 / Math.sqrt(nOut))))).toEqual(['distribution']);
  });

  it("(n_out, n_in), nn.Linear's layout: the shapes fail", () => {
    const scored = judge(globals(maxFan, { transposed: true }));
    expect(failed(scored)).toEqual(['shapes']);
    expect(scored.checks[0]!.result.failure!.message).toContain('holds matrices of shapes (32, 784), (32, 32), (10, 32), expected (784, 32), (32, 32), (32, 10)');
  });

  it('biases that are not zero fail zero-biases alone', () => {
    expect(failed(judge(globals(maxFan, { bias: 0.01 })))).toEqual(['zero-biases']);
  });

  it('weights missing, or not a list of arrays: every aspect of the weights fails, saying where', () => {
    const { biases } = globals(maxFan);
    const missing = judge({ biases });
    expect(failed(missing)).toEqual(['shapes', 'distribution']);
    expect(missing.checks[0]!.result.failure!.message).toContain('weights (defined in cell 7, which ran) is not defined after the notebook ran');
    expect(failed(judge({ biases, weights: { kind: 'other', type: 'dict' } }))).toEqual(['shapes', 'distribution']);
  });
});

// Seed 003's 4.4 and 4.5: six 2048 x 2048 matrices each, sent as 65,536 evenly sampled entries (execute.py), each
// judged as the first cell with its template comment left `weights` (4.1-4.3 fill it before, 4.5 after 4.4).
describe("seed 003 4.4 and 4.5: the weights each loop's own cell leaves, from samples", () => {
  const seed003 = loadAssignment(path.join(import.meta.dirname, '..', '..', 'fixtures', 'assignments', 'seed-003.yaml'));
  const [xavier, kaiming] = (['xavier-loop', 'kaiming-loop'] as const).map((id) => seed003.execute!.checks.find((c): c is InitialisedCheck => c.id === id)!);
  const SOURCES = [
    { cell: 40, source: '    # Initialize zero weights for each layer\n    W = np.zeros((layer_dims[i], layer_dims[i + 1]))' },
    { cell: 44, source: '    # Initialize weights using Xavier method for each Layer\n    W = ...' },
    { cell: 46, source: '    # Initialize weights using He method for each Layer\n    W = ...' },
  ];
  /** `weights` as a loop left it: six sampled 2048 x 2048 layers of N(0, variance). */
  function sampled(variance: number, seed: number) {
    const rng = new Rng(seed);
    const layer = { kind: 'array' as const, dtype: 'float64', shape: [2048, 2048], sampled: 2048 * 2048 };
    return { kind: 'list' as const, items: Array.from({ length: 6 }, () => ({ ...layer, value: Array.from({ length: 65_536 }, () => rng.normal(0, Math.sqrt(variance))) })) };
  }
  const judgeLoops = (values: ExecutionResult['values']) => {
    const result: ExecutionResult = { cells: SOURCES.map(({ cell }) => ({ cell, status: 'ran' as const })), calls: [], figures: [], values, models: {}, served: [], seconds: 0 };
    return judgeExecution({ ...seed003.execute!, checks: [xavier!, kaiming!] }, { result }, SOURCES, 1, 1);
  };

  it("N(0, 1/n_in) in 4.4's cell and N(0, 2/n_in) in 4.5's: both points; swapped: only the shapes' half of each, saying the entries were sampled", () => {
    const right = judgeLoops({ 'weights#44': sampled(1 / 2048, 1), 'weights#46': sampled(2 / 2048, 2) });
    expect(right.map((s) => s.score)).toEqual([1, 1]);
    const swapped = judgeLoops({ 'weights#44': sampled(2 / 2048, 1), 'weights#46': sampled(1 / 2048, 2) });
    expect(swapped.map((s) => s.score)).toEqual([0.5, 0.5]); // the shapes hold; the distributions do not
    expect(swapped[0]!.checks.find((c) => !c.result.passed)?.result.failure?.message).toMatch(/^weights \(defined in cell 44, which ran\): 65536 entries, evenly sampled from the 4194304, of weights\[0\] \(2048, 2048\) are not N\(0, /);
  });

  it("a notebook without 4.4's cell (its template comment gone) fails the check, saying what finds the cell", () => {
    const result: ExecutionResult = { cells: [{ cell: 40, status: 'ran' }], calls: [], figures: [], values: {}, models: {}, served: [], seconds: 0 };
    const [scored] = judgeExecution({ ...seed003.execute!, checks: [xavier!] }, { result }, [SOURCES[0]!], 1, 1);
    expect(scored!.score).toBe(0);
    expect(scored!.checks[0]!.result.failure?.message).toBe(`weights (no cell's code matches /${xavier!.initialised.cell}/, which finds this task's cell) is not defined after the notebook ran`);
  });

  it('a layer whose sample stands for the wrong number of entries fails its shape and distribution', () => {
    const values = sampled(1 / 2048, 3);
    const wrong = { ...values, items: values.items.map((item, l) => (l === 2 ? { ...item, shape: [2048, 1024], sampled: 2048 * 1024 } : item)) };
    const [scored] = judgeLoops({ 'weights#44': wrong, 'weights#46': sampled(2 / 2048, 4) });
    expect(scored!.checks.filter((c) => !c.result.passed).map((c) => c.result.check)).toEqual(['shapes', 'distribution']);
  });
});
