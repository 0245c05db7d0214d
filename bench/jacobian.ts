// Benchmark: a full float64 Jacobian check of softmax-jacobian against numerical differentiation, compared
// with torch.autograd.gradcheck (fast_mode=False) on the same inputs. Prints figures; asserts nothing about
// speed. Run with `npx tsx bench/jacobian.ts` (or `npm run bench` for every bench).
//
// What is timed: the suite's own `matches-finite-differences` check of softmax-jacobian, built by
// spec/softmax.suite.ts's softmaxJacobianFiniteDifferenceCheck with projectAbove = Infinity, so every n
// takes the full-Jacobian path (the problem itself uses JACOBIAN_PROJECT_ABOVE = 16 and projects above).
// Its property, bound to the reference subject with the plain context (the declared tolerance), is run by
// fast-check's runner with a fixed seed, as runCheck runs it, but with numRuns = the number of inputs and
// those inputs given as `examples`: fast-check runs exactly the fixed inputs, each once, in order, and
// generates nothing. (runCheck also wraps the subject in its tripwire, one more await per call, and asks
// for verbose reports, which only matter on failure.) One case is therefore: fast-check's per-run
// bookkeeping, the subject call (the reference softmax_jacobian through moduleSubject: structuredClone of
// the arguments, the analytic Jacobian, the no-mutation comparison), decoding the answer to the n x n
// shape, the central-difference Jacobian of the reference softmax (2n calls of softmax), and the tolerance
// comparison. Not timed: building the inputs and the property.
//
// Inputs: for each n in 8, 64, 256, CASES vectors z with entries N(0, 1) * 5/3 (so 3 sigma = 5, the
// suite's |z| <= 5) from the seeded Rng of src/rng.ts, and tau = 1. Before timing, each input is checked to
// pass on central differences alone, i.e. no case pays for the Richardson second opinion (the count of such
// inputs is printed in the `richardson` column, and should be 0). A case that fails the check stops the
// bench: its time would not be the check's.
//
// Figures: each repetition runs the whole input set of one n; ms/case is its wall-clock time over CASES.
// After WARMUP untimed repetitions, the median (and the range) over REPS repetitions is reported; cases/s
// is 1000 / median ms/case; speed-up is torch ms/case over gradecheck ms/case. The CPU columns give the
// median CPU time per case (process.cpuUsage; time.process_time in Python), which other processes on a
// shared machine inflate less than wall-clock time; the load average is printed for the same reason.
//
// Torch: bench/torch_gradcheck.py receives the same inputs on stdin and times
// torch.autograd.gradcheck(lambda z: softmax(z / tau), (z,), fast_mode=False) per case the same way (its
// own warm-up and repetitions). The torch columns show '-' when `python3 -c 'import torch'` fails (PYTHON
// overrides the interpreter, default /usr/bin/python3; BENCH_NO_TORCH=1 skips torch).

import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { jacobian } from '../src/numdiff.ts';
import { Rng, hashSeed } from '../src/rng.ts';
import { compare } from '../src/tolerance.ts';
import { softmax, softmaxJacobian } from '../reference/softmax.ts';
import { SOFTMAX_TOLERANCES, type SoftmaxInput, softmaxJacobianFiniteDifferenceCheck } from '../spec/softmax.suite.ts';
import { referenceSubject } from '../spec/subjects.ts';

export const SIZES = [8, 64, 256] as const;
/** Inputs per size. */
export const CASES = 32;
/** z = N(0, 1) * SCALE. */
export const SCALE = 5 / 3;
export const TAU = 1;
const SEED = 20261122;
const WARMUP = 2;
const REPS = 9;
const TORCH_WARMUP = 1;
const TORCH_REPS = 5;
/** The size of the README line and of the issue's goal (10x faster than torch). */
const HEADLINE_N = 64;

export interface Timing {
  readonly n: number;
  readonly cases: number;
  readonly reps: number;
  /** Median over repetitions. */
  readonly msPerCase: number;
  readonly msPerCaseMin: number;
  readonly msPerCaseMax: number;
  /** Median CPU time per case (user + system, all threads of the process). */
  readonly cpuMsPerCase: number;
}

export interface JacobianBenchRow {
  readonly gradecheck: Timing;
  /** Inputs that would fail on central differences and pay for Richardson extrapolation (expected 0). */
  readonly richardsonFallbacks: number;
  readonly torch?: Timing;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** The fixed, seeded inputs of size n. */
export function benchInputs(n: number): SoftmaxInput[] {
  const rng = new Rng(hashSeed('bench/jacobian', SEED, n));
  return Array.from({ length: CASES }, () => ({ z: rng.normalVector(n).map((v) => v * SCALE), tau: TAU }));
}

/** Inputs on which the check's central-difference comparison fails, so it also runs Richardson. */
function richardsonFallbacks(inputs: readonly SoftmaxInput[]): number {
  return inputs.filter(({ z, tau }) => {
    const central = jacobian((x) => softmax(x, tau), z, 'central');
    return !compare(softmaxJacobian(z, tau), central, SOFTMAX_TOLERANCES.finiteDifferences).ok;
  }).length;
}

/** Times the suite's full-mode check on the reference over `inputs` (see the header). */
export async function timeGradecheck(inputs: readonly SoftmaxInput[]): Promise<Timing> {
  const check = softmaxJacobianFiniteDifferenceCheck(Infinity);
  const property = check.property(referenceSubject);
  const examples = inputs.map((input): [unknown] => [input]);
  const oneRep = async (): Promise<{ wall: number; cpu: number }> => {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const details = await fc.check(property, { seed: SEED, numRuns: examples.length, examples });
    const elapsed = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    // Not a speed assertion: a failing or short run would time something other than the check.
    if (details.failed || details.numRuns !== examples.length) {
      throw new Error(`bench: ${check.id} did not pass all ${examples.length} cases (${details.numRuns} run, failed: ${details.failed})`);
    }
    return { wall: elapsed / examples.length, cpu: (cpu.user + cpu.system) / 1000 / examples.length };
  };
  for (let i = 0; i < WARMUP; i++) await oneRep();
  const timed: { wall: number; cpu: number }[] = [];
  for (let i = 0; i < REPS; i++) timed.push(await oneRep());
  const perCase = timed.map((t) => t.wall);
  return {
    n: inputs[0]?.z.length ?? 0,
    cases: inputs.length,
    reps: REPS,
    msPerCase: median(perCase),
    msPerCaseMin: Math.min(...perCase),
    msPerCaseMax: Math.max(...perCase),
    cpuMsPerCase: median(timed.map((t) => t.cpu)),
  };
}

const PYTHON = process.env['PYTHON'] ?? '/usr/bin/python3';
const TORCH_SCRIPT = fileURLToPath(new URL('./torch_gradcheck.py', import.meta.url));

interface TorchReport {
  readonly torch: string;
  readonly threads: number;
  readonly results: readonly {
    n: number;
    cases: number;
    reps: number;
    ms_per_case: number;
    ms_per_case_min: number;
    ms_per_case_max: number;
    cpu_ms_per_case: number;
  }[];
}

/** Runs bench/torch_gradcheck.py on the same inputs; undefined (with the reason) when torch is unavailable. */
export function timeTorch(inputs: ReadonlyMap<number, readonly SoftmaxInput[]>): { report?: TorchReport; skipped?: string } {
  if (process.env['BENCH_NO_TORCH']) return { skipped: 'BENCH_NO_TORCH is set' };
  const probe = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (probe.status !== 0) return { skipped: `${PYTHON} -c 'import torch' failed${probe.error ? ` (${probe.error.message})` : ''}` };
  const cases = Object.fromEntries([...inputs].map(([n, xs]) => [String(n), xs.map(({ z }) => z)]));
  const run = spawnSync(PYTHON, [TORCH_SCRIPT, '--inputs', '-'], {
    input: JSON.stringify({ tau: TAU, warmup: TORCH_WARMUP, reps: TORCH_REPS, cases }),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (run.status !== 0) return { skipped: `torch_gradcheck.py exited with ${run.status}: ${run.stderr.trim().split('\n').at(-1) ?? ''}` };
  return { report: JSON.parse(run.stdout) as TorchReport };
}

const fmt = (x: number, digits = 3): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toPrecision(digits));

export async function benchJacobian(): Promise<JacobianBenchRow[]> {
  const loadStart = os.loadavg()[0]!;
  const inputs = new Map(SIZES.map((n) => [n, benchInputs(n)] as const));
  console.log('bench jacobian: softmax-jacobian matches-finite-differences, full float64 Jacobian (projectAbove = Infinity)');
  console.log(
    `  reference subject; ${CASES} fixed inputs per n, z ~ N(0,1) * ${SCALE.toFixed(3)}, tau = ${TAU}; ` +
      `median of ${REPS} repetitions after ${WARMUP} warm-up; node ${process.version}`,
  );

  const rows: { gradecheck: Timing; richardsonFallbacks: number }[] = [];
  for (const n of SIZES) {
    const xs = inputs.get(n)!;
    rows.push({ richardsonFallbacks: richardsonFallbacks(xs), gradecheck: await timeGradecheck(xs) });
  }

  const { report, skipped } = timeTorch(inputs);
  if (report) {
    console.log(`  torch ${report.torch} (${report.threads} thread${report.threads === 1 ? '' : 's'}): gradcheck(fast_mode=False), same inputs, median of ${TORCH_REPS} after ${TORCH_WARMUP} warm-up`);
  } else {
    console.log(`  torch: skipped (${skipped})`);
  }
  const result: JacobianBenchRow[] = rows.map((row) => {
    const t = report?.results.find((r) => r.n === row.gradecheck.n);
    return t
      ? {
          ...row,
          torch: {
            n: t.n,
            cases: t.cases,
            reps: t.reps,
            msPerCase: t.ms_per_case,
            msPerCaseMin: t.ms_per_case_min,
            msPerCaseMax: t.ms_per_case_max,
            cpuMsPerCase: t.cpu_ms_per_case,
          },
        }
      : row;
  });

  const header = ['n', 'gradecheck ms/case', '(min-max)', 'cases/s', 'torch ms/case', '(min-max)', 'speed-up', 'cpu ms: gradecheck', 'torch', 'speed-up', 'richardson'];
  const table = result.map(({ gradecheck: g, torch: t, richardsonFallbacks: r }) => [
    String(g.n),
    fmt(g.msPerCase),
    `${fmt(g.msPerCaseMin)}-${fmt(g.msPerCaseMax)}`,
    (1000 / g.msPerCase).toFixed(0),
    t ? fmt(t.msPerCase) : '-',
    t ? `${fmt(t.msPerCaseMin)}-${fmt(t.msPerCaseMax)}` : '-',
    t ? `${(t.msPerCase / g.msPerCase).toFixed(1)}x` : '-',
    fmt(g.cpuMsPerCase),
    t ? fmt(t.cpuMsPerCase) : '-',
    t ? `${(t.cpuMsPerCase / g.cpuMsPerCase).toFixed(1)}x` : '-',
    `${r}/${g.cases}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log('');
  console.log(line(header));
  for (const row of table) console.log(line(row));
  console.log('');
  console.log(`  load average (1 min) ${loadStart.toFixed(2)} at start, ${os.loadavg()[0]!.toFixed(2)} at end, on ${os.availableParallelism()} CPUs: figures are noisy when other work runs`);

  const headline = result.find((r) => r.gradecheck.n === HEADLINE_N);
  if (headline) {
    const g = headline.gradecheck;
    const t = headline.torch;
    console.log(
      t
        ? `bench jacobian n=${HEADLINE_N}: ${fmt(g.msPerCase)} ms/case (torch ${fmt(t.msPerCase)} ms, ${(t.msPerCase / g.msPerCase).toFixed(1)} x)`
        : `bench jacobian n=${HEADLINE_N}: ${fmt(g.msPerCase)} ms/case (torch not measured)`,
    );
  }
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await benchJacobian();
}
