// The judge's kill matrix, without a process: for every call and value check of the seed assignments, a
// recorded result built to satisfy it passes, and changing any one aspect (the wrapper, a layer, the parameter
// count, the loss, the optimizer's class or a hyper-parameter, the value) fails exactly that aspect, with the
// cell named.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../assignment.ts';
import { resolveModelClass } from './aspect.ts';
import { judgeExecution } from './judge.ts';
import { REFERENCES } from './references.ts';
import type { ExecutionResult, FigureDescription, ModelState, RecordedCall } from './run.ts';
import type { InitMethod } from '../../reference/init.ts';
import { parseStack, planOf } from '../../reference/layer-stack.ts';
import { type Step, float32State } from './float32-model.ts';
import { type CallCheck, type Construction, ExecuteSettings, ExecutionCheck, JUDGED, type Judged, type ModelCheck, type ValueCheck, constructionsOf } from './schema.ts';

const assignment = loadAssignment(path.join(import.meta.dirname, '..', '..', 'fixtures', 'assignments', 'seed-003.yaml'));
const settings = assignment.execute!;
const CELL = 7;

/** A concrete network the pattern accepts: `*` a width of 32, `...` no layers. */
const concrete = (pattern: string) => pattern.replace(/\.\.\.,\s*/g, '').replace(/,\s*\.\.\./g, '').replace(/\.\.\./g, '').replace(/\*/g, '32');

function callFor(check: CallCheck, change?: string): RecordedCall {
  const net = concrete(check.network ?? 'Sequential[Linear(36, 32), Sigmoid()]');
  const module = (type: string, layers: string, parameters: number) => ({ kind: 'module' as const, type, layers, leaves: layers, parameters, trainable: parameters });
  const { builds, ...hyper } = check.optimizer ?? { builds: 'SGD' };
  const hyperparameters: Record<string, number | number[]> = Object.fromEntries(Object.entries(hyper as Record<string, number | number[]>).map(([k, v]) => [k, change === 'optimizer-hyper' && typeof v === 'number' ? v * 10 : v] as const));
  return {
    helper: check.call,
    cell: CELL,
    args: [
      {
        ...module(change === 'wrapper' ? 'Supervise' : (check.wrapper ?? 'Supervise'), 'Supervise[...]', 0),
        parts: {
          net: module('Sequential', change === 'network' ? net.replace('Linear(36, ', 'Linear(35, ').replace('BatchNorm1d', 'LayerNorm').replace('Sigmoid()]', 'Tanh()]') : net, (check.parameters ?? 100) + (change === 'parameters' ? 1 : 0)),
          criterion: module(change === 'loss' ? 'L1Loss' : (check.loss ?? 'MSELoss'), 'x()', 0),
        },
      },
      { kind: 'factory', builds: change === 'optimizer-class' ? `My${builds}` : builds, hyperparameters },
    ],
    kwargs: {},
  };
}

const empty: ExecutionResult = { cells: [{ cell: CELL, status: 'ran' }], calls: [], figures: [], values: {}, models: {}, served: [], seconds: 0 };

const judgeOne = (check: ExecutionCheck, result: ExecutionResult) => judgeExecution({ ...settings, checks: [check] }, { result }, [{ cell: CELL, source: 'value = 1' }], 1, 1)[0]!;

describe.each(settings.checks.filter((c): c is CallCheck => 'call' in c).map((c) => [c.id, c] as const))('%s', (_id, check) => {
  const changes = [
    ...(check.wrapper ? ['wrapper'] : []),
    ...(check.network ? ['network'] : []),
    ...(check.parameters !== undefined ? ['parameters'] : []),
    ...(check.loss ? ['loss'] : []),
    ...(check.optimizer ? ['optimizer-class', ...(Object.keys(check.optimizer).length > 1 ? ['optimizer-hyper'] : [])] : []),
  ];

  it('a call built to satisfy it passes every aspect', () => {
    const scored = judgeOne(check, { ...empty, calls: [callFor(check)] });
    expect(scored.checks.filter((c) => !c.result.passed).map((c) => c.result.failure?.message)).toEqual([]);
    expect(scored.score).toBe(check.points);
  });

  it.each(changes)('changing the %s fails that aspect alone, naming the cell', (change) => {
    const scored = judgeOne(check, { ...empty, calls: [callFor(check, change)] });
    const failed = scored.checks.filter((c) => !c.result.passed);
    expect(failed.map((c) => c.result.check)).toEqual([change.startsWith('optimizer') ? 'optimizer' : change]);
    expect(failed[0]!.result.failure?.message).toContain(`cell ${CELL}`);
  });

  it('no call at all fails every aspect as missing', () => {
    const scored = judgeOne(check, empty);
    expect(scored.score).toBe(0);
    expect(scored.checks.every((c) => c.result.failure?.code === 'missing')).toBe(true);
  });
});

describe('printed checks', () => {
  const check = ExecutionCheck.parse({ id: 'sizes', title: 'split sizes', points: 1, printed: 'train: \\d+, val: \\d+' });
  const printing = (...printed: string[]): ExecutionResult => ({ ...empty, cells: printed.map((p, i) => ({ cell: i + 2, status: 'ran', ...(p ? { printed: p } : {}) })) });

  it('a match in any cell passes', () => {
    expect(judgeOne(check, printing('hello\n', 'train: 128, val: 64\n')).score).toBe(1);
  });

  it('without a match, the failure shows what the cells printed: their first lines, a few cells', () => {
    const failed = judgeOne(check, printing('', 'Train size 128\nVal size 64\nTest size 128\nDone\n', 'x'.repeat(200), 'a', 'b', 'c'));
    expect(failed.checks[0]!.result.failure?.message).toBe(
      `no cell printed text matching /train: \\d+, val: \\d+/: the cells printed cell 3: "Train size 128 / Val size 64 / Test size 128 ..."; cell 4: "${'x'.repeat(160)} ..."; cell 5: "a"; cell 6: "b" (and 1 more cell)`,
    );
    expect(judgeOne(check, printing('', '')).checks[0]!.result.failure?.message).toBe('no cell printed text matching /train: \\d+, val: \\d+/: no cell printed anything');
  });
});

describe('printed checks with a bound: seed 000 Q6.7, the gradient check below 1e-5', () => {
  const seed000 = loadAssignment(path.join(import.meta.dirname, '..', '..', 'fixtures', 'assignments', 'seed-000.yaml'));
  const check = seed000.execute!.checks.find((c) => c.id === 'mytorch-gradient-output')!;
  const ran = (printed: string, cell = 5) => ({ cell, status: 'ran' as const, printed });
  const judge = (cells: ExecutionResult['cells'], sources = [{ cell: 5, source: 'err = gradient_check(model, loss_fn, X[:5], y[:5])' }]) =>
    judgeExecution({ ...seed000.execute!, checks: [check] }, { result: { ...empty, cells } }, sources, 1, 1)[0]!;
  const message = (scored: ReturnType<typeof judge>) => scored.checks[0]!.result.failure?.message;

  it.each([
    'gradient check, max relative error: 3.41e-08\n',
    'Gradient check (5 samples): 2.1e-09 passed\n',
    'Relative error = 2e-9\n',
    'max rel. error 0\n',
    // The check shown failing on a network broken on purpose, beside the one that passes.
    'broken backward, gradient check: 0.67\ncorrect backward, gradient check: 4e-10\n',
  ])('%j passes: the last number of the line, one below 1e-5', (printed) => {
    expect(judge([ran(printed)]).score).toBe(1);
  });

  it('an error of 1e-5 or above, or nan, fails with the number and the bound', () => {
    expect(message(judge([ran('gradient check, max relative error: 6.67e-01\n')]))).toBe("cell 5 printed 6.67e-01, not below the handout's 1e-5");
    expect(message(judge([ran('Max relative error: 1e-05\n')]))).toBe("cell 5 printed 1e-05, not below the handout's 1e-5");
    expect(judge([ran('Max relative error: nan\n')]).score).toBe(0);
  });

  it('no number printed, or only a pass/fail word, fails as missing', () => {
    expect(judge([ran('Gradient check passed!\n')]).checks[0]!.result.failure?.code).toBe('missing');
  });

  it("a cell stopped at the budget (the whole network's check) is judged on its saved outputs, and says so", () => {
    const stopped = [{ cell: 5, status: 'timed out' as const, reason: 'stopped after 30.0 s' }];
    const sources = (saved: string) => [{ cell: 5, source: 'err = gradient_check(model, loss_fn, X[:5], y[:5])', saved }];
    expect(judge(stopped, sources('gradient check: 1.2e-09\n')).score).toBe(1);
    expect(message(judge(stopped, sources('gradient check: 0.5\n')))).toBe("cell 5 timed out in the grader's run; its saved outputs show 0.5, not below the handout's 1e-5");
    // Beside a cell of the grader's run that shows the check failing on a network broken on purpose.
    expect(judge([ran('broken backward, gradient check: 0.67\n', 4), ...stopped], sources('gradient check: 1.2e-09\n')).score).toBe(1);
    // A cell that ran in the grader's run is judged on that run alone, whatever its saved outputs show.
    expect(judge([ran('gradient check: 0.5\n')], sources('gradient check: 1.2e-09\n')).score).toBe(0);
  });

  it('the assignment refuses a bound on a pattern without one group capturing the number', () => {
    const parsed = (printed: string) => ExecuteSettings.safeParse({ ...seed000.execute!, checks: [{ id: 'x', title: 'x', points: 1, printed, below: 1e-5 }] });
    expect(parsed('error: \\S+').error?.issues[0]?.message).toBe('with below:, give exactly one group (...) capturing the number');
    expect(parsed('error: (\\S+)').success).toBe(true);
  });
});

describe('figure checks: subplots, images, a heatmap, bars', () => {
  const check = (figure: Record<string, unknown>) => ExecutionCheck.parse({ id: 'fig', title: 'a figure', points: 1, figure });
  type Axes = FigureDescription['axes'][number];
  const axes = (over: Partial<Axes> = {}): Axes => ({ title: '', xlabel: '', ylabel: '', lines: [], images: [], bars: 0, colorbar: false, ...over });
  const drawn = (...figureAxes: Axes[]): ExecutionResult => ({ ...empty, figures: [{ cell: CELL, title: '', axes: figureAxes }] });
  const passes = (figure: Record<string, unknown>, result: ExecutionResult) => judgeOne(check(figure), result).checks[0]!.result.passed;
  const grid = (n: number) => Array.from({ length: n }, () => axes({ images: [[28, 28]] }));

  it('a grid of 16 images passes images: 16; a grid of 8 fails, saying what it found', () => {
    expect(passes({ images: 16 }, drawn(...grid(16)))).toBe(true);
    expect(passes({ images: 16 }, drawn(...grid(8)))).toBe(false);
    expect(judgeOne(check({ images: 16 }), drawn(...grid(8))).checks[0]!.result.failure?.message).toContain('found cell 7: 8 subplots with 0/0/0/0/0/0/0/0 lines, 8 images (28x28)');
  });

  it('an 8x8 heatmap beside its colorbar is one subplot; a 10x10 one or a printed matrix fails', () => {
    const heatmap = drawn(axes({ images: [[8, 8]] }), axes({ colorbar: true }));
    expect(passes({ heatmap: [8, 8], subplots: 1 }, heatmap)).toBe(true);
    expect(passes({ heatmap: [8, 8] }, drawn(axes({ images: [[10, 10]] })))).toBe(false);
    expect(passes({ heatmap: [8, 8] }, empty)).toBe(false);
  });

  it('bars count across the figure: 8 bars pass bars: 8, 7 fail', () => {
    expect(passes({ bars: 8 }, drawn(axes({ bars: 8 })))).toBe(true);
    expect(passes({ bars: 8 }, drawn(axes({ bars: 7 })))).toBe(false);
  });

  it('a failed figure check carries the student\'s subplots as plots for feedback.html; a passed one none', () => {
    const line = (label: string, y: number[]) => ({ label, x: [1, 2, 3], y });
    const three = drawn(axes({ title: 'mean', lines: [line('zero', [0, 0, 0]), line('xavier', [0.1, 0.2, 0.3]), line('he', [0.2, 0.3, 0.4])] }));
    const failed = judgeOne(check({ subplots: 1, lines: 4 }), three).checks[0]!.result;
    expect(failed.failure?.plots).toEqual([{ kind: 'lines', title: 'your figure, cell 7: mean', xLabel: '', yLabel: '', x: [1, 2, 3], series: ['zero', 'xavier', 'he'].map((label, i) => ({ label, role: 'student', y: three.figures[0]!.axes[0]!.lines[i]!.y })) }]);
    expect(judgeOne(check({ subplots: 1, lines: 3 }), three).checks[0]!.result.failure).toBeUndefined();
  });

  it("seed 000's Q5.3 loss curves: one plot of 4 lines of 10 epochs passes; a figure per method, Q5.2's 2-subplot figure, or a loss per batch fails; Q5.4's needs a second plot", () => {
    const seed000 = loadAssignment(path.join(import.meta.dirname, '..', '..', 'fixtures', 'assignments', 'seed-000.yaml'));
    const curves = seed000.execute!.checks.find((c) => c.id === 'loss-curves')!;
    const epochs = Array.from({ length: 10 }, (_, i) => i + 1);
    const curve = (label: string, x = epochs) => ({ label, x, y: x.map((e) => 2.3 - 0.1 * e) });
    const methods = ['zero', 'small_random', 'xavier', 'he'];
    const result = (...figures: Axes[][]): ExecutionResult => ({ ...empty, figures: figures.map((a) => ({ cell: 23, title: '', axes: a })) });
    expect(judgeOne(curves, result([axes({ lines: methods.map((m) => curve(m)) })])).score).toBe(curves.points);
    // plt.figure() inside the loop over methods: four figures of one curve each.
    const perMethod = judgeOne(curves, result(...methods.map((m) => [axes({ lines: [curve(m)] })])));
    expect(perMethod.score).toBe(0);
    const one = 'cell 23: 1 subplot with 1 lines, of 10 points';
    expect(perMethod.checks[0]!.result.failure?.message).toBe(`expected a figure of 1 subplot, 4 lines each, 10 points a line; found ${[one, one, one, one].join('; ')}`);
    expect(judgeOne(curves, result([axes({ lines: methods.map((m) => curve(m)) }), axes({ lines: methods.map((m) => curve(m)) })])).score).toBe(0);
    // A loss per batch, not per epoch: 3 epochs of 47 batches.
    const perBatch = judgeOne(curves, result([axes({ lines: methods.map((m) => curve(m, Array.from({ length: 141 }, (_, i) => i))) })]));
    expect(perBatch.checks[0]!.result.failure?.message).toBe('expected a figure of 1 subplot, 4 lines each, 10 points a line; found cell 23: 1 subplot with 4 lines, of 141 points');

    // Q5.4 draws the plot again with ReLU: its check needs a second one.
    const again = seed000.execute!.checks.find((c) => c.id === 'relu-loss-curves')!;
    const plot = () => [axes({ lines: methods.map((m) => curve(m)) })];
    expect(judgeOne(again, result(plot(), plot())).score).toBe(again.points);
    const once = judgeOne(again, result(plot()));
    expect(once.score).toBe(0);
    expect(once.checks[0]!.result.failure?.message).toBe('expected 2 figures of 1 subplot, 4 lines each, 10 points a line (this task draws again what an earlier one drew); found 1, in cell 23');
  });

  it("seed 000's Q4.2 curves: train and validation over 30 epochs, side by side or as two figures; 10 epochs fail", () => {
    const seed000 = loadAssignment(path.join(import.meta.dirname, '..', '..', 'fixtures', 'assignments', 'seed-000.yaml'));
    const curves = seed000.execute!.checks.find((c) => c.id === 'training-curves')!;
    const pair = (epochs: number) => axes({ lines: ['train', 'val'].map((label) => ({ label, x: Array.from({ length: epochs }, (_, i) => i + 1), y: Array(epochs).fill(1) })) });
    const figures = (...f: Axes[][]): ExecutionResult => ({ ...empty, figures: f.map((a) => ({ cell: 11, title: '', axes: a })) });
    expect(judgeOne(curves, figures([pair(30), pair(30)])).score).toBe(1);
    expect(judgeOne(curves, figures([pair(30)], [pair(30)])).score).toBe(1);
    expect(judgeOne(curves, figures([pair(10), pair(10)])).checks[0]!.result.failure?.message).toBe('expected a figure of 2 lines each, 30 points a line; found cell 11: 2 subplots with 2/2 lines, of 10 points');
  });

  it('a figure check that says nothing it looks at is refused', () => {
    expect(() => check({ titles: ['x'] })).toThrow(/say what the figure shows/);
  });
});

describe('which call a check is judged on, over a whole notebook', () => {
  const callChecks = settings.checks.filter((c): c is CallCheck => 'call' in c);
  // One cell per task, in the handout's order (cells 10, 12, 14, ...), each call built to satisfy its check.
  const notebook = (calls: readonly RecordedCall[]): ExecutionResult => ({ ...empty, cells: calls.map((c) => ({ cell: c.cell!, status: 'ran' as const })), calls: [...calls] });
  const inOrder = callChecks.map((check, i) => ({ ...callFor(check), cell: 10 + 2 * i }));
  const judgeAll = (result: ExecutionResult) => judgeExecution({ ...settings, checks: callChecks }, { result }, [], 1, 1);
  const failedMessages = (result: ExecutionResult) => judgeAll(result).flatMap((p) => p.checks.filter((c) => !c.result.passed).map((c) => `${p.id}: ${c.result.failure?.message}`));

  it('every task in its own cell passes; so do two tasks done out of order', () => {
    expect(failedMessages(notebook(inOrder))).toEqual([]);
    const i = callChecks.findIndex((c) => c.id === 'network-four-layers');
    const swapped = inOrder.map((c, k) => (k === i ? { ...inOrder[i + 1]!, cell: c.cell } : k === i + 1 ? { ...inOrder[i]!, cell: c.cell } : c));
    expect(failedMessages(notebook(swapped))).toEqual([]);
  });

  it('a task done wrong is judged on its own cell, between its neighbours\' cells, whatever other cell looks closer', () => {
    for (const [k, check] of callChecks.entries()) {
      if (!check.network) continue;
      const wrong = inOrder.map((c, j) => (j === k ? { ...callFor(check, 'network'), cell: c.cell } : c));
      const failed = failedMessages(notebook(wrong));
      expect(failed.length, check.id).toBeGreaterThan(0);
      expect(failed.every((m) => m.startsWith(`${check.id}: `)), failed.join('\n')).toBe(true);
      expect(failed[0], check.id).toContain(`by the notebook's order the one for this task, cell ${10 + 2 * k}`);
    }
  });
});

describe.each(settings.checks.filter((c): c is ValueCheck => 'value' in c).map((c) => [c.id, c] as const))('%s', (_id, check) => {
  const expected = typeof check.expected === 'object' && !Array.isArray(check.expected) ? REFERENCES[check.expected.reference]() : [check.expected].flat();
  const withValue = (value: number[]) => ({ ...empty, values: { [check.value]: { kind: 'array' as const, dtype: 'float32', shape: [value.length], value } } });

  it('the reference value passes; off by ten times the tolerance, or of another length, fails', () => {
    expect(judgeOne(check, withValue(expected)).score).toBe(check.points);
    const off = expected.map((e, i) => (i === 0 ? e + 10 * (check.tolerance.atol + check.tolerance.rtol * Math.abs(e)) : e));
    expect(judgeOne(check, withValue(off)).checks[0]!.result.failure?.code).toBe('value_mismatch');
    expect(judgeOne(check, withValue(expected.slice(1))).checks[0]!.result.failure?.code).toBe('wrong_shape');
    expect(judgeOne(check, empty).checks[0]!.result.failure?.code).toBe('missing');
  });
});

const seedChecks = (file: string) => loadAssignment(path.join(import.meta.dirname, '..', '..', 'fixtures', 'assignments', file)).execute!.checks;

describe('model checks (seed 004 autoencoder)', () => {
  const check = seedChecks('seed-004.yaml').find((c): c is ModelCheck => 'model' in c && c.id === 'autoencoder')!;
  const forward = check.forward!;
  const good = () => ({
    kind: 'module' as const,
    type: 'Autoencoder',
    layers: 'Autoencoder[...]',
    leaves: concrete(check.layers!),
    parameters: check.parameters!,
    trainable: check.parameters!,
    forward: { input: forward.input as number[], shape: forward.output!, min: forward.range![0], max: forward.range![1], finite: true },
  });
  const key = constructionsOf(check)[0]!.key;
  const judge = (model: ExecutionResult['models'][string] | undefined) => judgeOne(check, { ...empty, models: model === undefined ? {} : { [key]: model } });
  const failed = (model: ExecutionResult['models'][string] | undefined) => judge(model).checks.filter((c) => !c.result.passed).map((c) => c.result.check);

  it('a model built to satisfy it passes; each change fails its aspect alone', () => {
    expect(failed(good())).toEqual([]);
    expect(failed({ ...good(), leaves: good().leaves.replace('Linear(128, 64)', 'Linear(128, 32)') })).toEqual(['layers']);
    expect(failed({ ...good(), parameters: check.parameters! + 1 })).toEqual(['parameters']);
    expect(failed({ ...good(), forward: { ...good().forward, shape: [5, 28, 28] } })).toEqual(['forward']);
    expect(failed({ ...good(), forward: { ...good().forward, max: 1.5 } })).toEqual(['forward']);
    expect(failed({ ...good(), forward: { input: forward.input as number[], shape: forward.output!, min: null, max: null, finite: false } })).toEqual(['forward']);
  });

  it('a model that cannot be built, or is not there, fails every aspect, saying why', () => {
    expect(judge({ error: 'TypeError: __init__() missing 1 required positional argument' }).checks.every((c) => c.result.failure?.code === 'raised')).toBe(true);
    expect(judge(undefined).checks.every((c) => c.result.failure?.code === 'missing')).toBe(true);
    expect(judge(undefined).checks[0]!.result.failure?.message).toContain(`${check.model} is not defined after the notebook ran`);
  });

  it('a model class the notebook defines under another name is pointed at, and still not graded as the handout\'s', () => {
    // Seed 001's student wrote the starter's InitMLP as MLP_Layer; here the Autoencoder as AE.
    const sources = [
      { cell: 3, source: 'import torch.nn as nn' },
      { cell: 5, source: 'class Helper:\n    pass\n\nclass AE(nn.Module):\n    def __init__(self):\n        super().__init__()' },
    ];
    const scored = judgeExecution({ ...settings, checks: [check] }, { result: empty }, sources, 1, 1)[0]!;
    expect(scored.score).toBe(0);
    expect(scored.checks[0]!.result.failure?.message).toBe(`${check.model} is not defined after the notebook ran (no cell assigns it); the notebook defines the nn.Module class AE (cell 5), but the handout asks for the class ${check.model}`);
    // Defined under its own name (whatever else the notebook defines), nothing is pointed at.
    const own = [...sources, { cell: 6, source: `class ${check.model}(nn.Module):\n    pass` }];
    expect(judgeExecution({ ...settings, checks: [check] }, { result: empty }, own, 1, 1)[0]!.checks[0]!.result.failure?.message).not.toContain('the notebook defines');
  });
});

// Every model check of the seeds, construction by construction: a model built to satisfy each of its aspects (its
// weights and forward pass synthesized in float32: grader/execution/float32-model.ts) passes; changing one thing of
// one construction fails exactly the aspect that judges it there (the check's, or the build's own).
const MODEL_CHECKS = [...seedChecks('seed-000.yaml'), ...seedChecks('seed-004.yaml')].filter((c): c is ModelCheck => 'model' in c);

describe.each(MODEL_CHECKS.map((c) => [c.id, c] as const))('model check %s', (_id, check) => {
  const constructions = constructionsOf(check);
  const want = <K extends Judged>(c: Construction, kind: K) => (c.own[kind] ?? check[kind]) as ModelCheck[K];
  const aspectId = (c: Construction, kind: Judged) => (check[kind] !== undefined ? kind : `${kind}-${c.slug}`);
  // What a correct model's forward pass applies after each Linear, from what it must compute (ReLU, then the logits).
  const steps = (c: Construction): Step[] => (want(c, 'computes') ? planOf(parseStack(want(c, 'computes')!)).after.map((fns) => fns[0] ?? 'nothing') : ['ReLU', 'nothing']);
  const WRONG_STEP: Record<Step, Step> = { ReLU: 'nothing', Tanh: 'Sigmoid', Sigmoid: 'Tanh', nothing: 'Softmax', Softmax: 'nothing', LogSoftmax: 'nothing' };
  const WRONG_METHOD: Record<string, InitMethod> = { zero: 'he', small_random: 'he', xavier: 'small_random', he: 'small_random' };

  function built(c: Construction, change?: Judged): { report: ExecutionResult['models'][string]; state: ModelState } {
    const forward = want(c, 'forward');
    const input = forward ? (typeof forward.input[0] === 'number' ? (forward.input as number[]) : (forward.input as number[][])[0]!) : [4, 10];
    const output = forward?.output ?? [4, 3];
    const [min, max] = forward?.range ?? [-1, 1];
    const stepsOf = steps(c);
    const method = want(c, 'weights');
    const state = float32State({
      sizes: [10, ...stepsOf.slice(1).map(() => 8), 3],
      steps: change === 'computes' ? [WRONG_STEP[stepsOf[0]!], ...stepsOf.slice(1)] : stepsOf,
      ...(method ? { method: change === 'weights' ? WRONG_METHOD[method]! : method } : {}),
      randomBiases: change === 'biases',
    });
    const parameters = (want(c, 'parameters') ?? 1) + (change === 'parameters' ? 1 : 0);
    const report = {
      kind: 'module' as const,
      type: check.model,
      layers: change === 'network' ? 'Nothing()' : concrete(want(c, 'network') ?? 'Model[...]'),
      leaves: change === 'layers' ? 'Nothing()' : concrete(want(c, 'layers') ?? 'Linear(10, 8)'),
      parameters,
      trainable: parameters,
      forward: { input, shape: change === 'forward' ? [1] : output, min, max, finite: true },
    };
    return { report, state };
  }

  const judgeWith = (changed?: { c: Construction; kind: Judged }) => {
    const parts = constructions.map((c) => [c.key, built(c, changed?.c === c ? changed.kind : undefined)] as const);
    const result: ExecutionResult = { ...empty, models: Object.fromEntries(parts.map(([k, b]) => [k, b.report])), states: Object.fromEntries(parts.map(([k, b]) => [k, b.state])) };
    return judgeOne(check, result).checks.filter((c) => !c.result.passed).map((c) => `${c.result.check}: ${c.result.failure?.message}`);
  };

  it('a model built to satisfy every aspect passes', () => {
    expect(judgeWith()).toEqual([]);
  });

  const readsState = (c: Construction) => (['computes', 'weights', 'biases'] as const).filter((kind) => want(c, kind) !== undefined);
  it.runIf(constructions.some((c) => readsState(c).length > 0))('a model whose state could not be read fails what needs it, saying why, and nothing else', () => {
    const c = constructions.find((x) => readsState(x).length > 0)!;
    const parts = constructions.map((x) => [x.key, built(x)] as const);
    const result: ExecutionResult = {
      ...empty,
      models: Object.fromEntries(parts.map(([k, b]) => [k, b.report])),
      states: Object.fromEntries(parts.filter(([k]) => k !== c.key).map(([k, b]) => [k, b.state])),
      stateErrors: { [c.key]: 'a response exceeded 16777216 bytes' },
    };
    const failed = judgeOne(check, result).checks.filter((x) => !x.result.passed);
    expect(failed.map((x) => x.result.check).sort()).toEqual(readsState(c).map((kind) => aspectId(c, kind)).sort());
    for (const x of failed) expect(x.result.failure?.message).toContain('its weights could not be read (a response exceeded 16777216 bytes)');
  });

  const changes = constructions.flatMap((c) => JUDGED.filter((kind) => want(c, kind) !== undefined).map((kind) => ({ c, kind, label: `${kind} of ${c.label}` })));
  it.each(changes)('changing the $label fails that aspect alone', ({ c, kind }) => {
    const failed = judgeWith({ c, kind });
    expect(failed.map((f) => f.split(':')[0])).toEqual([aspectId(c, kind)]);
    expect(failed[0]).toContain(c.label);
  });
});

describe('a model check of any nn.Module class (seed 002 Q3: the handout names no class)', () => {
  const check = ExecutionCheck.parse({ id: 'any', title: 'a classifier', points: 1, model: 'any nn.Module class', parameters: 10 }) as ModelCheck;
  const sources = [
    { cell: 3, source: 'import torch\nclass Block(torch.nn.Module):\n    pass\n' },
    { cell: 5, source: 'class DenseNN(torch.nn.Module):\n    def __init__(self):\n        super().__init__()\n' },
    { cell: 6, source: 'model = DenseNN()\n' },
  ];

  it('judges the last class the notebook defines, by its name', () => {
    expect(resolveModelClass(check, sources).model).toBe('DenseNN');
    const scored = judgeExecution({ ...settings, checks: [check] }, { result: { ...empty, cells: sources.map((s) => ({ cell: s.cell, status: 'ran' as const })) } }, sources, 1, 1)[0]!;
    expect(scored.checks[0]!.result.failure?.message).toBe('DenseNN is not defined after the notebook ran (defined in cell 5, which ran)');
  });

  it('with no class defined, keeps saying what it looks for', () => {
    expect(resolveModelClass(check, [{ cell: 1, source: 'x = 1\n' }]).model).toBe('any nn.Module class');
  });
});

describe('a helper called with keyword arguments (run_test(net=..., optmaker=...))', () => {
  const check = settings.checks.find((c): c is CallCheck => c.id === 'sigmoid-network')!;
  it('is judged on the module and the factory it was given by name, in either order', () => {
    const call = callFor(check);
    const byName = { ...call, args: [], kwargs: { optmaker: call.args[1]!, net: call.args[0]! } };
    expect(judgeOne(check, { ...empty, calls: [byName] }).checks.filter((c) => !c.result.passed)).toEqual([]);
    const mixed = { ...call, args: [call.args[0]!], kwargs: { optmaker: call.args[1]! } };
    expect(judgeOne(check, { ...empty, calls: [mixed] }).checks.filter((c) => !c.result.passed)).toEqual([]);
  });
});

describe('a value written as a pair of 0-d tensors ("a pair of means, one for each dimension")', () => {
  const check = settings.checks.find((c): c is ValueCheck => c.id === 'mean-grads')!;
  it('is judged on its numbers in order', () => {
    const [m0, m1] = REFERENCES['bowl-sgd-mean-gradient']() as [number, number];
    const zeroD = (v: number) => ({ kind: 'array' as const, dtype: 'float32', shape: [], value: v });
    const pair = (a: number, b: number) => ({ ...empty, values: { mean_grads: { kind: 'list' as const, items: [zeroD(a), zeroD(b)] } } });
    expect(judgeOne(check, pair(m0, m1)).checks[0]!.result.passed).toBe(true);
    expect(judgeOne(check, pair(m1, m0)).checks[0]!.result.failure?.message).toMatch(/^mean_grads \(.*\) is \[/);
  });
});

describe('a value check with cell: (seed 003 2.1: a later cell computes mean_grads again)', () => {
  const check = settings.checks.find((c): c is ValueCheck => c.id === 'mean-grads')!;
  const sources = [
    { cell: 7, source: 'grads = torch.stack(grads)\nmean_grads = grads.mean(dim=0)\n' },
    { cell: 11, source: '# the ADAM test\nmean_grads = adam_grads.mean(dim=0)\n' },
  ];
  const array = (value: number[]) => ({ kind: 'array' as const, dtype: 'float32', shape: [value.length], value });
  const right = REFERENCES['bowl-sgd-mean-gradient']();
  const judge = (values: ExecutionResult['values']) => judgeExecution({ ...settings, checks: [check] }, { result: { ...empty, values } }, sources, 1, 1)[0]!;

  it('is judged as its own cell left the value, not as the end of the notebook did', () => {
    expect(check.cell).toBeDefined();
    expect(judge({ 'mean_grads#7': array(right), mean_grads: array([-0.49, 0.058]) }).checks[0]!.result.passed).toBe(true);
    expect(judge({ 'mean_grads#7': array([-0.49, 0.058]), mean_grads: array(right) }).checks[0]!.result.passed).toBe(false);
  });
});
