// Scoring: a problem's points are split over its checks by weight. A passed check earns its full share. When
// every failed check of a problem is explained by one named mistake that the assignment prices
// (`deduct`), the problem earns its points minus that deduction: the credit lands on the failed checks, and
// a deduction larger than the failed checks' share is its own line (`adjustment`), so that a check marked
// passed never shows less than its weight (Gradescope's status and score agree). Otherwise a failed check earns 0.

import type { MistakeMatch, ProblemResult, CheckResult } from '../src/runner.ts';
import type { Assignment, ProblemSettings, Visibility } from './assignment.ts';

export interface ScoredCheck {
  readonly result: CheckResult;
  readonly number: string;
  readonly weight: number;
  readonly maxScore: number;
  readonly score: number;
  readonly visibility: Visibility;
}

export interface ScoredProblem {
  readonly id: string;
  readonly title: string;
  readonly points: number;
  readonly score: number;
  readonly checks: readonly ScoredCheck[];
  /** The priced mistake that explains every failure, if any. */
  readonly mistake?: MistakeMatch & { readonly deduct: number };
  /**
   * Other priced mistakes that explain every failure as well: the shrunk input cannot tell them apart (decay
   * ignored and decay decoupled agree on a parameter that starts at 0), so the student is told each.
   */
  readonly alsoFits?: readonly (MistakeMatch & { readonly deduct: number })[];
  /**
   * Where the assignment accepts several definitions of the problem (the handout allows both, e.g. raw pixels or
   * pixels divided by 255): the one the student's code matched best, which it was graded under, and all accepted.
   */
  readonly convention?: { readonly id: string; readonly title: string; readonly accepted: readonly string[] };
  /** Bonus points (an execute: check marked `bonus`): earned on top of the maximum, which does not count them. */
  readonly bonus?: true;
  /** Why the problem could not be run at all (nothing defined, the submission did not load). */
  readonly notice?: string;
  /**
   * The part of a priced mistake's deduction that the failed checks cannot absorb (<= 0), its own line; seen
   * only as far as the failed checks are (the most hidden one's visibility).
   */
  readonly adjustment?: { readonly score: number; readonly visibility: Visibility };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

/** The mistakes named on every failed check that the assignment prices, in the problem's order. */
function pricedMistakes(settings: ScoringSettings, failed: readonly CheckResult[]): (MistakeMatch & { deduct: number })[] {
  if (failed.length === 0) return [];
  const [first, ...rest] = failed;
  return (first?.diagnosis ?? []).flatMap((candidate) => {
    const rubric = settings.mistakes[candidate.id];
    return rubric && rest.every((c) => c.diagnosis?.some((d) => d.id === candidate.id)) ? [{ ...candidate, deduct: rubric.deduct }] : [];
  });
}

/** What scoring needs of a problem's settings (an execute: check has them too). */
export type ScoringSettings = Pick<ProblemSettings, 'points' | 'visibility' | 'checks' | 'mistakes'> & { readonly id: string };

export function scoreProblem(settings: ScoringSettings, result: ProblemResult, index: number, notice?: string): ScoredProblem {
  const weights = result.checks.map((c) => settings.checks[c.check]?.weight ?? 1);
  const totalWeight = weights.reduce((s, w) => s + w, 0) || 1;
  const shares = weights.map((w) => (settings.points * w) / totalWeight);
  const failed = result.checks.filter((c) => !c.passed);
  const [mistake, ...alsoFits] = pricedMistakes(settings, failed);
  const passedShare = result.checks.reduce((s, c, i) => s + (c.passed ? shares[i]! : 0), 0);
  const failedShare = settings.points - passedShare;
  // With a priced mistake the problem earns points - deduct: the failed checks get what is left above the
  // passed ones, in proportion; what the failed checks cannot absorb is the adjustment line.
  const target = mistake ? Math.max(0, settings.points - mistake.deduct) : passedShare;
  const failedFactor = mistake && failedShare > 0 ? Math.max(0, target - passedShare) / failedShare : 0;
  const visibilityOf = (c: CheckResult) => settings.checks[c.check]?.visibility ?? settings.visibility;
  const checks = result.checks.map((c, i): ScoredCheck => {
    const share = shares[i]!;
    return {
      result: c,
      number: `${index + 1}.${i + 1}`,
      weight: weights[i]!,
      maxScore: round(share),
      score: round(c.passed ? share : share * failedFactor),
      visibility: visibilityOf(c),
    };
  });
  const excess = mistake ? Math.min(0, target - passedShare) : 0;
  return {
    id: settings.id,
    title: result.title,
    points: settings.points,
    // From the exact shares: the rounded per-check scores may not add up to it in the last digit.
    score: round(target),
    checks,
    ...(mistake ? { mistake } : {}),
    ...(alsoFits.length > 0 ? { alsoFits } : {}),
    ...(notice ? { notice } : {}),
    ...(excess < 0 ? { adjustment: { score: round(excess), visibility: mostHidden(failed.map(visibilityOf)) } } : {}),
  };
}

/** The most restrictive of some visibilities (a line derived from several checks shows no more than any of them). */
export function mostHidden(visibilities: readonly Visibility[]): Visibility {
  const order: readonly Visibility[] = ['visible', 'after_due_date', 'after_published', 'hidden'];
  return visibilities.reduce<Visibility>((a, v) => (order.indexOf(v) > order.indexOf(a) ? v : a), 'visible');
}

/** The late factor: 1 on time, minus penalty_per_day per started day late, 0 past max_late_days. */
export function lateFactor(assignment: Assignment, submittedAt: Date | undefined): { factor: number; daysLate: number } {
  const policy = assignment.late_policy;
  if (!policy || !submittedAt) return { factor: 1, daysLate: 0 };
  const late = submittedAt.getTime() - new Date(policy.due).getTime();
  if (late <= 0) return { factor: 1, daysLate: 0 };
  const daysLate = Math.ceil(late / 86_400_000);
  if (daysLate > policy.max_late_days) return { factor: 0, daysLate };
  return { factor: Math.max(0, 1 - policy.penalty_per_day * daysLate), daysLate };
}
