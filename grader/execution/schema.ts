// What an assignment says about executing a notebook (`execute:`): the time budgets, the course helpers replaced
// by recording stubs, the staff's stand-ins for course modules and data files, and the checks on what the
// executed cells leave behind (a top-level value, a recorded helper call, a figure, printed output).
// Judged by grader/execution/judge.ts; run by grader/execution/run.ts; documented in docs/notebooks.md.

import { z } from 'zod';
import { INIT_METHODS } from '../../reference/init.ts';

const Tolerance = z
  .object({ rtol: z.number().nonnegative(), atol: z.number().nonnegative(), reason: z.string().min(1, 'say why this tolerance') })
  .strict();

/** The reference computations a value check can compare with (grader/execution/references.ts). */
export const REFERENCE_NAMES = ['bowl-sgd-mean-gradient', 'bowl-sgd-rms-gradient'] as const;
export type ReferenceName = (typeof REFERENCE_NAMES)[number];

const Expected = z.union([z.number(), z.array(z.number()), z.object({ reference: z.enum(REFERENCE_NAMES) }).strict()]);

const Common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'a check id is lowercase letters, digits, dots and dashes'),
  title: z.string().min(1),
  points: z.number().nonnegative(),
  visibility: z.enum(['visible', 'hidden', 'after_due_date', 'after_published']).default('visible'),
};

/** A top-level variable after the cells ran: its value against a number, a list or a reference, with a tolerance. */
const ValueCheck = z
  .object({ ...Common, value: z.string().regex(/^[A-Za-z_]\w*$/), expected: Expected, tolerance: Tolerance })
  .strict();

/**
 * A call of a recorded helper (run_test): the network it was given (a layer pattern, `*` for any size), its
 * parameter count, the wrapper's class, the loss, the optimizer the factory builds and its hyper-parameters.
 * The best-matching call of the notebook is judged; each aspect given is one part of the points.
 */
const CallCheck = z
  .object({
    ...Common,
    call: z.string().regex(/^[A-Za-z_]\w*$/),
    wrapper: z.string().optional(),
    network: z.string().min(1).optional(),
    parameters: z.number().int().nonnegative().optional(),
    loss: z.string().optional(),
    optimizer: z.object({ builds: z.string() }).catchall(z.union([z.number(), z.array(z.number())])).optional(),
  })
  .strict()
  .refine((c) => c.wrapper ?? c.network ?? c.parameters ?? c.loss ?? c.optimizer, { message: 'say what to check of the call: wrapper, network, parameters, loss or optimizer' });

/**
 * A model the notebook leaves: a top-level nn.Module, or a class built with no arguments (seed 004's
 * Autoencoder): its layers (nested `network`, or the flat `layers` of its leaf modules in order), parameter count,
 * and the shape and value range of its output on a batch of uniform [0, 1) inputs of `forward.input`.
 */
const ModelCheck = z
  .object({
    ...Common,
    model: z.string().regex(/^[A-Za-z_]\w*$/),
    network: z.string().min(1).optional(),
    layers: z.string().min(1).optional(),
    parameters: z.number().int().nonnegative().optional(),
    forward: z
      .object({
        input: z.array(z.number().int().positive()).min(1),
        output: z.array(z.number().int().positive()).optional(),
        range: z.tuple([z.number(), z.number()]).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .refine((c) => c.network ?? c.layers ?? c.parameters ?? c.forward, { message: 'say what to check of the model: network, layers, parameters or forward' });

/** A figure the cells drew: its number of subplots and lines per subplot, and titles where the handout asks. */
const FigureCheck = z
  .object({
    ...Common,
    figure: z
      .object({ subplots: z.number().int().positive(), lines: z.number().int().nonnegative().optional(), titles: z.array(z.string()).optional() })
      .strict(),
  })
  .strict();

const Name = z.string().regex(/^[A-Za-z_]\w*$/);

/**
 * The weights a notebook's top-level code initialises (seed 002 Q4.1: lists `weights` and `biases` filled for
 * 784-32-32-10): one matrix (n_in, n_out) per pair of consecutive `widths`, its entries drawn from init-schemes'
 * `method` (the same distribution and statistical test), and the biases exactly zero. Judged as the last cell
 * that assigns them left them, so that a training loop after it cannot change the verdict. `mistakes` prices
 * init-schemes' named mistakes, recognised by the distribution of the entries.
 */
const InitialisedCheck = z
  .object({
    ...Common,
    initialised: z
      .object({
        weights: Name,
        biases: Name.optional(),
        widths: z.array(z.number().int().positive()).min(2, 'at least an input and an output width'),
        method: z.enum(INIT_METHODS).exclude(['zero']),
      })
      .strict(),
    mistakes: z.record(z.string(), z.object({ deduct: z.number().nonnegative() }).strict()).default({}),
  })
  .strict();

/** What some cell printed, matched against a regular expression. */
const PrintedCheck = z.object({ ...Common, printed: z.string().min(1) }).strict();

export const ExecutionCheck = z.union([ValueCheck, CallCheck, ModelCheck, FigureCheck, PrintedCheck, InitialisedCheck]);
export type ExecutionCheck = z.infer<typeof ExecutionCheck>;
export type ValueCheck = z.infer<typeof ValueCheck>;
export type CallCheck = z.infer<typeof CallCheck>;
export type ModelCheck = z.infer<typeof ModelCheck>;
export type FigureCheck = z.infer<typeof FigureCheck>;
export type PrintedCheck = z.infer<typeof PrintedCheck>;
export type InitialisedCheck = z.infer<typeof InitialisedCheck>;

export const ExecuteSettings = z
  .object({
    /** Wall time for all the cells, in seconds (cells past it are not run, and the report says so). */
    budget_s: z.number().positive().max(3600).default(120),
    /** Wall time for one cell: an overrunning cell is stopped and the next one runs. */
    cell_budget_s: z.number().positive().max(600).default(20),
    /** Course helpers replaced by recording stubs (seed 003's run_test): calling them records, never trains. */
    record: z.array(z.string().regex(/^[A-Za-z_]\w*$/)).default([]),
    /** A staff Python file beside the assignment: stand-ins for course modules and data files (MODULES, FILES). */
    shims: z.string().min(1).optional(),
    checks: z.array(ExecutionCheck).min(1, 'an execute: section needs at least one check'),
  })
  .strict()
  .superRefine((e, ctx) => {
    const seen = new Set<string>();
    e.checks.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['checks', i, 'id'], message: `check "${c.id}" is listed twice` });
      seen.add(c.id);
      if ('call' in c && !e.record.includes(c.call)) ctx.addIssue({ code: 'custom', path: ['checks', i, 'call'], message: `${c.call} is not recorded: add it to record:` });
      if ('printed' in c) {
        try {
          new RegExp(c.printed);
        } catch (error) {
          ctx.addIssue({ code: 'custom', path: ['checks', i, 'printed'], message: `not a regular expression: ${(error as Error).message}` });
        }
      }
    });
  });
export type ExecuteSettings = z.infer<typeof ExecuteSettings>;
