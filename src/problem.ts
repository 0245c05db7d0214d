// A problem is data: its checks (each a fast-check property over a subject, with its arbitrary, run
// count and tolerance) and its named mistakes (a variant implementation per mistake, used both to prove
// the checks catch it and to diagnose a failing student).

import fc from 'fast-check';
import type { Subject } from './subject.ts';
import type { Value } from './failure.ts';
import type { Tolerance } from './tolerance.ts';

/** The default number of fast-check runs per property. */
export const DEFAULT_RUNS = 200;

export interface Check {
  /** Stable id within the problem, e.g. "matches-finite-differences". */
  readonly id: string;
  /** What the check asserts, as a sentence a student can read. */
  readonly title: string;
  readonly numRuns: number;
  /** The tolerance its comparisons use (documented beside the problem). */
  readonly tolerance?: Tolerance;
  /**
   * A variant the catalog offers beyond what the homeworks require (the uniform initialisations): it counts only
   * where an assignment gives it a weight, never in a self-check without an assignment.
   */
  readonly optional?: boolean;
  /**
   * How diagnosis compares the subject's answer with a named-mistake variant's answer to the failing call, for
   * checks whose answers are random (compare distributions, not numbers). Default: within the failure's tolerance.
   */
  readonly sameAnswer?: (received: Value, variant: Value) => boolean;
  /**
   * The functions whose answers this check compares with the reference's own (a `matchesOracle` over the
   * reference): it grades students, but run on the reference it compares the reference with itself, so the
   * reference's proof is elsewhere (spec/reference.spec.ts names where, per function).
   */
  readonly comparesWithReference?: readonly string[];
  /** The fast-check property of this check bound to a subject. */
  property(subject: Subject, context?: CheckContext): fc.IAsyncProperty<[unknown]>;
}

/** What the runner tells a check about the run it is part of. */
export interface CheckContext {
  /**
   * The tolerance to compare with in place of `base`: an assignment's override of the check's own
   * tolerance, widened when the subject answers in float32. Checks pass every tolerance through it.
   */
  tol(base: Tolerance): Tolerance;
}

/** The context of a plain run: every tolerance as declared. */
export const PLAIN_CONTEXT: CheckContext = { tol: (base) => base };

export interface CheckSpec<I> {
  readonly id: string;
  readonly title: string;
  readonly arbitrary: fc.Arbitrary<I>;
  readonly numRuns?: number;
  readonly tolerance?: Tolerance;
  /** Resolves when the subject satisfies the property on `input`; throws a CheckFailure otherwise. */
  readonly run: (subject: Subject, input: I, context: CheckContext) => Promise<void>;
  readonly sameAnswer?: (received: Value, variant: Value) => boolean;
  readonly optional?: boolean;
  readonly comparesWithReference?: readonly string[];
}

export function defineCheck<I>(spec: CheckSpec<I>): Check {
  return {
    id: spec.id,
    title: spec.title,
    numRuns: spec.numRuns ?? DEFAULT_RUNS,
    ...(spec.tolerance ? { tolerance: spec.tolerance } : {}),
    ...(spec.sameAnswer ? { sameAnswer: spec.sameAnswer } : {}),
    ...(spec.optional ? { optional: true } : {}),
    ...(spec.comparesWithReference ? { comparesWithReference: spec.comparesWithReference } : {}),
    property: (subject, context = PLAIN_CONTEXT) =>
      fc.asyncProperty(spec.arbitrary, async (input) => {
        await spec.run(subject, input, context);
      }) as unknown as fc.IAsyncProperty<[unknown]>,
  };
}

export interface Mistake {
  /** Stable id, e.g. "jacobian-missing-inv-tau". */
  readonly id: string;
  /** The mistake in a few words: "Jacobian without the 1/tau factor". */
  readonly title: string;
  /** Where to look to fix it. */
  readonly hint: string;
  /** The functions the mistake changes, by their exported camelCase names; the rest is the reference. */
  readonly implementation: Readonly<Record<string, unknown>>;
}

/**
 * A handout's own definition of a problem (seed 003 defines weight decay by the penalty lambda/(2 nu) ||theta||^2,
 * so its update is theta -= nu g + lambda theta): the same interface graded against another reference, with the
 * named mistakes judged relative to it. An assignment selects it by id (`convention:`).
 */
export interface Convention {
  /** Stable id within the problem, e.g. "decay-outside-lr". */
  readonly id: string;
  /** The rule in a few words, as the handout states it. */
  readonly title: string;
  /** The reference as the handout defines it: the exports that differ from the catalog's. */
  readonly implementation: Readonly<Record<string, unknown>>;
  /** The problem under this convention: checks whose oracles follow it, and its own named mistakes. */
  readonly problem: Problem;
}

export interface Problem {
  /** The catalog id, e.g. "softmax-jacobian". */
  readonly id: string;
  readonly title: string;
  /** Where the homework asks for it (seed and question). */
  readonly source: string;
  /** The catalog's Python signatures the problem grades. */
  readonly signatures: readonly string[];
  /** Arguments that are integer arrays (class labels), by function name and position: sent to Python as int64. */
  readonly intArgs?: Readonly<Record<string, readonly number[]>>;
  readonly checks: readonly Check[];
  readonly mistakes: readonly Mistake[];
  /** The handouts' own definitions of this problem, if any differ from the catalog's. */
  readonly conventions?: readonly Convention[];
  /**
   * The catalog's own definition named like a convention, so that an assignment can accept it beside others
   * (`convention: [raw-pixels, pixels-over-255]`) and the report can say which one a submission matched.
   */
  readonly definition?: { readonly id: string; readonly title: string };
  /**
   * Wrong implementations no student is expected to write, kept only to prove that a check can fail where no
   * named mistake fails it (the kill matrix, spec/kill-matrix.spec.ts). Never used to diagnose or price.
   */
  readonly planted?: readonly Mistake[];
}
