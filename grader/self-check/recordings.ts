// The reference's answers a self-check holds in place of reference/ (grader/self-check/build.ts).
//
// Recording: in a bundle built with the reference's modules wrapped, every export is recorded as a shape (a
// constant's value, or a function or class to be replayed) and every call of a wrapped function or method as its
// answer under the call's arguments: what it returned or threw, and the arguments it changed in place.
// A suite's named mistakes (spec/*.mistakes.ts: lists of objects with an implementation) are recorded the same way.
// Replaying: in the student's bundle each reference module is a replay of its shapes; a call answers as recorded,
// and a call that was not recorded (an input the visible checks did not draw) throws NotJudgedHere.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { NotJudgedHere } from '../../src/unjudged.ts';
import { type Encoded, Unencodable, assignInPlace, decode, encode, keyOf } from './codec.ts';

/** One recorded call: what it returned (or threw), and the arguments it changed (by index; null: unchanged). */
export interface CallEntry {
  /** What it returned, by its key in `Recordings.values`. */
  readonly r?: string;
  readonly throws?: string;
  readonly after?: readonly (Encoded | null)[];
  /** A method call: the instance's constructor arguments as the call left them. */
  readonly self?: Encoded;
  /** What it returned cannot be recorded (a function, a class instance). */
  readonly unrecordable?: true;
}

/** An export as the student's bundle rebuilds it. */
export type Shape =
  | { readonly $v: Encoded }
  | { readonly $fn: string }
  | { readonly $class: string; readonly methods: readonly string[] }
  | { readonly $obj: Readonly<Record<string, Shape>> }
  | { readonly $arr: readonly Shape[] }
  | { readonly $unrecordable: string };

export interface Recordings {
  /** By `file#export`. */
  readonly exports: Record<string, Shape>;
  /** By function path (`file#name`, `file#Class.method`), then by the call's key. */
  readonly calls: Record<string, Record<string, CallEntry>>;
  /**
   * What the calls returned, each once, by a digest of its encoding: a named mistake answers most calls as the
   * reference does (a wrong Xavier draws He's matrices as the reference draws them), and is stored once.
   */
  readonly values: Record<string, Encoded>;
}

type AnyFunction = (...args: unknown[]) => unknown;
type AnyClass = new (...args: unknown[]) => object;

const isClass = (f: unknown): f is AnyClass => typeof f === 'function' && /^class\b/.test(Function.prototype.toString.call(f));

/** Encodes, or undefined where the value cannot be recorded. */
function tryEncode(value: unknown): Encoded | undefined {
  try {
    return encode(value);
  } catch (error) {
    if (error instanceof Unencodable) return undefined;
    throw error;
  }
}

/** The methods an instance of the class answers, its ancestors' included. */
function methodNames(Class: AnyClass): string[] {
  const names = new Set<string>();
  for (let proto = Class.prototype as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
    for (const name of Object.getOwnPropertyNames(proto)) {
      if (name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(proto, name)?.value === 'function') names.add(name);
    }
  }
  return [...names];
}

// ---- Recording -------------------------------------------------------------------------------------------

const recorded: Recordings = { exports: {}, calls: {}, values: {} };

/** What the calls so far recorded (the recording bundle's result). */
export function recordingsSoFar(): Recordings {
  return recorded;
}

/** The key of `value` in the values recorded, stored there once. */
function stored(value: Encoded): string {
  const key = keyOf(value);
  recorded.values[key] ??= value;
  return key;
}

function store(path: string, key: string, entry: CallEntry): void {
  (recorded.calls[path] ??= {})[key] = entry;
}

/** Runs `call` and records its answer under `key`; `changed` lists the arguments it changed in place. */
function recordCall(path: string, key: string | undefined, call: () => unknown, changed: () => Pick<CallEntry, 'after' | 'self'>): unknown {
  let result: unknown;
  try {
    result = call();
  } catch (error) {
    if (key !== undefined) store(path, key, { throws: error instanceof Error ? error.message : String(error) });
    throw error;
  }
  if (key !== undefined) {
    const r = tryEncode(result);
    store(path, key, r === undefined ? { unrecordable: true } : { r: stored(r), ...changed() });
  }
  return result;
}

/** The arguments' encodings after a call, where they differ from `before`. */
function changedArgs(args: readonly unknown[], before: readonly Encoded[]): { after?: (Encoded | null)[] } {
  const after = args.map((a, i) => {
    const now = tryEncode(a);
    return now !== undefined && keyOf(now) !== keyOf(before[i]!) ? now : null;
  });
  return after.some((a) => a !== null) ? { after } : {};
}

function recordingFunction(path: string, real: AnyFunction): AnyFunction {
  return function (this: unknown, ...args: unknown[]) {
    const before = args.map(tryEncode);
    const key = before.every((b) => b !== undefined) ? keyOf(before as Encoded[]) : undefined;
    return recordCall(path, key, () => real.apply(this, args), () => changedArgs(args, before as Encoded[]));
  };
}

const HISTORY = Symbol('recorded history');
interface History {
  readonly args: unknown[];
  readonly before: Encoded | undefined;
  readonly calls: Encoded[];
  /** Method calls in progress: only the outermost is recorded (a method calling another is one call). */
  depth: number;
}

function recordingClass(path: string, Real: AnyClass): AnyClass {
  const Recording = class extends Real {
    constructor(...args: unknown[]) {
      const before = tryEncode(args);
      super(...args);
      (this as unknown as Record<symbol, History>)[HISTORY] = { args, before, calls: [], depth: 0 };
    }
  };
  for (const method of methodNames(Real)) {
    const real = (Real.prototype as Record<string, AnyFunction>)[method]!;
    (Recording.prototype as unknown as Record<string, AnyFunction>)[method] = function (this: Record<symbol, History>, ...args: unknown[]) {
      const history = this[HISTORY];
      // Called from the real constructor (no history yet) or from another method: part of that call.
      if (!history || history.depth > 0) return real.apply(this, args);
      const before = args.map(tryEncode);
      const recordable = history.before !== undefined && before.every((b) => b !== undefined);
      const key = recordable ? keyOf([history.before!, history.calls, method, before as Encoded[]]) : undefined;
      const result = recordCall(`${path}.${method}`, key, () => {
        history.depth++;
        try {
          return real.apply(this, args);
        } finally {
          history.depth--;
        }
      }, () => {
        const self = tryEncode(history.args);
        return { ...changedArgs(args, before as Encoded[]), ...(self !== undefined && keyOf(self) !== keyOf(history.before!) ? { self } : {}) };
      });
      if (recordable) history.calls.push([method, before as Encoded[]]);
      return result;
    };
  }
  return Recording;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null);

/** An export wrapped for recording, and its shape. */
function recordExport(path: string, value: unknown): { shape: Shape; wrapped: unknown } {
  if (isClass(value)) return { shape: { $class: path, methods: methodNames(value) }, wrapped: recordingClass(path, value) };
  if (typeof value === 'function') return { shape: { $fn: path }, wrapped: recordingFunction(path, value as AnyFunction) };
  const constant = tryEncode(value);
  if (constant !== undefined) return { shape: { $v: constant }, wrapped: value };
  if (isPlainObject(value)) {
    const members = Object.entries(value).map(([k, v]) => [k, recordExport(`${path}.${k}`, v)] as const);
    return { shape: { $obj: Object.fromEntries(members.map(([k, m]) => [k, m.shape])) }, wrapped: Object.fromEntries(members.map(([k, m]) => [k, m.wrapped])) };
  }
  // A list holding functions (a suite's named mistakes, each with its implementation): by position.
  if (Array.isArray(value)) {
    const items = value.map((v, i) => recordExport(`${path}.${i}`, v));
    return { shape: { $arr: items.map((m) => m.shape) }, wrapped: items.map((m) => m.wrapped) };
  }
  return { shape: { $unrecordable: path }, wrapped: value };
}

/** A reference module with every export wrapped for recording (the recording bundle's stand-in for it). */
export function recordedModule(file: string, real: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(real).map(([name, value]) => {
      const { shape, wrapped } = recordExport(`${file}#${name}`, value);
      recorded.exports[`${file}#${name}`] = shape;
      return [name, wrapped];
    }),
  );
}

// ---- Replaying -------------------------------------------------------------------------------------------

let replaying: Recordings | undefined;

/** The file beside the student's bundle that holds what it replays (gzipped JSON: mostly numbers). */
export const RECORDINGS_FILE = 'recordings.json.gz';

/** Replays these recordings instead of the file's (a test's round trip through JSON). */
export function replayFrom(recordings: Recordings): void {
  replaying = recordings;
}

function recordings(): Recordings {
  if (replaying) return replaying;
  const file = fileURLToPath(new URL(`./${RECORDINGS_FILE}`, import.meta.url));
  try {
    replaying = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8')) as Recordings;
  } catch (error) {
    // A damaged or partial copy of the release, not the student's code: say which file and what to do.
    throw new Error(`this self-check's recorded answers (${file}) cannot be read (${(error as Error).message}): copy the release's gradecheck/ folder again`);
  }
  return replaying;
}

/** The recorded call, or NotJudgedHere. */
function lookUp(path: string, key: string | undefined): CallEntry {
  const entry = key === undefined ? undefined : recordings().calls[path]?.[key];
  if (entry === undefined || entry.unrecordable) throw new NotJudgedHere(`this call of ${path.split('#')[1]}`);
  return entry;
}

/** Answers as the recorded call did: its arguments changed as it changed them, its result or its error. */
function answer(entry: CallEntry, args: readonly unknown[], self?: unknown[]): unknown {
  entry.after?.forEach((a, i) => a !== null && assignInPlace(args[i], decode(a)));
  if (entry.self !== undefined && self) assignInPlace(self, decode(entry.self));
  if (entry.throws !== undefined) throw new Error(entry.throws);
  return decode(recordings().values[entry.r!]!);
}

function replayingFunction(path: string): AnyFunction {
  return (...args: unknown[]) => {
    const before = tryEncode(args);
    return answer(lookUp(path, before === undefined ? undefined : keyOf(before)), args);
  };
}

function replayingClass(path: string, methods: readonly string[]): AnyClass {
  const Replaying = class {
    constructor(...args: unknown[]) {
      (this as unknown as Record<symbol, History>)[HISTORY] = { args, before: tryEncode(args), calls: [], depth: 0 };
    }
  };
  for (const method of methods) {
    (Replaying.prototype as unknown as Record<string, AnyFunction>)[method] = function (this: Record<symbol, History>, ...args: unknown[]) {
      const history = this[HISTORY]!;
      const before = args.map(tryEncode);
      const recordable = history.before !== undefined && before.every((b) => b !== undefined);
      const entry = lookUp(`${path}.${method}`, recordable ? keyOf([history.before!, history.calls, method, before as Encoded[]]) : undefined);
      history.calls.push([method, before as Encoded[]]);
      return answer(entry, args, history.args);
    };
  }
  return Replaying;
}

function replayExport(shape: Shape | undefined, path: string): unknown {
  if (shape === undefined || '$unrecordable' in shape) {
    return () => {
      throw new NotJudgedHere(`${path.split('#')[1]}`);
    };
  }
  if ('$v' in shape) return decode(shape.$v);
  if ('$fn' in shape) return replayingFunction(shape.$fn);
  if ('$class' in shape) return replayingClass(shape.$class, shape.methods);
  if ('$arr' in shape) return shape.$arr.map((s, i) => replayExport(s, `${path}.${i}`));
  return Object.fromEntries(Object.entries(shape.$obj).map(([k, s]) => [k, replayExport(s, `${path}.${k}`)]));
}

/** A reference module as the student's bundle has it: the recorded exports `names`, replayed. */
export function replayedModule(file: string, names: readonly string[]): Record<string, unknown> {
  const { exports } = recordings();
  return Object.fromEntries(names.map((name) => [name, replayExport(exports[`${file}#${name}`], `${file}#${name}`)]));
}
