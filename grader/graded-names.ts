// The names an assignment expects the graded file to define: the functions and classes its problems call (as the
// handout names them), the globals they read, and the top-level names its execute: checks look at. In a folder
// holding several notebooks (seed 002's students hand in Q3 and Q4 as two), the file that defines most of them is
// the one graded (grader/submission.ts).

import { type Assignment, problemOf } from './assignment.ts';
import { catalogCallables, studentName } from './bindings/schema.ts';
import { ANY_MODULE_CLASS, type ExecutionCheck } from './execution/schema.ts';
import type { CodeFilePreference } from './submission.ts';

function problemNames(assignment: Assignment): string[] {
  return assignment.problems.flatMap((settings) => {
    const callables = [...catalogCallables(problemOf(settings)).keys()];
    return callables.flatMap((name) => {
      const entry = settings.bind?.[name];
      const own = studentName(name, entry);
      const globals = typeof entry === 'object' && 'globals' in entry && entry.globals ? Object.keys(entry.globals) : [];
      return [...(own === undefined ? [] : [own]), ...globals];
    });
  });
}

function checkNames(check: ExecutionCheck): string[] {
  if ('value' in check) return [check.value];
  if ('model' in check) return check.model === ANY_MODULE_CLASS ? [] : [check.model];
  if ('initialised' in check) return [check.initialised.weights, ...(check.initialised.biases ? [check.initialised.biases] : [])];
  if ('call' in check) return [check.call];
  if ('descent' in check) return [check.descent.track.split('.')[0]!];
  if ('written' in check) return check.written.computed_by ? [check.written.computed_by] : [];
  return [];
}

export function gradedFilePreference(assignment: Assignment): CodeFilePreference {
  const names = [...problemNames(assignment), ...(assignment.execute?.checks.flatMap(checkNames) ?? [])];
  return { files: assignment.files, names: [...new Set(names)].filter((n) => !assignment.provided.includes(n)) };
}
