// Batch workers: a submission that kills the process grading it (its parent, the worker) costs its own row
// only; the next submission is graded by a fresh worker, and what was killed is not cached, so it is retried
// on the next run.

import { copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from './assignment.ts';
import { runBatch } from './batch.ts';
import { testTempDir } from './test-temp.ts';

const root = path.join(import.meta.dirname, '..');

describe('batch workers', () => {
  it('survive a submission that kills its grading process', async () => {
    const dir = testTempDir('worker');
    writeFileSync(path.join(dir, 'hw1.yaml'), ['name: "workers"', 'seed: 2', 'problems:', '  - id: softmax-temperature', '    points: 2', ''].join('\n'));
    const assignment = loadAssignment(path.join(dir, 'hw1.yaml'));
    const subs = path.join(dir, 'submissions');
    for (const id of ['a-killer', 'b-correct']) mkdirSync(path.join(subs, id), { recursive: true });
    // It kills its nearest Node ancestor: the worker (its parent is the zygote, grader/zygote.ts).
    const killer = [
      'import os, signal',
      '',
      'def softmax(z, tau):',
      '    pid = os.getppid()',
      '    while pid > 1:',
      '        if open(f"/proc/{pid}/comm").read().strip() == "node":',
      '            os.kill(pid, signal.SIGKILL)',
      '            return',
      '        pid = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])',
      '',
    ];
    writeFileSync(path.join(subs, 'a-killer', 'hw1.py'), killer.join('\n'));
    copyFileSync(path.join(root, 'fixtures', 'submissions', 'softmax', 'correct.py'), path.join(subs, 'b-correct', 'hw1.py'));
    const out = path.join(dir, 'out');
    // Only the scrubbed mode lets a submission see its parent: the isolated one puts it in its own pid namespace.
    const sandbox = process.env['GRADECHECK_SANDBOX'];
    process.env['GRADECHECK_SANDBOX'] = 'scrubbed';
    const rows = await runBatch({ assignment, submissionsDir: subs, outDir: out, jobs: 1 }).finally(() => {
      if (sandbox === undefined) delete process.env['GRADECHECK_SANDBOX'];
      else process.env['GRADECHECK_SANDBOX'] = sandbox;
    });
    const byId = Object.fromEntries(rows.map((r) => [r.submission.id, r]));
    expect(byId['a-killer']?.report).toBeUndefined();
    expect(byId['a-killer']?.error).toMatch(/grading process exited \(signal SIGKILL\)/);
    expect(byId['b-correct']?.report?.score).toBe(assignment.problems[0]!.points);
    expect(readdirSync(path.join(out, 'cache')).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });
});
