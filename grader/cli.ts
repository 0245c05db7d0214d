// The gradecheck command line. Each command is a thin layer over the engine and the suites.

import { Command, InvalidArgumentError } from 'commander';
import { formatCheckResult, formatProblemResult } from '../src/format.ts';
import { runCheck, runProblem } from '../src/runner.ts';
import { isProblemId, problemIds, problems, type ProblemId } from '../spec/registry.ts';
import { mistakeSubject, referenceSubject, variantsOf } from '../spec/subjects.ts';

const DEFAULT_SEED = 20261122;

function parseInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
  return n;
}

function parseProblem(value: string, previous: ProblemId[] = []): ProblemId[] {
  if (!isProblemId(value)) throw new InvalidArgumentError(`unknown problem "${value}"; known problems: ${problemIds.join(', ')}`);
  return [...previous, value];
}

function write(text: string): void {
  process.stdout.write(`${text}\n`);
}

interface VerifyOptions {
  readonly problem?: ProblemId[];
  readonly seed: number;
  readonly runs?: number;
  readonly mistakes?: boolean;
}

/** Runs the suites on the reference (and, with --mistakes, on every named mistake). Returns failures. */
async function verify(options: VerifyOptions): Promise<number> {
  let failures = 0;
  for (const id of options.problem ?? problemIds) {
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

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = new Command()
    .name('gradecheck')
    .description('Property-based verification and autograding for deep-learning coursework')
    .exitOverride();

  program
    .command('list')
    .description('list the problems gradecheck can grade')
    .action(() => {
      for (const id of problemIds) {
        const p = problems[id];
        write(`${id.padEnd(22)} ${p.signatures.join(', ').padEnd(40)} ${p.checks.length} checks, ${p.mistakes.length} named mistakes  (${p.source})`);
      }
    });

  program
    .command('verify')
    .description('run the property suites on the reference implementation')
    .option('-p, --problem <id>', 'only this problem (repeatable)', parseProblem)
    .option('-s, --seed <n>', 'base seed', parseInteger, DEFAULT_SEED)
    .option('-r, --runs <n>', 'runs per property (default: each check\'s own)', parseInteger)
    .option('-m, --mistakes', 'also run every named mistake and show which checks catch it')
    .action(async (options: VerifyOptions) => {
      exitCode = (await verify(options)) > 0 ? 1 : 0;
    });

  program
    .command('replay')
    .description('replay one check on the reference or a named mistake, from the seed and path a failure printed')
    .requiredOption('-p, --problem <id>', 'problem id', (v) => parseProblem(v)[0]!)
    .requiredOption('-c, --check <id>', 'check id')
    .requiredOption('-s, --seed <n>', 'the seed the failure printed', parseInteger)
    .option('--path <path>', 'the path the failure printed')
    .option('--mistake <id>', 'run on this named mistake instead of the reference')
    .action(async (options: { problem: ProblemId; check: string; seed: number; path?: string; mistake?: string }) => {
      const problem = problems[options.problem];
      const check = problem.checks.find((c) => c.id === options.check);
      if (!check) throw new InvalidArgumentError(`problem ${problem.id} has no check "${options.check}"; its checks: ${problem.checks.map((c) => c.id).join(', ')}`);
      const m = options.mistake === undefined ? undefined : problem.mistakes.find((x) => x.id === options.mistake);
      if (options.mistake !== undefined && !m) throw new InvalidArgumentError(`problem ${problem.id} has no mistake "${options.mistake}"`);
      const subject = m ? mistakeSubject(m) : referenceSubject;
      // The printed seed is the check's own: replay with it directly rather than deriving it again.
      const result = await runCheck(problem.id, check, subject, {
        seed: 0,
        checkSeed: options.seed,
        ...(options.path !== undefined ? { path: options.path } : {}),
      });
      write(formatCheckResult(result));
      exitCode = result.passed ? 0 : 1;
    });

  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    const code = (error as { exitCode?: number }).exitCode;
    if (typeof code === 'number') return code;
    throw error;
  }
  return exitCode;
}
