// Failures are data: a stable code, the call that was judged, what was expected and received, and the
// worst entry. Renderers (terminal, Markdown, Gradescope) turn them into words; checks never format.

import type { Subject } from './subject.ts';
import type { Tolerance, WorstEntry } from './tolerance.ts';

/** Anything that crosses the boundary to an implementation: JSON-like, with NaN and infinities allowed. */
export type Value =
  | number
  | string
  | boolean
  | null
  | undefined
  | readonly Value[]
  | { readonly [key: string]: Value };

/** One call of an implementation's function, by its catalog (Python) name. */
export interface Call {
  readonly fn: string;
  readonly args: readonly Value[];
}

/** One line of a plot: the student's answer or the reference's, over the plot's x values. */
export interface PlotSeries {
  readonly label: string;
  readonly role: 'student' | 'reference';
  readonly y: readonly number[];
}

/**
 * A picture of a failure, as data (the HTML renderer draws it; the text renderers ignore it). A new kind is
 * added here and gets its renderer in grader/render/plots.ts (a type error until it does).
 */
export type Plot =
  /** Lines over x: an optimizer's parameter over the steps, two forms of an expression over sampled points. */
  | {
      readonly kind: 'lines';
      readonly title: string;
      readonly xLabel: string;
      readonly yLabel: string;
      readonly x: readonly number[];
      readonly series: readonly PlotSeries[];
    }
  /** The student's values against the reference's acceptance band [lo, hi] at each x (per-layer statistics). */
  | {
      readonly kind: 'band';
      readonly title: string;
      readonly xLabel: string;
      readonly yLabel: string;
      readonly x: readonly number[];
      readonly band: { readonly label: string; readonly lo: readonly number[]; readonly hi: readonly number[]; readonly center: readonly number[] };
      readonly student: PlotSeries;
      /** Draw y on a log scale (values over orders of magnitude). */
      readonly logY?: boolean;
    };

export type PlotKind = Plot['kind'];

/** Wrong answers: the submission ran and its output breaks the property. */
export type AnswerFailureCode =
  | 'value_mismatch' // differs from the reference
  | 'derivative_mismatch' // differs from numerical differentiation
  | 'invariant_violated' // breaks a mathematical law (sums to 1, symmetry, ...)
  | 'not_finite' // NaN or infinity where the answer is finite
  | 'wrong_shape'
  | 'wrong_type'
  | 'mutated_input';

/** The submission did not produce an answer. */
export type SubjectFailureCode =
  | 'missing' // the function or class is not defined
  | 'raised' // it threw / raised
  | 'timeout'
  | 'limit_exceeded' // memory or output size
  | 'crashed' // the process died
  | 'not_run'; // not called: the submission had used up its total time on earlier checks

/**
 * Failures not worth repeating: those that cost a kill and a restart (shrinking would repeat the cost at
 * every step), and a missing function (it is missing on every input).
 */
export const COSTLY: ReadonlySet<SubjectFailureCode> = new Set(['timeout', 'limit_exceeded', 'crashed', 'missing', 'not_run']);

/** A bug in a check or the grader: never the student's fault, never shown as a wrong answer. */
export type InternalFailureCode = 'check_error';

export type FailureCode = AnswerFailureCode | SubjectFailureCode | InternalFailureCode;

export interface FailureData {
  readonly code: FailureCode;
  /** The property that failed, as one sentence (e.g. "rows of the Jacobian sum to 0"). */
  readonly message: string;
  readonly call?: Call;
  /** The compared quantities (the answer itself, or something derived from it such as row sums). */
  readonly expected?: Value;
  readonly received?: Value;
  /** What the subject returned on `call`, as it returned it (used to name the mistake). */
  readonly answer?: Value;
  readonly worst?: WorstEntry;
  readonly tolerance?: Tolerance;
  /** Pictures of the failure over the whole case (every layer, every step), for the HTML report. */
  readonly plots?: readonly Plot[];
  /** Extra lines: a traceback, the limit that was hit. */
  readonly details?: string;
  /**
   * For stateful scenarios (an optimizer driven over several steps), how to produce `answer` again on
   * another subject, and the class or function that must differ from the reference to explain it.
   */
  readonly rerun?: { readonly target: string; readonly run: (subject: Subject) => Promise<Value> };
}

/** Thrown by a check when the subject's answer breaks the property. */
export class CheckFailure extends Error {
  constructor(readonly failure: FailureData) {
    super(failure.message);
    this.name = 'CheckFailure';
  }
}

/** Thrown by a subject when the implementation produced no answer (missing, raised, timed out, died). */
export class SubjectError extends Error {
  constructor(
    readonly code: SubjectFailureCode,
    message: string,
    readonly details?: string,
  ) {
    super(message);
    this.name = 'SubjectError';
  }
}

/** Turns anything a property threw into failure data. */
export function toFailure(error: unknown, call?: Call): FailureData {
  if (error instanceof CheckFailure) return error.failure;
  if (error instanceof SubjectError) {
    return {
      code: error.code,
      message: error.message,
      ...(call ? { call } : {}),
      ...(error.details !== undefined ? { details: error.details } : {}),
    };
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return { code: 'check_error', message: `internal error in the check: ${message}` };
}
