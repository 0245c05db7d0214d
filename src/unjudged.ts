// Cases a run cannot judge. A student's self-check built without reference/ (grader/self-check/) holds the
// reference's answers to the visible checks' drawn inputs only: a case that needs any other answer (an input
// built from the student's own answer, a shrink step where shrinking runs) cannot be judged there. Such a case neither passes nor
// fails: it is counted, and the check is decided by the cases that could be judged.

import fc from 'fast-check';

/** Thrown where a case needs a reference answer this build does not hold. */
export class NotJudgedHere extends Error {
  /** Survives a bundle holding two copies of this module, where instanceof would not. */
  readonly notJudgedHere = true;

  constructor(what: string) {
    super(`not judged here: the reference's answer to ${what} is not part of this self-check`);
    this.name = 'NotJudgedHere';
  }
}

export function isNotJudgedHere(error: unknown): error is NotJudgedHere {
  return typeof error === 'object' && error !== null && (error as { notJudgedHere?: unknown }).notJudgedHere === true;
}

let recordedInputsOnly = false;

/**
 * Said by a self-check that judges from recordings: a failure is reported on the input drawn, not shrunk. The
 * named mistakes' answers were recorded on the drawn inputs, so only there can a failure be named (a shrunk input,
 * even one the self-check can judge, finds no mistake's answer to compare with).
 */
export function reportDrawnInputs(): void {
  recordedInputsOnly = true;
}

/** Whether a failing case is shrunk before it is reported (always, but in a self-check judging from recordings). */
export const shrinksFailures = (): boolean => !recordedInputsOnly;

/** What a passed check says of its cases not judged here (`runs` in all). */
export const unjudgedSentence = (unjudged: number, runs: number): string => (unjudged === runs ? 'not judged here' : `${unjudged} of its ${runs} cases not judged here`);

/** Why a self-check leaves cases not judged (said once per report). */
export const UNJUDGED_WHY =
  "this self-check holds the reference's answers to the inputs it draws, not to inputs made from your answers (your fit's parameters, your training loop's iterates); those cases are judged when you submit";

/** The cases of one check run that could not be judged. */
export interface UnjudgedCount {
  count: number;
}

/** The property with every case that could not be judged counted and taken as passing (so shrinking stops there). */
export function skippingUnjudged<T extends [unknown]>(property: fc.IAsyncProperty<T>, unjudged: UnjudgedCount): fc.IAsyncProperty<T> {
  const skipping = Object.create(property) as fc.IAsyncProperty<T>;
  skipping.run = async (value: T) => {
    const outcome = await property.run(value);
    if (outcome !== null && !fc.PreconditionFailure.isFailure(outcome) && isNotJudgedHere(outcome.error)) {
      unjudged.count++;
      return null;
    }
    return outcome;
  };
  return skipping;
}
