// A hand-written SVG line chart (no plotting dependency): panels of series over a shared x axis, linear or log y.

export interface Series {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  /** Drawn dashed (e.g. a prediction or the seed's numbers next to ours). */
  readonly dashed?: boolean;
}

export interface Panel {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly logY?: boolean;
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
const W = 460;
const H = 320;
const M = { left: 64, right: 16, top: 30, bottom: 44 };

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (v: number): string => (Math.abs(v) < 1e-12 ? '0' : Math.abs(v) >= 1e-2 && Math.abs(v) < 1e4 ? String(Number(v.toPrecision(3))) : v.toExponential(0));

function ticks(lo: number, hi: number, log: boolean): number[] {
  if (log) {
    const out: number[] = [];
    for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) out.push(e);
    return out;
  }
  const span = hi - lo || 1;
  const step = 10 ** Math.floor(Math.log10(span / 4));
  const nice = [1, 2, 5, 10].map((m) => m * step).find((s) => span / s <= 6) ?? step * 10;
  const out: number[] = [];
  for (let v = Math.ceil(lo / nice) * nice; v <= hi + 1e-12; v += nice) out.push(v);
  return out;
}

function panelSvg(panel: Panel, ox: number, colorOf: (name: string) => string): string {
  const pts = panel.series.flatMap((s) => s.x.map((x, i) => [x, s.y[i]!] as const)).filter(([, y]) => Number.isFinite(y) && (!panel.logY || y > 0));
  const ty = (y: number): number => (panel.logY ? Math.log10(y) : y);
  const xs = pts.map(([x]) => x);
  const ys = pts.map(([, y]) => ty(y));
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (!panel.logY) y0 = Math.min(0, y0);
  if (y1 === y0) y1 = y0 + 1;
  const pad = 0.05 * (y1 - y0);
  y0 -= panel.logY || y0 < 0 ? pad : 0;
  y1 += pad;
  const px = (x: number): number => ox + M.left + ((x - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
  const py = (y: number): number => M.top + (1 - (y - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const parts: string[] = [];
  parts.push(`<text x="${ox + W / 2}" y="18" text-anchor="middle" font-weight="bold">${esc(panel.title)}</text>`);
  parts.push(`<rect x="${ox + M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#333"/>`);
  for (const t of ticks(y0, y1, panel.logY ?? false)) {
    if (t < y0 - 1e-9 || t > y1 + 1e-9) continue;
    const label = panel.logY ? `1e${t}` : fmt(t);
    parts.push(`<line x1="${ox + M.left}" x2="${ox + W - M.right}" y1="${py(t)}" y2="${py(t)}" stroke="#ddd"/>`);
    parts.push(`<text x="${ox + M.left - 4}" y="${py(t) + 4}" text-anchor="end" font-size="11">${label}</text>`);
  }
  for (const t of ticks(x0, x1, false)) {
    parts.push(`<text x="${px(t)}" y="${H - M.bottom + 16}" text-anchor="middle" font-size="11">${fmt(t)}</text>`);
  }
  parts.push(`<text x="${ox + W / 2}" y="${H - 8}" text-anchor="middle" font-size="12">${esc(panel.xLabel)}</text>`);
  parts.push(`<text transform="translate(${ox + 14} ${H / 2}) rotate(-90)" text-anchor="middle" font-size="12">${esc(panel.yLabel)}</text>`);
  const dash = (s: Series): string => (s.dashed ? ' stroke-dasharray="5,4"' : '');
  for (const s of panel.series) {
    const path = s.x
      .map((x, i) => [x, s.y[i]!] as const)
      .filter(([, y]) => Number.isFinite(y) && (!panel.logY || y > 0))
      .map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${px(x).toFixed(1)},${py(ty(y)).toFixed(1)}`)
      .join(' ');
    if (path) parts.push(`<path d="${path}" fill="none" stroke="${colorOf(s.name)}" stroke-width="2"${dash(s)}/>`);
  }
  // The legend over the lines, on a translucent box; a series that cannot be drawn (all 0 on a log axis) says so.
  const legendX = ox + W - M.right - 160;
  parts.push(`<rect x="${legendX}" y="${M.top + 2}" width="158" height="${15 * panel.series.length + 4}" fill="white" fill-opacity="0.85"/>`);
  panel.series.forEach((s, k) => {
    const ly = M.top + 14 + 15 * k;
    const drawn = s.y.some((y) => Number.isFinite(y) && (!panel.logY || y > 0));
    parts.push(`<line x1="${legendX + 4}" x2="${legendX + 26}" y1="${ly - 4}" y2="${ly - 4}" stroke="${colorOf(s.name)}" stroke-width="2"${dash(s)}/>`);
    parts.push(`<text x="${legendX + 30}" y="${ly}" font-size="11">${esc(s.name)}${drawn ? '' : ' (all 0)'}</text>`);
  });
  return parts.join('\n');
}

/** One SVG document with the panels side by side; a series keeps its colour across panels (by name, up to " ("). */
export function lineChartSvg(panels: readonly Panel[]): string {
  const names = [...new Set(panels.flatMap((p) => p.series.map((s) => s.name.split(' (')[0]!)))];
  const colorOf = (name: string): string => COLORS[names.indexOf(name.split(' (')[0]!) % COLORS.length]!;
  const body = panels.map((p, i) => panelSvg(p, i * W, colorOf)).join('\n');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W * panels.length}" height="${H}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="white"/>\n${body}\n</svg>\n`;
}
