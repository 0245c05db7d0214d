// Zygotes kept between the grades of one grader process (a batch worker, a test run): the PyTorch import a zygote
// paid (2 s of CPU here) serves the next grade of the same kind too, not only the grade that started it.
//
// A grade takes a kept zygote if there is one for its kind (the interpreter and the modules it preloads), runs its
// processes in that zygote's sandbox (its stage, restaged with this grade's files), and gives it back when its
// harnesses ended cleanly. What one grade's student can leave for the next is what one harness can leave for the
// next within a grade, which the hidden checks already rely on: nothing (every process it started killed, the
// folders it could write emptied, the zygote itself never runs student code: docs/security.md). The staged files
// are removed as soon as the zygote is given back. Only the isolated sandbox keeps zygotes: there the stage is the
// sandbox's whole filesystem; the scrubbed mode's child shares the grader's user and files anyway.

import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Zygote } from './zygote.ts';

/** A zygote a grade holds, and the stage (the sandbox's root) it runs in. */
export interface ZygoteLease {
  readonly kind: string;
  readonly zygote: Zygote;
  readonly stage: string;
  /** Grades it served so far, this one included. */
  readonly uses: number;
}

/** How many idle zygotes of one kind are kept (concurrent grades each need their own). */
const MAX_IDLE_PER_KIND = 3;
/** Grades one zygote serves before it is replaced: a bound on anything that could build up in it. */
const MAX_USES = 50;
/** How long an idle zygote is kept for the next grade. */
const IDLE_MS = 20_000;

interface Kept {
  readonly lease: ZygoteLease;
  readonly timer: NodeJS.Timeout;
}

const idle = new Map<string, Kept[]>();
let exitHooked = false;

/** Whether zygotes are kept between grades (GRADECHECK_ZYGOTE=grade keeps each to its own grade). */
export function zygotesKept(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['GRADECHECK_ZYGOTE'] !== 'grade';
}

/** The files a grade staged for its processes; its stage's mount points stay for the next grade. */
export function clearStage(stage: string): void {
  rmSync(path.join(stage, 'gradecheck'), { recursive: true, force: true });
}

/** A kept zygote of `kind`, alive and idle, now the caller's; or none. */
export function takeZygote(kind: string): ZygoteLease | undefined {
  const kept = idle.get(kind);
  for (let next = kept?.pop(); next; next = kept?.pop()) {
    clearTimeout(next.timer);
    if (!next.lease.zygote.idle) {
      void discard(next.lease);
      continue;
    }
    next.lease.zygote.hold(true);
    return { ...next.lease, uses: next.lease.uses + 1 };
  }
  return undefined;
}

/**
 * The grade is over and every harness it started has ended: the zygote is kept for the next grade if it is idle
 * and has room, else killed. Its stage's staged files are removed either way.
 */
export function giveBackZygote(lease: ZygoteLease): Promise<void> {
  clearStage(lease.stage);
  const kept = idle.get(lease.kind) ?? [];
  if (!lease.zygote.idle || lease.uses >= MAX_USES || kept.length >= MAX_IDLE_PER_KIND) return discard(lease);
  lease.zygote.hold(false);
  const timer = setTimeout(() => {
    const i = kept.findIndex((k) => k.lease === lease);
    if (i >= 0) void discard(kept.splice(i, 1)[0]!.lease);
  }, IDLE_MS);
  timer.unref();
  kept.push({ lease, timer });
  idle.set(lease.kind, kept);
  hookExit();
  return Promise.resolve();
}

/** The stages of the zygotes kept idle now, of every kind. */
export function keptStages(): string[] {
  return [...idle.values()].flat().map((k) => k.lease.stage);
}

/** Kills every kept zygote and removes its stage (a test's clean slate; the grader's exit does it too). */
export async function dropKeptZygotes(): Promise<void> {
  const all = [...idle.values()].flat();
  idle.clear();
  await Promise.all(all.map(({ lease, timer }) => (clearTimeout(timer), discard(lease))));
}

async function discard(lease: ZygoteLease): Promise<void> {
  await lease.zygote.close();
  rmSync(lease.stage, { recursive: true, force: true });
}

/** Kept zygotes die with the grader (they have its death signal too) and their stages go with them. */
function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.once('exit', () => {
    for (const { lease } of [...idle.values()].flat()) {
      lease.zygote.killNow();
      rmSync(lease.stage, { recursive: true, force: true });
    }
  });
}
