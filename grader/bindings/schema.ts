// What an assignment says about how a problem's catalog names reach the student's code: the handout's name,
// its parameters in its order (by catalog parameter name, positional or keyword), the types it takes (a tuple of
// ints for a shape, a torch tensor), module globals, the optimizer form of a class, or a function of the staff's
// adapter. The suites never see any of it: grader/bindings/bound-subject.ts adapts the calls.

import { z } from 'zod';
import type { Problem } from '../../src/problem.ts';

/** The types an argument can be handed over as (the harness converts from float64 numpy arrays). */
export const CONVERSIONS = ['tuple', 'list', 'int', 'float', 'tensor', 'tensor32', 'array', 'ints'] as const;
const Conversion = z.enum(CONVERSIONS);

/** One argument of the handout's interface: a catalog parameter, converted, passed by position or by keyword. */
const ArgSpec = z.union([
  z.string(),
  z
    .object({
      from: z.string(),
      as: Conversion.optional(),
      /** Pass it as this keyword argument (Python) instead of by position. */
      keyword: z.string().optional(),
    })
    .strict(),
]);
export type ArgSpec = z.infer<typeof ArgSpec>;

const FunctionBinding = z
  .object({
    /** The handout's name for the function (default: the catalog's). */
    function: z.string().optional(),
    /** A function of the assignment's adapter file instead of the student's code. */
    adapter: z.string().optional(),
    /** The handout's parameters in its order (default: the catalog's, positionally). */
    args: z.array(ArgSpec).optional(),
    /** Module globals the function reads, each set from a catalog parameter before the call. */
    globals: z.record(z.string(), ArgSpec).optional(),
    /**
     * 'globals': the answer is the list of those globals after the call (the function updates them in place); a
     * list of some of them: those only (the others are inputs, as seed 002's x_train for train_one_epoch).
     */
    returns: z.union([z.enum(['result', 'globals']), z.array(z.string()).min(1)]).default('result'),
  })
  .strict()
  .refine((b) => !(b.function && b.adapter), { message: 'give either function or adapter, not both' });

const ClassBinding = z
  .object({
    /** The handout's name for the class (default: the catalog's). */
    class: z.string().optional(),
    adapter: z.string().optional(),
    args: z.array(ArgSpec).optional(),
    /** Optimizers: 'torch' (step() reads each tensor's .grad, zero_grad()) or 'numpy' (step(grads)). */
    optimizer: z.enum(['torch', 'numpy']).optional(),
  })
  .strict();

/** A rename (a string) or a full binding, by catalog name. */
export const BindingEntry = z.union([z.string(), FunctionBinding, ClassBinding]);
export const ProblemBinding = z.record(z.string(), BindingEntry);
export type ProblemBinding = z.infer<typeof ProblemBinding>;
export type FunctionBinding = z.infer<typeof FunctionBinding>;
export type ClassBinding = z.infer<typeof ClassBinding>;

/** A catalog signature's name and parameter names: 'class X(params, lr=0.1)' -> { name: 'X', params: [...] }. */
export function parseSignature(signature: string): { name: string; isClass: boolean; params: string[] } {
  const open = signature.indexOf('(');
  const head = signature.slice(0, open).trim();
  const inner = signature.slice(open + 1, signature.lastIndexOf(')'));
  // Split at top-level commas only: defaults may be tuples, betas=(0.9, 0.999).
  const params: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of inner) {
    if ('([{'.includes(ch)) depth++;
    if (')]}'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      params.push(current);
      current = '';
    } else current += ch;
  }
  if (current.trim()) params.push(current);
  return { name: head.replace(/^class\s+/, ''), isClass: head.startsWith('class '), params: params.map((p) => p.split('=')[0]!.trim()) };
}

/** The callables (functions and classes, not methods) a problem's suites call, with their parameters. */
export function catalogCallables(problem: Problem): Map<string, { isClass: boolean; params: string[] }> {
  return new Map(
    problem.signatures
      .map(parseSignature)
      .filter((s) => !s.name.includes('.'))
      .map((s) => [s.name, { isClass: s.isClass, params: s.params }] as const),
  );
}

/** The name the student's code defines for a catalog callable, or undefined when the adapter provides it. */
export function studentName(catalogName: string, entry: z.infer<typeof BindingEntry> | undefined): string | undefined {
  if (entry === undefined) return catalogName;
  if (typeof entry === 'string') return entry;
  if (entry.adapter) return undefined;
  return ('function' in entry ? entry.function : undefined) ?? ('class' in entry ? entry.class : undefined) ?? catalogName;
}
