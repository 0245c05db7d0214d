// The reference implementations, exported under the camelCase of their catalog (Python) names.
// A subject over this module is the "reference" the suites are proven on.

export { softmax, softmaxJacobian } from './softmax.ts';
export { affineLsGrad, affineLsLoss } from './affine-ls.ts';
export { huberFit, huberGrad, huberLoss } from './huber.ts';
export { bce, bceGrad, crossEntropy, crossEntropyGrad, mse, mseGrad } from './losses.ts';
export { reluGrad, sigmoid, sigmoidGrad, tanhGrad } from './activations.ts';
