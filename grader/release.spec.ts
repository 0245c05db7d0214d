// The student release (issue 18): no string of the answer key (expected and wrong forms and what they say,
// mistake prices, hidden checks' settings, the grading seed, the late policy) and no file of reference/ is in
// it, for every bundled assignment; it loads as an assignment, and `check` runs from it.

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { loadAssignment } from './assignment.ts';
import { EXIT, main } from './cli.ts';
import { grade } from './grade.ts';
import { RELEASE_ANSWERS, RELEASE_ASSIGNMENT } from './release-layout.ts';
import { writeRelease } from './release.ts';

const root = path.join(import.meta.dirname, '..');
/** The assignments with code to check locally (a questions-only one has nothing to release: see below). */
const assignments = readdirSync(path.join(root, 'fixtures', 'assignments')).filter((f) => f.endsWith('.yaml')).filter((f) => loadAssignment(path.join(root, 'fixtures', 'assignments', f)).problems.length > 0);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-release-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The strings of the answer key: whatever of them a student reads is a leak. */
function answerKey(file: string): string[] {
  const a = loadAssignment(file);
  const hiddenSettings = a.problems.flatMap((p) =>
    Object.entries(p.checks)
      .filter(([, c]) => (c.visibility ?? p.visibility) !== 'visible')
      .flatMap(([, c]) => [...(c.tolerance ? [c.tolerance.reason] : [])]),
  );
  // A form that is one of the question's variables (the answer `r`) names no secret: the variables are listed.
  const forms = a.questions.flatMap((q) => [q.answer, ...Object.values(q.wrong_forms ?? {}).map((w) => w.form)].filter((f) => !(f.trim() in q.variables)));
  return [
    ...forms,
    ...a.questions.flatMap((q) => Object.values(q.wrong_forms ?? {}).map((w) => w.says)),
    ...hiddenSettings,
    String(a.seed),
    ...(a.late_policy ? [a.late_policy.due] : []),
  ];
}

/** Every source file of reference/ (the solutions). */
const referenceFiles = readdirSync(path.join(root, 'reference')).map((f) => readFileSync(path.join(root, 'reference', f), 'utf8'));

describe('gradecheck release', () => {
  it.each(assignments)('%s: no answer-key string, no price, no hidden setting, no reference file', (name) => {
    const file = path.join(root, 'fixtures', 'assignments', name);
    const dir = path.join(tmp, name);
    const written = writeRelease(loadAssignment(file), dir);
    expect(readdirSync(dir).sort()).toEqual(written.map((f) => path.basename(f)).sort());
    const texts = written.map((f) => readFileSync(f, 'utf8'));
    for (const secret of answerKey(file)) for (const text of texts) expect(text, `"${secret}" leaked`).not.toContain(secret);
    for (const text of texts) {
      expect(text).not.toMatch(/\bdeduct\b|\bwrong_forms\b|\banswer:|late_policy|mistakes:/);
      for (const source of referenceFiles) expect(text.includes(source.slice(0, 400))).toBe(false);
    }
    // Checks not shown to students are there only as "weight 0": no runs, tolerance or visibility of theirs.
    const staff = loadAssignment(file);
    const released = loadAssignment(path.join(dir, RELEASE_ASSIGNMENT));
    expect(released.questions).toEqual([]);
    for (const p of released.problems) {
      const original = staff.problems.find((x) => x.id === p.id)!;
      for (const [id, c] of Object.entries(original.checks)) {
        if ((c.visibility ?? original.visibility) !== 'visible') expect(p.checks[id]).toEqual({ weight: 0 });
      }
      expect(p.mistakes).toEqual({});
    }
    if (staff.questions.length > 0) {
      const template = parseYaml(readFileSync(path.join(dir, RELEASE_ANSWERS), 'utf8')) as Record<string, string>;
      expect(Object.keys(template)).toEqual(staff.questions.filter((q) => q.visibility === 'visible').map((q) => q.id));
    }
  });

  it('check runs from the release: a correct notebook written as the handout asks passes every visible check', async () => {
    const dir = path.join(tmp, 'cli');
    expect(await main(['node', 'gradecheck', 'release', '--assignment', path.join(root, 'fixtures', 'assignments', 'seed-003.yaml'), '-o', dir])).toBe(EXIT.ok);
    const notebook = path.join(root, 'fixtures', 'submissions', 'seed-003-handout', 'correct.ipynb');
    // What `check` runs: the release's visible checks, through the handout's interface (bindings and adapter travel).
    const report = await grade({ assignment: loadAssignment(path.join(dir, RELEASE_ASSIGNMENT)), submission: notebook, visibleOnly: true });
    expect(report.ungradable).toBeUndefined();
    expect(report.problems.length).toBeGreaterThan(0);
    for (const p of report.problems) expect(p.score, p.id).toBe(p.points);
  });

  it("an executed notebook's visible checks travel with their stand-ins, except a value or written check whose expected number is the answer", () => {
    const dir = path.join(tmp, 'execute');
    const staffFile = path.join(dir, 'staff', 'hw.yaml');
    writeRelease(loadAssignment(path.join(root, 'fixtures', 'assignments', 'seed-003.yaml')), path.join(dir, 'seed-003'));
    const seed003 = loadAssignment(path.join(dir, 'seed-003', RELEASE_ASSIGNMENT));
    expect(seed003.execute?.shims).toEqual(['seed-003.shims.py', 'notebook-libraries.shims.py']);
    expect(readdirSync(path.join(dir, 'seed-003'))).toEqual(expect.arrayContaining(['seed-003.shims.py', 'notebook-libraries.shims.py']));
    // A literal expected value is the answer key; a reference is computed by gradecheck, as the problems' checks are.
    const staff = [
      'name: "literal"',
      'seed: 5',
      'execute:',
      '  checks:',
      '    - { id: answer, title: "the final loss", points: 1, value: final_loss, expected: 0.123456789, tolerance: { rtol: 1.0e-3, atol: 0, reason: "float32 training" } }',
      '    - { id: written-answer, title: "the loss written down", points: 1, written: { cell: "Q1", expected: [0.987654321], tolerance: { rtol: 0, atol: 0, reason: "copied" } } }',
      '    - { id: hidden-plot, title: "a plot", points: 1, visibility: hidden, figure: { subplots: 1 } }',
      '    - { id: printed, title: "the accuracy line", points: 1, printed: "accuracy: [0-9]+" }',
      // A result to beat that stays with staff takes the check that must beat it along (its bar would be unknown).
      '    - { id: hidden-result, title: "retrained", points: 1, visibility: hidden, trained: { losses: "loss (\\\\d+)", accuracy: "acc (\\\\d+)", above: 0.1 } }',
      '    - { id: beats-hidden, title: "a better variant", points: 1, bonus: true, trained: { losses: "loss (\\\\d+)", accuracy: "acc (\\\\d+)", beats: hidden-result } }',
      '',
    ].join('\n');
    mkdirSync(path.dirname(staffFile), { recursive: true });
    writeFileSync(staffFile, staff);
    const written = writeRelease(loadAssignment(staffFile), path.join(dir, 'literal'));
    const released = loadAssignment(path.join(dir, 'literal', RELEASE_ASSIGNMENT));
    expect(released.execute?.checks.map((c) => c.id)).toEqual(['printed']);
    for (const f of written) expect(readFileSync(f, 'utf8')).not.toMatch(/0\.123456789|0\.987654321|final_loss|hidden-plot|hidden-result|beats-hidden/);
  });

  it('an assignment whose visible part is only written questions is not released (their forms are the key)', async () => {
    // Seed 002's written questions alone.
    const { questions } = parseYaml(readFileSync(path.join(root, 'fixtures', 'assignments', 'seed-002.yaml'), 'utf8')) as { questions: unknown[] };
    const file = path.join(tmp, 'questions-only.yaml');
    writeFileSync(file, stringifyYaml({ name: 'questions only', seed: 1, questions }));
    expect(await main(['node', 'gradecheck', 'release', '--assignment', file, '-o', path.join(tmp, 'questions-only')])).toBe(EXIT.usage);
  });
});
