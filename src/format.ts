// Words for results: the one place that turns failure data into what a student reads.

import type { FailureCode, Value } from './failure.ts';
import type { CheckResult, ProblemResult } from './runner.ts';
import type { Verdict } from './expression/equivalence.ts';
import type { FormError } from './expression/parse.ts';
import type { Point } from './expression/variables.ts';

const CODE_LABELS: Record<FailureCode, string> = {
  value_mismatch: 'wrong value',
  derivative_mismatch: 'derivative does not match finite differences',
  invariant_violated: 'property violated',
  not_finite: 'NaN or infinity',
  wrong_shape: 'wrong shape',
  wrong_type: 'wrong type',
  mutated_input: 'modified its input',
  missing: 'not found',
  raised: 'raised an error',
  timeout: 'time limit exceeded',
  limit_exceeded: 'resource limit exceeded',
  crashed: 'process crashed',
  not_run: 'not run',
  check_error: 'internal grader error (not your fault; please report it)',
};

export function codeLabel(code: FailureCode): string {
  return CODE_LABELS[code];
}

export function formatNumber(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0 || Number.isInteger(x)) return String(x);
  const abs = Math.abs(x);
  return abs >= 1e-3 && abs < 1e6 ? String(Number(x.toPrecision(7))) : x.toExponential(4);
}

/** A value for a message: numbers to 7 digits, long arrays elided in the middle. */
export function formatValue(value: unknown, maxItems = 8): string {
  if (typeof value === 'number') return formatNumber(value);
  if (value === undefined) return 'undefined/None';
  if (value === null) return 'null/None';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) {
    const items = value.length > maxItems
      ? [...value.slice(0, maxItems - 2).map((v) => formatValue(v, maxItems)), `... ${value.length - maxItems + 1} more ...`, formatValue(value[value.length - 1], maxItems)]
      : value.map((v) => formatValue(v, maxItems));
    return `[${items.join(', ')}]`;
  }
  if (typeof value === 'object') {
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${formatValue(v, maxItems)}`).join(', ')} }`;
  }
  return String(value);
}

export function formatCall(fn: string, args: readonly Value[]): string {
  return `${fn}(${args.map((a) => formatValue(a)).join(', ')})`;
}

/** A path as one shell word (quoted only when it needs to be). */
const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Where a failure came from, for its replay instruction: the submission and the assignment file, where known. */
export interface ReplayContext {
  readonly submission?: string;
  /** The assignment file it was graded with (its bindings decide how the case reaches the submission). */
  readonly assignment?: string;
  /** The convention it was graded under, where the assignment accepts several. */
  readonly convention?: string;
}

/** How a student runs gradecheck: `npx gradecheck`, or the command that started a standalone self-check (grader/self-check/cli-entry.ts). */
const command = () => process.env['GRADECHECK_COMMAND'] ?? 'npx gradecheck';

/** The replay instruction printed with every failure. */
export function replayHint(result: CheckResult, context: ReplayContext = {}): string {
  const path = result.path !== undefined ? ` --path ${result.path}` : '';
  const assignment = context.assignment === undefined ? '' : ` --assignment ${shellWord(context.assignment)}${context.convention === undefined ? '' : ` --convention ${context.convention}`}`;
  return `replay: ${command()} replay --problem ${result.problem} --check ${result.check} --seed ${result.seed}${path}${assignment} --submission ${context.submission === undefined ? 'FILE' : shellWord(context.submission)}`;
}

export function formatCheckResult(result: CheckResult, options: ReplayContext = {}): string {
  const head = `${result.passed ? 'PASS' : 'FAIL'} ${result.problem} › ${result.check}: ${result.title}`;
  if (result.passed) return `${head} (${result.numRuns} runs)`;
  const f = result.failure;
  const lines = [head];
  if (f) {
    lines.push(f.message === result.title ? `  ${codeLabel(f.code)}` : `  ${codeLabel(f.code)}: ${f.message}`);
    if (f.call) lines.push(`  call:     ${formatCall(f.call.fn, f.call.args)}`);
    if (f.worst) {
      const w = f.worst;
      const at = w.index.length ? `[${w.index.join('][')}]` : '';
      lines.push(
        `  worst entry${at ? ` ${at}` : ''}: expected ${formatNumber(w.expected)}, received ${formatNumber(w.received)}` +
          ` (abs error ${formatNumber(w.absError)}, rel error ${formatNumber(w.relError)}; allowed ${formatNumber(w.allowed)})`,
      );
    } else {
      if (f.expected !== undefined) lines.push(`  expected: ${formatValue(f.expected)}`);
      if (f.received !== undefined || f.code === 'wrong_type') lines.push(`  received: ${formatValue(f.received)}`);
    }
    if (f.tolerance) lines.push(`  tolerance: rtol ${f.tolerance.rtol}, atol ${f.tolerance.atol} (${f.tolerance.reason})`);
    if (f.details) lines.push(...f.details.split('\n').slice(-8).map((l) => `  | ${l}`));
  }
  // A missing function fails on any input: the input and a replay would only be noise.
  const anyInput = f?.code === 'missing';
  if (result.counterexample !== undefined && !anyInput) lines.push(`  input:    ${formatValue(result.counterexample)}`);
  for (const m of result.diagnosis ?? []) lines.push(`  likely mistake: ${m.title}. ${m.hint}`);
  if (!anyInput) lines.push(`  ${replayHint(result, options)}`);
  return lines.join('\n');
}

export function formatProblemResult(result: ProblemResult): string {
  const passed = result.checks.filter((c) => c.passed).length;
  return [`${result.problem}: ${passed}/${result.checks.length} checks passed`, ...result.checks.map((c) => formatCheckResult(c).replace(/^/gm, '  '))].join('\n');
}

// Written answers (src/expression): parse errors and equivalence verdicts in words.

/** The shape of a value in words: a scalar, a vector of 3, a 3 x 2 matrix. */
export function formatShape(shape: readonly number[]): string {
  if (shape.length === 0) return 'a scalar';
  if (shape.length === 2 && shape[1] === 1) return `a vector of ${shape[0]}`;
  return `a ${shape.join(' × ')} matrix`;
}

export function formatFormError(error: FormError): string {
  switch (error.kind) {
    case 'empty':
      return 'the answer is empty';
    case 'unparseable':
      return `could not read the expression: ${error.message}`;
    case 'unknown_variable':
      return `unknown variable "${error.name}"; this question's variables are ${error.known.join(', ') || '(none)'}`;
    case 'unknown_function':
      return `unknown function "${error.name}"; the functions an answer can use are ${error.known.join(', ')}`;
    case 'unsupported':
      return `not supported in an answer: ${error.construct}`;
  }
}

/** A point of the variables, e.g. `tau = 0.5, y = [0.2, 0.8]`. */
export function formatPoint(point: Point): string {
  return Object.entries(point).map(([k, v]) => `${k} = ${formatValue(v)}`).join(', ');
}

/** Why an answer is not the expected form. Reveals values at one point, never the expected form. */
export function formatVerdict(verdict: Exclude<Verdict, { kind: 'equivalent' }>): string {
  switch (verdict.kind) {
    case 'different': {
      const w = verdict.worst;
      const at = w && w.index.length ? ` (entry [${w.index.join('][')}])` : '';
      const values = w
        ? `expected ${formatNumber(w.expected)}${at}, your answer gives ${formatNumber(w.received)}`
        : `expected ${formatValue(verdict.expected)}, your answer gives ${formatValue(verdict.received)}`;
      // Without variables the expected value is the answer itself: never shown.
      if (Object.keys(verdict.point).length === 0) return `not equal to the expected value (your answer gives ${formatValue(verdict.received)})`;
      return `not equal to the expected closed form: at ${formatPoint(verdict.point)}, ${values}`;
    }
    case 'shape_mismatch':
      return `wrong shape: at ${formatPoint(verdict.point)} the answer should be ${formatShape(verdict.expectedShape)}, yours is ${formatShape(verdict.receivedShape)}`;
    case 'not_evaluable':
      return `your answer cannot be evaluated at ${formatPoint(verdict.point)}: ${verdict.message}`;
    case 'undecided':
      return `could not be decided automatically (the expected form is defined at only ${verdict.points} of the points drawn, and simplification did not show the forms equal); it will be checked by hand`;
  }
}
