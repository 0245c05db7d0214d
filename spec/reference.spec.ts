// Every suite passes on the reference: the reference is right by every check that can fail on it (finite
// differences, invariants, closed forms, literal values), and the suites do not reject a correct implementation.
//
// A check that compares a function with the reference's own answer (matchesOracle over the reference, the
// optimizer trajectories) grades students but would compare the reference with itself here: it is not run.
// Each function such checks grade is proven instead by an independent oracle, named below and verified to exist.

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatCheckResult } from '../src/format.ts';
import { runCheck } from '../src/runner.ts';
import { camelCase } from '../src/subject.ts';
import { problemIds, problems } from './registry.ts';
import { referenceSubject } from './subjects.ts';
import { TEST_SEED } from './seed.ts';

const provable = problemIds.flatMap((id) => problems[id].checks.filter((c) => c.comparesWithReference === undefined).map((c) => [id, c.id, c] as const));

describe('the reference passes every check that does not compare it with itself', () => {
  it.each(provable)('%s: %s', async (id, _, check) => {
    // At least 200 cases, whatever fewer a costly check runs by default for students and the kill matrix.
    const result = await runCheck(id, check, referenceSubject, { seed: TEST_SEED, numRuns: Math.max(200, check.numRuns) });
    expect(result.passed, formatCheckResult(result)).toBe(true);
    expect(result.numRuns).toBeGreaterThanOrEqual(200);
  });
});

/**
 * Where the reference's answers are proven, for every function that checks compare with the reference: spec
 * files (which must mention the function) or checks written as `problem/check` (which must not compare with the
 * reference themselves; they run above).
 */
const INDEPENDENT_ORACLES: Readonly<Record<string, readonly string[]>> = {
  softmax: ['spec/oracles/tfjs.spec.ts'],
  softmax_jacobian: ['spec/oracles/symbolic.spec.ts', 'spec/oracles/tfjs.spec.ts'],
  affine_ls_grad: ['spec/oracles/tfjs.spec.ts'],
  mse: ['spec/oracles/symbolic.spec.ts'],
  mse_grad: ['spec/oracles/symbolic.spec.ts', 'spec/oracles/tfjs.spec.ts'],
  bce: ['spec/oracles/closed-forms.spec.ts'],
  bce_grad: ['spec/oracles/symbolic.spec.ts', 'spec/oracles/tfjs.spec.ts'],
  cross_entropy: ['spec/oracles/tfjs.spec.ts'],
  cross_entropy_grad: ['spec/oracles/tfjs.spec.ts'],
  sigmoid: ['spec/oracles/symbolic.spec.ts', 'spec/oracles/tfjs.spec.ts'],
  sigmoid_grad: ['spec/oracles/symbolic.spec.ts', 'spec/oracles/tfjs.spec.ts'],
  tanh_grad: ['spec/oracles/symbolic.spec.ts', 'spec/oracles/tfjs.spec.ts'],
  relu_grad: ['spec/oracles/closed-forms.spec.ts'],
  huber_loss: ['spec/huber.spec.ts'],
  huber_grad: ['spec/huber.spec.ts', 'spec/oracles/tfjs.spec.ts'],
  momentum_step: ['spec/oracles/torch-optim.spec.ts', 'momentum-sgd/first-step-is-plain-sgd', 'momentum-sgd/unrolls-to-geometric-sums'],
  ema_update: ['spec/oracles/torch-optim.spec.ts', 'ema/recursion-equals-weighted-average', 'ema/unbiased-on-constant-series'],
  grad_mean_rms: ['spec/oracles/closed-forms.spec.ts'],
  adam_step: ['spec/oracles/torch-optim.spec.ts', 'adam-step/first-step'],
  adamw_step: ['spec/oracles/torch-optim.spec.ts', 'adamw-step/no-decay-equals-adam', 'adamw-step/zero-gradient-only-decays'],
  adam_two_steps: ['spec/oracles/torch-optim.spec.ts', 'adam-closed-form/equals-two-adam-steps'],
  SimpleGradientDescent: ['spec/oracles/torch-optim.spec.ts'],
  ADAMOptimizer: ['spec/oracles/torch-optim.spec.ts'],
  feed_forward: ['spec/oracles/tfjs-networks.spec.ts'],
  backprop: ['spec/oracles/tfjs-networks.spec.ts', 'mlp-backprop/backprop-matches-finite-differences'],
  feed_forward_sample: ['spec/mlp-sample.spec.ts'],
  train_one_sample: ['spec/mlp-sample.spec.ts'],
  // One epoch is train_one_sample (proven above) folded over the samples, rebuilt by hand in the spec.
  train_one_epoch: ['spec/mlp-epoch.spec.ts'],
  batchnorm_forward: ['spec/oracles/pytorch-batchnorm.spec.ts', 'spec/oracles/tfjs-networks.spec.ts'],
  batchnorm_backward: ['spec/oracles/pytorch-batchnorm.spec.ts', 'spec/oracles/tfjs-networks.spec.ts'],
  residual_forward: ['spec/oracles/tfjs-networks.spec.ts'],
  residual_backward: ['spec/oracles/tfjs-networks.spec.ts'],
  box_function: ['spec/oracles/closed-forms.spec.ts', 'box-network/box-exact-at-edges'],
  box_sum: ['spec/oracles/closed-forms.spec.ts', 'box-network/box-sum-approximates-lipschitz'],
  boxes_needed: ['box-network/boxes-needed-seed-examples'],
  mlp_param_count: ['param-count/seed-networks'],
  confusion_matrix: ['spec/oracles/sklearn-metrics.spec.ts', 'metrics/confusion-matrix-matches-sklearn'],
  precision_recall: ['spec/oracles/sklearn-metrics.spec.ts', 'metrics/precision-recall-matches-sklearn'],
  confidence_quadrants: ['spec/oracles/sklearn-metrics.spec.ts'],
  linear_output_variance: ['spec/variance.spec.ts'],
  backward_grad_variance: ['spec/variance.spec.ts'],
  relu_second_moment: ['spec/variance.spec.ts'],
  product_variance: ['spec/variance.spec.ts'],
  uniform_variance: ['spec/variance.spec.ts'],
  linear_backward: ['mytorch-linear/backward-matches-finite-differences'],
  train_epoch_loss: ['spec/oracles/torch-training.spec.ts'],
  train_epoch_params: ['spec/oracles/torch-training.spec.ts'],
  train_epoch_flat: ['spec/oracles/torch-training.spec.ts'],
  classifier_accuracy: ['spec/oracles/torch-training.spec.ts'],
  dataset_cross_entropy: ['spec/oracles/torch-training.spec.ts'],
  flatten_params: ['spec/oracles/torch-training.spec.ts'],
  load_flat_params: ['spec/oracles/torch-training.spec.ts'],
  autoencoder_epoch_losses: ['spec/oracles/torch-training.spec.ts'],
  plot_path_drawn: ['spec/loss-surface.spec.ts'],
  plot_path_evaluated: ['spec/loss-surface.spec.ts'],
  plot_path_surface: ['spec/loss-surface.spec.ts'],
  reconstruction_images: ['spec/oracles/torch-reconstructions.spec.ts'],
};

const comparedWithReference = [...new Set(problemIds.flatMap((id) => problems[id].checks.flatMap((c) => c.comparesWithReference ?? [])))];

describe('every function graded against the reference has an independent proof', () => {
  it.each(comparedWithReference)('%s', (fn) => {
    const proofs = INDEPENDENT_ORACLES[fn];
    expect(proofs, `${fn} is graded against the reference but nothing proves the reference: name an oracle spec or check in INDEPENDENT_ORACLES`).toBeDefined();
    for (const proof of proofs!) {
      if (proof.startsWith('spec/')) {
        expect(existsSync(proof), `${proof} does not exist`).toBe(true);
        expect(readFileSync(proof, 'utf8'), `${proof} never mentions ${camelCase(fn)}`).toContain(camelCase(fn));
      } else {
        const [problemId, checkId] = proof.split('/') as [string, string];
        const check = problemIds.includes(problemId as never) ? problems[problemId as (typeof problemIds)[number]].checks.find((c) => c.id === checkId) : undefined;
        expect(check, `${proof} names no check`).toBeDefined();
        expect(check!.comparesWithReference, `${proof} compares with the reference itself`).toBeUndefined();
      }
    }
  });
});
