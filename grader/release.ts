// `gradecheck release`: what students may see of an assignment (the role of Otter's `assign`). The staff YAML
// holds the answer key: written answers' expected and wrong forms, mistake prices, hidden checks' settings and
// the grading seed (from which hidden checks' inputs follow). The release keeps the visible checks only, under
// a seed of its own, and lists the written questions (ids, titles, variables) without their forms; no file of
// gradecheck itself, and so none of reference/, is in it. An executed notebook's visible checks travel too, but a
// value check with a number written into the assignment does not: that number is the answer.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { hashSeed } from '../src/rng.ts';
import { type Assignment, AssignmentError, adapterPath } from './assignment.ts';
import { type ExecuteSettings, type ExecutionCheck, keptWithTheirBars, shimsFiles } from './execution/schema.ts';
import { writeAtomic } from './write.ts';
import { RELEASE_ANSWERS, RELEASE_ASSIGNMENT, RELEASE_README, SELF_CHECK_CLI, SELF_CHECK_DIR } from './release-layout.ts';

/** Problems with at least one check students see. */
const visibleProblems = (assignment: Assignment) => assignment.problems.filter((p) => p.visibility === 'visible' || Object.values(p.checks).some((c) => c.visibility === 'visible'));

/** A value or written check whose expected value is written in the assignment (a number or a list): that is the answer. */
function carriesAnswer(c: ExecutionCheck): boolean {
  const expected = 'value' in c ? c.expected : 'written' in c ? c.written.expected : undefined;
  return typeof expected === 'number' || Array.isArray(expected);
}

/** A visible executed check students may run. */
const releasable = (c: ExecutionCheck) => c.visibility === 'visible' && !carriesAnswer(c);

/** The execute: section of the release: its budgets, recorded helpers and stand-ins, and the releasable checks. */
function releasedExecution(execute: ExecuteSettings | undefined): Record<string, unknown> | undefined {
  // One that must beat another's result travels only with that result's check (keptWithTheirBars).
  const checks = keptWithTheirBars(execute?.checks ?? [], releasable);
  if (!execute || checks.length === 0) return undefined;
  const { checks: _all, ...settings } = execute;
  // Mistake prices stay with staff, as the problems' do.
  return { ...settings, checks: checks.map((c) => ('mistakes' in c ? (({ mistakes: _prices, ...rest }) => rest)(c) : c)) };
}

/** The assignment a student's `gradecheck check` runs: visible checks only, nothing of the answer key. */
export function studentAssignment(assignment: Assignment): Record<string, unknown> {
  const problems = visibleProblems(assignment)
    .map((p) => {
      // Checks not shown to students weigh 0 here: they do not run, and their settings stay with staff.
      const checks = Object.fromEntries(
        Object.entries(p.checks).map(([id, c]) => {
          const visible = (c.visibility ?? p.visibility) === 'visible';
          if (!visible || c.weight === 0) return [id, { weight: 0 }];
          return [id, { weight: c.weight, ...(p.visibility === 'visible' ? {} : { visibility: 'visible' }), ...(c.runs !== undefined ? { runs: c.runs } : {}), ...(c.tolerance ? { tolerance: c.tolerance } : {}) }];
        }),
      );
      return {
        id: p.id,
        points: p.points,
        // A problem hidden as a whole with some visible checks: the unlisted checks are hidden too.
        ...(p.visibility === 'visible' ? {} : { visibility: 'hidden' }),
        ...(p.runs !== undefined ? { runs: p.runs } : {}),
        ...(Object.keys(checks).length > 0 ? { checks } : {}),
        // How the handout's interface is reached: the student's own check must call it the same way.
        ...(p.convention !== undefined ? { convention: p.convention } : {}),
        ...(p.bind ? { bind: p.bind } : {}),
      };
    });
  return {
    name: assignment.name,
    // Not the grading seed: with it, the public tool would reproduce the hidden checks' inputs.
    seed: Math.abs(hashSeed(assignment.seed, 'student-release')) % 1_000_000_000,
    ...(Object.keys(assignment.limits).length > 0 ? { limits: assignment.limits } : {}),
    ...(assignment.files.length > 0 ? { files: assignment.files } : {}),
    ...(assignment.provided.length > 0 ? { provided: assignment.provided } : {}),
    ...(assignment.adapter !== undefined ? { adapter: assignment.adapter } : {}),
    problems,
    ...(releasedExecution(assignment.execute) ? { execute: releasedExecution(assignment.execute) } : {}),
  };
}

/** The staff files a release carries beside its assignment.yaml (no answers in them): the adapter and the stand-ins. */
export function releasedStaffFiles(assignment: Assignment): [name: string, text: string][] {
  const shims = releasedExecution(assignment.execute) ? shimsFiles(assignment.execute) : [];
  return [
    ...(assignment.adapter !== undefined ? [[assignment.adapter, readFileSync(adapterPath(assignment)!, 'utf8')] as [string, string]] : []),
    ...shims.map((file) => [file, readFileSync(path.resolve(path.dirname(assignment.file), file), 'utf8')] as [string, string]),
  ];
}

/** An answers.yaml to fill in: one line per visible question, its title and variables as comments. */
export function answersTemplate(assignment: Assignment): string {
  const lines = ['# Your written answers: one `question-id: expression` per line, in math.js syntax or LaTeX.', ''];
  for (const q of assignment.questions.filter((x) => x.visibility === 'visible')) {
    const variables = Object.entries(q.variables).map(([name, v]) => {
      const aliases = v.aliases.length ? ` (or ${v.aliases.join(', ')})` : '';
      return `${name}${aliases}`;
    });
    lines.push(`# ${q.title ?? q.id} (${q.points} point${q.points === 1 ? '' : 's'})`, `# variables: ${variables.join('; ') || 'none'}`, `${q.id}: ''`, '');
  }
  return lines.join('\n');
}

function readme(assignment: Assignment, hasQuestions: boolean, standalone: boolean): string {
  const command = standalone ? `node ${SELF_CHECK_DIR}/${SELF_CHECK_CLI}` : 'npx gradecheck';
  return [
    `# ${assignment.name}: self-check`,
    '',
    `Run the public checks on your code (exit code 0 when they all pass${standalone ? '; Node.js 20 and a Python with numpy' : ''}):`,
    '',
    '```sh',
    `${command} check YOUR_FILE.py --assignment ${RELEASE_ASSIGNMENT}`,
    '```',
    '',
    'These are the visible checks only, on inputs of their own; your grade also counts checks you do not see here.',
    ...(standalone
      ? ['', `\`${SELF_CHECK_DIR}/\` holds the reference's answers to the inputs these checks draw, not the reference itself: where a check needs another answer (an input made from yours), it says "not judged here", and that case is judged when you submit.`]
      : []),
    ...(hasQuestions ? ['', `Written answers go in \`${RELEASE_ANSWERS}\` (one line per question); they are graded when you submit, not here.`] : []),
    '',
  ].join('\n');
}

/** The release's assignment.yaml (also what `gradecheck workflow` puts in a student repository). */
export function studentAssignmentYaml(assignment: Assignment): string {
  const header = `# The student release of ${path.basename(assignment.file)} (gradecheck release): the visible checks only.\n`;
  return header + stringify(studentAssignment(assignment), { lineWidth: 0 });
}

/**
 * Writes the release into `dir`; returns the files written. `standalone`: its README runs the self-check that
 * grader/self-check/build.ts writes beside it (`release --standalone`), not an installed gradecheck.
 */
export function writeRelease(assignment: Assignment, dir: string, options: { readonly standalone?: boolean } = {}): string[] {
  if (visibleProblems(assignment).length === 0 && !releasedExecution(assignment.execute)) {
    // Its written questions cannot travel: their expected forms are the answer key.
    throw new AssignmentError([{ file: assignment.file, line: undefined, path: 'problems', message: 'nothing to release: no visible code problem or executed check (the written questions stay with staff: their forms are the answer key)' }]);
  }
  const hasQuestions = assignment.questions.some((q) => q.visibility === 'visible');
  const files: [string, string][] = [
    [path.join(dir, RELEASE_ASSIGNMENT), studentAssignmentYaml(assignment)],
    [path.join(dir, RELEASE_README), readme(assignment, hasQuestions, options.standalone ?? false)],
    ...(hasQuestions ? [[path.join(dir, RELEASE_ANSWERS), answersTemplate(assignment)] as [string, string]] : []),
    // Staff code that reaches the handout's interface or stands in for course files, beside the assignment naming it.
    ...releasedStaffFiles(assignment).map(([name, text]): [string, string] => [path.join(dir, name), text]),
  ];
  for (const [file, text] of files) writeAtomic(file, text);
  return files.map(([file]) => file);
}
