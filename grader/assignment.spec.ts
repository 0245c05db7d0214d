// Assignments: the bundled ones load; malformed ones are refused with the file, line and field named.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemIds } from '../spec/registry.ts';
import { AssignmentError, loadAssignment, parseAssignment } from './assignment.ts';
import { lateFactor } from './score.ts';

const dir = path.join(import.meta.dirname, '..', 'fixtures', 'assignments');

const issuesOf = (text: string) => {
  try {
    parseAssignment(text, 'hw.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(AssignmentError);
    return (error as AssignmentError).issues;
  }
  throw new Error('accepted');
};

describe('assignments', () => {
  it.each(readdirSync(dir).filter((f) => f.endsWith('.yaml')))('bundled %s loads, and grades something', (file) => {
    const a = loadAssignment(path.join(dir, file));
    expect(a.problems.length + a.questions.length + (a.execute?.checks.length ?? 0)).toBeGreaterThan(0);
  });

  it('all.yaml covers the whole registry', () => {
    expect(loadAssignment(path.join(dir, 'all.yaml')).problems.map((p) => p.id).sort()).toEqual([...problemIds].sort());
  });

  it('names the line and field of each mistake in a malformed file', () => {
    const issues = issuesOf(['name: hw', 'seed: 1', 'problems:', '  - id: softmax-jacobian', '    points: -2', '    checks:', '      no-such-check: { weight: 1 }', '  - id: nope', '    points: 1'].join('\n'));
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'hw.yaml', line: 5, path: 'problems[0].points' }),
        expect.objectContaining({ line: 7, path: 'problems[0].checks.no-such-check', message: expect.stringContaining('its checks: matches-reference') }),
        expect.objectContaining({ line: 8, path: 'problems[1].id', message: expect.stringContaining('unknown problem "nope"') }),
      ]),
    );
  });

  it('refuses YAML syntax errors, unknown fields, empty files, wrong types and excessive deductions', () => {
    expect(issuesOf('name: [unclosed')[0]?.message).toMatch(/YAML syntax/);
    expect(issuesOf('name: hw\nseed: 1\nproblems: []\nextra: 1').map((i) => i.path)).toEqual(expect.arrayContaining(['', 'problems']));
    expect(issuesOf('').length).toBeGreaterThan(0);
    expect(issuesOf('name: hw\nseed: "x"\nproblems:\n  - { id: ema, points: 1 }')[0]).toMatchObject({ path: 'seed', line: 2 });
    expect(issuesOf('name: hw\nseed: 1\nproblems:\n  - id: ema\n    points: 1\n    mistakes:\n      ema-beta-swapped: { deduct: 2 }')[0]?.message).toMatch(/more than/);
    expect(issuesOf('name: hw\nseed: 1\nproblems:\n  - { id: ema, points: 1 }\n  - { id: ema, points: 1 }')[0]?.message).toMatch(/listed twice/);
    expect(() => loadAssignment('/nonexistent.yaml')).toThrow(/cannot read the assignment/);
  });

  it('gives every malformed, empty or wrong-typed file a line number', () => {
    const cases: [string, number, RegExp][] = [
      ['', 1, /expected object/i],
      ['# only a comment\n', 1, /expected object/i],
      ['- just\n- a list', 1, /expected object/i],
      ['name: hw\nseed: 1\nproblems:\n  - id: ema\n    points: [1', 5, /YAML syntax/],
      ['name: hw\nseed: 1\nseed: 2\nproblems:\n  - { id: ema, points: 1 }', 3, /YAML syntax/],
      ['name: hw\nseed: 1\nproblems:\n  - id: ema\n    points: ten', 5, /number/],
      ['name: hw\nseed: 1\nproblems: ema', 3, /array/],
      ['name: hw\nseed: 1.5\nproblems:\n  - { id: ema, points: 1 }', 2, /int/],
      ['name: hw\nseed: 1\nlimits:\n  memory_mb: -5\nproblems:\n  - { id: ema, points: 1 }', 4, /too small|>0|positive/i],
      ['name: hw\nseed: 1\nlimits: { call_timeout_ms: "fast" }\nproblems:\n  - { id: ema, points: 1 }', 3, /number/],
      ['name: hw\nseed: 1\nproblems:\n  - id: ema\n    points: 1\n    checks:\n      matches-reference: { weight: "heavy" }', 7, /number/],
      ['name: hw\nseed: 1\nproblems:\n  - id: ema\n    points: 1\n    visibility: secret', 6, /visible/],
      ['name: hw\nseed: 1\nlate_policy: { due: "tomorrow", penalty_per_day: 0.1, max_late_days: 1 }\nproblems:\n  - { id: ema, points: 1 }', 3, /datetime/i],
      ['\u0000\u0001binary\u0002', 1, /./],
    ];
    for (const [text, line, message] of cases) {
      const issues = issuesOf(text);
      expect(issues[0], JSON.stringify(text)).toMatchObject({ file: 'hw.yaml', line, message: expect.stringMatching(message) });
    }
  });

  it('applies the late policy per started day, and 0 past the last day', () => {
    const a = parseAssignment('name: hw\nseed: 1\nlate_policy: { due: "2026-03-01T00:00:00Z", penalty_per_day: 0.1, max_late_days: 2 }\nproblems:\n  - { id: ema, points: 1 }', 'hw.yaml');
    expect(lateFactor(a, new Date('2026-02-28T00:00:00Z'))).toEqual({ factor: 1, daysLate: 0 });
    expect(lateFactor(a, new Date('2026-03-01T01:00:00Z')).factor).toBeCloseTo(0.9, 12);
    expect(lateFactor(a, new Date('2026-03-02T01:00:00Z')).factor).toBeCloseTo(0.8, 12);
    expect(lateFactor(a, new Date('2026-03-03T01:00:00Z'))).toEqual({ factor: 0, daysLate: 3 });
    expect(lateFactor(a, undefined).factor).toBe(1);
  });
});
