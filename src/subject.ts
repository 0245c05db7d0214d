// A subject is the implementation under test. The reference (in this process) and a student's
// submission (in a child process, see grader/) both satisfy this interface, so each property is written
// once and graded on either.

import { type Call, CheckFailure, SubjectError, type Value } from './failure.ts';

export interface Subject {
  /** Shown in reports: "reference", "mistake:no-max-subtraction", "student:alice/hw1.py". */
  readonly label: string;
  /**
   * Calls a function by its catalog (Python) name. Resolves with what it returned; rejects with a
   * SubjectError when it is missing, raised, or broke a limit, and with a CheckFailure when it
   * modified its inputs.
   */
  call(fn: string, args: readonly Value[]): Promise<Value>;
  /**
   * Constructs an instance of a class by its catalog name (an optimizer over parameter arrays). The
   * first argument, when it is a list, is passed as a list of arrays (the parameters).
   */
  create(cls: string, args: readonly Value[]): Promise<Handle>;
  /** Calls a method of an instance, e.g. `step(grads)`. */
  invoke(handle: Handle, method: string, args: readonly Value[]): Promise<Value>;
  /**
   * The instance's constructor arguments as they are now: methods that update parameters in place (as
   * the catalog's optimizers do) show here.
   */
  inspect(handle: Handle): Promise<Value[]>;
}

/** An instance living in a subject. */
export interface Handle {
  readonly id: number;
  readonly cls: string;
}

/** snake_case -> camelCase: `softmax_jacobian` -> `softmaxJacobian`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Looks a catalog name up in a module's exports under its camelCase or its snake_case spelling. */
export function lookupExport(module: Readonly<Record<string, unknown>>, name: string): unknown {
  return module[camelCase(name)] ?? module[name];
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b as object);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * A subject over a JS module object in this process: the reference, a named-mistake variant, or a
 * trusted TS fixture. Arguments are passed as copies and compared afterwards, so an implementation
 * that modifies its inputs is caught (the catalog forbids it).
 */
export function moduleSubject(label: string, module: Readonly<Record<string, unknown>>): Subject {
  const instances = new Map<number, { object: Record<string, unknown>; args: Value[] }>();
  let nextHandle = 1;
  const raised = (what: string, error: unknown): SubjectError => {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new SubjectError('raised', `${what} raised ${message}`, error instanceof Error ? error.stack : undefined);
  };
  const instance = (handle: Handle) => {
    const found = instances.get(handle.id);
    if (!found) throw new SubjectError('crashed', `no instance ${handle.cls}#${handle.id} (the process was restarted)`);
    return found;
  };
  return {
    label,
    async call(fn: string, args: readonly Value[]): Promise<Value> {
      const impl = lookupExport(module, fn);
      if (typeof impl !== 'function') throw new SubjectError('missing', `${fn} is not defined`);
      const passed = structuredClone(args) as Value[];
      let result: unknown;
      try {
        result = await (impl as (...a: Value[]) => unknown)(...passed);
      } catch (error) {
        throw raised(fn, error);
      }
      if (!deepEqual(passed, args)) {
        const call: Call = { fn, args };
        throw new CheckFailure({
          code: 'mutated_input',
          message: `${fn} modified its arguments in place (the catalog says functions must not)`,
          call,
          expected: args as Value,
          received: passed,
        });
      }
      return result as Value;
    },
    async create(cls: string, args: readonly Value[]): Promise<Handle> {
      const ctor = module[cls] ?? lookupExport(module, cls);
      if (typeof ctor !== 'function') throw new SubjectError('missing', `class ${cls} is not defined`);
      const passed = structuredClone(args) as Value[];
      let object: Record<string, unknown>;
      try {
        object = new (ctor as new (...a: Value[]) => Record<string, unknown>)(...passed);
      } catch (error) {
        throw raised(cls, error);
      }
      const handle = { id: nextHandle++, cls };
      instances.set(handle.id, { object, args: passed });
      return handle;
    },
    async invoke(handle: Handle, method: string, args: readonly Value[]): Promise<Value> {
      const { object } = instance(handle);
      const fn = object[method] ?? object[camelCase(method)];
      if (typeof fn !== 'function') throw new SubjectError('missing', `${handle.cls}.${method} is not defined`);
      try {
        return (await (fn as (...a: Value[]) => unknown).apply(object, structuredClone(args) as Value[])) as Value;
      } catch (error) {
        throw raised(`${handle.cls}.${method}`, error);
      }
    },
    async inspect(handle: Handle): Promise<Value[]> {
      return structuredClone(instance(handle).args);
    },
  };
}
