// The submissions of a class in a folder: a Gradescope export (`submission_metadata.yml` beside
// `submission_*` folders, with the submitters' names and times), or one folder or one file per student. A folder
// that cannot be read is that student's row error, not the batch's crash.

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { answersIn } from './answers.ts';
import { type CodeFilePreference, isCodeFile, pickCodeFile } from './submission.ts';

export interface Submission {
  /** Stable id: the Gradescope submission folder, or the student's folder/file name. */
  readonly id: string;
  readonly file: string | undefined;
  /** The student's answers.yaml (written answers), when the folder has one. */
  readonly answers?: string;
  readonly name?: string;
  readonly email?: string;
  readonly sid?: string;
  readonly submittedAt?: string;
  /** Why the submission's folder could not be read. */
  readonly unreadable?: string;
}

/** A student's folder; one that cannot be read is that student's row error, not the batch's crash. */
function folderSubmission(id: string, dir: string, preference: CodeFilePreference | undefined): Submission {
  try {
    const answers = answersIn(dir);
    return { id, file: pickCodeFile(dir, preference), ...(answers ? { answers } : {}) };
  } catch (error) {
    return { id, file: undefined, unreadable: `cannot read the submission folder: ${(error as Error).message}` };
  }
}

interface GradescopeSubmitter {
  readonly ':name'?: string;
  readonly ':email'?: string;
  readonly ':sid'?: string;
}

/**
 * The submissions in `dir`: a Gradescope export (`submission_metadata.yml` beside `submission_*` folders),
 * or one folder or one file per student. In a student's folder, the file graded is the one the assignment's
 * `preference` picks (grader/graded-names.ts).
 */
export function discoverSubmissions(dir: string, preference?: CodeFilePreference): Submission[] {
  const metadataFile = path.join(dir, 'submission_metadata.yml');
  if (existsSync(metadataFile)) {
    const metadata = (parseYaml(readFileSync(metadataFile, 'utf8')) ?? {}) as Record<string, { ':submitters'?: GradescopeSubmitter[]; ':created_at'?: string }>;
    return Object.entries(metadata)
      .map(([id, meta]) => {
        const folder = path.join(dir, id);
        const submitter = meta[':submitters']?.[0] ?? {};
        const createdAt = meta[':created_at'];
        return {
          ...(existsSync(folder) ? folderSubmission(id, folder, preference) : { id, file: undefined }),
          ...(submitter[':name'] ? { name: submitter[':name'] } : {}),
          ...(submitter[':email'] ? { email: submitter[':email'] } : {}),
          ...(submitter[':sid'] ? { sid: String(submitter[':sid']) } : {}),
          ...(createdAt ? { submittedAt: new Date(createdAt).toISOString() } : {}),
        };
      })
      .sort((a, b) => a.id.localeCompare(b.id));
  }
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .flatMap((e): Submission[] => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return [folderSubmission(e.name, full, preference)];
      if (isCodeFile(e.name)) return [{ id: path.basename(e.name, path.extname(e.name)), file: full }];
      return [];
    })
    .sort((a, b) => a.id.localeCompare(b.id));
}

