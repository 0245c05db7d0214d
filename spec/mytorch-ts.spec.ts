// The mytorch problems grade a TS package too: fixtures/submissions/seed-000-mytorch-ts holds packages written as
// a student would in TypeScript (classes with the module protocol, the handout's layout), reached through
// spec/mytorch-protocol.ts. The correct package and its starter variant (mean reduction, Xavier, the 4-argument
// gradientCheck) pass every check of the five problems; each bug-<mistake> package fails the problem that owns
// the mistake, with the mistake named, and passes the others, except where the handout's code carries it: the text's
// 3-argument gradientCheck builds its loss from the student's own SoftmaxCrossEntropy (an ES module's imports cannot
// be swapped for the staff's, as the Python adapter does), so a loss whose forward and backward disagree makes a
// correct gradientCheck report a large error, and Q6.6 fails with Q6.3.

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatCheckResult } from '../src/format.ts';
import { runProblem } from '../src/runner.ts';
import { moduleSubject } from '../src/subject.ts';
import { type MytorchPackage, mytorchProtocol } from './mytorch-protocol.ts';
import { type ProblemId, problems } from './registry.ts';
import { variantsOf } from './subjects.ts';
import { TEST_SEED } from './seed.ts';

const MYTORCH: readonly ProblemId[] = ['mytorch-linear', 'mytorch-activations', 'mytorch-softmax-ce', 'mytorch-sequential-sgd', 'mytorch-gradient-check'];
const dir = path.join(import.meta.dirname, '..', 'fixtures', 'submissions', 'seed-000-mytorch-ts');
/** The problems a mistake's own problem carries it into through the handout's code (see above). */
const CARRIES: Readonly<Record<string, readonly ProblemId[]>> = { 'forward-sum-backward-mean': ['mytorch-gradient-check'] };
const packages = readdirSync(dir).filter((f) => f.startsWith('correct') || f.startsWith('bug-'));

async function failuresOf(folder: string) {
  const pkg = (await import(pathToFileURL(path.join(dir, folder, 'mytorch', 'index.ts')).href)) as MytorchPackage;
  const subject = moduleSubject(`student:${folder}`, mytorchProtocol(pkg));
  const out = [];
  for (const id of MYTORCH) {
    const result = await runProblem(problems[id], subject, { seed: TEST_SEED, variants: variantsOf(problems[id]) });
    out.push(...result.checks.filter((c) => !c.passed).map((c) => ({ problem: id, check: c })));
  }
  return out;
}

describe('a TS mytorch package', () => {
  it.each(packages.filter((f) => f.startsWith('correct')))('%s passes every check', async (folder) => {
    const failed = await failuresOf(folder);
    expect(failed.map((f) => `${f.problem}: ${formatCheckResult(f.check)}`)).toEqual([]);
  });

  it.each(packages.filter((f) => f.startsWith('bug-')))('%s fails the problem owning its mistake, named, and only that one', async (folder) => {
    const mistake = folder.slice('bug-'.length);
    const owner = MYTORCH.find((id) => problems[id].mistakes.some((m) => m.id === mistake));
    expect(owner, `${mistake} is no named mistake of the mytorch problems`).toBeDefined();
    const failed = (await failuresOf(folder)).filter((f) => !(CARRIES[mistake] ?? []).includes(f.problem));
    expect([...new Set(failed.map((f) => f.problem))]).toEqual([owner]);
    const report = failed.map((f) => formatCheckResult(f.check)).join('\n');
    expect(failed.every((f) => f.check.diagnosis?.some((d) => d.id === mistake)), report).toBe(true);
  });
});
