// Zygotes kept between grades (grader/zygote-pool.ts): the next grade of the same kind forks from the zygote the
// last one gave back, on its own submission, and finds nothing the last grade's student left (no file in its
// working directory or /tmp, no process, no staged file of theirs); a zygote is kept only while idle and within
// its bounds. Kept only in the isolated sandbox, so these run where it is available.

import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { parseAssignment } from './assignment.ts';
import { expectIsolationWhereRequired } from './require-isolation.ts';
import { isolationAvailable } from './sandbox.ts';
import { SubmissionProcesses } from './submission-processes.ts';
import { dropKeptZygotes, keptStages } from './zygote-pool.ts';

const keptZygotes = () => keptStages().length;

const probe = path.join(import.meta.dirname, '..', 'fixtures', 'submissions', 'protocol', 'zygote-probe.py');
const assignment = parseAssignment('name: kept zygotes\nseed: 1\nproblems:\n  - id: softmax-temperature\n    points: 1\n', 'kept-zygotes.yaml');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-kept-'));
/** Another student's submission: the probe with one more function, so a fork on the last grade's file would show. */
const other = path.join(tmp, 'other_student.py');
writeFileSync(other, `${readFileSync(probe, 'utf8')}\n\ndef other_student():\n    return 1.0\n`);

beforeEach(dropKeptZygotes);
afterAll(async () => {
  await dropKeptZygotes();
  rmSync(tmp, { recursive: true, force: true });
});

expectIsolationWhereRequired();
const isolated = isolationAvailable();

describe.runIf(isolated)('a zygote kept between grades', () => {
  it('the next grade forks from it on its own submission and finds nothing the last grade left', async () => {
    const first = new SubmissionProcesses({ assignment, sandbox: 'isolated' });
    const a = await first.start(probe);
    const daemon = (await a.call('leave_traces', ['first'])) as number;
    expect(await a.call('traces', [])).toEqual([1, 1]);
    expect(await a.call('shared_memory', [])).toBe(1);
    const zygote = await a.call('zygote_started', []);
    expect(keptZygotes()).toBe(0);
    await first.close();
    expect(keptZygotes()).toBe(1);
    // The first student's staged files went when the zygote was given back; the sandbox's mount points stay.
    const [stage] = keptStages();
    expect(readdirSync(stage!)).toContain('work');
    expect(readdirSync(stage!)).not.toContain('gradecheck');

    const second = new SubmissionProcesses({ assignment, sandbox: 'isolated' });
    const b = await second.start(other);
    expect(keptZygotes()).toBe(0); // taken
    expect(await b.call('zygote_started', [])).toBe(zygote);
    expect(b.ready.defined).toContain('other_student');
    expect(await b.call('traces', [])).toEqual([0, 0]);
    expect(await b.call('alive', [daemon])).toBe(0);
    expect(await b.call('shared_memory', [])).toBe(0);
    await second.close();
    expect(keptZygotes()).toBe(1);
  });

  it('concurrent grades each get their own zygote and sandbox; at most three idle ones are kept', async () => {
    const grades = Array.from({ length: 4 }, () => new SubmissionProcesses({ assignment, sandbox: 'isolated' }));
    const subjects = await Promise.all(grades.map((g) => g.start(probe)));
    const zygotes = await Promise.all(subjects.map((s) => s.call('zygote_started', [])));
    expect(subjects.every((s) => s.ready.defined.includes('count'))).toBe(true);
    expect(new Set(zygotes).size).toBe(4);
    // Each in a sandbox of its own: System V shared memory one leaves is not the others' to read.
    await subjects[0]!.call('leave_traces', ['concurrent']);
    expect(await subjects[0]!.call('shared_memory', [])).toBe(1);
    expect(await subjects[1]!.call('shared_memory', [])).toBe(0);
    await Promise.all(grades.map((g) => g.close()));
    expect(keptZygotes()).toBe(3);
  });

  it('GRADECHECK_ZYGOTE=grade keeps each zygote to its own grade', async () => {
    process.env['GRADECHECK_ZYGOTE'] = 'grade';
    try {
      const g = new SubmissionProcesses({ assignment, sandbox: 'isolated' });
      expect(await (await g.start(probe)).call('count', [])).toBe(1);
      await g.close();
      expect(keptZygotes()).toBe(0);
    } finally {
      delete process.env['GRADECHECK_ZYGOTE'];
    }
  });

  it('the scrubbed mode keeps none', async () => {
    const g = new SubmissionProcesses({ assignment, sandbox: 'scrubbed' });
    expect(await (await g.start(probe)).call('count', [])).toBe(1);
    await g.close();
    expect(keptZygotes()).toBe(0);
  });
});
