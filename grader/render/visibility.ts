// What a student may see of one check: the one place that applies a check's visibility. Every renderer
// (Markdown, HTML) renders a view, so a hidden check's inputs, expected values and plots never reach them.

import { codeLabel } from '../../src/format.ts';
import type { CheckResult, MistakeMatch } from '../../src/runner.ts';
import type { ScoredCheck } from '../score.ts';

export type CheckView =
  | { readonly kind: 'passed'; readonly numRuns: number }
  /** Failed, not visible: the verdict and the named mistake only. */
  | { readonly kind: 'hidden'; readonly label: string; readonly diagnosis: readonly MistakeMatch[] }
  | { readonly kind: 'visible'; readonly result: CheckResult };

export function checkView(check: ScoredCheck): CheckView {
  const r = check.result;
  if (r.passed) return { kind: 'passed', numRuns: r.numRuns };
  if (check.visibility !== 'visible') return { kind: 'hidden', label: r.failure ? codeLabel(r.failure.code) : 'failed', diagnosis: r.diagnosis ?? [] };
  return { kind: 'visible', result: r };
}
