// The in-process subjects of the spec: the reference, and the reference with one named mistake put in.

import type { Mistake, Problem } from '../src/problem.ts';
import { type Subject, moduleSubject } from '../src/subject.ts';
import * as reference from '../reference/index.ts';

export type ReferenceModule = typeof reference;

export const referenceSubject: Subject = moduleSubject('reference', reference);

/** The reference as a handout's convention of `catalog` defines it; the catalog's own where none is named. */
export function referenceUnder(catalog: Problem, conventionId: string | undefined): Subject {
  const convention = catalog.conventions?.find((c) => c.id === conventionId);
  return convention ? moduleSubject(`reference:${convention.id}`, { ...reference, ...convention.implementation }) : referenceSubject;
}

/** Declares a named mistake; its implementation overrides reference functions (typed by their signatures). */
export function mistake(spec: {
  readonly id: string;
  readonly title: string;
  readonly hint: string;
  readonly implementation: Partial<ReferenceModule>;
}): Mistake {
  return spec;
}

/** The reference with the mistake's functions swapped in. */
export function mistakeSubject(m: Mistake): Subject {
  return moduleSubject(`mistake:${m.id}`, { ...reference, ...m.implementation });
}

/** Subjects for every named mistake of a problem, for diagnosis. */
export function variantsOf(problem: { readonly mistakes: readonly Mistake[] }): { mistake: Mistake; subject: Subject }[] {
  return problem.mistakes.map((m) => ({ mistake: m, subject: explainingOnly(mistakeSubject(m)) }));
}

/**
 * A variant that answers a call exactly as the reference does (the mistake is elsewhere: another method of
 * initialize_weights, a branch not taken) cannot explain a failure on that call: it refuses to answer.
 */
function explainingOnly(variant: Subject): Subject {
  return {
    ...variant,
    async call(fn, args) {
      const answer = await variant.call(fn, args);
      let reference: unknown;
      try {
        reference = await referenceSubject.call(fn, args);
      } catch {
        return answer;
      }
      if (JSON.stringify(answer) === JSON.stringify(reference)) throw new Error(`${variant.label} answers ${fn} as the reference does`);
      return answer;
    },
  };
}
