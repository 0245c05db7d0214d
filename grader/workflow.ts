// `gradecheck workflow`: the GitHub Actions workflow of a student repository (GitHub Classroom's case). On
// every push it checks out the student's repository and the course's gradecheck, installs Node and Ubuntu's
// numpy and PyTorch, runs the public checks (`gradecheck check`) and reports their points to Classroom with
// its autograding reporter (grader/render/classroom.ts); the job fails while a check fails.
// The student release of the assignment travels with the workflow (.github/gradecheck/assignment.yaml: visible
// checks only, no answer key; grader/release.ts). No secret goes into a student repository: gradecheck is
// checked out from a repository students may read.

import path from 'node:path';
import { stringify } from 'yaml';
import type { Assignment } from './assignment.ts';
import { classroomError, encodeClassroom } from './render/classroom.ts';
import { releasedStaffFiles, studentAssignmentYaml } from './release.ts';
import { SELF_CHECK_CLI, SELF_CHECK_DIR } from './release-layout.ts';
import { writeAtomic } from './write.ts';

export interface WorkflowOptions {
  readonly assignment: Assignment;
  /** The student's file, relative to the repository root (e.g. hw1.py). */
  readonly submission: string;
  /**
   * Where the check comes from: the course's gradecheck repository (owner/name) at a tag or branch, checked out
   * and installed on every run; or `standalone`, the self-check `gradecheck release --standalone` writes into the
   * template repository beside the assignment (no checkout, no install, no reference code: grader/self-check/).
   */
  readonly gradecheck: { readonly repo: string; readonly ref: string } | 'standalone';
}

export const WORKFLOW_FILE = path.join('.github', 'workflows', 'gradecheck.yml');
export const WORKFLOW_ASSIGNMENT = path.join('.github', 'gradecheck', 'assignment.yaml');
/** Where the workflow checks gradecheck out, inside the student's workspace. */
export const GRADECHECK_CHECKOUT = '.gradecheck';

/** Where `workflow --standalone` writes the self-check: beside the assignment it reads (SELF_CHECK_DIR below it). */
export const WORKFLOW_RELEASE = path.dirname(WORKFLOW_ASSIGNMENT);

/** The check step's id: the reporter reads its result from <ID>_RESULTS. */
export const CLASSROOM_RUNNER = 'gradecheck';

interface Step {
  readonly name: string;
  readonly id?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly uses?: string;
  readonly with?: Readonly<Record<string, string | number>>;
  readonly run?: string;
  readonly 'working-directory'?: string;
}

export function classroomWorkflow(options: WorkflowOptions): string {
  const posix = (p: string) => p.split(path.sep).join('/');
  const { gradecheck } = options;
  const checkedOut = gradecheck !== 'standalone';
  const command = checkedOut ? 'bin/gradecheck.mjs' : `"$GITHUB_WORKSPACE/${posix(path.join(WORKFLOW_RELEASE, SELF_CHECK_DIR, SELF_CHECK_CLI))}"`;
  const steps: Step[] = [
    { name: 'Check out the submission', uses: 'actions/checkout@v4' },
    ...(checkedOut ? [{ name: 'Check out gradecheck', uses: 'actions/checkout@v4', with: { repository: gradecheck.repo, ref: gradecheck.ref, path: GRADECHECK_CHECKOUT } }] : []),
    { name: 'Node.js 20', uses: 'actions/setup-node@v4', with: { 'node-version': 20 } },
    { name: 'Python with numpy and PyTorch (Ubuntu packages)', run: 'sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy python3-torch' },
    // npm ci can refuse a lock file written by npm 11 (its optional-dependency bug); install installs the same versions.
    ...(checkedOut ? [{ name: 'Install gradecheck', 'working-directory': GRADECHECK_CHECKOUT, run: 'npm ci --omit=dev --no-audit --no-fund || npm install --omit=dev --no-audit --no-fund' }] : []),
    {
      // The reporter step turns the result into Classroom's points and fails the job while a check fails.
      name: `Check ${posix(options.submission)} (the public checks)`,
      id: CLASSROOM_RUNNER,
      ...(checkedOut ? { 'working-directory': GRADECHECK_CHECKOUT } : {}),
      // node, not npx: npx installs the checkout into its own cache and runs its `prepare` (a rebuild of dist/) at
      // every start, which is slow and, beside another gradecheck of the same checkout, removes the build it runs.
      run: [
        `node ${command} check "$GITHUB_WORKSPACE/${posix(options.submission)}" --assignment "$GITHUB_WORKSPACE/${posix(WORKFLOW_ASSIGNMENT)}" --classroom "$RUNNER_TEMP/gradecheck-result" || true`,
        // A check killed before it wrote (out of memory, the job's timeout) still reports, as an error.
        `test -s "$RUNNER_TEMP/gradecheck-result" || echo '${encodeClassroom(classroomError("gradecheck stopped before writing a result; this step's log says why", 0))}' > "$RUNNER_TEMP/gradecheck-result"`,
        'echo "result=$(cat "$RUNNER_TEMP/gradecheck-result")" >> "$GITHUB_OUTPUT"',
      ].join('\n'),
    },
    {
      name: 'Report the points to GitHub Classroom',
      uses: 'classroom-resources/autograding-grading-reporter@v1',
      env: { [`${CLASSROOM_RUNNER.toUpperCase()}_RESULTS`]: `\${{ steps.${CLASSROOM_RUNNER}.outputs.result }}` },
      with: { runners: CLASSROOM_RUNNER },
    },
  ];
  const workflow = {
    name: `gradecheck: ${options.assignment.name}`,
    on: { push: {}, pull_request: {}, workflow_dispatch: {} },
    // The reporter writes the points on the job's check run, which Classroom finds by the name "Autograding Tests".
    permissions: { checks: 'write', actions: 'read', contents: 'read' },
    jobs: { check: { name: 'Autograding Tests', 'runs-on': 'ubuntu-24.04', 'timeout-minutes': 20, steps } },
  };
  const header = [
    `# Written by \`gradecheck workflow\` for ${path.basename(options.assignment.file)}: the public checks of ${posix(options.submission)} on every push.`,
    `# The job fails while a check fails; the log shows each failure with its smallest input and how to replay it.`,
    '',
  ].join('\n');
  return header + stringify(workflow, { lineWidth: 0 });
}

/** Writes the workflow and the assignment it reads into `repoDir`; returns the paths written. */
export function writeClassroomWorkflow(options: WorkflowOptions, repoDir: string): string[] {
  const files: [string, string][] = [
    [path.join(repoDir, WORKFLOW_ASSIGNMENT), studentAssignmentYaml(options.assignment)],
    // The adapter and stand-ins beside the assignment, where the assignment names them.
    ...releasedStaffFiles(options.assignment).map(([name, text]): [string, string] => [path.join(repoDir, path.dirname(WORKFLOW_ASSIGNMENT), name), text]),
    [path.join(repoDir, WORKFLOW_FILE), classroomWorkflow(options)],
  ];
  for (const [file, text] of files) writeAtomic(file, text);
  return files.map(([file]) => file);
}
