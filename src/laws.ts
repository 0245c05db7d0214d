// Shared law suites: the checks most problems are made of. Each takes the problem-specific parts (the
// arbitrary, how to call the subject, the reference forward function, the tolerance) and returns a Check
// that runs on any subject.

import type fc from 'fast-check';
import { allFinite, decodeLike, flattenTree, unflattenLike } from './decode.ts';
import { type AnswerFailureCode, type Call, CheckFailure, type Plot, type Value } from './failure.ts';
import { type Method, jacobian, projectJacobian, projectedDerivative } from './numdiff.ts';
import { type Check, defineCheck } from './problem.ts';
import { Rng, hashSeed } from './rng.ts';
import type { Subject } from './subject.ts';
import { type NumericTree, type Tolerance, compare } from './tolerance.ts';
import { reshape } from './numeric.ts';

/** Calls the subject and reads its answer with the shape of `template`. */
export async function callLike(
  subject: Subject,
  fn: string,
  args: readonly Value[],
  template: NumericTree,
): Promise<{ call: Call; value: NumericTree }> {
  const call: Call = { fn, args };
  const received = await subject.call(fn, args);
  return { call, value: decodeLike(received, template, call) };
}

/** Throws a CheckFailure naming the worst entry unless `received` is within `tol` of `expected`. */
export function expectClose(
  received: NumericTree,
  expected: NumericTree,
  tol: Tolerance,
  context: { readonly code?: AnswerFailureCode; readonly message: string; readonly call?: Call; readonly magnitude?: NumericTree },
): void {
  const { ok, worst } = compare(received, expected, tol, context.magnitude);
  if (ok) return;
  const code = context.code ?? (allFinite(received) || !allFinite(expected) ? 'value_mismatch' : 'not_finite');
  throw new CheckFailure({
    code,
    message: context.message,
    ...(context.call ? { call: context.call } : {}),
    expected,
    received,
    ...(worst ? { worst } : {}),
    tolerance: tol,
  });
}

/** Throws an invariant_violated (or given code) failure unless `condition` holds. */
export function expectThat(
  condition: boolean,
  context: {
    readonly message: string;
    readonly call?: Call;
    readonly received?: Value;
    readonly expected?: Value;
    readonly code?: AnswerFailureCode;
  },
): void {
  if (condition) return;
  const { code = 'invariant_violated', ...rest } = context;
  throw new CheckFailure({ code, ...rest });
}

/**
 * Runs `run`; a CheckFailure it throws leaves with `plots()` attached (pictures of the whole case, for the
 * HTML report), any other error as it is. The check itself is unchanged.
 */
export function withPlots(plots: () => readonly Plot[], run: () => void): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof CheckFailure)) throw error;
    throw new CheckFailure({ ...error.failure, plots: plots() });
  }
}

/** The entry of a nested array at an index path (NaN when the path does not lead to a number). */
export function entryAt(tree: NumericTree | Value, index: readonly number[]): number {
  let node: unknown = tree;
  for (const i of index) node = Array.isArray(node) ? node[i] : undefined;
  return typeof node === 'number' ? node : NaN;
}

/** Throws not_finite unless every entry is finite. */
export function expectFinite(value: NumericTree, call: Call, message: string): void {
  expectThat(allFinite(value), { code: 'not_finite', message, call, received: value });
}

export interface OracleSpec<I> {
  readonly id?: string;
  readonly title: string;
  readonly arbitrary: fc.Arbitrary<I>;
  readonly numRuns?: number;
  /** The catalog (Python) name of the function under test. */
  readonly fn: string;
  readonly args: (input: I) => Value[];
  /** The expected answer: from the reference, unless `independent` says how else it is computed. */
  readonly oracle: (input: I) => NumericTree;
  readonly tolerance: Tolerance;
  /** Each entry's sum of |terms| (its condition), in the oracle's shape: float32 rounding scales with it. */
  readonly magnitude?: (input: I) => NumericTree;
  /**
   * Set when the oracle is not the reference's own function for `fn` (a closed form written out, literal values
   * from the homework, another library's answers, another reference function): why it is independent.
   */
  readonly independent?: string;
}

/** The subject's answer equals the oracle's within the tolerance, with the oracle's shape. */
export function matchesOracle<I>(spec: OracleSpec<I>): Check {
  return defineCheck({
    id: spec.id ?? `${spec.fn}-matches-reference`,
    title: spec.title,
    arbitrary: spec.arbitrary,
    ...(spec.numRuns !== undefined ? { numRuns: spec.numRuns } : {}),
    tolerance: spec.tolerance,
    ...(spec.independent === undefined ? { comparesWithReference: [spec.fn] } : {}),
    run: async (subject, input, context) => {
      const expected = spec.oracle(input);
      const { call, value } = await callLike(subject, spec.fn, spec.args(input), expected);
      expectClose(value, expected, context.tol(spec.tolerance), { message: spec.title, call, ...(spec.magnitude ? { magnitude: spec.magnitude(input) } : {}) });
    },
  });
}

export interface DerivativeSpec<I, Out extends number | readonly number[]> {
  readonly id?: string;
  readonly title: string;
  readonly arbitrary: fc.Arbitrary<I>;
  readonly numRuns?: number;
  /** The catalog name of the subject's derivative function (a gradient or a Jacobian). */
  readonly fn: string;
  readonly args: (input: I) => Value[];
  /**
   * The shape of the derivative the subject returns (values ignored), e.g. the reference's answer. Its
   * row-major flattening must list d out_i / d x_k with i major, k minor (a Jacobian row by row; for a
   * scalar function, the gradient in the order of `point`).
   */
  readonly shape: (input: I) => NumericTree;
  /** The function whose derivative it is, at the flattened point x (the reference forward pass). */
  readonly forward: (input: I, x: number[]) => Out;
  /** The flattened point to differentiate at. */
  readonly point: (input: I) => number[];
  readonly tolerance: Tolerance;
  /** Each entry's sum of |terms| (its condition), in the shape's shape: float32 rounding scales with it (full Jacobians only). */
  readonly magnitude?: (input: I) => NumericTree;
  /** Above this many coordinates, compare random projections v^T J u instead of the full Jacobian. */
  readonly projectAbove?: number;
}

const asVector = (out: number | readonly number[]): readonly number[] => (typeof out === 'number' ? [out] : out);

/**
 * The subject's derivative equals numerical differentiation of the forward function: the full Jacobian
 * by central differences (confirmed by Richardson extrapolation before a mismatch is reported), or for
 * large inputs random projections v^T J u, as PyTorch's fast gradcheck.
 */
export function derivativeMatchesFiniteDifferences<I, Out extends number | readonly number[]>(
  spec: DerivativeSpec<I, Out>,
): Check {
  /** The finite-difference derivative in the template's shape (a Jacobian already has it: no copy). */
  const differentiate = (input: I, method: Method, template: NumericTree): NumericTree => {
    const jac = jacobian((x) => asVector(spec.forward(input, x)), spec.point(input), method);
    const sameShape = Array.isArray(template) && template.length === jac.length && template.every((row, i) => Array.isArray(row) && row.length === jac[i]!.length && typeof row[0] === 'number');
    return sameShape ? jac : unflattenLike(jac.flat(), template);
  };
  return defineCheck({
    id: spec.id ?? `${spec.fn}-matches-finite-differences`,
    title: spec.title,
    arbitrary: spec.arbitrary,
    ...(spec.numRuns !== undefined ? { numRuns: spec.numRuns } : {}),
    tolerance: spec.tolerance,
    run: async (subject, input, context) => {
      const template = spec.shape(input);
      const { call, value } = await callLike(subject, spec.fn, spec.args(input), template);
      const x = spec.point(input);
      const tol = context.tol(spec.tolerance);
      if (x.length > (spec.projectAbove ?? Infinity)) {
        checkProjection(spec, input, call, value, x, tol);
        return;
      }
      const magnitude = spec.magnitude?.(input);
      const central = differentiate(input, 'central', template);
      if (compare(value, central, tol, magnitude).ok) return;
      const richardson = differentiate(input, 'richardson', template);
      expectClose(value, richardson, tol, { code: 'derivative_mismatch', message: spec.title, call, ...(magnitude ? { magnitude } : {}) });
    },
  });
}

function checkProjection<I, Out extends number | readonly number[]>(
  spec: DerivativeSpec<I, Out>,
  input: I,
  call: Call,
  value: NumericTree,
  x: number[],
  base: Tolerance,
): void {
  const flat = flattenTree(value);
  const rows = flat.length / x.length;
  const jac = reshape(flat, rows, x.length);
  // Directions drawn from the input itself, so a replayed counterexample projects the same way.
  const rng = new Rng(hashSeed(x.length, ...x.slice(0, 8)));
  const u = rng.normalVector(x.length);
  const v = rng.normalVector(rows);
  const f = (y: number[]): readonly number[] => asVector(spec.forward(input, y));
  const analytic = projectJacobian(jac, u, v);
  // Scale the tolerance to the sum of |v_i J_ik u_k| the projection adds up.
  const magnitude = projectJacobian(jac.map((r) => r.map(Math.abs)), u.map(Math.abs), v.map(Math.abs));
  const tol = { ...base, atol: base.atol * Math.sqrt(flat.length) + base.rtol * magnitude };
  if (compare(analytic, projectedDerivative(f, x, u, v, 'central'), tol).ok) return;
  expectClose(analytic, projectedDerivative(f, x, u, v, 'richardson'), tol, {
    code: 'derivative_mismatch',
    message: `${spec.title} (random projection v^T J u)`,
    call,
  });
}

/** Same as derivativeMatchesFiniteDifferences, named for scalar losses. */
export function gradientMatchesFiniteDifferences<I>(spec: DerivativeSpec<I, number>): Check {
  return derivativeMatchesFiniteDifferences(spec);
}

/** Same as derivativeMatchesFiniteDifferences, named for vector functions. */
export function jacobianMatchesFiniteDifferences<I>(spec: DerivativeSpec<I, readonly number[]>): Check {
  return derivativeMatchesFiniteDifferences(spec);
}

export interface TrajectorySpec<I> {
  readonly id: string;
  readonly title: string;
  readonly arbitrary: fc.Arbitrary<I>;
  readonly numRuns?: number;
  /** The catalog name of the class (an optimizer over a list of parameter arrays). */
  readonly cls: string;
  /** Constructor arguments, the parameter arrays first. */
  readonly args: (input: I) => Value[];
  /** The argument of each `step` call (the gradients, one array per parameter). */
  readonly steps: (input: I) => Value[];
  /** The parameters after each step, by the reference. */
  readonly oracle: (input: I) => NumericTree[];
  readonly tolerance: Tolerance;
}

/**
 * A stateful class driven through a sequence of `step` calls matches the reference after every step: the
 * parameters, updated in place, are read back after each one. A failure names the first step that differs
 * and can be replayed on a named mistake's class, so the mistake is named.
 */
export function trajectoryMatchesOracle<I>(spec: TrajectorySpec<I>): Check {
  const drive = async (subject: Subject, input: I, steps: number): Promise<Value[]> => {
    const handle = await subject.create(spec.cls, spec.args(input));
    const grads = spec.steps(input);
    const trajectory: Value[] = [];
    for (let k = 0; k < steps; k++) {
      await subject.invoke(handle, 'step', [grads[k]!]);
      trajectory.push((await subject.inspect(handle))[0]);
    }
    return trajectory;
  };
  return defineCheck({
    id: spec.id,
    title: spec.title,
    arbitrary: spec.arbitrary,
    ...(spec.numRuns !== undefined ? { numRuns: spec.numRuns } : {}),
    tolerance: spec.tolerance,
    comparesWithReference: [spec.cls],
    run: async (subject, input, context) => {
      const expected = spec.oracle(input);
      const grads = spec.steps(input);
      const tol = context.tol(spec.tolerance);
      const trajectory = await drive(subject, input, expected.length);
      for (let k = 0; k < expected.length; k++) {
        const call: Call = { fn: `${spec.cls}.step`, args: [grads[k]!] };
        const params = decodeLike(trajectory[k], expected[k]!, call);
        const { ok, worst } = compare(params, expected[k]!, tol);
        if (ok) continue;
        const answer = trajectory.slice(0, k + 1);
        const plots = worst ? [trajectoryPlot(spec.cls, worst.index, spec.args(input)[0], expected, trajectory)] : [];
        throw new CheckFailure({
          code: allFinite(params) ? 'value_mismatch' : 'not_finite',
          message: `the parameters after step ${k + 1} of ${expected.length} differ from the reference`,
          call,
          expected: expected[k]!,
          received: params,
          answer,
          ...(worst ? { worst } : {}),
          tolerance: tol,
          rerun: { target: spec.cls, run: async (other) => drive(other, input, k + 1) },
          ...(plots.length ? { plots } : {}),
        });
      }
    },
  });
}

/** The worst entry's parameter from its initial value over every step, the student's against the reference's. */
function trajectoryPlot(cls: string, index: readonly number[], initial: Value, expected: readonly NumericTree[], trajectory: readonly Value[]): Plot {
  const start = entryAt(initial, index);
  const [param = 0, ...entry] = index;
  const at = entry.length ? `[${entry.join('][')}]` : '';
  return {
    kind: 'lines',
    title: `${cls}: parameter ${param + 1}${at} after each step`,
    xLabel: 'step (0: the initial value)',
    yLabel: `parameter ${param + 1}${at}`,
    x: [0, ...expected.map((_, k) => k + 1)],
    series: [
      { label: 'reference', role: 'reference', y: [start, ...expected.map((e) => entryAt(e, index))] },
      { label: 'your class', role: 'student', y: [start, ...expected.map((_, k) => entryAt(trajectory[k], index))] },
    ],
  };
}
