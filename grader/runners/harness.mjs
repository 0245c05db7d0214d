// gradecheck's JS/TS harness: loads one student module and answers the grader's calls.
// Run as: node [--import tsx] harness.mjs SUBMISSION.(js|mjs|ts)
// Protocol (docs/protocol.md): JSON lines, requests on fd 3, responses on fd 4; the student's console
// output stays on fd 1 and 2, which the grader captures but never parses.

import fs from 'node:fs';
import { register } from 'node:module';
import net from 'node:net';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';

// A .ts submission is an ES module whatever the package.json above it says: outside a "type": "module"
// package (a student's folder, /autograder/submission) tsx would load it as CommonJS and its exports fail.
// This resolve hook, registered after tsx's, runs first and marks such files as modules.
register(
  `data:text/javascript,${encodeURIComponent(
    "export async function resolve(specifier, context, next) { const r = await next(specifier, context); return r.url.startsWith('file:') && /\\.ts$/.test(r.url) && !r.url.includes('/node_modules/') ? { ...r, format: 'module' } : r; }",
  )}`,
);

const REQUESTS_FD = 3;
const RESPONSES_FD = 4;

const send = (obj) => fs.writeSync(RESPONSES_FD, `${JSON.stringify(obj)}\n`);

const camelCase = (name) => name.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase());

const MAX_RESPONSE_BYTES = Number(process.env.GRADECHECK_MAX_RESPONSE_BYTES ?? 0);

/** An answer that cannot fit in a response (every number takes at least 2 bytes of JSON), refused early. */
class ResponseTooLarge extends Error {
  name = 'ResponseTooLarge';
}

function checkSize(n) {
  if (MAX_RESPONSE_BYTES > 0 && 2 * n > MAX_RESPONSE_BYTES) {
    throw new ResponseTooLarge(`the answer has ${n} entries, more than a ${MAX_RESPONSE_BYTES}-byte response can hold`);
  }
}

function encode(v, state) {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $float: 'nan' };
    if (!Number.isFinite(v)) return { $float: v > 0 ? 'inf' : '-inf' };
    return v;
  }
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Float32Array) state.lowPrecision = true;
  if (ArrayBuffer.isView(v) || Array.isArray(v)) checkSize(v.length);
  if (ArrayBuffer.isView(v)) return Array.from(v, (x) => encode(Number(x), state));
  if (Array.isArray(v)) return v.map((x) => encode(x, state));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x, state)]));
  }
  return { $unsupported: `${typeof v === 'object' ? v.constructor?.name ?? 'object' : typeof v}: ${String(v).slice(0, 200)}` };
}

function decode(v) {
  if (Array.isArray(v)) return v.map(decode);
  if (v && typeof v === 'object') {
    if ('$float' in v) return Number(v.$float.replace('inf', 'Infinity').replace('nan', 'NaN'));
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decode(x)]));
  }
  return v;
}

function describeError(error) {
  // An allocation the data-segment limit refused is the memory limit, as Python's MemoryError.
  if (error instanceof RangeError && /allocation failed/i.test(error.message)) return { type: 'MemoryError', message: error.message, traceback: String(error.stack ?? '').slice(-4000) };
  if (error instanceof Error) return { type: error.name, message: error.message.slice(0, 2000), traceback: String(error.stack ?? '').slice(-4000) };
  return { type: typeof error, message: String(error).slice(0, 2000) };
}

/** A seeded Math.random (mulberry32), so the same submission draws the same numbers on every run. */
function seedMathRandom(seed) {
  let a = seed >>> 0;
  Math.random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function main() {
  const path = process.argv[2];
  send({ op: 'hello' }); // before any student code runs: the process started as it should
  seedMathRandom(Number(process.env.GRADECHECK_SEED ?? 0));
  let module = {};
  const loadErrors = [];
  try {
    module = await import(pathToFileURL(path).href);
  } catch (error) {
    const e = describeError(error);
    loadErrors.push({ kind: error instanceof SyntaxError ? 'syntax' : 'import', message: `${e.type}: ${e.message}`, traceback: e.traceback ?? '' });
  }
  const defined = Object.keys(module).filter((k) => typeof module[k] === 'function').sort();
  send({ op: 'ready', defined, loadErrors });

  let buffer = '';
  // A socket, not an fs stream: a blocking fs read of a pipe would keep a libuv thread busy and make
  // process.exit in student code hang instead of exiting.
  const input = new net.Socket({ fd: REQUESTS_FD, readable: true, writable: false });
  input.setEncoding('utf8');
  for await (const chunk of input) {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!line.trim()) continue;
      const request = JSON.parse(line);
      // A batch: the calls one after the other, each answered as it finishes (the grader times each).
      for (const one of request.op === 'batch' ? request.requests : [request]) await handle(one, module);
    }
  }
}

const instances = new Map();
let nextHandle = 1;

async function handle(request, module) {
  const { id, op = 'call' } = request;
  const args = decode(request.args ?? []);
  if (op === 'inspect') {
    const entry = instances.get(request.handle);
    if (!entry) return send({ id, ok: false, error: { type: 'harness', message: 'unknown instance' } });
    return respond(id, entry.args, undefined, undefined);
  }
  let target;
  let self;
  let name;
  if (op === 'call' || op === 'new') {
    name = op === 'call' ? request.fn : request.cls;
    target = module[name] ?? module[camelCase(name)];
  } else if (op === 'invoke') {
    const entry = instances.get(request.handle);
    if (!entry) return send({ id, ok: false, error: { type: 'harness', message: 'unknown instance' } });
    name = request.method;
    self = entry.object;
    target = self[name] ?? self[camelCase(name)];
  } else {
    return send({ id, ok: false, error: { type: 'harness', message: `unknown op ${op}` } });
  }
  if (typeof target !== 'function') return send({ id, ok: false, error: { type: 'missing', message: `${name} is not defined` } });
  const before = op === 'call' ? structuredClone(args) : undefined;
  let result;
  let computeMs = 0;
  try {
    if (op === 'new') {
      const object = new target(...args);
      instances.set(nextHandle, { object, args });
      return send({ id, ok: true, value: nextHandle++ });
    }
    const started = performance.now();
    result = await target.apply(self, args);
    computeMs = performance.now() - started;
  } catch (error) {
    return send({ id, ok: false, error: describeError(error) });
  }
  respond(id, result, before, args, computeMs);
}

function respond(id, result, before, args, computeMs = 0) {
  const state = { lowPrecision: false };
  try {
    const mutated = before !== undefined && !isDeepStrictEqual(before, args);
    send({ id, ok: true, value: encode(result, state), lowPrecision: state.lowPrecision, mutated, computeMs });
  } catch (error) {
    if (error instanceof ResponseTooLarge) return send({ id, ok: false, error: { type: error.name, message: error.message } });
    send({ id, ok: false, error: { type: 'harness', message: `cannot encode the result: ${describeError(error).message}` } });
  }
}

main().catch((error) => {
  process.stderr.write(`harness: ${error?.stack ?? error}\n`);
  process.exit(70);
});
