// The first pass of a check: its generated cases run at the same time, so a subject that coalesces the calls
// issued in one tick (a ProcessSubject sends them as one message) answers a property in a few round trips
// instead of one per case. Only a passing check is decided here; where a case fails, the runner repeats the
// check as fast-check's sequential run and shrink, so a failure is reported exactly as before. The exception
// is a costly failure (a timeout, a crash), which is reported from here as a sequential run reports it (the
// input that failed, not shrunk), so that it is not paid twice.

import fc from 'fast-check';
import { COSTLY, SubjectError } from './failure.ts';
import type { Subject } from './subject.ts';

/** Cases in flight at once: bounds the memory of the inputs and answers held together and a message's size. */
export const CONCURRENT_CASES = 32;

export type FirstPass<T> =
  | { readonly kind: 'passed'; readonly numRuns: number }
  /** Case `index` (every case before it passed) broke a limit; `error` is what its property threw. */
  | { readonly kind: 'costly'; readonly index: number; readonly input: T; readonly error: unknown }
  /** A case failed or was skipped: the sequential run decides, from the start. */
  | { readonly kind: 'sequential' };

/** The inputs fast-check's run of `property` with this seed and run count feeds it, in order, without running it. */
export async function generatedInputs<T extends [unknown]>(property: fc.IAsyncProperty<T>, seed: number, numRuns: number): Promise<T[]> {
  const inputs: T[] = [];
  const dry = Object.create(property) as fc.IAsyncProperty<T>;
  dry.run = async (value: T) => {
    inputs.push(value);
    return null;
  };
  await fc.check(dry, { seed, numRuns });
  return inputs;
}

/** What the cases of one pass share: the first costly failure, after which no case calls the subject again. */
interface Trip {
  error?: SubjectError;
  /** The case whose own call broke the limit. */
  owner?: number;
}

/**
 * The subject as case `index` sees it: after any case's costly failure every call fails at once with that
 * failure (as the sequential run's guard does), and the case is marked as cut short by another's failure.
 */
function tripwire(subject: Subject, trip: Trip, index: number, cut: Set<number>): Subject {
  const attempt = async <R>(run: () => Promise<R>): Promise<R> => {
    if (trip.error) {
      cut.add(index);
      throw trip.error;
    }
    try {
      return await run();
    } catch (error) {
      if (error instanceof SubjectError && COSTLY.has(error.code)) {
        if (trip.error) cut.add(index);
        else {
          trip.error = error;
          trip.owner = index;
        }
      }
      throw error;
    }
  };
  return {
    label: subject.label,
    call: (fn, args) => attempt(() => subject.call(fn, args)),
    create: (cls, args) => attempt(() => subject.create(cls, args)),
    invoke: (handle, method, args) => attempt(() => subject.invoke(handle, method, args)),
    inspect: (handle) => attempt(() => subject.inspect(handle)),
  };
}

/**
 * Runs the cases `inputs` of the property `bind(subject)` builds, CONCURRENT_CASES at a time, stopping after
 * the group in which a case fails.
 */
export async function firstPass<T extends [unknown]>(
  bind: (subject: Subject) => fc.IAsyncProperty<T>,
  subject: Subject,
  inputs: readonly T[],
): Promise<FirstPass<T>> {
  const trip: Trip = {};
  const cut = new Set<number>();
  const failed = new Map<number, unknown>();
  for (let start = 0; start < inputs.length; start += CONCURRENT_CASES) {
    const group = inputs.slice(start, start + CONCURRENT_CASES);
    const outcomes = await Promise.all(group.map((input, k) => bind(tripwire(subject, trip, start + k, cut)).run(input)));
    for (const [k, outcome] of outcomes.entries()) {
      if (outcome === null) continue;
      if (fc.PreconditionFailure.isFailure(outcome)) return { kind: 'sequential' };
      failed.set(start + k, outcome.error);
    }
    if (failed.size > 0) break;
  }
  if (failed.size === 0) return { kind: 'passed', numRuns: inputs.length };
  // The first case that failed on its own; a case before it that another's failure cut short might have failed too.
  const first = Math.min(...[...failed.keys()].filter((i) => !cut.has(i) || i === trip.owner));
  const undecided = [...cut].some((i) => i < first);
  if (!undecided && first === trip.owner) {
    return { kind: 'costly', index: first, input: inputs[first]!, error: failed.get(first) };
  }
  return { kind: 'sequential' };
}
