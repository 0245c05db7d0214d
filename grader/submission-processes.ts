// The processes one grading starts for a submission, and their private working directories: each started
// fresh in its own directory (a Python one forked from the grade's zygote, in the zygote's sandbox, which empties
// what the last one wrote: grader/zygote.ts), sharing one total time (a later process gets what the earlier ones
// left), all closed and their directories removed at the end, whatever happened.

import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Assignment } from './assignment.ts';
import { childOptions } from './child-options.ts';
import type { Limits } from './child-launch.ts';
import { ProcessSubject, type SubjectTiming, type ZygoteSlot } from './process-subject.ts';
import type { SandboxMode } from './sandbox.ts';
import { zygoteEnabled } from './zygote.ts';

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

  constructor(private readonly settings: ProcessSettings) {}

  /** A private temporary directory, removed by close(). */
  tempDir(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-'));
    this.dirs.push(dir);
    return dir;
  }

  /** A fresh process for the submission's code, in a fresh private directory; throws what breaks the sandbox. */
  async start(file: string, extraLimits: Partial<Limits> = {}): Promise<ProcessSubject> {
    const { assignment, runAs, sandbox, fileOnly } = this.settings;
    const cwd = this.tempDir();
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
    await this.zygote.zygote?.close();
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}
