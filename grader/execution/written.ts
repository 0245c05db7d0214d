// Numbers a student writes into a markdown cell (seed 003's inline questions 2.A and 2.B: "Mean gradient component
// with respect to $x[0] = \boxed{...}$"), read and judged against the reference's values. A written number is a
// copy of a printed one: it is judged to the precision it is written in (a unit of its last digit, so that a
// rounded or truncated copy passes), and a wrong one is explained where the notebook shows why (the code's own
// value, a dropped sign, the answers swapped).

import { readNotebookCells } from '../submission.ts';
import { type Aspect, describedNumbers, fail } from './aspect.ts';
import type { ExecutionResult } from './run.ts';
import type { WrittenCheck } from './schema.ts';

/** A markdown cell: its 1-based position among all the notebook's cells, and its text. */
export interface MarkdownCell {
  readonly cell: number;
  readonly source: string;
}

export function markdownCells(file: string): MarkdownCell[] {
  return readNotebookCells(file).flatMap((c) => (c.type === 'markdown' ? [{ cell: c.cell, source: c.source }] : []));
}

/** A number as written: its value and the unit of its last written digit (-0.2982: 0.0001; 2.1e-1: 0.01). */
export interface WrittenNumber {
  readonly text: string;
  readonly value: number;
  readonly unit: number;
}

// A decimal with an optional exponent, as e-notation or as LaTeX's \times 10^{-1}; a Unicode minus is a minus.
const NUMBER = /([-−+]?)\s*(\d+(?:\.\d*)?|\.\d+)(?:\s*(?:[eE]|(?:\\times|\\cdot|×|\*)\s*10\s*\^\s*\{?)\s*([-+−]?\d+)\}?)?/g;

function numbersIn(text: string): WrittenNumber[] {
  return [...text.matchAll(NUMBER)].map((m) => {
    const [whole, sign, digits, exponent] = [m[0], m[1]!, m[2]!, m[3]];
    const scale = exponent === undefined ? 1 : 10 ** Number(exponent.replace('−', '-'));
    const decimals = digits.includes('.') ? digits.length - digits.indexOf('.') - 1 : 0;
    const value = (sign === '-' || sign === '−' ? -1 : 1) * Number(digits) * scale;
    return { text: whole.trim(), value, unit: 10 ** -decimals * scale };
  });
}

/**
 * The text of a cell with what is never an answer taken out: HTML tags (their `=`), indices (x[0], x_{1}), list
 * markers, "(2 points)" and the heading line the cell is found by.
 */
function answerText(source: string, heading: RegExp): string {
  const lines = source
    .replace(/<[^>]*>/g, ' ')
    // A formula's sub- and superscripts (\sum_{t=1}^N): their `=` is no answer slot.
    .replace(/[_^]\{[^{}=]*=[^{}]*\}/g, ' ')
    .replace(/\[\s*\d+\s*\]|_\{?\d+\}?/g, '[]')
    .replace(/\(\s*\d+\s*points?\s*\)/gi, ' ')
    .split('\n')
    // List markers, also inside \text{...} (the template's "$$\text{1. Mean gradient ...} = \fbox{}$$").
    .map((line) => line.replace(/^\s*(?:\d+[.)]|[-*+])\s+/, '').replace(/(\\text\{\s*)\d+[.)]\s+/g, '$1'));
  const first = lines.findIndex((line) => heading.test(line));
  return lines.filter((_, i) => i !== first).join('\n');
}

// What may stand between an `=` and the number it gives: spaces, $, bold, braces, \boxed{ or \fbox{, \text{, a colour.
const WRAPPING = /^(?:\s|\$|\*|_|\{|\(|\\(?:boxed|fbox|framebox|text|textbf|mathbf|mathrm|bf|underline|quad|,|;)|\\color\{\w+\})*$/;

/**
 * The answers a cell gives, in order: the number after each `=` (or ≈) of an answer line, null where the template's
 * slot is left empty; a formula's `=` (a number behind \frac or a name) is not an answer slot. Where the cell has
 * no filled slot, the numbers written below its last `=` line, in order (an answer under the template's lines).
 */
export function writtenAnswers(source: string, heading: RegExp): (WrittenNumber | null)[] {
  const lines = answerText(source, heading).split('\n');
  const slots: (WrittenNumber | null)[] = [];
  let lastSlotLine = -1;
  lines.forEach((line, i) => {
    const parts = line.split(/=|≈|\\approx/).slice(1);
    if (parts.length > 0) lastSlotLine = i;
    for (const part of parts) {
      const first = numbersIn(part)[0];
      if (first === undefined) slots.push(null);
      else if (WRAPPING.test(part.slice(0, part.indexOf(first.text)))) slots.push(first);
    }
  });
  if (slots.some((s) => s !== null)) return slots;
  // Nothing in the slots: the numbers written under them (not a formula's or the question's, above them).
  const loose = numbersIn(lines.slice(lastSlotLine + 1).join('\n'));
  return loose.length > 0 ? loose : slots;
}

/**
 * A task's answers: those of the first markdown cell matching `pattern`, or, where it gives none (the template's
 * slots left empty), those of the markdown cell right after it when that one gives some.
 */
function answersOf(pattern: RegExp, markdown: readonly MarkdownCell[]): { where: string; answers: (WrittenNumber | null)[] } | undefined {
  const at = markdown.findIndex((m) => pattern.test(m.source));
  if (at < 0) return undefined;
  const found = markdown[at]!;
  const answers = writtenAnswers(found.source, pattern);
  const next = markdown[at + 1];
  if (answers.every((a) => a === null) && next !== undefined && next.cell === found.cell + 1) {
    const below = writtenAnswers(next.source, pattern);
    if (below.some((a) => a !== null)) return { where: `markdown cell ${next.cell}`, answers: below };
  }
  return { where: `markdown cell ${found.cell}`, answers };
}

const shown = (x: number) => String(Number(x.toPrecision(6)));

/** x written to the precision of `like` (the expected value shown as the student's copy of it would read). */
function asWritten(x: number, like: WrittenNumber): string {
  const decimals = Math.max(0, Math.round(-Math.log10(like.unit)));
  return decimals <= 12 ? x.toFixed(decimals) : shown(x);
}

export function judgeWritten(check: WrittenCheck, expected: readonly number[], markdown: readonly MarkdownCell[], result: ExecutionResult | undefined): Aspect[] {
  const w = check.written;
  const pattern = new RegExp(w.cell);
  const nameOf = (i: number) => w.names?.[i] ?? `answer ${i + 1}`;
  const aspects = expected.map((_, i) => ({ id: `answer-${i + 1}`, title: `the number written for ${nameOf(i)}` }));
  const found = answersOf(pattern, markdown);
  if (found === undefined) return aspects.map((a) => ({ ...a, failure: fail('missing', `no markdown cell matches /${w.cell}/, which holds this task's answers`) }));
  const { where, answers } = found;
  const computed = result === undefined || w.computed_by === undefined ? undefined : computedNumbers(result, w.computed_by);
  const tolerance = (e: number, written: WrittenNumber) => written.unit + w.tolerance.atol + w.tolerance.rtol * Math.abs(e);
  return aspects.map((aspect, i) => {
    const e = expected[i]!;
    const written = answers[i];
    if (written === undefined || written === null) {
      const read = answers.length === 0 ? 'no number is written there' : `its answers read ${answers.map((a) => a?.text ?? '(empty)').join(', ')}`;
      return { ...aspect, failure: fail('missing', `${nameOf(i)} is not written in ${where}: ${read}`) };
    }
    const near = (x: number) => Math.abs(written.value - x) <= tolerance(x, written);
    if (e !== 0 && written.unit > Math.abs(e) / 10) {
      return { ...aspect, failure: fail('value_mismatch', `${nameOf(i)} is written as ${written.text} in ${where}: too few digits to tell it from a wrong value; write at least 2 significant digits`, { expected: e, received: written.value }) };
    }
    if (near(e)) return aspect;
    const expectedText = `${shown(e)} (${asWritten(e, written)} as written)`;
    const say = (why: string) => ({ ...aspect, failure: fail('value_mismatch', `${nameOf(i)} is written as ${written.text} in ${where}, expected ${expectedText}: ${why}`, { expected: e, received: written.value, tolerance: w.tolerance }) });
    const own = computed?.[i];
    if (own !== undefined && near(own)) return say(`that is what ${w.computed_by} computes (${shown(own)}), and its code is wrong (see the check of ${w.computed_by})`);
    if (e !== 0 && near(-e)) return say('the sign is wrong');
    const other = expected.findIndex((x, j) => j !== i && near(x));
    if (other >= 0) return say(`that is ${nameOf(other)}'s value: the answers are swapped`);
    return say(`off by ${shown(Math.abs(written.value - e))} (allowed ${shown(tolerance(e, written))}: a unit of the last digit written, ${w.tolerance.reason})`);
  });
}

function computedNumbers(result: ExecutionResult, name: string): number[] | undefined {
  const found = result.values[name];
  return found === undefined ? undefined : describedNumbers(found);
}
