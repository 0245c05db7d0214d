// An assignment's bindings checked before any student is graded: every bound name is one the problem's suites
// call, every argument comes from a parameter the catalog passes, and the adapter exists, parses and defines
// what the bindings take from it. A mistake here is the assignment's (exit 2 with file, line and field), never
// a student's 0.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Problem } from '../../src/problem.ts';
import { pythonExecutable } from '../python.ts';
import { type ArgSpec, type ProblemBinding, catalogCallables } from './schema.ts';

export interface BindingIssue {
  readonly path: (string | number)[];
  readonly message: string;
  /** For an issue inside the adapter file: its path and line. */
  readonly file?: string;
  readonly line?: number;
}

const fromOf = (a: ArgSpec) => (typeof a === 'string' ? a : a.from);

/** What is wrong with a problem's `bind:` (paths relative to it). */
export function bindingIssues(problem: Problem, binding: ProblemBinding | undefined, hasAdapter: boolean): BindingIssue[] {
  if (!binding) return [];
  const callables = catalogCallables(problem);
  const issues: BindingIssue[] = [];
  for (const [name, entry] of Object.entries(binding)) {
    const callable = callables.get(name);
    if (!callable) {
      issues.push({ path: [name], message: `${problem.id}'s suites call no "${name}"; they call ${[...callables.keys()].join(', ')}` });
      continue;
    }
    if (typeof entry === 'string') continue;
    if (entry.adapter !== undefined && !hasAdapter) issues.push({ path: [name, 'adapter'], message: 'the assignment has no adapter: file (add `adapter: FILE.py` at the top level)' });
    if ('optimizer' in entry && entry.optimizer !== undefined && !callable.isClass) issues.push({ path: [name, 'optimizer'], message: `${name} is a function, not an optimizer class` });
    if ('globals' in entry && entry.globals && callable.isClass) issues.push({ path: [name, 'globals'], message: `${name} is a class: globals bind functions only` });
    if ('returns' in entry && Array.isArray(entry.returns)) {
      const globals = Object.keys(('globals' in entry && entry.globals) || {});
      for (const g of entry.returns) if (!globals.includes(g)) issues.push({ path: [name, 'returns'], message: `${name} returns the global "${g}", which its globals: do not set; they set ${globals.join(', ') || 'none'}` });
    }
    const args = [...(entry.args ?? []).map((a, i) => [['args', i], a] as const), ...Object.entries(('globals' in entry && entry.globals) || {}).map(([g, a]) => [['globals', g], a] as const)];
    for (const [where, a] of args) {
      if (!callable.params.includes(fromOf(a))) {
        issues.push({ path: [name, ...where], message: `${name} has no parameter "${fromOf(a)}" in the catalog; its parameters: ${callable.params.join(', ')}` });
      }
    }
  }
  return issues;
}

/** The adapter's problems: missing, not Python, or not defining a name a binding takes from it. */
export function adapterIssues(assignment: {
  readonly file: string;
  readonly adapter?: string | undefined;
  readonly problems: readonly { readonly bind?: ProblemBinding | undefined }[];
}): BindingIssue[] {
  if (assignment.adapter === undefined) return [];
  if (path.isAbsolute(assignment.adapter) || path.normalize(assignment.adapter).startsWith('..')) {
    return [{ path: ['adapter'], message: 'the adapter must lie in the assignment\'s folder (a relative path without ..): it travels with the assignment into bundles and workflows' }];
  }
  const file = path.resolve(path.dirname(assignment.file), assignment.adapter);
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    return [{ path: ['adapter'], message: `cannot read the adapter ${file}: ${(error as Error).message}` }];
  }
  const syntax = spawnSync(pythonExecutable(), ['-c', 'import ast, sys\ntry:\n    ast.parse(open(sys.argv[1]).read(), sys.argv[1])\nexcept SyntaxError as e:\n    print(e.lineno or 1, e.msg)\n    sys.exit(1)', file], { encoding: 'utf8', timeout: 20_000 });
  if (syntax.status === 1) {
    const [line, ...message] = syntax.stdout.trim().split(' ');
    return [{ path: ['adapter'], file, line: Number(line) || 1, message: `the adapter is not valid Python: ${message.join(' ')}` }];
  }
  const issues: BindingIssue[] = [];
  assignment.problems.forEach((p, i) => {
    for (const [name, entry] of Object.entries(p.bind ?? {})) {
      if (typeof entry === 'string' || entry.adapter === undefined) continue;
      if (!new RegExp(`^(def|class)\\s+${entry.adapter}\\b`, 'm').test(source)) {
        issues.push({ path: ['problems', i, 'bind', name, 'adapter'], message: `the adapter ${assignment.adapter} defines no function or class ${entry.adapter}` });
      }
    }
  });
  return issues;
}
