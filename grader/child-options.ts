// How an assignment starts a submission's process: its seed, limits, the catalog's integer arguments and the
// bindings' child side (the adapter, the provided names). Grading and replaying start processes the same way.

import { type Assignment, adapterPath, problemOf } from './assignment.ts';
import type { Limits } from './child-launch.ts';
import type { ProcessSubjectOptions } from './process-subject.ts';

function limitsOf(assignment: Assignment, overrides: Partial<Limits> | undefined): Partial<Limits> {
  const l = assignment.limits;
  return {
    ...(l.call_timeout_ms !== undefined ? { callTimeoutMs: l.call_timeout_ms } : {}),
    ...(l.startup_timeout_ms !== undefined ? { startupTimeoutMs: l.startup_timeout_ms } : {}),
    ...(l.total_time_ms !== undefined ? { totalTimeMs: l.total_time_ms } : {}),
    ...(l.memory_mb !== undefined ? { memoryMb: l.memory_mb } : {}),
    ...overrides,
  };
}

export function childOptions(assignment: Assignment, overrides?: Partial<Limits>): Pick<ProcessSubjectOptions, 'seed' | 'limits' | 'intArgs' | 'binding'> {
  const adapter = adapterPath(assignment);
  return {
    seed: assignment.seed,
    limits: limitsOf(assignment, overrides),
    intArgs: Object.assign({}, ...assignment.problems.map((p) => problemOf(p).intArgs ?? {})) as Record<string, number[]>,
    binding: { ...(adapter ? { adapter } : {}), provided: assignment.provided },
  };
}
