// The student release's file names, on their own: renderers name them in replay lines without importing the
// release's writer (which writes through grader/write.ts, which renders).

/** The student assignment in a release: what `check` and `replay` read on a student's machine. */
export const RELEASE_ASSIGNMENT = 'assignment.yaml';
export const RELEASE_ANSWERS = 'answers.yaml';
export const RELEASE_README = 'README.md';

/** The standalone self-check (`release --standalone`, grader/self-check/build.ts): its folder plays gradecheck's checkout. */
export const SELF_CHECK_DIR = 'gradecheck';
/** Its command line, in that folder. */
export const SELF_CHECK_CLI = 'dist/cli.mjs';
