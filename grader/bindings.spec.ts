// Bindings, end to end on small submissions written as the handouts ask: each case is the shortest
// reproduction of a false failure that grading through the catalog's own interface gave a correct student, and
// each is shown to matter (without the binding, or with the wrong thing bound, the same code fails). Bad
// bindings are the assignment's errors, named with file, line and field before any student is graded.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AssignmentError, assignmentForProblems, loadAssignment, parseAssignment } from './assignment.ts';
import { bundleEntries } from './bundle.ts';
import { grade } from './grade.ts';
import { pickCodeFile } from './submission.ts';
import { testTempDir } from './test-temp.ts';

const work = testTempDir('bindings');

/** Writes files (relative path -> text) into a fresh folder under the test's temp dir. */
function folder(name: string, files: Record<string, string>): string {
  const dir = path.join(work, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const assignment = (yaml: string, file = path.join(work, 'hw.yaml')) => parseAssignment(`name: hw\nseed: 7\n${yaml}`, file);
const score = async (a: ReturnType<typeof assignment>, submission: string) => {
  const report = await grade({ assignment: a, submission });
  return { report, points: report.problems.reduce((s, p) => s + p.score, 0), max: a.problems.reduce((s, p) => s + p.points, 0) };
};

const SOFTMAX = 'import numpy as np\n\ndef softmax(z, tau):\n    s = (np.asarray(z) - np.max(z)) / tau\n    return np.exp(s) / np.exp(s).sum()\n';

describe('a correct solution written as the handout asks gets full marks', () => {
  it("initialize_weights calling torch.zeros(shape) on the handout's tuple (seed 000 Q5.1)", async () => {
    const dir = folder('torch-zeros', {
      'hw1.py': [
        'import torch',
        'def initialize_weights(shape, method):',
        "    if method == 'zero':",
        '        return torch.zeros(shape)',
        "    if method != 'small_random':",
        '        raise ValueError(method)',
        '    return torch.randn(shape) * 0.01',
        '',
      ].join('\n'),
    });
    const problem = (bind: string) =>
      assignment(`problems:\n  - id: init-schemes\n    points: 2\n${bind}    checks: { small-random-distribution: { weight: 1 }, zero-is-exactly-zero: { weight: 1 }, returns-fan-in-by-fan-out: { weight: 0 }, rejects-unknown-method: { weight: 0 }, rejects-bad-shape: { weight: 0 }, xavier-distribution: { weight: 0 }, he-distribution: { weight: 0 }, xavier-uniform-distribution: { weight: 0 }, he-uniform-distribution: { weight: 0 }, lecun-distribution: { weight: 0 }, max-fan-distribution: { weight: 0 } }\n`);
    const bound = await score(problem('    bind:\n      initialize_weights: { args: [{ from: shape, as: tuple }, method] }\n'), dir);
    expect(bound.points).toBe(bound.max);
    // The catalog's own call hands over a numpy array, which torch.zeros refuses.
    const unbound = await score(problem(''), dir);
    expect(unbound.points).toBe(0);
    expect(JSON.stringify(unbound.report.problems[0]!.checks.map((c) => c.result.failure?.message))).toMatch(/TypeError/);
  });

  it('a name bound to a library function (sklearn confusion_matrix, imported as Q4.3 says) is not the student’s work', async () => {
    const dir = folder('sklearn', { 'hw1.py': `from sklearn.metrics import confusion_matrix\n${SOFTMAX}` });
    const { report } = await score(assignment('problems:\n  - { id: metrics, points: 3 }\n  - { id: softmax-temperature, points: 1 }\n'), dir);
    const metrics = report.problems.find((p) => p.id === 'metrics')!;
    expect(metrics.score).toBe(0);
    expect(metrics.checks.some((c) => /imported from sklearn, not the student's own code/.test(c.result.failure?.message ?? ''))).toBe(true);
    expect(report.problems.find((p) => p.id === 'softmax-temperature')!.score).toBe(1);
  });

  it('the helpers a handout provides are not graded as the student’s (seed 002’s sigmoid)', async () => {
    const dir = folder('provided', { 'hw1.py': 'import numpy as np\n\ndef sigmoid(x):\n    return 1 / (1 + np.exp(-x))\n' });
    const problem = 'problems:\n  - id: activations\n    points: 1\n    checks: { sigmoid-grad-matches-reference: { weight: 0 }, tanh-grad-matches-reference: { weight: 0 }, relu-grad-matches-reference: { weight: 0 } }\n';
    const own = await score(assignment(problem), dir);
    const provided = await score(assignment(`provided: [sigmoid]\n${problem}`), dir);
    expect(provided.report.problems[0]!.checks.filter((c) => c.weight > 0).every((c) => c.result.failure?.code === 'missing')).toBe(true);
    expect(own.points).toBeGreaterThan(provided.points);
  });

  it('a package with relative imports beside the graded file imports as a package', async () => {
    const dir = folder('package', {
      'hw1.py': 'from mylib import softmax\n',
      'mylib/__init__.py': 'from .ops import softmax\n',
      'mylib/ops.py': SOFTMAX,
    });
    const { points, max, report } = await score(assignment('problems:\n  - { id: softmax-temperature, points: 2 }\n'), dir);
    expect(report.loadErrors).toEqual([]);
    expect(points).toBe(max);
  });

  it('a folder holding a_utils.py and hw1.py is graded on hw1.py', () => {
    const dir = folder('two-files', { 'a_utils.py': SOFTMAX, 'hw1.py': 'from a_utils import softmax\n' });
    expect(pickCodeFile(dir)).toBe(path.join(dir, 'hw1.py'));
    expect(pickCodeFile(dir, { files: ['a_utils.py'], names: [] })).toBe(path.join(dir, 'a_utils.py'));
  });

  it('a notebook importing tensorflow for a loader the grader never calls loads cleanly', async () => {
    const cell = (source: string) => ({ cell_type: 'code', execution_count: 1, metadata: {}, outputs: [], source });
    const dir = folder('tensorflow', {
      'hw1.ipynb': JSON.stringify({
        cells: [cell('import numpy as np\nimport tensorflow as tf'), cell('def load_data():\n    return tf.keras.datasets.mnist.load_data()'), cell(SOFTMAX), cell('(x_train, y_train), _ = load_data()')],
        metadata: {},
        nbformat: 4,
        nbformat_minor: 5,
      }),
    });
    const { points, max, report } = await score(assignment('problems:\n  - { id: softmax-temperature, points: 2 }\n'), dir);
    expect(report.loadErrors).toEqual([]);
    expect(report.missingModules).toEqual(['tensorflow']);
    expect(points).toBe(max);
  });
});

describe('the call forms, on Python and TS', () => {
  const EMA_POINTS = 'problems:\n  - id: ema\n    points: 2\n    bind:\n';

  it('a renamed function with its own parameter order (TS) and a keyword argument (Python)', async () => {
    const ts = folder('ema-ts', {
      'hw.mjs': 'export function ema(beta, xT, t, old) {\n  const star = xT.map((x, i) => beta * old[i] + (1 - beta) * x);\n  return [star.map((s) => s / (1 - beta ** t)), star];\n}\n',
    });
    const renamed = await score(assignment(`${EMA_POINTS}      ema_update: { function: ema, args: [beta, x_t, t, ema_star_old] }\n`), path.join(ts, 'hw.mjs'));
    expect(renamed.points).toBe(renamed.max);
    const py = folder('ema-py', {
      'hw.py': 'import numpy as np\n\ndef ema_step(x_t, beta, ema_star_old, *, step):\n    star = beta * ema_star_old + (1 - beta) * x_t\n    return star / (1 - beta ** step), star\n',
    });
    const keyword = await score(assignment(`${EMA_POINTS}      ema_update: { function: ema_step, args: [x_t, beta, ema_star_old, { from: t, keyword: step }] }\n`), path.join(py, 'hw.py'));
    expect(keyword.points).toBe(keyword.max);
    // Bound in the catalog's order instead, the same code is called wrongly and fails, saying how it was called.
    const wrong = await score(assignment(`${EMA_POINTS}      ema_update: ema_step\n`), path.join(py, 'hw.py'));
    expect(wrong.points).toBe(0);
    expect(wrong.report.problems[0]!.checks[0]!.result.failure?.message).toMatch(/TypeError.*the grader called ema_step\(x_t, beta, t, ema_star_old\)/);
  });

  it('class labels stay integers wherever the binding puts them (first, or by keyword)', async () => {
    // Labels used as indices: float labels raise IndexError, so the call must send them as int64 arrays.
    const dir = folder('labels-first', {
      'hw.py': [
        'import numpy as np',
        '',
        'def nll(labels, logits):',
        '    z = logits - logits.max(axis=1, keepdims=True)',
        '    logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))',
        '    return -logp[np.arange(len(labels)), labels].mean()',
        '',
        'def nll_grad(logits, *, target):',
        '    p = np.exp(logits - logits.max(axis=1, keepdims=True))',
        '    p /= p.sum(axis=1, keepdims=True)',
        '    p[np.arange(len(target)), target] -= 1',
        '    return p / len(target)',
        '',
      ].join('\n'),
    });
    const bind = '      cross_entropy: { function: nll, args: [label, logits] }\n      cross_entropy_grad: { function: nll_grad, args: [logits, { from: label, keyword: target }] }\n';
    const { report } = await score(assignment(`problems:\n  - id: losses\n    points: 1\n    bind:\n${bind}`), path.join(dir, 'hw.py'));
    const crossEntropy = report.problems[0]!.checks.filter((c) => c.result.check.startsWith('cross-entropy'));
    expect(crossEntropy.length).toBeGreaterThanOrEqual(4);
    expect(crossEntropy.filter((c) => !c.result.passed).map((c) => `${c.result.check}: ${c.result.failure?.message}`)).toEqual([]);
  });

  it('a function over module globals, set before the call', async () => {
    const dir = folder('globals', {
      'hw.py': 'beta = None\nema_star = None\n\ndef ema_update(x_t, t):\n    star = beta * ema_star + (1 - beta) * x_t\n    return star / (1 - beta ** t), star\n',
    });
    const { points, max } = await score(assignment(`${EMA_POINTS}      ema_update: { args: [x_t, t], globals: { beta: beta, ema_star: ema_star_old } }\n`), path.join(dir, 'hw.py'));
    expect(points).toBe(max);
  });

  it('a function that updates globals in place and returns nothing (as seed 002’s train_one_sample)', async () => {
    const dir = folder('in-place', {
      'hw.py': 'W = None\nU = None\n\ndef momentum_update(g, lr, mu):\n    global W, U\n    U = mu * U + g\n    W = W - lr * U\n',
    });
    const { points, max } = await score(
      assignment('problems:\n  - id: momentum-sgd\n    points: 1\n    bind:\n      momentum_step: { function: momentum_update, args: [g, lr, mu], globals: { W: w, U: u }, returns: globals }\n'),
      path.join(dir, 'hw.py'),
    );
    expect(points).toBe(max);
  });
});

describe('a handout that allows several definitions: the one the code matches counts, and the report names it', () => {
  // Seed 002's feed_forward_sample over the globals: the handout feeds raw pixels, its student divides by 255.
  const FORWARD = (scale: string) =>
    `import numpy as np\nweights = []\nbiases = []\n\ndef feed_forward_sample(sample, y):\n    a = sample.flatten()${scale}\n    for W, b in zip(weights[:-1], biases[:-1]):\n        a = 1 / (1 + np.exp(-(a @ W + b)))\n    z = a @ weights[-1] + biases[-1]\n    p = np.exp(z - z.max()) / np.exp(z - z.max()).sum()\n    guess = np.zeros(10)\n    guess[np.argmax(p)] = 1\n    return -np.log(p[y]), guess\n`;
  const forward = (convention: string) =>
    assignment(`problems:\n  - id: mlp-forward-sample\n    points: 1\n    convention: ${convention}\n    bind:\n      feed_forward_sample: { args: [sample, y], globals: { weights: weights, biases: biases } }\n`);

  it.each([
    ['', 'raw-pixels'],
    ['.astype(np.float32) / 255', 'pixels-over-255'],
  ])('sample%s: full marks under [raw-pixels, pixels-over-255], graded as %s', async (scale, matched) => {
    const dir = folder(`scale-${matched}`, { 'hw.py': FORWARD(scale) });
    const { report, points } = await score(forward('[raw-pixels, pixels-over-255]'), path.join(dir, 'hw.py'));
    expect(points).toBe(1);
    expect(report.problems[0]!.convention).toMatchObject({ id: matched, accepted: ['raw-pixels', 'pixels-over-255'] });
    // Accepting only the other definition, the same code fails: its loss is another one. (Its guess may still
    // pass: the later layers and biases often decide the largest logit whatever the input's scale.)
    const other = matched === 'raw-pixels' ? 'pixels-over-255' : 'raw-pixels';
    const wrong = await score(forward(other), path.join(dir, 'hw.py'));
    expect(wrong.points).toBeLessThan(1);
    expect(wrong.report.problems[0]!.checks.find((c) => c.result.check === 'loss-matches-reference')?.result.passed).toBe(false);
  });
});

describe('without an assignment, a self-check counts what the problem requires', () => {
  it('a perfect Q5.1 (four methods, no uniform variants) gets 1/1 on `check --problems init-schemes`', async () => {
    const dir = folder('q51', {
      'hw1.py': [
        'import numpy as np',
        'def initialize_weights(shape, method):',
        '    if len(shape) != 2:',
        "        raise ValueError('shape must be (fan_in, fan_out)')",
        '    fan_in, fan_out = shape',
        "    std = {'zero': 0.0, 'small_random': 0.01, 'xavier': np.sqrt(2 / (fan_in + fan_out)), 'he': np.sqrt(2 / fan_in)}.get(method)",
        '    if std is None:',
        '        raise ValueError(method)',
        '    return np.random.randn(fan_in, fan_out) * std',
        '',
      ].join('\n'),
    });
    const { points, max } = await score(assignmentForProblems(['init-schemes'], 7), dir);
    expect(points).toBe(max);
  });
});

describe('the adapter travels with the assignment', () => {
  it('a module the adapter stands in for (seed 004\'s tqdm) is not reported missing; one it does not (torchvision) is', async () => {
    const seed004 = loadAssignment(path.join(import.meta.dirname, '..', 'fixtures', 'assignments', 'seed-004.yaml'));
    const { execute: _execute, ...rest } = seed004;
    const report = await grade({ assignment: { ...rest, problems: seed004.problems.filter((p) => p.id === 'flatten-params'), questions: [] }, submission: path.join(import.meta.dirname, '..', 'fixtures', 'submissions', 'seed-004-handout', 'correct.ipynb') });
    expect(report.score).toBe(1);
    expect(report.missingModules).toContain('torchvision');
    expect(report.missingModules).not.toContain('tqdm');
  });
  it('into the Gradescope bundle, beside assignment.yaml', () => {
    const seed003 = loadAssignment(path.join(import.meta.dirname, '..', 'fixtures', 'assignments', 'seed-003.yaml'));
    expect(bundleEntries(seed003).map((e) => e.name)).toContain('seed-003.adapter.py');
    expect(bundleEntries(seed003).map((e) => e.name)).toEqual(expect.arrayContaining(['seed-003.shims.py', 'notebook-libraries.shims.py']));
  });
});

describe('bad bindings are the assignment’s errors, with file, line and field', () => {
  const issuesOf = (yaml: string) => {
    try {
      assignment(yaml);
    } catch (error) {
      expect(error).toBeInstanceOf(AssignmentError);
      return (error as AssignmentError).issues;
    }
    throw new Error('accepted');
  };

  it('a name the suites never call, a parameter the catalog does not pass, a convention that does not exist', () => {
    const issues = issuesOf(
      ['problems:', '  - id: ema', '    points: 1', '    convention: handout', '  - id: init-schemes', '    points: 1', '    bind:', '      init_weights: initialize', '      initialize_weights: { args: [size, method] }'].join('\n'),
    );
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 6, path: 'problems[0].convention', message: expect.stringContaining('ema has no convention "handout"') }),
        expect.objectContaining({ line: 10, path: 'problems[1].bind.init_weights', message: expect.stringContaining('call no "init_weights"') }),
        expect.objectContaining({ line: 11, path: 'problems[1].bind.initialize_weights.args[0]', message: expect.stringContaining('no parameter "size"') }),
      ]),
    );
  });

  it('a convention of a list that does not exist, an execute: check pricing a mistake init-schemes does not name', () => {
    expect(issuesOf(['problems:', '  - id: mlp-forward-sample', '    points: 1', '    convention: [raw-pixels, pixels-over-256]'].join('\n'))[0]).toMatchObject({
      line: 6,
      path: 'problems[0].convention[1]',
      message: expect.stringContaining('no convention "pixels-over-256"; its conventions: raw-pixels (the catalog\'s own), pixels-over-255'),
    });
    const execute = ['execute:', '  checks:', '    - id: w', '      title: w', '      points: 1', '      initialised: { weights: weights, widths: [4, 2], method: max_fan }', '      mistakes:', '        std-is-variance: { deduct: 1 }'].join('\n');
    expect(issuesOf(execute)[0]).toMatchObject({ line: 10, path: 'execute.checks[0].mistakes.std-is-variance', message: expect.stringContaining('init-schemes has no named mistake "std-is-variance"') });
  });

  it('an adapter that is missing, not Python, or lacks a bound function', () => {
    const bound = 'problems:\n  - id: ema\n    points: 1\n    bind:\n      ema_update: { adapter: ema }\n';
    expect(issuesOf(bound)[0]).toMatchObject({ path: 'problems[0].bind.ema_update.adapter', message: expect.stringContaining('no adapter') });
    expect(issuesOf(`adapter: missing.py\n${bound}`)[0]).toMatchObject({ path: 'adapter', message: expect.stringContaining('cannot read the adapter') });
    writeFileSync(path.join(work, 'broken.py'), 'def ema(x):\n    return (x\n');
    expect(issuesOf(`adapter: broken.py\n${bound}`)[0]).toMatchObject({ file: path.join(work, 'broken.py'), line: 2, message: expect.stringContaining('not valid Python') });
    writeFileSync(path.join(work, 'other.py'), 'def something_else(x):\n    return x\n');
    expect(issuesOf(`adapter: other.py\n${bound}`)[0]).toMatchObject({ line: 8, path: 'problems[0].bind.ema_update.adapter', message: expect.stringContaining('defines no function or class ema') });
  });
});
