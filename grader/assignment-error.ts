// A malformed assignment, as an error: its own module so that the CLI can recognise it without loading the
// assignment schema and the written-answer machinery (math.js) behind it.

export interface AssignmentIssue {
  readonly file: string;
  readonly line: number | undefined;
  readonly path: string;
  readonly message: string;
}

/** A malformed assignment: every issue with its file, line and field. */
export class AssignmentError extends Error {
  readonly code = 'assignment_invalid';
  constructor(readonly issues: readonly AssignmentIssue[]) {
    super(issues.map((i) => `${i.file}${i.line !== undefined ? `:${i.line}` : ''}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n'));
    this.name = 'AssignmentError';
  }
}
