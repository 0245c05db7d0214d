// The reference agrees with TensorFlow.js: tf's own ops for values, tf's reverse-mode autodiff for every
// derivative (a chain rule applied by a machine to the forward computation, not a hand-derived formula).
// Each comparison is also run on wrong implementations to show it rejects them.
//
// Float32 tolerances. TF.js computes in float32 (eps32 = 2^-23 = 1.19e-7); the reference is float64.
// Every input is generated float32-representable (toFloat32), so converting it to a tensor is exact and
// the only errors are TF's float32 roundings, each <= eps32/2 relative to the value rounded. With at most
// a few dozen roundings per entry here (sums of <= 16 terms), an entry is off by at most ~20 eps32 relative
// to the largest intermediate value that flowed into it. So every tolerance is
//   rtol = 1e-4  (~840 eps32)   and   atol = 1e-5 * scale  (~84 eps32 of the intermediates),
// where `scale` is a bound on the magnitude of those intermediates, computed per input and explained at each
// oracle. That is >= 4x the worst-case bound (measured on the cpu backend over 3000 inputs per oracle, the
// reference used at most 7% of any allowance), so the tests stay robust on a native float32 backend; yet each
// comparison still rejects the reference off by 0.1%, and a wrong formula, off by O(1), fails by far.
// Input magnitudes are kept moderate (|z/tau| <= 40, entries <= 10) so that float32 stays meaningful.

import fc from 'fast-check';
import type * as TF from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { finite, huberDelta, logUniform, matrixOf, sized, temperature, vectorOf } from '../../src/arbitraries.ts';
import type { Matrix, Vector } from '../../src/numeric.ts';
import { type NumericTree, type Tolerance, tolerance } from '../../src/tolerance.ts';
import * as ref from '../../reference/index.ts';
import { type Oracle, describeOracle, maxAbs, toFloat32, wrong } from './oracle.ts';
import { TEST_SEED } from '../seed.ts';
import { loadTf } from './tf.ts';

const { tf, backend } = await loadTf();

/** rtol 1e-4, atol 1e-5 * scale (see the header); `scale` says what bounds the intermediates. */
function float32Tolerance(scale: number, what: string): Tolerance {
  return tolerance(1e-4, 1e-5 * scale, `float32 oracle; atol = 1e-5 * ${what}`);
}

/** Runs `fn` in tf.tidy (every intermediate tensor disposed) and returns its result as nested arrays. */
function read(fn: () => TF.Tensor): NumericTree {
  const t = tf.tidy(fn);
  try {
    return t.arraySync() as NumericTree;
  } finally {
    t.dispose();
  }
}

/** The same for several tensors computed together. */
function readAll(fn: () => TF.Tensor[]): NumericTree[] {
  const ts = tf.tidy(fn);
  try {
    return ts.map((t) => t.arraySync() as NumericTree);
  } finally {
    tf.dispose(ts);
  }
}

/** Tensors from arrays (float32); inputs are float32-representable, so this is exact. */
const vec = (v: Vector): TF.Tensor1D => tf.tensor1d(v, 'float32');
const mat = (m: Matrix): TF.Tensor2D => tf.tensor2d(m, undefined, 'float32');
/** M v for a matrix tensor and a vector tensor. */
const matvec = (m: TF.Tensor2D, v: TF.Tensor1D): TF.Tensor1D => tf.squeeze<TF.Tensor1D>(tf.matMul(m, tf.expandDims(v, 1)), [1]);

const RUNS = 200;

describe(`TF.js backend: ${backend}`, () => {
  it('is a float32 backend', () => {
    expect(['cpu', 'tensorflow']).toContain(backend);
    expect(read(() => tf.scalar(0.1))).toBe(Math.fround(0.1));
  });
});

// ---------------------------------------------------------------------------------------------------------
// softmax(z, tau) vs tf.softmax(z / tau)

interface SoftmaxInput {
  readonly z: Vector;
  readonly tau: number;
}

/** z in [-10, 10]^n, tau in [0.25, 4]: |z/tau| <= 40. */
const softmaxInputs: fc.Arbitrary<SoftmaxInput> = sized(1, 12, (n) =>
  fc.record({ z: vectorOf(n, 10).map(toFloat32), tau: temperature(0.25, 4).map(Math.fround) }),
);

const softmaxOracle: Oracle<SoftmaxInput> = {
  name: 'tf.softmax(z / tau)',
  inputs: softmaxInputs,
  compute: ({ z, tau }) => read(() => tf.softmax(vec(z).div(tau))),
  // The exponents z_i/tau - max carry absolute errors <= ~3 eps32 * 80, which become relative errors of
  // y_i (<= 3e-5); there is no cancellation, so rtol alone decides. atol is float32's smallest normal
  // number, below which float32 loses relative precision (entries here are >= e^-80 / 12 anyway).
  tolerance: () => tolerance(1e-4, 1.2e-38, 'float32 oracle; relative error only, no cancellation in softmax'),
  numRuns: RUNS,
};

describeOracle('softmax vs tf.softmax', softmaxOracle, ({ z, tau }) => ref.softmax(z, tau), [
  wrong('ignores the temperature', ({ z }) => ref.softmax(z, 1)),
  wrong('multiplies by the temperature', ({ z, tau }) => ref.softmax(z.map((zi) => zi * tau), 1)),
]);

// ---------------------------------------------------------------------------------------------------------
// softmax_jacobian(z, tau) vs the Jacobian of softmax built from primitive ops (exp, sum, div), row i from
// tf.grad with upstream gradient e_i (a vector-Jacobian product). tf.softmax's registered gradient would
// itself be the closed form under test, so the oracle differentiates the primitives instead.

/** z in [-10, 10]^n, n <= 6, tau in [0.25, 4]. */
const jacobianInputs: fc.Arbitrary<SoftmaxInput> = sized(1, 6, (n) =>
  fc.record({ z: vectorOf(n, 10).map(toFloat32), tau: temperature(0.25, 4).map(Math.fround) }),
);

const jacobianOracle: Oracle<SoftmaxInput> = {
  name: 'the Jacobian of exp((z - max z)/tau) / sum(...) by tf.grad',
  inputs: jacobianInputs,
  compute: ({ z, tau }) => {
    const shift = Math.max(...z); // a constant: no gradient flows through it
    const y = (zt: TF.Tensor): TF.Tensor => {
      const e = zt.sub(shift).div(tau).exp();
      return e.div(e.sum());
    };
    const vjp = tf.grad(y);
    return z.map((_, i) => read(() => vjp(vec(z), vec(z.map((__, k) => (k === i ? 1 : 0)))))) as NumericTree;
  },
  // Entries are (delta_ik y_i - y_i y_k)/tau. Exponent errors (<= a few eps32 * |z/tau|) are relative errors
  // of y; the diagonal y_i (1 - y_i)/tau cancels when y_i ~ 1, leaving an absolute error of a few
  // eps32 * |z/tau| / tau. So scale = max(1, |z|_inf / tau) / tau.
  tolerance: ({ z, tau }) => float32Tolerance(Math.max(1, maxAbs(z) / tau) / tau, 'max(1, |z|/tau) / tau'),
  numRuns: RUNS,
};

// J is symmetric, so a transposed Jacobian cannot be told apart (nor is it wrong).
describeOracle('softmax_jacobian vs tf.grad', jacobianOracle, ({ z, tau }) => ref.softmaxJacobian(z, tau), [
  wrong('missing the 1/tau factor', ({ z, tau }) => ref.softmaxJacobian(z, tau).map((row) => row.map((v) => v * tau))),
  wrong('diag(y) - y y^T without the diagonal term', ({ z, tau }) => {
    const y = ref.softmax(z, tau);
    return y.map((yi) => y.map((yk) => (-yi * yk) / tau));
  }),
]);

// ---------------------------------------------------------------------------------------------------------
// affine_ls_grad(A, b, x, t) vs tf.grads of 1/2 ||A x + b - t||^2 with respect to A and b

interface AffineInput {
  readonly A: Matrix;
  readonly b: Vector;
  readonly x: Vector;
  readonly t: Vector;
}

/** A (d x m), d, m <= 5, entries in [-5, 5]. */
const affineInputs: fc.Arbitrary<AffineInput> = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
  .chain(([d, m]) =>
    fc.record({
      A: matrixOf(d, m, { magnitude: 5 }).map(toFloat32),
      b: vectorOf(d, 5).map(toFloat32),
      x: vectorOf(m, 5).map(toFloat32),
      t: vectorOf(d, 5).map(toFloat32),
    }),
  );

const affineOracle: Oracle<AffineInput> = {
  name: 'tf.grads of 1/2 ||A x + b - t||^2',
  inputs: affineInputs,
  compute: ({ A, b, x, t }) => {
    const f = (At: TF.Tensor, bt: TF.Tensor): TF.Scalar =>
      matvec(At as TF.Tensor2D, vec(x)).add(bt).sub(vec(t)).square().sum().mul(0.5);
    const grads = tf.grads(f as (...args: TF.Tensor[]) => TF.Tensor);
    return readAll(() => grads([mat(A), vec(b)]));
  },
  // r_i = sum_j A_ij x_j + b_i - t_i is a sum of terms bounded by S_i = sum_j |A_ij x_j| + |b_i| + |t_i|;
  // it may cancel, so its error is absolute, a few eps32 * S_i; grad_A multiplies it by x.
  // So scale = max_i S_i * max(1, |x|_inf).
  tolerance: ({ A, b, x, t }) => {
    const s = Math.max(...A.map((row, i) => row.reduce((acc, a, j) => acc + Math.abs(a * x[j]!), Math.abs(b[i]!) + Math.abs(t[i]!))));
    return float32Tolerance(s * Math.max(1, maxAbs(x)), 'max_i (sum_j |A_ij x_j| + |b_i| + |t_i|) * max(1, |x|)');
  },
  numRuns: RUNS,
};

describeOracle('affine_ls_grad vs tf.grads', affineOracle, ({ A, b, x, t }) => ref.affineLsGrad(A, b, x, t), [
  wrong('residual with the sign flipped (t - A x - b)', ({ A, b, x, t }) => {
    const [gA, gb] = ref.affineLsGrad(A, b, x, t);
    return [gA.map((row) => row.map((v) => -v)), gb.map((v) => -v)];
  }),
  wrong('residual without b', ({ A, b, x, t }) => ref.affineLsGrad(A, b.map(() => 0), x, t)),
]);

// ---------------------------------------------------------------------------------------------------------
// huber_grad(w, X, y, delta, lam) vs tf.grad of sum_i l_delta(y_i - w.x_i) + lam/2 ||w||^2, with l_delta
// written with tf.where(|r| <= delta, r^2/2, delta (|r| - delta/2)). Residuals are built to stay at least
// 2% of delta (>= 0.002) away from the kink |r| = delta (the float32 residual is off by ~1e-5 at most, so
// tf and the reference take the same branch), and are drawn from both regimes.

interface HuberInput {
  readonly w: Vector;
  readonly X: Matrix;
  readonly y: Vector;
  readonly delta: number;
  readonly lam: number;
}

/** A residual in units of delta: inside (|u| <= 0.98) or outside (1.02 <= |u| <= 4). */
const residualUnits = fc.oneof(
  finite(0.98),
  fc.tuple(fc.boolean(), fc.integer({ min: 102, max: 400 })).map(([negative, k]) => ((negative ? -1 : 1) * k) / 100),
);

const huberInputs: fc.Arbitrary<HuberInput> = fc
  .record({
    n: fc.integer({ min: 1, max: 8 }),
    d: fc.integer({ min: 1, max: 4 }),
    delta: huberDelta(0.1, 5).map(Math.fround),
    lam: fc.oneof(fc.constant(0), logUniform(0.01, 1).map(Math.fround)),
  })
  .chain(({ n, d, delta, lam }) =>
    fc.record({ w: vectorOf(d, 3).map(toFloat32), X: matrixOf(n, d, { magnitude: 3 }).map(toFloat32), u: fc.array(residualUnits, { minLength: n, maxLength: n }) }).map(
      ({ w, X, u }) => {
        // y = w.x + r, rounded to float32: the residual moves by <= |y| eps32 / 2 < 4e-6 (|y| <= 56).
        const y = toFloat32(X.map((xi, i) => xi.reduce((s, xij, j) => s + xij * w[j]!, 0) + u[i]! * delta));
        return { w, X, y, delta, lam };
      },
    ),
  )
  .filter(({ w, X, y, delta }) =>
    // Keeps the 2% margin exactly, after the rounding of y.
    X.every((xi, i) => Math.abs(Math.abs(y[i]! - xi.reduce((s, xij, j) => s + xij * w[j]!, 0)) - delta) >= 0.019 * delta),
  );

const huberOracle: Oracle<HuberInput> = {
  name: 'tf.grad of the Huber objective (tf.where on |r| <= delta)',
  inputs: huberInputs,
  compute: ({ w, X, y, delta, lam }) => {
    const residual = (wt: TF.Tensor): TF.Tensor1D => vec(y).sub(matvec(mat(X), wt as TF.Tensor1D));
    const objective = (wt: TF.Tensor): TF.Scalar => {
      const r = residual(wt);
      const a = r.abs();
      // The branch mask is piecewise constant in w (no gradient; tf has none for lessEqual): it is taken
      // from a copy of w outside the tape, which at this w is the same mask.
      const inside = residual(vec(w)).abs().lessEqual(delta);
      const pointLoss = tf.where(inside, r.square().mul(0.5), a.sub(delta / 2).mul(delta));
      return pointLoss.sum().add(wt.square().sum().mul(lam / 2));
    };
    return read(() => tf.grad(objective)(vec(w)));
  },
  // g_j = -sum_i psi(r_i) X_ij + lam w_j with |psi(r_i)| <= |r_i| <= |y_i| + sum_j |w_j X_ij|, and r_i may
  // cancel. So scale = sum_i (|y_i| + sum_j |w_j X_ij|) * max|X| + lam |w|_inf.
  tolerance: ({ w, X, y, lam }) => {
    const s = X.reduce((acc, xi, i) => acc + xi.reduce((r, xij, j) => r + Math.abs(xij * w[j]!), Math.abs(y[i]!)), 0);
    return float32Tolerance(s * maxAbs(X) + lam * maxAbs(w), 'sum_i (|y_i| + sum_j |w_j X_ij|) * max|X| + lam |w|');
  },
  numRuns: RUNS,
};

describeOracle('huber_grad vs tf.grad', huberOracle, ({ w, X, y, delta, lam }) => ref.huberGrad(w, X, y, delta, lam), [
  wrong('residual sign flipped (w.x - y)', ({ w, X, y, delta, lam }) => {
    const g = ref.huberGrad(w, X, y, delta, 0);
    return g.map((gj, j) => -gj + lam * w[j]!);
  }),
  wrong('without the delta clip (least-squares gradient)', ({ w, X, y, lam }) =>
    w.map((wj, j) => lam * wj - X.reduce((s, xi, i) => s + (y[i]! - xi.reduce((a, xik, k) => a + xik * w[k]!, 0)) * xi[j]!, 0)),
  ),
]);

// ---------------------------------------------------------------------------------------------------------
// Losses: mse_grad, bce_grad, cross_entropy, cross_entropy_grad

interface PairInput {
  readonly p: Vector;
  readonly y: Vector;
}

const mseInputs: fc.Arbitrary<PairInput> = sized(1, 16, (n) => fc.record({ p: vectorOf(n, 5).map(toFloat32), y: vectorOf(n, 5).map(toFloat32) }));

const mseOracle: Oracle<PairInput> = {
  name: 'tf.grad of mean((p - y)^2)',
  inputs: mseInputs,
  compute: ({ p, y }) => read(() => tf.grad((pt: TF.Tensor) => tf.squaredDifference(pt, vec(y)).mean())(vec(p))),
  // p - y may cancel: absolute error a few eps32 * (|p| + |y|), times 2/n.
  tolerance: ({ p, y }) => float32Tolerance((2 * Math.max(...p.map((pi, i) => Math.abs(pi) + Math.abs(y[i]!)))) / p.length, '2 max(|p_i| + |y_i|) / n'),
  numRuns: RUNS,
};

describeOracle('mse_grad vs tf.grad', mseOracle, ({ p, y }) => ref.mseGrad(p, y), [
  wrong('without the factor 2', ({ p, y }) => ref.mseGrad(p, y).map((g) => g / 2)),
  wrong('sum instead of mean (no 1/n)', ({ p, y }) => ref.mseGrad(p, y).map((g) => g * p.length)),
]);

/** p in [0.01, 0.99] (away from the kinks 0 and 1), y in {0, 1} or a soft label in [0, 1]. */
const bceInputs: fc.Arbitrary<PairInput> = sized(1, 16, (n) =>
  fc.record({
    p: fc.array(fc.integer({ min: 10, max: 990 }).map((k) => Math.fround(k / 1000)), { minLength: n, maxLength: n }),
    y: fc.array(fc.oneof(fc.constantFrom(0, 1), fc.integer({ min: 0, max: 100 }).map((k) => Math.fround(k / 100))), { minLength: n, maxLength: n }),
  }),
);

const bceOracle: Oracle<PairInput> = {
  name: 'tf.grad of -mean(y log p + (1 - y) log(1 - p))',
  inputs: bceInputs,
  compute: ({ p, y }) =>
    read(() =>
      tf.grad((pt: TF.Tensor) => {
        const yt = vec(y);
        return yt.mul(pt.log()).add(tf.scalar(1).sub(yt).mul(tf.scalar(1).sub(pt).log())).mean().neg();
      })(vec(p)),
    ),
  // Autodiff gives -(y/p - (1 - y)/(1 - p))/n, two terms that cancel when p ~ y (1 - p is exact in float32
  // for p >= 1/2, Sterbenz). So scale = max_i (y_i/p_i + (1 - y_i)/(1 - p_i)) / n, up to 100/n.
  tolerance: ({ p, y }) => float32Tolerance(Math.max(...p.map((pi, i) => y[i]! / pi + (1 - y[i]!) / (1 - pi))) / p.length, 'max(y/p + (1-y)/(1-p)) / n'),
  numRuns: RUNS,
};

describeOracle('bce_grad vs tf.grad', bceOracle, ({ p, y }) => ref.bceGrad(p, y), [
  wrong('sum instead of mean (no 1/n)', ({ p, y }) => ref.bceGrad(p, y).map((g) => g * p.length)),
  wrong('(p - y)/n, the gradient with respect to the logit', ({ p, y }) => p.map((pi, i) => (pi - y[i]!) / p.length)),
]);

interface LogitsInput {
  readonly logits: Matrix;
  readonly labels: Vector;
}

/** n <= 6 rows, k in 2..6 classes, logits in [-10, 10]. */
const logitsInputs: fc.Arbitrary<LogitsInput> = fc
  .tuple(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 2, max: 6 }))
  .chain(([n, k]) =>
    fc.record({
      logits: matrixOf(n, k, { magnitude: 10 }).map(toFloat32),
      labels: fc.array(fc.integer({ min: 0, max: k - 1 }), { minLength: n, maxLength: n }),
    }),
  );

const oneHot = (labels: Vector, k: number): TF.Tensor2D => tf.oneHot(tf.tensor1d(labels, 'int32'), k).toFloat() as TF.Tensor2D;

// log-sum-exp - z_label cancels: absolute error a few eps32 * max(1, |logits|).
const logitsScale = (logits: Matrix): number => Math.max(1, maxAbs(logits));

const crossEntropyOracle: Oracle<LogitsInput> = {
  name: 'tf.losses.softmaxCrossEntropy (mean over the batch)',
  inputs: logitsInputs,
  compute: ({ logits, labels }) => read(() => tf.losses.softmaxCrossEntropy(oneHot(labels, logits[0]!.length), mat(logits))),
  tolerance: ({ logits }) => float32Tolerance(logitsScale(logits), 'max(1, |logits|)'),
  numRuns: RUNS,
};

describeOracle('cross_entropy vs tf.losses.softmaxCrossEntropy', crossEntropyOracle, ({ logits, labels }) => ref.crossEntropy(logits, labels), [
  wrong('sum instead of mean', ({ logits, labels }) => ref.crossEntropy(logits, labels) * logits.length),
  wrong('1 - p_label instead of -log p_label', ({ logits, labels }) =>
    logits.reduce((s, row, i) => s + 1 - ref.softmax(row)[labels[i]!]!, 0) / logits.length,
  ),
]);

const crossEntropyGradOracle: Oracle<LogitsInput> = {
  name: 'tf.grad of mean(logSumExp(logits) - logits[label])',
  inputs: logitsInputs,
  compute: ({ logits, labels }) => {
    const loss = (L: TF.Tensor): TF.Scalar => {
      const picked = L.mul(oneHot(labels, logits[0]!.length)).sum(1);
      return tf.logSumExp(L, 1).sub(picked).mean();
    };
    return read(() => tf.grad(loss)(mat(logits)));
  },
  // (softmax - onehot)/n: exponent errors relative to |logits|, and 1 - p cancels; times 1/n.
  tolerance: ({ logits }) => float32Tolerance(logitsScale(logits) / logits.length, 'max(1, |logits|) / n'),
  numRuns: RUNS,
};

describeOracle('cross_entropy_grad vs tf.grad', crossEntropyGradOracle, ({ logits, labels }) => ref.crossEntropyGrad(logits, labels), [
  wrong('sum instead of mean (no 1/n)', ({ logits, labels }) => ref.crossEntropyGrad(logits, labels).map((row) => row.map((g) => g * logits.length))),
  wrong('softmax / n without the one-hot', ({ logits }) => logits.map((row) => ref.softmax(row).map((p) => p / logits.length))),
]);

// ---------------------------------------------------------------------------------------------------------
// Activations: sigmoid_grad and tanh_grad vs tf.grad of tf.sigmoid / tf.tanh (elementwise, so the gradient
// of the sum is the vector of derivatives).

interface XInput {
  readonly x: Vector;
}

const activationInputs: fc.Arbitrary<XInput> = fc.record({ x: fc.array(finite(10), { minLength: 1, maxLength: 16 }).map(toFloat32) });

// tf computes y (1 - y) and 1 - y^2 from y rounded to float32: 1 - y (resp. 1 - y^2) then carries an
// absolute error of ~eps32 whatever x, which is large relative to the tails (sigma'(10) = 4.5e-5). The
// derivatives are at most 1, so scale = 1: atol = 1e-5 (84 eps32).
const activationTolerance = (): Tolerance => float32Tolerance(1, '1 (derivatives <= 1; 1 - y cancels)');

const sigmoidGradOracle: Oracle<XInput> = {
  name: 'tf.grad(tf.sigmoid)',
  inputs: activationInputs,
  compute: ({ x }) => read(() => tf.grad((xt: TF.Tensor) => tf.sigmoid(xt))(vec(x))),
  tolerance: activationTolerance,
  numRuns: RUNS,
};

describeOracle('sigmoid_grad vs tf.grad', sigmoidGradOracle, ({ x }) => ref.sigmoidGrad(x), [
  wrong('returns sigmoid(x) instead of its derivative', ({ x }) => ref.sigmoid(x)),
  wrong('sigma (1 + sigma)', ({ x }) => ref.sigmoid(x).map((s) => s * (1 + s))),
]);

const tanhGradOracle: Oracle<XInput> = {
  name: 'tf.grad(tf.tanh)',
  inputs: activationInputs,
  compute: ({ x }) => read(() => tf.grad((xt: TF.Tensor) => tf.tanh(xt))(vec(x))),
  tolerance: activationTolerance,
  numRuns: RUNS,
};

describeOracle('tanh_grad vs tf.grad', tanhGradOracle, ({ x }) => ref.tanhGrad(x), [
  wrong('1 - tanh(x) (not squared)', ({ x }) => x.map((xi) => 1 - Math.tanh(xi))),
  wrong('sigmoid_grad instead of tanh_grad', ({ x }) => ref.sigmoidGrad(x)),
]);

// ---------------------------------------------------------------------------------------------------------

describe('the TF.js oracles', () => {
  it('dispose every tensor they create', () => {
    const exercise = <I>(oracle: Oracle<I>): void => {
      for (const input of fc.sample(oracle.inputs, { seed: TEST_SEED, numRuns: 5 })) oracle.compute(input);
    };
    const before = tf.memory().numTensors;
    exercise(softmaxOracle);
    exercise(jacobianOracle);
    exercise(affineOracle);
    exercise(huberOracle);
    exercise(mseOracle);
    exercise(bceOracle);
    exercise(crossEntropyOracle);
    exercise(crossEntropyGradOracle);
    exercise(sigmoidGradOracle);
    exercise(tanhGradOracle);
    expect(tf.memory().numTensors).toBe(before);
  });
});
