// The measuring tools of the runners' coverage (grader/runner-coverage.ts, grader/runners/line_coverage.py and
// grader/runners/harness_coverage.mjs): what they record must be the runners' lines that ran, from every process,
// and nothing else; and they must leave what the runner does unchanged.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, test } from 'vitest';
import { repoRoot, runnersDir } from './paths.ts';
import { extractNotebook } from './notebook.ts';
import { pythonExecutable } from './python.ts';
import { ProcessSubject } from './process-subject.ts';
import { sandboxMode } from './sandbox.ts';
import { withRunnerCoverage } from './runner-coverage.ts';
import { testTempDir } from './test-temp.ts';

interface Record {
  readonly python?: string;
  readonly file?: string;
  readonly lines?: readonly number[];
}

function records(folder: string): Record[] {
  return readdirSync(folder).flatMap((name) =>
    readFileSync(path.join(folder, name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record),
  );
}

function linesOf(recorded: readonly Record[], file: string): Set<number> {
  return new Set(recorded.filter((r) => r.file === file).flatMap((r) => r.lines ?? []));
}

/** The 1-based number of the line of `file` that is exactly `text` once trimmed. */
function lineNumber(file: string, text: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.trim() === text);
  expect(index, `${text} in ${file}`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

const saved = { py: process.env['GRADECHECK_PY_COVERAGE'], js: process.env['GRADECHECK_JS_COVERAGE'] };
afterEach(() => {
  for (const [key, value] of [['GRADECHECK_PY_COVERAGE', saved.py], ['GRADECHECK_JS_COVERAGE', saved.js]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

describe('the Python runners traced for the suite’s coverage', () => {
  test('notebook.py behind the tracer: the same extraction, and its lines that ran recorded', () => {
    const notebook = path.join(repoRoot, 'fixtures', 'submissions', 'notebooks', 'seed-000-correct.ipynb');
    delete process.env['GRADECHECK_PY_COVERAGE'];
    const untraced = extractNotebook(notebook);
    const folder = testTempDir('py-coverage-');
    process.env['GRADECHECK_PY_COVERAGE'] = folder;
    expect(extractNotebook(notebook)).toEqual(untraced);

    const recorded = records(folder);
    expect(recorded.filter((r) => r.python !== undefined)).toEqual([{ python: pythonExecutable() }]);
    expect(new Set(recorded.flatMap((r) => (r.file ? [r.file] : [])))).toEqual(new Set(['notebook.py']));
    const ran = linesOf(recorded, 'notebook.py');
    const source = path.join(runnersDir, 'notebook.py');
    expect(ran.has(lineNumber(source, 'result = extract(nb)'))).toBe(true);
    // Run only when the notebook cannot be read.
    expect(ran.has(lineNumber(source, 'except (ValueError, OSError) as exc:') + 1)).toBe(false);
  });

  test('a forked child that ends with os._exit writes its lines; code outside the runners’ folder is never recorded', () => {
    // A runners folder of its own: the tracer records the files beside it.
    const root = testTempDir('py-coverage-fork-');
    const runners = path.join(root, 'runners');
    mkdirSync(path.join(runners, 'submission'), { recursive: true });
    copyFileSync(path.join(runnersDir, 'line_coverage.py'), path.join(runners, 'line_coverage.py'));
    writeFileSync(path.join(runners, 'submission', 'student.py'), 'def work():\n    return 41 + 1\n');
    writeFileSync(
      path.join(runners, 'runner.py'),
      [
        'import os, sys',
        'sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "submission"))',
        'import student',
        'def child():',
        '    answer = student.work()',
        '    os._exit(0 if answer == 42 else 1)',
        'pid = os.fork()',
        'if pid == 0:',
        '    child()',
        '_, status = os.waitpid(pid, 0)',
        'assert status == 0',
        '',
      ].join('\n'),
    );
    const folder = testTempDir('py-coverage-out-');
    process.env['GRADECHECK_PY_COVERAGE'] = folder;
    withRunnerCoverage('python', ['ignore', 'pipe', 'pipe'], (stdio) =>
      execFileSync(pythonExecutable(), ['-I', path.join(runners, 'line_coverage.py'), path.join(runners, 'runner.py')], { stdio, encoding: 'utf8' }),
    );
    const recorded = records(folder);
    expect(new Set(recorded.flatMap((r) => (r.file ? [r.file] : [])))).toEqual(new Set(['runner.py']));
    // 5 and 6 run in the child only; 10 and 11 in the parent only.
    expect([...linesOf(recorded, 'runner.py')].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  });

  test('quiet code stops being traced: a function after 200 calls that ran no new line, a call after 2,000 such lines', () => {
    const runners = path.join(testTempDir('py-coverage-quiet-'), 'runners');
    mkdirSync(runners, { recursive: true });
    copyFileSync(path.join(runnersDir, 'line_coverage.py'), path.join(runners, 'line_coverage.py'));
    writeFileSync(
      path.join(runners, 'runner.py'),
      [
        'def step(i):',
        '    if i == 100:',
        '        early = i',  // 3: its 100th call, 99 quiet ones before: recorded
        '    if i == 400:',
        '        late = i',  // 5: after 200 quiet calls (101 to 300): never traced
        '    return i',
        '',
        'def loop():',
        '    total = 0',
        '    for i in range(5000):',
        '        total += i',
        '        if i == 4000:',
        '            total -= 1',  // 13: after 2,000 quiet line events in this call: not traced
        '    return total',
        '',
        'for i in range(500):',
        '    step(i)',
        'loop()',
        '',
      ].join('\n'),
    );
    const folder = testTempDir('py-coverage-quiet-out-');
    process.env['GRADECHECK_PY_COVERAGE'] = folder;
    withRunnerCoverage('python', ['ignore', 'pipe', 'pipe'], (stdio) =>
      execFileSync(pythonExecutable(), ['-I', path.join(runners, 'line_coverage.py'), path.join(runners, 'runner.py')], { stdio, encoding: 'utf8' }),
    );
    expect([...linesOf(records(folder), 'runner.py')].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 6, 8, 9, 10, 11, 12, 16, 17, 18]);
  });
});

describe('the Node harness recorded for the suite’s coverage', () => {
  interface Script {
    readonly url: string;
    readonly functions: readonly { readonly functionName: string; readonly ranges: readonly { readonly count: number }[] }[];
  }
  const scripts = (folder: string): Script[] =>
    readdirSync(folder).flatMap((name) =>
      readFileSync(path.join(folder, name), 'utf8')
        .split('\n')
        .filter(Boolean)
        .flatMap((line) => (JSON.parse(line) as { result: Script[] }).result),
    );
  const ran = (recorded: readonly Script[], fn: string) => recorded.some((s) => s.functions.some((f) => f.functionName === fn && f.ranges[0]!.count > 0));

  test('a harness killed when done has written what ran, under the real harness.mjs, and answers as it does unrecorded', async () => {
    const echo = path.join(repoRoot, 'fixtures', 'submissions', 'protocol', 'echo.mjs');
    const answers = async () => {
      const subject = await ProcessSubject.start(echo, { cwd: testTempDir('js-coverage-cwd-'), seed: 1, limits: { callTimeoutMs: 10_000 } });
      try {
        return [await subject.call('echo', [[1.5, 2]]), await subject.call('as_float32', [[0.5]])];
      } finally {
        await subject.close(); // SIGKILL: nothing is written after this
      }
    };
    delete process.env['GRADECHECK_JS_COVERAGE'];
    const unrecorded = await answers();
    const folder = testTempDir('js-coverage-');
    process.env['GRADECHECK_JS_COVERAGE'] = folder;
    expect(await answers()).toEqual(unrecorded);

    const recorded = scripts(folder);
    // The scrubbed mode's harness goes through tsx's loader, whose rewritten offsets are not the file's: not recorded.
    if (sandboxMode() === 'scrubbed') return expect(recorded).toEqual([]);
    expect(new Set(recorded.map((s) => s.url))).toEqual(new Set([pathToFileURL(path.join(runnersDir, 'harness.mjs')).href]));
    // The calls' path, the last one included: as_float32 found under its camelCase name, its answer encoded, sent.
    for (const fn of ['handle', 'camelCase', 'encode', 'respond']) expect(ran(recorded, fn), fn).toBe(true);
    // Run only when a call raises.
    expect(ran(recorded, 'describeError')).toBe(false);
  });
});
