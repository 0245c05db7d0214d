// Cases a run cannot judge (src/unjudged.ts): a self-check without the reference holds its answers to the drawn
// inputs only. A case whose oracle has no answer neither passes nor fails: it is counted, the check is decided
// by the others, and shrinking stops where the answers stop.

import { describe, expect, it } from 'vitest';
import { vector } from '../../src/arbitraries.ts';
import { matchesOracle } from '../../src/laws.ts';
import { runCheck } from '../../src/runner.ts';
import { moduleSubject } from '../../src/subject.ts';
import { tolerance } from '../../src/tolerance.ts';
import { NotJudgedHere, isNotJudgedHere, reportDrawnInputs } from '../../src/unjudged.ts';

const sum = (x: readonly number[]) => x.reduce((s, v) => s + v, 0);

/** An oracle that knows the sum only of inputs of `known` (as recordings know the drawn inputs only). */
const partialOracle = (known: (x: number[]) => boolean) =>
  matchesOracle({
    id: 'sum',
    title: 'total(x) is the sum of x',
    arbitrary: vector({ maxLength: 6 }),
    fn: 'total',
    args: (x) => [x],
    oracle: (x) => {
      if (!known(x)) throw new NotJudgedHere(`total(${JSON.stringify(x)})`);
      return sum(x);
    },
    tolerance: tolerance(1e-9, 1e-12, 'exact arithmetic'),
  });

const correct = moduleSubject('correct', { total: sum });
const doubles = moduleSubject('doubles', { total: (x: number[]) => 2 * sum(x) });

describe('cases not judged here', () => {
  it('are counted on a passing check, which the judged cases decide', async () => {
    const r = await runCheck('toy', partialOracle((x) => x.length % 2 === 0), correct, { seed: 3, numRuns: 50 });
    expect(r.passed).toBe(true);
    expect(r.unjudged).toBeGreaterThan(0);
    expect(r.unjudged).toBeLessThan(50);
  });

  it('never fail a check: a wrong subject whose every case is unjudged passes, all of them counted', async () => {
    const r = await runCheck('toy', partialOracle(() => false), doubles, { seed: 3, numRuns: 20 });
    expect(r).toMatchObject({ passed: true, unjudged: 20 });
  });

  it('stop shrinking: the failure is reported on the last input the oracle knows', async () => {
    // The oracle knows only inputs of length >= 3: the shrink toward shorter vectors stops there.
    const r = await runCheck('toy', partialOracle((x) => x.length >= 3), doubles, { seed: 3, numRuns: 50 });
    expect(r.passed).toBe(false);
    expect((r.counterexample as number[]).length).toBe(3);
    expect(r.unjudged).toBeUndefined();
  });

  it('are told from other errors by a mark that survives two copies of the module', () => {
    expect(isNotJudgedHere(new NotJudgedHere('x'))).toBe(true);
    expect(isNotJudgedHere(Object.assign(new Error('copy'), { notJudgedHere: true }))).toBe(true);
    expect(isNotJudgedHere(new Error('other'))).toBe(false);
    expect(isNotJudgedHere(undefined)).toBe(false);
    expect(new NotJudgedHere('total([1])').message).toBe("not judged here: the reference's answer to total([1]) is not part of this self-check");
  });

  // Last: it switches shrinking off for the rest of this file's process, as the self-check's entry does for its own.
  it('in a self-check judging from recordings, a failure is reported on the input drawn, not shrunk', async () => {
    const everywhere = partialOracle(() => true);
    const shrunk = await runCheck('toy', everywhere, doubles, { seed: 3, numRuns: 50 });
    expect(shrunk.path).toContain(':');
    reportDrawnInputs();
    const drawn = await runCheck('toy', everywhere, doubles, { seed: 3, numRuns: 50 });
    expect(drawn).toMatchObject({ passed: false, path: shrunk.path!.split(':')[0] });
    expect((drawn.counterexample as number[]).length).toBeGreaterThan((shrunk.counterexample as number[]).length);
  });
});
