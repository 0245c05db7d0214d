// The protocol between the grader and a submission's child process (docs/protocol.md): JSON lines over fds 3
// (requests) and 4 (responses), the messages the harness answers with, how a call's shape and its values travel
// (NaN and infinities as tags, large float arrays as base64), and the framing of the response stream.

import type { Value } from '../src/failure.ts';

export interface LoadError {
  readonly kind: 'syntax' | 'import' | 'adapter';
  readonly message: string;
  readonly traceback: string;
}

export interface ReadyInfo {
  /** The callable names the submission defines. */
  readonly defined: readonly string[];
  /** Why (part of) the submission did not load. */
  readonly loadErrors: readonly LoadError[];
  /** Modules the submission imports that are not installed (stubbed: only code that uses them fails). */
  readonly missingModules?: readonly string[];
}

/** A message of the harness. */
export interface Response {
  readonly op?: string;
  readonly id?: number;
  readonly ok?: boolean;
  readonly value?: unknown;
  readonly lowPrecision?: boolean;
  readonly mutated?: boolean;
  /** Time spent inside the submission's function, measured in the child. */
  readonly computeMs?: number;
  readonly error?: { type: string; message: string; traceback?: string };
  readonly defined?: string[];
  readonly loadErrors?: LoadError[];
  readonly missingModules?: string[];
  /** Whether the harness's Python has numpy (the ready message). */
  readonly numpy?: boolean;
  /** The notebook cell an execution has started (a progress message, op PROGRESS). */
  readonly cell?: number;
}

/** Sent by execute.py as each notebook cell starts: the grader can tell which cell a stuck process is in. */
export const PROGRESS = 'progress';

/** The harness's first line, sent before any student code runs: the process started as it should. */
export const HELLO = 'hello';

/** Largest batch message, in bytes: more calls leave as further messages (the child reads a message whole). */
export const MAX_BATCH_BYTES = 1 << 20;

/**
 * How one call reaches the student's interface (see grader/bindings/): keyword arguments, conversions to the
 * handout's types, module globals set before and read after, the adapter's namespace instead of the student's.
 */
export interface CallShape {
  readonly scope?: 'adapter' | 'execution';
  /** Per positional argument: 'tuple', 'list', 'int', 'float', 'tensor', 'tensor32', 'array', 'ints', or null. */
  readonly convert?: readonly (string | null)[];
  readonly kwargs?: Readonly<Record<string, Value>>;
  readonly kwconvert?: Readonly<Record<string, string>>;
  readonly setGlobals?: Readonly<Record<string, Value>>;
  readonly globalsConvert?: Readonly<Record<string, string>>;
  /** Answer { result, globals: { name: value } } with these module globals as they are after the call. */
  readonly readGlobals?: readonly string[];
  /** The function updates its arguments in place by contract (no mutated_input failure). */
  readonly inPlace?: boolean;
  /** For a class: 'torch' (step() reads .grad) or 'numpy' (step(grads)); unset: read off step's signature. */
  readonly form?: 'torch' | 'numpy';
  /**
   * The integer arrays (class labels) where the binding put them: positions in the call as shaped, keyword and
   * global names. Unset: the catalog function's own positions (the call is not reordered).
   */
  readonly intArgs?: readonly number[];
  readonly intKwargs?: readonly string[];
  readonly intGlobals?: readonly string[];
}

/** A CallShape on the wire: values encoded like arguments, absent fields left out. */
export function wireShape(shape: CallShape): Record<string, unknown> {
  const { kwargs, setGlobals, ...rest } = shape;
  const encode = (r: Readonly<Record<string, Value>>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, encodeWire(v)]));
  return { ...rest, ...(kwargs ? { kwargs: encode(kwargs) } : {}), ...(setGlobals ? { setGlobals: encode(setGlobals) } : {}) };
}

/** A float64 array sent as base64 of its little-endian bytes, as nested arrays of `shape`. */
function decodeBinary(base64: string, shape: readonly unknown[]): Value {
  const bytes = Buffer.from(base64, 'base64');
  const dims = shape.map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  if (!dims.every((d) => Number.isInteger(d) && d >= 0) || bytes.length !== 8 * count) return '<unsupported value: a malformed binary array>';
  // Copied into an aligned buffer: a Buffer from the pool may start at any byte.
  const flat = new Float64Array(new Uint8Array(bytes).buffer);
  const nest = (offset: number, axis: number): Value => {
    const n = dims[axis]!;
    if (axis === dims.length - 1) return Array.from(flat.subarray(offset, offset + n));
    const stride = dims.slice(axis + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: n }, (_, i) => nest(offset + i * stride, axis + 1));
  };
  return dims.length === 0 ? flat[0]! : nest(0, 0);
}

/** Decodes the harness's tags ({"$float": "nan"}, {"$f64": base64, "shape"}, {"$unsupported": "..."}) into plain values. */
export function decodeWire(v: unknown): Value {
  if (Array.isArray(v)) return v.map(decodeWire);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (typeof o['$float'] === 'string') return o['$float'] === 'nan' ? NaN : o['$float'] === 'inf' ? Infinity : -Infinity;
    if (typeof o['$f64'] === 'string' && Array.isArray(o['shape'])) return decodeBinary(o['$f64'], o['shape']);
    if (typeof o['$unsupported'] === 'string') return `<unsupported value: ${o['$unsupported']}>`;
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, decodeWire(x)]));
  }
  return v as Value;
}

/** Encodes arguments for the wire: NaN and infinities as tags (JSON has no literal for them). */
export function encodeWire(v: Value): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return { $float: Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf' };
  if (Array.isArray(v)) return v.map((x) => encodeWire(x as Value));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encodeWire(x as Value)]));
  return v;
}


/**
 * Splits the response stream into lines. A line longer than `maxBytes` (or a partial one growing past it) calls
 * `tooLong` and stops the reading; so does `line` returning false (the channel can no longer be trusted).
 */
export function readLines(stream: NodeJS.ReadableStream, maxBytes: number, on: { readonly line: (line: string) => boolean; readonly tooLong: () => void }): void {
  let buffer = '';
  let stopped = false;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    if (stopped) return;
    buffer += chunk;
    // Only the new chunk can end a line: scanning the whole buffer per chunk is quadratic in a large answer.
    if (!chunk.includes('\n')) {
      if (buffer.length > maxBytes) on.tooLong();
      return;
    }
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.length > maxBytes) {
        on.tooLong();
        stopped = true;
        return;
      }
      if (!on.line(line)) {
        stopped = true;
        return;
      }
    }
  });
}
