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
// Figures: a repetition runs the whole input set of one n once; its ms/case is its wall-clock time over
// CASES. torch's repetitions alternate with ours (ours, torch's, ours, ...) after WARMUP untimed ones of
// each, so that both sides see the same load on a shared machine; per side, the median (and the range)
// over REPS repetitions is reported. cases/s is 1000 / median ms/case; speed-up is torch's median ms/case
// over ours. The CPU columns give the median CPU time per case (process.cpuUsage, and time.process_time
// in Python, all threads): time slicing with other processes does not inflate it, though a busy machine
// still slows both sides; the load average is printed for the same reason.
//
// Torch: bench/torch_gradcheck.py --serve is started once, receives the same inputs, and runs one
// repetition of torch.autograd.gradcheck(lambda z: softmax(z / tau), (z,), fast_mode=False) over the
// cases of a size on request. The torch columns show '-' when it cannot start or import torch (PYTHON
// overrides the interpreter, default /usr/bin/python3; BENCH_NO_TORCH=1 skips torch).

import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
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
/** Untimed repetitions per size and side before the timed ones. */
const WARMUP = 2;
/** Timed repetitions per size and side. */
const REPS = 9;
/** The size of the README line and of the goal (10x faster than torch). */
const HEADLINE_N = 64;

/** One repetition: milliseconds per case, wall-clock and CPU. */
interface Sample {
  readonly wall: number;
  readonly cpu: number;
}

export interface Timing {
  readonly n: number;
  readonly cases: number;
  readonly reps: number;
  /** Median over repetitions of the wall-clock ms per case. */
  readonly msPerCase: number;
  readonly msPerCaseMin: number;
  readonly msPerCaseMax: number;
  /** Median over repetitions of the CPU ms per case. */
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

function summarize(n: number, cases: number, samples: readonly Sample[]): Timing {
  const wall = samples.map((s) => s.wall);
  return {
    n,
    cases,
    reps: samples.length,
    msPerCase: median(wall),
    msPerCaseMin: Math.min(...wall),
    msPerCaseMax: Math.max(...wall),
    cpuMsPerCase: median(samples.map((s) => s.cpu)),
  };
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

/** One repetition of the suite's full-mode check on the reference over `inputs` (see the header). */
export function gradecheckRepetition(inputs: readonly SoftmaxInput[]): () => Promise<Sample> {
  const check = softmaxJacobianFiniteDifferenceCheck(Infinity);
  const property = check.property(referenceSubject);
  const examples = inputs.map((input): [unknown] => [input]);
  return async () => {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const details = await fc.check(property, { seed: SEED, numRuns: examples.length, examples });
    const wall = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    // Not a speed assertion: a failing or short run would time something other than the check.
    if (details.failed || details.numRuns !== examples.length) {
      throw new Error(`bench: ${check.id} did not pass all ${examples.length} cases (${details.numRuns} run, failed: ${details.failed})`);
    }
    return { wall: wall / examples.length, cpu: (cpu.user + cpu.system) / 1000 / examples.length };
  };
}

const PYTHON = process.env['PYTHON'] ?? '/usr/bin/python3';
const TORCH_SCRIPT = fileURLToPath(new URL('./torch_gradcheck.py', import.meta.url));

interface TorchServer {
  readonly torch: string;
  readonly threads: number;
  /** One repetition of torch.autograd.gradcheck over the cases of size n. */
  repetition(n: number): Promise<Sample>;
  close(): Promise<void>;
}

/** Starts bench/torch_gradcheck.py --serve with the inputs; the reason when it cannot run. */
async function startTorch(inputs: ReadonlyMap<number, readonly SoftmaxInput[]>): Promise<TorchServer | string> {
  if (process.env['BENCH_NO_TORCH']) return 'BENCH_NO_TORCH is set';
  const child: ChildProcessWithoutNullStreams = spawn(PYTHON, [TORCH_SCRIPT, '--serve'], { stdio: 'pipe' });
  let stderr = '';
  let spawnError: Error | undefined;
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.on('error', (error) => (spawnError = error));
  child.stdin.on('error', () => {}); // EPIPE when the child has died; reported through the missing reply
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const request = async (message: object): Promise<Record<string, unknown>> => {
    child.stdin.write(`${JSON.stringify(message)}\n`);
    const { value, done } = await lines.next();
    if (done) {
      await exited;
      const why = spawnError?.message ?? stderr.trim().split('\n').at(-1) ?? `exit ${child.exitCode}`;
      throw new Error(`${PYTHON} ${TORCH_SCRIPT} --serve: ${why}`);
    }
    return JSON.parse(value as string) as Record<string, unknown>;
  };
  const cases = Object.fromEntries([...inputs].map(([n, xs]) => [String(n), xs.map(({ z }) => z)]));
  let about: Record<string, unknown>;
  try {
    about = await request({ tau: TAU, cases });
  } catch (error) {
    return (error as Error).message;
  }
  return {
    torch: String(about['torch']),
    threads: Number(about['threads']),
    async repetition(n) {
      const r = await request({ n });
      return { wall: Number(r['ms_per_case']), cpu: Number(r['cpu_ms_per_case']) };
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
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
  const torch = await startTorch(inputs);
  console.log(
    typeof torch === 'string'
      ? `  torch: skipped (${torch})`
      : `  torch ${torch.torch} (${torch.threads} thread${torch.threads === 1 ? '' : 's'}): gradcheck(fast_mode=False), same inputs, repetitions alternating with ours`,
  );

  const result: JacobianBenchRow[] = [];
  try {
    for (const n of SIZES) {
      const xs = inputs.get(n)!;
      const fallbacks = richardsonFallbacks(xs);
      const ours = gradecheckRepetition(xs);
      const theirs = typeof torch === 'string' ? undefined : () => torch.repetition(n);
      for (let i = 0; i < WARMUP; i++) {
        await ours();
        await theirs?.();
      }
      const gc: Sample[] = [];
      const pt: Sample[] = [];
      for (let i = 0; i < REPS; i++) {
        gc.push(await ours());
        if (theirs) pt.push(await theirs());
      }
      result.push({
        gradecheck: summarize(n, xs.length, gc),
        richardsonFallbacks: fallbacks,
        ...(pt.length > 0 ? { torch: summarize(n, xs.length, pt) } : {}),
      });
    }
  } finally {
    if (typeof torch !== 'string') await torch.close();
  }

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
  console.log(
    `  load average (1 min) ${loadStart.toFixed(2)} at start, ${os.loadavg()[0]!.toFixed(2)} at end, on ${os.availableParallelism()} CPUs: ` +
      'figures are noisy when other work runs',
  );

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
