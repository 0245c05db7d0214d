// Plots' tick labels (issue 18): negative, tiny and mixed values keep their sign and tell neighbours apart,
// and every label fits inside the SVG, measured in Debian's Chromium (getBBox), not by the renderer's own
// width estimate. Without Chromium the measuring test skips, except under GRADECHECK_REQUIRE_BROWSER (CI).

import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plot } from '../../src/failure.ts';
import { CHROMIUM, CHROMIUM_ARGS } from '../doctor.ts';
import { renderPlot, tickLabels } from './plots.ts';

const lines = (ys: readonly number[]): Plot => ({
  kind: 'lines',
  title: 'parameter over the steps',
  xLabel: 'step',
  yLabel: 'w',
  x: ys.map((_, i) => i),
  series: [
    { label: 'reference', role: 'reference', y: ys },
    { label: 'your submission', role: 'student', y: ys.map((v) => v * 1.0001) },
  ],
});

const CASES: Record<string, readonly number[]> = {
  'negative, close together': [-0.0099995, -0.0099991, -0.0099987],
  'tiny, both signs': [-3e-9, 1e-9, 4e-9],
  mixed: [-12.5, 0.003, 7.25],
  'large negative': [-2.5e7, -2.4e7],
};

/** The y labels of a rendered plot, in order (the text right-aligned beside the y axis). */
const yLabels = (svg: string) => [...svg.matchAll(/<text x="[\d.]+" y="[\d.]+" text-anchor="end">([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('tick labels', () => {
  it.each(Object.entries(CASES))('%s: every tick below 0 is labelled with its minus sign, and no two labels are the same', (_, ys) => {
    const labels = yLabels(renderPlot(lines(ys)));
    expect(labels.length).toBeGreaterThanOrEqual(2);
    expect(new Set(labels).size).toBe(labels.length);
    const values = labels.map(Number);
    expect(values.every(Number.isFinite)).toBe(true);
    // The labels are ordered top to bottom as the axis runs: decreasing values (a dropped sign would break it).
    for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThan(values[i - 1]!);
    if (Math.max(...ys) < 0) expect(labels.every((l) => l.startsWith('-'))).toBe(true);
  });

  it('labels ticks with the precision their spacing needs', () => {
    expect(tickLabels([-0.01, -0.005, 0, 0.005])).toEqual(['-0.010', '-0.005', '0', '0.005']);
    expect(tickLabels([-0.0099995, -0.009999, -0.0099985])).toEqual(['-0.0099995', '-0.0099990', '-0.0099985']);
    expect(tickLabels([-2e-9, 0, 2e-9])).toEqual(['-2e-9', '0', '2e-9']);
  });
});

describe('tick labels fit (measured in Chromium)', () => {
  let browser: Browser | undefined;
  let launchError = '';
  beforeAll(async () => {
    try {
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    } catch (error) {
      launchError = (error as Error).message.split('\n')[0] ?? '';
      if (process.env['GRADECHECK_REQUIRE_BROWSER']) throw new Error(`Chromium must run here (GRADECHECK_REQUIRE_BROWSER): ${launchError}`);
    }
  }, 60_000);
  afterAll(async () => browser?.close());

  it.for(Object.keys(CASES))('%s: no text leaves the plot', async (name, ctx) => {
    if (!browser) return ctx.skip(`Chromium could not launch: ${launchError}`);
    const page = await browser.newPage();
    try {
      await page.setContent(`<style>svg.plot{font:11px system-ui,sans-serif}</style>${renderPlot(lines(CASES[name]!))}`);
      // Rendered boxes (the rotated axis title included), relative to the SVG's own box.
      const boxes = await page.$$eval('svg.plot text', (texts) => {
        const svg = document.querySelector('svg.plot')!.getBoundingClientRect();
        return texts.map((t) => {
          const b = t.getBoundingClientRect();
          return { text: t.textContent ?? '', left: b.left - svg.left, right: b.right - svg.left, width: svg.width };
        });
      });
      expect(boxes.length).toBeGreaterThan(5);
      for (const b of boxes) {
        expect(b.left, `"${b.text}" starts left of the plot`).toBeGreaterThanOrEqual(0);
        expect(b.right, `"${b.text}" ends right of the plot`).toBeLessThanOrEqual(b.width);
      }
    } finally {
      await page.close();
    }
  });
});
