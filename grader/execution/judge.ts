// Judging what an executed notebook left behind against an assignment's `execute:` checks. Each check becomes
// one scored entry of the report (its aspects are its checks, sharing its points equally), so every renderer
// shows it as it shows a problem; every failure names the cell it is about and what was expected and found.

import type { FailureData, Plot, Value } from '../../src/failure.ts';
import type { CheckResult } from '../../src/runner.ts';
import { isNotJudgedHere } from '../../src/unjudged.ts';
import { type ScoredProblem, scoreProblem } from '../score.ts';
import { type Aspect, assigningCells, cellPhrase, describedNumbers, fail, firstCellMatching, flatNumbers, layerPattern, resolveModelClass, troubleSentence } from './aspect.ts';
import { judgeDescent } from './descent.ts';
import { judgeInitialised, layerDistributions } from './judge-init.ts';
import { judgeModel } from './model.ts';
import { expectedNumbers } from './references.ts';
import { judgePrinted } from './printed.ts';
import { judgeTrained } from './trained.ts';
import { type MarkdownCell, judgeWritten } from './written.ts';
import { type Described, type ExecutionResult, type FigureDescription, type ModuleDescription, type NotebookCellSource, type RecordedCall, snapshotKey } from './run.ts';
import type { CallCheck, ExecuteSettings, ExecutionCheck, FigureCheck, TrainedCheck, ValueCheck } from './schema.ts';

const short = (xs: readonly number[]) => `[${xs.map((x) => Number(x.toPrecision(6))).join(', ')}]`;

function judgeValue(check: ValueCheck, result: ExecutionResult, sources: readonly NotebookCellSource[]): Aspect[] {
  const title = `${check.value} after running the notebook`;
  const where = cellPhrase(assigningCells(check.value, sources), result.cells);
  const at = check.cell === undefined ? undefined : firstCellMatching(check.cell, sources);
  const found = result.values[snapshotKey(check.value, at)];
  const expected = expectedNumbers(check.expected);
  const tolerance = { ...check.tolerance };
  if (found === undefined) return [{ id: 'value', title, failure: fail('missing', `${check.value} is not defined after the notebook ran (${where})`) }];
  const received = describedNumbers(found);
  if (received === undefined) return [{ id: 'value', title, failure: fail('wrong_type', `${check.value} (${where}) is a ${'type' in found ? found.type : found.kind}, not numbers`) }];
  if (received.length !== expected.length) {
    return [{ id: 'value', title, failure: fail('wrong_shape', `${check.value} (${where}) has ${received.length} numbers, expected ${expected.length}`, { expected: expected as Value, received: received as Value }) }];
  }
  let worst: { index: number; delta: number; allowed: number } | undefined;
  received.forEach((r, i) => {
    const e = expected[i]!;
    const delta = Math.abs(r - e);
    const allowed = tolerance.atol + tolerance.rtol * Math.abs(e);
    if (!(delta <= allowed) && (worst === undefined || delta - allowed > worst.delta - worst.allowed)) worst = { index: i, delta: Number.isFinite(delta) ? delta : Infinity, allowed };
  });
  if (worst === undefined) return [{ id: 'value', title }];
  return [
    {
      id: 'value',
      title,
      failure: fail('value_mismatch', `${check.value} (${where}) is ${short(received)}, expected ${short(expected)}: entry ${worst.index} is off by ${worst.delta.toPrecision(3)} (allowed ${worst.allowed.toPrecision(3)}: ${tolerance.reason})`, {
        expected: expected as Value,
        received: received as Value,
        tolerance,
      }),
    },
  ];
}

function networkOf(arg: Described | undefined): ModuleDescription | undefined {
  if (arg?.kind !== 'module') return undefined;
  return arg.parts?.['net'] ?? Object.values(arg.parts ?? {}).find((p) => !p.type.endsWith('Loss')) ?? arg;
}

function lossOf(arg: Described | undefined): string | undefined {
  if (arg?.kind !== 'module') return undefined;
  return Object.values(arg.parts ?? {}).find((p) => p.type.endsWith('Loss'))?.type;
}

const sameNumber = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/**
 * The model and the optimizer factory a helper was given, positionally or by keyword (`run_test(net=..., optmaker=...)`):
 * the first module and the first factory among its arguments, else what stands in their places.
 */
function callArguments(call: RecordedCall): { model: Described | undefined; factory: Described | undefined } {
  const given = [...call.args, ...Object.values(call.kwargs)];
  return { model: given.find((a) => a.kind === 'module') ?? call.args[0], factory: given.find((a) => a.kind === 'factory') ?? call.args[1] };
}

/** The aspects of one recorded call against a call check (each aspect the check states). */
function callAspects(check: CallCheck, call: RecordedCall): Aspect[] {
  const at = `cell ${call.cell ?? '?'}`;
  const { model, factory } = callArguments(call);
  const net = networkOf(model);
  const aspects: Aspect[] = [];
  if (check.wrapper !== undefined) {
    const found = model?.kind === 'module' ? model.type : 'nothing';
    aspects.push({ id: 'wrapper', title: `${check.call} is given a ${check.wrapper}`, ...(found === check.wrapper ? {} : { failure: fail('value_mismatch', `${at}: ${check.call} is given a ${found}, expected a ${check.wrapper}`, { expected: check.wrapper, received: found }) }) });
  }
  if (check.network !== undefined) {
    const found = net?.layers ?? 'no network';
    const ok = net !== undefined && layerPattern(check.network).test(found.replace(/\s+/g, ''));
    aspects.push({ id: 'network', title: `the network's layers: ${check.network}`, ...(ok ? {} : { failure: fail('value_mismatch', `${at}: the network is ${found}; expected ${check.network} (* is any size, ... any layers)`, { expected: check.network, received: found }) }) });
  }
  if (check.parameters !== undefined) {
    const found = net?.parameters;
    aspects.push({ id: 'parameters', title: `the network has ${check.parameters} parameters`, ...(found === check.parameters ? {} : { failure: fail('value_mismatch', `${at}: the network has ${found ?? 'no'} parameters, expected ${check.parameters}`, { expected: check.parameters, received: found ?? null }) }) });
  }
  if (check.loss !== undefined) {
    const found = lossOf(model) ?? 'no loss';
    aspects.push({ id: 'loss', title: `the loss is ${check.loss}`, ...(found === check.loss ? {} : { failure: fail('value_mismatch', `${at}: the loss is ${found}, expected ${check.loss}`, { expected: check.loss, received: found }) }) });
  }
  if (check.optimizer !== undefined) {
    const { builds, ...hyper } = check.optimizer;
    const title = `the optimizer: ${builds}(${Object.entries(hyper).map(([k, v]) => `${k}=${String(v)}`).join(', ')})`;
    let failure: FailureData | undefined;
    if (factory?.kind !== 'factory') failure = fail('value_mismatch', `${at}: ${check.call}'s second argument is not an optimizer factory (lambda p: ...)`);
    else if (factory.error !== undefined) failure = fail('raised', `${at}: the optimizer factory raised ${factory.error}`);
    else if (factory.builds !== builds) failure = fail('value_mismatch', `${at}: the factory builds a ${factory.builds}, expected a ${builds}`, { expected: builds, received: factory.builds ?? null });
    else {
      const wrong = Object.entries(hyper).filter(([k, v]) => {
        const got = factory.hyperparameters?.[k];
        const want = flatNumbers(v)!;
        const have = flatNumbers(got);
        return have === undefined || have.length !== want.length || have.some((h, i) => !sameNumber(h, want[i]!));
      });
      if (wrong.length > 0) {
        failure = fail('value_mismatch', `${at}: ${builds} gets ${wrong.map(([k, v]) => `${k}=${JSON.stringify(factory.hyperparameters?.[k] ?? 'unset')} (expected ${JSON.stringify(v)})`).join(', ')}`, {
          expected: Object.fromEntries(wrong) as Value,
          received: Object.fromEntries(wrong.map(([k]) => [k, factory.hyperparameters?.[k] ?? null])) as Value,
        });
      }
    }
    aspects.push({ id: 'optimizer', title, ...(failure ? { failure } : {}) });
  }
  return aspects;
}

/**
 * The call each call check that no call matches in full is judged on, chosen over all the checks of a helper
 * together. A handout's configuration cells come in the order of its tasks, and its checks are listed in that
 * order, so each check is placed on a call, in order (a call may serve several checks, as one seed 003 cell
 * serves tasks 3.6 and 3.8), maximising full matches first, then how close the others come, and sharing a call
 * only where that buys a full match. Seed 003's 3.10 left at width 64 is then judged on its own cell, between
 * 3.8's and 3.11's, not on the BatchNorm cell that shares more layers with 3.10's pattern.
 */
function placeCalls(checks: readonly ExecutionCheck[], result: ExecutionResult): Map<CallCheck, RecordedCall> {
  const FULL = 1e6; // a full match outweighs everything else
  const SHARED = 1e4; // a call serving the check before too: more than any partial closeness (1000 an aspect)
  const placed = new Map<CallCheck, RecordedCall>();
  const callChecks = checks.filter((c): c is CallCheck => 'call' in c);
  for (const helper of new Set(callChecks.map((c) => c.call))) {
    const mine = callChecks.filter((c) => c.call === helper);
    const calls = result.calls.filter((c) => c.helper === helper);
    if (calls.length === 0) continue;
    const ranks = mine.map((check) => calls.map((call) => callRank(check, call)));
    const fullSomewhere = ranks.map((row) => row.some((r) => r.full));
    const score = (i: number, j: number) => (fullSomewhere[i] ? (ranks[i]![j]!.full ? FULL : 0) : ranks[i]![j]!.closeness);
    // total[i][j]: the best score of checks 0..i with check i on call j; from[i][j]: check i-1's call then.
    const total = mine.map(() => new Array<number>(calls.length).fill(0));
    const from = mine.map(() => new Array<number>(calls.length).fill(0));
    calls.forEach((_, j) => (total[0]![j] = score(0, j)));
    for (let i = 1; i < mine.length; i++) {
      for (let j = 0; j < calls.length; j++) {
        let best = -Infinity;
        for (let k = 0; k <= j; k++) {
          const value = total[i - 1]![k]! - (k === j ? SHARED : 0);
          if (value > best) [best, from[i]![j]] = [value, k];
        }
        total[i]![j] = best + score(i, j);
      }
    }
    let j = total.at(-1)!.indexOf(Math.max(...total.at(-1)!));
    for (let i = mine.length - 1; i >= 0; i--) {
      if (!fullSomewhere[i]) placed.set(mine[i]!, calls[j]!);
      j = from[i]![j]!;
    }
  }
  return placed;
}

/** How well a call fits a check: every aspect passing, or how many do and how many layers its network shares. */
function callRank(check: CallCheck, call: RecordedCall): { full: boolean; closeness: number } {
  const aspects = callAspects(check, call);
  const passing = aspects.filter((a) => a.failure === undefined).length;
  return { full: passing === aspects.length, closeness: 1000 * passing + sharedLayers(check.network, networkOf(callArguments(call).model)?.layers) };
}

function judgeCall(check: CallCheck, result: ExecutionResult, placed: RecordedCall | undefined): Aspect[] {
  const calls = result.calls.filter((c) => c.helper === check.call);
  if (calls.length === 0) {
    const trouble = troubleSentence(result.cells);
    const none = callAspects(check, { helper: check.call, cell: null, args: [], kwargs: {} });
    return none.map((a) => ({ id: a.id, title: a.title, failure: fail('missing', `no cell calls ${check.call}${trouble ? `; ${trouble}` : ''}`) }));
  }
  // A call matching in full passes the check; otherwise the call placed for it by the notebook's order.
  const full = calls.map((call) => callAspects(check, call)).find((aspects) => aspects.every((a) => a.failure === undefined));
  if (full) return full;
  const call = placed ?? calls[0]!;
  const cells = calls.map((c) => c.cell).join(', ');
  const trouble = troubleSentence(result.cells);
  const say = (message: string) => `${calls.length === 1 ? message : `of the ${check.call} calls (cells ${cells}) none matches; by the notebook's order the one for this task, ${message}`}${trouble ? `; ${trouble}` : ''}`;
  return callAspects(check, call).map((a) => (a.failure ? { ...a, failure: { ...a.failure, message: say(a.failure.message) } } : a));
}

/** How many of a pattern's layers (a `*` matching any size) a network has, counted with multiplicity. */
function sharedLayers(pattern: string | undefined, layers: string | undefined): number {
  if (pattern === undefined || layers === undefined) return 0;
  const tokens = (text: string) => text.replace(/\s+/g, '').match(/\w+\([^()]*\)/g) ?? [];
  const left = tokens(layers);
  let shared = 0;
  for (const want of tokens(pattern)) {
    const k = left.findIndex((t) => layerPattern(want).test(t));
    if (k >= 0) {
      left.splice(k, 1);
      shared++;
    }
  }
  return shared;
}

/** The subplots a student drew: a colorbar's own axes left out. */
const subplotsOf = (f: FigureDescription) => f.axes.filter((a) => !a.colorbar);
const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

function figureSummary(f: FigureDescription): string {
  const axes = subplotsOf(f);
  const images = axes.flatMap((a) => a.images);
  const bars = axes.reduce((s, a) => s + a.bars, 0);
  return [
    `cell ${f.cell}: ${plural(axes.length, 'subplot')} with ${axes.map((a) => a.lines.length).join('/')} lines`,
    ...(axes.some((a) => a.lines.length) ? [`of ${[...new Set(axes.flatMap((a) => a.lines.map((l) => l.x.length)))].join('/')} points`] : []),
    ...(images.length ? [`${plural(images.length, 'image')} (${[...new Set(images.map(([r, c]) => `${r}x${c}`))].join(', ')})`] : []),
    ...(bars ? [plural(bars, 'bar')] : []),
  ].join(', ');
}

/** What a figure check asks, in words. */
function figureTitle(want: FigureCheck['figure']): string {
  const parts = [
    ...(want.subplots !== undefined ? [plural(want.subplots, 'subplot')] : []),
    ...(want.lines !== undefined ? [`${plural(want.lines, 'line')} each`] : []),
    ...(want.points !== undefined ? [`${plural(want.points, 'point')} a line`] : []),
    ...(want.images !== undefined ? [plural(want.images, 'image')] : []),
    ...(want.heatmap !== undefined ? [`a heatmap of ${want.heatmap[0]}x${want.heatmap[1]}`] : []),
    ...(want.bars !== undefined ? [plural(want.bars, 'bar')] : []),
  ];
  // A task that draws an earlier task's figure again needs both.
  return `${want.count ? `${want.count} figures` : 'a figure'} of ${parts.join(', ')}`;
}

function judgeFigure(check: FigureCheck, result: ExecutionResult): Aspect[] {
  const want = check.figure;
  const title = figureTitle(want);
  const matches = (f: FigureDescription) => {
    const axes = subplotsOf(f);
    const images = axes.flatMap((a) => a.images);
    return (
      (want.subplots === undefined || axes.length === want.subplots) &&
      (want.lines === undefined || axes.every((a) => a.lines.length === want.lines)) &&
      (want.points === undefined || axes.every((a) => a.lines.every((l) => l.x.length === want.points))) &&
      (want.images === undefined || images.length === want.images) &&
      (want.heatmap === undefined || images.some(([r, c]) => r === want.heatmap![0] && c === want.heatmap![1])) &&
      (want.bars === undefined || axes.reduce((s, a) => s + a.bars, 0) === want.bars) &&
      // Each title a pattern (any case) in the figure's title, a subplot's title or its y label.
      (want.titles ?? []).every((t) => [f.title, ...axes.flatMap((a) => [a.title, a.ylabel])].some((x) => new RegExp(t, 'i').test(x)))
    );
  };
  const count = want.count ?? 1;
  const matching = result.figures.filter(matches);
  if (matching.length >= count) return [{ id: 'figure', title }];
  if (matching.length > 0) {
    const drawn = matching.map((f) => `cell ${f.cell}`).join(', ');
    return [{ id: 'figure', title, failure: fail('missing', `expected ${title} (this task draws again what an earlier one drew); found ${matching.length}, in ${drawn}`) }];
  }
  const found = result.figures.length === 0 ? 'no figures' : result.figures.map(figureSummary).join('; ');
  const trouble = troubleSentence(result.cells);
  const plots = result.figures.flatMap(drawnLines).slice(0, FIGURE_PLOTS_CAP);
  return [{ id: 'figure', title, failure: fail(result.figures.length === 0 ? 'missing' : 'value_mismatch', `expected ${title}${want.titles ? ` titled ${want.titles.join(', ')}` : ''}; found ${found}${trouble ? `; ${trouble}` : ''}`, plots.length ? { plots } : {}) }];
}

/** Subplots of the student's figures drawn again in feedback.html beside the message: a handful, of a size a
 * report carries (a loss curve of 500 epochs, a statistic per layer). */
const FIGURE_PLOTS_CAP = 4;
const FIGURE_SERIES_CAP = 8;
const FIGURE_POINTS_CAP = 500;

/** A subplot's lines as a plot of the feedback (those sharing the first line's x, every point finite). */
function drawnLines(f: FigureDescription): Plot[] {
  return subplotsOf(f).flatMap((a, i): Plot[] => {
    const first = a.lines[0];
    const finite = (xs: readonly (number | null)[]): xs is number[] => xs.every((v) => v !== null);
    if (!first || !finite(first.x)) return [];
    const x = first.x;
    if (x.length > FIGURE_POINTS_CAP) return [];
    const shared = a.lines.filter((l) => l.x.length === x.length && l.x.every((v, k) => v === x[k]) && finite(l.y));
    const series = shared.slice(0, FIGURE_SERIES_CAP).map((l) => ({ label: l.label, role: 'student' as const, y: l.y as number[] }));
    const title = `your figure, cell ${f.cell}${subplotsOf(f).length > 1 ? `, subplot ${i + 1}` : ''}${a.title ? `: ${a.title}` : ''}`;
    return series.length ? [{ kind: 'lines', title, xLabel: a.xlabel, yLabel: a.ylabel, x, series }] : [];
  });
}

/** The trained: check whose result `check` must beat (`beats:`), among the checks graded here. */
function beatenBy(check: ExecutionCheck, checks: readonly ExecutionCheck[]): TrainedCheck | undefined {
  const beats = 'trained' in check ? check.trained.beats : undefined;
  const beaten = beats === undefined ? undefined : checks.find((c) => c.id === beats);
  return beaten && 'trained' in beaten ? beaten : undefined;
}

function aspectsOf(check: ExecutionCheck, checks: readonly ExecutionCheck[], result: ExecutionResult, sources: readonly NotebookCellSource[], placed: ReadonlyMap<CallCheck, RecordedCall>, markdown: readonly MarkdownCell[]): Aspect[] {
  if ('written' in check) return judgeWritten(check, expectedNumbers(check.written.expected), markdown, result);
  if ('initialised' in check) return judgeInitialised(check, result, sources);
  if ('value' in check) return judgeValue(check, result, sources);
  if ('call' in check) return judgeCall(check, result, placed.get(check));
  if ('model' in check) return judgeModel(resolveModelClass(check, sources), result, sources);
  if ('figure' in check) return judgeFigure(check, result);
  if ('trained' in check) return judgeTrained(check, result, sources, beatenBy(check, checks));
  if ('descent' in check) return judgeDescent(check, result, sources);
  return judgePrinted(check, result, sources);
}

/**
 * Asks the reference what the judge of `check` will ask it from the assignment's settings alone (the numbers a
 * value or written check expects, the distribution of each layer of an initialised one), and nothing that depends
 * on a student's values: what a self-check records of an executed check (grader/self-check/record-entry.ts).
 */
export function askReferenceFromSettings(check: ExecutionCheck): void {
  if ('written' in check) expectedNumbers(check.written.expected);
  else if ('initialised' in check) layerDistributions(check);
  else if ('value' in check) expectedNumbers(check.expected);
}

/**
 * The check's aspects, or, in a self-check whose reference answers do not reach it (a model run against the
 * reference on the student's own weights: src/unjudged.ts), one aspect saying it was not judged here.
 */
function judgedHere(check: ExecutionCheck, judge: () => Aspect[]): Aspect[] {
  try {
    return judge();
  } catch (error) {
    if (!isNotJudgedHere(error)) throw error;
    return [{ id: 'judged', title: `${check.title}: judged against the reference`, unjudged: true }];
  }
}

/**
 * One check's aspects as a scored report entry, numbered after the assignment's problems: its points shared
 * equally by its aspects, scored as a problem is (a priced named mistake that explains every failed aspect
 * costs its deduction).
 */
function scored(check: ExecutionCheck, aspects: readonly Aspect[], number: number, seed: number): ScoredProblem {
  const results = aspects.map((a): CheckResult => ({
    problem: check.id,
    check: a.id,
    title: a.title,
    passed: a.failure === undefined,
    numRuns: 1,
    seed,
    ...(a.failure ? { failure: a.failure } : {}),
    ...(a.diagnosis?.length ? { diagnosis: a.diagnosis } : {}),
    ...(a.unjudged ? { unjudged: 1 } : {}),
  }));
  const settings = { id: check.id, points: check.points, visibility: check.visibility, checks: {}, mistakes: 'mistakes' in check ? check.mistakes : {} };
  const problem = scoreProblem(settings, { problem: check.id, title: check.title, checks: results }, number - 1);
  return check.bonus ? { ...problem, bonus: true } : problem;
}

/**
 * The execute: checks judged on an execution's result; `firstNumber` is the report number of the first (after
 * the problems). When the execution itself failed (the process died or overran everything), each check fails
 * with that reason (a written check, which needs no execution, is judged all the same). `markdown`: the
 * notebook's markdown cells, where written checks read their numbers.
 */
export function judgeExecution(
  settings: ExecuteSettings,
  outcome: { readonly result: ExecutionResult } | { readonly failure: string },
  sources: readonly NotebookCellSource[],
  firstNumber: number,
  seed: number,
  markdown: readonly MarkdownCell[] = [],
): ScoredProblem[] {
  const placed = 'result' in outcome ? placeCalls(settings.checks, outcome.result) : new Map<CallCheck, RecordedCall>();
  return settings.checks.map((check, i) => {
    // Numbers written in markdown are read whether or not the cells could run.
    const aspects =
      'result' in outcome
        ? judgedHere(check, () => aspectsOf(check, settings.checks, outcome.result, sources, placed, markdown))
        : 'written' in check
          ? judgeWritten(check, expectedNumbers(check.written.expected), markdown, undefined)
          : [{ id: 'executed', title: 'the notebook ran', failure: fail('not_run', `the notebook could not be executed: ${outcome.failure}`) }];
    return scored(check, aspects, firstNumber + i, seed);
  });
}
