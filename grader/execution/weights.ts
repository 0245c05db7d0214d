// A model's Linear weights and biases as a construction leaves them (a model check's `weights` and `biases`), judged
// as init-schemes judges initialize_weights (spec/init.suite.ts, docs/statistics.md): every entry of each layer's
// weight against the method's distribution, with the fans of torch's layout. nn.Linear(in, out).weight is
// (out, in), so fan_in = in_features and fan_out = out_features: a weight drawn by initialize_weights((fan_in,
// fan_out)) and transposed (as the seed's InitMLP assigns it) has the right shape and distribution; one drawn as
// initialize_weights((out, in)) has the right shape and the fans swapped (He over fan_out); one assigned without the
// transpose has the wrong shape, and says so.
//
// Each layer is one test at false-failure probability ALPHA_PER_CALL (Holm over the mean, mean of squares and
// Kolmogorov-Smirnov tests, exact at every size), so a construction of L layers fails a correct model with
// probability at most L x 5e-10. The zero method and zero biases are exact: torch.zeros and zero_() write 0.0.

import { type InitMethod, initDistribution } from '../../reference/init.ts';
import { formatNumber } from '../../src/format.ts';
import { flattenTree, treeShape } from '../../src/decode.ts';
import { maxAbs } from '../../src/numeric.ts';
import { widenForFloat32 } from '../../src/tolerance.ts';
import { INIT_TOLERANCES, testInitSample, verdictText } from '../../spec/init.suite.ts';
import type { ModelState } from './run.ts';

type Linear = ModelState['linears'][number];

const describe = (l: Linear, k: number) => `Linear ${k + 1} (${l.in} -> ${l.out})`;

/** Whether each Linear's weight is drawn as `method` draws a (in_features, out_features) matrix: undefined, or what is not. */
export function weightsDifference(method: InitMethod, linears: readonly Linear[]): string | undefined {
  if (linears.length === 0) return 'it has no nn.Linear layers';
  const differences = linears.flatMap((linear, k) => {
    const shape = treeShape(linear.weight);
    if (shape.length !== 2 || shape[0] !== linear.out || shape[1] !== linear.in) {
      return [`${describe(linear, k)}'s weight has shape (${shape.join(', ')}); torch's layout is (out_features, in_features) = (${linear.out}, ${linear.in}): transpose a (fan_in, fan_out) draw.`];
    }
    const entries = flattenTree(linear.weight);
    if (!entries.every(Number.isFinite)) return [`${describe(linear, k)}'s weight holds NaN or infinite entries.`];
    const d = initDistribution([linear.in, linear.out], method);
    if (d.kind === 'zero') {
      const nonzero = entries.filter((w) => w !== 0);
      return nonzero.length === 0 ? [] : [`${describe(linear, k)}'s weights are not all zero: ${nonzero.length} of ${entries.length} entries are not (largest |w| ${formatNumber(maxAbs(nonzero))}).`];
    }
    // torch keeps weights in float32: a uniform entry at the bound may round past it.
    const { rtol, atol } = widenForFloat32(INIT_TOLERANCES.uniformBound);
    const verdict = testInitSample(entries, d, d.kind === 'uniform' ? atol + rtol * d.bound : 0);
    return verdict.passed ? [] : [`the ${entries.length} weights of ${describe(linear, k)} (fan_in ${linear.in}, fan_out ${linear.out}) ${verdictText(d, verdict)}`];
  });
  return differences.length > 0 ? differences.join(' ') : undefined;
}

/** Whether every Linear's bias is zero (a Linear without a bias adds none): undefined, or which are not. */
export function biasesDifference(linears: readonly Linear[]): string | undefined {
  const differences = linears.flatMap((linear, k) => {
    const bias = linear.bias === null ? [] : flattenTree(linear.bias);
    const nonzero = bias.filter((b) => b !== 0);
    return nonzero.length === 0 ? [] : [`${describe(linear, k)}'s bias is not zero: ${nonzero.length} of ${bias.length} entries are not (largest |b| ${formatNumber(maxAbs(nonzero))}).`];
  });
  return differences.length > 0 ? `${differences.join(' ')} The handout asks for zero biases.` : undefined;
}
