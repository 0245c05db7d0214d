import { describe, expect, it } from 'vitest';
import { CLOSED_FORM, FLOAT32_FLOOR, compare, isClose, tolerance, widenForFloat32 } from '../../src/tolerance.ts';

const tol = tolerance(1e-3, 1e-6, 'test');

describe('compare', () => {
  it('accepts |a - b| <= atol + rtol |b| and reports the worst entry', () => {
    const r = compare([1.0005, 2, 3.01], [1, 2, 3], tol);
    expect(r.ok).toBe(false);
    expect(r.worst?.index).toEqual([2]);
    expect(r.worst?.expected).toBe(3);
    expect(r.worst?.received).toBe(3.01);
    expect(r.worst?.allowed).toBeCloseTo(1e-6 + 3e-3, 12);
    expect(r.worst?.relError).toBeCloseTo(0.01 / 3, 12);
    expect(compare([1.0005, 2, 3.001], [1, 2, 3], tol).ok).toBe(true);
  });

  it('finds the worst entry in nested arrays', () => {
    const r = compare([[0, 0], [0, 5]], [[0, 0], [0, 0]], CLOSED_FORM);
    expect(r.ok).toBe(false);
    expect(r.worst?.index).toEqual([1, 1]);
  });

  it('NaN agrees only with NaN, an infinity only with itself', () => {
    expect(compare([NaN], [1], tol).ok).toBe(false);
    expect(compare([NaN], [NaN], tol).ok).toBe(true);
    expect(compare([1], [NaN], tol).ok).toBe(false);
    expect(compare([Infinity], [Infinity], tol).ok).toBe(true);
    expect(compare([-Infinity], [Infinity], tol).ok).toBe(false);
    expect(compare([Infinity], [1e308], tol).ok).toBe(false);
    expect(compare(NaN, 0, tol).worst?.index).toEqual([]);
  });

  it('a missing entry counts as NaN', () => {
    expect(compare([1], [1, 2], tol).ok).toBe(false);
  });

  it('is empty-safe and exposes isClose', () => {
    expect(compare([], [], tol)).toEqual({ ok: true, worst: undefined });
    expect(isClose(1 + 1e-7, 1, CLOSED_FORM)).toBe(true);
    expect(isClose(1 + 1e-5, 1, CLOSED_FORM)).toBe(false);
  });

  it('float32: a sum that cancels is allowed mtol times the size of its terms, where the check gives it', () => {
    const f32 = widenForFloat32(CLOSED_FORM);
    expect(f32.mtol).toBe(FLOAT32_FLOOR.mtol);
    // Terms of size 300 summing to 0.07, off by 3e-5 (float32 rounding of the terms): 1e-5 + 1e-4 * 0.07 alone is too tight.
    expect(compare([0.07003], [0.07], f32).ok).toBe(false);
    const withTerms = compare([0.07003], [0.07], f32, [300]);
    expect(withTerms.ok).toBe(true);
    expect(withTerms.worst?.allowed).toBeCloseTo(1e-5 + 1e-4 * 0.07 + 1e-5 * 300, 12);
    // Nested arrays follow the magnitude's shape; without mtol (float64) the magnitude changes nothing.
    expect(compare([[0.07003], [1]], [[0.07], [1]], f32, [[300], [1]]).ok).toBe(true);
    expect(compare([0.07003], [0.07], CLOSED_FORM, [300]).ok).toBe(false);
    // Still a bound: off by more than the terms allow fails.
    expect(compare([0.08], [0.07], f32, [300]).ok).toBe(false);
  });
});
