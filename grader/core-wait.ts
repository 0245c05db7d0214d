// How long a submission's processes have waited for a core, read from Linux's /proc: what lets a call's time limit
// tell a submission that is slow from a machine that is busy (a class graded in parallel, the test suite's
// workers). The time a call's processes were ready to run but no core was free is not the submission's
// (grader/process-subject.ts); its sleeps, its loops and its waits on input are.

import { readFileSync, readdirSync } from 'node:fs';
import { SubjectError } from '../src/failure.ts';

/** How many times its limit a call may take in wall time, the waits for a core left out. */
export const BUSY_MACHINE_ALLOWANCE = 4;
/** More processes than a submission's tree ever holds: a bound on the walk, not a limit on the submission. */
const MAX_PROCESSES = 256;

/**
 * The time, in ms, that `root` and every process below it (each of their threads) have spent ready to run while
 * no core was free: the second field of /proc/PID/task/TID/schedstat. Undefined where it cannot be read (not
 * Linux, a kernel without schedstat, the root gone). A thread that ended takes its share with it.
 */
export function treeCoreWaitMs(root: number): number | undefined {
  const rootWait = processWaitNs(root);
  if (rootWait === undefined) return undefined;
  let ns = rootWait;
  const queue = childrenOf(root);
  for (let walked = 0; queue.length > 0 && walked < MAX_PROCESSES; walked++) {
    const pid = queue.shift()!;
    ns += processWaitNs(pid) ?? 0; // it ended during the walk
    queue.push(...childrenOf(pid));
  }
  return ns / 1e6;
}

/** The run-queue wait of every thread of `pid`, in ns. */
function processWaitNs(pid: number): number | undefined {
  let threads: string[];
  try {
    threads = readdirSync(`/proc/${pid}/task`);
  } catch {
    return undefined;
  }
  let ns = 0;
  for (const tid of threads) {
    try {
      const wait = Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'latin1').split(' ')[1]);
      if (Number.isFinite(wait)) ns += wait;
    } catch {
      // the thread ended during the walk
    }
  }
  return ns;
}

/** The children of `pid`'s main thread (/proc/PID/task/PID/children): the runners fork from it. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'latin1').split(' ').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** One call's waits for a core, left out of its time limit. */
export class CallCoreWait {
  private start: number | undefined;
  private unreadable = false;
  private waited = 0;

  /** `read`: the core wait, in ms, of the processes the call runs in (SubmissionChild.coreWaitMs). */
  constructor(private readonly read: () => number | undefined) {}

  /** Read once, at the call's first tick (calls shorter than a tick read nothing; a wait before it is the call's). */
  begin(): void {
    if (this.start !== undefined || this.unreadable) return;
    this.start = this.read();
    this.unreadable = this.start === undefined;
  }

  /**
   * Past its limit in wall time (`wall`, ms), whether the call goes on: the wall time less its waits for a core
   * is still below `limit`, and `wall` below BUSY_MACHINE_ALLOWANCE times the limit. Without a reading, no.
   */
  goesOn(wall: number, limit: number): boolean {
    if (this.start === undefined || wall >= BUSY_MACHINE_ALLOWANCE * limit) return false;
    const now = this.read();
    if (now === undefined) return false;
    this.waited = Math.max(this.waited, now - this.start); // a process that ended takes its waits with it
    return wall - this.waited < limit;
  }

  /** Why a call stopped at the allowance, its own time still short of its limit, was stopped. */
  busyMachine(fn: string, wall: number, limit: number): SubjectError | undefined {
    if (wall - this.waited >= limit) return undefined;
    return new SubjectError(
      'timeout',
      `${fn} did not return within ${limit} ms (stopped after ${Math.round(wall)} ms, ${BUSY_MACHINE_ALLOWANCE} times its limit: the machine was so busy that it waited ${Math.round(this.waited)} ms of them for a core)`,
    );
  }
}
