// Each seed assignment grades what its handout asks, and says what it leaves: every problem it scores is the
// deliverable of a handout task (nothing invented beside the handout), and the points of the tasks it grades are
// the points of its problems.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from './assignment.ts';
import { coverageOf, formatCoverage } from './coverage.ts';

const dir = path.join(import.meta.dirname, '..', 'fixtures', 'assignments');
const seeds = readdirSync(dir).filter((f) => /^seed-\d+\.yaml$/.test(f));

describe.each(seeds)('%s', (file) => {
  const assignment = loadAssignment(path.join(dir, file));
  const coverage = coverageOf(assignment);

  it('lists its handout tasks, and every problem it scores is one of them', () => {
    expect(coverage.rows.length).toBeGreaterThan(0);
    const named = new Set(assignment.handout.flatMap((t) => t.graded_by ?? []));
    expect(assignment.problems.map((p) => p.id).filter((id) => !named.has(id))).toEqual([]);
    expect((assignment.execute?.checks ?? []).map((c) => c.id).filter((id) => !named.has(id))).toEqual([]);
  });

  it("gives the graded tasks' points to the execute: checks that grade them", () => {
    const checks = assignment.execute?.checks ?? [];
    const executed = assignment.handout.filter((t) => checks.some((c) => c.id === t.graded_by)).reduce((s, t) => s + t.points, 0);
    expect(executed).toBe(checks.reduce((s, c) => s + c.points, 0));
  });

  it("gives the graded tasks' points to the problems that grade them", () => {
    const problemPoints = assignment.problems.reduce((s, p) => s + p.points, 0);
    const codeGraded = assignment.handout.filter((t) => assignment.problems.some((p) => p.id === t.graded_by)).reduce((s, t) => s + t.points, 0);
    expect(codeGraded).toBe(problemPoints);
    expect(formatCoverage(assignment, coverage)).toContain(`graded automatically: ${coverage.gradedPoints} of ${coverage.codePoints} code points`);
  });
});
