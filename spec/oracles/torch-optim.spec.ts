// The optimizer references agree with PyTorch: golden float64 trajectories of torch.optim.SGD (with and
// without momentum and weight decay), Adam and AdamW, written by the committed generator
// fixtures/golden/generate_optim.py (Debian's python3-torch 1.13, float64) into fixtures/golden/optim.json.
// Each trajectory is replayed from the same starting parameters and the same gradients through
//   - the functional references: sgd_step, momentum_step (with the decay added to the gradient, as
//     PyTorch does before the momentum buffer), adam_step, adamw_step, step by step, comparing the
//     parameters and PyTorch's optimizer state (momentum_buffer; exp_avg = m, exp_avg_sq = v);
//   - the reference classes SimpleGradientDescent and ADAMOptimizer (params updated in place);
//   - adam_two_steps (seed 000 problem 3.1), against the first two steps of every run without decay.
// The same comparison is run on wrong implementations to show it rejects them.
//
// Tolerance. Both sides are float64 and the references evaluate PyTorch's expressions in PyTorch's order,
// so the only differences are a few ulps per operation (pow, FMA in vectorised kernels) compounding over
// <= 12 steps: measured, at most 1e-15 of the largest |entry| of the compared array. Each entry must agree
// within rtol 1e-12 plus atol 1e-12 * max |entry of that array at that step| (about 1000x the measured error,
// and per array so that v ~ 1e-18 at tiny gradients is compared at its own scale); a reference off by a
// relative 1e-9 is rejected.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/format.ts';
import type { Vector } from '../../src/numeric.ts';
import * as ref from '../../reference/index.ts';
import { type ParamArray, assignInPlace, flatten } from '../../reference/params.ts';

const GOLDEN = path.join(import.meta.dirname, '..', '..', 'fixtures', 'golden', 'optim.json');

type Nested = number | Nested[];

interface GoldenStep {
  readonly grads: ParamArray[];
  readonly params: ParamArray[];
  /** PyTorch's optimizer state after the step, per parameter. */
  readonly state: Readonly<Record<string, Nested>>[];
}

interface GoldenCase {
  readonly id: string;
  readonly optimizer: 'SGD' | 'Adam' | 'AdamW';
  /** The call as written, e.g. "torch.optim.Adam(params, lr=0.1, weight_decay=0.1)". */
  readonly call: string;
  /** Every hyperparameter as PyTorch resolved it. */
  readonly options: {
    readonly lr: number;
    readonly weight_decay: number;
    readonly momentum?: number;
    readonly dampening?: number;
    readonly nesterov?: boolean;
    readonly betas?: [number, number];
    readonly eps?: number;
    readonly amsgrad?: boolean;
  };
  readonly regime: string;
  readonly shapes: number[][];
  readonly params0: ParamArray[];
  readonly steps: GoldenStep[];
}

interface Golden {
  readonly generator: string;
  readonly torch: string;
  readonly dtype: string;
  readonly cases: GoldenCase[];
}

const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;
const cases = golden.cases;

const RTOL = 1e-12;
const ATOL_SCALE = 1e-12;

/** What a replay produces per step and parameter: the flattened parameter and state arrays by PyTorch name. */
type Record_ = { readonly params: Vector; readonly state: Readonly<Record<string, Vector>> };
type Trajectory = Record_[][];

/** The functional steps a replay uses: the references, or a wrong implementation overriding some. */
interface Steps {
  readonly sgdStep: typeof ref.sgdStep;
  readonly momentumStep: typeof ref.momentumStep;
  readonly adamStep: typeof ref.adamStep;
  readonly adamwStep: typeof ref.adamwStep;
}

const REFERENCE_STEPS: Steps = { sgdStep: ref.sgdStep, momentumStep: ref.momentumStep, adamStep: ref.adamStep, adamwStep: ref.adamwStep };

const flat = (x: Nested): number[] => (typeof x === 'number' ? [x] : x.flatMap(flat));
const momentumOf = (c: GoldenCase) => c.options.momentum ?? 0;
const betasOf = (c: GoldenCase): [number, number] => c.options.betas ?? [0.9, 0.999];

/** Replays a case through functional steps, each parameter on its own (they do not interact). */
function replayFunctional(c: GoldenCase, steps: Steps): Trajectory {
  const { lr, weight_decay: wd, eps = 0 } = c.options;
  const [b1, b2] = betasOf(c);
  const mu = momentumOf(c);
  const states = c.params0.map((p) => {
    const w = flatten(p);
    return { w, u: w.map(() => 0), m: w.map(() => 0), v: w.map(() => 0) };
  });
  return c.steps.map((step, k) =>
    states.map((s, i) => {
      const g = flatten(step.grads[i]!);
      if (c.optimizer === 'SGD' && mu === 0) {
        s.w = steps.sgdStep(s.w, g, lr, wd);
        return { params: s.w, state: {} };
      }
      if (c.optimizer === 'SGD') {
        // PyTorch adds the decay to the gradient before the momentum buffer: d = g + wd p.
        [s.w, s.u] = steps.momentumStep(s.w, s.u, g.map((gj, j) => gj + wd * s.w[j]!), lr, mu);
        return { params: s.w, state: { momentum_buffer: s.u } };
      }
      const adam = c.optimizer === 'Adam' ? steps.adamStep : steps.adamwStep;
      [s.w, s.m, s.v] = adam(s.w, g, s.m, s.v, k + 1, lr, b1, b2, eps, wd);
      return { params: s.w, state: { exp_avg: s.m, exp_avg_sq: s.v } };
    }),
  );
}

/** Replays a case through a reference class built over copies of params0; reads the parameters back. */
function replayClass(c: GoldenCase): Trajectory {
  const params = structuredClone(c.params0);
  const { lr, weight_decay: wd, eps = 0 } = c.options;
  const optimizer =
    c.optimizer === 'SGD' ? new ref.SimpleGradientDescent(params, lr, wd) : new ref.ADAMOptimizer(params, lr, betasOf(c), eps, wd);
  return c.steps.map((step) => {
    optimizer.step(structuredClone(step.grads));
    return params.map((p) => ({ params: flatten(p), state: {} }));
  });
}

/** The first mismatch between a replay and the golden trajectory, in words; undefined when they agree. */
function firstMismatch(c: GoldenCase, replay: Trajectory, compareState = true): string | undefined {
  for (const [k, step] of c.steps.entries()) {
    for (const [i, expected] of step.params.entries()) {
      const got = replay[k]?.[i];
      if (!got) return `${c.id}: no result for step ${k + 1}, parameter ${i}`;
      const pairs: [string, Vector | undefined, number[]][] = [['params', got.params, flatten(expected)]];
      if (compareState) for (const [key, value] of Object.entries(step.state[i] ?? {})) if (key !== 'step') pairs.push([key, got.state[key], flat(value)]);
      for (const [name, received, want] of pairs) {
        if (!received || received.length !== want.length) return `${c.id}: step ${k + 1}, parameter ${i}: ${name} missing or of the wrong length`;
        const scale = Math.max(...want.map(Math.abs));
        for (const [j, e] of want.entries()) {
          const r = received[j]!;
          const allowed = RTOL * Math.abs(e) + ATOL_SCALE * scale;
          if (!(Math.abs(r - e) <= allowed)) {
            return `${c.id} (${c.call}): step ${k + 1}, parameter ${i}, ${name}[${j}]: received ${formatNumber(r)}, PyTorch ${formatNumber(e)}, |diff| ${formatNumber(Math.abs(r - e))} > allowed ${formatNumber(allowed)}`;
          }
        }
      }
    }
  }
  return undefined;
}

describe(`golden trajectories of torch.optim (${golden.generator}, torch ${golden.torch}, ${golden.dtype})`, () => {
  it('cover the regimes: weight decay on and off, momentum, tiny, huge, zero and sparse gradients, several shapes', () => {
    expect(golden.dtype).toBe('float64');
    const regimes = cases.map((c) => c.id).join(' ');
    for (const word of ['decay', 'momentum', 'tiny', 'huge', 'zero', 'sparse']) expect(regimes).toContain(word);
    for (const optimizer of ['SGD', 'Adam', 'AdamW'] as const) {
      const own = cases.filter((c) => c.optimizer === optimizer);
      expect(own.some((c) => c.options.weight_decay > 0) && own.some((c) => c.options.weight_decay === 0), optimizer).toBe(true);
    }
    expect(new Set(cases.flatMap((c) => c.shapes.map((s) => s.join('x')))).size).toBeGreaterThanOrEqual(3);
    expect(cases.some((c) => c.params0.length > 1)).toBe(true);
    expect(cases.every((c) => !c.options.nesterov && !c.options.amsgrad && !c.options.dampening)).toBe(true);
  });

  it.each(cases.map((c) => [c.id, c] as const))('functional references replay %s', (_, c) => {
    expect(firstMismatch(c, replayFunctional(c, REFERENCE_STEPS))).toBeUndefined();
  });

  const classCases = cases.filter((c) => (c.optimizer === 'SGD' && momentumOf(c) === 0) || c.optimizer === 'Adam');
  it.each(classCases.map((c) => [c.id, c] as const))('reference class (SimpleGradientDescent / ADAMOptimizer) replays %s', (_, c) => {
    expect(firstMismatch(c, replayClass(c), false)).toBeUndefined();
  });

  const undecayed = cases.filter((c) => c.optimizer !== 'SGD' && c.options.weight_decay === 0 && c.steps.length >= 2);
  it.each(undecayed.map((c) => [c.id, c] as const))('adam_two_steps gives the first two steps of %s', (_, c) => {
    const [b1, b2] = betasOf(c);
    c.params0.forEach((p, i) => {
      const [w2, w3] = ref.adamTwoSteps(flatten(p), flatten(c.steps[0]!.grads[i]!), flatten(c.steps[1]!.grads[i]!), c.options.lr, b1, b2, c.options.eps ?? 0);
      const truncated = { ...c, steps: c.steps.slice(0, 2).map((s) => ({ ...s, params: [s.params[i]!], state: [] })) };
      expect(firstMismatch(truncated, [[{ params: w2 as Vector, state: {} }], [{ params: w3 as Vector, state: {} }]], false)).toBeUndefined();
    });
  });

  it('PyTorch itself: Adam and AdamW trajectories agree when weight_decay = 0 and differ when it is > 0', () => {
    const byId = new Map(cases.map((c) => [c.id, c]));
    const same = (a: string, b: string) => JSON.stringify(byId.get(a)!.steps.map((s) => s.params)) === JSON.stringify(byId.get(b)!.steps.map((s) => s.params));
    expect(byId.get('adam-no-decay')!.params0).toEqual(byId.get('adamw-no-decay')!.params0);
    expect(same('adam-no-decay', 'adamw-no-decay')).toBe(true);
    expect(byId.get('adam-seed-settings')!.params0).toEqual(byId.get('adamw-seed-settings')!.params0);
    expect(same('adam-seed-settings', 'adamw-seed-settings')).toBe(false);
  });
});

// --- the same comparison rejects wrong implementations ---------------------------------------------------

type AdamFn = typeof ref.adamStep;

/** Adam's step with the moments given, so a variant changes one ingredient at a time. */
function adamVariant(options: {
  readonly decoupled?: boolean;
  readonly coupled?: boolean;
  readonly biasCorrection?: boolean;
  readonly epsInsideSqrt?: boolean;
}): AdamFn {
  return (w, g, m, v, t, lr, beta1, beta2, eps, wd = 0) => {
    const w0 = options.decoupled ? w.map((x) => x * (1 - lr * wd)) : w;
    const gg = options.coupled ? g.map((x, i) => x + wd * w[i]!) : g;
    const m1 = m.map((x, i) => beta1 * x + (1 - beta1) * gg[i]!);
    const v1 = v.map((x, i) => beta2 * x + (1 - beta2) * gg[i]! ** 2);
    const c1 = options.biasCorrection === false ? 1 : 1 - beta1 ** t;
    const c2 = options.biasCorrection === false ? 1 : 1 - beta2 ** t;
    const denominator = (vi: number) => (options.epsInsideSqrt ? Math.sqrt(vi / c2 + eps) : Math.sqrt(vi / c2) + eps);
    return [w0.map((x, i) => x - (lr * m1[i]!) / c1 / denominator(v1[i]!)), m1, v1];
  };
}

interface WrongSteps {
  readonly mistake: string;
  readonly steps: Partial<Steps>;
  /** The optimizers it changes (only their cases are replayed). */
  readonly optimizers: readonly GoldenCase['optimizer'][];
}

const scaleBy = (relative: number) => (x: Vector) => x.map((y) => y * (1 + relative));

const WRONG: readonly WrongSteps[] = [
  { mistake: 'Adam without bias correction', optimizers: ['Adam'], steps: { adamStep: adamVariant({ coupled: true, biasCorrection: false }) } },
  { mistake: 'Adam with eps inside the square root', optimizers: ['Adam'], steps: { adamStep: adamVariant({ coupled: true, epsInsideSqrt: true }) } },
  { mistake: 'Adam with decoupled decay (AdamW)', optimizers: ['Adam'], steps: { adamStep: adamVariant({ decoupled: true }) } },
  { mistake: 'AdamW with coupled L2 decay (Adam)', optimizers: ['AdamW'], steps: { adamwStep: adamVariant({ coupled: true }) } },
  {
    mistake: 'Adam with t counted from 0 (bias correction at t - 1, from the second step on)',
    optimizers: ['Adam'],
    steps: { adamStep: (w, g, m, v, t, ...rest) => ref.adamStep(w, g, m, v, Math.max(1, t - 1), ...rest) },
  },
  {
    mistake: 'momentum with dampening (u = mu u + (1 - mu) g)',
    optimizers: ['SGD'],
    steps: { momentumStep: (w, u, g, lr, mu) => ref.momentumStep(w, u.map((x) => x), g.map((x) => (1 - mu) * x), lr, mu) },
  },
  {
    mistake: 'SGD with decay not scaled by the learning rate (p -= lr g + wd p, seed 003 task 1.3)',
    optimizers: ['SGD'],
    steps: { sgdStep: (p, g, lr, wd = 0) => p.map((x, i) => x - lr * g[i]! - wd * x) },
  },
  {
    mistake: 'the references off by a relative 1e-9',
    optimizers: ['SGD', 'Adam', 'AdamW'],
    steps: {
      sgdStep: (...a) => scaleBy(1e-9)(ref.sgdStep(...a)),
      momentumStep: (...a) => ref.momentumStep(...a).map(scaleBy(1e-9)) as [Vector, Vector],
      adamStep: (...a) => ref.adamStep(...a).map(scaleBy(1e-9)) as ReturnType<AdamFn>,
      adamwStep: (...a) => ref.adamwStep(...a).map(scaleBy(1e-9)) as ReturnType<AdamFn>,
    },
  },
];

describe('the same comparison rejects wrong implementations', () => {
  it.each(WRONG.map((w) => [w.mistake, w] as const))('%s', (_, wrong) => {
    const own = cases.filter((c) => wrong.optimizers.includes(c.optimizer));
    const steps = { ...REFERENCE_STEPS, ...wrong.steps };
    const rejected = own.map((c) => firstMismatch(c, replayFunctional(c, steps))).filter((m) => m !== undefined);
    expect(rejected.length, `${wrong.mistake} agreed with PyTorch on all ${own.length} cases`).toBeGreaterThan(0);
  });

  /** Replays a case through an optimizer instance built over `params`. */
  const replayWith = (c: GoldenCase, params: ParamArray[], optimizer: { step(grads: ParamArray[]): void }): Trajectory =>
    c.steps.map((s) => {
      optimizer.step(structuredClone(s.grads));
      return params.map((p) => ({ params: flatten(p), state: {} }));
    });

  it('the classes: SimpleGradientDescent with the seed\'s decay not scaled by lr is rejected', () => {
    class Unscaled extends ref.SimpleGradientDescent {
      override step(grads: ParamArray[]): void {
        this.params.forEach((p, i) => {
          const g = flatten(grads[i]!);
          assignInPlace(p, flatten(p).map((x, j) => x - this.lr * g[j]! - this.weightDecay * x));
        });
      }
    }
    const decayed = cases.filter((c) => c.optimizer === 'SGD' && momentumOf(c) === 0 && c.options.weight_decay > 0);
    const rejected = decayed.filter((c) => {
      const params = structuredClone(c.params0);
      return firstMismatch(c, replayWith(c, params, new Unscaled(params, c.options.lr, c.options.weight_decay)), false) !== undefined;
    });
    expect(rejected.length).toBe(decayed.length);
  });

  it('the classes: ADAMOptimizer advancing t once per parameter instead of once per step is rejected', () => {
    class PerParameterT extends ref.ADAMOptimizer {
      override step(grads: ParamArray[]): void {
        this.params.forEach((p, i) => {
          this.t += 1;
          const [w, m, v] = ref.adamStep(flatten(p), flatten(grads[i]!), this.m[i]!, this.v[i]!, this.t, this.lr, this.beta1, this.beta2, this.eps, this.weightDecay);
          this.m[i] = m;
          this.v[i] = v;
          assignInPlace(p, w);
        });
      }
    }
    const several = cases.filter((c) => c.optimizer === 'Adam' && c.params0.length > 1);
    expect(several.length).toBeGreaterThan(0);
    for (const c of several) {
      const params = structuredClone(c.params0);
      const optimizer = new PerParameterT(params, c.options.lr, betasOf(c), c.options.eps ?? 0, c.options.weight_decay);
      expect(firstMismatch(c, replayWith(c, params, optimizer), false), c.id).toBeDefined();
    }
  });
});

// --- arguments ----------------------------------------------------------------------------------------

describe('the references reject what torch.optim rejects (ValueError) and accept what the seeds pass', () => {
  const w = [1, -2];
  // Each error names the argument that is wrong: a message is the student's only clue to a rejected call.
  it.each([
    ['lr < 0', () => ref.adamStep(w, w, [0, 0], [0, 0], 1, -0.1, 0.9, 0.999, 1e-8), /^lr must be a non-negative finite number, got -0\.1$/],
    ['beta1 = 1', () => ref.adamwStep(w, w, [0, 0], [0, 0], 1, 0.1, 1, 0.999, 1e-8), /^beta1 must be in \[0, 1\), got 1$/],
    ['eps < 0', () => ref.adamStep(w, w, [0, 0], [0, 0], 1, 0.1, 0.9, 0.999, -1e-8), /^eps must be a non-negative/],
    ['weight_decay < 0', () => ref.sgdStep(w, w, 0.1, -1), /^weight_decay must be a non-negative/],
    ['momentum < 0', () => ref.momentumStep(w, [0, 0], w, 0.1, -0.9), /^mu must be a non-negative/],
    ['t = 0 (t is 1-based)', () => ref.adamStep(w, w, [0, 0], [0, 0], 0, 0.1, 0.9, 0.999, 1e-8), /^t must be an integer >= 1/],
    ['v < 0', () => ref.adamStep(w, w, [0, 0], [0, -1], 1, 0.1, 0.9, 0.999, 1e-8), /^v \(the second moment\) must be non-negative/],
    ['g of another length', () => ref.adamStep(w, [1], [0, 0], [0, 0], 1, 0.1, 0.9, 0.999, 1e-8), /^g must have length 2, got 1$/],
    ['ragged grads', () => ref.gradMeanRms([[1, 2], [3]]), /^grads must be rectangular/],
    ['ema vectors of different lengths', () => ref.emaUpdate([1, 2], 0.9, 1, [0, 0, 0]), /lengths 3 and 2 do not match/],
    ['ema of a non-number', () => ref.emaUpdate('1' as unknown as number, 0.9, 1, 0), /^x_t must be a number or a vector/],
    ['betas not a pair', () => new ref.ADAMOptimizer([[1]], 0.1, [0.9]), /^betas must be a pair/],
    ['params not a list', () => new ref.SimpleGradientDescent(3 as unknown as ParamArray[]), /^params must be a list/],
    ['a ragged parameter', () => new ref.SimpleGradientDescent([[[1, 2], [3]]]), /^params\[0\] must be rectangular/],
    ['grads of another shape', () => new ref.ADAMOptimizer([[[1, 2], [3, 4]]]).step([[1, 2, 3, 4]]), /^grads\[0\] has shape \(4,\), but params\[0\] has shape \(2, 2\)$/],
    // Transposed: as many entries as the parameter, so only the shape check can tell.
    ['Adam: a transposed gradient', () => new ref.ADAMOptimizer([[[1, 2, 3], [4, 5, 6]]]).step([[[1, 2], [3, 4], [5, 6]]]), /^grads\[0\] has shape \(3, 2\), but params\[0\] has shape \(2, 3\)$/],
    ['SGD: a transposed gradient', () => new ref.SimpleGradientDescent([[[1, 2, 3], [4, 5, 6]]]).step([[[1, 2], [3, 4], [5, 6]]]), /^grads\[0\] has shape \(3, 2\)/],
    ['fewer grads than params', () => new ref.SimpleGradientDescent([[1], [2]]).step([[1]]), /one gradient per parameter \(2\), got 1$/],
    ['a parameter that is a number', () => new ref.SimpleGradientDescent([3] as unknown as ParamArray[]), /^params\[0\] must be an array of numbers$/],
    ['numbers mixed with rows', () => new ref.SimpleGradientDescent([[1, [2]]] as unknown as ParamArray[]), /^params\[0\] must be a rectangular array of numbers$/],
    ['a row mixed with a number', () => new ref.SimpleGradientDescent([[[1, 2], 3]] as unknown as ParamArray[]), /^params\[0\] must be a rectangular array of numbers$/],
    ['ragged two levels down', () => new ref.SimpleGradientDescent([[[1, 2], [3, [4]]]] as unknown as ParamArray[]), /^params\[0\]\[1\] must be a rectangular array of numbers$/],
    // (1, 12) and (11, 2) read the same once their digits are joined without a separator.
    ['blocks of shapes (1, 12) and (11, 2)', () => new ref.SimpleGradientDescent([[[new Array(12).fill(0)], Array.from({ length: 11 }, () => [0, 0])]]), /^params\[0\] must be rectangular$/],
    ['a ragged gradient', () => new ref.ADAMOptimizer([[[1, 2], [3, 4]]]).step([[[1, 2], [3]]]), /^grads\[0\] must be rectangular$/],
  ] as const)('%s throws', (_, call, message) => {
    expect(call).toThrow(message);
  });

  it('accepts parameters of any rectangular shape, 3-d included, and updates them in place', () => {
    const p: ParamArray = [[[1, 2]], [[3, 4]]];
    new ref.SimpleGradientDescent([p], 0.5).step([[[[2, 2]], [[2, 2]]]]);
    expect(p).toEqual([[[0, 1]], [[2, 3]]]);
  });

  it("ADAMOptimizer's defaults are the seed's and torch.optim.Adam's: lr 0.1 (seed), betas (0.9, 0.999), eps 1e-8, no decay", () => {
    const o = new ref.ADAMOptimizer([[1]]);
    expect([o.lr, o.beta1, o.beta2, o.eps, o.weightDecay]).toEqual([0.1, 0.9, 0.999, 1e-8, 0]);
  });

  it('ema_update and adam_two_steps take scalars (the seeds\' scalar forms); a scalar ema_star_old = 0.0 broadcasts', () => {
    expect(ref.emaUpdate(2, 0.5, 1, 0)).toEqual([2, 1]);
    expect(ref.emaUpdate([2, 4], 0.5, 1, 0)).toEqual([[2, 4], [1, 2]]);
    expect(ref.adamTwoSteps(0.5, 0.1, 0.1, 0.1, 0.9, 0.999, 0)).toEqual([0.4, expect.closeTo(0.3, 12)]);
  });
});
