// A problem an assignment accepts under several definitions (`convention: [raw-pixels, pixels-over-255]`): the
// student's code is graded under each in the listed order until one passes every check, and the best counts.

import type { ProblemResult } from '../src/runner.ts';
import type { AcceptedDefinition } from './assignment.ts';
import type { ScoredProblem } from './score.ts';

/** Lexicographic: the first entry that differs decides. */
function better(a: readonly number[], b: readonly number[]): boolean {
  const k = a.findIndex((x, i) => x !== b[i]);
  return k >= 0 && a[k]! > b[k]!;
}

/**
 * The definition the code matched and its result: the best score; on a tie, the definition under which a named
 * mistake explains the failures (a sign flipped costs every point under either scale, but is recognised only
 * under the student's own), then the most checks passed, then the assignment's order.
 */
export async function matchDefinition(
  accepted: readonly AcceptedDefinition[],
  run: (definition: AcceptedDefinition) => Promise<ProblemResult>,
  score: (result: ProblemResult) => ScoredProblem,
): Promise<{ readonly definition: AcceptedDefinition; readonly result: ProblemResult }> {
  let best: { definition: AcceptedDefinition; result: ProblemResult; rank: number[] } | undefined;
  for (const definition of accepted) {
    const result = await run(definition);
    const scored = score(result);
    const rank = [scored.score, scored.mistake ? 1 : 0, result.checks.filter((c) => c.passed).length];
    if (best === undefined || better(rank, best.rank)) best = { definition, result, rank };
    if (result.checks.every((c) => c.passed)) break;
  }
  if (best === undefined) throw new Error('no accepted definition to grade under');
  return best;
}
