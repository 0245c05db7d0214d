// The hostile-submission suite (issue 9): every fixture in fixtures/submissions/hostile attacks one softmax
// problem (or none: attacks that must come to nothing) and implements the other correctly. Per fixture:
// the attacked problem scores 0 with a clear message, or exactly what it earned when the attack must fail;
// the other problem gets its full points; the grader does not crash and writes a valid results.json; no
// hidden check's inputs reach student-visible output; nothing of the grader's (files, environment) reaches
// the submission's output; processes the submission started do not outlive it. Expected points come from
// the assignment below, never from a run. Some attacks are stopped only by the isolated sandbox (root on
// Linux, grader/sandbox.ts): their "must fail" assertions run only there (CI runs as root).

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { FailureCode } from '../src/failure.ts';
import { formatCall } from '../src/format.ts';
import { runCheck } from '../src/runner.ts';
import type { Subject } from '../src/subject.ts';
import { problems } from '../spec/registry.ts';
import { referenceSubject } from '../spec/subjects.ts';
import { parseAssignment } from './assignment.ts';
import { grade } from './grade.ts';
import type { GradeReport } from './report.ts';
import { GradescopeResultsSchema, toGradescope } from './render/gradescope.ts';
import { type SandboxMode, isolationAvailable, sandboxMode } from './sandbox.ts';
import { writeReport } from './write.ts';

const root = path.join(import.meta.dirname, '..');
const hostileDir = path.join(root, 'fixtures', 'submissions', 'hostile');
const T = 'softmax-temperature';
const J = 'softmax-jacobian';
type Attacked = typeof T | typeof J;

/** A secret in the grader's environment that no submission may see. */
const SECRET = `gradecheck-secret-${Date.now().toString(36)}`;
process.env['GRADECHECK_HOSTILE_TEST_TOKEN'] = SECRET;

const tmp = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-hostile-'));
const assignmentFile = path.join(tmp, 'hostile.yaml');
const CALL_TIMEOUT_MS = 1500;
const TIMED_OUT = new RegExp(`did not return within ${CALL_TIMEOUT_MS} ms`);
const ASSIGNMENT_YAML = [
  'name: hostile submissions',
  'seed: 20261201',
  // Short limits keep the suite fast; memory is enough for numpy, far from the machine's.
  `limits: { call_timeout_ms: ${CALL_TIMEOUT_MS}, startup_timeout_ms: 30000, total_time_ms: 120000, memory_mb: 768 }`,
  'problems:',
  `  - id: ${T}`,
  '    points: 6',
  '    runs: 12',
  '    checks: { shift-invariant: { visibility: hidden } }',
  `  - id: ${J}`,
  '    points: 4',
  '    runs: 12',
  '    checks: { symmetric-psd: { visibility: hidden } }',
].join('\n');
writeFileSync(assignmentFile, ASSIGNMENT_YAML);
const assignment = parseAssignment(ASSIGNMENT_YAML, assignmentFile);
const pointsOf = (id: string) => assignment.problems.find((p) => p.id === id)!.points;
const maxScore = assignment.problems.reduce((s, p) => s + p.points, 0);

const isolated = sandboxMode() === 'isolated';

interface Case {
  readonly file: string;
  /** The problem the fixture attacks; undefined when the attack targets the grader, not a problem. */
  readonly attacked?: Attacked;
  /** zero: the attacked problem scores 0; earned: the attack must fail, so it earns its full points. */
  readonly outcome: 'zero' | 'earned';
  /** The failure codes the attacked problem's failed checks may carry (with `zero`). */
  readonly codes?: readonly FailureCode[];
  /** Some failure message of the attacked problem says this (with `zero`). */
  readonly message?: RegExp;
  /** The outcome holds only in the isolated sandbox (scrubbed mode documents it as not stopped). */
  readonly isolatedOnly?: boolean;
  /** Grade through `gradecheck grade` (a separate process writing the out dir), not the function. */
  readonly cli?: boolean;
  /** Starts processes with this marker on their command line, which must be dead once grading ends. */
  readonly spawns?: string;
  /** Echoes every softmax input it saw (as thousandths joined by "|") in its error messages. */
  readonly echoesInputs?: boolean;
}

const CASES: readonly Case[] = [
  { file: 'infinite-loop-jacobian.py', attacked: J, outcome: 'zero', codes: ['timeout'], message: TIMED_OUT },
  { file: 'sleep-past-limit.py', attacked: T, outcome: 'zero', codes: ['timeout'], message: TIMED_OUT },
  { file: 'memory-bomb.py', attacked: T, outcome: 'zero', codes: ['limit_exceeded'], message: /out of memory|MemoryError/ },
  { file: 'fork-storm.py', outcome: 'earned', spawns: '31.4159' },
  { file: 'daemon-escape.py', outcome: 'earned', spawns: '16.1803', cli: true, isolatedOnly: true },
  { file: 'os-exit.py', attacked: T, outcome: 'zero', codes: ['crashed'], message: /exited \(code 0\) during a call/, cli: true },
  { file: 'sys-exit.py', attacked: T, outcome: 'zero', codes: ['raised'], message: /raised SystemExit/ },
  { file: 'keyboard-interrupt.py', attacked: J, outcome: 'zero', codes: ['raised'], message: /raised KeyboardInterrupt/ },
  { file: 'base-exception-subclass.py', attacked: T, outcome: 'zero', codes: ['raised'], message: /raised Escape: out of the harness/ },
  { file: 'generator-exit.py', attacked: J, outcome: 'zero', codes: ['raised'], message: /raised GeneratorExit/ },
  { file: 'overwrite-results.py', attacked: T, outcome: 'earned', cli: true, isolatedOnly: true },
  { file: 'read-grader-files.py', attacked: T, outcome: 'earned', isolatedOnly: true },
  { file: 'proc-snoop.py', attacked: J, outcome: 'earned', isolatedOnly: true },
  { file: 'env-secrets.py', attacked: T, outcome: 'earned' },
  { file: 'protocol-spoof-stdout.py', attacked: T, outcome: 'zero', codes: ['value_mismatch', 'invariant_violated'] },
  { file: 'protocol-spoof-fd4.py', attacked: J, outcome: 'zero', codes: ['crashed'], message: /corrupted the protocol channel/ },
  { file: 'close-fds.py', attacked: T, outcome: 'zero', codes: ['crashed'], message: /exited .* during a call/ },
  { file: 'monkeypatch-harness.py', attacked: T, outcome: 'zero', codes: ['value_mismatch', 'invariant_violated', 'not_finite'] },
  { file: 'monkeypatch-builtins.py', attacked: T, outcome: 'zero', codes: ['not_finite', 'value_mismatch', 'invariant_violated', 'raised'] },
  { file: 'mutates-input.py', attacked: J, outcome: 'zero', codes: ['mutated_input'], message: /modified its arguments in place/ },
  { file: 'returns-nan-inf.py', attacked: T, outcome: 'zero', codes: ['not_finite', 'value_mismatch', 'invariant_violated'] },
  { file: 'returns-none.py', attacked: J, outcome: 'zero', codes: ['wrong_type'] },
  { file: 'returns-string.py', attacked: T, outcome: 'zero', codes: ['wrong_type', 'raised'] },
  { file: 'wrong-shape.py', attacked: J, outcome: 'zero', codes: ['wrong_shape'] },
  { file: 'ragged-list.py', attacked: J, outcome: 'zero', codes: ['wrong_shape', 'wrong_type'] },
  { file: 'huge-array.py', attacked: T, outcome: 'zero', codes: ['limit_exceeded'], message: /a response exceeded \d+ bytes/ },
  { file: 'recursion-bomb.py', attacked: T, outcome: 'zero', codes: ['crashed', 'raised', 'limit_exceeded'] },
  { file: 'network.py', attacked: T, outcome: 'earned', isolatedOnly: true },
  { file: 'leak-hidden-inputs.py', attacked: J, outcome: 'zero', codes: ['raised'], message: /raised ValueError: seen/, echoesInputs: true },
  { file: 'privilege-escalation.py', attacked: T, outcome: 'earned', isolatedOnly: true },
  { file: 'kill-grader.py', attacked: J, outcome: 'zero', codes: ['crashed'], isolatedOnly: true, cli: true },
  { file: 'js-process-exit.mjs', attacked: T, outcome: 'zero', codes: ['crashed'], message: /exited \(code 0\) during a call/, cli: true },
  { file: 'js-infinite-loop.mjs', attacked: J, outcome: 'zero', codes: ['timeout'], message: TIMED_OUT },
  { file: 'js-never-settles.mjs', attacked: T, outcome: 'zero', codes: ['timeout'], message: TIMED_OUT },
  { file: 'js-memory-bomb.mjs', attacked: T, outcome: 'zero', codes: ['limit_exceeded'], message: /MemoryError|out of memory/ },
  { file: 'js-spawn-storm.mjs', outcome: 'earned', spawns: '27.1828', isolatedOnly: true },
  { file: 'js-read-files.ts', attacked: T, outcome: 'earned', isolatedOnly: true },
  { file: 'js-env-secrets.mjs', attacked: J, outcome: 'earned' },
  { file: 'js-monkeypatch.mjs', attacked: T, outcome: 'zero', codes: ['not_finite', 'value_mismatch', 'invariant_violated', 'wrong_type', 'crashed', 'raised'] },
  { file: 'js-exotic-throws.mjs', attacked: T, outcome: 'zero', codes: ['raised', 'crashed'] },
  { file: 'js-protocol-spoof.mjs', attacked: T, outcome: 'zero', codes: ['wrong_type', 'crashed'] },
];

/** Lines of the grader's own files that must never show up in what a submission printed or returned. */
const GRADER_SNIPPETS = ['reference/softmax.ts', 'spec/softmax.suite.ts', 'grader/grade.ts', 'fixtures/assignments/seed-000.yaml'].map(
  (f) => readFileSync(path.join(root, f), 'utf8').split('\n').find((l) => l.trim().length > 20)!,
);

/** What a student can read: the overall output and the visible tests of results.json. */
function studentVisible(report: GradeReport): string {
  const results = toGradescope(report);
  return [results.output, ...results.tests.filter((t) => t.visibility === 'visible').map((t) => t.output)].join('\n');
}

/** Processes with `marker` on their command line still alive. */
function markerProcesses(marker: string): string[] {
  return readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .flatMap((pid) => {
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
        return cmd.includes(marker) && !cmd.includes('vitest') ? [`${pid}: ${cmd.slice(0, 200)}`] : [];
      } catch {
        return [];
      }
    });
}

/**
 * The softmax inputs of softmax-temperature's visible and hidden checks, as leak-hidden-inputs.py writes them:
 * replayed on a recording reference with the assignment's seed and runs (a correct submission's checks draw
 * exactly these, since nothing fails and shrinks).
 */
async function softmaxInputsByVisibility(): Promise<{ visible: Set<string>; hidden: Set<string> }> {
  const settings = assignment.problems.find((p) => p.id === T)!;
  const out = { visible: new Set<string>(), hidden: new Set<string>() };
  for (const check of problems[T].checks) {
    const into = (settings.checks[check.id]?.visibility ?? settings.visibility) === 'visible' ? out.visible : out.hidden;
    const recording: Subject = {
      ...referenceSubject,
      call: (fn, args) => {
        const z = args[0];
        if (fn === 'softmax' && Array.isArray(z) && z.length >= 3) into.add((z as number[]).map((x) => Math.round(x * 1000)).join('|'));
        return referenceSubject.call(fn, args);
      },
    };
    const runs = settings.checks[check.id]?.runs ?? settings.runs;
    await runCheck(T, check, recording, { seed: assignment.seed, ...(runs !== undefined ? { numRuns: runs } : {}) });
  }
  return out;
}

const run = promisify(execFile);

/** `gradecheck grade` end to end: returns the report it printed and the results.json it wrote. */
async function gradeWithCli(file: string): Promise<{ report: GradeReport; outDir: string; code: number }> {
  const outDir = mkdtempSync(path.join(tmp, 'out-'));
  const args = [path.join(root, 'bin', 'gradecheck.mjs'), 'grade', '--json', '--assignment', assignmentFile, '--submission', file, '--out', outDir];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 64 * 1024 * 1024 });
  return { report: JSON.parse(stdout) as GradeReport, outDir, code: 0 };
}

afterAll(() => {
  delete process.env['GRADECHECK_HOSTILE_TEST_TOKEN'];
  rmSync(tmp, { recursive: true, force: true });
});

/** What the scrubbed mode (any non-root grader) must still stop, checked there too where the suite is isolated. */
const SCRUBBED_TOO = ['env-secrets.py', 'js-env-secrets.mjs', 'protocol-spoof-fd4.py', 'mutates-input.py', 'js-monkeypatch.mjs'];

describe(`hostile submissions (sandbox: ${sandboxMode()})`, () => {
  it('covers every fixture in the folder, and at least 25 attacks', () => {
    expect(CASES.map((c) => c.file).sort()).toEqual(readdirSync(hostileDir).sort());
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });

  it('runs isolated where the grader is root on Linux (so CI checks the isolated guarantees)', () => {
    if (process.platform === 'linux' && process.getuid?.() === 0 && process.env['GRADECHECK_SANDBOX'] === undefined) {
      expect(isolationAvailable()).toBe(true);
    }
  });

  const runs: (Case & { mode: SandboxMode })[] = [
    ...CASES.filter((c) => isolated || !c.isolatedOnly).map((c) => ({ ...c, mode: sandboxMode() })),
    ...(isolated ? CASES.filter((c) => SCRUBBED_TOO.includes(c.file)).map((c) => ({ ...c, mode: 'scrubbed' as const })) : []),
  ];

  it.concurrent.each(runs)('$file ($mode)', async (c) => {
    const file = path.join(hostileDir, c.file);
    let report: GradeReport;
    if (c.cli && c.mode === sandboxMode()) {
      const { report: printed, outDir } = await gradeWithCli(file);
      report = printed;
      // The out dir holds the grader's three files and nothing else, and results.json is the grader's.
      expect(readdirSync(outDir).sort()).toEqual(['feedback.html', 'feedback.md', 'junit.xml', 'results.json']);
      const written = GradescopeResultsSchema.parse(JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8')));
      expect(written.score).toBe(report.score);
      for (const f of readdirSync(outDir)) expect(readFileSync(path.join(outDir, f), 'utf8')).not.toContain('FORGED');
    } else {
      report = await grade({ assignment, submission: file, sandbox: c.mode });
      const outDir = mkdtempSync(path.join(tmp, 'out-'));
      writeReport(report, outDir);
      expect(GradescopeResultsSchema.parse(JSON.parse(readFileSync(path.join(outDir, 'results.json'), 'utf8'))).score).toBe(report.score);
    }
    expect(report.ungradable, 'the grader must grade, not give up').toBeUndefined();

    // Scores: the attacked problem 0 (or exactly its points when the attack must fail), the other in full.
    const attackedScore = c.attacked === undefined || c.outcome === 'earned' ? undefined : 0;
    let expectedTotal = 0;
    for (const settings of assignment.problems) {
      const p = report.problems.find((x) => x.id === settings.id)!;
      const expected = settings.id === c.attacked && attackedScore !== undefined ? attackedScore : pointsOf(settings.id);
      expectedTotal += expected;
      const failures = p.checks.filter((k) => !k.result.passed).map((k) => `${k.result.check}: ${k.result.failure?.code} ${k.result.failure?.message}`);
      expect(p.score, `${p.id}: ${failures.join('; ')}`).toBe(expected);
    }
    expect(report.score).toBe(expectedTotal);
    expect(report.maxScore).toBe(maxScore);

    // A clear message: the attacked problem's failures carry the expected codes (and wording).
    if (c.attacked && c.outcome === 'zero') {
      const failed = report.problems.find((p) => p.id === c.attacked)!.checks.filter((k) => !k.result.passed).map((k) => k.result.failure!);
      expect(failed.length).toBeGreaterThan(0);
      for (const f of failed) expect(c.codes, `${f.code}: ${f.message}`).toContain(f.code);
      if (c.message) expect(failed.map((f) => f.message).join('\n')).toMatch(c.message);
    }

    // No hidden check's inputs or expected values in what the student reads.
    // (A visible check may have shrunk to the very same small input: that call is the visible check's.)
    const visible = studentVisible(report);
    const checks = report.problems.flatMap((p) => p.checks);
    const callOf = (k: (typeof checks)[number]) => (k.result.failure?.call ? formatCall(k.result.failure.call.fn, k.result.failure.call.args) : undefined);
    const visibleCalls = new Set(checks.filter((k) => k.visibility === 'visible').map(callOf));
    for (const k of checks.filter((x) => x.visibility !== 'visible' && x.result.failure)) {
      expect(visible).not.toContain(`--check ${k.result.check} `);
      const call = callOf(k);
      if (call !== undefined && !visibleCalls.has(call)) expect(visible).not.toContain(call);
    }

    // Nothing of the grader's reached the submission: no source lines, no environment secret.
    const fromChild = [report.stdout, report.stderr, JSON.stringify(report.problems), visible].join('\n');
    expect(fromChild).not.toContain(SECRET);
    for (const line of GRADER_SNIPPETS) expect(fromChild).not.toContain(line);

    // Inputs echoed by the submission: visible checks' ones may show, hidden checks' ones never.
    if (c.echoesInputs) {
      const inputs = await softmaxInputsByVisibility();
      const hiddenOnly = [...inputs.hidden].filter((x) => !inputs.visible.has(x));
      expect(hiddenOnly.length, 'the hidden check must draw inputs of its own').toBeGreaterThan(0);
      expect([...inputs.visible].some((x) => visible.includes(x)), 'the echo reaches visible feedback').toBe(true);
      const words = new Set(visible.split(/\s+/));
      for (const x of hiddenOnly) expect(words.has(x), `hidden input ${x} in visible feedback`).toBe(false);
    }

    // What the submission started died with it.
    if (c.spawns !== undefined && isolated) expect(markerProcesses(c.spawns)).toEqual([]);
  });
});
