// The recordings' codec (grader/self-check/codec.ts): what a recorded call took and returned comes back as the same
// values, the numbers JSON cannot hold included; a replayed call changes its arguments in place as the real one did.

import { describe, expect, it } from 'vitest';
import { Unencodable, assignInPlace, decode, encode, keyOf } from './codec.ts';

describe('the recordings codec', () => {
  it('gives back NaN, the infinities, -0, undefined, typed arrays and plain objects through JSON', () => {
    const value = { x: [1.5, NaN, Infinity, -Infinity, -0, 0], u: undefined, f: Float64Array.from([0.1, -2]), i: Int32Array.from([3]), nested: [[1], { a: 'b', t: true, n: null }] };
    const back = decode(JSON.parse(JSON.stringify(encode(value)))) as typeof value;
    expect(back.x.slice(0, 4)).toEqual([1.5, NaN, Infinity, -Infinity]);
    expect(Object.is(back.x[4], -0)).toBe(true);
    expect(Object.is(back.x[5], 0)).toBe(true);
    expect('u' in back && back.u === undefined).toBe(true);
    expect(back.f).toBeInstanceOf(Float64Array);
    expect(Array.from(back.f)).toEqual([0.1, -2]);
    expect(back.i).toBeInstanceOf(Int32Array);
    expect(back.nested).toEqual([[1], { a: 'b', t: true, n: null }]);
  });

  it('refuses what a recording cannot hold: a function, a class instance', () => {
    expect(() => encode(() => 1)).toThrow(Unencodable);
    expect(() => encode([new Map()])).toThrow(/a Map cannot be recorded/);
  });

  it('keys arguments by their encoding: -0 and 0 differ, equal arguments agree', () => {
    expect(keyOf(encode([[1, 2], 0.5]))).toBe(keyOf(encode([[1, 2], 0.5])));
    expect(keyOf(encode([0]))).not.toBe(keyOf(encode([-0])));
    expect(keyOf(encode([Float64Array.from([1])]))).not.toBe(keyOf(encode([[1]])));
  });

  it('writes a recorded result into an argument in place, keeping the identity of its rows', () => {
    const row = [1, 2];
    const params = [row, Float64Array.from([3])];
    assignInPlace(params, [[10, 20, 30], Float64Array.from([4])]);
    expect(params[0]).toBe(row);
    expect(row).toEqual([10, 20, 30]);
    expect(Array.from(params[1] as Float64Array)).toEqual([4]);
    const state = { m: [0, 0], t: 1 };
    assignInPlace(state, { m: [0.1, 0.2], t: 2 });
    expect(state).toEqual({ m: [0.1, 0.2], t: 2 });
  });
});
