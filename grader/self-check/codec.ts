// The values a recorded reference call takes and returns, as JSON that gives back the same values: numbers
// JSON cannot hold (NaN, the infinities, -0), undefined, typed arrays and plain objects are tagged. A value of
// any other kind (a function, a class instance) cannot be recorded.

import { createHash } from 'node:crypto';

export type Encoded = null | boolean | number | string | Encoded[] | { readonly [tag: string]: unknown };

export class Unencodable extends Error {}

const TYPED_ARRAYS = {
  Float64Array,
  Float32Array,
  Int32Array,
  Int16Array,
  Int8Array,
  Uint32Array,
  Uint16Array,
  Uint8Array,
  Uint8ClampedArray,
} as const;
type TypedArrayName = keyof typeof TYPED_ARRAYS;
type TypedArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayName]>;

function encodeNumber(n: number): Encoded {
  if (Number.isNaN(n)) return { $n: 'NaN' };
  if (n === Infinity || n === -Infinity) return { $n: String(n) };
  if (Object.is(n, -0)) return { $n: '-0' };
  return n;
}

function typedArrayName(value: object): TypedArrayName | undefined {
  return (Object.keys(TYPED_ARRAYS) as TypedArrayName[]).find((name) => value instanceof TYPED_ARRAYS[name]);
}

export function encode(value: unknown): Encoded {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return encodeNumber(value);
  if (value === undefined) return { $u: 1 };
  if (Array.isArray(value)) return value.map(encode);
  if (typeof value === 'object') {
    const typed = typedArrayName(value);
    if (typed) return { $t: typed, v: Array.from(value as TypedArray, encodeNumber) };
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto === Object.prototype || proto === null) {
      return { $o: Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)])) };
    }
  }
  throw new Unencodable(`a ${typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value} cannot be recorded`);
}

function decodeNumber(e: Encoded): number {
  if (typeof e === 'number') return e;
  return Number((e as { $n: string }).$n);
}

export function decode(e: Encoded): unknown {
  if (e === null || typeof e === 'boolean' || typeof e === 'string' || typeof e === 'number') return e;
  if (Array.isArray(e)) return e.map(decode);
  if ('$n' in e) return decodeNumber(e);
  if ('$u' in e) return undefined;
  if ('$t' in e) {
    const Typed = TYPED_ARRAYS[e['$t'] as TypedArrayName];
    return Typed.from((e['v'] as Encoded[]).map(decodeNumber));
  }
  return Object.fromEntries(Object.entries(e['$o'] as Record<string, Encoded>).map(([k, v]) => [k, decode(v)]));
}

/** What a call's arguments are looked up by: a digest of their encoding (the arguments can be large matrices). */
export const keyOf = (encodedArgs: Encoded): string => createHash('sha256').update(JSON.stringify(encodedArgs)).digest('base64url').slice(0, 22);

/**
 * Writes `value` into `target` in place, keeping the identity of every array and object of `target` (a caller
 * may hold its inner rows, as an optimizer holds its parameters): how a replayed call leaves its arguments as the
 * recorded call left them.
 */
export function assignInPlace(target: unknown, value: unknown): void {
  if (Array.isArray(target) && Array.isArray(value)) {
    target.length = value.length;
    value.forEach((v, i) => {
      if (typeof target[i] === 'object' && target[i] !== null && typeof v === 'object' && v !== null) assignInPlace(target[i], v);
      else target[i] = v;
    });
  } else if (ArrayBuffer.isView(target) && ArrayBuffer.isView(value)) {
    (target as TypedArray).set(value as TypedArray);
  } else if (typeof target === 'object' && target !== null && typeof value === 'object' && value !== null) {
    const into = target as Record<string, unknown>;
    for (const [k, v] of Object.entries(value)) {
      if (typeof into[k] === 'object' && into[k] !== null && typeof v === 'object' && v !== null) assignInPlace(into[k], v);
      else into[k] = v;
    }
  }
}
