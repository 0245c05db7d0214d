// The grade's zygote (grader/zygote.ts, grader/runners/zygote.py): the harnesses it forks one after the other
// start as from a fresh sandbox (no file, no process, no shared memory of the one before), cannot forge their own end, cannot take
// the zygote down with them in the sandbox, and are stopped at a timeout like a spawned child; in both modes. The
// zygote imports what the submission imports (torch) before it forks.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProcessSubject, type ZygoteSlot } from './process-subject.ts';
import { expectIsolationWhereRequired } from './require-isolation.ts';
import { type SandboxMode, isolationAvailable } from './sandbox.ts';

const probe = path.join(import.meta.dirname, '..', 'fixtures', 'submissions', 'protocol', 'zygote-probe.py');
const dirs: string[] = [];
const slots: ZygoteSlot[] = [];
afterAll(async () => {
  await Promise.all(slots.map((s) => s.zygote?.close()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A fresh slot, as one grade's SubmissionProcesses holds it. */
function grade(sandbox: SandboxMode) {
  const slot: ZygoteSlot = {};
  slots.push(slot);
  const start = (callTimeoutMs = 10_000) => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-zygote-'));
    dirs.push(cwd);
    return ProcessSubject.start(probe, { cwd, sandbox, zygote: slot, limits: { callTimeoutMs } });
  };
  return { slot, start };
}

const preloadProbe = path.join(import.meta.dirname, '..', 'fixtures', 'submissions', 'protocol', 'zygote-preload.py');

describe('what the zygote imports before it forks', () => {
  it('is what the submission imports: a torch submission finds torch imported before its first line', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-zygote-'));
    dirs.push(cwd);
    const slot: ZygoteSlot = {};
    slots.push(slot);
    const forked = await ProcessSubject.start(preloadProbe, { cwd, zygote: slot });
    expect(await forked.call('torch_was_preloaded', [])).toBe(1);
    await forked.close();
    const spawned = await ProcessSubject.start(preloadProbe, { cwd });
    expect(await spawned.call('torch_was_preloaded', [])).toBe(0);
    await spawned.close();
  });
});

const modes: SandboxMode[] = ['scrubbed', ...(isolationAvailable() ? (['isolated'] as const) : [])];
expectIsolationWhereRequired();

describe.each(modes)('harnesses forked from one zygote (%s)', (sandbox) => {
  it('the next one finds no file and no process the one before left', async () => {
    const { slot, start } = grade(sandbox);
    const first = await start();
    const daemon = (await first.call('leave_traces', ['first'])) as number;
    expect(await first.call('traces', [])).toEqual([1, expect.any(Number)]);
    expect(await first.call('alive', [daemon])).toBe(1);
    expect(await first.call('shared_memory', [])).toBe(1);
    await first.close();
    const second = await start();
    // The scrubbed mode's /tmp is the machine's, shared as by spawned processes; the sandbox's is emptied.
    const [cwd, tmp] = (await second.call('traces', [])) as number[];
    expect(cwd).toBe(0);
    if (sandbox === 'isolated') expect(tmp).toBe(0);
    expect(await second.call('alive', [daemon])).toBe(0);
    // System V IPC outlives processes: the sandbox has a namespace of its own, emptied; the scrubbed mode's is the machine's.
    if (sandbox === 'isolated') expect(await second.call('shared_memory', [])).toBe(0);
    else expect(await second.call('remove_shared_memory', [])).toBe(1);
    await second.close();
    expect(slot.zygote?.starts).toBe(1);
  });

  it('a harness cannot end itself in the grader\'s eyes by writing the zygote\'s end line', async () => {
    const { start } = grade(sandbox);
    const s = await start();
    expect(await s.call('forge_end', [])).toBe(1);
    expect(await s.call('count', [])).toBe(2); // the same process: a restarted one would count 1
    await s.close();
  });

  it('a call that runs past its limit is stopped, and the next call gets a fresh harness from the same zygote', async () => {
    const { slot, start } = grade(sandbox);
    const s = await start(800);
    expect(await s.call('count', [])).toBe(1);
    await expect(s.call('spin', [])).rejects.toThrow(/did not return within 800 ms/);
    expect(await s.call('count', [])).toBe(1);
    await s.close();
    expect(slot.zygote?.starts).toBe(1);
  });

  it('a harness that kills the zygote costs at most its own process', async () => {
    const { slot, start } = grade(sandbox);
    const s = await start();
    expect(await s.call('count', [])).toBe(1);
    if (sandbox === 'isolated') {
      // PID 1 of the sandbox's namespace: a signal from inside is dropped, and the harness carries on.
      expect(await s.call('kill_parent', [])).toBe(2);
      expect(slot.zygote?.starts).toBe(1);
    } else {
      await expect(s.call('kill_parent', [])).rejects.toThrow(/exited/);
    }
    await s.close();
    const next = await start();
    expect(await next.call('count', [])).toBe(1);
    await next.close();
  });
});
