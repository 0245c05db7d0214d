// Correct alternatives keep their points (issue 18): a float32 huber_grad on the seeds whose cases make its
// terms cancel (the error is relative to the summed terms, not to the small result), and a textbook IRLS
// huber_fit that stops when the objective falls by less than 1e-6 of itself. The buggy huber fixtures still
// lose their points: grader/grade.spec.ts grades every fixture of fixtures/submissions/huber/.

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAssignment } from './assignment.ts';
import { grade } from './grade.ts';

const huber = (f: string) => path.join(import.meta.dirname, '..', 'fixtures', 'submissions', 'huber', f);
const assignment = (seed: number, ids: readonly string[]) =>
  parseAssignment(['name: alternatives', `seed: ${seed}`, 'problems:', ...ids.map((id) => `  - { id: ${id}, points: 10 }`)].join('\n'), `alternatives-${seed}.yaml`);

describe('correct alternatives get full marks', () => {
  // Seeds 2 and 3 draw a case whose float32 gradient was off by 1.2e-5 and 2.8e-5 where 1.2e-5 and 1.7e-5 were
  // allowed (1e-4 relative to a gradient of 0.016 and 0.068, summed from terms of size ~100).
  it.concurrent.each([2, 3, 7])('float32 huber_loss and huber_grad with cancelling terms (seed %i)', async (seed) => {
    const report = await grade({ assignment: assignment(seed, ['huber-loss', 'huber-gradient']), submission: huber('alt-float32-grad.py') });
    const failures = report.problems.flatMap((p) => p.checks.filter((c) => !c.result.passed).map((c) => `${p.id}/${c.result.check}: ${c.result.failure?.message}`));
    expect(failures).toEqual([]);
    expect(report.score).toBe(20);
  });

  it.concurrent('a textbook IRLS huber_fit (stops when the objective falls by < 1e-6 of itself)', async () => {
    const report = await grade({ assignment: assignment(7, ['huber-fit']), submission: huber('alt-irls-textbook.py') });
    expect(report.problems[0]?.checks.filter((c) => !c.result.passed).map((c) => c.result.failure?.message)).toEqual([]);
    expect(report.score).toBe(10);
  });
});
