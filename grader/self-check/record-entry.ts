// The recording bundle's entry (grader/self-check/build.ts bundles it with reference/ wrapped for recording): the
// release's visible checks run on the reference itself, as a student's `check` runs them (the release's seed, its
// run counts and tolerances, every accepted convention), so that every reference answer those runs ask for is
// recorded; then on each named mistake, so that what a failing case asks for besides (finite differences refined
// after a first mismatch, a mistake's own answer to name it) is recorded too.

import { generatedInputs } from '../../src/first-pass.ts';
import type { Check, CheckContext, Problem } from '../../src/problem.ts';
import { checkSeed, runProblem } from '../../src/runner.ts';
import type { Tolerance } from '../../src/tolerance.ts';
import { mistakeSubject, referenceSubject } from '../../spec/subjects.ts';
import { loadAssignment } from '../assignment.ts';
import { planProblems } from '../problem-plan.ts';
import { type Recordings, recordingsSoFar } from './recordings.ts';

/** The drawn cases of one check on a named mistake: no shrinking (a student's shrink steps are not judged anyway). */
async function drawnCasesOnMistakes(problem: Problem, check: Check, seed: number, numRuns: number, override: Tolerance | undefined): Promise<void> {
  const context: CheckContext = { tol: (base) => (override && base === check.tolerance ? override : base) };
  const inputs = await generatedInputs(check.property(referenceSubject, context), seed, numRuns);
  for (const m of problem.mistakes) {
    const property = check.property(mistakeSubject(m), context);
    for (const input of inputs) await property.run(input);
  }
}

export async function recordVisibleChecks(assignmentFile: string): Promise<Recordings> {
  const assignment = loadAssignment(assignmentFile);
  for (const plan of planProblems(assignment, true)) {
    if (plan.visible.length === 0) continue;
    for (const { problem } of plan.accepted) {
      // The reference subject answers through the same modules: a named mistake computed from the reference's
      // answer to the drawn input finds it recorded, and names itself on the student's failure there.
      await runProblem(problem, referenceSubject, { seed: assignment.seed, only: plan.visible, runs: plan.runs, overrides: plan.overrides });
      for (const check of problem.checks.filter((c) => plan.visible.includes(c.id))) {
        await drawnCasesOnMistakes(problem, check, checkSeed(assignment.seed, problem.id, check.id), plan.runs[check.id] ?? check.numRuns, plan.overrides[check.id]);
      }
    }
  }
  return recordingsSoFar();
}
