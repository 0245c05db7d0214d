// The grading processes of `gradecheck batch`: each is a long-lived `gradecheck worker` (node, tsx and the
// suites loaded once, not once per student) that grades one submission at a time on request over Node's IPC
// channel and writes its files. The student's code still runs in its own process per submission
// (ProcessSubject); a worker that dies costs the submission it was grading, and the next one gets a fresh
// worker. Workers are recycled after RECYCLE_AFTER submissions to bound what a long batch accumulates.

import { type ChildProcess, fork } from 'node:child_process';
import { type Assignment, loadAssignment } from './assignment.ts';
import { grade } from './grade.ts';
import { cliEntry } from './paths.ts';
import type { GradeReport } from './report.ts';
import { writeReport } from './write.ts';

const RECYCLE_AFTER = 100;

export interface GradeJob {
  readonly submission: string;
  readonly assignmentFile: string;
  /** Where results.json, feedback.md and junit.xml go. */
  readonly outDir: string;
  readonly submittedAt?: string;
  /** The student's answers.yaml, when the folder has one. */
  readonly answers?: string;
  /** The submission's folder holds other students' files: the isolated child gets the file alone. */
  readonly fileOnly?: boolean;
}

type WorkerAnswer = { readonly ok: true; readonly report: GradeReport } | { readonly ok: false; readonly error: string };

/** `gradecheck worker`: answers GradeJobs sent over the IPC channel until the channel closes. */
export function serveWorker(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('gradecheck worker runs under gradecheck batch (it needs an IPC channel)');
  const assignments = new Map<string, Assignment>();
  let queue = Promise.resolve();
  process.on('message', (job: GradeJob) => {
    queue = queue.then(async () => {
      let answer: WorkerAnswer;
      try {
        const assignment = assignments.get(job.assignmentFile) ?? loadAssignment(job.assignmentFile);
        assignments.set(job.assignmentFile, assignment);
        const report = await grade({
          assignment,
          submission: job.submission,
          ...(job.submittedAt ? { submittedAt: new Date(job.submittedAt) } : {}),
          ...(job.answers ? { answers: job.answers } : {}),
          ...(job.fileOnly ? { fileOnly: true } : {}),
        });
        writeReport(report, job.outDir);
        answer = { ok: true, report };
      } catch (error) {
        answer = { ok: false, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
      }
      send(answer);
    });
  });
  // The batch is gone (finished, or killed, even with SIGKILL): so is this worker, at once; the student
  // processes of a grade in progress die with it (parent-death signal), and every write is atomic.
  return new Promise(() => process.once('disconnect', () => process.exit(0)));
}

/** One worker process, started on first use and again after it dies or has graded RECYCLE_AFTER submissions. */
export class GradeWorker {
  private child: ChildProcess | undefined;
  private graded = 0;

  grade(job: GradeJob): Promise<GradeReport> {
    if (this.child && (this.graded >= RECYCLE_AFTER || !this.child.connected)) this.close();
    if (!this.child) {
      this.child = this.start();
      this.graded = 0;
    }
    const child = this.child;
    this.graded++;
    let stderr = '';
    const onStderr = (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-4000));
    child.stderr?.on('data', onStderr);
    return new Promise<GradeReport>((resolve, reject) => {
      const done = () => {
        child.off('message', onMessage);
        child.off('exit', onExit);
        child.stderr?.off('data', onStderr);
      };
      const onMessage = (answer: WorkerAnswer) => {
        done();
        if (answer.ok) resolve(answer.report);
        else reject(new Error(answer.error));
      };
      const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
        done();
        if (this.child === child) this.child = undefined;
        reject(new Error(`the grading process exited (${signal ? `signal ${signal}` : `code ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' ')}`));
      };
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send(job);
    });
  }

  private start(): ChildProcess {
    const child = fork(cliEntry, ['worker'], { execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    // A send to a worker that just died: its exit handler rejects the job.
    child.on('error', () => {});
    // A worker that dies between two submissions is replaced at the next one.
    child.once('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    return child;
  }

  close(): void {
    const child = this.child;
    this.child = undefined;
    if (child?.connected) child.disconnect();
  }
}
