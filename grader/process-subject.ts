// A student's submission as a Subject living in a child process (Python or Node), under limits.
// The grader and the child speak JSON lines over fds 3 (requests) and 4 (responses); see docs/protocol.md.
// A call that times out kills the child, which is restarted for the next call, so one infinite loop costs
// one check, not the submission. Calls issued in the same tick (a check's cases run at once, src/first-pass.ts)
// leave as one `batch` message; the child answers each as it finishes, and each call has its own time limit
// from the moment the call before it was answered.

import { type StdioOptions, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Call, CheckFailure, SubjectError, type SubjectFailureCode, type Value } from '../src/failure.ts';
import type { Handle, Subject } from '../src/subject.ts';
import { CappedText, type ChildBinding, DEFAULT_LIMITS, type Limits, command, scrubbedEnv } from './child-launch.ts';
import { type CallShape, HELLO, MAX_BATCH_BYTES, PROGRESS, type ReadyInfo, type Response, decodeWire, encodeWire, readLines, wireShape } from './protocol.ts';
import { matplotlibFontList } from './matplotlib-fonts.ts';
import { EnvironmentFailure, missingEnvironmentModule, numpyMissing, pythonExecutable, requirePython } from './python.ts';
import { ISOLATED_ADAPTER_PATH, type IsolatedLaunchOptions, type SandboxMode, SandboxError, isolatedLaunch, sandboxMode, withParentDeathSignal } from './sandbox.ts';
import { CallCoreWait } from './core-wait.ts';
import { type SubmissionChild, spawnedChild } from './submission-child.ts';
import { type Language, languageOf } from './submission.ts';
import { Zygote, preloadFor } from './zygote.ts';
import { withRunnerCoverage } from './runner-coverage.ts';

interface Pending {
  readonly call: Call;
  readonly resolve: (v: Value) => void;
  readonly reject: (e: unknown) => void;
  /** Armed when the child starts on this call: when it was sent, or when the call before it was answered. */
  timer?: NodeJS.Timeout;
}

/** How often a call's time limit is checked, and the most one check charges (the grader may have been busy). */
const TICK_MS = 50;
const LAG_ALLOWANCE_MS = 2 * TICK_MS;

export interface ProcessSubjectOptions {
  /** The adapter and the handout's provided names. */
  readonly binding?: ChildBinding;
  readonly limits?: Partial<Limits>;
  /** Integer-valued arguments by function (e.g. class labels): sent as int64 arrays to Python. */
  readonly intArgs?: Readonly<Record<string, readonly number[]>>;
  /** Working directory of the child (a private temp dir). */
  readonly cwd: string;
  /** Seeds the submission's own RNGs (random, numpy, torch, Math.random). */
  readonly seed?: number;
  /** Overrides GRADECHECK_SANDBOX (see grader/sandbox.ts). */
  readonly sandbox?: SandboxMode;
  /** Isolated: what else the child gets beside the submission file (see isolatedLaunch). */
  readonly isolation?: IsolatedLaunchOptions;
  /** What the submission's earlier processes used of its total time (`limits.totalTimeMs`). */
  readonly usedMs?: number;
  /** Scrubbed mode: run the child as this unprivileged user (the grader must be root; `cwd` must be theirs). */
  readonly runAs?: { readonly uid: number; readonly gid: number };
  /**
   * A Python child is forked from the zygote this slot holds, made by the first process that needs it, instead
   * of spawned: the grade's processes share one import of its libraries (grader/zygote.ts).
   */
  readonly zygote?: ZygoteSlot;
}

/** Where the processes of one grade keep their zygote (grader/submission-processes.ts). */
export interface ZygoteSlot {
  zygote?: Zygote;
}

/** Where a submission's time went, for the benchmarks (bench/grade.ts). */
export interface SubjectTiming {
  /** Spawn to ready, summed over restarts: interpreter start and loading the submission. */
  readonly startupMs: number;
  readonly calls: number;
  /** Request written to response read, summed: the student's compute plus the wire both ways. */
  readonly roundTripMs: number;
  /** Inside the submission's functions, as the child measured it. */
  readonly computeMs: number;
  /** Messages written to the child: a batch of calls counts once. */
  readonly messages: number;
}

export class ProcessSubject implements Subject {
  readonly label: string;
  readonly language: Language;
  readonly limits: Limits;
  readonly stdout: CappedText;
  readonly stderr: CappedText;
  /** Set when any answer came back in float32/float16 (tolerances widen for it). */
  lowPrecision = false;
  ready: ReadyInfo = { defined: [], loadErrors: [] };
  private child: SubmissionChild | undefined;
  private pending = new Map<number, Pending>();
  /** Instances in the current child (a restart loses them). */
  private live = new Set<number>();
  /**
   * Every request id sent so far. Ids are random, not sequential: a child that forges answers for ids it has not
   * been sent yet (sequential ones are predictable) could otherwise pre-answer a later call, or break the channel
   * at a later problem's first call, depending on when the grader reads its pipe.
   */
  private readonly issued = new Set<number>();
  private restarts = -1;
  /** `restarts` when the current problem began (see renewRestartBudget). */
  private restartsBefore = 0;
  private spentMs = 0;
  private startupMs = 0;
  private computeMs = 0;
  private calls = 0;
  private roundTripMs = 0;
  private messages = 0;
  /** Calls waiting for this tick's batch, in order. */
  private outbox: { readonly id: number; readonly line: string }[] = [];
  private flushScheduled = false;
  /** Calls written to the current child and not yet answered, in the order it runs them. */
  private inflight: number[] = [];
  /** Since when the child has had a call to work on (performance.now()). */
  private busySince: number | undefined;
  private respawn: Promise<void> | undefined;
  private lastDeath: SubjectError | undefined;
  private killReason: SubjectError | undefined;
  private progress: { readonly cell: number; readonly sinceMs: number } | undefined;
  private launch: { cmd: string; args: readonly string[]; cwd: string; submissionPath: string; fontList?: string } | undefined;
  /** Which protection the child runs under (docs/security.md). */
  mode: SandboxMode = 'scrubbed';
  /**
   * Set when the child could not be started as it should (no interpreter, the sandbox failed, the harness
   * died before running any student code, numpy or torch missing): the grade is ungradable, never a 0.
   */
  infrastructureFailure: SandboxError | EnvironmentFailure | undefined;

  private constructor(
    readonly submission: string,
    private readonly options: ProcessSubjectOptions,
  ) {
    this.language = languageOf(submission);
    this.label = `student:${path.basename(submission)}`;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.spentMs = options.usedMs ?? 0;
    this.stdout = new CappedText(this.limits.maxOutputBytes);
    this.stderr = new CappedText(this.limits.maxOutputBytes);
  }

  /** Starts the child and waits until it has loaded the submission. Never throws for a broken submission. */
  static async start(submission: string, options: ProcessSubjectOptions): Promise<ProcessSubject> {
    const subject = new ProcessSubject(path.resolve(submission), options);
    try {
      if (subject.language === 'python') requirePython(pythonExecutable());
      subject.mode = options.sandbox ?? sandboxMode();
      const entry = subject.language === 'python' && options.zygote ? 'zygote' : 'harness';
      // Built once per machine for Python's matplotlib; never for a Node submission.
      const fontList = subject.language === 'python' ? matplotlibFontList(pythonExecutable()) : undefined;
      subject.launch =
        subject.mode === 'isolated'
          ? isolatedLaunch(subject.language, subject.submission, subject.language === 'python' ? pythonExecutable() : process.execPath, subject.limits, options.cwd, {
              ...options.isolation,
              ...(options.binding?.adapter ? { adapter: options.binding.adapter } : {}),
              ...(fontList ? { fontList } : {}),
              entry,
            })
          : { ...command(subject.language, subject.submission, subject.limits, entry), cwd: options.cwd, submissionPath: subject.submission, ...(fontList ? { fontList } : {}) };
    } catch (error) {
      subject.infrastructureFailure = error instanceof SandboxError || error instanceof EnvironmentFailure ? error : new SandboxError(`cannot prepare the submission's process: ${(error as Error).message}`);
      return subject;
    }
    await subject.spawnChild();
    return subject;
  }

  /** The submission's time used so far against `limits.totalTimeMs`: this process's and `usedMs` before it. */
  get usedMs(): number {
    return this.spentMs;
  }

  get timing(): SubjectTiming {
    return { startupMs: this.startupMs, calls: this.calls, roundTripMs: this.roundTripMs, computeMs: this.computeMs, messages: this.messages };
  }

  private async spawnChild(): Promise<void> {
    const spawnedAt = Date.now();
    this.restarts++;
    this.live.clear();
    if (!this.launch) throw new SandboxError('the submission process was not prepared');
    let greeted = false;
    const child = this.startChild(this.launch);
    this.child = child;
    this.killReason = undefined;
    child.stdout.setEncoding('utf8').on('data', (d: string) => this.stdout.add(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => this.stderr.add(d));
    // Writing to a child that just died raises EPIPE on this stream; its exit handler reports the death.
    child.requests.on('error', () => {});
    const responses = child.responses;
    const readyPromise = new Promise<void>((resolve) => {
      readLines(responses, this.limits.maxResponseBytes, {
        tooLong: () => this.kill(child, new SubjectError('limit_exceeded', `a response exceeded ${this.limits.maxResponseBytes} bytes`)),
        line: (line) => {
          let message: Response;
          try {
            message = JSON.parse(line) as Response;
          } catch {
            this.kill(child, new SubjectError('crashed', 'the submission corrupted the protocol channel'));
            return false;
          }
          if (message.op === HELLO) {
            greeted = true;
          } else if (message.op === PROGRESS) {
            // Which cell the execution is in; forged by the submission, it only misplaces its own blame.
            this.progress = typeof message.cell === 'number' ? { cell: message.cell, sinceMs: performance.now() } : undefined;
          } else if (message.op === 'ready') {
            this.ready = { defined: message.defined ?? [], loadErrors: message.loadErrors ?? [], missingModules: message.missingModules ?? [] };
            this.noteEnvironment(message);
            resolve();
          } else {
            this.settle(message, child);
          }
          return true;
        },
      });
    });
    const exited = new Promise<void>((resolve) => {
      child.onExit((code, signal) => {
        this.childExited(child, code, signal, greeted);
        resolve();
      });
      child.onError((error) => {
        this.killReason = new SubjectError('crashed', `could not start ${this.launch?.cmd}: ${error.message}`);
        this.infrastructureFailure = new SandboxError(`could not start ${this.launch?.cmd}: ${error.message}`);
        resolve();
      });
    });
    const timeout = new Promise<'timeout'>((resolve) => {
      const t = setTimeout(() => resolve('timeout'), this.limits.startupTimeoutMs);
      t.unref();
    });
    const outcome = await Promise.race([readyPromise.then(() => 'ready' as const), exited.then(() => 'exited' as const), timeout]);
    this.startupMs += Date.now() - spawnedAt;
    this.spentMs += Date.now() - spawnedAt;
    if (outcome !== 'ready') this.failedToLoad(child, outcome, greeted);
  }

  /**
   * The child for the submission, started now: forked from the grade's zygote (made by the first process that
   * needs it), else spawned, in its own process group and dying with the grader even if it is killed with SIGKILL.
   */
  private startChild(launch: NonNullable<ProcessSubject['launch']>): SubmissionChild {
    const env = scrubbedEnv(this.limits, this.options.seed ?? 0, this.childBinding, launch.fontList);
    const runAs = this.options.runAs && this.mode === 'scrubbed' ? { uid: this.options.runAs.uid, gid: this.options.runAs.gid } : {};
    const slot = this.language === 'python' ? this.options.zygote : undefined;
    if (slot) {
      slot.zygote ??= new Zygote(() => ({
        ...withParentDeathSignal(launch.cmd, launch.args),
        cwd: launch.cwd,
        ...runAs,
        env: {
          ...env,
          GRADECHECK_PRELOAD: preloadFor(this.submission).join(','),
          // What a harness can write, emptied after each one (the sandbox's /work is its cwd).
          GRADECHECK_WIPE: this.mode === 'isolated' ? '/work:/tmp' : launch.cwd,
        },
      }));
      return slot.zygote.fork(env, launch.submissionPath);
    }
    const { cmd, args } = withParentDeathSignal(launch.cmd, launch.args);
    const start = (stdio: StdioOptions) =>
      spawn(cmd, args, {
        cwd: launch.cwd,
        env,
        stdio,
        detached: true, // its own process group, so a kill takes its children too
        // The isolated launcher drops to a fresh uid itself; --run-as is the scrubbed mode's separate user.
        ...runAs,
      });
    const stdio = ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'] as const;
    return spawnedChild(withRunnerCoverage(this.language, stdio, start));
  }

  /** The child died: every call waiting on it fails with the reason, and the next call restarts it. */
  private childExited(child: SubmissionChild, code: number | null, signal: NodeJS.Signals | null, greeted: boolean): void {
    if (!greeted && this.killReason === undefined) {
      const tail = this.stderr.toString().trim().split('\n').slice(-3).join(' ');
      this.infrastructureFailure = new SandboxError(`the submission's process (${this.mode}) exited with ${signal ? `signal ${signal}` : `code ${code}`} before the harness started${tail ? `: ${tail}` : ''}`);
    }
    const reason = this.killReason ?? this.deathReason(code, signal);
    this.lastDeath = reason;
    if (this.child === child) this.child = undefined;
    this.inflight = [];
    this.idle();
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(reason);
      this.pending.delete(id);
    }
  }

  /**
   * The child never said it was ready: it exited or ran out of start-up time. Before the harness greeted, that is
   * the sandbox's failure; after, the submission's load failed, and that is its load error.
   */
  private failedToLoad(child: SubmissionChild, outcome: 'exited' | 'timeout', greeted: boolean): void {
    if (outcome === 'timeout') {
      if (!greeted) this.infrastructureFailure = new SandboxError(`the submission's process did not start within ${this.limits.startupTimeoutMs} ms`);
      this.kill(child, new SubjectError('timeout', `loading the submission took longer than ${this.limits.startupTimeoutMs} ms`));
    }
    const reason = this.killReason ?? this.lastDeath ?? new SubjectError('crashed', 'the submission exited while loading');
    this.lastDeath = reason;
    this.ready = {
      defined: [],
      loadErrors: [{ kind: 'import', message: reason.message, traceback: this.stderr.toString().slice(-4000) }],
    };
  }

  /** The Python lacks numpy, or the submission imports a package the environment should have: not the student's 0. */
  private noteEnvironment(ready: Response): void {
    if (this.language !== 'python') return;
    const python = pythonExecutable();
    const missing = ready.numpy === false ? numpyMissing(python) : (ready.loadErrors ?? []).map((e) => missingEnvironmentModule('', e.message, python)).find((f) => f !== undefined);
    if (missing) this.infrastructureFailure ??= missing;
  }

  private deathReason(code: number | null, signal: NodeJS.Signals | null): SubjectError {
    const tail = this.stderr.toString().slice(-2000);
    if (/heap out of memory|MemoryError|Cannot allocate memory/i.test(tail)) {
      return new SubjectError('limit_exceeded', `the submission ran out of memory (limit ${this.limits.memoryMb} MiB)`, tail);
    }
    return new SubjectError('crashed', `the submission's process exited (${signal ? `signal ${signal}` : `code ${code}`}) during a call`, tail);
  }

  private kill(child: SubmissionChild, reason: SubjectError): void {
    this.killReason ??= reason; // the first reason is the true one (a dying child may still break a rule)
    child.kill();
  }

  private settle(message: Response, child: SubmissionChild): void {
    // A child being killed has had its say: its calls end with the reason it is killed for.
    if (this.child !== child || this.killReason !== undefined || message.id === undefined) return;
    // The harness answers every call once, in the order it was sent: an answer for a call made but not the one
    // the child is on (a later call of the batch, or one answered already) was forged by the submission, and
    // the channel can no longer be trusted. An answer for a call never made is ignored.
    if (message.id !== this.inflight[0]) {
      if (this.issued.has(message.id)) {
        this.kill(child, new SubjectError('crashed', 'the submission corrupted the protocol channel (an answer out of turn)'));
      }
      return;
    }
    const p = this.pending.get(message.id);
    if (!p) return;
    this.pending.delete(message.id!);
    clearTimeout(p.timer);
    this.answered(message.id!);
    this.computeMs += typeof message.computeMs === 'number' && Number.isFinite(message.computeMs) ? message.computeMs : 0;
    if (message.ok) {
      const value = decodeWire(message.value);
      if (message.lowPrecision) this.lowPrecision = true;
      if (message.mutated) {
        p.reject(
          new CheckFailure({
            code: 'mutated_input',
            message: `${p.call.fn} modified its arguments in place (the catalog says functions must not)`,
            call: p.call,
          }),
        );
        return;
      }
      p.resolve(value);
      return;
    }
    p.reject(this.failureOf(message.error ?? { type: 'unknown', message: 'no error description' }, p.call));
  }

  /** What an error the harness reports means: the student's raise, a limit, a missing name, or the environment. */
  private failureOf(e: NonNullable<Response['error']>, call: Call): SubjectError | EnvironmentFailure {
    // `import torch` inside the function, on a machine without torch.
    const environment = this.language === 'python' ? missingEnvironmentModule(e.type, e.message, pythonExecutable()) : undefined;
    if (environment) {
      this.infrastructureFailure ??= environment;
      return environment;
    }
    const tooLarge = e.type === 'ResponseTooLarge';
    const code: SubjectFailureCode = e.type === 'missing' ? 'missing' : e.type === 'MemoryError' || tooLarge ? 'limit_exceeded' : 'raised';
    const text =
      e.type === 'missing'
        ? e.message
        : tooLarge
          ? `a response exceeded ${this.limits.maxResponseBytes} bytes: ${call.fn} returned ${e.message.replace(/^the answer has/, 'an answer with')}`
          : e.type === 'harness'
            ? `${call.fn}: ${e.message}` // the harness could not decode the arguments or encode the answer
            : `${call.fn} raised ${e.type}: ${e.message}`;
    return new SubjectError(code, text, e.traceback);
  }

  call(fn: string, args: readonly Value[]): Promise<Value> {
    return this.callShaped(fn, args, {});
  }

  /**
   * Calls `fn` as a binding shapes the call. The integer arguments are where the shape says, else those of
   * `catalogName` (the catalog function the call stands for), by position in `args`.
   */
  callShaped(fn: string, args: readonly Value[], shape: CallShape, catalogName = fn): Promise<Value> {
    return this.request({ op: 'call', fn, args: encodeWire(args as Value), intArgs: shape.intArgs ?? this.options.intArgs?.[catalogName] ?? [], ...wireShape(shape) }, { fn, args });
  }

  create(cls: string, args: readonly Value[]): Promise<Handle> {
    return this.createShaped(cls, args, {});
  }

  async createShaped(cls: string, args: readonly Value[], shape: CallShape): Promise<Handle> {
    const answer = await this.request({ op: 'new', cls, args: encodeWire(args as Value), ...wireShape(shape) }, { fn: cls, args });
    const handle = { id: Number(answer), cls };
    this.live.add(handle.id);
    return handle;
  }

  invoke(handle: Handle, method: string, args: readonly Value[]): Promise<Value> {
    this.requireAlive(handle);
    return this.request({ op: 'invoke', handle: handle.id, method, args: encodeWire(args as Value) }, { fn: `${handle.cls}.${method}`, args });
  }

  async inspect(handle: Handle): Promise<Value[]> {
    this.requireAlive(handle);
    const answer = await this.request({ op: 'inspect', handle: handle.id }, { fn: `${handle.cls} (parameters)`, args: [] });
    return Array.isArray(answer) ? (answer as Value[]) : [answer];
  }

  /** The adapter as the child sees it: copied into the isolated sandbox, or read where it lies. */
  private get childBinding(): ChildBinding {
    const b = this.options.binding ?? {};
    return this.mode === 'isolated' && b.adapter ? { ...b, adapter: ISOLATED_ADAPTER_PATH } : b;
  }

  /**
   * A new problem begins: it gets the full restart allowance. A submission that crashes, or corrupts the channel,
   * on every call of one problem (and exhausts the allowance while its failures shrink) must not take the next
   * problem's checks down with it; the total time limit still bounds what the crashes cost together.
   */
  renewRestartBudget(): void {
    this.restartsBefore = Math.max(this.restarts, 0);
  }

  /** Instances die with their process: a handle from before a restart is gone. */
  private requireAlive(handle: Handle): void {
    if (!this.live.has(handle.id) || !this.child) {
      throw this.lastDeath ?? new SubjectError('crashed', `the instance of ${handle.cls} was lost when the process restarted`);
    }
  }

  private async request(message: Record<string, unknown>, call: Call): Promise<Value> {
    if (this.spentMs >= this.limits.totalTimeMs) {
      throw new SubjectError('not_run', `the submission used up its total time limit of ${this.limits.totalTimeMs} ms (total_time_ms) on earlier checks`);
    }
    if (this.infrastructureFailure) throw this.infrastructureFailure;
    if (!this.child) {
      // Calls issued together wait for one restart, not one each.
      if (!this.respawn) {
        if (this.restarts - this.restartsBefore >= this.limits.maxRestarts) {
          throw this.lastDeath ?? new SubjectError('crashed', 'the submission process is gone');
        }
        this.respawn = this.spawnChild().finally(() => (this.respawn = undefined));
      }
      await this.respawn;
      if (!this.child) throw this.lastDeath ?? new SubjectError('crashed', 'the submission could not be restarted');
    }
    let id: number;
    do id = randomInt(1, 2 ** 47);
    while (this.issued.has(id));
    this.issued.add(id);
    this.calls++;
    const answer = new Promise<Value>((resolve, reject) => this.pending.set(id, { call, resolve, reject }));
    this.outbox.push({ id, line: JSON.stringify({ id, ...message }) });
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      // After every microtask of this tick: the calls the other cases issue now leave in the same message.
      setImmediate(() => this.flush());
    }
    return answer;
  }

  /** Writes this tick's calls to the child: one message, or a batch of them (a few when they are large). */
  private flush(): void {
    this.flushScheduled = false;
    // A call whose child died before it left was rejected with the death (the exit handler).
    const queued = this.outbox.filter((q) => this.pending.has(q.id));
    this.outbox = [];
    const child = this.child;
    if (!child || queued.length === 0) return;
    const stream = child.requests;
    for (let start = 0; start < queued.length; ) {
      let end = start + 1;
      let bytes = queued[start]!.line.length;
      while (end < queued.length && bytes + queued[end]!.line.length < MAX_BATCH_BYTES) bytes += queued[end++]!.line.length;
      const group = queued.slice(start, end);
      const text = group.length === 1 ? group[0]!.line : `{"op":"batch","requests":[${group.map((q) => q.line).join(',')}]}`;
      if (this.inflight.length === 0) this.busySince = performance.now();
      this.inflight.push(...group.map((q) => q.id));
      this.messages++;
      stream.write(`${text}\n`);
      start = end;
    }
    this.armHead(child);
  }

  /** Starts the time limit of the call the child is working on. */
  private armHead(child: SubmissionChild): void {
    const head = this.inflight[0];
    if (head === undefined) return;
    const p = this.pending.get(head);
    if (!p || p.timer) return;
    // The call's time counts only while the grader could read the child's pipes: while it is busy judging other
    // cases' answers, a child writing a large answer or much output waits for it, and that wait is not the
    // child's. A tick that comes late is charged at most LAG_ALLOWANCE_MS.
    // The submission's total time left caps the call's own limit.
    const left = this.limits.totalTimeMs - this.spentMs - (this.busySince === undefined ? 0 : performance.now() - this.busySince);
    const limit = Math.max(0, Math.min(this.limits.callTimeoutMs, left));
    const reason = () =>
      limit < this.limits.callTimeoutMs
        ? new SubjectError('timeout', `${p.call.fn} was stopped when the submission's total time limit of ${this.limits.totalTimeMs} ms (total_time_ms) ran out`)
        : new SubjectError('timeout', `${p.call.fn} did not return within ${this.limits.callTimeoutMs} ms`);
    let charged = 0;
    let last = performance.now();
    // Its waits for a core on a busy machine are not the call's (grader/core-wait.ts); they are the submission's
    // once its total time is what runs out.
    const waits = limit === this.limits.callTimeoutMs ? new CallCoreWait(() => child.coreWaitMs()) : undefined;
    const tick = () => {
      const now = performance.now();
      charged += Math.min(now - last, LAG_ALLOWANCE_MS);
      last = now;
      waits?.begin();
      if (charged < limit || waits?.goesOn(charged, limit)) {
        p.timer = setTimeout(tick, charged < limit ? Math.min(TICK_MS, limit - charged) : TICK_MS);
        return;
      }
      // Timers run before the event loop reads the pipes: read what is there first, then kill only if the child
      // is still on this call.
      setImmediate(() => {
        if (this.inflight[0] === head && this.pending.has(head)) this.kill(child, waits?.busyMachine(p.call.fn, charged, limit) ?? reason());
      });
    };
    p.timer = setTimeout(tick, Math.min(TICK_MS, limit));
  }

  /** A call was answered: the child moves on to the next one, whose time limit starts now. */
  private answered(id: number): void {
    const at = this.inflight.indexOf(id);
    if (at >= 0) this.inflight.splice(at, 1);
    if (this.inflight.length === 0) this.idle();
    else if (this.child) this.armHead(this.child);
  }

  /** The child has nothing left to work on: its busy time counts toward the total limit. */
  private idle(): void {
    if (this.busySince === undefined) return;
    const busy = performance.now() - this.busySince;
    this.busySince = undefined;
    this.spentMs += busy;
    this.roundTripMs += busy;
  }

  /** The notebook cell an execution last announced, and for how long it has been running, in ms. */
  executingCell(): { readonly cell: number; readonly ms: number } | undefined {
    return this.progress && { cell: this.progress.cell, ms: performance.now() - this.progress.sinceMs };
  }

  /** Kills the child now, its calls failing as timed out for this reason (a cell that could not be stopped). */
  stop(reason: string): void {
    if (this.child) this.kill(this.child, new SubjectError('timeout', reason));
  }

  /** Stops the child (and anything it started). */
  async close(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const gone = new Promise<void>((resolve) => child.onExit(() => resolve()));
    this.kill(child, new SubjectError('crashed', 'closed by the grader'));
    await gone;
  }
}
