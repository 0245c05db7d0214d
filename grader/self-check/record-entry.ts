// The recording bundle's entry (grader/self-check/build.ts bundles it with reference/ wrapped for recording): the
// release's visible checks run on the reference itself, as a student's `check` runs them (the release's seed, its
// run counts and tolerances, every accepted convention), so that every reference answer those runs ask for is
// recorded; then on each named mistake, so that what a failing case asks for besides (finite differences refined
// after a first mismatch, a mistake's own answer to name it) is recorded too.

import fc from 'fast-check';
import { generatedInputs } from '../../src/first-pass.ts';
import type { Check, CheckContext, Problem } from '../../src/problem.ts';
import { checkSeed, runProblem } from '../../src/runner.ts';
import { type Tolerance, widenForFloat32 } from '../../src/tolerance.ts';
import { problems } from '../../spec/registry.ts';
import { mistakeSubject, referenceSubject, referenceUnder } from '../../spec/subjects.ts';
import { loadAssignment } from '../assignment.ts';
import { askReferenceFromSettings } from '../execution/judge.ts';
import { planProblems } from '../problem-plan.ts';
import { type Recordings, recordingsSoFar } from './recordings.ts';

/**
 * The drawn cases of one check on each named mistake, in the order a student's run meets them, up to the mistake's
 * first failure: a student who makes that mistake fails there too and stops (a student's shrink steps are not
 * judged anyway), and a student who failed earlier, where the mistake passed, is not making it. Tolerances widened
 * as for a float32 answer, whose first failure can come later than a float64 one's, never earlier.
 */
async function drawnCasesOnMistakes(problem: Problem, check: Check, seed: number, numRuns: number, override: Tolerance | undefined): Promise<void> {
  const declared = (base: Tolerance) => (override && base === check.tolerance ? override : base);
  const inputs = await generatedInputs(check.property(referenceSubject, { tol: declared }), seed, numRuns);
  const widened: CheckContext = { tol: (base) => widenForFloat32(declared(base)) };
  for (const m of problem.mistakes) {
    const property = check.property(mistakeSubject(m), widened);
    for (const input of inputs) {
      const outcome = await property.run(input);
      if (outcome !== null && !fc.PreconditionFailure.isFailure(outcome)) break;
    }
  }
}

export async function recordVisibleChecks(assignmentFile: string): Promise<Recordings> {
  const assignment = loadAssignment(assignmentFile);
  for (const plan of planProblems(assignment, true)) {
    if (plan.visible.length === 0) continue;
    for (const { problem, convention } of plan.accepted) {
      // The reference as the handout defines it (seed 003's decay rule), so that each check passes and runs every
      // case a correct submission runs.
      await runProblem(problem, referenceUnder(problems[plan.settings.id], convention?.id), { seed: assignment.seed, only: plan.visible, runs: plan.runs, overrides: plan.overrides });
      for (const check of problem.checks.filter((c) => plan.visible.includes(c.id))) {
        await drawnCasesOnMistakes(problem, check, checkSeed(assignment.seed, problem.id, check.id), plan.runs[check.id] ?? check.numRuns, plan.overrides[check.id]);
      }
    }
  }
  // Executed-notebook checks: what their judges ask the reference from the settings (a student's values are not here).
  for (const check of assignment.execute?.checks ?? []) if (check.visibility === 'visible') askReferenceFromSettings(check);
  return recordingsSoFar();
}
