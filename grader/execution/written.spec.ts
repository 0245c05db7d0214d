// Numbers written into markdown (seed 003's inline questions 2.A and 2.B), without a process: the forms students
// write them in are read as the numbers they mean, each judged to the precision it is written in, and each wrong
// answer (a blank slot, a copy of wrong code's value, a sign, two answers swapped, too few digits) fails its own
// aspect with the cell and the reason named.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../assignment.ts';
import { judgeExecution } from './judge.ts';
import { REFERENCES } from './references.ts';
import type { ExecutionResult } from './run.ts';
import type { WrittenCheck } from './schema.ts';
import { type MarkdownCell, writtenAnswers } from './written.ts';

const assignment = loadAssignment(path.join(import.meta.dirname, '..', '..', 'fixtures', 'assignments', 'seed-003.yaml'));
const checkOf = (id: string) => assignment.execute!.checks.find((c): c is WrittenCheck => c.id === id && 'written' in c)!;
const meanCheck = checkOf('written-mean-grads');
const [MEAN0, MEAN1] = REFERENCES['bowl-sgd-mean-gradient']() as [number, number];
const [RMS0, RMS1] = REFERENCES['bowl-sgd-rms-gradient']() as [number, number];

/** The template's cell with its two slots filled as given. */
const template = (a: string, b: string, label = '2.A) Inline Questions (2 points):', what = 'Mean') =>
  `${label}\n\n1. ${what} gradient component with respect to $x[0] = \\boxed{${a}}$\n2. ${what} gradient component with respect to $x[1] = \\boxed{${b}}$\n`;

/** The course template's 2.A cell (CS7150-Homework-2): the formula, then \text{...} = \fbox{} slots in display math. */
const OFFICIAL = (a: string, b: string) =>
  `<font size='4'>**Measure mean of the gradient on each dimension**</font>\n\n$$\\mathtt{mean\\_grads[i]} = \\frac{1}{N} \\sum_{t=1}^N \\frac{\\partial \\mathcal{L}}{\\partial x_i}(x^{(t)})$$\n\n<font size='4' color='red'>**2.A) Inline Questions (2 points):**</font>\n\n$$\\text{1. Mean gradient component with respect to x[0]} = \\fbox{${a}}$$\n$$\\text{2. Mean gradient component with respect to x[1]} = \\fbox{${b}}$$\n`;

const values = (answers: ReturnType<typeof writtenAnswers>) => answers.map((a) => a?.value ?? null);
const heading = /2\.A\)/;

describe('reading the numbers a cell gives', () => {
  it.each([
    ['the template filled', template('-0.2982', '0.0940'), [-0.2982, 0.094]],
    ['a Unicode minus and a trailing note', template('−0.2982', '0.0940') + '\n(from the printed tensor)', [-0.2982, 0.094]],
    ['no box', '2.A) Inline Questions (2 points):\n\n1. Mean gradient component with respect to x[0] = -0.2982\n2. Mean gradient component with respect to x[1] = 0.094\n', [-0.2982, 0.094]],
    ['both on one line, with subscripts', '2.A)\nx_0 = -0.298, x_{1} = 0.0940', [-0.298, 0.094]],
    ['e-notation and LaTeX powers', template('-2.982e-01', '9.40 \\times 10^{-2}'), [-0.2982, 0.094]],
    ['coloured by HTML', template('<font color="red">-0.2982</font>', '<b>0.0940</b>'), [-0.2982, 0.094]],
    ['a formula restated above the answers', '2.A)\n$$\\text{mean}[i] = \\frac{1}{N}\\sum_t g_t$$\n' + template('-0.2982', '0.0940', ''), [-0.2982, 0.094]],
    ['the answers below the template lines', template('', '') + '\n**Answer:** -0.2982 and 0.0940', [-0.2982, 0.094]],
    ['the template left empty', template('', ''), [null, null]],
    ['approximately', '2.A)\n1. x[0] \\approx -0.30\n2. x[1] ≈ 0.094', [-0.3, 0.094]],
    // The course template's own cell: the formula above, the answers in \fbox{} behind \text{1. ...}.
    ['the template: formula, \\text and \\fbox', OFFICIAL('-0.2982', '0.0940'), [-0.2982, 0.094]],
    ['the template left empty', OFFICIAL('', ''), [null, null]],
    ['the template with one \\fbox and one \\boxed', OFFICIAL('-0.2982', '0.0940').replace('\\fbox{0.0940}', '\\boxed{0.0940}'), [-0.2982, 0.094]],
  ])('%s', (_what, source, expected) => {
    const read = values(writtenAnswers(source, heading));
    expect(read).toHaveLength(expected.length);
    read.forEach((r, i) => (expected[i] === null ? expect(r).toBeNull() : expect(r).toBeCloseTo(expected[i]!, 12)));
  });

  it('takes the precision a number is written in: a unit of its last digit', () => {
    const [a, b] = writtenAnswers(template('-0.2982', '9.4e-2'), heading);
    expect(a?.unit).toBeCloseTo(1e-4, 15);
    expect(b?.unit).toBeCloseTo(1e-3, 15);
  });
});

const CELL = 6;
const ran: ExecutionResult = { cells: [{ cell: 7, status: 'ran' }], calls: [], figures: [], values: {}, models: {}, served: [], seconds: 0 };

/** The 2.A check judged on a notebook whose markdown cell 6 reads `source`; the failed aspects' messages. */
function judged(check: WrittenCheck, markdown: readonly MarkdownCell[], result: ExecutionResult | undefined = ran) {
  const outcome = result === undefined ? { failure: 'the process died' } : { result };
  const scored = judgeExecution({ ...assignment.execute!, checks: [check] }, outcome, [], 1, 1, markdown)[0]!;
  return { score: scored.score, failed: Object.fromEntries(scored.checks.filter((c) => !c.result.passed).map((c) => [c.result.check, c.result.failure!.message])) };
}
const cell = (source: string): MarkdownCell[] => [{ cell: CELL, source }];

describe('judging the written numbers (seed 003 2.A)', () => {
  it.each([
    ['as printed', '-0.2982', '0.0940'],
    ['rounded to 3 decimals', '-0.298', '0.094'],
    ['truncated', '-0.2982', '0.0939'],
    ['with every float32 digit', String(MEAN0), String(MEAN1)],
  ])('%s: full marks', (_what, a, b) => {
    expect(judged(meanCheck, cell(template(a, b)))).toEqual({ score: meanCheck.points, failed: {} });
  });

  it('a blank slot fails its answer alone, naming the cell', () => {
    const { score, failed } = judged(meanCheck, cell(template('-0.2982', '')));
    expect(score).toBe(meanCheck.points / 2);
    expect(failed).toEqual({ 'answer-2': `x[1] is not written in markdown cell ${CELL}: its answers read -0.2982, (empty)` });
  });

  it('the cell missing fails both, naming the pattern that finds it', () => {
    const { failed } = judged(meanCheck, cell(template('-0.2982', '0.0940', '2.B) Inline Questions (2 points):')));
    expect(Object.values(failed)).toEqual([expect.stringMatching(/^no markdown cell matches \/2\\\.A\\\)\//), expect.stringMatching(/^no markdown cell/)]);
  });

  it('an answer one digit off fails, with the value as it should read', () => {
    const { failed } = judged(meanCheck, cell(template('-0.2892', '0.0940')));
    expect(failed['answer-1']).toMatch(/^x\[0\] is written as -0\.2892 in markdown cell 6, expected -0\.298245 \(-0\.2982 as written\): off by 0\.00904/);
    expect(Object.keys(failed)).toEqual(['answer-1']);
  });

  it('names a dropped sign, swapped answers and too few digits', () => {
    expect(judged(meanCheck, cell(template('0.2982', '0.0940'))).failed['answer-1']).toMatch(/the sign is wrong$/);
    expect(judged(meanCheck, cell(template('0.0940', '-0.2982'))).failed).toEqual({
      'answer-1': expect.stringMatching(/that is x\[1\]'s value: the answers are swapped$/),
      'answer-2': expect.stringMatching(/that is x\[0\]'s value: the answers are swapped$/),
    });
    expect(judged(meanCheck, cell(template('-0.30', '0.09'))).failed).toEqual({ 'answer-2': expect.stringMatching(/^x\[1\] is written as 0\.09 .*too few digits/) });
  });

  it("a copy of what wrong code computed is told apart, and sent to the code's check", () => {
    const rmsCheck = checkOf('written-rms-grads');
    // torch's std (n - 1) where the RMS is asked: x[0]'s agrees with the RMS to the 4 decimals printed, x[1]'s not.
    const std = [2.10925, 0.29606];
    const result = { ...ran, values: { rms_grads: { kind: 'array' as const, value: std, dtype: 'float32', shape: [2] } } };
    const { failed } = judged(rmsCheck, cell(template('2.1093', '0.2961', '2.B) Inline Questions (2 points):', 'RMS')), result);
    expect(failed).toEqual({ 'answer-2': expect.stringMatching(/^x\[1\] is written as 0\.2961 .*expected 0\.307785 .*: that is what rms_grads computes \(0\.29606\), and its code is wrong/) });
    expect(RMS0).toBeCloseTo(2.1092, 4);
    expect(RMS1).toBeCloseTo(0.3078, 4);
  });

  it('reads the answers from the next markdown cell when the question cell holds none', () => {
    const next: MarkdownCell[] = [{ cell: CELL, source: template('', '') }, { cell: CELL + 1, source: 'x[0]: -0.2982, x[1]: 0.0940' }];
    expect(judged(meanCheck, next)).toEqual({ score: meanCheck.points, failed: {} });
  });

  it('is judged when the cells could not run: the numbers need no execution', () => {
    expect(judged(meanCheck, cell(template('-0.2982', '0.0940')), undefined)).toEqual({ score: meanCheck.points, failed: {} });
  });
});
