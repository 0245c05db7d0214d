// Where gradecheck's own files are, whether this module runs from grader/ (through tsx) or from the built
// dist/ (bin/build-cli.mjs): both are one folder below the repository's root, so the root is found the same
// way, and everything else is named from it.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The gradecheck checkout (package.json, bin/, grader/, fixtures/golden/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The child-process harnesses and the sandbox launcher (harness.py, harness.mjs, notebook.py, sandbox.sh). */
export const runnersDir = path.join(repoRoot, 'grader', 'runners');
/** The command line, as users and workers start it. */
export const cliEntry = path.join(repoRoot, 'bin', 'gradecheck.mjs');
