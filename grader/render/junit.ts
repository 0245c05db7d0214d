// junit.xml for CI systems: a test suite per problem, a test case per check.

import { formatCheckResult } from '../../src/format.ts';
import type { GradeReport } from '../report.ts';
import { questionFeedback, questionPassed } from './question.ts';

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[^\x09\x0a\x0d\x20-\uD7FF\uE000-\uFFFD]/g, '');

export function toJunit(report: GradeReport): string {
  const suites = report.problems.map((p) => {
    const failures = p.checks.filter((c) => !c.result.passed).length;
    const cases = p.checks.map((c) => {
      const name = escape(`${c.result.check}: ${c.result.title}`);
      if (c.result.passed) return `    <testcase classname="${escape(p.id)}" name="${name}"/>`;
      const message = escape(c.result.failure?.message ?? 'failed');
      const body = c.visibility === 'visible' ? escape(formatCheckResult(c.result)) : 'hidden check';
      return `    <testcase classname="${escape(p.id)}" name="${name}">\n      <failure message="${message}">${body}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="${escape(p.id)}" tests="${p.checks.length}" failures="${failures}">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const questions = report.questions ?? [];
  if (questions.length > 0) {
    const cases = questions.map((q) => {
      const name = escape(`${q.id}: ${q.title}`);
      if (questionPassed(q)) return `    <testcase classname="questions" name="${name}"/>`;
      const text = escape(questionFeedback(q));
      return `    <testcase classname="questions" name="${name}">\n      <failure message="${text}">${text}</failure>\n    </testcase>`;
    });
    suites.push(`  <testsuite name="questions" tests="${questions.length}" failures="${questions.filter((q) => !questionPassed(q)).length}">\n${cases.join('\n')}\n  </testsuite>`);
  }
  const error = report.ungradable ? `\n  <testsuite name="gradecheck" tests="1" errors="1"><testcase name="grading"><error message="${escape(report.ungradable)}"/></testcase></testsuite>` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${escape(report.assignment)}">\n${suites.join('\n')}${error}\n</testsuites>\n`;
}
