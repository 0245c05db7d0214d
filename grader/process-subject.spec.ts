// The wire between the grader and a submission's process, for both harnesses: values round-trip
// exactly (float64, NaN, infinities), float32 answers are noticed, class instances work in both optimizer
// forms, and a process that exits, floods or prints protocol-looking text costs one call, not the grade.

import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ProcessSubject } from './process-subject.ts';
import { testTempDir } from './test-temp.ts';

const dir = path.join(import.meta.dirname, '..', 'fixtures', 'submissions', 'protocol');
const cwd = testTempDir('test');
const subjects: ProcessSubject[] = [];
const start = async (file: string, maxResponseBytes = 1_000_000) => {
  const s = await ProcessSubject.start(path.join(dir, file), { cwd, seed: 1, intArgs: { labels_dtype: [0] }, limits: { maxResponseBytes, callTimeoutMs: 5000 } });
  subjects.push(s);
  return s;
};
afterAll(async () => {
  await Promise.all(subjects.map((s) => s.close()));
});

describe.each(['echo.py', 'echo.mjs'])('%s', (file) => {
  it('round-trips float64 values exactly, nested lists and matrices included', async () => {
    const s = await start(file);
    const values = [0.1, -1e-300, 1.7976931348623157e308, 5e-324, 123456789.123456789, -0];
    const back = (await s.call('echo', [values])) as number[];
    expect(back.map((v) => v + 0)).toEqual(values.map((v) => v + 0));
    expect(await s.call('echo', [[[1, 2], [3, 4]]])).toEqual([[1, 2], [3, 4]]);
    expect(s.lowPrecision).toBe(false);
  });

  it('round-trips large float arrays exactly (binary on the Python wire), special values and 3-d shapes included', async () => {
    const s = await start(file);
    const specials = [NaN, Infinity, -Infinity, 5e-324, -1e-300, 1 / 3, 1.7976931348623157e308, 0.1];
    const matrix = Array.from({ length: 12 }, (_, i) => Array.from({ length: 10 }, (_, j) => specials[(i + j) % specials.length]! * (i + 1)));
    expect(await s.call('echo', [matrix])).toEqual(matrix);
    const cube = [matrix.slice(0, 6), matrix.slice(6, 12)];
    expect(await s.call('echo', [cube])).toEqual(cube);
  });

  it('carries NaN and infinities both ways and maps other types to JSON values', async () => {
    const s = await start(file);
    expect(await s.call('echo', [[NaN, Infinity, -Infinity]])).toEqual([NaN, Infinity, -Infinity]);
    expect(await s.call('nonfinite', [])).toEqual([NaN, Infinity, -Infinity, 1.5, 3, true, null, 'text']);
  });

  it('notices float32 answers', async () => {
    const s = await start(file);
    const back = (await s.call('as_float32', [[0.1]])) as number[];
    expect(back[0]).toBe(Math.fround(0.1));
    expect(s.lowPrecision).toBe(true);
  });

  it('keeps the submission\'s prints out of the protocol', async () => {
    const s = await start(file);
    expect(await s.call('chatty', [])).toBe(1);
    // The print and the answer leave on different pipes: the print may be read a moment after the answer.
    await vi.waitFor(() => expect(s.stdout.toString()).toContain('"value": 42'));
  });

  it('reports a process that exits mid-call, then restarts for the next call', async () => {
    const s = await start(file);
    await expect(s.call('exits', [])).rejects.toMatchObject({ code: 'crashed' });
    expect(await s.call('echo', [[1]])).toEqual([1]);
  });

  it('refuses an oversized answer as a limit, not a crash of the grader', async () => {
    const s = await start(file, 100_000);
    await expect(s.call('huge', [])).rejects.toMatchObject({ code: 'limit_exceeded' });
    expect(await s.call('echo', [2])).toBe(2);
  });

  it('constructs classes, steps them, and reads the parameters updated in place', async () => {
    const s = await start(file);
    const h = await s.create('Doubler', [[[1, 2], [3]], 0.5]);
    await s.invoke(h, 'step', [[[2, 2], [2]]]);
    expect((await s.inspect(h))[0]).toEqual([[0, 1], [2]]);
  });
});

describe('python specifics', () => {
  it('sends large float arrays as base64 float64: a 100 x 100 answer fits a limit its JSON text would exceed', async () => {
    // Full-precision values take about 19 characters each as JSON text (190 KB here) and 10.7 as base64 (107 KB).
    const s = await start('echo.py', 150_000);
    const matrix = Array.from({ length: 100 }, (_, i) => Array.from({ length: 100 }, (_, j) => Math.sin(i * 100 + j) / 7));
    expect(await s.call('echo', [matrix])).toEqual(matrix);
  });

  it('sends integer arguments as int64 arrays, everything else as float64', async () => {
    const s = await start('echo.py');
    expect(await s.call('labels_dtype', [[0, 2, 1]])).toBe('int64');
  });

  it('drives the PyTorch optimizer form (tensors with .grad, step() without arguments)', async () => {
    const s = await start('echo.py');
    const h = await s.create('TorchDoubler', [[[1, 2], [3]], 0.5]);
    await s.invoke(h, 'step', [[[2, 2], [2]]]);
    await s.invoke(h, 'zero_grad', []);
    expect((await s.inspect(h))[0]).toEqual([[0, 1], [2]]);
  });
});
