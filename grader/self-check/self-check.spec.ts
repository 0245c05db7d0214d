// `gradecheck release --standalone`: the self-check students run holds no reference code, runs where nothing of
// gradecheck is installed (a folder outside this checkout, no node_modules), and judges a submission as the
// installed gradecheck's `check` does on the same release: the same scores, the same failed checks, the same named
// mistakes. Where it cannot judge a case (an input made from the student's answer), it says so.

import { execFile } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadAssignment } from '../assignment.ts';
import { grade } from '../grade.ts';
import { writeRelease } from '../release.ts';
import { RELEASE_ASSIGNMENT, SELF_CHECK_CLI, SELF_CHECK_DIR } from '../release-layout.ts';
import type { GradeReport } from '../report.ts';
import { testTempDir } from '../test-temp.ts';
import { toClassroom } from '../render/classroom.ts';
import { checkFeedback } from '../render/markdown.ts';
import { reportTerminal } from '../render/terminal.ts';
import { UNJUDGED_WHY } from '../../src/unjudged.ts';
import { writeSelfCheck } from './build.ts';
import { RECORDINGS_FILE } from './recordings.ts';

const root = path.join(import.meta.dirname, '..', '..');
const fixture = (f: string) => path.join(root, 'fixtures', 'submissions', f);
/** The modules of reference/ that hold no answer (argument checks, batching, a stand-in data generator, the index). */
const NOT_ANSWERS = ['index.ts', 'validate.ts', 'loader.ts', 'params.ts', 'fashion-mnist.ts'];

/** Runs the self-check of `release` on a submission, as a student types it there. */
const run = (release: string, submission: string) =>
  promisify(execFile)(process.execPath, [path.join(release, SELF_CHECK_DIR, SELF_CHECK_CLI), 'check', submission, '--assignment', RELEASE_ASSIGNMENT, '--json'], { cwd: release, maxBuffer: 64 << 20 }).then(
    (r) => ({ ...r, code: 0 }),
    (e: { stdout: string; stderr: string; code: number }) => e,
  );
const selfCheck = async (release: string, submission: string): Promise<{ report: GradeReport; code: number }> => {
  const { stdout, code } = await run(release, submission);
  return { report: JSON.parse(stdout) as GradeReport, code };
};
/** The installed gradecheck's `check` of the same release. */
const installed = (release: string, submission: string) => grade({ assignment: loadAssignment(path.join(release, RELEASE_ASSIGNMENT)), submission, visibleOnly: true });

/** Each check's verdict, the cases it could not judge, and the mistakes named on its failure. */
const verdicts = (r: GradeReport) =>
  new Map<string, { passed: boolean; unjudged: number; named: string[] }>(r.problems.flatMap((p) => p.checks.map((c) => [`${p.id} › ${c.result.check}`, { passed: c.result.passed, unjudged: c.result.unjudged ?? 0, named: (c.result.diagnosis ?? []).map((d) => d.id) }] as const)));

/**
 * The self-check contradicts no verdict of the installed gradecheck: what that passes it passes; what that fails it
 * fails, or says it could not judge (cases that needed the reference's answer at the student's own values). Its
 * failures of `family`'s checks name `made` (not shrunk: named on the drawn input, where the mistakes' answers were
 * recorded; `made` undefined: none the installed gradecheck does not name). The scores agree where every failure is
 * judged.
 */
async function expectNoContradiction(release: string, file: string, family: string, made: string | undefined): Promise<GradeReport> {
  const [standalone, reference] = await Promise.all([selfCheck(release, fixture(file)), installed(release, fixture(file))]);
  // An executed check judged at the student's own values is one aspect here, "judged", not judged.
  const wholly = standalone.report.problems.filter((p) => p.checks.length === 1 && p.checks[0]!.result.check === 'judged').map((p) => p.id);
  for (const id of wholly) expect(standalone.report.problems.find((p) => p.id === id)!.checks[0]!.result).toMatchObject({ passed: true, unjudged: 1 });
  const judgedHere = (verdict: Map<string, unknown>) => [...verdict.keys()].filter((check) => !wholly.includes(check.split(' › ')[0]!));
  const [here, there] = [verdicts(standalone.report), verdicts(reference)];
  expect(judgedHere(here)).toEqual(judgedHere(there));
  for (const check of judgedHere(there)) {
    const [v, w] = [there.get(check)!, here.get(check)!];
    if (v.passed) expect(w, check).toMatchObject({ passed: true });
    else expect(!w.passed || w.unjudged > 0, `${check}: failed when installed, passed here with every case judged`).toBe(true);
    // Without a mistake to name, one the installed gradecheck names may go unnamed here (its answer not recorded).
    if (!w.passed && check.startsWith(family)) expect(w.named, check).toEqual(made === undefined ? w.named.filter((m) => v.named.includes(m)) : [made]);
  }
  expect(made === undefined || [...here.values()].some((w) => !w.passed), 'a buggy fixture fails a check here too').toBe(true);
  if (wholly.length === 0 && [...there].every(([check, v]) => v.passed || !here.get(check)!.passed)) expect(standalone.report.score).toBe(reference.score);
  return standalone.report;
}

describe("a standalone self-check (release --standalone) of catalog-seed-000.yaml's softmax and Huber problems", () => {
  // Outside this checkout: node's module resolution must not find gradecheck's node_modules from there.
  const release = testTempDir('standalone');
  let bundled: string[] = [];
  beforeAll(async () => {
    const assignment = loadAssignment(path.join(root, 'fixtures', 'assignments', 'catalog-seed-000.yaml'));
    const tested = ['softmax-temperature', 'softmax-jacobian', 'huber-gradient', 'huber-fit', 'huber-loss'];
    writeRelease({ ...assignment, problems: assignment.problems.filter((p) => tested.includes(p.id)) }, release, { standalone: true });
    ({ bundled } = await writeSelfCheck(release, path.join(release, RELEASE_ASSIGNMENT)));
  }, 300_000);

  it("bundles no module of reference/ that holds an answer, none of the suites' named mistakes, and names none of the staff folders", () => {
    const fromReference = bundled.filter((s) => s.startsWith('reference/') && !s.includes(':'));
    expect(bundled.filter((s) => s.endsWith('.mistakes.ts') && !s.includes(':'))).toEqual([]);
    expect(fromReference.map((s) => path.basename(s)).filter((f) => !NOT_ANSWERS.includes(f))).toEqual([]);
    const answers = readdirSync(path.join(root, 'reference')).filter((f) => f.endsWith('.ts') && !NOT_ANSWERS.includes(f));
    const text = readdirSync(path.join(release, SELF_CHECK_DIR, 'dist')).filter((f) => f.endsWith('.mjs')).map((f) => readFileSync(path.join(release, SELF_CHECK_DIR, 'dist', f), 'utf8')).join('\n');
    // Lines of reference/softmax.ts as esbuild prints them (the installed build, dist/, holds them).
    expect(text).not.toContain('((i === k ? yi : 0) - yi * yk) / tau');
    expect(text).not.toContain('Math.exp((z[i] - m) / tau)');
    for (const f of answers) expect(text, f).not.toMatch(new RegExp(`^// reference/${f.replace('.', '\\.')}$`, 'm'));
    // Named mistakes of spec/softmax.mistakes.ts: a formula written wrong gives the right one away.
    expect(text).not.toMatch(/^\/\/ spec\/\S+\.mistakes\.ts$/m);
    expect(text).not.toContain('v * tau * tau');
    expect(text).not.toContain('yi * (1 - yi)');
    expect(text).toMatch(/^\/\/ spec\/softmax\.suite\.ts$/m);
    expect(text).not.toContain(root);
  });

  it.concurrent.each(['softmax/correct.py', 'softmax/bug-missing-inv-tau.py', 'softmax/bug-temperature-ignored.py', 'huber/correct.py', 'huber/bug-stops-early.py', 'huber/bug-lam-not-halved.py'])(
    '%s: no verdict of the installed gradecheck contradicted, each failure named as the mistake the fixture makes',
    async (file) => {
      // The other family's functions are missing from the file: not a mistake.
      await expectNoContradiction(release, file, path.dirname(file), /bug-(.+)\.py$/.exec(file)?.[1]);
    },
  );

  it("a failure's replay line, as printed, runs the same failing case with the self-check", async () => {
    const exec = promisify(execFile);
    const printed = await exec(process.execPath, [path.join(SELF_CHECK_DIR, SELF_CHECK_CLI), 'check', fixture('softmax/bug-missing-inv-tau.py'), '--assignment', RELEASE_ASSIGNMENT], { cwd: release }).catch((e: { stdout: string }) => e);
    const replay = /^\s*replay: (node \S+ replay --problem softmax-jacobian --check matches-reference .*)$/m.exec(printed.stdout)?.[1];
    expect(replay, printed.stdout).toBeDefined();
    const replayed = await exec('bash', ['-c', replay!], { cwd: release }).catch((e: { stdout: string }) => e);
    expect(replayed.stdout).toMatch(/^FAIL softmax-jacobian › matches-reference/);
    const input = (text: string) => /^\s*input: +(.*)$/m.exec(text)?.[1];
    expect(input(replayed.stdout)).toBe(input(printed.stdout.slice(printed.stdout.indexOf('matches-reference'))));
  });

  it('a JavaScript submission is checked; a TypeScript one is ungradable (exit 3: no compiler carried), never a 0', async () => {
    const js = await selfCheck(release, fixture('softmax/correct.mjs'));
    expect(js.report.problems.filter((p) => p.id.startsWith('softmax-')).every((p) => p.score === p.points)).toBe(true);
    const ts = await selfCheck(release, fixture('softmax/bug-missing-diag.ts'));
    expect(ts.code).toBe(3);
    expect(ts.report.ungradable).toMatch(/TypeScript submission needs tsx/);
  });

  it('a copy without its recordings is ungradable (exit 3), saying which file, never a 0', async () => {
    const damaged = testTempDir('standalone-damaged');
    cpSync(release, damaged, { recursive: true });
    rmSync(path.join(damaged, SELF_CHECK_DIR, 'dist', RECORDINGS_FILE));
    const { code, stderr } = await run(damaged, fixture('softmax/correct.py'));
    expect(code).toBe(3);
    expect(stderr).toMatch(/^UNGRADABLE \(not a grade\): this self-check's recorded answers \(.*recordings\.json\.gz\) cannot be read/);
  });

  it('a correct fit it cannot judge at its own answer says "not judged here" in every view, and passes', async () => {
    const { report } = await selfCheck(release, fixture('huber/correct.py'));
    const fit = report.problems.find((p) => p.id === 'huber-fit')!;
    expect(fit.score).toBe(fit.points);
    // The fit's objective is the reference's loss at the student's parameters: not an input the release drew.
    const objective = fit.checks.find((c) => c.result.check === 'objective-at-most-reference')!;
    const { numRuns, unjudged } = objective.result;
    expect(objective.result.passed).toBe(true);
    expect(unjudged).toBeGreaterThan(numRuns / 2);
    const said = `${unjudged} of its ${numRuns} cases not judged here`;
    expect(reportTerminal(report)).toContain(`\n    ~ objective-at-most-reference: ${said}\n`);
    expect(reportTerminal(report)).toContain(`~ not judged here: ${UNJUDGED_WHY}`);
    expect(checkFeedback(fit, objective)).toBe(`Passed (${numRuns} random cases; ${said}: ${UNJUDGED_WHY}).`);
    const classroom = toClassroom(report).tests.find((t) => t.name === 'huber-fit › objective-at-most-reference');
    expect(classroom).toMatchObject({ status: 'pass', message: said });
  });
});

describe("a standalone self-check of seed-003.yaml (notebooks; a handout's convention; executed checks)", () => {
  const release = testTempDir('standalone-seed-003');
  beforeAll(async () => {
    writeRelease(loadAssignment(path.join(root, 'fixtures', 'assignments', 'seed-003.yaml')), release, { standalone: true });
    await writeSelfCheck(release, path.join(release, RELEASE_ASSIGNMENT));
  }, 300_000);

  // The installed gradecheck's verdicts on these notebooks are tested in grader/handout.spec.ts and
  // grader/execution/executed-seeds.spec.ts; here, what the self-check judges of them.
  it('a correct notebook: full marks, every case judged but those of the gradient-descent loop, judged at its own iterates', async () => {
    const { report } = await selfCheck(release, fixture('seed-003-handout/correct.ipynb'));
    expect(report.score).toBe(report.maxScore);
    // The decay rule is the handout's own convention, recorded on its reference; mean_grads and the loops' layers
    // are asked of the reference from the assignment's settings (askReferenceFromSettings).
    const unjudged = report.problems.filter((p) => p.checks.some((c) => c.result.unjudged));
    expect(unjudged.map((p) => p.id)).toEqual(['gradient-descent-loop']);
  });

  it.concurrent.each([
    ['seed-003-handout/bug-decay-scaled-by-lr.ipynb', 'sgd-weight-decay', 'decay-scaled-by-lr'],
    ['seed-003-executed/bug-rms-as-std.ipynb', 'rms-grads', undefined],
    ['seed-003-handout/bug-he-fan-out.ipynb', 'kaiming-loop', undefined],
  ])('%s: fails %s, judged here (the mistake named where its answer was recorded)', async (file, problem, made) => {
    const { report } = await selfCheck(release, fixture(file));
    const failed = report.problems.find((p) => p.id === problem)!.checks.filter((c) => !c.result.passed);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.map((c) => c.result.diagnosis?.[0]?.id)).toEqual(failed.map(() => made));
    expect(report.score).toBeLessThan(report.maxScore);
  });
});
