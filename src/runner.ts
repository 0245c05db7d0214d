// Applies a problem's checks to a subject and returns the results as data: pass/fail, the shrunk
// counterexample, the failure, and the seed and path that replay it. On a failure, the failing call is
// replayed on the problem's named-mistake variants to name the mistake.

import fc from 'fast-check';
import { COSTLY, type FailureData, SubjectError, type Value, toFailure } from './failure.ts';
import { firstPass, generatedInputs } from './first-pass.ts';
import type { Check, CheckContext, Mistake, Problem } from './problem.ts';
import { hashSeed } from './rng.ts';
import { type Subject, lookupExport } from './subject.ts';
import { CLOSED_FORM, type NumericTree, type Tolerance, compare, widenForFloat32 } from './tolerance.ts';
import { type UnjudgedCount, shrinksFailures, skippingUnjudged } from './unjudged.ts';

export interface RunOptions {
  /** The run's base seed; each check gets its own seed derived from it and the check's ids. */
  readonly seed: number;
  /** Overrides every check's run count. */
  readonly numRuns?: number;
  /** Runs the check with exactly this seed (as a failure printed it) instead of deriving one from `seed`. */
  readonly checkSeed?: number;
  /** Replays one counterexample: with the check's seed, runs only the case at this path. */
  readonly path?: string;
  /** Stops shrinking a failure after this long (the failure is still reported). */
  readonly timeLimitMs?: number;
  /** Replaces the check's declared tolerance (an assignment's override, with its reason). */
  readonly override?: Tolerance;
  /**
   * False: run the cases one after the other only (fast-check's own run). By default they first run all at
   * once (src/first-pass.ts), which a subject in a child process answers in a few messages.
   */
  readonly concurrent?: boolean;
  /** True once the subject has answered in float32: every tolerance is widened to FLOAT32_FLOOR. */
  readonly lowPrecision?: () => boolean;
}

function contextFor(check: Check, options: RunOptions): CheckContext {
  return {
    tol(base) {
      const chosen = options.override && base === check.tolerance ? options.override : base;
      return options.lowPrecision?.() ? widenForFloat32(chosen) : chosen;
    },
  };
}

export interface MistakeMatch {
  readonly id: string;
  readonly title: string;
  readonly hint: string;
}

export interface CheckResult {
  readonly problem: string;
  readonly check: string;
  readonly title: string;
  readonly passed: boolean;
  /** Runs executed (all of them when passed). */
  readonly numRuns: number;
  /** The seed fast-check ran this check with; with `path`, replays the counterexample. */
  readonly seed: number;
  readonly path?: string;
  /** The shrunk input (the check's arbitrary value). */
  readonly counterexample?: unknown;
  readonly failure?: FailureData;
  /** Named mistakes whose variant gives the same answer on the failing call. */
  readonly diagnosis?: readonly MistakeMatch[];
  /** Of a passed check's runs, those that could not be judged here (src/unjudged.ts): only a self-check has any. */
  readonly unjudged?: number;
}

export interface ProblemResult {
  readonly problem: string;
  readonly title: string;
  readonly checks: readonly CheckResult[];
}

/** The seed a check runs with under a base seed: independent across checks, stable across runs. */
export function checkSeed(baseSeed: number, problemId: string, checkId: string): number {
  return hashSeed(baseSeed, problemId, checkId);
}

/** How many recent answers a run keeps, to find the answer behind a failure. */
const REMEMBERED_ANSWERS = 256;

interface GuardedSubject extends Subject {
  /** The first costly failure, after which every call fails the same way at once. */
  tripped?: SubjectError;
  /** What the subject answered on a call (if among the recent ones). */
  answerTo(fn: string, args: readonly Value[]): Value | undefined;
}

/**
 * Wraps a subject for one check run. After the first costly failure (a timeout, a memory limit, a crash),
 * every later call fails the same way at once, so fast-check's shrinking costs nothing; the result then
 * reports the input that really failed. It also remembers recent answers, so a failure on a derived
 * quantity (row sums, a shifted copy) can still be traced to what the function returned.
 */
function guard(subject: Subject): GuardedSubject {
  const answers = new Map<string, Value>();
  const key = (fn: string, args: readonly Value[]) => JSON.stringify([fn, args]);
  const attempt = async <T>(run: () => Promise<T>): Promise<T> => {
    if (wrapped.tripped) throw wrapped.tripped;
    try {
      return await run();
    } catch (error) {
      if (error instanceof SubjectError && COSTLY.has(error.code)) wrapped.tripped = error;
      throw error;
    }
  };
  const wrapped: GuardedSubject = {
    label: subject.label,
    answerTo: (fn, args) => answers.get(key(fn, args)),
    call: (fn, args) =>
      attempt(async () => {
        const answer = await subject.call(fn, args);
        const k = key(fn, args);
        answers.delete(k);
        answers.set(k, answer);
        if (answers.size > REMEMBERED_ANSWERS) answers.delete(answers.keys().next().value!);
        return answer;
      }),
    create: (cls, args) => attempt(() => subject.create(cls, args)),
    invoke: (handle, method, args) => attempt(() => subject.invoke(handle, method, args)),
    inspect: (handle) => attempt(() => subject.inspect(handle)),
  };
  return wrapped;
}

/** Property runs allowed while shrinking a failure; past it the smallest failure found so far is reported. */
export const SHRINK_BUDGET = 250;

/**
 * Caps shrinking by count (not time, so the counterexample is the same on every machine): after the budget,
 * every further run counts as passing, which ends the shrink where it is.
 */
function withShrinkBudget<T extends [unknown]>(property: fc.IAsyncProperty<T>, budget: number): fc.IAsyncProperty<T> {
  let failed = false;
  let shrinkRuns = 0;
  const capped = Object.create(property) as fc.IAsyncProperty<T>;
  capped.run = async (value: T) => {
    if (failed && ++shrinkRuns > budget) return null;
    const outcome = await property.run(value);
    if (outcome !== null && !fc.PreconditionFailure.isFailure(outcome)) failed = true;
    return outcome;
  };
  return capped;
}

export async function runCheck(
  problemId: string,
  check: Check,
  subject: Subject,
  options: RunOptions,
): Promise<CheckResult> {
  const seed = options.checkSeed ?? checkSeed(options.seed, problemId, check.id);
  const numRuns = options.numRuns ?? check.numRuns;
  const context = contextFor(check, options);
  const base = { problem: problemId, check: check.id, title: check.title, seed };
  const passed = (runs: number, unjudged: UnjudgedCount) => ({ ...base, numRuns: runs, passed: true, ...(unjudged.count > 0 ? { unjudged: unjudged.count } : {}) });
  // A replay runs one case as fast-check does; otherwise every case runs at once first, and the sequential
  // run below (with its shrinking) only repeats a check in which a case failed.
  if (options.path === undefined && options.concurrent !== false) {
    const unjudged = { count: 0 };
    const bind = (s: Subject) => skippingUnjudged(check.property(s, context), unjudged);
    const pass = await firstPass(bind, subject, await generatedInputs(check.property(subject, context), seed, numRuns));
    if (pass.kind === 'passed') return passed(pass.numRuns, unjudged);
    if (pass.kind === 'costly') {
      // As the sequential run reports a costly failure: the input that failed, not shrunk.
      return { ...base, numRuns: pass.index + 1, passed: false, path: String(pass.index), counterexample: pass.input[0], failure: toFailure(pass.error) };
    }
  }
  const guarded = guard(subject);
  const unjudged = { count: 0 };
  const property = withShrinkBudget(skippingUnjudged(check.property(guarded, context), unjudged), shrinksFailures() ? SHRINK_BUDGET : 0);
  const details = await fc.check(property, {
    seed,
    numRuns,
    verbose: fc.VerbosityLevel.Verbose, // keeps the first failing input for costly failures
    ...(options.path !== undefined ? { path: options.path } : {}),
    ...(options.timeLimitMs !== undefined ? { interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: false } : {}),
  });
  if (!details.failed) return passed(details.numRuns, unjudged);
  const path = details.counterexamplePath ?? undefined;
  const reported = toFailure(details.errorInstance);
  const answer = reported.call && reported.answer === undefined ? guarded.answerTo(reported.call.fn, reported.call.args) : undefined;
  const failure = answer === undefined ? reported : { ...reported, answer };
  if (guarded.tripped) {
    // Not shrunk: report the original failing run (the first segment of the path is its index).
    return {
      ...base,
      numRuns: details.numRuns,
      passed: false,
      ...(path !== undefined ? { path: path.split(':')[0]! } : {}),
      counterexample: details.failures[0]?.[0],
      failure,
    };
  }
  return {
    ...base,
    numRuns: details.numRuns,
    passed: false,
    ...(path !== undefined ? { path } : {}),
    counterexample: details.counterexample?.[0],
    failure,
  };
}

/**
 * Names the mistake: the variants whose answer on the failing call equals what the subject returned
 * (within the check's tolerance). Only answers can be diagnosed; a missing function or a timeout cannot.
 */
export async function diagnose(
  failure: FailureData,
  variants: readonly { readonly mistake: Mistake; readonly subject: Subject }[],
  same?: (received: Value, variant: Value) => boolean,
): Promise<MistakeMatch[]> {
  const { call, rerun } = failure;
  const studentAnswer = failure.answer ?? failure.received;
  if ((!call && !rerun) || studentAnswer === undefined) return [];
  const target = rerun?.target ?? call!.fn;
  const tol = failure.tolerance ?? CLOSED_FORM;
  const matches: MistakeMatch[] = [];
  for (const { mistake, subject } of variants) {
    // A mistake that leaves this function as the reference has it cannot explain a wrong answer from it.
    if (lookupExport(mistake.implementation, target) === undefined) continue;
    let answer: Value;
    try {
      answer = rerun ? await rerun.run(subject) : await subject.call(call!.fn, call!.args);
    } catch {
      continue;
    }
    if (same ? same(studentAnswer, answer) : sameAnswer(studentAnswer, answer, tol)) {
      matches.push({ id: mistake.id, title: mistake.title, hint: mistake.hint });
    }
  }
  return matches;
}

function sameAnswer(received: Value, variant: Value, tol: typeof CLOSED_FORM): boolean {
  if (!isNumericTree(received) || !isNumericTree(variant)) return false;
  if (!sameShape(received, variant)) return false;
  return compare(received, variant, tol).ok;
}

function isNumericTree(v: Value): v is NumericTree {
  return typeof v === 'number' || (Array.isArray(v) && v.every((x) => isNumericTree(x as Value)));
}

function sameShape(a: NumericTree, b: NumericTree): boolean {
  if (typeof a === 'number' || typeof b === 'number') return typeof a === typeof b;
  return a.length === b.length && a.every((x, i) => sameShape(x, b[i]!));
}

export interface ProblemRunOptions extends RunOptions {
  /** Subjects implementing the problem's named mistakes, for diagnosis of failures. */
  readonly variants?: readonly { readonly mistake: Mistake; readonly subject: Subject }[];
  /** Runs only these checks (by id). */
  readonly only?: readonly string[];
  /** Tolerance overrides by check id. */
  readonly overrides?: Readonly<Record<string, Tolerance>>;
  /** Run counts by check id. */
  readonly runs?: Readonly<Record<string, number>>;
}

export async function runProblem(problem: Problem, subject: Subject, options: ProblemRunOptions): Promise<ProblemResult> {
  const checks: CheckResult[] = [];
  for (const check of problem.checks) {
    if (options.only && !options.only.includes(check.id)) continue;
    // A subject in this process answers in microtasks only: without a turn of the event loop between checks, a
    // long suite starves timers and I/O (a test worker's messages to its runner time out after 60 s).
    await new Promise((resolve) => setTimeout(resolve, 0));
    const override = options.overrides?.[check.id];
    const numRuns = options.runs?.[check.id] ?? options.numRuns;
    const result = await runCheck(problem.id, check, subject, {
      ...options,
      ...(override ? { override } : {}),
      ...(numRuns !== undefined ? { numRuns } : {}),
    });
    if (!result.passed && result.failure && options.variants?.length) {
      const diagnosis = await diagnose(result.failure, options.variants, check.sameAnswer);
      checks.push(diagnosis.length > 0 ? { ...result, diagnosis } : result);
    } else {
      checks.push(result);
    }
  }
  return { problem: problem.id, title: problem.title, checks };
}
