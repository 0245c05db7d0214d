// feedback.html in a real browser: Debian's Chromium, headless, driven by playwright-core, loads the page
// of a graded buggy notebook from a file:// URL and checks what a student sees: the score of every problem,
// the counterexample matrix with its worst entry highlighted, typeset formulas, the plots drawn, nothing of a
// hidden check, and not one request besides the page itself. The screenshot is kept in out/artifacts/.
//
// Chromium: /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it). Without it the browser
// tests skip with a message, except when GRADECHECK_REQUIRE_BROWSER is set (CI), where they fail.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatNumber, formatValue } from '../../src/format.ts';
import { parseAssignment } from '../assignment.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../doctor.ts';
import { grade } from '../grade.ts';
import type { GradeReport } from '../report.ts';
import { main } from '../cli.ts';
import { writeReport } from '../write.ts';
import { reportHtml } from './html.ts';

const root = path.join(import.meta.dirname, '..', '..');
const artifacts = path.join(root, 'out', 'artifacts');

const assignment = parseAssignment(
  [
    'name: "Homework 3: feedback page test"',
    'seed: 20260301',
    'problems:',
    '  - id: softmax-jacobian',
    '    points: 4',
    '    runs: 30',
    '    checks: { vanishes-as-tau-to-zero: { visibility: hidden } }',
    '    mistakes: { missing-inv-tau: { deduct: 2 } }',
    '  - { id: sgd-weight-decay, points: 3, visibility: hidden, runs: 30 }',
    '  - id: adam-optimizer',
    '    points: 4',
    '    runs: 30',
    '    mistakes: { optimizer-no-bias-correction: { deduct: 2 } }',
    '  - id: activation-statistics',
    '    points: 5',
    '    runs: 20',
    '    mistakes: { pre-activation-stats: { deduct: 2 } }',
  ].join('\n'),
  'feedback-page-test.yaml',
);

let report: GradeReport;
let browser: Browser | undefined;
let page: Page;
let launchError = '';
const requests: string[] = [];
let pageUrl = '';

beforeAll(async () => {
  report = await grade({ assignment, submission: path.join(root, 'fixtures', 'submissions', 'notebooks', 'seed-003-buggy.ipynb') });
  mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, 'feedback.html');
  writeFileSync(file, reportHtml(report));
  pageUrl = pathToFileURL(file).href;
  try {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install chromium)`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  } catch (error) {
    launchError = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    if (process.env['GRADECHECK_REQUIRE_BROWSER']) throw new Error(`Chromium must run here (GRADECHECK_REQUIRE_BROWSER): ${launchError}`);
    console.warn(`feedback.html browser tests skipped: Chromium could not launch: ${launchError}`);
    return;
  }
  page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pageUrl, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(artifacts, 'feedback.png'), fullPage: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

const fmt = (x: number) => String(Math.round(x * 100) / 100);
const section = (id: string) => `section.problem[data-problem="${id}"]`;

describe('feedback.html in Chromium', () => {
  it('the graded notebook fails where its bugs are (the page has something to show)', () => {
    expect(report.ungradable).toBeUndefined();
    const mistakes = Object.fromEntries(report.problems.map((p) => [p.id, p.mistake?.id]));
    // activation-statistics is named by the mistake's own distribution over weight seeds, and plotted per layer.
    expect(mistakes).toMatchObject({ 'softmax-jacobian': 'missing-inv-tau', 'adam-optimizer': 'optimizer-no-bias-correction', 'activation-statistics': 'pre-activation-stats' });
    const stats = report.problems.find((p) => p.id === 'activation-statistics')!;
    expect(stats.score).toBeLessThan(stats.points);
    expect(stats.checks[0]?.result.failure?.plots?.map((p) => p.kind)).toEqual(['band', 'band']);
  });

  it('shows the score of every problem and the total', async (ctx) => {
    if (!browser) return ctx.skip(`Chromium could not launch: ${launchError}`);
    expect(await page.locator('#total').textContent()).toBe(`${fmt(report.score)} / ${fmt(report.maxScore)}`);
    for (const p of report.problems) {
      expect(await page.locator(`${section(p.id)} h3 .score`).textContent()).toBe(`${fmt(p.score)} / ${fmt(p.points)}`);
      expect(await page.locator(`table.summary tr[data-problem="${p.id}"] td.score`).textContent()).toBe(`${fmt(p.score)} / ${fmt(p.points)}`);
    }
    expect(await page.locator('section.notebook').textContent()).toContain('graded the code of cells 2, 3, 5, 7, 10');
  });

  it('shows the counterexample matrix with the worst entry highlighted, and the named mistake', async (ctx) => {
    if (!browser) return ctx.skip(`Chromium could not launch: ${launchError}`);
    const check = report.problems.find((p) => p.id === 'softmax-jacobian')!.checks.find((c) => c.result.check === 'matches-reference')!;
    const worst = check.result.failure!.worst!;
    const article = page.locator(`${section('softmax-jacobian')} article[data-check="matches-reference"]`);
    expect(await article.locator('table.matrix').count()).toBe(2); // expected and received
    const highlighted = await article.locator('table.matrix td.worst').allTextContents();
    expect(highlighted).toEqual([formatNumber(worst.expected), formatNumber(worst.received)]);
    const background = await article.locator('td.worst').first().evaluate((td) => getComputedStyle(td).backgroundColor);
    expect(background).not.toBe(await article.locator('td.num:not(.worst)').first().evaluate((td) => getComputedStyle(td).backgroundColor));
    expect(await page.locator(`${section('softmax-jacobian')} .mistake`).first().textContent()).toContain('Jacobian without the 1/tau factor');
  });

  it('typesets the formulas with KaTeX, its fonts loaded from the page itself', async (ctx) => {
    if (!browser) return ctx.skip(`Chromium could not launch: ${launchError}`);
    const formula = page.locator(`${section('softmax-jacobian')} article[data-check="matches-reference"] .worst-formula .katex`);
    expect(await formula.count()).toBe(1);
    const box = await formula.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(100);
    expect(await formula.locator('.mord.mathnormal').count()).toBeGreaterThan(0);
    expect(await page.evaluate(() => document.fonts.check('16px KaTeX_Main') && document.fonts.check('16px KaTeX_Math'))).toBe(true);
    expect(await page.evaluate(async () => (await document.fonts.load('16px KaTeX_Main')).length)).toBeGreaterThan(0);
  });

  it('draws the plots: activation statistics against the reference band, the optimizer trajectory', async (ctx) => {
    if (!browser) return ctx.skip(`Chromium could not launch: ${launchError}`);
    const stats = page.locator(`${section('activation-statistics')} article[data-check="matches-reference-distribution"] svg.plot`);
    expect(await stats.count()).toBe(2); // mean and std per layer
    for (const svg of await stats.all()) {
      for (const selector of ['path.band', 'path.series.student', 'path.series.reference']) {
        const d = (await svg.locator(selector).getAttribute('d')) ?? '';
        expect(d, selector).toMatch(/^M[\d.-]+,[\d.-]+(L[\d.-]+,[\d.-]+)+/);
        const size = await svg.locator(selector).evaluate((el) => ({ width: (el as SVGGraphicsElement).getBBox().width }));
        expect(size.width, selector).toBeGreaterThan(50);
      }
    }
    // One trajectory plot per failed trajectory check of the problem (both shape regimes of adam-optimizer fail here).
    const adam = page.locator(`${section('adam-optimizer')} svg.plot`);
    const plotted = report.problems.find((p) => p.id === 'adam-optimizer')!.checks.filter((c) => c.result.failure?.plots?.length).length;
    expect(plotted).toBeGreaterThan(0);
    expect(await adam.count()).toBe(plotted);
    for (const svg of await adam.all()) {
      for (const role of ['student', 'reference']) {
        expect((await svg.locator(`path.series.${role}`).getAttribute('d')) ?? '').toMatch(/^M[\d.-]+,[\d.-]+/);
        expect(await svg.locator('circle').count()).toBeGreaterThan(0);
      }
    }
  });

  it('shows nothing of a hidden check but its verdict', async (ctx) => {
    if (!browser) return ctx.skip(`Chromium could not launch: ${launchError}`);
    const sgd = report.problems.find((p) => p.id === 'sgd-weight-decay')!;
    const failed = sgd.checks.filter((c) => !c.result.passed);
    expect(failed.length).toBeGreaterThan(0); // the notebook's SGD is wrong: there is something to hide
    const hidden = page.locator(`${section('sgd-weight-decay')} article`);
    expect(await hidden.count()).toBe(sgd.checks.length);
    for (const article of await hidden.all()) {
      expect(await article.getAttribute('data-view')).toBe('hidden');
      expect(await article.locator('table, svg, .katex, .call, .input, .replay').count()).toBe(0);
      expect(await article.textContent()).toContain("This check's inputs are hidden.");
    }
    const text = (await page.locator('body').textContent()) ?? '';
    for (const c of failed) {
      expect(text).not.toContain(formatValue(c.result.counterexample));
      expect(text).not.toContain(`--check ${c.result.check} --seed ${c.result.seed}`);
    }
  });

  it('makes no request besides the page itself', (ctx) => {
    if (!browser) return ctx.skip(`Chromium could not launch: ${launchError}`);
    expect(requests).toEqual([pageUrl]);
    expect(existsSync(path.join(artifacts, 'feedback.png'))).toBe(true);
  });
});

describe('who writes feedback.html', () => {
  it('grade writes it next to feedback.md, atomically (no temporary file left)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-html-'));
    try {
      writeReport(report, dir);
      expect(readdirSync(dir).sort()).toEqual(['feedback.html', 'feedback.md', 'junit.xml', 'results.json']);
      expect(readFileSync(path.join(dir, 'feedback.html'), 'utf8')).toBe(reportHtml(report));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('check --html FILE writes the public checks as a page', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-html-'));
    const out = path.join(dir, 'me.html');
    const submission = path.join(root, 'fixtures', 'submissions', 'notebooks', 'seed-000-typical.ipynb');
    try {
      const code = await main(['node', 'gradecheck', 'check', submission, '--problems', 'softmax-jacobian', '--html', out]);
      expect(code).toBe(1); // the typical notebook fails its Jacobian
      const html = readFileSync(out, 'utf8');
      expect(html).toMatch(/^<!doctype html>/);
      expect(html).toContain('data-problem="softmax-jacobian"');
      expect(html).toContain('td class="num worst"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
