// The processes one grading starts for a submission, and their private working directories: each started
// fresh in its own directory (a Python one forked from the grade's zygote, in the zygote's sandbox, which empties
// what the last one wrote: grader/zygote.ts), sharing one total time (a later process gets what the earlier ones
// left), all closed and their directories removed at the end, whatever happened. In the isolated sandbox the
// zygote may be one an earlier grade kept, and is given back for the next (grader/zygote-pool.ts).

import { chownSync, rmSync } from 'node:fs';
import type { Assignment } from './assignment.ts';
import { childOptions } from './child-options.ts';
import type { Limits } from './child-launch.ts';
import { ProcessSubject, type SubjectTiming, type ZygoteSlot } from './process-subject.ts';
import { newStage } from './private-dirs.ts';
import { pythonExecutable } from './python.ts';
import { type SandboxMode, sandboxMode } from './sandbox.ts';
import { languageOf } from './submission.ts';
import { preloadFor, zygoteEnabled } from './zygote.ts';
import { type ZygoteLease, clearStage, giveBackZygote, takeZygote, zygotesKept } from './zygote-pool.ts';

export interface ProcessSettings {
  readonly assignment: Assignment;
  readonly limits?: Partial<Limits>;
  readonly sandbox?: SandboxMode;
  readonly fileOnly?: boolean;
  readonly runAs?: { readonly uid: number; readonly gid: number };
}

export class SubmissionProcesses {
  private readonly started: ProcessSubject[] = [];
  private readonly dirs: string[] = [];
  /** The zygote the processes are forked from (Python), made by the first one (grader/zygote.ts). */
  private readonly zygote: ZygoteSlot = {};
  /** What kind of zygote the grade forks from, when one is kept between grades; its stage once chosen. */
  private keptKind: string | undefined;
  private keptStage: string | undefined;
  private lease: ZygoteLease | undefined;

  constructor(private readonly settings: ProcessSettings) {}

  /** A private temporary directory, removed by close(). */
  tempDir(): string {
    const dir = newStage();
    this.dirs.push(dir);
    return dir;
  }

  /** A fresh process for the submission's code, in a fresh private directory; throws what breaks the sandbox. */
  async start(file: string, extraLimits: Partial<Limits> = {}): Promise<ProcessSubject> {
    const { assignment, runAs, sandbox, fileOnly } = this.settings;
    const cwd = this.stageFor(file);
    if (runAs) chownSync(cwd, runAs.uid, runAs.gid);
    const subject = await ProcessSubject.start(file, {
      cwd,
      ...(runAs ? { runAs } : {}),
      ...childOptions(assignment, { ...this.settings.limits, ...extraLimits }),
      usedMs: this.started.at(-1)?.usedMs ?? 0, // each process carries on from the one before
      ...(sandbox ? { sandbox } : {}),
      isolation: { fileOnly: fileOnly ?? false, assignmentFile: assignment.file },
      ...(zygoteEnabled() ? { zygote: this.zygote } : {}),
    });
    this.started.push(subject);
    if (subject.infrastructureFailure) throw subject.infrastructureFailure;
    return subject;
  }

  /**
   * Where a process runs. A zygote kept between grades runs every process of the grade in its sandbox, whose root
   * is its stage: a kept one's (taken at the first start), else the first process's directory, kept with the
   * zygote at the end. Each start stages its files there afresh. Otherwise each process has a directory of its own.
   */
  private stageFor(file: string): string {
    if (this.started.length === 0) this.keptKind = this.zygoteKind(file);
    if (this.keptKind === undefined) return this.tempDir();
    if (this.keptStage === undefined) {
      this.lease = takeZygote(this.keptKind);
      if (this.lease) this.zygote.zygote = this.lease.zygote;
      this.keptStage = this.lease?.stage ?? newStage();
    }
    clearStage(this.keptStage);
    return this.keptStage;
  }

  /** The kind of zygote `file`'s processes fork from, if one is kept between grades: its interpreter and preloads. */
  private zygoteKind(file: string): string | undefined {
    try {
      const isolated = (this.settings.sandbox ?? sandboxMode()) === 'isolated';
      if (!zygoteEnabled() || !zygotesKept() || !isolated || languageOf(file) !== 'python' || this.settings.runAs) return undefined;
      return [pythonExecutable(), ...preloadFor(file)].join('\n');
    } catch {
      return undefined; // no sandbox or no Python: the start reports it
    }
  }

  /** The first process started: its load of the definitions is the report's. */
  get first(): ProcessSubject | undefined {
    return this.started[0];
  }

  /** Where the time of all the processes went (bench/grade.ts). */
  timing(): SubjectTiming {
    const sum = (k: keyof SubjectTiming) => this.started.reduce((s, p) => s + p.timing[k], 0);
    return { startupMs: sum('startupMs'), calls: sum('calls'), roundTripMs: sum('roundTripMs'), computeMs: sum('computeMs'), messages: sum('messages') };
  }

  /** What the processes printed, in order (staff-only: results.json hides stdout from students). */
  output(stream: 'stdout' | 'stderr'): string {
    return this.started.map((s) => s[stream].toString()).filter(Boolean).join('\n');
  }

  async close(): Promise<void> {
    await Promise.all(this.started.map((s) => s.close()));
    const zygote = this.zygote.zygote;
    if (zygote && this.keptKind !== undefined && this.keptStage !== undefined) {
      await giveBackZygote(this.lease ?? { kind: this.keptKind, zygote, stage: this.keptStage, uses: 1 });
    } else {
      await zygote?.close();
      if (this.keptStage !== undefined) rmSync(this.keptStage, { recursive: true, force: true });
    }
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}
