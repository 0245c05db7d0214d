// The reference's derivatives agree with math.js symbolic differentiation: the derivative of the *function*
// (written as the homework defines it, e.g. 1/(1 + exp(-x))), taken by math.js's rules and evaluated in
// float64 at the generated point. Nothing here uses a hand-derived formula. Each comparison is also run on
// wrong implementations to show it rejects them.
//
// Float64 tolerances (eps64 = 2^-52 = 2.2e-16). Both sides are float64 closed forms with a handful of
// roundings, so they agree to ~10 eps64 relative, except where one of them cancels (1 - tanh^2 near
// |tanh| = 1, y/p - (1-y)/(1-p) near p = y, the Jacobian diagonal y(1-y) near y = 1): there the error is
// absolute, ~10 eps64 times the magnitude of the cancelling terms. So
//   rtol = 1e-12  (~4500 eps64)   and   atol = 1e-14 * scale  (~45 eps64 of the cancelling terms),
// a million times tighter than the catalog's grading default (rtol 1e-6, atol 1e-9).

import fc from 'fast-check';
import { type EvalFunction, derivative, parse } from 'mathjs';
import { finite, sized, temperature, vectorOf } from '../../src/arbitraries.ts';
import type { Vector } from '../../src/numeric.ts';
import { type Tolerance, tolerance } from '../../src/tolerance.ts';
import * as ref from '../../reference/index.ts';
import { type Oracle, describeOracle, maxAbs, wrong } from './oracle.ts';

/** d expr / d variable by math.js, compiled for evaluation in float64. */
function symbolicDerivative(expr: string, variable: string): EvalFunction {
  return derivative(parse(expr), variable).compile();
}

function evaluate(f: EvalFunction, scope: Record<string, number>): number {
  const v: unknown = f.evaluate(scope);
  if (typeof v !== 'number') throw new Error(`math.js returned ${String(v)}, not a number`);
  return v;
}

function float64Tolerance(scale: number, what: string): Tolerance {
  return tolerance(1e-12, 1e-14 * scale, `float64 symbolic oracle; atol = 1e-14 * ${what}`);
}

/** Builds each symbolic derivative once (math.js differentiation and simplification take milliseconds). */
function memo<K, V>(build: (key: K) => V): (key: K) => V {
  const cache = new Map<K, V>();
  return (key) => {
    if (!cache.has(key)) cache.set(key, build(key));
    return cache.get(key)!;
  };
}

const RUNS = 300;

// ---------------------------------------------------------------------------------------------------------
// Activations

interface XInput {
  readonly x: Vector;
}

/** Moderate x, and tails out to |x| = 300 (exp(300)^2 still fits in a float64). */
const activationInputs: fc.Arbitrary<XInput> = fc.record({
  x: fc.array(fc.oneof(finite(10), finite(300, 1)), { minLength: 1, maxLength: 16 }),
});

const dSigmoid = symbolicDerivative('1 / (1 + exp(-x))', 'x');

const sigmoidGradOracle: Oracle<XInput> = {
  name: "math.js d/dx 1/(1+exp(-x))",
  inputs: activationInputs,
  compute: ({ x }) => x.map((xi) => evaluate(dSigmoid, { x: xi })),
  // math.js gives exp(-x) / (exp(-x) + 1)^2 and the reference sigma(x) sigma(-x): neither cancels, so the
  // comparison is purely relative, down to sigma'(300) ~ 5e-131.
  tolerance: () => tolerance(1e-12, 0, 'float64 symbolic oracle; relative only: neither form cancels in the tails'),
  numRuns: RUNS,
};

describeOracle('sigmoid_grad vs math.js', sigmoidGradOracle, ({ x }) => ref.sigmoidGrad(x), [
  wrong('returns sigmoid(x) instead of its derivative', ({ x }) => ref.sigmoid(x)),
  wrong('sigma (1 - sigma), which cancels to 0 in the right tail', ({ x }) => ref.sigmoid(x).map((s) => s * (1 - s))),
], 1e-9);

const dTanh = symbolicDerivative('tanh(x)', 'x');

const tanhGradOracle: Oracle<XInput> = {
  name: 'math.js d/dx tanh(x)',
  inputs: activationInputs,
  compute: ({ x }) => x.map((xi) => evaluate(dTanh, { x: xi })),
  // math.js gives sech(x)^2; the reference's 1 - tanh(x)^2 cancels for large |x| (absolute error ~1 eps64,
  // see the report: it returns 0 for |x| >= 19.1), so the scale is 1, the size of the cancelling terms.
  tolerance: () => float64Tolerance(1, '1 (1 - tanh^2 cancels)'),
  numRuns: RUNS,
};

describeOracle('tanh_grad vs math.js', tanhGradOracle, ({ x }) => ref.tanhGrad(x), [
  wrong('1 - tanh(x) (not squared)', ({ x }) => x.map((xi) => 1 - Math.tanh(xi))),
  wrong('sigmoid_grad instead of tanh_grad', ({ x }) => ref.sigmoidGrad(x)),
], 1e-9);

// ---------------------------------------------------------------------------------------------------------
// Losses

interface PairInput {
  readonly p: Vector;
  readonly y: Vector;
}

/** p in [0.01, 0.99] (away from the kinks 0 and 1), y in {0, 1} or a soft label in [0, 1], n <= 8. */
const bceInputs: fc.Arbitrary<PairInput> = sized(1, 8, (n) =>
  fc.record({
    p: fc.array(fc.integer({ min: 10, max: 990 }).map((k) => k / 1000), { minLength: n, maxLength: n }),
    y: fc.array(fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 100 }).map((k) => k / 100)), { minLength: n, maxLength: n }),
  }),
);

const dBce = symbolicDerivative('-(y * log(p) + (1 - y) * log(1 - p))', 'p');

const bceGradOracle: Oracle<PairInput> = {
  name: 'math.js d/dp -(y log p + (1-y) log(1-p)), divided by n',
  inputs: bceInputs,
  compute: ({ p, y }) => p.map((pi, i) => evaluate(dBce, { p: pi, y: y[i]! }) / p.length),
  // math.js gives (1-y)/(1-p) - y/p, which cancels near p = y.
  tolerance: ({ p, y }) => float64Tolerance(Math.max(...p.map((pi, i) => y[i]! / pi + (1 - y[i]!) / (1 - pi))) / p.length, 'max(y/p + (1-y)/(1-p)) / n'),
  numRuns: RUNS,
};

describeOracle('bce_grad vs math.js', bceGradOracle, ({ p, y }) => ref.bceGrad(p, y), [
  wrong('sum instead of mean (no 1/n)', ({ p, y }) => ref.bceGrad(p, y).map((g) => g * p.length)),
  wrong('(p - y)/n, the gradient with respect to the logit', ({ p, y }) => p.map((pi, i) => (pi - y[i]!) / p.length)),
], 1e-9);

// mse over the whole batch, symbolically: d/dp_k ((p1 - y1)^2 + ... + (pn - yn)^2) / n, for n <= 4.
const dMse = memo((n: number) => {
  const terms = Array.from({ length: n }, (_, i) => `(p${i + 1} - y${i + 1})^2`).join(' + ');
  return Array.from({ length: n }, (_, k) => symbolicDerivative(`(${terms}) / ${n}`, `p${k + 1}`));
});

const mseInputs: fc.Arbitrary<PairInput> = sized(1, 4, (n) => fc.record({ p: vectorOf(n, 10), y: vectorOf(n, 10) }));

const mseGradOracle: Oracle<PairInput> = {
  name: 'math.js d/dp_k of the batch mean of (p_i - y_i)^2',
  inputs: mseInputs,
  compute: ({ p, y }) => {
    const scope = Object.fromEntries(p.flatMap((pi, i) => [[`p${i + 1}`, pi], [`y${i + 1}`, y[i]!]]));
    return dMse(p.length).map((d) => evaluate(d, scope));
  },
  // p - y cancels.
  tolerance: ({ p, y }) => float64Tolerance((2 * Math.max(...p.map((pi, i) => Math.abs(pi) + Math.abs(y[i]!)))) / p.length, '2 max(|p_i| + |y_i|) / n'),
  numRuns: RUNS,
};

describeOracle('mse_grad vs math.js', mseGradOracle, ({ p, y }) => ref.mseGrad(p, y), [
  wrong('without the factor 2', ({ p, y }) => ref.mseGrad(p, y).map((g) => g / 2)),
  wrong('sum instead of mean (no 1/n)', ({ p, y }) => ref.mseGrad(p, y).map((g) => g * p.length)),
], 1e-9);

// ---------------------------------------------------------------------------------------------------------
// softmax_jacobian for n = 2 and 3: J[i][k] = d/dz_k exp(z_i/tau) / (exp(z_1/tau) + ... + exp(z_n/tau)),
// with tau a symbol like the z's.

const dSoftmax = memo((n: number) => {
  const denominator = Array.from({ length: n }, (_, j) => `exp(z${j + 1} / tau)`).join(' + ');
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (__, k) => symbolicDerivative(`exp(z${i + 1} / tau) / (${denominator})`, `z${k + 1}`)),
  );
});

interface SoftmaxInput {
  readonly z: Vector;
  readonly tau: number;
}

/** z in [-10, 10]^n, n in {2, 3}, tau over the catalog's range [0.05, 20]: |z/tau| <= 200, exp still finite. */
const jacobianInputs: fc.Arbitrary<SoftmaxInput> = sized(2, 3, (n) => fc.record({ z: vectorOf(n, 10), tau: temperature() }));

const jacobianOracle: Oracle<SoftmaxInput> = {
  name: 'math.js d/dz_k exp(z_i/tau) / sum_j exp(z_j/tau)',
  inputs: jacobianInputs,
  compute: ({ z, tau }) => {
    const scope = Object.fromEntries([['tau', tau], ...z.map((zj, j) => [`z${j + 1}`, zj] as const)]);
    return dSoftmax(z.length).map((row) => row.map((d) => evaluate(d, scope)));
  },
  // Exponent errors (~eps64 |z/tau|) are relative errors of y; the diagonal y (1 - y)/tau cancels when
  // y ~ 1. So scale = max(1, |z|/tau) / tau, as for the float32 oracle.
  tolerance: ({ z, tau }) => float64Tolerance(Math.max(1, maxAbs(z) / tau) / tau, 'max(1, |z|/tau) / tau'),
  numRuns: RUNS,
};

describeOracle('softmax_jacobian vs math.js', jacobianOracle, ({ z, tau }) => ref.softmaxJacobian(z, tau), [
  wrong('missing the 1/tau factor', ({ z, tau }) => ref.softmaxJacobian(z, tau).map((row) => row.map((v) => v * tau))),
  wrong('the Jacobian at tau = 1', ({ z }) => ref.softmaxJacobian(z, 1)),
], 1e-9);
