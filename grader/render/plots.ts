// Plots of failures as inline SVG, drawn on the server: the page needs no script and no network. One renderer
// per plot kind (src/failure.ts `Plot`); a new kind without a renderer here is a type error.

import type { Plot, PlotKind, PlotSeries } from '../../src/failure.ts';
import { formatNumber } from '../../src/format.ts';

const W = 560;
const H = 280;
/** The left margin is not fixed: it fits the y labels (leftMargin). */
const M = { right: 16, top: 30, bottom: 58 };
/** Width of one character of an 11px label (digits and '-' are ~0.55 em), with room to spare. */
const CHAR_PX = 6.6;

/** Escapes text for HTML and SVG (also used by html.ts). */
export const escapeXml = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const COLORS = { reference: '#5b6b7f', student: '#d9480f', band: '#74c0fc' } as const;

interface Scale {
  readonly map: (v: number) => number;
  readonly ticks: readonly number[];
  /** One label per tick, sharing a precision that tells neighbours apart and keeps the sign. */
  readonly labels: readonly string[];
}

/** About five round ticks over [lo, hi], each a whole multiple of the step (no accumulated rounding). */
function niceTicks(lo: number, hi: number): number[] {
  const span = hi - lo || Math.abs(hi) || 1;
  const step0 = span / 5;
  const mag = 10 ** Math.floor(Math.log10(step0));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= step0) ?? 10 * mag;
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(k === 0 ? 0 : k * step);
  return ticks;
}

/**
 * Labels for ticks: fixed-point with the fewest decimals that give every tick back (to a millionth of the
 * smallest gap) and tell neighbours apart, or, for very small or large values, exponent notation chosen the
 * same way. A negative tick keeps its '-'.
 */
export function tickLabels(ticks: readonly number[]): string[] {
  if (ticks.length === 0) return [];
  const gaps = ticks.slice(1).map((t, i) => Math.abs(t - ticks[i]!)).filter((g) => g > 0);
  const gap = gaps.length ? Math.min(...gaps) : Math.abs(ticks[0]!) || 1;
  const exact = (labels: string[]) => new Set(labels).size === labels.length && labels.every((l, i) => Math.abs(Number(l) - ticks[i]!) <= gap * 1e-6);
  const biggest = Math.max(...ticks.map(Math.abs));
  if (biggest < 1e6) {
    for (let d = 0; d <= 8; d++) {
      const labels = ticks.map((t) => (t === 0 ? '0' : t.toFixed(d)));
      if (exact(labels)) return labels;
    }
  }
  for (let p = 0; p <= 12; p++) {
    const labels = ticks.map((t) => (t === 0 ? '0' : t.toExponential(p)));
    if (exact(labels)) return labels;
  }
  return ticks.map((t) => formatNumber(t));
}

/** The left margin that fits the longest y label beside the axis, plus the rotated axis title. */
function leftMargin(sy: Scale): number {
  return Math.ceil(28 + CHAR_PX * Math.max(1, ...sy.labels.map((l) => l.length)));
}

/** Ticks 1, 2, 5 x 10^e inside [10^lo, 10^hi] (only the powers of ten when there are too many). */
function logTicks(lo: number, hi: number): number[] {
  const all: number[] = [];
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) for (const m of [1, 2, 5]) all.push(m * 10 ** e);
  const inside = all.filter((t) => Math.log10(t) >= lo && Math.log10(t) <= hi);
  if (inside.length > 8) return inside.filter((t) => Number.isInteger(Math.log10(t)));
  // Less than a decade: round ticks in value space, placed on the log axis.
  return inside.length >= 3 ? inside : niceTicks(10 ** lo, 10 ** hi).filter((t) => t > 0 && Math.log10(t) >= lo && Math.log10(t) <= hi);
}

function linearScale(values: readonly number[], from: number, to: number, log: boolean): Scale {
  const finite = values.filter((v) => Number.isFinite(v) && (!log || v > 0)).map((v) => (log ? Math.log10(v) : v));
  let lo = finite.length ? Math.min(...finite) : 0;
  let hi = finite.length ? Math.max(...finite) : 1;
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
    const pad = Math.abs(hi) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const pad = (hi - lo) * 0.06;
  lo -= pad;
  hi += pad;
  const map = (v: number) => from + (((log ? Math.log10(v) : v) - lo) / (hi - lo)) * (to - from);
  const found = log ? logTicks(lo, hi) : niceTicks(lo, hi).filter((t) => t >= lo && t <= hi);
  const ticks = found.length ? found : log ? [10 ** Math.round((lo + hi) / 2)] : [(lo + hi) / 2];
  return { map, ticks, labels: tickLabels(ticks) };
}

/** A path through the finite points; a non-finite value breaks the line. */
function linePath(xs: readonly number[], ys: readonly number[], sx: Scale, sy: Scale, log: boolean): string {
  let d = '';
  let pen = false;
  xs.forEach((x, i) => {
    const y = ys[i]!;
    if (!Number.isFinite(y) || (log && y <= 0)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${sx.map(x).toFixed(1)},${sy.map(y).toFixed(1)}`;
    pen = true;
  });
  return d;
}

function frame(plot: { title: string; xLabel: string; yLabel: string }, sx: Scale, sy: Scale, body: string, legend: readonly [string, string, 'line' | 'band' | 'dash'][]): string {
  const x0 = leftMargin(sy);
  const x1 = W - M.right;
  const y0 = H - M.bottom;
  const y1 = M.top;
  const grid = sy.ticks
    .map((t, i) => `<line x1="${x0}" x2="${x1}" y1="${sy.map(t).toFixed(1)}" y2="${sy.map(t).toFixed(1)}" class="grid"/><text x="${x0 - 6}" y="${(sy.map(t) + 4).toFixed(1)}" text-anchor="end">${escapeXml(sy.labels[i]!)}</text>`)
    .join('');
  const xticks = sx.ticks
    .map((t, i) => `<line x1="${sx.map(t).toFixed(1)}" x2="${sx.map(t).toFixed(1)}" y1="${y0}" y2="${y0 + 4}" class="axis"/><text x="${sx.map(t).toFixed(1)}" y="${y0 + 16}" text-anchor="middle">${escapeXml(sx.labels[i]!)}</text>`)
    .join('');
  const items = legend
    .map(([label, color, shape], i) => {
      const lx = 12 + i * 175; // from the left edge: a wide y-label margin must not push the legend out
      const ly = H - 12;
      const mark =
        shape === 'band'
          ? `<rect x="${lx}" y="${ly - 8}" width="18" height="10" fill="${color}" fill-opacity="0.35"/>`
          : `<line x1="${lx}" x2="${lx + 18}" y1="${ly - 3}" y2="${ly - 3}" stroke="${color}" stroke-width="2.5"${shape === 'dash' ? ' stroke-dasharray="4 3"' : ''}/>`;
      return `${mark}<text x="${lx + 24}" y="${ly + 1}">${escapeXml(label)}</text>`;
    })
    .join('');
  return [
    `<svg class="plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(plot.title)}">`,
    `<text x="${W / 2}" y="16" text-anchor="middle" class="title">${escapeXml(plot.title)}</text>`,
    grid,
    `<line x1="${x0}" x2="${x1}" y1="${y0}" y2="${y0}" class="axis"/><line x1="${x0}" x2="${x0}" y1="${y0}" y2="${y1}" class="axis"/>`,
    xticks,
    `<text x="${(x0 + x1) / 2}" y="${y0 + 32}" text-anchor="middle" class="label">${escapeXml(plot.xLabel)}</text>`,
    `<text transform="translate(14 ${(y0 + y1) / 2}) rotate(-90)" text-anchor="middle" class="label">${escapeXml(plot.yLabel)}</text>`,
    body,
    items,
    '</svg>',
  ].join('');
}

const markers = (xs: readonly number[], s: PlotSeries, sx: Scale, sy: Scale, color: string, log: boolean) =>
  xs
    .map((x, i) => {
      const y = s.y[i]!;
      return Number.isFinite(y) && (!log || y > 0) ? `<circle cx="${sx.map(x).toFixed(1)}" cy="${sy.map(y).toFixed(1)}" r="3.5" fill="${color}"/>` : '';
    })
    .join('');

/** The x scale, right of the y labels; integer x values (layers, steps) get integer ticks. */
function xScale(x: readonly number[], sy: Scale): Scale {
  const s = linearScale(x, leftMargin(sy), W - M.right, false);
  const ints = s.ticks.filter(Number.isInteger);
  return x.every(Number.isInteger) && ints.length > 0 ? { map: s.map, ticks: ints, labels: tickLabels(ints) } : s;
}

type Renderers = { readonly [K in PlotKind]: (plot: Extract<Plot, { kind: K }>) => string };

export const PLOT_RENDERERS: Renderers = {
  lines(plot) {
    const sy = linearScale(plot.series.flatMap((s) => s.y), H - M.bottom, M.top, false);
    const sx = xScale(plot.x, sy);
    const body = plot.series
      .map((s) => {
        const color = COLORS[s.role];
        const dash = s.role === 'reference' ? ' stroke-dasharray="6 4"' : '';
        return `<path class="series ${s.role}" d="${linePath(plot.x, s.y, sx, sy, false)}" fill="none" stroke="${color}" stroke-width="2.5"${dash}/>${markers(plot.x, s, sx, sy, color, false)}`;
      })
      .join('');
    return frame(plot, sx, sy, body, plot.series.map((s) => [s.label, COLORS[s.role], s.role === 'reference' ? 'dash' : 'line'] as const));
  },
  band(plot) {
    const log = plot.logY === true;
    const sy = linearScale([...plot.band.lo, ...plot.band.hi, ...plot.student.y], H - M.bottom, M.top, log);
    const sx = xScale(plot.x, sy);
    const clampLo = (v: number) => (log && v <= 0 ? Math.min(...plot.band.lo.filter((x) => x > 0), ...plot.student.y.filter((x) => x > 0)) : v);
    const upper = plot.x.map((x, i) => `${sx.map(x).toFixed(1)},${sy.map(plot.band.hi[i]!).toFixed(1)}`);
    const lower = plot.x.map((x, i) => `${sx.map(x).toFixed(1)},${sy.map(clampLo(plot.band.lo[i]!)).toFixed(1)}`).reverse();
    const area = `<path class="band" d="M${[...upper, ...lower].join('L')}Z" fill="${COLORS.band}" fill-opacity="0.35" stroke="${COLORS.band}"/>`;
    const center = `<path class="series reference" d="${linePath(plot.x, plot.band.center, sx, sy, log)}" fill="none" stroke="${COLORS.reference}" stroke-width="1.5" stroke-dasharray="6 4"/>`;
    const student = `<path class="series student" d="${linePath(plot.x, plot.student.y, sx, sy, log)}" fill="none" stroke="${COLORS.student}" stroke-width="2.5"/>${markers(plot.x, plot.student, sx, sy, COLORS.student, log)}`;
    return frame(plot, sx, sy, area + center + student, [
      [plot.band.label, COLORS.band, 'band'],
      ['reference center', COLORS.reference, 'dash'],
      [plot.student.label, COLORS.student, 'line'],
    ]);
  },
};

export function renderPlot(plot: Plot): string {
  // The registry's mapped type pairs each kind with its renderer; TypeScript cannot narrow the union here.
  return (PLOT_RENDERERS[plot.kind] as (p: Plot) => string)(plot);
}
