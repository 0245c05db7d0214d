// Every named mistake lives in a module of its own (spec/*.mistakes.ts), never in a suite: a student's standalone
// self-check (grader/self-check/build.ts) bundles the suites but replays those modules from recorded answers, so a
// mistake's implementation, a formula written wrong that gives the right one away, is not in what students get.

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Mistake, Problem } from '../src/problem.ts';
import { problems } from './registry.ts';

const specDir = import.meta.dirname;
const mistakeModules = readdirSync(specDir).filter((f) => f.endsWith('.mistakes.ts'));
const suites = readdirSync(specDir).filter((f) => f.endsWith('.suite.ts'));

/** Each problem, and each convention's problem, with its mistakes. */
const everyProblem = Object.values(problems as Record<string, Problem>).flatMap((p) => [p, ...(p.conventions ?? []).map((c) => c.problem)]);

describe("the suites' named mistakes", () => {
  it('are written in no suite file', () => {
    const writing = suites.filter((f) => /\bmistake\(\{/.test(readFileSync(path.join(specDir, f), 'utf8')));
    expect(writing, 'move these mistake({...}) calls into spec/<suite>.mistakes.ts').toEqual([]);
  });

  it('each module of mistakes exports lists of mistakes and nothing else (the self-check replays each export as such a list)', async () => {
    expect(mistakeModules.length).toBeGreaterThan(0);
    for (const file of mistakeModules) {
      const exported = (await import(path.join(specDir, file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(exported)) {
        expect(Array.isArray(value), `${file} exports ${name}, which is not a list of mistakes`).toBe(true);
        for (const m of value as Mistake[]) expect(Object.keys(m).sort(), `${file}#${name}`).toEqual(['hint', 'id', 'implementation', 'title']);
      }
    }
  });

  it("every problem's mistakes, its conventions' included, come from those modules", async () => {
    const listed = new Set<Mistake>();
    for (const file of mistakeModules) {
      for (const list of Object.values((await import(path.join(specDir, file))) as Record<string, Mistake[]>)) for (const m of list) listed.add(m);
    }
    const elsewhere = everyProblem.flatMap((p) => p.mistakes.filter((m) => !listed.has(m)).map((m) => `${p.id}: ${m.id}`));
    expect(elsewhere).toEqual([]);
  });
});
