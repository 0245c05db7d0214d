// The gradecheck command line. Each command is a thin layer over the engine and the suites. What only some
// commands need (the grader, math.js behind written answers, KaTeX behind the HTML report, batch, bundle) is
// imported by those commands, so that `--help` or `list` loads none of it.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import type { Assignment } from './assignment.ts';
import { AssignmentError } from './assignment-error.ts';
import { isAnswersFile } from './answers.ts';
import type { BatchRow } from './gradebook.ts';
import type { GradeReport } from './report.ts';
import { ACCEPTED_TYPES, isCodeFile, submissionParts } from './submission.ts';
import { gradecheckVersion } from './version.ts';
import { RELEASE_ASSIGNMENT } from './release-layout.ts';
import type { Problem } from '../src/problem.ts';
import type { ProblemId } from '../spec/registry.ts';

const DEFAULT_SEED = 20261122;

/** Exit codes (docs/cli.md). */
export const EXIT = { ok: 0, failed: 1, usage: 2, ungradable: 3 } as const;

/** `check`'s exit: ok when every check passes and every question earns its points; a bonus left undone falls short of nothing. */
export function checkExitCode(report: GradeReport): number {
  if (report.ungradable) return EXIT.ungradable;
  const allPassed = report.problems.every((p) => p.bonus || p.checks.every((c) => c.result.passed)) && report.questions.every((q) => q.score === q.points);
  return allPassed ? EXIT.ok : EXIT.failed;
}

function parseInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
  return n;
}

// Problem ids are collected as given and checked against the registry by the commands that use them: loading
// every suite to parse arguments would make `--help` pay for all of them.
function collectProblem(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function parseProblemList(value: string): string[] {
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

/** The suites and what runs them, loaded by the commands that need them. */
async function suites() {
  const [registry, subjects, runner, format] = await Promise.all([
    import('../spec/registry.ts'),
    import('../spec/subjects.ts'),
    import('../src/runner.ts'),
    import('../src/format.ts'),
  ]);
  /** The given ids, each a known problem (a usage error otherwise); all problems when none are given. */
  const known = (ids: readonly string[] | undefined): ProblemId[] =>
    (ids ?? registry.problemIds).map((id) => {
      if (!registry.isProblemId(id)) throw new InvalidArgumentError(`unknown problem "${id}"; known problems: ${registry.problemIds.join(', ')}`);
      return id;
    });
  return { ...registry, ...subjects, ...runner, ...format, known };
}

interface SubjectOptions {
  readonly assignment?: string;
  readonly problems?: string[];
  readonly seed: number;
  readonly json?: boolean;
}

async function chooseAssignment(options: SubjectOptions): Promise<Assignment> {
  if (options.assignment && options.problems) throw new InvalidArgumentError('give either --assignment or --problems, not both');
  const { assignmentForProblems, loadAssignment } = await import('./assignment.ts');
  if (options.assignment) return loadAssignment(options.assignment);
  return assignmentForProblems((await suites()).known(options.problems), options.seed);
}

/** A submission path that is not there or cannot be a submission is the caller's mistake: a usage error (exit 2). */
function requireSubmissionPath(option: string, submission: string): void {
  const st = statSync(submission, { throwIfNoEntry: false });
  if (st === undefined) throw new InvalidArgumentError(`${option}: no such file or folder: ${submission}`);
  if (st.isDirectory() || isAnswersFile(submission)) return;
  const ext = path.extname(submission).toLowerCase();
  if (!isCodeFile(submission)) {
    throw new InvalidArgumentError(`${option}: ${submission} cannot be graded (${ext || 'no extension'}): give a ${ACCEPTED_TYPES} file, an answers .yaml, or a folder`);
  }
}

/** Loads an assignment file (the schema and math.js come with it). */
async function loadAssignmentFile(file: string): Promise<Assignment> {
  return (await import('./assignment.ts')).loadAssignment(file);
}

function write(text: string): void {
  process.stdout.write(`${text}\n`);
}

interface VerifyOptions {
  readonly problem?: string[];
  readonly seed: number;
  readonly runs?: number;
  readonly mistakes?: boolean;
}

/** Runs the suites on the reference (and, with --mistakes, on every named mistake). Returns failures. */
async function verify(options: VerifyOptions): Promise<number> {
  const { known, problems, runProblem, referenceSubject, mistakeSubject, variantsOf, formatProblemResult, formatCheckResult } = await suites();
  let failures = 0;
  for (const id of known(options.problem)) {
    const problem = problems[id];
    const run = { seed: options.seed, ...(options.runs !== undefined ? { numRuns: options.runs } : {}) };
    const result = await runProblem(problem, referenceSubject, run);
    failures += result.checks.filter((c) => !c.passed).length;
    write(formatProblemResult(result));
    if (!options.mistakes) continue;
    for (const m of problem.mistakes) {
      const mutant = await runProblem(problem, mistakeSubject(m), { ...run, variants: variantsOf(problem) });
      const caught = mutant.checks.filter((c) => !c.passed);
      const named = caught.some((c) => c.diagnosis?.some((d) => d.id === m.id));
      if (caught.length === 0) failures++;
      write(`  mistake ${m.id}: ${caught.length ? `caught by ${caught.map((c) => c.check).join(', ')}${named ? ', and named' : ''}` : 'NOT CAUGHT'}`);
      // What a student with this mistake reads first.
      if (caught[0]) write(formatCheckResult(caught[0]).replace(/^/gm, '      '));
    }
  }
  write(failures === 0 ? 'verify: all checks passed' : `verify: ${failures} failure(s)`);
  return failures;
}

interface ReplayOptions {
  readonly problem: string;
  readonly check: string;
  readonly seed: number;
  readonly path?: string;
  readonly mistake?: string;
  readonly submission?: string;
  readonly assignment?: string;
  readonly convention?: string;
}

/**
 * Replays one case. With the assignment a failure was graded with, the case reaches the submission exactly as it
 * did then: through the handout's names and types, with the handout's convention, the adapter and the
 * assignment's tolerance for the check; without it, through the catalog's interface.
 */
async function replay(options: ReplayOptions): Promise<number> {
  const { known, problems, runCheck, diagnose, referenceSubject, mistakeSubject, variantsOf, formatCheckResult } = await suites();
  const assignment = options.assignment === undefined ? undefined : await loadAssignmentFile(options.assignment);
  const executed = assignment?.execute?.checks.find((c) => c.id === options.problem);
  if (assignment && executed) return replayExecuted(assignment, executed.id, options);
  const settings = assignment?.problems.find((p) => p.id === options.problem);
  if (assignment && !settings) throw new InvalidArgumentError(`${options.assignment} grades no problem "${options.problem}"; its problems: ${assignment.problems.map((p) => p.id).join(', ')}`);
  const { acceptedDefinitions, problemOf } = await import('./assignment.ts');
  if (options.convention !== undefined && !(settings && acceptedDefinitions(settings).some((d) => d.convention?.id === options.convention))) {
    throw new InvalidArgumentError(`--convention ${options.convention}: ${settings ? `${options.assignment} accepts for ${settings.id}: ${acceptedDefinitions(settings).flatMap((d) => d.convention?.id ?? []).join(', ') || 'no named convention'}` : 'give the --assignment that accepts it'}`);
  }
  const problem = settings ? problemOf(settings, options.convention) : problems[known([options.problem])[0]!];
  const check = problem.checks.find((c) => c.id === options.check);
  if (!check) throw new InvalidArgumentError(`problem ${problem.id} has no check "${options.check}"; its checks: ${problem.checks.map((c) => c.id).join(', ')}`);
  const m = options.mistake === undefined ? undefined : problem.mistakes.find((x) => x.id === options.mistake);
  if (options.mistake !== undefined && !m) throw new InvalidArgumentError(`problem ${problem.id} has no mistake "${options.mistake}"`);
  if (options.submission !== undefined) requireSubmissionPath('--submission', options.submission);
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-replay-'));
  const student = options.submission === undefined ? undefined : await startReplayed(options.submission, workDir, problem, assignment);
  try {
    const { boundSubject } = await import('./bindings/bound-subject.ts');
    const subject = student ? boundSubject(student, problem, settings?.bind) : m ? mistakeSubject(m) : referenceSubject;
    const override = settings?.checks[check.id]?.tolerance;
    // The printed seed is the check's own: replay with it directly rather than deriving it again.
    const result = await runCheck(problem.id, check, subject, {
      seed: 0,
      checkSeed: options.seed,
      ...(options.path !== undefined ? { path: options.path } : {}),
      ...(override ? { override } : {}),
      ...(student ? { lowPrecision: () => student.lowPrecision } : {}),
    });
    const diagnosis = result.failure ? await diagnose(result.failure, variantsOf(problem)) : [];
    write(formatCheckResult(diagnosis.length ? { ...result, diagnosis } : result, { ...(options.submission !== undefined ? { submission: options.submission } : {}), ...(options.assignment !== undefined ? { assignment: options.assignment } : {}), ...(options.convention !== undefined ? { convention: options.convention } : {}) }));
    return result.passed ? EXIT.ok : EXIT.failed;
  } finally {
    await student?.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/**
 * Replays a check of the executed notebook: the notebook executed again as `grade` executes it, with that one
 * execute: check (its cases are the notebook's own, so the seed changes nothing), and the check's result printed.
 */
async function replayExecuted(assignment: Assignment, id: string, options: ReplayOptions): Promise<number> {
  if (options.submission === undefined) throw new InvalidArgumentError(`${id} is a check of the executed notebook: give the --submission to execute`);
  requireSubmissionPath('--submission', options.submission);
  const execute = assignment.execute!;
  const [{ grade }, { formatCheckResult }] = await Promise.all([import('./grade.ts'), import('../src/format.ts')]);
  const only = { ...assignment, problems: [], questions: [], execute: { ...execute, checks: execute.checks.filter((c) => c.id === id) } };
  const report = await grade({ assignment: only, submission: options.submission });
  if (report.ungradable) {
    write(`replay: not graded: ${report.ungradable}`);
    return EXIT.ungradable;
  }
  const checks = report.problems.find((p) => p.id === id)?.checks ?? [];
  const check = checks.find((c) => c.result.check === options.check);
  if (!check) throw new InvalidArgumentError(`${id} has no check "${options.check}"; its checks: ${checks.map((c) => c.result.check).join(', ')}`);
  write(formatCheckResult(check.result, { submission: options.submission, assignment: assignment.file }));
  return check.result.passed ? EXIT.ok : EXIT.failed;
}

/** The submission's process for a replay: staged and started as `grade` does with the assignment. */
async function startReplayed(submission: string, workDir: string, problem: Problem, assignment: Assignment | undefined) {
  const [{ ProcessSubject }, { prepareSubmission }, { childOptions }, { stageSubmission }, { gradedFilePreference }] = await Promise.all([import('./process-subject.ts'), import('./notebook.ts'), import('./child-options.ts'), import('./stage.ts'), import('./graded-names.ts')]);
  const stage = path.join(workDir, 'stage');
  const cwd = path.join(workDir, 'run');
  mkdirSync(stage);
  mkdirSync(cwd);
  const code = submissionParts(submission, undefined, assignment ? gradedFilePreference(assignment) : undefined).code ?? submission;
  const prepared = assignment ? stageSubmission(code, stage, assignment) : prepareSubmission(code, stage);
  return ProcessSubject.start(prepared.file, { cwd, ...(assignment ? childOptions(assignment) : problem.intArgs ? { intArgs: problem.intArgs } : {}) });
}

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('gradecheck')
    .description('Property-based verification and autograding for deep-learning coursework')
    .version(gradecheckVersion(), '-V, --version')
    .exitOverride();

  program
    .command('doctor')
    .description('what this machine can grade: node, the Python chosen and why, numpy, torch, matplotlib, Chromium, the sandbox; a fix for each missing piece')
    .option('--fix', "install what is missing with Debian's packages (as root, where apt-get is), then check again")
    .option('--dry-run', 'with --fix: say what would be installed, install nothing')
    .action(async (options: { fix?: boolean; dryRun?: boolean }) => {
      const { applyFix, canGrade, doctor, fixPlan, formatDoctor, thisMachine } = await import('./doctor.ts');
      let items = doctor();
      if (options.fix) {
        const plan = fixPlan(items, thisMachine());
        write(`doctor --fix: ${plan.says}${options.dryRun && plan.command ? ` (dry run: would run ${plan.command.join(' ')})` : ''}`);
        if (plan.command && !options.dryRun) {
          if (!applyFix(plan)) write('doctor --fix: the installation failed (its output is above)');
          items = doctor();
        }
      }
      write(formatDoctor(items));
      exitCode = canGrade(items) ? EXIT.ok : EXIT.ungradable;
    });

  program
    .command('list')
    .description('list the problems gradecheck can grade')
    .action(async () => {
      const { problemIds, problems } = await suites();
      for (const id of problemIds) {
        const p = problems[id];
        write(`${id}  (${p.source}; ${p.checks.length} checks, ${p.mistakes.length} named mistakes)`);
        for (const signature of p.signatures) write(`    ${signature}`);
      }
    });

  program
    .command('verify')
    .description('run the property suites on the reference implementation')
    .option('-p, --problem <id>', 'only this problem (repeatable)', collectProblem)
    .option('-s, --seed <n>', 'base seed', parseInteger, DEFAULT_SEED)
    .option('-r, --runs <n>', 'runs per property (default: each check\'s own)', parseInteger)
    .option('-m, --mistakes', 'also run every named mistake and show which checks catch it')
    .action(async (options: VerifyOptions) => {
      exitCode = (await verify(options)) > 0 ? 1 : 0;
    });

  program
    .command('replay')
    .description('replay exactly the case a failure printed, on a submission, the reference or a named mistake')
    .requiredOption('-p, --problem <id>', 'problem id')
    .requiredOption('-c, --check <id>', 'check id')
    .requiredOption('-s, --seed <n>', 'the seed the failure printed', parseInteger)
    .option('--path <path>', 'the path the failure printed')
    .option('--submission <file>', 'run on this submission (default: the reference)')
    .option('-a, --assignment <file>', "the assignment it was graded with: the handout's names and types (bindings), its conventions, adapter and tolerances")
    .option('--mistake <id>', 'run on this named mistake instead of the reference')
    .option('--convention <id>', 'with --assignment: the convention the case was graded under, where the assignment accepts several')
    .action(async (options: { problem: string; check: string; seed: number; path?: string; mistake?: string; submission?: string; assignment?: string; convention?: string }) => {
      exitCode = await replay(options);
    });

  program
    .command('check')
    .description('self-check a submission on the public checks (for students)')
    .argument('<submission>', 'a .py, .ipynb, .js, .mjs or .ts file, an answers.yaml, or a folder with either or both')
    .option('-a, --assignment <file>', 'assignment YAML')
    .option('--answers <file>', 'the written answers (question id -> expression); default: answers.yaml in a submission folder')
    .option('-p, --problems <ids>', 'comma-separated problem ids (default: all)', parseProblemList)
    .option('-s, --seed <n>', 'base seed (with --problems)', parseInteger, DEFAULT_SEED)
    .option('--json', 'print the report as JSON')
    .option('--html <file>', 'also write the report as a self-contained web page (plots, typeset formulas)')
    .option('--classroom <file>', "also write GitHub Classroom's autograding result (base64 JSON for autograding-grading-reporter)")
    .action(async (submission: string, options: SubjectOptions & { answers?: string; html?: string; classroom?: string }) => {
      const { writeAtomic } = await import('./write.ts');
      let report: GradeReport;
      try {
        requireSubmissionPath('submission', submission);
        const assignment = await chooseAssignment(options);
        const { grade } = await import('./grade.ts');
        report = await grade({ assignment, submission, visibleOnly: true, ...(options.answers !== undefined ? { answers: options.answers } : {}) });
      } catch (error) {
        // Classroom's reporter must still find a result, or it fails on an empty one and hides why.
        if (options.classroom !== undefined) {
          const { classroomError, encodeClassroom } = await import('./render/classroom.ts');
          writeAtomic(options.classroom, encodeClassroom(classroomError(error instanceof Error ? error.message : String(error), 0)));
        }
        throw error;
      }
      const { reportTerminal } = await import('./render/terminal.ts');
      if (options.html !== undefined) writeAtomic(options.html, (await import('./render/html.ts')).reportHtml(report));
      if (options.classroom !== undefined) writeAtomic(options.classroom, (await import('./render/classroom.ts')).classroomPayload(report));
      write(options.json ? JSON.stringify(report, null, 2) : `${reportTerminal(report)}${options.html !== undefined ? `\nwrote ${options.html}` : ''}`);
      exitCode = checkExitCode(report);
    });

  program
    .command('grade')
    .description('grade a submission (for staff): writes results.json (Gradescope), feedback.md, feedback.html and junit.xml')
    .requiredOption('--submission <file>', 'a .py, .ipynb, .js, .mjs or .ts file, an answers.yaml, or a folder with either or both')
    .requiredOption('-o, --out <dir>', 'output directory')
    .option('-a, --assignment <file>', 'assignment YAML')
    .option('--answers <file>', 'the written answers (question id -> expression); default: answers.yaml in a submission folder')
    .option('-p, --problems <ids>', 'comma-separated problem ids (default: all)', parseProblemList)
    .option('-s, --seed <n>', 'base seed (with --problems)', parseInteger, DEFAULT_SEED)
    .option('--submitted-at <iso>', 'submission time, for the late policy')
    .option('--file-only', "the submission's folder holds other students' files: give the sandbox the file alone")
    .option('--gradescope', "graded by Gradescope's autograder: Gradescope applies its own late policy, so the assignment's applies only with late_policy.on_gradescope")
    .option('--run-as <user>', 'without the isolated sandbox: run the submission as this unprivileged user (needs root; the Gradescope bundle uses it)')
    .option('--json', 'print the report as JSON')
    .action(async (options: SubjectOptions & { submission: string; out: string; submittedAt?: string; answers?: string; fileOnly?: boolean; runAs?: string; gradescope?: boolean }) => {
      let report: GradeReport;
      requireSubmissionPath('--submission', options.submission);
      const { grade } = await import('./grade.ts');
      try {
        const assignment = await chooseAssignment(options);
        const lateApplies = !options.gradescope || assignment.late_policy?.on_gradescope === true;
        const submittedAt = options.submittedAt === undefined || !lateApplies ? undefined : new Date(options.submittedAt);
        if (submittedAt && Number.isNaN(submittedAt.getTime())) throw new InvalidArgumentError(`--submitted-at: not a date: ${options.submittedAt}`);
        const runAs = options.runAs === undefined ? undefined : userIds(options.runAs);
        const parts = submissionParts(options.submission, options.answers);
        report =
          parts.code === undefined && parts.answers === undefined
            ? ungradableReport(options, `no source file (${ACCEPTED_TYPES}) or answers.yaml in ${options.submission}`)
            : await grade({
                assignment,
                submission: options.submission,
                ...(submittedAt ? { submittedAt } : {}),
                ...(options.answers !== undefined ? { answers: options.answers } : {}),
                ...(options.fileOnly ? { fileOnly: true } : {}),
                ...(runAs ? { runAs } : {}),
              });
      } catch (error) {
        if (!(error instanceof AssignmentError)) throw error;
        // Gradescope must still find a results.json that says what went wrong.
        report = ungradableReport(options, error.message);
        process.stderr.write(`${error.message}\n`);
      }
      const { writeReport } = await import('./write.ts');
      const { reportTerminal } = await import('./render/terminal.ts');
      const files = writeReport(report, options.out);
      write(options.json ? JSON.stringify(report, null, 2) : `${reportTerminal(report)}\nwrote ${files.join(', ')}`);
      exitCode = report.ungradable ? EXIT.ungradable : EXIT.ok;
    });

  program
    .command('batch')
    .description('grade a whole class: a Gradescope export or a folder per student; resumable, parallel')
    .requiredOption('-a, --assignment <file>', 'assignment YAML')
    .requiredOption('--submissions <dir>', 'a Gradescope export (submission_metadata.yml) or one folder/file per student')
    .requiredOption('-o, --out <dir>', 'output directory (students/, gradebook.csv, summary.md, summary.json, cache/)')
    .option('-j, --jobs <n>', 'submissions graded at once (default: the number of cores)', parseInteger)
    .option('--shard <i/n|auto>', 'grade only the i-th of n deterministic slices (0-based), for array jobs; auto: from JOB_COMPLETION_INDEX, SLURM_ARRAY_TASK_ID or GRADECHECK_SHARD_INDEX (docs/scale.md)')
    .action(async (options: { assignment: string; submissions: string; out: string; jobs?: number; shard?: string }) => {
      const assignment = await loadAssignmentFile(options.assignment);
      const [{ runBatch }, { summarize }] = await Promise.all([import('./batch.ts'), import('./gradebook.ts')]);
      const shard = options.shard === undefined ? undefined : await parseShardOption(options.shard);
      const started = Date.now();
      const tty = process.stderr.isTTY === true;
      let cachedSoFar = 0;
      const rows = await runBatch({
        assignment,
        submissionsDir: options.submissions,
        outDir: options.out,
        ...(options.jobs !== undefined ? { jobs: options.jobs } : {}),
        ...(shard ? { shard } : {}),
        onProgress: (done, total, row) => {
          if (row.cached) cachedSoFar++;
          process.stderr.write(progressLine(done, total, cachedSoFar, started, row, tty));
        },
      });
      if (tty) process.stderr.write('\n');
      const summary = summarize(assignment, rows);
      const cached = rows.filter((r) => r.cached).length;
      write(`${summary.graded}/${summary.submissions} graded (${cached} from the cache), mean ${summary.meanScore.toFixed(2)} / ${summary.maxScore}; wrote ${path.join(options.out, 'gradebook.csv')}, summary.md, summary.json`);
      const environment = rows.find((r) => r.report?.environmentFailure)?.report?.environmentFailure;
      if (environment) process.stderr.write(`error: the batch stopped early, nothing was graded as 0: ${environment.cause}.\nfix: ${environment.fix}\n`);
      exitCode = environment ? EXIT.ungradable : summary.failed > 0 ? EXIT.failed : EXIT.ok;
    });

  program
    .command('worker', { hidden: true })
    .description('a grading process of `batch` (grades the submissions it is sent over its IPC channel)')
    .action(async () => {
      await (await import('./worker.ts')).serveWorker();
      // The batch has gone: leave now, even in the middle of a grade (the student's process sees its pipes close).
      process.exit(0);
    });

  program
    .command('merge')
    .description('assemble the gradebook and summary from the out dirs of several --shard runs')
    .requiredOption('-a, --assignment <file>', 'assignment YAML')
    .requiredOption('--submissions <dir>', 'the submissions folder the shards graded')
    .requiredOption('-o, --out <dir>', 'output directory')
    .argument('<shardDirs...>', 'the out dirs of the shards')
    .action(async (shardDirs: string[], options: { assignment: string; submissions: string; out: string }) => {
      const assignment = await loadAssignmentFile(options.assignment);
      const [{ mergeShards }, { summarize }] = await Promise.all([import('./batch.ts'), import('./gradebook.ts')]);
      const rows = mergeShards(assignment, options.submissions, shardDirs, options.out);
      const summary = summarize(assignment, rows);
      write(`merged ${shardDirs.length} shard(s): ${summary.graded}/${summary.submissions} graded, mean ${summary.meanScore.toFixed(2)} / ${summary.maxScore}`);
      exitCode = summary.failed > 0 ? EXIT.failed : EXIT.ok;
    });

  program
    .command('coverage')
    .description("list the handout's code tasks with their points: which are graded automatically and how, which by a person")
    .requiredOption('-a, --assignment <file>', 'assignment YAML')
    .action(async (options: { assignment: string }) => {
      const assignment = await loadAssignmentFile(options.assignment);
      const { coverageOf, formatCoverage } = await import('./coverage.ts');
      write(formatCoverage(assignment, coverageOf(assignment)));
    });

  program
    .command('bundle')
    .description('build a Gradescope autograder zip (setup.sh, run_autograder, the assignment and gradecheck)')
    .requiredOption('-a, --assignment <file>', 'assignment YAML')
    .requiredOption('-o, --out <zip>', 'the zip to write, e.g. autograder.zip')
    .action(async (options: { assignment: string; out: string }) => {
      const assignment = await loadAssignmentFile(options.assignment);
      const { entries, bytes } = (await import('./bundle.ts')).writeBundle(assignment, options.out);
      write(`wrote ${options.out} (${entries} files, ${Math.round(bytes / 1024)} KiB): upload it as the assignment's autograder on Gradescope (docs/scale.md)`);
    });

  program
    .command('release')
    .description("write what students may see of an assignment (visible checks only, no answer key): the assignment `check` runs, an answers.yaml to fill in, a README")
    .requiredOption('-a, --assignment <file>', 'assignment YAML (the staff one)')
    .requiredOption('-o, --out <dir>', 'the folder to write, e.g. the student template repository')
    .option('--standalone', "also write the self-check itself (gradecheck/): one JavaScript file and the reference's recorded answers, no reference code, no install")
    .action(async (options: { assignment: string; out: string; standalone?: boolean }) => {
      const standalone = options.standalone ?? false;
      const files = (await import('./release.ts')).writeRelease(await loadAssignmentFile(options.assignment), options.out, { standalone });
      if (standalone) files.push(...(await (await import('./self-check/build.ts')).writeSelfCheck(options.out, path.join(options.out, RELEASE_ASSIGNMENT))).files);
      write(`wrote ${files.join(', ')}: give these to students; keep ${options.assignment} to grade`);
    });

  program
    .command('workflow')
    .description('write the GitHub Actions workflow of a student repository (GitHub Classroom): the public checks on every push')
    .requiredOption('-a, --assignment <file>', 'assignment YAML (its student release goes to .github/gradecheck/assignment.yaml)')
    .requiredOption('--submission <path>', 'the student\'s file, relative to the repository root, e.g. hw1.py')
    .option('--gradecheck-repo <owner/name>', 'check out and install gradecheck from this repository on every run (students can read it, reference/ included); without it, the self-check is written into the repository (release --standalone: no reference code)')
    .option('--ref <ref>', 'with --gradecheck-repo: the gradecheck tag or branch (default: v<this version>)')
    .option('-o, --out <dir>', 'the repository (template) to write into', '.')
    .action(async (options: { assignment: string; submission: string; gradecheckRepo?: string; ref?: string; out: string }) => {
      if (path.isAbsolute(options.submission)) throw new InvalidArgumentError('--submission: give the path relative to the repository root');
      const { WORKFLOW_ASSIGNMENT, WORKFLOW_RELEASE, writeClassroomWorkflow } = await import('./workflow.ts');
      const standalone = options.gradecheckRepo === undefined;
      const gradecheck = standalone ? ('standalone' as const) : { repo: options.gradecheckRepo!, ref: options.ref ?? `v${gradecheckVersion()}` };
      const files = writeClassroomWorkflow({ assignment: await loadAssignmentFile(options.assignment), submission: options.submission, gradecheck }, options.out);
      if (standalone) {
        const { writeSelfCheck } = await import('./self-check/build.ts');
        files.push(...(await writeSelfCheck(path.join(options.out, WORKFLOW_RELEASE), path.join(options.out, WORKFLOW_ASSIGNMENT))).files);
      }
      write(`wrote ${files.join(', ')}`);
    });

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof AssignmentError || error instanceof InvalidArgumentError) {
      process.stderr.write(`error: ${error.message}\n`);
      return EXIT.usage;
    }
    const code = (error as { exitCode?: number }).exitCode;
    if (typeof code === 'number') return code === 0 ? 0 : EXIT.usage;
    // The file system failed us (a full disk, an unreadable folder): ungradable, never a 0 or a crash.
    // writeAtomic leaves no partial file, and results.json is removed before a report is written.
    if (typeof (error as NodeJS.ErrnoException).syscall === 'string') {
      process.stderr.write(`error: ungradable (environment failure, nothing recorded): ${(error as Error).message}\n`);
      return EXIT.ungradable;
    }
    throw error;
  }
  return exitCode;
}

/** The uid and gid of a user name (or numeric id), by `id`. */
function userIds(user: string): { uid: number; gid: number } {
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim());
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new InvalidArgumentError(`--run-as: no such user "${user}"`);
  }
}

async function parseShardOption(text: string): Promise<{ index: number; count: number }> {
  const { parseShard, shardFromEnv } = await import('./shards.ts');
  try {
    if (text === 'auto') {
      const shard = shardFromEnv(process.env);
      process.stderr.write(`shard ${shard.index}/${shard.count} (from ${shard.source})\n`);
      return { index: shard.index, count: shard.count };
    }
    return parseShard(text);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/**
 * A progress bar with rate and ETA on a terminal; a plain line per submission otherwise. The rate counts the
 * submissions graded by this run: answers from the cache take no time and would make the ETA a lie on a resume.
 */
function progressLine(done: number, total: number, cached: number, started: number, row: BatchRow, tty: boolean): string {
  const seconds = (Date.now() - started) / 1000;
  const rate = (done - cached) / Math.max(seconds, 1e-3);
  const eta = rate > 0 ? `${Math.round((total - done) / rate)}s` : '?';
  const status = row.error ? `error: ${row.error}` : row.report?.ungradable ? 'ungradable' : `${row.report?.score}/${row.report?.maxScore}${row.cached ? ' (cached)' : ''}`;
  if (!tty) return `[${done}/${total}] ${row.submission.id}: ${status}\n`;
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  return `\r[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total}${cached ? ` (${cached} cached)` : ''}  ${(rate * 60).toFixed(1)}/min  ETA ${eta}  `;
}

function ungradableReport(options: { submission: string; assignment?: string }, reason: string): GradeReport {
  return {
    assignment: options.assignment ?? '(none)',
    assignmentFile: options.assignment ?? '',
    submission: options.submission,
    seed: 0,
    score: 0,
    maxScore: 0,
    lateFactor: 1,
    daysLate: 0,
    problems: [],
    questions: [],
    loadErrors: [],
    stdout: '',
    stderr: '',
    executionTimeMs: 0,
    ungradable: reason,
  };
}
