// The expression engine (src/expression): LaTeX translation, name resolution, and equivalence by random
// evaluation with the symbolic second opinion. Each test is written so that a broken engine fails it.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equivalence } from '../../src/expression/equivalence.ts';
import { LatexError, translate } from '../../src/expression/latex.ts';
import { mathjs } from '../../src/expression/math.ts';
import { parseForm, rightHandSide } from '../../src/expression/parse.ts';
import { type VariableSpec, pointArbitrary } from '../../src/expression/variables.ts';
import { formatFormError, formatVerdict } from '../../src/format.ts';

const scalar = (name: string, min = -10, max = 10, kind: 'real' | 'integer' = 'real', aliases: string[] = []): VariableSpec => ({ name, kind, min, max, shape: [], aliases });
const array = (name: string, shape: (number | string)[], min = -10, max = 10): VariableSpec => ({ name, kind: 'real', min, max, shape, aliases: [] });

/** Parses both forms and returns the verdict; fails the test when either does not parse. */
function judge(expected: string, received: string, variables: readonly VariableSpec[], seed = 1) {
  const e = parseForm(expected, { variables });
  const r = parseForm(received, { variables });
  if (!e.ok) throw new Error(`expected form: ${formatFormError(e.error)}`);
  if (!r.ok) throw new Error(`received form: ${formatFormError(r.error)}`);
  return equivalence(e.node, r.node, variables, { seed, numRuns: 100 });
}

describe('LaTeX to math.js', () => {
  it.each([
    ['\\frac{1}{\\tau}', '(1 / tau)'],
    ['\\sqrt{\\frac{6}{n}}', 'sqrt( (6 / n) )'],
    ['x^{\\top}', "x'"],
    ['x^T', "x'"],
    ['n_{\\text{in}}', 'n_in'],
    ['a \\cdot b', 'a * b'],
    ['\\left| r \\right|', 'abs( r )'],
    ['x^(1/2) + beta^t', 'x^(1/2) + beta^t'],
    ['\\sqrt[3]{x}', 'nthRoot(x, 3)'],
    ['\\lvert x \\rvert + \\|y\\|', 'abs( x ) + norm(y)'],
    ['$\\boxed{\\dfrac{a}{b}}$', '( (a / b) )'],
    ['a \\, b \\quad c', 'a b c'],
    ['\\max(a, b) \\le \\infty', 'max (a, b) <= Infinity'],
  ])('%s', (latex, mathjs) => {
    expect(translate(latex).replace(/\s+/g, ' ').trim()).toBe(mathjs.trim());
  });

  it('piecewise cases become nested conditionals, the last "otherwise" the else branch', () => {
    const text = translate('\\begin{cases} r & |r| \\leq \\delta, \\\\ \\delta \\operatorname{sign}(r) & \\text{otherwise} \\end{cases}');
    const f = mathjs().parse(text).compile();
    expect(f.evaluate({ r: 0.5, delta: 1 })).toBe(0.5);
    expect(f.evaluate({ r: -3, delta: 1 })).toBe(-1);
  });

  it.each(['\\frac{1}{n', '\\frac{1}', '|x', '\\begin{matrix} 1 \\end{matrix}', '\\nabla f', 'a & b'])('malformed or unsupported LaTeX is an error, not a guess: %s', (latex) => {
    expect(() => translate(latex)).toThrow(LatexError);
  });

  it('the right-hand side of an equation is the answer; comparisons are not equations', () => {
    expect(rightHandSide('\\sigma^2 = \\frac{1}{n}')).toBe(' \\frac{1}{n}');
    expect(rightHandSide('x <= d ? 1 : 0')).toBe('x <= d ? 1 : 0');
  });
});

describe('names', () => {
  const variables = [scalar('beta1', 0, 1), scalar('n_in', 1, 100, 'integer'), array('y', ['n'])];

  it('beta_1 is beta1, yy is y y, n_{in} is n_in, and a variable before "(" multiplies', () => {
    const ok = (text: string) => {
      const p = parseForm(text, { variables });
      if (!p.ok) throw new Error(formatFormError(p.error));
      return p.text;
    };
    expect(ok('\\beta_1')).toBe('beta1');
    expect(ok("yy'")).toBe("y y'");
    expect(ok('\\frac{1}{n_{in}}')).toBe('(1 / n_in)');
    expect(ok('beta1 (1 + n_in)')).toBe('beta1 * (1 + n_in)');
  });

  it('aliases match whole names only', () => {
    const fans = [{ ...scalar('fan_in', 1, 100, 'integer'), aliases: ['n_in'] }];
    const p = parseForm('2/fan_in', { variables: fans });
    expect(p.ok && p.text).toBe('2/fan_in');
  });

  it.each([
    ['', 'empty'],
    ['(1 +', 'unparseable'],
    ['z + 1', 'unknown_variable'],
    ['foo(n_in)', 'unknown_function'],
    ['E[y]', 'unsupported'],
    ['x = 1; y', 'unsupported'],
  ])('%j is rejected as %s, with the words saying what was expected', (text, kind) => {
    const p = parseForm(text, { variables });
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.error.kind).toBe(kind);
    if (kind === 'unknown_variable') expect(formatFormError(p.error)).toContain('beta1, n_in, y');
  });
});

describe('equivalence', () => {
  const softmax = [array('y', ['n'], 0, 1), scalar('tau', 0.1, 10)];

  it.each([
    ["(diag(y) - y*y')/tau", '\\frac{1}{\\tau}(\\mathrm{diag}(y) - yy^\\top)'],
    ["(diag(y) - y*y')/tau", "diag(y)/tau - y*y'/tau"],
    ["(diag(y) - y*y')/tau", "-(y y^T - diag(y)) \\cdot \\tau^{-1}"],
  ])('equivalent forms are equivalent: %s ~ %s', (expected, received) => {
    expect(judge(expected, received, softmax)).toMatchObject({ kind: 'equivalent', method: 'evaluation' });
  });

  it('a wrong form differs, at a shrunk point where the two really differ', () => {
    const v = judge("(diag(y) - y*y')/tau", "diag(y) - y*y'", softmax);
    expect(v.kind).toBe('different');
    if (v.kind !== 'different') return;
    // Shrunk toward tau = 1, where the two agree, so to the grid point next to it; and the smallest vectors.
    expect(Math.abs((v.point['tau'] as number) - 1)).toBeCloseTo(0.01, 9);
    expect((v.point['y'] as number[]).length).toBe(2);
    expect(v.worst && Math.abs(v.worst.received - v.worst.expected)).toBeGreaterThan(v.worst!.allowed);
    expect(formatVerdict(v)).toMatch(/^not equal to the expected closed form: at tau = (0.99|1.01), y = \[/);
  });

  it("y'y for y y' is a shape mismatch with both shapes in words", () => {
    const v = judge("y*y'", "y'*y", softmax);
    expect(v.kind).toBe('shape_mismatch');
    if (v.kind !== 'shape_mismatch') return;
    const n = (v.point['y'] as number[]).length;
    expect(v.receivedShape).toEqual([]);
    expect(v.expectedShape).toEqual([n, n]);
    expect(formatVerdict(v)).toMatch(/should be a \d × \d matrix, yours is a scalar/);
  });

  it('a form that cannot be evaluated (dimensions that do not multiply) is a verdict, not a crash', () => {
    const affine = [array('A', ['d', 'm']), array('x', ['m'])];
    const v = judge('A*x', 'x*A', affine);
    expect(v.kind).toBe('not_evaluable');
    if (v.kind === 'not_evaluable') expect(v.message).toMatch(/Dimension mismatch/);
  });

  it('piecewise forms are compared on both branches', () => {
    const huber = [scalar('r'), scalar('delta', 0.01, 10)];
    expect(judge('abs(r) <= delta ? r : delta*sign(r)', '\\begin{cases} r & |r| \\le \\delta \\\\ \\delta \\operatorname{sign}(r) & |r| > \\delta \\end{cases}', huber).kind).toBe('equivalent');
    expect(judge('abs(r) <= delta ? r : delta*sign(r)', 'min(max(r, -delta), delta)', huber).kind).toBe('equivalent');
    expect(judge('abs(r) <= delta ? r : delta*sign(r)', 'abs(r) <= delta ? r : sign(r)', huber).kind).toBe('different');
  });

  it('the same seed gives the same verdict and counterexample; the point is drawn from the domains', () => {
    const vars = [scalar('n_in', 1, 100, 'integer'), scalar('sigma', 0.01, 10)];
    const a = judge('n_in*sigma^2', 'n_in*sigma', vars, 42);
    const b = judge('n_in*sigma^2', 'n_in*sigma', vars, 42);
    expect(a).toEqual(b);
    fc.assert(
      fc.property(pointArbitrary(vars), (p) => Number.isInteger(p['n_in']) && (p['n_in'] as number) >= 1 && (p['sigma'] as number) >= 0.01 && (p['sigma'] as number) <= 10),
      { seed: 3, numRuns: 200 },
    );
  });

  it('matrices keep consistent shapes within a point', () => {
    const vars = [array('A', ['d', 'm']), array('x', ['m']), array('b', ['d'])];
    fc.assert(
      fc.property(pointArbitrary(vars), (p) => {
        const A = p['A'] as number[][];
        return A.length === (p['b'] as number[]).length && A.every((row) => row.length === (p['x'] as number[]).length);
      }),
      { seed: 4, numRuns: 100 },
    );
  });

  it('where evaluation is degenerate, symbolic simplification decides; when it cannot, the verdict says undecided', () => {
    // Defined only for x >= 100, outside the declared domain: evaluation never judges a point.
    const x = [scalar('x')];
    expect(judge('2*sqrt(x - 100)', 'sqrt(x - 100) + sqrt(x - 100)', x)).toMatchObject({ kind: 'equivalent', method: 'symbolic' });
    const v = judge('sqrt(x - 100)', 'sqrt(x - 100) + 1', x);
    expect(v.kind).toBe('undecided');
    if (v.kind === 'undecided') expect(formatVerdict(v)).toMatch(/checked by hand/);
  });
});
