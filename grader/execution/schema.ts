// What an assignment says about executing a notebook (`execute:`): the time budgets, the course helpers replaced
// by recording stubs, the staff's stand-ins for course modules and data files, and the checks on what the
// executed cells leave behind (a top-level value, a recorded helper call, a model built as the handout builds it,
// a figure, printed output).
// Judged by grader/execution/judge.ts; run by grader/execution/run.ts; documented in docs/notebooks.md.

import { z } from 'zod';
import { INIT_METHODS } from '../../reference/init.ts';
import { parseStack } from '../../reference/layer-stack.ts';

const Tolerance = z
  .object({ rtol: z.number().nonnegative(), atol: z.number().nonnegative(), reason: z.string().min(1, 'say why this tolerance') })
  .strict();

/** A regular expression over a cell's code. */
const CellPattern = z.string().min(1).superRefine((text, ctx) => {
  try {
    new RegExp(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not a regular expression: ${(error as Error).message}` });
  }
});

/** The reference computations a value check can compare with (grader/execution/references.ts). */
export const REFERENCE_NAMES = ['bowl-sgd-mean-gradient', 'bowl-sgd-rms-gradient'] as const;
export type ReferenceName = (typeof REFERENCE_NAMES)[number];

const Expected = z.union([z.number(), z.array(z.number()), z.object({ reference: z.enum(REFERENCE_NAMES) }).strict()]);
export type Expected = z.infer<typeof Expected>;

const Common = {
  id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'a check id is lowercase letters, digits, dots and dashes'),
  title: z.string().min(1),
  points: z.number().nonnegative(),
  visibility: z.enum(['visible', 'hidden', 'after_due_date', 'after_published']).default('visible'),
  /** Bonus points (seed 004's P2.4): earned on top of the assignment's maximum, which does not count them. */
  bonus: z.boolean().default(false),
};

/**
 * A top-level variable after the cells ran: its value against a number, a list or a reference, with a tolerance;
 * with `cell:`, as the first cell whose code matches left it (a later cell may compute the name again: seed 003's
 * ADAM test cell makes its own mean_grads).
 */
const ValueCheck = z
  .object({ ...Common, value: z.string().regex(/^[A-Za-z_]\w*$/), expected: Expected, tolerance: Tolerance, cell: CellPattern.optional() })
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

/** A batch shape, or several: the first the model accepts is used ((n, 3, 28, 28), else flattened (n, 2352)). */
const InputShape = z.array(z.number().int().positive()).min(1);

const Forward = z
  .object({
    input: z.union([InputShape, z.array(InputShape).min(1)]),
    output: z.array(z.number().int().positive()).optional(),
    range: z.tuple([z.number(), z.number()]).optional(),
  })
  .strict();

/** The layers a model's forward pass must compute ("Flatten, Linear, ReLU, Linear"): reference/layer-stack.ts. */
const Computes = z.string().superRefine((text, ctx) => {
  try {
    parseStack(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});

/** What a model check can judge of a construction; at the check's level it is judged on every construction. */
const Judged = {
  /** The nested layer pattern (`*` any size, `...` any layers). */
  network: z.string().min(1).optional(),
  /** The leaf modules in order, nesting left out. */
  layers: z.string().min(1).optional(),
  parameters: z.number().int().nonnegative().optional(),
  /** The model in eval mode on a batch of uniform [0, 1) inputs of `input`: the output's shape, finite, within `range`. */
  forward: Forward.optional(),
  /** What the forward pass computes between its own Linear layers, with its own weights, against a float64 reference. */
  computes: Computes.optional(),
  /** Each Linear's weight (torch's (out, in): fan_in = in_features) drawn as initialize_weights' method draws. */
  weights: z.enum(INIT_METHODS).optional(),
  /** Each Linear's bias all zero. */
  biases: z.literal('zero').optional(),
};
export const JUDGED = ['network', 'layers', 'parameters', 'forward', 'computes', 'weights', 'biases'] as const;
export type Judged = (typeof JUDGED)[number];

/** The arguments a class or function is called with, as the handout gives them: InitMLP('xavier', activation='tanh'). */
const Arguments = {
  args: z.array(z.json()).optional(),
  kwargs: z.record(z.string().regex(/^[A-Za-z_]\w*$/), z.json()).optional(),
};

const Build = z.object({ ...Arguments, ...Judged }).strict();

/**
 * A model check's `model:` where the handout names no class (seed 002's Q3: "a torch.nn.Module subclass"): the
 * nn.Module class the notebook defines (the last, where it defines several), built with no arguments.
 */
export const ANY_MODULE_CLASS = 'any nn.Module class';

/**
 * A model the notebook leaves: a top-level nn.Module, a class built with no arguments (seed 004's Autoencoder),
 * or a class or function called with the handout's arguments (`args`, `kwargs`: build_mlp(784, 2, 64, 10)), or
 * several such constructions (`builds`: InitMLP with each initialisation). What it judges of each construction:
 * its layers (nested `network`, or the flat `layers` of its leaf modules in order), parameter count, the shape and
 * value range of its output on a batch of uniform [0, 1) inputs (`forward`), what its forward pass computes with
 * its own weights (`computes`), its Linear weights' distribution (`weights`) and zero biases (`biases`). Given at
 * the check's level, an aspect is judged on every construction; given in a build, on that one.
 */
const ModelCheck = z
  .object({ ...Common, model: z.union([z.string().regex(/^[A-Za-z_]\w*$/), z.literal(ANY_MODULE_CLASS)]), ...Arguments, ...Judged, builds: z.array(Build).min(1).optional() })
  .strict()
  .superRefine((c, ctx) => {
    const builds = c.builds ?? [];
    for (const key of ['args', 'kwargs'] as const) {
      if (c.builds !== undefined && c[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `with builds:, give the ${key} of each construction in its build` });
    }
    builds.forEach((b, i) => {
      for (const key of JUDGED) if (b[key] !== undefined && c[key] !== undefined) ctx.addIssue({ code: 'custom', path: ['builds', i, key], message: `${key} is given for the check and for this build: say it once` });
    });
    const judged = (key: Judged) => c[key] !== undefined || builds.some((b) => b[key] !== undefined);
    if (!JUDGED.some(judged)) ctx.addIssue({ code: 'custom', path: ['model'], message: `say what to check of the model: ${JUDGED.join(', ')}` });
    // computes runs the model: each construction it judges needs a batch to run on.
    const constructions = builds.length > 0 ? builds : [c];
    constructions.forEach((b, i) => {
      if ((b.computes ?? c.computes) !== undefined && (b.forward ?? c.forward) === undefined) {
        ctx.addIssue({ code: 'custom', path: c.builds ? ['builds', i, 'computes'] : ['computes'], message: 'computes needs forward: { input } (the batch the model is run on)' });
      }
    });
  });

type Build = z.infer<typeof Build>;
type Json = z.infer<ReturnType<typeof z.json>>;

/** A JSON value as Python writes it: 'xavier', 784, True, None, [1, 2], {'a': 1}. */
function pythonRepr(v: Json): string {
  if (v === null) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v)) return `[${v.map(pythonRepr).join(', ')}]`;
  return `{${Object.entries(v).map(([k, x]) => `'${k}': ${pythonRepr(x)}`).join(', ')}}`;
}

/** One construction of a model check: how it is built, what is judged of it alone, and its key in the execution's answer. */
export interface Construction {
  readonly key: string;
  /** As the notebook would write it: InitMLP('he', activation='relu'); the bare name when nothing is passed. */
  readonly label: string;
  /** Its arguments as a word for its own aspects' ids (weights-he, computes-784-3-32-10): the build's number when it has none. */
  readonly slug: string;
  /** The arguments given (none: a module is taken as it is, a class is called with none). */
  readonly call?: { readonly args: readonly Json[]; readonly kwargs: Readonly<Record<string, Json>> };
  /** What this construction alone is judged on (a build's own aspects). */
  readonly own: Partial<Pick<Build, Judged>>;
  /** What its forward pass runs on and computes: its own, else the check's. */
  readonly forward?: z.infer<typeof Forward>;
  readonly computes?: string;
}

export function constructionsOf(check: ModelCheck): Construction[] {
  const builds: Build[] = check.builds ?? [{ ...(check.args ? { args: check.args } : {}), ...(check.kwargs ? { kwargs: check.kwargs } : {}) }];
  const texts = builds.map((b) => [...(b.args ?? []).map(pythonRepr), ...Object.entries(b.kwargs ?? {}).map(([k, v]) => `${k}=${pythonRepr(v)}`)].join(', '));
  const words = texts.map((t) => t.replace(/[^A-Za-z0-9.]+/g, '-').replace(/^-+|-+$/g, ''));
  return builds.map((b, i) => {
    const called = b.args !== undefined || b.kwargs !== undefined;
    const own = Object.fromEntries(JUDGED.filter((k) => b[k] !== undefined).map((k) => [k, b[k]]));
    const forward = b.forward ?? check.forward;
    const computes = b.computes ?? check.computes;
    const slug = words[i]!;
    return {
      key: `${check.id}#${i + 1}`,
      label: called ? `${check.model}(${texts[i]})` : check.model,
      // Two builds whose arguments read alike (or none) are told apart by their number.
      slug: slug === '' || words.indexOf(slug) !== words.lastIndexOf(slug) ? String(i + 1) : slug,
      ...(called ? { call: { args: b.args ?? [], kwargs: b.kwargs ?? {} } } : {}),
      own,
      ...(forward ? { forward } : {}),
      ...(computes ? { computes } : {}),
    };
  });
}

/**
 * A figure the cells drew, as the handout describes it: its number of subplots (colorbars not counted) and of
 * lines in each (and of points in each line: one per epoch), the images it shows in all (a grid of 16 training images), one image of a given shape (an 8x8
 * confusion-matrix heatmap), its bars in all (a class distribution), and titles where the handout asks.
 */
const FigureCheck = z
  .object({
    ...Common,
    figure: z
      .object({
        subplots: z.number().int().positive().optional(),
        lines: z.number().int().nonnegative().optional(),
        /** Each line's number of points: one per epoch of the training the handout asks for (30 epochs: 30). */
        points: z.number().int().positive().optional(),
        /** Patterns (regular expressions, any case), each found in the figure's title, a subplot's title or a y label. */
        titles: z.array(CellPattern).optional(),
        images: z.number().int().positive().optional(),
        heatmap: z.tuple([z.number().int().positive(), z.number().int().positive()]).optional(),
        bars: z.number().int().positive().optional(),
        /**
         * A task that draws an earlier task's figure again (seed 000 Q5.4 repeats Q5.2 and Q5.3 with ReLU): this
         * many figures of the description must be drawn, the earlier task's and this one's.
         */
        count: z.number().int().min(2).optional(),
      })
      .strict()
      .refine((f) => Object.keys(f).some((k) => k !== 'titles' && k !== 'count'), { message: 'say what the figure shows: subplots, lines, images, heatmap or bars' }),
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
        /**
         * The values as the first cell whose code matches this left them, where several cells assign the names
         * (seed 003's 4.1-4.5 each fill `weights`); by default as the last cell that assigns them left them.
         */
        cell: CellPattern.optional(),
      })
      .strict(),
    mistakes: z.record(z.string(), z.object({ deduct: z.number().nonnegative() }).strict()).default({}),
  })
  .strict();

/**
 * What some cell printed, matched against a regular expression; with `below`, the pattern's one group captures a
 * number, and one such number printed must be below it (seed 000 Q6.7's gradient check, "< 1e-5"). Judged on the
 * grader's run; a cell it stopped at the budget on the notebook's saved outputs.
 */
const PrintedCheck = z.object({ ...Common, printed: z.string().min(1), below: z.number().optional() }).strict();

/** A regular expression with one group capturing a number (the loss printed per epoch, a test accuracy). */
const NumberPattern = z.string().superRefine((text, ctx) => {
  try {
    if (new RegExp(`${text}|`).exec('')!.length !== 2) ctx.addIssue({ code: 'custom', message: 'give exactly one group (...) capturing the number' });
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `not a regular expression: ${(error as Error).message}` });
  }
});

/**
 * A training result the handout asks for (seed 004 P2.3: retrain, the loss over the last epochs and a test accuracy
 * of at least 87%), graded two ways: the accuracy the notebook's saved outputs show (the student's own full run)
 * against `at_least` (or, where the handout's bar is strict, `above`), and the grader's re-run of the same cell on the stand-in data (on the reduced budget
 * `loader_batches`): the losses it prints are computed and do not rise, and the accuracy it prints is computed, not
 * the saved number printed again. The re-run does not ask for learning: on a budget of a few batches an epoch, a
 * correct search may pick a small learning rate that has not yet left chance. The cell is the first (with `last`,
 * the last) whose code matches `cell` and whose output matches `accuracy`; its losses may be printed by it or by a
 * cell before it, or, where none prints them, plotted (seed 000 Q6.7 asks for a loss plot).
 */
const TrainedCheck = z
  .object({
    ...Common,
    trained: z
      .object({
        cell: z.string().min(1).optional(),
        /** The notebook's last result cell, not its first: the handout's last task (another accuracy comes before). */
        last: z.boolean().default(false),
        /**
         * The result cell comes after the first cell whose code matches this: where the task's part of the notebook
         * begins (seed 000's Q6.7: the mytorch import), so that an earlier task's accuracy is never taken for it.
         */
        after: CellPattern.optional(),
        losses: NumberPattern,
        accuracy: NumberPattern,
        /** The handout's bar for the test accuracy, as a fraction: "at least 87%" (seed 004) or "> 90%" (seed 000). */
        at_least: z.number().gt(0).max(1).optional(),
        above: z.number().min(0).lt(1).optional(),
        /**
         * The bar is another training result's: the saved test accuracy must be above the one the `trained:` check of
         * this id finds (seed 004's P2.4: a variant that beats P2.3's retrained network).
         */
        beats: z.string().min(1).optional(),
        /** What the bar is, where the handout states none (seed 002's Q3: "chance, 10 classes"); the feedback names it so. */
        bar: z.string().min(1).optional(),
      })
      .strict()
      .refine((t) => [t.at_least, t.above, t.beats].filter((x) => x !== undefined).length === 1, { message: 'give the accuracy bar as exactly one of at_least, above and beats' }),
  })
  .strict();

/** The mistakes a descent check can name (grader/execution/descent.ts). */
export const DESCENT_MISTAKES = ['gradient-not-zeroed', 'gradient-ascent'] as const;

/**
 * A top-level gradient-descent loop (seed 003 task 1.1: `x -= learning_rate * x.grad` on LossFunctionWithPlot),
 * judged on the points its loss function recorded: `track`, an attribute path (`L.track`), as the first cell whose
 * code matches `cell` left it. Each step must be minus a learning rate times the gradient of `loss` at the point
 * before it, the rate the same at every step (one per coordinate: a tensor of rates is gradient descent too).
 */
const DescentCheck = z
  .object({
    ...Common,
    descent: z
      .object({
        track: z.string().regex(/^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/, 'an attribute path such as L.track'),
        cell: CellPattern,
        /** The loss whose gradient a step follows: seed 003's bowl ||B x|| (reference/loss-bowl.ts). */
        loss: z.enum(['bowl']),
      })
      .strict(),
    mistakes: z.partialRecord(z.enum(DESCENT_MISTAKES), z.object({ deduct: z.number().nonnegative() }).strict()).default({}),
  })
  .strict();

/**
 * Numbers the student writes into a markdown cell (seed 003's inline questions: "$x[0] = \boxed{-0.2982}$"): the
 * answers of the first markdown cell matching `cell`, in order, against `expected`, each to the precision it is
 * written in plus the tolerance. `computed_by` names the variable whose value the numbers report, so that a copy
 * of a wrong value is told from a slip (grader/execution/written.ts).
 */
const WrittenCheck = z
  .object({
    ...Common,
    written: z
      .object({
        cell: CellPattern,
        expected: Expected,
        /** What each answer is called in the feedback: x[0], x[1]. */
        names: z.array(z.string().min(1)).optional(),
        computed_by: Name.optional(),
        tolerance: Tolerance,
      })
      .strict(),
  })
  .strict();

const CHECK_KINDS = { value: ValueCheck, call: CallCheck, model: ModelCheck, figure: FigureCheck, printed: PrintedCheck, initialised: InitialisedCheck, trained: TrainedCheck, descent: DescentCheck, written: WrittenCheck } as const;
export type ExecutionCheck = z.infer<(typeof CHECK_KINDS)[keyof typeof CHECK_KINDS]>;

/** A check is parsed as the kind its key names, so that a mistake in it is reported on its field, not as "Invalid input". */
export const ExecutionCheck = z.unknown().transform((v, ctx): ExecutionCheck => {
  const kind = typeof v === 'object' && v !== null ? (Object.keys(CHECK_KINDS) as (keyof typeof CHECK_KINDS)[]).find((k) => k in v) : undefined;
  if (kind === undefined) {
    ctx.addIssue({ code: 'custom', message: `say what the check looks at: one of ${Object.keys(CHECK_KINDS).join(', ')}` });
    return z.NEVER;
  }
  const parsed = CHECK_KINDS[kind].safeParse(v);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
  return z.NEVER;
});
export type ValueCheck = z.infer<typeof ValueCheck>;
export type CallCheck = z.infer<typeof CallCheck>;
export type ModelCheck = z.infer<typeof ModelCheck>;
export type FigureCheck = z.infer<typeof FigureCheck>;
export type PrintedCheck = z.infer<typeof PrintedCheck>;
export type InitialisedCheck = z.infer<typeof InitialisedCheck>;
export type TrainedCheck = z.infer<typeof TrainedCheck>;
export type DescentCheck = z.infer<typeof DescentCheck>;
export type WrittenCheck = z.infer<typeof WrittenCheck>;

export const ExecuteSettings = z
  .object({
    /** Wall time for all the cells, in seconds (cells past it are not run, and the report says so). */
    budget_s: z.number().positive().max(3600).default(120),
    /** Wall time for one cell: an overrunning cell is stopped and the next one runs. */
    cell_budget_s: z.number().positive().max(600).default(20),
    /** Course helpers replaced by recording stubs (seed 003's run_test): calling them records, never trains. */
    record: z.array(z.string().regex(/^[A-Za-z_]\w*$/)).default([]),
    /**
     * Staff Python files beside the assignment (one, or a list): stand-ins for course modules and data files
     * (MODULES, FILES), and for libraries a machine may lack (WHERE_MISSING). Read through shimsFiles().
     */
    shims: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    /**
     * A reduced run: every pass over a torch DataLoader stops after this many batches (epochs of a few batches, a
     * search over 50 settings in seconds). The feedback says so; the checks on training results expect it.
     */
    loader_batches: z.number().int().positive().optional(),
    checks: z.array(ExecutionCheck).min(1, 'an execute: section needs at least one check'),
  })
  .strict()
  .superRefine((e, ctx) => {
    const seen = new Set<string>();
    e.checks.forEach((c, i) => {
      if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: ['checks', i, 'id'], message: `check "${c.id}" is listed twice` });
      seen.add(c.id);
      if ('call' in c && !e.record.includes(c.call)) ctx.addIssue({ code: 'custom', path: ['checks', i, 'call'], message: `${c.call} is not recorded: add it to record:` });
      if ('trained' in c && c.trained.beats !== undefined) {
        const beaten = e.checks.find((other) => other.id === c.trained.beats);
        if (!beaten || !('trained' in beaten) || beaten === c) ctx.addIssue({ code: 'custom', path: ['checks', i, 'trained', 'beats'], message: `"${c.trained.beats}" is not another trained: check of this execute: section` });
        else if (beaten.trained.beats !== undefined) ctx.addIssue({ code: 'custom', path: ['checks', i, 'trained', 'beats'], message: `"${beaten.id}" beats another result itself: the result to beat needs a bar of its own (at_least or above)` });
      }
      if ('trained' in c && c.trained.cell !== undefined) {
        try {
          new RegExp(c.trained.cell);
        } catch (error) {
          ctx.addIssue({ code: 'custom', path: ['checks', i, 'trained', 'cell'], message: `not a regular expression: ${(error as Error).message}` });
        }
      }
      if ('printed' in c) {
        try {
          const groups = new RegExp(`${c.printed}|`).exec('')!.length - 1;
          if (c.below !== undefined && groups !== 1) ctx.addIssue({ code: 'custom', path: ['checks', i, 'printed'], message: 'with below:, give exactly one group (...) capturing the number' });
        } catch (error) {
          ctx.addIssue({ code: 'custom', path: ['checks', i, 'printed'], message: `not a regular expression: ${(error as Error).message}` });
        }
      }
    });
  });
export type ExecuteSettings = z.infer<typeof ExecuteSettings>;

/**
 * The checks `keep` keeps (those a self-check shows, those a release carries), less any that must beat a result
 * (`beats:`) that `keep` leaves out: its bar would be unknown.
 */
export function keptWithTheirBars<C extends ExecutionCheck>(checks: readonly C[], keep: (c: C) => boolean): C[] {
  return checks.filter((c) => keep(c) && (!('trained' in c) || c.trained.beats === undefined || checks.some((other) => other.id === c.trained.beats && keep(other))));
}

/** The stand-ins files an execute: section names, in order (none, one, or a list). */
export const shimsFiles = (execute: Pick<ExecuteSettings, 'shims'> | undefined): string[] => (execute?.shims === undefined ? [] : [execute.shims].flat());
