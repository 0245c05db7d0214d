// Friendlier messages (issue 18): a function under a near-miss name gets "did you mean"; one error raised by
// every call is said once, not per check; a failure's replay line names the real submission file.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAssignment } from './assignment.ts';
import { grade } from './grade.ts';
import { nearMiss } from './names.ts';
import { reportTerminal } from './render/terminal.ts';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-messages-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('did you mean', () => {
  it('finds another case, underscores or camelCase, and a typo of a letter or two, but not an unrelated short name', () => {
    expect(nearMiss('softmax_jacobian', ['softmax', 'softmax_jacobain'])).toBe('softmax_jacobain');
    expect(nearMiss('huber_grad', ['HuberGrad'])).toBe('HuberGrad');
    expect(nearMiss('huber_grad', ['huberGrad', 'huber_loss'])).toBe('huberGrad');
    expect(nearMiss('mse', ['bce'])).toBeUndefined();
    expect(nearMiss('huber_fit', ['huber_loss'])).toBeUndefined();
  });
});

describe('the terminal report of a submission with a typo and a function that always raises', () => {
  const file = path.join(tmp, 'hw 1.py');
  writeFileSync(
    file,
    [
      'import numpy as np',
      'def softmax(z, tau):',
      '    raise NotImplementedError("TODO")',
      'def softmax_jacobain(z, tau):',
      '    y = np.exp(z / tau - np.max(z / tau)); y = y / y.sum()',
      '    return (np.diag(y) - np.outer(y, y)) / tau',
      '',
    ].join('\n'),
  );
  const assignment = parseAssignment('name: m\nseed: 5\nproblems:\n  - { id: softmax-temperature, points: 4, runs: 5 }\n  - { id: softmax-jacobian, points: 5, runs: 5 }\n', 'm.yaml');

  it('suggests the defined name, says the repeated error once, and replays the real file', async () => {
    const report = await grade({ assignment, submission: file });
    const text = reportTerminal(report);
    expect(report.problems.find((p) => p.id === 'softmax-jacobian')?.notice).toContain('softmax_jacobian (did you mean softmax_jacobain?');
    const temperature = report.problems.find((p) => p.id === 'softmax-temperature')!;
    const failed = temperature.checks.filter((c) => !c.result.passed);
    expect(failed.length).toBeGreaterThan(1);
    expect(text.match(/raised NotImplementedError: TODO/g)).toHaveLength(1);
    expect(text.match(/the same failure as/g)).toHaveLength(failed.length - 1);
    expect(text).toContain(`--submission '${file}'`);
    expect(text).not.toContain('--submission FILE');
  });
});
