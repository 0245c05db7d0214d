// A variant of the reference backprop that the named mistakes of mlp-backprop (spec/mlp.mistakes.ts) and
// mlp-train-sample (spec/mlp-sample.mistakes.ts) build on: imported by those mistakes modules only, so that a
// student's self-check, which replays them, does not carry it.

import { type Matrix, type Vector, matvec, outer } from '../src/numeric.ts';
import { forwardPass } from '../reference/mlp.ts';
import { softmax } from '../reference/softmax.ts';

/** Backprop as the reference, with `slope` in place of sigmoid' (the student's chain rule). */
export function backpropWithSlope(slope: (z: Vector) => Vector) {
  return (weights: Matrix[], biases: Vector[], x: Vector, y: number): [Matrix[], Vector[]] => {
    const { activations, zs } = forwardPass(weights, biases, x);
    const L = weights.length;
    const weightGrads: Matrix[] = [];
    const biasGrads: Vector[] = [];
    let delta = softmax(zs[L - 1]!).map((p, c) => p - (c === y ? 1 : 0));
    for (let l = L - 1; l >= 0; l--) {
      weightGrads[l] = outer(activations[l]!, delta);
      biasGrads[l] = delta;
      if (l > 0) {
        const s = slope(zs[l - 1]!);
        delta = matvec(weights[l]!, delta).map((v, i) => v * s[i]!);
      }
    }
    return [weightGrads, biasGrads];
  };
}
