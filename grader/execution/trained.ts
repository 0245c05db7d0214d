// Judging a training result (a `trained:` check, grader/execution/schema.ts): the test accuracy the notebook's
// saved outputs show (the student's own run on the real data) against the handout's bar, and the grader's re-run
// of the same cell on the stand-in data: the losses it prints (or, printing none, plots) are computed and do not
// rise, and the accuracy it prints is computed, not the saved number printed again.

import { type Aspect, type Captured, captured, cellOutcome, fail } from './aspect.ts';
import type { CellReport, ExecutionResult, FigureDescription, NotebookCellSource } from './run.ts';
import type { TrainedCheck } from './schema.ts';

/** What a training-result check judges, each an equal share of its points. */
export const TRAINED_ASPECTS = ['saved-accuracy', 'loss-falls', 'rerun-accuracy'] as const;
type TrainedAspect = (typeof TRAINED_ASPECTS)[number];

/** An accuracy printed as a percentage (87.71, "87.71%") is read as a fraction. */
const fraction = (x: number) => (x > 1 ? x / 100 : x);
const percent = (x: number) => `${(100 * x).toFixed(2)}%`;

/**
 * Printed with this many significant digits, the same accuracy on the stand-in data and in the saved run is no
 * coincidence (about one chance in a thousand): the cell prints a number it did not compute. Fewer digits ("0.88")
 * coincide too often to fail anyone on.
 */
const PASTED_DIGITS = 3;
const significantDigits = (text: string) => text.replace(/^[^1-9]*/, '').replace(/\D/g, '').length;

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** The cell a check is about: the first (or, with `last`, the last) whose code matches `cell` and whose text shows an accuracy. */
function resultCell(check: TrainedCheck, cells: readonly { cell: number; source: string; text?: string }[]): { cell: number; accuracy: Captured } | undefined {
  const { cell, accuracy, last, after } = check.trained;
  const code = cell === undefined ? undefined : new RegExp(cell, 'm');
  // Only the cells after the task's part begins (seed 000's Q6.7: after the mytorch import), where that is given.
  const start = after === undefined ? undefined : cells.find((c) => new RegExp(after, 'm').test(c.source))?.cell;
  if (after !== undefined && start === undefined) return undefined;
  const candidates = start === undefined ? cells : cells.filter((c) => c.cell > start);
  for (const c of last ? [...candidates].reverse() : candidates) {
    if (code && !code.test(c.source)) continue;
    const found = captured(accuracy, c.text);
    if (found.length > 0) return { cell: c.cell, accuracy: found[found.length - 1]! };
  }
  return undefined;
}

/** Why a cell of the re-run showed nothing, where it did not simply run: ": it raised KeyError: 'x'". */
const ranPhrase = (report: CellReport | undefined) => (report === undefined || report.status === 'ran' ? '' : `: it ${cellOutcome(report)}`);

type SavedResult = ReturnType<typeof resultCell>;

/** "no test accuracy (text matching /.../) in a cell whose code matches /.../" */
const noAccuracy = ({ trained: { accuracy, cell } }: TrainedCheck) => `no test accuracy (text matching /${accuracy}/)${cell === undefined ? '' : ` in a cell whose code matches /${cell}/`}`;

/**
 * A result that must beat another's (`beats:`): its saved test accuracy above the one the other check finds in the
 * saved outputs. `beaten` is that check, with what it found; undefined where it is not graded here (a self-check
 * without it).
 */
function beatsSaved(check: TrainedCheck, saved: SavedResult, beaten: { check: TrainedCheck; saved: SavedResult } | undefined): Aspect {
  const other = check.trained.beats!;
  const title = `the test accuracy in the notebook's saved outputs is above ${other}'s`;
  const id: TrainedAspect = 'saved-accuracy';
  if (saved === undefined) return { id, title, failure: fail('missing', `the notebook's saved outputs show ${noAccuracy(check)}: run the notebook to the end and submit it with its outputs`) };
  if (beaten === undefined) return { id, title, failure: fail('missing', `${other}, the result to beat, is not graded here`) };
  if (beaten.saved === undefined) return { id, title, failure: fail('missing', `the notebook's saved outputs show ${noAccuracy(beaten.check)}: ${other}'s result, the one to beat`) };
  const [value, bar] = [fraction(saved.accuracy.value), fraction(beaten.saved.accuracy.value)];
  if (value > bar) return { id, title };
  return {
    id,
    title,
    failure: fail('value_mismatch', `the saved outputs of cell ${saved.cell} show a test accuracy of ${saved.accuracy.text} (${percent(value)}), not above ${other}'s ${beaten.saved.accuracy.text} (${percent(bar)}) in cell ${beaten.saved.cell}`, { expected: bar, received: value }),
  };
}

function savedAccuracy(check: TrainedCheck, saved: SavedResult): Aspect {
  const { at_least, above } = check.trained;
  const bar = (at_least ?? above)!;
  const title = `the test accuracy in the notebook's saved outputs is ${at_least !== undefined ? 'at least' : 'above'} ${percent(bar)}`;
  const id: TrainedAspect = 'saved-accuracy';
  if (saved === undefined) return { id, title, failure: fail('missing', `the notebook's saved outputs show ${noAccuracy(check)}: run the notebook to the end and submit it with its outputs`) };
  const value = fraction(saved.accuracy.value);
  if (at_least !== undefined ? value >= at_least : value > bar) return { id, title };
  const short = at_least !== undefined ? 'below' : 'not above';
  return {
    id,
    title,
    failure: fail('value_mismatch', `the saved outputs of cell ${saved.cell} show a test accuracy of ${saved.accuracy.text} (${percent(value)}), ${short} ${check.trained.bar === undefined ? "the handout's" : `${check.trained.bar},`} ${percent(bar)}`, { expected: bar, received: value }),
  };
}

/**
 * The losses of the re-run: printed by the result's cell, else by the nearest cell before it printing several; where
 * none prints them, the loss curve drawn by the result's cell or the nearest cell before it (plottedLosses).
 */
function rerunLosses(check: TrainedCheck, result: ExecutionResult, at: number): { cell: number; losses: number[]; plotted?: true } | undefined {
  for (const c of result.cells.filter((r) => r.cell <= at).reverse()) {
    const losses = captured(check.trained.losses, c.printed).map((l) => l.value);
    if (losses.length >= 2) return { cell: c.cell, losses };
  }
  for (const figure of result.figures.filter((f) => f.cell <= at).reverse()) {
    const losses = plottedLosses(figure);
    if (losses !== undefined) return { cell: figure.cell, losses, plotted: true };
  }
  return undefined;
}

const saysLoss = (text: string) => /loss|entropy/i.test(text);

/**
 * A figure's loss curve: the longest line of at least 2 points labelled as a loss (by its label, its subplot's title
 * or y label, or the figure's title), or the figure's one line when nothing in it is labelled (`plt.plot(losses)`).
 */
function plottedLosses(figure: FigureDescription): number[] | undefined {
  const lines = figure.axes.flatMap((a) => a.lines.map((line) => ({ line, named: saysLoss(`${line.label} ${a.title} ${a.ylabel} ${figure.title}`) })));
  const named = lines.filter((l) => l.named);
  const candidates = named.length > 0 ? named : lines.length === 1 ? lines : [];
  const ys = candidates.map((l) => l.line.y.map((v) => (v === null ? Number.NaN : v))).filter((y) => y.length >= 2);
  return ys.sort((a, b) => b.length - a.length)[0];
}

/**
 * How far the re-run's later losses may sit above its first ones and still count as not rising: the noise of an
 * epoch of a few batches, averaged over a third of the epochs (measured on the stand-ins: under 1%, flat runs).
 */
const RISE_ALLOWED = 0.02;

function lossFalls(check: TrainedCheck, result: ExecutionResult, at: number | undefined): Aspect {
  const title = "on the grader's re-run with the stand-in data, the training loss it prints or plots is computed and does not rise";
  const id: TrainedAspect = 'loss-falls';
  const series = at === undefined ? undefined : rerunLosses(check, result, at);
  if (series === undefined) {
    const where =
      at === undefined
        ? 'the re-run printed no test accuracy to find its cell by'
        : `cell ${at} of the re-run and the cells before it printed fewer than 2 losses (text matching /${check.trained.losses}/) and plotted no loss curve${ranPhrase(result.cells.find((c) => c.cell === at))}`;
    return { id, title, failure: fail('missing', `${where}: the training that produces the result must run in the notebook`) };
  }
  const { cell } = series;
  // A plotted curve's missing points (NaN: matplotlib leaves a gap) are gaps, not a divergence, unless it ends in one.
  const losses = series.plotted && Number.isFinite(series.losses.at(-1)) ? series.losses.filter(Number.isFinite) : series.losses;
  const shown = series.plotted ? 'plotted' : 'printed';
  if (!losses.every(Number.isFinite)) return { id, title, failure: fail('value_mismatch', `cell ${cell} ${shown} a loss of ${losses.find((l) => !Number.isFinite(l))} on the re-run: the training diverged`, { received: losses }) };
  if (losses.every((l) => l === losses[0])) return { id, title, failure: fail('value_mismatch', `cell ${cell} ${shown} the same loss, ${losses[0]}, ${losses.length} times on the re-run: it is not computed by the training`, { received: losses }) };
  // The trend, not each step: the mean of the last third of the losses against that of the first third.
  const k = Math.ceil(losses.length / 3);
  const first = mean(losses.slice(0, k));
  const last = mean(losses.slice(-k));
  if (last <= first * (1 + RISE_ALLOWED)) return { id, title };
  return {
    id,
    title,
    failure: fail('value_mismatch', `cell ${cell} ${shown} ${losses.length} losses on the re-run; the last ${k} average ${last.toPrecision(4)}, above the first ${k} (${first.toPrecision(4)}) by more than ${100 * RISE_ALLOWED}%: the training raises the loss`, { received: losses }),
  };
}

function rerunAccuracy(check: TrainedCheck, rerun: readonly CellReport[], at: number | undefined, saved: Captured | undefined): Aspect {
  const { accuracy } = check.trained;
  const title = "on the grader's re-run with the stand-in data, the test accuracy it prints is computed there";
  const id: TrainedAspect = 'rerun-accuracy';
  const report = rerun.find((c) => c.cell === at);
  const printed = captured(accuracy, report?.printed);
  const found = printed[printed.length - 1];
  if (at === undefined || found === undefined) {
    const pattern = `(text matching /${accuracy}/)`;
    const where = at === undefined ? `no cell of the re-run printed a test accuracy ${pattern}` : `cell ${at} printed no test accuracy ${pattern} on the re-run${ranPhrase(report)}`;
    return { id, title, failure: fail('missing', where) };
  }
  if (saved !== undefined && found.text === saved.text && significantDigits(found.text) >= PASTED_DIGITS) {
    return { id, title, failure: fail('value_mismatch', `cell ${at} prints the same test accuracy, ${found.text}, on the grader's stand-in data as in the notebook's saved outputs: the number printed is not computed by the training`, { received: fraction(found.value) }) };
  }
  const value = fraction(found.value);
  if (value >= 0 && value <= 1) return { id, title };
  return { id, title, failure: fail('value_mismatch', `cell ${at} printed a test accuracy of ${found.text} on the re-run: not a fraction or a percentage`, { received: found.value }) };
}

/** `beaten`: the check whose result this one must beat (`beats:`), where it is graded here. */
export function judgeTrained(check: TrainedCheck, result: ExecutionResult, sources: readonly NotebookCellSource[], beaten?: TrainedCheck): Aspect[] {
  const savedCells = sources.map((s) => ({ cell: s.cell, source: s.source, ...(s.saved === undefined ? {} : { text: s.saved }) }));
  const saved = resultCell(check, savedCells);
  // Without saved outputs, the re-run finds the cell by what it printed.
  const code = new Map(sources.map((s) => [s.cell, s.source]));
  const at = saved?.cell ?? resultCell(check, result.cells.map((c) => ({ cell: c.cell, source: code.get(c.cell) ?? '', ...(c.printed === undefined ? {} : { text: c.printed }) })))?.cell;
  const judgedSaved = check.trained.beats === undefined ? savedAccuracy(check, saved) : beatsSaved(check, saved, beaten && { check: beaten, saved: resultCell(beaten, savedCells) });
  return [judgedSaved, lossFalls(check, result, at), rerunAccuracy(check, result.cells, at, saved?.accuracy)];
}
