// The words for one graded written answer, shared by every renderer (terminal, Markdown, Gradescope, JUnit).
// The expected form is never shown. A question that is not visible shows its verdict and a named wrong
// form, never the values at a point (they would reveal the expected form); what the student wrote and
// why it could not be read is always shown.

import path from 'node:path';
import { formatFormError, formatVerdict } from '../../src/format.ts';
import type { ScoredQuestion } from '../questions.ts';

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

export function questionPassed(q: ScoredQuestion): boolean {
  return q.score >= q.points && (q.outcome.kind === 'correct' || q.outcome.kind === 'wrong_form');
}

/** One line: correct, named wrong form, or why not. */
export function questionFeedback(q: ScoredQuestion): string {
  const o = q.outcome;
  const expects = `an expression in ${q.variables.join(', ') || 'no variables'}`;
  switch (o.kind) {
    case 'correct':
      return o.method === 'evaluation'
        ? `Correct: equal to the expected closed form at ${o.points} random points.`
        : 'Correct: equal to the expected closed form by symbolic simplification.';
    case 'wrong_form':
      return `Named wrong form: ${o.id} (${pct(o.credit)} of the points). ${o.says}`;
    case 'incorrect':
      if (o.verdict.kind === 'undecided') return `Not graded automatically: ${formatVerdict(o.verdict)}.`;
      return q.visibility === 'visible' ? `Incorrect: ${formatVerdict(o.verdict)}.` : 'Incorrect. The details of this question are hidden.';
    case 'invalid':
      // An unknown variable's message already lists the variables.
      return `Your answer \`${q.answer ?? ''}\` could not be graded: ${formatFormError(o.error)}.${o.error.kind === 'unknown_variable' ? '' : ` Expected ${expects}.`}`;
    case 'missing':
      return o.file === undefined
        ? `No answers file: submit answers.yaml (one line per question: \`${q.id}: <expression>\`), or pass --answers FILE. Expected ${expects}.`
        : `No answer for "${q.id}" in ${path.basename(o.file)}; expected ${expects}.`;
    case 'unreadable':
      return `${path.basename(o.file)} could not be read: ${o.message}`;
  }
}
