// Every failure prints how to replay it; for a homework graded through its handout's interface, the replay must
// reach the submission the same way (bindings, the handout's convention, the adapter, the assignment's
// tolerances). The failure of a seed-003 notebook with a wrong weight decay is replayed from the line its report
// printed: it fails again and is named again, the correct notebook passes the same case, and without the
// assignment the check (the handout's own rule) does not exist.

import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from './assignment.ts';
import { EXIT } from './cli.ts';
import { grade } from './grade.ts';
import { toGradescope } from './render/gradescope.ts';
import { reportMarkdown } from './render/markdown.ts';
import { reportTerminal } from './render/terminal.ts';

const run = promisify(execFile);
const root = path.join(import.meta.dirname, '..');
const handout = (f: string) => path.join('fixtures', 'submissions', 'seed-003-handout', f);

async function gradecheck(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(root, 'bin', 'gradecheck.mjs'), ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The words of a printed replay line after `npx gradecheck` (no quoting needed: the fixture paths are plain). */
const replayArgs = (line: string) => line.trim().replace(/^replay: npx gradecheck /, '').split(/\s+/);

describe('replay through the assignment a failure was graded with', () => {
  it('the printed line fails again and names the mistake; the correct notebook passes the same case; the catalog has no such check', async () => {
    const full = loadAssignment(path.join('fixtures', 'assignments', 'seed-003.yaml'));
    // The failing problem alone: the replay line is the same, without executing the notebook for the other checks.
    const assignment = { ...full, problems: full.problems.filter((p) => p.id === 'sgd-weight-decay'), questions: [], execute: undefined };
    const report = await grade({ assignment, submission: handout('bug-decay-uses-abs.ipynb') });
    const line = reportTerminal(report).split('\n').find((l) => l.includes('replay: ') && l.includes('--problem sgd-weight-decay'));
    expect(line).toBeDefined();
    const args = replayArgs(line!);
    expect(args).toEqual(expect.arrayContaining(['--assignment', path.join('fixtures', 'assignments', 'seed-003.yaml')]));

    const again = await gradecheck(args);
    expect(again.code).toBe(EXIT.failed);
    expect(again.stdout).toContain('likely mistake: decay term weight_decay * |p| instead of weight_decay * p');

    const correct = args.map((a) => (a.endsWith('bug-decay-uses-abs.ipynb') ? handout('correct.ipynb') : a));
    expect((await gradecheck(correct)).code).toBe(EXIT.ok);

    const i = args.indexOf('--assignment');
    const catalog = await gradecheck([...args.slice(0, i), ...args.slice(i + 2)]);
    expect(catalog.code).toBe(EXIT.usage);
    expect(catalog.stderr).toContain('has no check "matches-handout-rule"');
  });
});

describe('replay of a check on the executed notebook', () => {
  it('feedback.md\'s line executes the notebook again: the mistake fails again, the correct notebook passes; Gradescope points at the release', async () => {
    const assignmentFile = path.join('fixtures', 'assignments', 'seed-004.yaml');
    const full = loadAssignment(assignmentFile);
    const executed = path.join('fixtures', 'submissions', 'seed-004-executed');
    const report = await grade({ assignment: { ...full, problems: [], questions: [] }, submission: path.join(executed, 'bug-build-mlp-final-relu.ipynb') });
    const line = reportMarkdown(report, { includeChecks: true }).split('\n').find((l) => l.includes('replay: ') && l.includes('--problem build-mlp'));
    expect(line).toBeDefined();
    const args = replayArgs(line!);
    expect(args).toEqual(expect.arrayContaining(['--assignment', assignmentFile, '--submission', path.join(executed, 'bug-build-mlp-final-relu.ipynb')]));

    const again = await gradecheck(args);
    expect(again.code).toBe(EXIT.failed);
    expect(again.stdout).toMatch(/FAIL build-mlp › computes-.*applies ReLU/s);
    const correct = args.map((a) => (a.endsWith('bug-build-mlp-final-relu.ipynb') ? path.join(executed, 'correct.ipynb') : a));
    expect((await gradecheck(correct)).code).toBe(EXIT.ok);

    // A student on Gradescope has their file and the student release (whose checks keep their ids), not the staff's paths.
    const outputs = toGradescope(report).tests?.map((t) => t.output ?? '') ?? [];
    expect(outputs.join('\n')).toMatch(/--assignment assignment\.yaml --submission bug-build-mlp-final-relu\.ipynb/);
  });
});
