// One grade's zygote (grader/runners/zygote.py): a Python process that imports the submission's heavy libraries
// (PyTorch: 1.3 to 1.9 s of CPU) once, in the sandbox a harness would run in, and forks a harness for each process
// the grade starts (visible checks, hidden checks, the notebook's execution, restarts). Each forked harness is a
// SubmissionChild to its ProcessSubject. It speaks the protocol on the zygote's fds 3 and 4 itself; the zygote is
// told what to do on fd 5, says which harness it forked (and the secret nonce of its end) on fd 6, and ends each
// harness's share of fd 4 with `{"zygote-exit":{"nonce",...}}` (docs/protocol.md, "The zygote"; docs/security.md).

import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { PassThrough, type Readable, Writable } from 'node:stream';
import { readLines } from './protocol.ts';
import { treeCoreWaitMs } from './core-wait.ts';
import { type SubmissionChild, killGroup } from './submission-child.ts';
import { withRunnerCoverage } from './runner-coverage.ts';

/** How the zygote's end-of-harness line on fd 4 starts; one without the harness's nonce is the harness's own. */
const EXIT_PREFIX = '{"zygote-exit":';
/** The zygote's end line is short: a longer line that starts like it is the harness's. */
const MAX_EXIT_LINE = 512;
/** How long a harness asked to end may take before the whole zygote is killed instead. */
const END_GRACE_MS = 2_000;

/** How to start the zygote: the launch a harness would get, its entry point swapped (grader/child-launch.ts). */
export interface ZygoteLaunch {
  readonly cmd: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly uid?: number;
  readonly gid?: number;
}

/** The heavy modules worth importing before the fork: those the submission's source imports. */
export function preloadFor(submission: string): string[] {
  let source: string;
  try {
    source = readFileSync(submission, 'utf8');
  } catch {
    return [];
  }
  return ['torch', 'numpy'].filter((name) => new RegExp(`^\\s*(?:import|from)\\s+${name}\\b`, 'm').test(source));
}

/** Whether a grade's Python processes are forked from a zygote (GRADECHECK_ZYGOTE=0 spawns each one). */
export function zygoteEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env['GRADECHECK_ZYGOTE'] !== '0';
}

export class Zygote {
  private process: ChildProcess | undefined;
  /** Forked harnesses not yet known to be gone, oldest first: what arrives on fd 4 is the oldest's. */
  private readonly forked: ForkedHarness[] = [];
  /** Where output that arrives between harnesses goes: the last one's. */
  private lastOutput: ForkedHarness | undefined;
  private nextId = 1;
  private spawned = 0;
  private closed = false;

  constructor(private readonly launch: () => ZygoteLaunch) {}

  /** How many zygote processes were started: one, unless one died or was killed. */
  get starts(): number {
    return this.spawned;
  }

  /** A harness forked in `env` on `submission` (its path as the zygote sees it): started now, its zygote first if there is none alive. */
  fork(env: NodeJS.ProcessEnv, submission: string): SubmissionChild {
    const harness = new ForkedHarness(this, String(this.nextId++));
    if (this.closed) {
      queueMicrotask(() => harness.gone(null, 'SIGKILL'));
      return harness;
    }
    const zygote = this.process ?? this.spawn();
    this.forked.push(harness);
    this.lastOutput = harness;
    // Sent once every request written before is in the pipe: the zygote drops those before it forks.
    const order = JSON.stringify({ env, submission });
    pipe(zygote, 3).write('', () => pipe(zygote, 5).write(`fork ${harness.id} ${order}\n`));
    return harness;
  }

  /** Alive with no harness: what it can be kept for (grader/zygote-pool.ts). */
  get idle(): boolean {
    return !this.closed && this.process !== undefined && this.process.exitCode === null && this.process.signalCode === null && this.forked.length === 0;
  }

  /**
   * Kept idle (`held` false) or taken for a grade again (true). While kept, it does not keep the grader's process
   * alive, and what it writes is nobody's: the last grade's harness is gone.
   */
  hold(held: boolean): void {
    this.lastOutput = undefined;
    const zygote = this.process;
    if (!zygote) return;
    for (const handle of [zygote, ...zygote.stdio]) {
      const refable = handle as { ref?: () => void; unref?: () => void } | null;
      if (held) refable?.ref?.();
      else refable?.unref?.();
    }
  }

  /** How long, in ms, its process tree (the zygote and the harness it runs) has waited for a core. */
  coreWaitMs(): number | undefined {
    const pid = this.process?.pid;
    return pid === undefined ? undefined : treeCoreWaitMs(pid);
  }

  /** Kills it at once, without waiting (the grader's process is exiting). */
  killNow(): void {
    this.closed = true;
    this.killZygote();
  }

  /** Kills the zygote and every harness it forked. */
  async close(): Promise<void> {
    this.closed = true;
    const zygote = this.process;
    if (!zygote) return;
    const exited = new Promise<void>((resolve) => zygote.once('close', () => resolve()));
    this.killZygote();
    await exited;
  }

  /** Asks the zygote to end `harness`: it is killed with what it started, and swept. */
  end(harness: ForkedHarness): void {
    const zygote = this.process;
    if (!zygote || !this.forked.includes(harness)) return;
    pipe(zygote, 5).write(`end ${harness.id}\n`);
    // A zygote that does not answer is killed whole: the next fork starts another.
    const timer = setTimeout(() => {
      if (this.process === zygote && this.forked.includes(harness)) this.killZygote();
    }, END_GRACE_MS);
    timer.unref();
  }

  /** Requests from `harness`'s subject: written while it is the one running; a gone one's are dropped. */
  write(harness: ForkedHarness, chunk: Buffer | string, done: () => void): void {
    const zygote = this.process;
    if (!zygote || this.forked[0] !== harness) {
      done();
      return;
    }
    pipe(zygote, 3).write(chunk, () => done());
  }

  private killZygote(): void {
    if (this.process) killGroup(this.process);
  }

  private spawn(): ChildProcess {
    const { cmd, args, cwd, env, uid, gid } = this.launch();
    const zygote = withRunnerCoverage('python', ['ignore', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe', 'pipe'], (stdio) =>
      spawn(cmd, args, {
        cwd,
        env,
        stdio,
        detached: true, // its own process group, so a kill takes every harness too
        ...(uid !== undefined && gid !== undefined ? { uid, gid } : {}),
      }),
    );
    this.process = zygote;
    this.spawned++;
    zygote.stdout?.on('data', (d: Buffer) => writeOpen(this.output()?.stdout, d));
    zygote.stderr?.on('data', (d: Buffer) => writeOpen(this.output()?.stderr, d));
    for (const fd of [3, 5]) pipe(zygote, fd).on('error', () => {});
    const relay = new Fd4Relay(this.forked, (harness, nonce) => this.ended(harness, nonce));
    (zygote.stdio[4] as Readable).setEncoding('utf8').on('data', (chunk: string) => relay.feed(chunk));
    readLines((zygote.stdio as unknown as Readable[])[6]!, MAX_EXIT_LINE, {
      // `forked ID NONCE`, written by the zygote alone (a harness has no fd 6)
      line: (line) => {
        const [verb, id, nonce] = line.split(' ');
        const harness = this.forked.find((h) => h.id === id);
        if (verb === 'forked' && harness && nonce) {
          harness.nonce = nonce;
          relay.resume();
        }
        return true;
      },
      tooLong: () => this.killZygote(),
    });
    let failed: Error | undefined;
    // Every harness still waiting dies with its zygote; the next fork spawns a new one.
    const died = (code: number | null, signal: NodeJS.Signals | null) => {
      if (this.process === zygote) this.process = undefined;
      for (const harness of this.forked.splice(0)) harness.gone(code, signal, failed);
    };
    zygote.on('error', (error) => {
      failed = error;
      if (zygote.pid === undefined) died(null, null); // never started: no 'close' to wait for
    });
    // Gone as soon as it exits: a fork asked for before its pipes close (its harnesses hold them) starts another
    // zygote, never one queued to a dead one.
    zygote.on('exit', () => {
      if (this.process === zygote) this.process = undefined;
    });
    zygote.on('close', died);
    return zygote;
  }

  /** Where the zygote's stdout and stderr go: the harness running, else the last one. */
  private output(): ForkedHarness | undefined {
    return this.forked[0] ?? this.lastOutput;
  }

  /** The oldest harness's end line came: it is gone. */
  private ended(harness: ForkedHarness, line: string): void {
    this.forked.splice(this.forked.indexOf(harness), 1);
    let code: number | null = null;
    let signal: NodeJS.Signals | null = 'SIGKILL';
    try {
      const parsed = (JSON.parse(line) as { 'zygote-exit': { code: number | null; signal: NodeJS.Signals | null } })['zygote-exit'];
      ({ code, signal } = parsed);
    } catch {
      // the zygote wrote it: it parses
    }
    harness.gone(code, signal);
  }
}

/** Output for a harness's stream; dropped once it ended (the harness is gone). */
function writeOpen(stream: Writable | undefined, data: Buffer): void {
  if (stream && !stream.writableEnded) stream.write(data);
}

function pipe(zygote: ChildProcess, fd: number): NodeJS.WritableStream & NodeJS.EventEmitter {
  return zygote.stdio[fd] as NodeJS.WritableStream & NodeJS.EventEmitter;
}

/**
 * fd 4 as the harnesses and the zygote write it: each harness's lines, passed to its subject as they come, then
 * the zygote's end line for it, taken only with that harness's nonce (a line the harness forged is passed on as
 * its own). An end line that comes before the nonce (fd 6 read later than fd 4) waits for it, and so does
 * everything after it. Empty lines are dropped: the zygote starts its end line on a line of its own.
 */
class Fd4Relay {
  private head = ''; // the start of a line, until it is long enough to tell whether it is an end
  private state: 'start' | 'pass' | 'take' = 'start';
  private waiting: string[] = [];
  private held = false;

  constructor(
    private readonly forked: readonly ForkedHarness[],
    private readonly ended: (harness: ForkedHarness, line: string) => void,
  ) {}

  feed(chunk: string): void {
    if (this.held) {
      this.waiting.push(chunk);
      return;
    }
    let i = 0;
    while (i < chunk.length && !this.held) {
      if (this.state === 'start') {
        const piece = chunk.slice(i, i + EXIT_PREFIX.length - this.head.length);
        const nl = piece.indexOf('\n');
        if (nl >= 0) {
          const line = this.head + piece.slice(0, nl + 1);
          if (line !== '\n') this.pass(line); // the empty line before an end line is the zygote's
          this.head = '';
          i += nl + 1;
          continue;
        }
        this.head += piece;
        i += piece.length;
        if (this.head.length === EXIT_PREFIX.length) {
          if (this.head === EXIT_PREFIX) this.state = 'take';
          else {
            this.pass(this.head);
            this.head = '';
            this.state = 'pass';
          }
        }
        continue;
      }
      const nl = chunk.indexOf('\n', i);
      const end = nl < 0 ? chunk.length : nl + 1;
      if (this.state === 'pass') this.pass(chunk.slice(i, end));
      else this.head += chunk.slice(i, end);
      i = end;
      if (this.state === 'take' && this.head.length > MAX_EXIT_LINE) {
        this.pass(this.head); // too long to be the zygote's
        this.head = '';
        this.state = nl < 0 ? 'pass' : 'start';
        continue;
      }
      if (nl < 0) continue;
      if (this.state === 'take') this.endLine(this.head);
      if (!this.held) {
        this.head = '';
        this.state = 'start';
      }
    }
    if (this.held) this.waiting.push(chunk.slice(i));
  }

  /** A nonce arrived on fd 6: an end line waiting for it is judged now, then what came after it. */
  resume(): void {
    if (!this.held) return;
    this.held = false;
    const line = this.head;
    this.head = '';
    this.state = 'start';
    this.endLine(line);
    if (this.held) return;
    const waiting = this.waiting.splice(0);
    for (const chunk of waiting) this.feed(chunk);
  }

  private endLine(line: string): void {
    const harness = this.forked[0];
    if (!harness) return;
    if (harness.nonce === undefined) {
      this.held = true;
      this.head = line;
      return;
    }
    let nonce: unknown;
    try {
      nonce = (JSON.parse(line) as { 'zygote-exit'?: { nonce?: unknown } })['zygote-exit']?.nonce;
    } catch {
      nonce = undefined;
    }
    if (nonce === harness.nonce) this.ended(harness, line);
    else this.pass(line); // the harness's own
  }

  private pass(text: string): void {
    if (text) this.forked[0]?.responses.write(text);
  }
}

/** A harness the zygote forked, as its ProcessSubject sees it. */
class ForkedHarness extends EventEmitter implements SubmissionChild {
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly responses = new PassThrough();
  readonly requests: Writable;
  /** The secret its end line carries, from the zygote's fd 6. */
  nonce: string | undefined;
  private ended = false;

  constructor(
    private readonly zygote: Zygote,
    readonly id: string,
  ) {
    super();
    this.requests = new Writable({ write: (chunk: Buffer, _encoding, done) => this.zygote.write(this, chunk, done) });
  }

  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void {
    this.on('exit', listener);
  }

  onError(listener: (error: Error) => void): void {
    this.on('error', listener);
  }

  kill(): void {
    if (!this.ended) this.zygote.end(this);
  }

  coreWaitMs(): number | undefined {
    return this.zygote.coreWaitMs();
  }

  /** It is gone: its streams end, then its exit is told (after what it wrote, as for a spawned child). */
  gone(code: number | null, signal: NodeJS.Signals | null, error?: Error): void {
    if (this.ended) return;
    this.ended = true;
    this.responses.end();
    this.stdout.end();
    this.stderr.end();
    setImmediate(() => {
      if (error) this.emit('error', error);
      this.emit('exit', code, signal);
    });
  }
}
