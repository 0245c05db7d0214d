// Generates docs/problems.md from the registry, so the problem reference never drifts from the code:
// `npm run docs` writes it, and spec/completeness.spec.ts fails when it is stale.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../src/problem.ts';
import { problemIds, problems } from '../spec/registry.ts';
import { repoRoot } from './paths.ts';

export function problemsMarkdown(): string {
  const out = [
    '# Problems',
    '',
    '<!-- Generated from spec/registry.ts by `npm run docs`; do not edit by hand. -->',
    '',
    'Each problem is graded by its checks (run on the reference in `npm test`, and on submissions by the grader).',
    'Tolerances compare `|received - expected| <= atol + rtol * |expected|`; float32 answers widen every',
    'tolerance to at least rtol 1e-4, atol 1e-5. Named mistakes are recognised in feedback and can be priced',
    'in an assignment (`mistakes: { id: { deduct: points } }`).',
    '',
    '| problem | signatures | checks | named mistakes | source |',
    '|---|---|---|---|---|',
    ...problemIds.map((id) => {
      const p = problems[id];
      return `| [${id}](#${id}) | ${p.signatures.map((s) => `\`${s}\``).join('<br>')} | ${p.checks.length} | ${p.mistakes.length} | ${p.source} |`;
    }),
  ];
  for (const id of problemIds) {
    const p = problems[id];
    out.push('', `## ${id}`, '', `${p.title} (${p.source}).`, '', p.signatures.map((s) => `    ${s}`).join('\n'), '', '| check | asserts | tolerance |', '|---|---|---|');
    for (const c of p.checks) {
      const tol = c.tolerance ? `rtol ${c.tolerance.rtol}, atol ${c.tolerance.atol}: ${c.tolerance.reason}` : 'see the suite';
      out.push(`| \`${c.id}\` | ${c.title.replace(/\|/g, '\\|')} | ${tol.replace(/\|/g, '\\|')} |`);
    }
    out.push('', '| named mistake | what it is | hint |', '|---|---|---|');
    for (const m of p.mistakes) out.push(`| \`${m.id}\` | ${m.title.replace(/\|/g, '\\|')} | ${m.hint.replace(/\|/g, '\\|')} |`);
    const own = (p as Problem).definition;
    if (own) out.push('', `The catalog's own definition is named \`${own.id}\` (${own.title}): an assignment may accept it beside a convention, \`convention: [${[own.id, ...((p as Problem).conventions ?? []).map((c) => c.id)].join(', ')}]\`, and the report says which one the code matched.`);
    for (const c of (p as Problem).conventions ?? []) {
      out.push('', `Convention \`${c.id}\` (an assignment selects it with \`convention: ${c.id}\`): ${c.title}. Checks: ${c.problem.checks.map((k) => `\`${k.id}\``).join(', ')}; named mistakes: ${c.problem.mistakes.map((m) => `\`${m.id}\``).join(', ')}.`);
    }
  }
  return `${out.join('\n')}\n`;
}

export const PROBLEMS_DOC = path.join(repoRoot, 'docs', 'problems.md');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  writeFileSync(PROBLEMS_DOC, problemsMarkdown());
  process.stdout.write(`wrote ${PROBLEMS_DOC}\n`);
}
