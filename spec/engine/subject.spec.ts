import { describe, expect, it } from 'vitest';
import { decodeLike, describeShape, flattenTree, unflattenLike, allFinite } from '../../src/decode.ts';
import { CheckFailure, SubjectError, toFailure } from '../../src/failure.ts';
import { camelCase, moduleSubject } from '../../src/subject.ts';

const call = { fn: 'f', args: [] };

describe('moduleSubject', () => {
  const subject = moduleSubject('test', {
    double: (x: number[]) => x.map((v) => 2 * v),
    snake_only: () => 1,
    boom: () => {
      throw new RangeError('bad input');
    },
    sneaky: (x: number[]) => {
      x[0] = 99;
      return x;
    },
    asyncOne: async () => 1,
  });

  it('calls camelCase exports by their snake_case name, and snake_case exports as they are', async () => {
    expect(camelCase('softmax_jacobian')).toBe('softmaxJacobian');
    await expect(subject.call('double', [[1, 2]])).resolves.toEqual([2, 4]);
    await expect(subject.call('snake_only', [])).resolves.toBe(1);
    await expect(subject.call('async_one', [])).resolves.toBe(1);
  });

  it('reports a missing function and a raised error as SubjectErrors', async () => {
    await expect(subject.call('nope', [])).rejects.toMatchObject({ code: 'missing' });
    const error = await subject.call('boom', []).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SubjectError);
    expect((error as SubjectError).message).toContain('RangeError: bad input');
  });

  it('catches an implementation that modifies its inputs, and never lets it touch the caller\'s copy', async () => {
    const args = [[1, 2]];
    const error = await subject.call('sneaky', args).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CheckFailure);
    expect((error as CheckFailure).failure.code).toBe('mutated_input');
    expect(args).toEqual([[1, 2]]);
  });
});

describe('decodeLike', () => {
  it('accepts the template shape and one-element arrays for scalars', () => {
    expect(decodeLike([[1, 2], [3, 4]], [[0, 0], [0, 0]], call)).toEqual([[1, 2], [3, 4]]);
    expect(decodeLike([5], 0, call)).toBe(5);
    expect(decodeLike([[1, 2], [3]], [[0, 0], [0]], call)).toEqual([[1, 2], [3]]);
  });

  it('rejects wrong shapes and types with a message naming both shapes', () => {
    const wrong = (received: unknown, template: number | number[] | number[][]) => {
      try {
        decodeLike(received as never, template, call);
      } catch (e) {
        return (e as CheckFailure).failure;
      }
      throw new Error('accepted');
    };
    expect(wrong([[1, 2, 3], [4, 5, 6]], [[0, 0], [0, 0], [0, 0]])).toMatchObject({ code: 'wrong_shape', message: 'f returned (2, 3); expected (3, 2)' });
    expect(wrong('x', [0])).toMatchObject({ code: 'wrong_type' });
    expect(wrong(null, 0)).toMatchObject({ code: 'wrong_type', message: 'f returned None/null; expected scalar' });
    expect(wrong(3, [0, 0])).toMatchObject({ code: 'wrong_shape' });
    expect(wrong([1, 2], 0)).toMatchObject({ code: 'wrong_shape' });
  });

  it('describes shapes', () => {
    expect(describeShape(1)).toBe('scalar');
    expect(describeShape([1, 2])).toBe('(2,)');
    expect(describeShape([[1], [2, 3]])).toBe('ragged rows of lengths 1, 2');
    expect(describeShape([[[1, 2]], [3]])).toBe('tuple of 2: ((1, 2), (1,))');
    expect(describeShape([[[1], 2], [3]])).toBe('tuple of 2: (tuple of 2: ((1,), scalar), (1,))');
    expect(describeShape(undefined)).toBe('undefined');
  });

  it('flattens and unflattens in row-major order', () => {
    const t = [[[1, 2], [3, 4]], [5, 6]];
    expect(flattenTree(t)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(unflattenLike([6, 5, 4, 3, 2, 1], t)).toEqual([[[6, 5], [4, 3]], [2, 1]]);
    expect(allFinite(t)).toBe(true);
    expect(allFinite([1, [NaN]])).toBe(false);
  });
});

describe('toFailure', () => {
  it('keeps failure data, converts subject errors, and marks anything else as a grader bug', () => {
    expect(toFailure(new CheckFailure({ code: 'value_mismatch', message: 'm' })).code).toBe('value_mismatch');
    expect(toFailure(new SubjectError('timeout', 'slow', 'after 2 s'), call)).toEqual({ code: 'timeout', message: 'slow', call, details: 'after 2 s' });
    expect(toFailure(new TypeError('x is undefined'))).toMatchObject({ code: 'check_error', message: expect.stringContaining('TypeError') });
    expect(toFailure('weird').code).toBe('check_error');
  });
});

describe('moduleSubject instances', () => {
  class Scaler {
    constructor(
      readonly params: number[][],
      readonly factor: number,
    ) {}
    step(grads: number[][]) {
      this.params.forEach((p, i) => p.forEach((_, j) => (p[j]! -= this.factor * grads[i]![j]!)));
    }
    fail() {
      throw new Error('no');
    }
  }
  const subject = moduleSubject('classes', {
    Scaler,
    Broken: class {
      constructor() {
        throw new Error('bad constructor');
      }
    },
  });

  it('constructs, steps in place and inspects the current parameters, without touching the caller\'s arrays', async () => {
    const params = [[1, 2], [3]];
    const h = await subject.create('Scaler', [params, 2]);
    await subject.invoke(h, 'step', [[[1, 1], [1]]]);
    expect((await subject.inspect(h))[0]).toEqual([[-1, 0], [1]]);
    expect(params).toEqual([[1, 2], [3]]);
  });

  it('reports missing classes and methods, raising constructors and methods, and unknown handles', async () => {
    await expect(subject.create('Nope', [])).rejects.toMatchObject({ code: 'missing' });
    await expect(subject.create('Broken', [])).rejects.toMatchObject({ code: 'raised' });
    const h = await subject.create('Scaler', [[[1]], 1]);
    await expect(subject.invoke(h, 'nope', [])).rejects.toMatchObject({ code: 'missing' });
    await expect(subject.invoke(h, 'fail', [])).rejects.toMatchObject({ code: 'raised' });
    await expect(subject.inspect({ id: 999, cls: 'Scaler' })).rejects.toMatchObject({ code: 'crashed' });
  });
});
