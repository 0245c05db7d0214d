// Assignments: YAML files that say which problems count, for how many points, with which checks visible,
// which tolerances overridden (with a reason), what a named mistake costs, and the late policy.
// Validated with zod; every error names the file, the line and the field.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { formatFormError } from '../src/format.ts';
import { problemIds, problems, isProblemId, type ProblemId } from '../spec/registry.ts';
import { AssignmentError } from './assignment-error.ts';
import { COMMAND_LINE } from './report.ts';
import type { Problem } from '../src/problem.ts';
import { adapterIssues, bindingIssues } from './bindings/validate.ts';
import { ProblemBinding } from './bindings/schema.ts';
import { QuestionEntry, type QuestionSettings, questionIssues } from './questions.ts';
import { ExecuteSettings, shimsFiles } from './execution/schema.ts';

export const VISIBILITIES = ['visible', 'hidden', 'after_due_date', 'after_published'] as const;
const Visibility = z.enum(VISIBILITIES);
export type Visibility = z.infer<typeof Visibility>;

const ToleranceOverride = z
  .object({
    rtol: z.number().nonnegative(),
    atol: z.number().nonnegative(),
    reason: z.string().min(1, 'say why the tolerance is overridden'),
  })
  .strict();

const CheckSettings = z
  .object({
    /** Relative weight of the check within its problem; 0 leaves the check out (an optional part). */
    weight: z.number().nonnegative().default(1),
    visibility: Visibility.optional(),
    runs: z.number().int().positive().optional(),
    tolerance: ToleranceOverride.optional(),
  })
  .strict();

const MistakeRubric = z
  .object({
    /** Points taken off the problem when this mistake explains every failed check. */
    deduct: z.number().nonnegative(),
  })
  .strict();

const ProblemEntry = z
  .object({
    id: z.string(),
    points: z.number().nonnegative(),
    visibility: Visibility.default('visible'),
    runs: z.number().int().positive().optional(),
    checks: z.record(z.string(), CheckSettings).default({}),
    mistakes: z.record(z.string(), MistakeRubric).default({}),
    /**
     * The handout's own definition of the problem, when it differs from the catalog's (a Convention id), or several
     * the handout allows (a list; the catalog's own is named by the problem's `definition` id): the student's code
     * is graded under each, the best counts, and the report says which one it matched.
     */
    convention: z.union([z.string(), z.array(z.string()).min(1, 'list at least one convention')]).optional(),
    /** How the catalog's names reach the handout's interface (grader/bindings/). */
    bind: ProblemBinding.optional(),
  })
  .strict();

/** One task of the handout whose deliverable is code or a computed value, and how gradecheck grades it. */
const HandoutTask = z
  .object({
    task: z.string().min(1),
    points: z.number().nonnegative(),
    /** The deliverable in a few words, as the handout asks for it. */
    what: z.string().min(1),
    /** The problem or question of this assignment that grades it. */
    graded_by: z.string().optional(),
    /** Why it is left to a person (or to a later version), when nothing grades it. */
    left: z.string().optional(),
  })
  .strict()
  .refine((t) => (t.graded_by === undefined) !== (t.left === undefined), { message: 'give graded_by (a problem or question id) or left (why a person grades it), one of the two' });

const Limits = z
  .object({
    call_timeout_ms: z.number().int().positive(),
    startup_timeout_ms: z.number().int().positive(),
    total_time_ms: z.number().int().positive(),
    memory_mb: z.number().int().positive(),
  })
  .partial()
  .strict();

const LatePolicy = z
  .object({
    due: z.iso.datetime({ offset: true }),
    /** Fraction of the score lost per started day late. */
    penalty_per_day: z.number().min(0).max(1),
    /** After this many days late the score is 0. */
    max_late_days: z.number().int().nonnegative(),
    /** Also under Gradescope's autograder (`grade --gradescope`), which applies its own late policy: off unless asked. */
    on_gradescope: z.boolean().optional(),
  })
  .strict();

const AssignmentSchema = z
  .object({
    name: z.string().min(1),
    source: z.string().optional(),
    seed: z.number().int(),
    limits: Limits.default({}),
    late_policy: LatePolicy.optional(),
    /**
   * The files the handout asks students to hand in, in order of preference: the first found is graded (none found:
   * the file defining most of the assignment's names, grader/submission.ts).
   */
    files: z.array(z.string().min(1)).default([]),
    /** Names the handout provides (helpers, loaders): never graded as the student's work. */
    provided: z.array(z.string().min(1)).default([]),
    /** A Python file, relative to the assignment, that exposes catalog functions built from the handout's API. */
    adapter: z.string().min(1).optional(),
    /** The handout's code tasks with their points: what is graded and what is left (`gradecheck coverage`). */
    handout: z.array(HandoutTask).default([]),
    problems: z.array(ProblemEntry).default([]),
    /** Written answers: closed forms graded from the student's answers.yaml. */
    questions: z.array(QuestionEntry).default([]),
    /** Execute the notebook cell by cell and check what it leaves behind (grader/execution/, docs/notebooks.md). */
    execute: ExecuteSettings.optional(),
  })
  .strict()
  .superRefine((a, ctx) => {
    if (a.problems.length === 0 && a.questions.length === 0 && a.execute === undefined) ctx.addIssue({ code: 'custom', path: ['problems'], message: 'an assignment needs at least one problem, question or execute: check' });
    const questionIds = new Set<string>();
    a.questions.forEach((q, i) => {
      if (questionIds.has(q.id)) ctx.addIssue({ code: 'custom', path: ['questions', i, 'id'], message: `question "${q.id}" is listed twice` });
      questionIds.add(q.id);
      for (const issue of questionIssues(q, a.seed, formatFormError)) ctx.addIssue({ code: 'custom', path: ['questions', i, ...issue.path], message: issue.message });
    });
    a.problems.forEach((p, i) => {
      if (!isProblemId(p.id)) {
        ctx.addIssue({ code: 'custom', path: ['problems', i, 'id'], message: `unknown problem "${p.id}"; known problems: ${problemIds.join(', ')}` });
        return;
      }
      const catalog = problems[p.id] as Problem;
      const ids = conventionIds(p);
      const unknown = ids.findIndex((id) => problemUnder(catalog, id) === undefined);
      if (unknown >= 0) {
        const known = [...(catalog.definition ? [`${catalog.definition.id} (the catalog's own)`] : []), ...(catalog.conventions ?? []).map((c) => c.id)].join(', ');
        const where = typeof p.convention === 'string' ? ['problems', i, 'convention'] : ['problems', i, 'convention', unknown];
        ctx.addIssue({ code: 'custom', path: where, message: `${p.id} has no convention "${ids[unknown]}"; ${known ? `its conventions: ${known}` : 'it has none'}` });
        return;
      }
      // Every accepted definition must know what the entry names (they share the interface, checks and mistakes);
      // an issue they share is reported once.
      const accepted = ids.length === 0 ? [catalog] : ids.map((id) => problemUnder(catalog, id)!);
      const issues = new Map<string, { path: (string | number)[]; message: string }>();
      const add = (path: (string | number)[], message: string) => issues.set(JSON.stringify([path, message]), { path: ['problems', i, ...path], message });
      for (const problem of accepted) {
        for (const issue of bindingIssues(problem, p.bind, a.adapter !== undefined)) add(['bind', ...issue.path], issue.message);
        const checkIds = problem.checks.map((c) => c.id);
        for (const id of Object.keys(p.checks)) {
          if (!checkIds.includes(id)) add(['checks', id], `${p.id} has no check "${id}"; its checks: ${checkIds.join(', ')}`);
        }
        const mistakeIds = problem.mistakes.map((m) => m.id);
        for (const id of Object.keys(p.mistakes)) {
          if (!mistakeIds.includes(id)) add(['mistakes', id], `${p.id} has no named mistake "${id}"; its mistakes: ${mistakeIds.join(', ')}`);
          else if (p.mistakes[id]!.deduct > p.points) add(['mistakes', id, 'deduct'], `deducts more than the problem's ${p.points} points`);
        }
      }
      for (const issue of issues.values()) ctx.addIssue({ code: 'custom', ...issue });
    });
    const gradable = new Set([...a.problems.map((p) => p.id), ...a.questions.map((q) => q.id), ...(a.execute?.checks.map((c) => c.id) ?? [])]);
    a.execute?.checks.forEach((c, i) => {
      if (a.problems.some((p) => p.id === c.id) || questionIds.has(c.id)) ctx.addIssue({ code: 'custom', path: ['execute', 'checks', i, 'id'], message: `"${c.id}" is also a problem or question id` });
      // An initialised check prices init-schemes' named mistakes (a descent check's own are its schema's).
      for (const [id, price] of Object.entries('mistakes' in c ? c.mistakes : {})) {
        const known = problems['init-schemes'].mistakes.map((m) => m.id);
        const deduct = price?.deduct ?? 0;
        if ('initialised' in c && !known.includes(id)) ctx.addIssue({ code: 'custom', path: ['execute', 'checks', i, 'mistakes', id], message: `init-schemes has no named mistake "${id}"; its mistakes: ${known.join(', ')}` });
        else if (deduct > c.points) ctx.addIssue({ code: 'custom', path: ['execute', 'checks', i, 'mistakes', id, 'deduct'], message: `deducts more than the check's ${c.points} points` });
      }
    });
    a.handout.forEach((t, i) => {
      if (t.graded_by !== undefined && !gradable.has(t.graded_by)) ctx.addIssue({ code: 'custom', path: ['handout', i, 'graded_by'], message: `no problem, question or execute: check "${t.graded_by}" in this assignment` });
    });
    const seen = new Set<string>();
    a.problems.forEach((p, i) => {
      if (seen.has(p.id)) ctx.addIssue({ code: 'custom', path: ['problems', i, 'id'], message: `problem "${p.id}" is listed twice` });
      seen.add(p.id);
    });
  });

export type AssignmentFile = z.infer<typeof AssignmentSchema>;
export type ProblemSettings = AssignmentFile['problems'][number] & { readonly id: ProblemId };
export interface Assignment extends Omit<AssignmentFile, 'problems' | 'questions'> {
  readonly file: string;
  readonly problems: readonly ProblemSettings[];
  readonly questions: readonly QuestionSettings[];
}

export { type AssignmentIssue, AssignmentError } from './assignment-error.ts';

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i > 0 ? '.' : ''}${String(p)}`)).join('');
}

export function parseAssignment(text: string, file: string): Assignment {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  if (doc.errors.length > 0) {
    throw new AssignmentError(doc.errors.map((e) => ({ file, line: lineOf(e.pos[0]) ?? 1, path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` })));
  }
  const parsed = AssignmentSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    throw new AssignmentError(
      parsed.error.issues.map((issue) => {
        // The deepest node that exists on the issue's path gives the line.
        let line: number | undefined;
        for (let n = issue.path.length; n >= 0 && line === undefined; n--) {
          const node = doc.getIn(issue.path.slice(0, n) as (string | number)[], true) as { range?: [number, number, number] } | undefined;
          line = lineOf(node?.range?.[0]);
        }
        // An empty file or a bare scalar has no node on the path: the problem is at its start.
        return { file, line: line ?? 1, path: formatPath(issue.path), message: issue.message };
      }),
    );
  }
  const assignment: Assignment = { ...parsed.data, file, problems: parsed.data.problems as ProblemSettings[] };
  // What needs the file's place on disk: the adapter, read and parsed before any student is graded.
  const fileIssues = [...adapterIssues(assignment), ...shimsIssues(assignment)];
  if (fileIssues.length > 0) {
    throw new AssignmentError(fileIssues.map((issue) => ({ file: issue.file ?? file, line: issue.line ?? lineOf((doc.getIn(issue.path, true) as { range?: [number] } | undefined)?.range?.[0]) ?? 1, path: formatPath(issue.path), message: issue.message })));
  }
  return assignment;
}

/** The execute: section's stand-ins file must be there (it is read for every student). */
function shimsIssues(assignment: Assignment): { path: (string | number)[]; message: string; file?: string; line?: number }[] {
  return shimsFiles(assignment.execute).flatMap((shims) => {
    const file = path.resolve(path.dirname(assignment.file), shims);
    return existsSync(file) ? [] : [{ path: ['execute', 'shims'], message: `the stand-ins file ${shims} is not there (looked for ${file})` }];
  });
}

/** The adapter file of an assignment, as an absolute path. */
export function adapterPath(assignment: Pick<Assignment, 'file' | 'adapter'>): string | undefined {
  return assignment.adapter === undefined ? undefined : path.resolve(path.dirname(assignment.file), assignment.adapter);
}

/** The convention ids an entry names, in its order ([] for the catalog's definition alone). */
function conventionIds(settings: { readonly convention?: string | readonly string[] | undefined }): readonly string[] {
  return settings.convention === undefined ? [] : typeof settings.convention === 'string' ? [settings.convention] : settings.convention;
}

/** The problem under one of its conventions, or under its own definition's id; undefined for an unknown id. */
function problemUnder(catalog: Problem, id: string): Problem | undefined {
  return id === catalog.definition?.id ? catalog : catalog.conventions?.find((c) => c.id === id)?.problem;
}

/** One definition an assignment accepts for a problem: the problem under it, and its name when it has one. */
export interface AcceptedDefinition {
  readonly problem: Problem;
  readonly convention?: { readonly id: string; readonly title: string };
}

/** Every definition the assignment accepts for a problem, in its order (the first is the one a replay uses by default). */
export function acceptedDefinitions(settings: Pick<ProblemSettings, 'id' | 'convention'>): AcceptedDefinition[] {
  const catalog: Problem = problems[settings.id];
  const ids = conventionIds(settings);
  if (ids.length === 0) return [{ problem: catalog }];
  return ids.map((id) => {
    const named = id === catalog.definition?.id ? catalog.definition : catalog.conventions?.find((c) => c.id === id);
    return { problem: problemUnder(catalog, id) ?? catalog, ...(named ? { convention: { id: named.id, title: named.title } } : {}) };
  });
}

/**
 * The problem as the assignment's handout defines it: the catalog's, or the convention it selects (the first,
 * when it accepts several; `convention` picks another by id, as a replay of a case graded under it does).
 */
export function problemOf(settings: Pick<ProblemSettings, 'id' | 'convention'>, convention?: string): Problem {
  const accepted = acceptedDefinitions(settings);
  return (convention === undefined ? accepted[0] : accepted.find((a) => a.convention?.id === convention))?.problem ?? accepted[0]!.problem;
}

export function loadAssignment(file: string): Assignment {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new AssignmentError([{ file, line: undefined, path: '', message: `cannot read the assignment: ${(error as Error).message}` }]);
  }
  return parseAssignment(text, file);
}

/** An ad-hoc assignment over the given problems (for `--problems`): every check visible, 1 point each. */
export function assignmentForProblems(ids: readonly ProblemId[], seed: number): Assignment {
  return {
    file: COMMAND_LINE,
    name: `problems ${ids.join(', ')}`,
    seed,
    limits: {},
    // The catalog's optional variants (the uniform initialisations) do not count in a self-check.
    problems: ids.map((id) => ({ id, points: 1, visibility: 'visible', checks: Object.fromEntries(problems[id].checks.filter((c) => c.optional).map((c) => [c.id, { weight: 0 }])), mistakes: {} })),
    files: [],
    provided: [],
    handout: [],
    questions: [],
  };
}
