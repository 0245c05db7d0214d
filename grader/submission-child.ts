// The process a ProcessSubject talks to, as it sees it: the protocol's two channels, the submission's output,
// its end, and a way to stop it. Either a child spawned for it (below) or a harness forked by the grade's
// zygote (grader/zygote.ts).

import type { ChildProcess } from 'node:child_process';
import { treeCoreWaitMs } from './core-wait.ts';

export interface SubmissionChild {
  /** fd 1 and 2: what the submission printed. */
  readonly stdout: NodeJS.ReadableStream;
  readonly stderr: NodeJS.ReadableStream;
  /** fd 3: requests, one JSON line per write. */
  readonly requests: NodeJS.WritableStream;
  /** fd 4: responses. */
  readonly responses: NodeJS.ReadableStream;
  /** Once, when it is gone (a failed start included, after `onError`). */
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
  /** It could not be started at all. */
  onError(listener: (error: Error) => void): void;
  /** Stops it and anything it started, now. */
  kill(): void;
  /**
   * How long, in ms, the processes it runs in have waited for a core (a forked harness: its zygote's, which runs
   * one harness at a time); undefined where it cannot be read.
   */
  coreWaitMs(): number | undefined;
}

/** How long an exit waits for the child's responses to be read to their end. */
const EXIT_READ_GRACE_MS = 250;

/** A child spawned with stdio ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'] in its own process group. */
export function spawnedChild(child: ChildProcess): SubmissionChild {
  return {
    stdout: child.stdout!,
    stderr: child.stderr!,
    requests: child.stdio[3] as NodeJS.WritableStream,
    responses: child.stdio[4] as NodeJS.ReadableStream,
    // Node may tell the exit before what the child wrote last is read (its greeting, an answer): the decision
    // of what the exit means waits for its responses to end, for a moment at most (a daemon may hold the pipe).
    onExit: (listener) =>
      child.on('exit', (code, signal) => {
        const responses = child.stdio[4] as NodeJS.ReadableStream & { readableEnded?: boolean };
        if (responses.readableEnded) return listener(code, signal);
        let told = false;
        const tell = () => {
          if (told) return;
          told = true;
          clearTimeout(timer);
          listener(code, signal);
        };
        const timer = setTimeout(tell, EXIT_READ_GRACE_MS);
        responses.once('end', tell);
        responses.once('close', tell);
      }),
    onError: (listener) => child.on('error', listener),
    kill: () => killGroup(child),
    coreWaitMs: () => (child.pid === undefined ? undefined : treeCoreWaitMs(child.pid)),
  };
}

/** SIGKILL to a child spawned `detached` and everything in its process group. */
export function killGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}
