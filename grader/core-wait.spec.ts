// A call's time limit on a busy machine: the time its processes waited for a core is not the submission's
// (grader/core-wait.ts), up to BUSY_MACHINE_ALLOWANCE times the limit; its own work and its sleeps are.

import { type ChildProcess, spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUSY_MACHINE_ALLOWANCE, CallCoreWait, treeCoreWaitMs } from './core-wait.ts';
import { ProcessSubject } from './process-subject.ts';
import { pythonExecutable } from './python.ts';
import { testTempDir } from './test-temp.ts';

describe('CallCoreWait: past its limit, a call goes on while its waits for a core make up the difference', () => {
  /** A reader that returns the given waits in turn (the first at the call's first tick). */
  const reads = (...waits: (number | undefined)[]) => () => waits.shift();

  it('goes on while wall time less waits is below the limit, and stops once it is not', () => {
    const waits = new CallCoreWait(reads(100, 6_100, 6_100));
    waits.begin();
    expect(waits.goesOn(10_000, 10_000)).toBe(true); // 6 s of the 10 waited: 4 s its own
    expect(waits.goesOn(16_000, 10_000)).toBe(false); // 16 - 6 = 10 s its own
    expect(waits.busyMachine('f', 16_000, 10_000)).toBeUndefined(); // its own limit, not the machine's
  });

  it(`stops at ${BUSY_MACHINE_ALLOWANCE} times the limit however long it waited, and says the machine was busy`, () => {
    const waits = new CallCoreWait(reads(0, 35_000, 35_000));
    waits.begin();
    expect(waits.goesOn(39_000, 10_000)).toBe(true);
    expect(waits.goesOn(40_000, 10_000)).toBe(false);
    expect(waits.busyMachine('hyperparam_tuning', 40_000, 10_000)?.message).toBe(
      'hyperparam_tuning did not return within 10000 ms (stopped after 40000 ms, 4 times its limit: the machine was so busy that it waited 35000 ms of them for a core)',
    );
  });

  it('keeps the waits it saw when a process that ended takes its share with it', () => {
    const waits = new CallCoreWait(reads(0, 5_000, 1_000));
    waits.begin();
    expect(waits.goesOn(14_000, 10_000)).toBe(true);
    expect(waits.goesOn(14_500, 10_000)).toBe(true); // still 5 s waited
  });

  it('without a reading the wall clock rules (not Linux, no schedstat)', () => {
    const waits = new CallCoreWait(reads(undefined, 5_000));
    waits.begin();
    expect(waits.goesOn(10_000, 10_000)).toBe(false);
    expect(waits.busyMachine('f', 10_000, 10_000)).toBeUndefined();
  });
});

const onLinux = process.platform === 'linux';
const hogs: ChildProcess[] = [];
/**
 * Busy loops on every core, several each, running once it returns: what a class graded in parallel does to one
 * grade. Each in its own session, as the grader's children are: Linux shares the CPU between sessions first
 * (sched_autogroup), so loops in the test's session would slow a child of another session little.
 */
const hogTheCores = async () => {
  for (let i = 0; i < 4 * availableParallelism(); i++) hogs.push(spawn(pythonExecutable(), ['-c', 'while True: pass'], { stdio: 'ignore', detached: true }));
  await new Promise((resolve) => setTimeout(resolve, 1000));
};
const subjects: ProcessSubject[] = [];
/** Kills every loop: each hog's process group (the tree's loops are in its sh's). */
const stopHogs = () => {
  for (const hog of hogs.splice(0)) {
    try {
      process.kill(-hog.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
};
afterAll(async () => {
  stopHogs();
  await Promise.all(subjects.map((s) => s.close()));
});

describe.runIf(onLinux)('on a machine whose cores are all busy', () => {
  it('treeCoreWaitMs counts the waits of the processes below the root', async () => {
    const loop = `${pythonExecutable()} -c 'while True: pass'`;
    const tree = spawn('sh', ['-c', `${loop} & ${loop} & wait`], { stdio: 'ignore', detached: true });
    hogs.push(tree);
    await hogTheCores();
    expect(treeCoreWaitMs(tree.pid!)).toBeGreaterThan(300); // sh itself sleeps in `wait`: the loops below it wait
    stopHogs();
  }, 30_000);

  it('a call that needs less CPU time than its limit is answered, though waiting for a core made it take longer', async () => {
    const s = await ProcessSubject.start(path.join(import.meta.dirname, '..', 'fixtures', 'submissions', 'protocol', 'slow.py'), {
      cwd: testTempDir('core-wait'),
      seed: 1,
      limits: { callTimeoutMs: 1000 },
    });
    subjects.push(s);
    await hogTheCores();
    const started = performance.now();
    const answer = await s.call('spin', [0.4]).catch((error: Error) => error.message);
    const took = performance.now() - started;
    stopHogs();
    expect(took, 'the busy loops did not slow the call past its limit: this test shows nothing here').toBeGreaterThan(1000);
    expect(answer).toBe(0.4);
    // A call that works past its limit is still stopped, and one that sleeps past it is not given more time.
    await expect(s.call('spin', [3])).rejects.toMatchObject({ code: 'timeout', message: expect.stringMatching(/^spin did not return within 1000 ms/) });
    await expect(s.call('nap', [3])).rejects.toMatchObject({ code: 'timeout', message: 'nap did not return within 1000 ms' });
  }, 60_000);
});
