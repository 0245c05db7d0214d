// The order test files start in: the slowest first, so that the two workers finish together. Vitest's own order
// puts files it has timed before longest first, but CI runs a clean clone with no timings, where vitest starts
// the largest files first: the kill matrix and the float32 suite are short files that take over a minute, and
// started last they ran alone on one core for the suite's last 40 to 50 s (longest-processing-time-first
// scheduling leaves at most the shortest of the long files for the tail).

import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Seconds each slow file took in a whole run on two cores (2026-12-07, coverage on); any file not listed is short. */
const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  'grader/handout.spec.ts': 220,
  'grader/execution/executed-seeds.spec.ts': 180,
  'grader/execution/execution.spec.ts': 120,
  'grader/grade.spec.ts': 90,
  'spec/mistakes.spec.ts': 90,
  'spec/float32.spec.ts': 40,
  'grader/batch.spec.ts': 45,
  'grader/hostile.spec.ts': 45,
  'grader/replay.spec.ts': 33,
  'grader/recipes.spec.ts': 25,
  'grader/mytorch.spec.ts': 25,
  'grader/release.spec.ts': 25,
  'spec/reference.spec.ts': 22,
  'grader/self-check/self-check.spec.ts': 35,
};

export class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const seconds = (f: TestSpecification) => MEASURED_SECONDS[path.relative(f.project.config.root, f.moduleId).split(path.sep).join('/')] ?? 0;
    // Vitest's order for the short files (stable sort keeps it among equals).
    return (await super.sort(files)).sort((a, b) => seconds(b) - seconds(a));
  }
}
