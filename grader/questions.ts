// Written answers: the `questions:` of an assignment (a closed form per question, its variables and their
// domains, named wrong forms with partial credit), validated with zod, and graded from a student's
// answers.yaml by the expression engine in src/expression. Outcomes are data; render/question.ts words them.

import { z } from 'zod';
import { type FormError, FUNCTIONS, parseForm, type FormContext } from '../src/expression/parse.ts';
import { type Verdict, equivalence } from '../src/expression/equivalence.ts';
import { differenceSlice } from '../src/expression/slice.ts';
import type { Plot } from '../src/failure.ts';
import type { VariableSpec } from '../src/expression/variables.ts';
import { hashSeed } from '../src/rng.ts';
import { tolerance as makeTolerance } from '../src/tolerance.ts';
import type { Answers } from './answers.ts';

/** Named domains: what `tau: positive` means. */
export const DOMAINS = {
  positive_integer: { kind: 'integer', min: 1, max: 100 },
  integer: { kind: 'integer', min: -100, max: 100 },
  positive: { kind: 'real', min: 0.01, max: 10 },
  real: { kind: 'real', min: -10, max: 10 },
  unit_interval: { kind: 'real', min: 0.01, max: 0.99 },
} as const satisfies Record<string, Pick<VariableSpec, 'kind' | 'min' | 'max'>>;
const DomainName = z.enum(Object.keys(DOMAINS) as [keyof typeof DOMAINS, ...(keyof typeof DOMAINS)[]]);

const VariableEntry = z.union([
  DomainName.transform((domain) => ({ domain, shape: [] as (number | string)[], aliases: [] as string[] })),
  z
    .object({
      domain: DomainName.default('real'),
      min: z.number().optional(),
      max: z.number().optional(),
      /** [] a scalar, [n] a vector, [d, m] a matrix; a dimension is a number or a name. */
      shape: z.array(z.union([z.number().int().positive(), z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/)])).max(2).default([]),
      aliases: z.array(z.string().min(1)).default([]),
    })
    .strict(),
]);

const WrongForm = z
  .object({
    form: z.string().min(1),
    /** Fraction of the question's points earned by this answer. */
    credit: z.number().min(0).max(1),
    /** What the student reads: the mistake, in a sentence. */
    says: z.string().min(1),
  })
  .strict();

export const QuestionEntry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'a question id is lowercase letters, digits, dots and dashes'),
    title: z.string().min(1).optional(),
    points: z.number().nonnegative(),
    visibility: z.enum(['visible', 'hidden', 'after_due_date', 'after_published']).default('visible'),
    /** The expected closed form (math.js or LaTeX). */
    answer: z.string().min(1),
    variables: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'a variable name is a letter followed by letters, digits or _'), VariableEntry),
    /** Question-specific function names: `sigma: step` when sigma(u) is the step activation. */
    functions: z.record(z.string(), z.enum(FUNCTIONS)).default({}),
    wrong_forms: z.record(z.string(), WrongForm).default({}),
    /** Random points at which the forms are compared. */
    points_checked: z.number().int().positive().max(10_000).optional(),
    tolerance: z.object({ rtol: z.number().nonnegative(), atol: z.number().nonnegative(), reason: z.string().min(1) }).strict().optional(),
  })
  .strict();

export type QuestionSettings = z.infer<typeof QuestionEntry>;

export function variablesOf(q: QuestionSettings): VariableSpec[] {
  return Object.entries(q.variables).map(([name, v]) => {
    const domain = DOMAINS[v.domain];
    const min = 'min' in v && v.min !== undefined ? v.min : domain.min;
    const max = 'max' in v && v.max !== undefined ? v.max : domain.max;
    return { name, kind: domain.kind, min, max, shape: v.shape, aliases: v.aliases };
  });
}

export function contextOf(q: QuestionSettings): FormContext {
  return { variables: variablesOf(q), functions: q.functions };
}

/** One authoring problem of a question: where it is (a path below the question) and what is wrong. */
export interface QuestionIssue {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** Checks what zod cannot: the forms parse, the shapes name integer scalars, wrong forms are wrong. */
export function questionIssues(q: QuestionSettings, seed: number, describe: (e: FormError) => string): QuestionIssue[] {
  const issues: QuestionIssue[] = [];
  const vars = variablesOf(q);
  for (const v of vars) {
    if (v.min > v.max) issues.push({ path: ['variables', v.name], message: `min ${v.min} is above max ${v.max}` });
    for (const d of v.shape) {
      const size = vars.find((s) => s.name === d);
      if (size && (size.kind !== 'integer' || size.shape.length > 0 || size.min < 1)) {
        issues.push({ path: ['variables', v.name, 'shape'], message: `the dimension "${String(d)}" must be a positive integer scalar (domain positive_integer)` });
      }
    }
  }
  if (issues.length > 0) return issues;
  const context = contextOf(q);
  const expected = parseForm(q.answer, context);
  if (!expected.ok) return [{ path: ['answer'], message: describe(expected.error) }];
  for (const [id, w] of Object.entries(q.wrong_forms)) {
    const form = parseForm(w.form, context);
    if (!form.ok) {
      issues.push({ path: ['wrong_forms', id, 'form'], message: describe(form.error) });
      continue;
    }
    const verdict = equivalence(expected.node, form.node, vars, { seed: hashSeed(seed, q.id, id), numRuns: 50 });
    if (verdict.kind === 'equivalent') issues.push({ path: ['wrong_forms', id, 'form'], message: 'this wrong form is equivalent to the answer' });
  }
  return issues;
}

/** What happened to one answer. */
export type QuestionOutcome =
  | { readonly kind: 'correct'; readonly method: 'evaluation' | 'symbolic'; readonly points: number }
  | { readonly kind: 'wrong_form'; readonly id: string; readonly says: string; readonly credit: number }
  | { readonly kind: 'incorrect'; readonly verdict: Exclude<Verdict, { kind: 'equivalent' }>; readonly plot?: Plot }
  | { readonly kind: 'invalid'; readonly error: FormError }
  | { readonly kind: 'missing'; readonly file: string | undefined }
  | { readonly kind: 'unreadable'; readonly file: string; readonly message: string };

export interface ScoredQuestion {
  readonly id: string;
  readonly title: string;
  readonly points: number;
  readonly score: number;
  readonly visibility: QuestionSettings['visibility'];
  /** What the student wrote, as written. */
  readonly answer?: string;
  /** The variables the answer may use (for messages). */
  readonly variables: readonly string[];
  readonly outcome: QuestionOutcome;
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

export function gradeQuestion(q: QuestionSettings, answers: Answers, seed: number): ScoredQuestion {
  const context = contextOf(q);
  const base = { id: q.id, title: q.title ?? q.id, points: q.points, visibility: q.visibility, variables: context.variables.map((v) => v.name) };
  const scored = (outcome: QuestionOutcome, score: number, answer?: string): ScoredQuestion => ({ ...base, score: round(score), ...(answer !== undefined ? { answer } : {}), outcome });
  if (answers.kind === 'unreadable') return scored({ kind: 'unreadable', file: answers.file, message: answers.message }, 0);
  const text = answers.kind === 'none' ? undefined : answers.answers[q.id];
  if (text === undefined) return scored({ kind: 'missing', file: answers.kind === 'none' ? undefined : answers.file }, 0);
  const received = parseForm(text, context);
  if (!received.ok) return scored({ kind: 'invalid', error: received.error }, 0, text);
  const expected = parseForm(q.answer, context);
  // The assignment was validated on load: an expected form that does not parse is a grader bug.
  if (!expected.ok) throw new Error(`question ${q.id}: the expected form does not parse (${expected.error.kind})`);
  const tol = q.tolerance ? makeTolerance(q.tolerance.rtol, q.tolerance.atol, q.tolerance.reason) : undefined;
  const options = { ...(q.points_checked !== undefined ? { numRuns: q.points_checked } : {}), ...(tol ? { tolerance: tol } : {}) };
  const verdict = equivalence(expected.node, received.node, context.variables, { seed: hashSeed(seed, q.id), ...options });
  if (verdict.kind === 'equivalent') return scored({ kind: 'correct', method: verdict.method, points: verdict.points }, q.points, text);
  for (const [id, w] of Object.entries(q.wrong_forms)) {
    const form = parseForm(w.form, context);
    if (!form.ok) continue;
    const match = equivalence(form.node, received.node, context.variables, { seed: hashSeed(seed, q.id, id), ...options });
    if (match.kind === 'equivalent') return scored({ kind: 'wrong_form', id, says: w.says, credit: w.credit }, q.points * w.credit, text);
  }
  const plot = verdict.kind === 'different' ? differenceSlice(expected.node, received.node, context.variables, verdict.point, verdict.worst) : undefined;
  return scored({ kind: 'incorrect', verdict, ...(plot ? { plot } : {}) }, 0, text);
}

export function gradeQuestions(questions: readonly QuestionSettings[], answers: Answers, seed: number, visibleOnly = false): ScoredQuestion[] {
  return questions.filter((q) => !visibleOnly || q.visibility === 'visible').map((q) => gradeQuestion(q, answers, seed));
}
