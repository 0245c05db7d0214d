// Benchmark: what the grader's prebuilt matplotlib font list (grader/matplotlib-fonts.ts) saves each Python
// process that imports matplotlib.pyplot. Starts fixtures/submissions/protocol/matplotlib-cache.py REPS times
// with the list and REPS times without (GRADECHECK_MPL_FONTLIST=off), interleaved so that a busy machine slows
// both alike, and prints the medians of the process start (spawn to ready, as grading charges it) and of the
// child's CPU time up to the end of its pyplot import (fc-list included). Asserts nothing about speed, but exits
// non-zero when the child with the list did not find it. Run with `npx tsx bench/matplotlib-fonts.ts [REPS]`.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FONTLIST_ENV } from '../grader/matplotlib-fonts.ts';
import { ProcessSubject } from '../grader/process-subject.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = path.join(root, 'fixtures', 'submissions', 'protocol', 'matplotlib-cache.py');
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface Run {
  readonly startupMs: number;
  readonly cpuSeconds: number;
  readonly cached: boolean;
}

async function once(withList: boolean): Promise<Run> {
  const saved = process.env[FONTLIST_ENV];
  if (withList) delete process.env[FONTLIST_ENV];
  else process.env[FONTLIST_ENV] = 'off';
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-bench-'));
  try {
    const s = await ProcessSubject.start(fixture, { cwd });
    const state = (await s.call('cache_state', [])) as { files: string[]; cpu_seconds: number };
    await s.close();
    return { startupMs: s.timing.startupMs, cpuSeconds: state.cpu_seconds, cached: state.files.length > 0 };
  } finally {
    if (saved === undefined) delete process.env[FONTLIST_ENV];
    else process.env[FONTLIST_ENV] = saved;
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** Returns false when a process given the list did not find it. */
export async function benchMatplotlibFonts(reps = 5): Promise<boolean> {
  await once(true); // warm-up: builds the list if this machine has none yet
  const runs: Record<'with' | 'without', Run[]> = { with: [], without: [] };
  for (let i = 0; i < reps; i++) {
    runs.with.push(await once(true));
    runs.without.push(await once(false));
  }
  console.log(`a Python process importing matplotlib.pyplot, medians over ${reps} interleaved runs each`);
  for (const [label, rs] of Object.entries(runs)) {
    console.log(`  ${label} the font list: start ${median(rs.map((r) => r.startupMs)).toFixed(0)} ms, child CPU ${median(rs.map((r) => r.cpuSeconds)).toFixed(2)} s, list found ${rs.filter((r) => r.cached).length}/${rs.length}`);
  }
  return runs.with.every((r) => r.cached);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (!(await benchMatplotlibFonts(Number(process.argv[2] ?? 5)))) process.exitCode = 1;
}
