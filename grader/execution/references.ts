// The reference computations an `execute:` value check can name (`expected: { reference: NAME }`): float64,
// from reference/, with the handout's parameters.

import { bowlSgdGradientStatistics } from '../../reference/index.ts';
import type { Expected, ReferenceName } from './schema.ts';

export const REFERENCES: Record<ReferenceName, () => number[]> = {
  /** Seed 003 2.A: per-coordinate mean of the 50 gradients of torch.optim.SGD(lr=0.1) from [-1.5, 1.2] on the default bowl. */
  'bowl-sgd-mean-gradient': () => bowlSgdGradientStatistics().mean,
  /** Seed 003 2.B: their root mean square. */
  'bowl-sgd-rms-gradient': () => bowlSgdGradientStatistics().rms,
};

/** The numbers a check expects: as the assignment writes them, or the reference's. */
export function expectedNumbers(expected: Expected): number[] {
  return typeof expected === 'number' ? [expected] : Array.isArray(expected) ? expected : REFERENCES[expected.reference]();
}
