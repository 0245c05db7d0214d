// Every problem gradecheck can grade, by catalog id. The type of valid ids is derived from this object,
// so an unknown id is a type error in code and a clear message on the command line.

import type { Problem } from '../src/problem.ts';
import { adamOptimizer, sgdWeightDecay } from './optimizers.suite.ts';
import { softmaxJacobianProblem, softmaxTemperature } from './softmax.suite.ts';
import { affineLsGradient } from './affine-ls.suite.ts';
import { losses } from './losses.suite.ts';
import { activations } from './activations.suite.ts';
import { huberFitProblem, huberGradientProblem, huberLossProblem } from './huber.suite.ts';
import { activationStatistics, initSchemes } from './init.suite.ts';
import { varianceRules } from './variance.suite.ts';
import { momentumSgd } from './sgd.suite.ts';
import { emaProblem, gradientStats } from './moments.suite.ts';
import { adamClosedForm, adamStepProblem, adamwStepProblem } from './adam.suite.ts';
import { mlpBackprop } from './mlp.suite.ts';
import { mlpForwardSample, mlpTrainSample } from './mlp-sample.suite.ts';
import { mlpTrainEpoch } from './mlp-epoch.suite.ts';
import { batchnorm } from './batchnorm.suite.ts';
import { residualBlock } from './residual.suite.ts';
import { boxNetwork } from './box.suite.ts';
import { paramCount } from './param-count.suite.ts';
import { metrics } from './metrics.suite.ts';
import { mytorchActivations, mytorchLinear, mytorchSoftmaxCe } from './mytorch-modules.suite.ts';
import { mytorchGradientCheck, mytorchSequentialSgd } from './mytorch-training.suite.ts';
import { classifierAccuracyProblem, datasetLoss, trainEpoch } from './classifier-training.suite.ts';
import { flattenParamsProblem, loadParamsProblem } from './flat-params.suite.ts';
import { autoencoderTraining } from './autoencoder.suite.ts';
import { lossSurfacePath } from './loss-surface.suite.ts';
import { fashionMnistLoaders } from './fashion-mnist.suite.ts';
import { autoencoderReconstructions } from './reconstructions.suite.ts';
import { hyperparamTuning } from './tuning.suite.ts';

export const problems = {
  'softmax-temperature': softmaxTemperature,
  'softmax-jacobian': softmaxJacobianProblem,
  'affine-ls-gradient': affineLsGradient,
  'losses': losses,
  'activations': activations,
  'huber-loss': huberLossProblem,
  'huber-gradient': huberGradientProblem,
  'huber-fit': huberFitProblem,
  'init-schemes': initSchemes,
  'activation-statistics': activationStatistics,
  'variance-rules': varianceRules,
  'momentum-sgd': momentumSgd,
  'ema': emaProblem,
  'gradient-stats': gradientStats,
  'adam-step': adamStepProblem,
  'adamw-step': adamwStepProblem,
  'adam-closed-form': adamClosedForm,
  'mlp-backprop': mlpBackprop,
  'mlp-forward-sample': mlpForwardSample,
  'mlp-train-sample': mlpTrainSample,
  'mlp-train-epoch': mlpTrainEpoch,
  'batchnorm': batchnorm,
  'residual-block': residualBlock,
  'box-network': boxNetwork,
  'param-count': paramCount,
  'metrics': metrics,
  'sgd-weight-decay': sgdWeightDecay,
  'adam-optimizer': adamOptimizer,
  'mytorch-linear': mytorchLinear,
  'mytorch-activations': mytorchActivations,
  'mytorch-softmax-ce': mytorchSoftmaxCe,
  'mytorch-sequential-sgd': mytorchSequentialSgd,
  'mytorch-gradient-check': mytorchGradientCheck,
  'train-epoch': trainEpoch,
  'classifier-accuracy': classifierAccuracyProblem,
  'dataset-loss': datasetLoss,
  'flatten-params': flattenParamsProblem,
  'load-params': loadParamsProblem,
  'autoencoder-training': autoencoderTraining,
  'loss-surface-path': lossSurfacePath,
  'fashion-mnist-loaders': fashionMnistLoaders,
  'autoencoder-reconstructions': autoencoderReconstructions,
  'hyperparam-tuning': hyperparamTuning,
} as const satisfies Record<string, Problem>;

export type ProblemId = keyof typeof problems;

export const problemIds = Object.keys(problems) as ProblemId[];

export function isProblemId(id: string): id is ProblemId {
  return Object.hasOwn(problems, id);
}
