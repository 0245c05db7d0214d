// Benchmark: grading one homework (fixtures/assignments/catalog-seed-003.yaml) for one Python and one TypeScript
// submission (fixtures/submissions/seed-003/correct.{py,ts}, with fixtures/answers/seed-003/correct.yaml), with
// where the time goes, and the CLI's own start (`--help`, `list`). Prints figures and asserts nothing about
// speed, but exits non-zero when a submission meant to be correct does not get full marks: a figure for a
// grade that went wrong measures nothing. Run with `npx tsx bench/grade.ts [REPS]` (or `npm run bench`).
//
// What is timed, per repetition:
// - `cli`: `node bin/gradecheck.mjs grade --json` from spawn to exit, what one `gradecheck grade` costs;
//   `cli start` is that minus the grade itself (node, tsx, loading the suites; a batch worker pays it once).
// - `grade`: grade() in this process (as a batch worker runs it), wall clock, split into
//   - `proc start`: spawn to ready of the submission's process (interpreter, imports, the submission's
//     top level), summed over restarts (ProcessSubject.timing.startupMs);
//   - `compute`: time inside the student's functions, measured in the child around each call
//     (the `computeMs` of each response);
//   - `wire`: the time the child had calls to answer, minus that compute: encoding, the pipes both ways, decoding, the harness's
//     no-mutation copy, and the wait for the scheduler to run the other process;
//   - `grader`: the rest: fast-check, the reference, numerical differentiation, diagnosis and scoring.
// - CPU: this process's user+sys time and the reaped children's (/proc/self/stat utime+stime and
//   cutime+cstime), which time slicing with other processes does not inflate the way it inflates wall time.
// Overhead ratio: (grade wall - compute) / compute, the "grader overhead / student's compute".
// Figures are medians over REPS (default 3) after one warm-up; the load average is printed because a busy
// machine inflates every wall-clock figure, the wire most (each call waits for two wake-ups).

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { loadAssignment } from '../grader/assignment.ts';
import { grade } from '../grader/grade.ts';
import type { GradeReport } from '../grader/report.ts';

const run = promisify(execFile);
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const ASSIGNMENT = path.join(root, 'fixtures', 'assignments', 'catalog-seed-003.yaml');
const SUBMISSIONS = ['correct.py', 'correct.ts'].map((f) => path.join(root, 'fixtures', 'submissions', 'seed-003', f));
const ANSWERS = path.join(root, 'fixtures', 'answers', 'seed-003', 'correct.yaml');
/** Issue 17's targets for one `gradecheck grade`, CLI start included, in seconds. */
const TARGET_S: Record<string, number> = { '.py': 1.0, '.ts': 0.8 };
/** Issue 17's targets for the CLI's own start, in seconds. */
const CLI_TARGET_S: Record<string, number> = { '--help': 0.25, list: 0.4 };
const TICK_MS = 10; // USER_HZ = 100 on Linux

/** CPU ms of this process and of its reaped children, from /proc/self/stat. */
export function cpuMs(): { self: number; children: number } {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  const f = (i: number) => Number(fields[i - 3]);
  return { self: (f(14) + f(15)) * TICK_MS, children: (f(16) + f(17)) * TICK_MS };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

interface Sample {
  cliMs: number;
  cliStartMs: number;
  gradeMs: number;
  startMs: number;
  computeMs: number;
  wireMs: number;
  graderMs: number;
  calls: number;
  messages: number;
  cpuSelfMs: number;
  cpuChildMs: number;
  score: string;
  full: boolean;
}

async function sample(submission: string): Promise<Sample> {
  const assignment = loadAssignment(ASSIGNMENT);
  const t0 = performance.now();
  const { stdout } = await run(process.execPath, [path.join(root, 'bin', 'gradecheck.mjs'), 'grade', '--json', '-a', ASSIGNMENT, '--submission', submission, '--answers', ANSWERS, '-o', path.join(os.tmpdir(), 'gradecheck-bench-grade')], { maxBuffer: 64 << 20 });
  const cliMs = performance.now() - t0;
  const cliReport = JSON.parse(stdout) as GradeReport;
  const cpu0 = cpuMs();
  const t1 = performance.now();
  const report = await grade({ assignment, submission, answers: ANSWERS });
  const gradeMs = performance.now() - t1;
  const cpu1 = cpuMs();
  const t = report.timing ?? { startupMs: 0, calls: 0, roundTripMs: 0, computeMs: 0, messages: 0 };
  return {
    cliMs,
    cliStartMs: cliMs - cliReport.executionTimeMs,
    gradeMs,
    startMs: t.startupMs,
    computeMs: t.computeMs,
    wireMs: t.roundTripMs - t.computeMs,
    graderMs: gradeMs - t.startupMs - t.roundTripMs,
    calls: t.calls,
    messages: t.messages,
    cpuSelfMs: cpu1.self - cpu0.self,
    cpuChildMs: cpu1.children - cpu0.children,
    score: report.ungradable ? `ungradable: ${report.ungradable}` : `${report.score}/${report.maxScore}`,
    full: !report.ungradable && report.score === report.maxScore && cliReport.score === cliReport.maxScore,
  };
}

/** Wall seconds of `gradecheck ARGS` from spawn to exit (the median of REPS after a warm-up). */
async function cliSeconds(args: readonly string[], reps: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= reps; i++) {
    const t0 = performance.now();
    await run(process.execPath, [path.join(root, 'bin', 'gradecheck.mjs'), ...args], { maxBuffer: 64 << 20 });
    if (i > 0) times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

/** Prints the figures; resolves false when a submission meant to be correct did not get full marks. */
export async function benchGrade(reps = 3): Promise<boolean> {
  console.log(`bench grade: ${path.relative(root, ASSIGNMENT)}, one submission at a time; load average ${load()}, ${os.availableParallelism()} cores`);
  for (const [args, target] of [[['--help'], CLI_TARGET_S['--help']!], [['list'], CLI_TARGET_S['list']!]] as const) {
    const s = await cliSeconds(args, reps);
    console.log(`gradecheck ${args.join(' ')}: ${s.toFixed(2)} s (target ${target} s: ${s <= target ? 'met' : 'missed'})`);
  }
  const cols = ['submission', 'score', 'cli s', 'cli start', 'grade s', 'proc start', 'compute', 'wire', 'grader', 'calls', 'messages', 'wire/call', 'overhead', 'cpu grader', 'cpu child', 'target'];
  console.log(cols.join(' | '));
  const wrong: string[] = [];
  for (const submission of SUBMISSIONS) {
    await sample(submission); // warm-up: tsx's transform cache, the page cache
    const samples: Sample[] = [];
    for (let i = 0; i < reps; i++) samples.push(await sample(submission));
    const m = (k: keyof Omit<Sample, 'score' | 'full'>) => median(samples.map((s) => s[k]));
    const s = (ms: number) => (ms / 1000).toFixed(2);
    const ext = path.extname(submission);
    const wall = m('gradeMs');
    console.log(
      [
        path.basename(submission),
        samples[0]!.score,
        s(m('cliMs')),
        s(m('cliStartMs')),
        s(wall),
        s(m('startMs')),
        s(m('computeMs')),
        s(m('wireMs')),
        s(m('graderMs')),
        String(m('calls')),
        String(m('messages')),
        `${((m('wireMs') / Math.max(1, m('calls'))) * 1000).toFixed(0)} us`,
        `${((wall - m('computeMs')) / Math.max(1e-9, m('computeMs'))).toFixed(1)}x`,
        s(m('cpuSelfMs')),
        s(m('cpuChildMs')),
        `${TARGET_S[ext]} s: ${m('cliMs') / 1000 <= TARGET_S[ext]! ? 'met' : 'missed'}`,
      ].join(' | '),
    );
    if (!samples.every((x) => x.full)) {
      wrong.push(`${path.relative(root, submission)} scored ${samples.map((x) => x.score).join(', ')}, not full marks`);
    }
  }
  console.log(`load average after: ${load()}`);
  for (const w of wrong) console.error(`bench grade: ${w}: its figures time a grade that went wrong`);
  return wrong.length === 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href && !(await benchGrade(Number(process.argv[2] ?? 3)))) process.exitCode = 1;
