// A student's process seen through a problem's binding: the suites call catalog names with catalog arguments,
// and each call reaches the handout's interface (its name, its parameter order, keyword arguments, tuples and
// tensors, module globals, the torch or numpy optimizer form, or the staff's adapter). The check is the same
// for the reference and for the student; only the call is adapted.

import { SubjectError, type Value } from '../../src/failure.ts';
import type { Handle, Subject } from '../../src/subject.ts';
import type { CallShape } from '../protocol.ts';
import type { Language } from '../submission.ts';
import { type ArgSpec, type ClassBinding, type FunctionBinding, type ProblemBinding, catalogCallables } from './schema.ts';
import type { Problem } from '../../src/problem.ts';

/** What a bound subject needs of the process it talks to. */
export interface ShapedCalls extends Subject {
  readonly language: Language;
  callShaped(fn: string, args: readonly Value[], shape: CallShape, catalogName?: string): Promise<Value>;
  createShaped(cls: string, args: readonly Value[], shape: CallShape): Promise<Handle>;
}

const spec = (a: ArgSpec) => (typeof a === 'string' ? { from: a } : a);

/** The call the handout's interface takes, built from a catalog call. */
function shapeCall(
  catalogName: string,
  params: readonly string[],
  args: readonly Value[],
  entry: FunctionBinding | ClassBinding,
  language: Language,
  intParams: readonly number[] = [],
): { positional: Value[]; shape: CallShape } {
  // Integer arrays (class labels) follow their argument wherever the binding puts it.
  const isInt = (name: string) => intParams.includes(params.indexOf(name));
  const intArgs: number[] = [];
  const intKwargs: string[] = [];
  const intGlobals: string[] = [];
  const valueOf = (name: string): { present: boolean; value?: Value } => {
    const i = params.indexOf(name);
    return i >= 0 && i < args.length ? { present: true, value: args[i]! } : { present: false };
  };
  const specs = (entry.args ?? params.slice(0, args.length)).map(spec);
  const positional: Value[] = [];
  const convert: (string | null)[] = [];
  const kwargs: Record<string, Value> = {};
  const kwconvert: Record<string, string> = {};
  for (const s of specs) {
    const { present, value } = valueOf(s.from);
    if (!present) continue; // a defaulted catalog parameter the suite did not pass: the handout's default applies
    // Node has no keyword arguments: a keyword parameter is passed in its place in the list.
    if (s.keyword && language === 'python') {
      kwargs[s.keyword] = value!;
      if (s.as) kwconvert[s.keyword] = s.as;
      if (isInt(s.from)) intKwargs.push(s.keyword);
    } else {
      if (isInt(s.from)) intArgs.push(positional.length);
      positional.push(value!);
      convert.push(s.as ?? null);
    }
  }
  const shape: CallShape = {
    intArgs,
    ...(intKwargs.length ? { intKwargs } : {}),
    ...(entry.adapter ? { scope: 'adapter' as const } : {}),
    ...(convert.some((c) => c !== null) ? { convert } : {}),
    ...(Object.keys(kwargs).length ? { kwargs, ...(Object.keys(kwconvert).length ? { kwconvert } : {}) } : {}),
  };
  if ('globals' in entry && entry.globals) {
    const setGlobals: Record<string, Value> = {};
    const globalsConvert: Record<string, string> = {};
    for (const [name, a] of Object.entries(entry.globals)) {
      const s = spec(a);
      const { present, value } = valueOf(s.from);
      if (!present) throw new SubjectError('missing', `${catalogName}: the global ${name} takes ${s.from}, which this call does not pass`);
      setGlobals[name] = value!;
      if (s.as) globalsConvert[name] = s.as;
      if (isInt(s.from)) intGlobals.push(name);
    }
    Object.assign(shape, { setGlobals, ...(Object.keys(globalsConvert).length ? { globalsConvert } : {}), ...(intGlobals.length ? { intGlobals } : {}) });
    const read = entry.returns === 'globals' ? Object.keys(entry.globals) : Array.isArray(entry.returns) ? entry.returns : [];
    if (read.length) Object.assign(shape, { readGlobals: read, inPlace: true });
  }
  return { positional, shape };
}

/**
 * A call the student's signature refused (a TypeError about its arguments) says what was called and what the
 * handout asks for, so the student sees the mismatch rather than a bare traceback.
 */
async function explainingSignature<T>(name: string, specs: readonly ArgSpec[], call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof SubjectError && error.code === 'raised' && /TypeError: .*(argument|positional)/.test(error.message)) {
      const asked = specs.map((a) => (typeof a === 'string' ? a : a.keyword ? `${a.keyword}=${a.from}` : a.from)).join(', ');
      throw new SubjectError('raised', `${error.message} (the grader called ${name}(${asked}), as the handout asks)`, error.details);
    }
    throw error;
  }
}

/** `subject` as the problem's binding presents it to the problem's suites. */
export function boundSubject(subject: ShapedCalls, problem: Problem, binding: ProblemBinding | undefined): Subject {
  if (!binding || Object.keys(binding).length === 0) return subject;
  const callables = catalogCallables(problem);
  const entryOf = (name: string): FunctionBinding | ClassBinding | undefined => {
    const e = binding[name];
    return typeof e === 'string' ? { function: e, returns: 'result' } : e;
  };
  return {
    label: subject.label,
    async call(fn, args) {
      const entry = entryOf(fn);
      if (!entry) return subject.call(fn, args);
      const { positional, shape } = shapeCall(fn, callables.get(fn)?.params ?? [], args, entry, subject.language, problem.intArgs?.[fn]);
      const name = entry.adapter ?? ('function' in entry ? entry.function : undefined) ?? fn;
      const params = callables.get(fn)?.params ?? [];
      const answer = await explainingSignature(name, entry.args ?? params.slice(0, args.length), () => subject.callShaped(name, positional, shape, fn));
      if (shape.readGlobals) {
        const globals = (answer as { globals?: Record<string, Value> } | null)?.globals ?? {};
        return shape.readGlobals.map((g) => globals[g] ?? null);
      }
      return answer;
    },
    async create(cls, args) {
      const entry = entryOf(cls);
      if (!entry) return subject.create(cls, args);
      const { positional, shape } = shapeCall(cls, callables.get(cls)?.params ?? [], args, entry, subject.language, problem.intArgs?.[cls]);
      const name = entry.adapter ?? ('class' in entry ? entry.class : undefined) ?? ('function' in entry ? entry.function : undefined) ?? cls;
      const form = 'optimizer' in entry ? entry.optimizer : undefined;
      return subject.createShaped(name, positional, { ...shape, ...(form ? { form } : {}) });
    },
    invoke: (handle, method, args) => subject.invoke(handle, method, args),
    inspect: (handle) => subject.inspect(handle),
  };
}
