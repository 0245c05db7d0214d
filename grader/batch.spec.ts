// Batch grading of a class: a Gradescope export is discovered with its metadata, the gradebook's scores are
// the ones the assignment prices (computed here from the YAML, not copied from a run), a killed batch
// resumes from its cache without grading anything twice, and shards merge into the same gradebook.

import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { problems } from '../spec/registry.ts';
import { loadAssignment } from './assignment.ts';
import { mergeShards, runBatch } from './batch.ts';
import { discoverSubmissions } from './class-submissions.ts';
import { parseShard, shardOf } from './shards.ts';
import { testTempDir } from './test-temp.ts';

const root = path.join(import.meta.dirname, '..');
const assignmentFile = path.join(root, 'fixtures', 'assignments', 'catalog-seed-000.yaml');
const assignment = loadAssignment(assignmentFile);
const softmaxDir = path.join(root, 'fixtures', 'submissions', 'softmax');
const students = ['correct.py', 'bug-missing-inv-tau.py', 'bug-no-max-subtraction.py', 'alt-loops.py'];

/** What the assignment gives a softmax-only fixture: its softmax problems, minus the priced mistake. */
function expectedScore(file: string): number {
  const bug = /^bug-(.+)\.py$/.exec(file)?.[1];
  return assignment.problems
    .filter((p) => p.id === 'softmax-temperature' || p.id === 'softmax-jacobian')
    .reduce((sum, p) => sum + p.points - (bug && problems[p.id].mistakes.some((m) => m.id === bug) ? p.mistakes[bug]!.deduct : 0), 0);
}

/** A fake Gradescope export: submission_<n>/ folders and submission_metadata.yml. */
function gradescopeExport(): string {
  const dir = testTempDir('export');
  const meta: string[] = [];
  students.forEach((file, i) => {
    const id = `submission_${1000 + i}`;
    mkdirSync(path.join(dir, id));
    copyFileSync(path.join(softmaxDir, file), path.join(dir, id, 'hw1.py'));
    meta.push(`${id}:`, '  :submitters:', `  - :name: Student ${file}`, `    :email: s${i}@example.edu`, `    :sid: '${i}'`, `  :created_at: 2026-02-0${i + 1} 10:00:00.000000000 -05:00`);
  });
  mkdirSync(path.join(dir, 'submission_9999')); // an empty submission
  meta.push('submission_9999:', '  :submitters:', '  - :name: Nobody', '  :created_at: 2026-02-01 10:00:00.000000000 -05:00');
  writeFileSync(path.join(dir, 'submission_metadata.yml'), `${meta.join('\n')}\n`);
  return dir;
}

const readGradebook = (out: string) =>
  Object.fromEntries(
    readFileSync(path.join(out, 'gradebook.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => line.split(','))
      .map((cells) => [cells[1], cells]),
  );

describe('batch', () => {
  const exportDir = gradescopeExport();

  it('discovers a Gradescope export with names, emails and submission times', () => {
    const found = discoverSubmissions(exportDir);
    expect(found.map((s) => s.id)).toEqual([...students.map((_, i) => `submission_${1000 + i}`), 'submission_9999']);
    expect(found[0]).toMatchObject({ name: 'Student correct.py', email: 's0@example.edu', sid: '0', submittedAt: '2026-02-01T15:00:00.000Z' });
    expect(found[4]?.file).toBeUndefined();
  });

  it('grades the class into a gradebook whose scores are the assignment\'s, and survives kill -9', async () => {
    const out = testTempDir('batch');
    // A first run killed as soon as one submission is cached.
    const child = spawn(process.execPath, [path.join(root, 'bin', 'gradecheck.mjs'), 'batch', '-a', assignmentFile, '--submissions', exportDir, '-o', out, '-j', '1'], { stdio: 'ignore' });
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        let cached: string[] = [];
        try {
          cached = readdirSync(path.join(out, 'cache')).filter((f) => f.endsWith('.json'));
        } catch {}
        if (cached.length >= 1) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolve();
        }
      }, 50);
    });
    const afterKill = readdirSync(path.join(out, 'cache')).filter((f) => f.endsWith('.json')).length;
    expect(afterKill).toBeGreaterThanOrEqual(1);
    const rows = await runBatch({ assignment, submissionsDir: exportDir, outDir: out, jobs: 2 });
    expect(rows.filter((r) => r.cached).length).toBe(afterKill);
    expect(rows.filter((r) => r.report && !r.cached).length).toBe(students.length - afterKill);
    const book = readGradebook(out);
    for (const file of students) expect(Number(book[`Student ${file}`]?.[4])).toBeCloseTo(expectedScore(file), 6);
    expect(book['Nobody']?.at(-1)).toMatch(/^error: no source file/);
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as { mistakes: { id: string; count: number }[]; graded: number };
    expect(summary.graded).toBe(students.length);
    expect(summary.mistakes.map((m) => m.id).sort()).toEqual(['missing-inv-tau', 'no-max-subtraction']);
    expect(readFileSync(path.join(out, 'students', 'submission_1001', 'results.json'), 'utf8')).toContain('"score"');
  });

  it('shards are deterministic slices that merge into the whole', async () => {
    const all = discoverSubmissions(exportDir);
    const slices = [0, 1].map((i) => shardOf(all, parseShard(`${i}/2`)));
    expect(slices.flat().map((s) => s.id).sort()).toEqual(all.map((s) => s.id).sort());
    expect(() => parseShard('2/2')).toThrow(/shard/);
    const outs = [0, 1].map(() => testTempDir('shard'));
    await Promise.all(outs.map((outDir, i) => runBatch({ assignment, submissionsDir: exportDir, outDir, jobs: 1, shard: { index: i, count: 2 } })));
    const merged = testTempDir('merged');
    const rows = mergeShards(assignment, exportDir, outs, merged);
    expect(rows.filter((r) => r.report).length).toBe(students.length);
    const book = readGradebook(merged);
    for (const file of students) expect(Number(book[`Student ${file}`]?.[4])).toBeCloseTo(expectedScore(file), 6);
  });
});

describe('a class of an executed notebook', () => {
  it('the gradebook has a column per executed check, adding up to the score; the summary counts their points', async () => {
    const executed = loadAssignment(path.join(root, 'fixtures', 'assignments', 'executed-figures.yaml'));
    const checks = executed.execute!.checks;
    const points = (id: string) => checks.find((c) => c.id === id)!.points;
    const classDir = testTempDir('executed-class');
    // One folder per student: the correct notebook, and one whose plot has 3 lines instead of 4.
    for (const [student, fixture] of [['alice', 'correct.ipynb'], ['bob', 'bug-three-lines.ipynb']]) {
      mkdirSync(path.join(classDir, student!));
      copyFileSync(path.join(root, 'fixtures', 'submissions', 'executed-figures', fixture!), path.join(classDir, student!, 'hw.ipynb'));
    }
    const out = testTempDir('executed-batch');
    await runBatch({ assignment: executed, submissionsDir: classDir, outDir: out, jobs: 2 });

    const [header, ...lines] = readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    expect(header).toEqual(['submission', 'name', 'email', 'sid', 'score', 'max_score', ...checks.map((c) => c.id), 'status']);
    const total = checks.reduce((s, c) => s + c.points, 0);
    const expected: Record<string, Record<string, number>> = {
      alice: Object.fromEntries(checks.map((c) => [c.id, c.points])),
      bob: { 'statistics-plot': 0, 'layers-printed': points('layers-printed') },
    };
    for (const cells of lines) {
      const row = Object.fromEntries(header!.map((h, i) => [h, cells[i]]));
      const byCheck = expected[row['submission']!]!;
      expect(Object.fromEntries(checks.map((c) => [c.id, Number(row[c.id])]))).toEqual(byCheck);
      expect(Number(row['score'])).toBe(Object.values(byCheck).reduce((s, x) => s + x, 0));
      expect(Number(row['max_score'])).toBe(total);
    }
    const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as { maxScore: number; problems: { id: string; points: number; full: number }[] };
    expect(summary.maxScore).toBe(total);
    expect(summary.problems.map(({ id, points: p, full }) => ({ id, points: p, full }))).toEqual([
      { id: 'statistics-plot', points: points('statistics-plot'), full: 1 },
      { id: 'layers-printed', points: points('layers-printed'), full: 2 },
    ]);
  });
});
