// feedback.html: the report as one self-contained page (inline CSS, KaTeX typeset on the server with its
// fonts inlined, plots as inline SVG; no script, no network). What a check shows follows its view
// (visibility.ts): a hidden check shows its verdict and the named mistake, never its inputs, values or plots.
//
// Extension points: a new kind of failure picture is a `Plot` kind (src/failure.ts) with its renderer in
// plots.ts; a new kind of result (expression answers) adds its section renderer to SECTION_RENDERERS below.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import katex from 'katex';
import type { FailureData, Value } from '../../src/failure.ts';
import { type ReplayContext, codeLabel, formatCall, formatNumber, formatValue, replayHint } from '../../src/format.ts';
import type { CheckResult } from '../../src/runner.ts';
import { type GradeReport, replayContext } from '../report.ts';
import type { NotebookReport } from '../notebook.ts';
import type { ScoredQuestion } from '../questions.ts';
import type { ScoredCheck, ScoredProblem } from '../score.ts';
import { conventionSentence, notebookSentence, pickedFileSentence } from './markdown.ts';
import { executionSentence } from './execution.ts';
import { escapeXml, renderPlot } from './plots.ts';
import { questionFeedback, questionPassed } from './question.ts';
import { type CheckView, checkView } from './visibility.ts';
import { bonusNote } from './bonus.ts';

const fmt = (x: number) => String(Math.round(x * 100) / 100);

const escapeHtml = escapeXml;

// ---- math ----------------------------------------------------------------------------------------------

/** A number as TeX: 7 significant digits, exponents as powers of ten. */
export function texNumber(x: number): string {
  const s = formatNumber(x);
  if (s === 'NaN') return '\\mathrm{NaN}';
  if (s === 'Infinity' || s === '-Infinity') return s.startsWith('-') ? '-\\infty' : '\\infty';
  const m = /^(-?[\d.]+)e([+-]?\d+)$/.exec(s);
  if (!m) return s;
  const mantissa = m[1]!.replace(/\.?0+$/, '');
  return mantissa === '1' ? `10^{${Number(m[2])}}` : `${mantissa}\\times 10^{${Number(m[2])}}`;
}

const tex = (source: string, display = false): string => katex.renderToString(source, { output: 'html', throwOnError: false, displayMode: display });

/** KaTeX's stylesheet with the fonts it needs for these formulas inlined (the others dropped: no requests). */
let katexCss: string | undefined;
const INLINED_FONTS = ['KaTeX_Main-Regular', 'KaTeX_Main-Bold', 'KaTeX_Math-Italic', 'KaTeX_Size1-Regular', 'KaTeX_Size2-Regular'];
function inlineKatexCss(): string {
  if (katexCss !== undefined) return katexCss;
  const dist = path.dirname(createRequire(import.meta.url).resolve('katex/dist/katex.min.css'));
  const css = readFileSync(path.join(dist, 'katex.min.css'), 'utf8');
  katexCss = css.replace(/@font-face\{[^}]*\}/g, (rule) => {
    const font = INLINED_FONTS.find((f) => rule.includes(`fonts/${f}.woff2`));
    if (!font) return '';
    const data = readFileSync(path.join(dist, 'fonts', `${font}.woff2`)).toString('base64');
    return rule.replace(/src:[^;}]*/, `src:url(data:font/woff2;base64,${data}) format("woff2")`);
  });
  return katexCss;
}

// ---- values as tables ------------------------------------------------------------------------------------

const MAX_SHOWN = 10;

/** The indices shown of a long axis: the first few, a window around the worst entry, the last. */
function shownIndices(n: number, focus: number | undefined): (number | 'gap')[] {
  if (n <= MAX_SHOWN) return Array.from({ length: n }, (_, i) => i);
  const keep = new Set([0, 1, 2, n - 1, ...(focus === undefined ? [] : [focus - 1, focus, focus + 1])].filter((i) => i >= 0 && i < n));
  const sorted = [...keep].sort((a, b) => a - b);
  return sorted.flatMap((i, k) => (k > 0 && i - sorted[k - 1]! > 1 ? ['gap' as const, i] : [i]));
}

const isNumberArray = (v: Value): v is readonly number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
const isMatrix = (v: Value): v is readonly (readonly number[])[] =>
  Array.isArray(v) && v.length > 0 && v.every((r) => isNumberArray(r as Value)) && v.every((r) => (r as number[]).length === (v[0] as number[]).length);

const cell = (x: number, worst: boolean) => `<td class="num${worst ? ' worst' : ''}"${worst ? ' title="worst entry"' : ''}>${escapeHtml(formatNumber(x))}</td>`;

/** A value as HTML: numbers, vectors and matrices as tables (the entry at `worst` highlighted), the rest as text. */
export function valueHtml(value: Value, worst?: readonly number[]): string {
  if (typeof value === 'number') return `<table class="value"><tr>${cell(value, worst !== undefined && worst.length === 0)}</tr></table>`;
  if (isMatrix(value)) {
    const cols = (value[0] ?? []).length;
    const rowIdx = shownIndices(value.length, worst?.[0]);
    const colIdx = shownIndices(cols, worst?.[1]);
    const rows = rowIdx.map((i) =>
      i === 'gap'
        ? `<tr>${colIdx.map(() => '<td class="gap">⋮</td>').join('')}</tr>`
        : `<tr>${colIdx.map((j) => (j === 'gap' ? '<td class="gap">⋯</td>' : cell(value[i]![j]!, worst?.length === 2 && worst[0] === i && worst[1] === j))).join('')}</tr>`,
    );
    return `<table class="value matrix" data-shape="${value.length}x${cols}">${rows.join('')}</table>`;
  }
  if (isNumberArray(value)) {
    const idx = shownIndices(value.length, worst?.[0]);
    return `<table class="value vector" data-shape="${value.length}"><tr>${idx.map((i) => (i === 'gap' ? '<td class="gap">⋯</td>' : cell(value[i]!, worst?.length === 1 && worst[0] === i))).join('')}</tr></table>`;
  }
  if (Array.isArray(value) && value.length <= MAX_SHOWN && value.every((v) => typeof v === 'number' || Array.isArray(v))) {
    // A list of arrays of different shapes (an optimizer's parameters): one table each.
    return `<div class="stack">${value.map((v, i) => `<div class="item"><span class="index">[${i}]</span>${valueHtml(v as Value, worst?.[0] === i ? worst.slice(1) : undefined)}</div>`).join('')}</div>`;
  }
  return `<code>${escapeHtml(formatValue(value))}</code>`;
}

// ---- one failed check -------------------------------------------------------------------------------------

function worstFormula(f: FailureData): string {
  const w = f.worst;
  if (!w) return '';
  const at = w.index.length ? `_{${w.index.map((i) => `[${i}]`).join('')}}` : '';
  const rel = Number.isFinite(w.relError) ? `,\\quad \\text{rel. error } ${texNumber(w.relError)}` : '';
  const formula = `\\lvert \\hat y${at} - y${at} \\rvert = \\lvert ${texNumber(w.received)} - (${texNumber(w.expected)}) \\rvert = ${texNumber(w.absError)} > \\text{atol} + \\text{rtol}\\,\\lvert y${at} \\rvert = ${texNumber(w.allowed)}${rel}`;
  return `<p class="formula worst-formula">${tex(formula, true)}</p>`;
}

function toleranceHtml(f: FailureData): string {
  if (!f.tolerance) return '';
  const t = f.tolerance;
  return `<p class="tolerance">Tolerance ${tex(`\\lvert \\hat y - y \\rvert \\le \\text{atol} + \\text{rtol}\\,\\lvert y \\rvert,\\ \\text{rtol} = ${texNumber(t.rtol)},\\ \\text{atol} = ${texNumber(t.atol)}`)} <span class="reason">(${escapeHtml(t.reason)})</span></p>`;
}

function callHtml(f: FailureData): string {
  if (!f.call) return '';
  const { fn, args } = f.call;
  const big = args.map((a, i) => [a, i] as const).filter(([a]) => Array.isArray(a));
  const parts = big.length
    ? `<div class="args">${big.map(([a, i]) => `<div class="arg"><span class="index">argument ${i + 1}</span>${valueHtml(a)}</div>`).join('')}</div>`
    : '';
  return `<p class="call">Call: <code>${escapeHtml(formatCall(fn, args))}</code></p>${parts}`;
}

function valuesHtml(f: FailureData): string {
  if (f.expected === undefined && f.received === undefined) return '';
  const index = f.worst?.index;
  const side = (label: string, v: Value | undefined) => (v === undefined ? '' : `<div class="side"><h5>${label}</h5>${valueHtml(v, index)}</div>`);
  return `<div class="values">${side('expected', f.expected)}${side('received', f.received)}</div>`;
}

function visibleFailure(result: CheckResult, replay: ReplayContext): string {
  const f = result.failure;
  const out: string[] = [];
  if (f) {
    out.push(`<p class="verdict"><strong>${escapeHtml(codeLabel(f.code))}</strong>${f.message === result.title ? '' : `: ${escapeHtml(f.message)}`}</p>`);
    out.push(callHtml(f), valuesHtml(f), worstFormula(f), toleranceHtml(f));
    for (const plot of f.plots ?? []) out.push(`<figure>${renderPlot(plot)}</figure>`);
    if (f.details) out.push(`<pre class="details">${escapeHtml(f.details.split('\n').slice(-12).join('\n'))}</pre>`);
  }
  const anyInput = f?.code === 'missing';
  if (result.counterexample !== undefined && !anyInput) out.push(`<p class="input">Smallest failing input: <code>${escapeHtml(formatValue(result.counterexample))}</code></p>`);
  for (const m of result.diagnosis ?? []) out.push(mistakeHtml('Likely mistake', m.title, m.hint));
  if (!anyInput) out.push(`<p class="replay"><code>${escapeHtml(replayHint(result, replay))}</code></p>`);
  return out.join('');
}

const mistakeHtml = (label: string, title: string, hint: string, deduct?: number) =>
  `<div class="mistake"><strong>${escapeHtml(label)}: ${escapeHtml(title)}</strong>${deduct === undefined ? '' : ` (−${fmt(deduct)} points)`}<p class="hint">${escapeHtml(hint)}</p></div>`;

function viewHtml(view: CheckView, replay: ReplayContext): string {
  if (view.kind === 'passed') return `<p>Passed (${view.numRuns} random cases).</p>`;
  if (view.kind === 'hidden') {
    return `<p class="verdict">Failed: ${escapeHtml(view.label)}. This check's inputs are hidden.</p>${view.diagnosis.map((d) => mistakeHtml('Likely mistake', d.title, d.hint)).join('')}`;
  }
  return visibleFailure(view.result, replay);
}

function checkHtml(check: ScoredCheck, replay: ReplayContext): string {
  const view = checkView(check);
  const r = check.result;
  const status = view.kind === 'passed' ? 'passed' : 'failed';
  return [
    `<article class="check ${status}${view.kind === 'hidden' ? ' hidden-check' : ''}" data-check="${escapeHtml(r.check)}" data-view="${view.kind}">`,
    `<h4>${status === 'passed' ? '✓' : '✗'} ${escapeHtml(r.check)} <span class="points">${fmt(check.score)} / ${fmt(check.maxScore)}</span></h4>`,
    `<p class="title">${escapeHtml(r.title)}</p>`,
    viewHtml(view, replay),
    '</article>',
  ].join('');
}

/** How each kind of result is shown; expression answers (issue 7) add their kind here. */
export const SECTION_RENDERERS = {
  problem(p: ScoredProblem, replay: ReplayContext = {}): string {
    const full = p.score >= p.points;
    return [
      `<section class="problem ${full ? 'full' : 'partial'}" data-problem="${escapeHtml(p.id)}">`,
      `<h3>${escapeHtml(p.id)}: ${escapeHtml(p.title)} <span class="score">${fmt(p.score)} / ${fmt(p.points)}${bonusNote(p)}</span></h3>`,
      p.notice ? `<p class="notice">${escapeHtml(p.notice)}</p>` : '',
      p.convention ? `<p class="notice">${escapeHtml(conventionSentence(p)!)}</p>` : '',
      p.mistake ? mistakeHtml('Named mistake', p.mistake.title, p.mistake.hint, p.mistake.deduct) : '',
      ...p.checks.map((c) => checkHtml(c, replay)),
      '</section>',
    ].join('');
  },
  question(q: ScoredQuestion): string {
    const passed = questionPassed(q);
    // The student's own answer is always theirs to see; the picture shows the expected form's values, so
    // only a visible question draws it.
    const plot = q.visibility === 'visible' && q.outcome.kind === 'incorrect' && q.outcome.plot ? `<figure>${renderPlot(q.outcome.plot)}</figure>` : '';
    return [
      `<section class="question ${q.score >= q.points ? 'full' : 'partial'}" data-question="${escapeHtml(q.id)}">`,
      `<h3>${escapeHtml(q.id)}: ${escapeHtml(q.title)} <span class="score">${fmt(q.score)} / ${fmt(q.points)}</span></h3>`,
      `<article class="check ${passed ? 'passed' : 'failed'}">`,
      q.answer !== undefined ? `<p>Your answer: <code>${escapeHtml(q.answer)}</code></p>` : '',
      `<p class="verdict">${escapeHtml(questionFeedback(q))}</p>`,
      plot,
      '</article></section>',
    ].join('');
  },
} as const;

function notebookHtml(nb: NotebookReport, executed: boolean): string {
  const rows = nb.cells
    .filter((c) => c.status !== 'empty')
    .map(
      (c) =>
        `<tr class="${c.status.replace(' ', '-')}"><td>${c.cell}</td><td>${c.executionCount ?? ''}</td><td>${escapeHtml(c.status)}</td><td>${escapeHtml(c.kept.map((k) => k.what).join(', '))}</td><td>${escapeHtml(c.skipped.map((k) => `${k.what} (${k.reason})`).join('; '))}</td></tr>`,
    );
  return `<section class="notebook"><h2>Notebook</h2><p>${escapeHtml(notebookSentence(nb, executed))}</p><details><summary>cell by cell</summary><table class="cells"><tr><th>cell</th><th>In [ ]</th><th></th><th>used</th><th>skipped</th></tr>${rows.join('')}</table></details></section>`;
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1f2328;max-width:1000px;margin:24px auto;padding:0 16px}
h1{font-size:1.6em;margin:0 0 4px} h2{font-size:1.25em;margin-top:28px} h3{font-size:1.1em;border-bottom:1px solid #d0d7de;padding-bottom:4px}
h4{margin:10px 0 2px;font-size:1em} h5{margin:0 0 4px;font-size:.85em;color:#57606a;text-transform:uppercase}
.total{font-size:1.3em;font-weight:600} .score,.points{float:right;font-weight:600} .points{font-weight:400;color:#57606a}
table.summary,table.cells{border-collapse:collapse;margin:8px 0} table.summary td,table.summary th,table.cells td,table.cells th{border:1px solid #d0d7de;padding:3px 8px;text-align:left}
table.summary td.score{float:none}
section.problem{margin:18px 0} .problem.full h3{color:#1a7f37} .problem.partial h3{color:#9a3412}
article.check{border-left:4px solid #d0d7de;padding:2px 12px;margin:10px 0} article.check.passed{border-color:#2da44e} article.check.failed{border-color:#cf222e;background:#fff8f8}
.title{color:#57606a;margin:0 0 6px}
table.value{border-collapse:collapse;margin:2px 0;font:13px ui-monospace,SFMono-Regular,Menlo,monospace}
table.value td{border:1px solid #d0d7de;padding:2px 6px;text-align:right} table.value td.gap{color:#8c959f;text-align:center;border:none}
td.worst{background:#ffd8a8;outline:2px solid #d9480f;font-weight:700}
.values,.args{display:flex;gap:24px;flex-wrap:wrap;margin:6px 0} .stack{display:flex;gap:10px;flex-wrap:wrap} .item .index,.arg .index{font-size:.8em;color:#57606a;display:block}
.mistake{background:#fff4e5;border:1px solid #ffc078;border-radius:6px;padding:6px 10px;margin:8px 0} .mistake .hint{margin:4px 0 0}
.notice{background:#f6f8fa;padding:6px 10px} .reason{color:#57606a} .replay code,.input code,.call code{font-size:12px;word-break:break-all}
pre{background:#f6f8fa;padding:8px;overflow:auto;font-size:12px} .formula{overflow-x:auto}
svg.plot{background:#fff;border:1px solid #d0d7de;margin:6px 0;font:11px system-ui,sans-serif} svg .grid{stroke:#eaeef2} svg .axis{stroke:#57606a} svg .title{font-weight:600;font-size:12px} svg .label{font-size:11px;fill:#57606a}
.ungradable{background:#ffebe9;border:1px solid #cf222e;padding:8px 12px}
`;

export function reportHtml(report: GradeReport): string {
  const body: string[] = [`<h1>${escapeHtml(report.assignment)}</h1>`, `<p class="submission">${escapeHtml(path.basename(report.submission))} · seed ${report.seed}</p>`];
  if (report.ungradable) {
    body.push(`<p class="ungradable"><strong>This submission could not be graded</strong> (a grader or environment failure, not a grade): ${escapeHtml(report.ungradable)}</p>`);
  } else {
    const late = report.lateFactor < 1 ? ` (after a late factor of ${fmt(report.lateFactor)}, ${report.daysLate} day(s) late)` : '';
    body.push(`<p class="total">Score: <span id="total">${fmt(report.score)} / ${fmt(report.maxScore)}</span>${escapeHtml(late)}</p>`);
    for (const e of report.loadErrors) {
      body.push(`<div class="notice">The submission did not load cleanly: <code>${escapeHtml(e.message)}</code>${e.traceback ? `<pre>${escapeHtml(e.traceback.trim().split('\n').slice(-10).join('\n'))}</pre>` : ''}</div>`);
    }
    if (report.pickedFile) body.push(`<p class="picked">${escapeHtml(pickedFileSentence(report.pickedFile, report.submission))}</p>`);
    if (report.notebook) body.push(notebookHtml(report.notebook, report.execution !== undefined));
    if (report.execution) body.push(`<section class="execution"><h2>Executed notebook</h2><p>${escapeHtml(executionSentence(report.execution))}</p></section>`);
    body.push(
      '<table class="summary"><tr><th>problem</th><th>score</th><th>checks passed</th></tr>',
      ...report.problems.map(
        (p) => `<tr data-problem="${escapeHtml(p.id)}"><td>${escapeHtml(p.id)}</td><td class="score">${fmt(p.score)} / ${fmt(p.points)}${bonusNote(p)}</td><td>${p.checks.filter((c) => c.result.passed).length} / ${p.checks.length}</td></tr>`,
      ),
      ...report.questions.map(
        (q) => `<tr data-question="${escapeHtml(q.id)}"><td>${escapeHtml(q.id)} (written answer)</td><td class="score">${fmt(q.score)} / ${fmt(q.points)}</td><td>${questionPassed(q) ? '1 / 1' : '0 / 1'}</td></tr>`,
      ),
      '</table>',
      ...report.problems.map((p) => SECTION_RENDERERS.problem(p, replayContext(report, p))),
      ...report.questions.map((q) => SECTION_RENDERERS.question(q)),
    );
  }
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    // No request of any kind leaves this page.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; font-src data:; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(report.assignment)}: feedback</title>`,
    `<style>${inlineKatexCss()}${STYLE}</style>`,
    '</head><body>',
    ...body,
    '</body></html>',
    '',
  ].join('\n');
}
