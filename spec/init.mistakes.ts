// The named mistakes of init-schemes and activation-statistics (spec/init.suite.ts): in a module of their own, so
// that a student's self-check replays their recorded answers without carrying their code.

import type { Mistake } from '../src/problem.ts';
import { meanAndStd } from '../src/stats.ts';
import { type InitDistribution, activationStats, callRng, initDistribution, initializeWeights, isInitMethod, layerStats, sampleMatrix } from '../reference/init.ts';
import { MISTAKEN_DISTRIBUTIONS } from './init.mistaken-distributions.ts';
import { mistake } from './subjects.ts';

/** A variant that draws, exactly as the reference does for the same call, from a changed distribution. */
function drawsFrom(change: (d: InitDistribution, method: string, fanIn: number, fanOut: number) => InitDistribution) {
  return (shape: readonly number[], method: string): number[][] => {
    const d = initDistribution(shape, method);
    const [fanIn, fanOut] = shape as [number, number];
    return sampleMatrix(change(d, method, fanIn, fanOut), fanIn, fanOut, callRng(shape, method));
  };
}

export const initSchemesMistakes: readonly Mistake[] = [
  mistake({
    id: 'xavier-fan-in-only',
    title: "'xavier' drawn from N(0, 1/fan_in) (LeCun), not N(0, 2/(fan_in + fan_out))",
    hint: 'Xavier/Glorot averages the forward and backward conditions: variance 2/(fan_in + fan_out). 1/fan_in is LeCun (seed 003 task 4.4 calls it Xavier).',
    implementation: { initializeWeights: drawsFrom(MISTAKEN_DISTRIBUTIONS['xavier-fan-in-only']) },
  }),
  mistake({
    id: 'he-fan-out',
    title: 'He initialisation scaled by fan_out instead of fan_in',
    hint: 'He keeps the forward variance: Var(w) = 2/fan_in, where fan_in = shape[0] is the number of inputs of the layer.',
    implementation: { initializeWeights: drawsFrom(MISTAKEN_DISTRIBUTIONS['he-fan-out']) },
  }),
  mistake({
    id: 'std-variance-confused',
    title: 'the variance used as the standard deviation (np.random.normal(0, 2/fan_in, shape))',
    hint: 'np.random.normal and torch.normal take the standard deviation: pass sqrt(variance), or multiply randn by sqrt(variance).',
    implementation: { initializeWeights: drawsFrom(MISTAKEN_DISTRIBUTIONS['std-variance-confused']) },
  }),
  mistake({
    id: 'uniform-bound-is-std',
    title: 'uniform bound set to the standard deviation sqrt(2/fan): the variance is 3x too small',
    hint: 'U(-a, a) has variance a^2/3, so matching variance s^2 needs a = sqrt(3) s: sqrt(6/(fan_in + fan_out)) for Xavier, sqrt(6/fan_in) for He.',
    implementation: { initializeWeights: drawsFrom(MISTAKEN_DISTRIBUTIONS['uniform-bound-is-std']) },
  }),
  mistake({
    id: 'normal-for-uniform',
    title: "a normal distribution where a uniform one is asked ('xavier_uniform', 'he_uniform')",
    hint: 'The _uniform methods draw from U(-a, a) (np.random.uniform(-a, a, shape)); the right variance alone is not enough.',
    implementation: { initializeWeights: drawsFrom(MISTAKEN_DISTRIBUTIONS['normal-for-uniform']) },
  }),
  mistake({
    id: 'transposed',
    title: 'returns (fan_out, fan_in), the layout of torch.nn.Linear.weight, instead of (fan_in, fan_out)',
    hint: 'The matrix is (fan_in, fan_out) so that a layer computes a @ W; transpose before returning (nn.Linear stores W.T).',
    implementation: {
      initializeWeights: (shape: readonly number[], method: string) => {
        const W = initializeWeights(shape, method);
        // A square matrix of i.i.d. entries transposed is as good a draw as the reference's: no failure there.
        if (shape[0] === shape[1]) return W;
        return W[0]!.map((_, j) => W.map((row) => row[j]!));
      },
    },
  }),
  mistake({
    id: 'unknown-method-falls-back',
    title: "an unknown method falls back to a default distribution instead of raising ValueError",
    hint: "End the chain of if/elif on the method with else: raise ValueError(f'unknown method {method}'), so that a typo ('Xavier', 'he-normal') is an error and not a silent small_random.",
    implementation: {
      initializeWeights: (shape: readonly number[], method: string) =>
        initializeWeights(shape, isInitMethod(method) ? method : 'small_random'),
    },
  }),
];

export const initSchemesPlantedMistakes: readonly Mistake[] = [
  mistake({
    id: 'bad-shape-accepted',
    title: 'planted: a shape that is not a pair is drawn from anyway (its first two sides)',
    hint: 'Not priced: seed 000 asks only for ValueError on an unknown method, so rejects-bad-shape has no student mistake of its own; this shows it can fail.',
    implementation: {
      initializeWeights: (shape: readonly number[], method: string) => initializeWeights([shape[0]!, shape[1] ?? 1], method),
    },
  }),
];

export const activationStatisticsMistakes: readonly Mistake[] = [
  mistake({
    id: 'pre-activation-stats',
    title: 'statistics of the pre-activations h @ W instead of the activations f(h @ W)',
    hint: 'Record each hidden layer after its activation: h = f(h_prev @ W), then h.mean() and h.std().',
    implementation: {
      activationStats: (X, method, activation, widths, seed) => layerStats(X, method, activation, widths, seed, 'pre-activation'),
    },
  }),
  mistake({
    id: 'includes-input-layer',
    title: 'the input batch counted as the first layer (one row too many)',
    hint: 'Return one [mean, std] per hidden layer: len(widths) rows, starting with the first layer after the input.',
    implementation: {
      activationStats: (X, method, activation, widths, seed) => [meanAndStd(X.flat()), ...activationStats(X, method, activation, widths, seed)],
    },
  }),
];
