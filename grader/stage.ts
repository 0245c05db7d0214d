// The graded file of a submission, ready for a child process: its folder copied into a private stage (helper
// modules, packages, data), a notebook reduced there to a .py of its definitions. Grading and replaying share it.

import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { Assignment } from './assignment.ts';
import { prepareSubmission } from './notebook.ts';
import { stageFolder } from './submission.ts';

export type StagedSubmission = ReturnType<typeof prepareSubmission> & { readonly staged: string };

export function stageSubmission(code: string, stage: string, assignment: Assignment, fileOnly = false): StagedSubmission {
  requireReadableFile(code);
  stageFolder(code, stage, { fileOnly, exclude: [assignment.file] });
  const staged = path.join(stage, path.basename(code));
  return { ...prepareSubmission(staged, stage), staged };
}

/** A submission that is not there or cannot be read is not a 0: the grade is ungradable. */
function requireReadableFile(file: string): void {
  try {
    if (!statSync(file).isFile()) throw new Error('not a regular file');
    accessSync(file, constants.R_OK);
  } catch (error) {
    throw new Error(`cannot read the submission ${file}: ${(error as Error).message}`);
  }
}
