// From what a student typed to a checked math.js expression tree: the right-hand side of an equation,
// LaTeX translated, declared aliases substituted, names resolved against the declared variables (`beta_1`
// is `beta1`, `yy` is `y y`), parsed by math.js, and every symbol and function checked. Errors are data.

import type { MathNode } from 'mathjs';
import { LatexError, translate } from './latex.ts';
import { mathjs } from './math.ts';
import type { VariableSpec } from './variables.ts';

export type FormError =
  | { readonly kind: 'empty' }
  | { readonly kind: 'unparseable'; readonly message: string; readonly text: string }
  | { readonly kind: 'unknown_variable'; readonly name: string; readonly known: readonly string[] }
  | { readonly kind: 'unknown_function'; readonly name: string; readonly known: readonly string[] }
  | { readonly kind: 'unsupported'; readonly construct: string };

export type ParsedForm =
  | { readonly ok: true; readonly node: MathNode; /** The math.js text that was parsed. */ readonly text: string }
  | { readonly ok: false; readonly error: FormError };

/** Functions an answer may call (math.js builtins and the ones `math.ts` adds). */
export const FUNCTIONS = [
  'sqrt', 'nthRoot', 'exp', 'log', 'abs', 'sign', 'max', 'min', 'sum', 'norm', 'transpose', 'diag', 'step', 'heaviside',
  'relu', 'sigmoid', 'sin', 'cos', 'tanh', 'trace', 'inv', 'det',
] as const;

/** Names that are not variables: math.js constants. */
const CONSTANTS = ['pi', 'e', 'Infinity'] as const;

export interface FormContext {
  readonly variables: readonly VariableSpec[];
  /** Question-specific function names: `sigma: step` when the homework writes the step activation as sigma(u). */
  readonly functions?: Readonly<Record<string, string>>;
}

/** A name's key for matching: `beta_1`, `beta1` and `beta_{1}` are one name. */
const key = (name: string) => name.replace(/_/g, '');

/** The part after the last top-level `=` (not `==`, `<=`, `>=`, `!=`): `\sigma^2 = \frac{1}{n}` -> `\frac{1}{n}`. */
export function rightHandSide(text: string): string {
  let depth = 0;
  let cut = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '=' && depth === 0 && !'<>!='.includes(text[i - 1] ?? '') && text[i + 1] !== '=') cut = i;
  }
  return cut < 0 ? text : text.slice(cut + 1);
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern that matches `text` with any spacing between its characters. */
const spaced = (text: string) => {
  const chars = [...text.replace(/\s+/g, '')];
  // An alias that starts or ends like a name matches whole names only: `n_in` is not inside `fan_in`.
  const before = /^[A-Za-z0-9_]/.test(chars[0] ?? '') ? '(?<![A-Za-z0-9_])' : '';
  const after = /[A-Za-z0-9_]$/.test(chars[chars.length - 1] ?? '') ? '(?![A-Za-z0-9_])' : '';
  return new RegExp(`${before}${chars.map(escapeRegex).join('\\s*')}${after}`, 'g');
};

function translatesTo(alias: string): string | undefined {
  try {
    return translate(alias).replace(/\s+/g, '');
  } catch {
    return undefined;
  }
}

/**
 * Replaces each declared alias by its variable's name: once in the text as typed (an alias may use LaTeX
 * beyond the supported subset, `\nabla \mathcal{L}(\theta)`), once after translation (any LaTeX spelling
 * of the same alias). Longest first, so `E[x_l^2]` goes before `x_l`.
 */
function substituteAliases(text: string, variables: readonly VariableSpec[], stage: 'raw' | 'translated'): string {
  const aliases = variables
    .flatMap((v) => v.aliases.map((a) => ({ name: v.name, pattern: stage === 'raw' ? a.replace(/\s+/g, '') : translatesTo(a) })))
    .filter((a): a is { name: string; pattern: string } => a.pattern !== undefined && a.pattern !== '')
    .sort((a, b) => b.pattern.length - a.pattern.length);
  let out = text;
  for (const a of aliases) out = out.replace(spaced(a.pattern), ` ${a.name} `);
  return out;
}

/** `yy` -> [`y`, `y`] when it is a product of declared names; the fewest pieces win. */
function segment(token: string, names: ReadonlyMap<string, string>): string[] | undefined {
  const best: (string[] | undefined)[] = [[]];
  for (let end = 1; end <= token.length; end++) {
    for (let start = 0; start < end; start++) {
      const head = best[start];
      const name = names.get(key(token.slice(start, end)));
      if (head && name !== undefined && (!best[end] || best[end]!.length > head.length + 1)) best[end] = [...head, name];
    }
  }
  const found = best[token.length];
  return found && found.length > 1 ? found : undefined;
}

/** Resolves identifiers in math.js text: declared names by key, function aliases, products of names. */
function resolveNames(text: string, context: FormContext): string {
  const names = new Map(context.variables.map((v) => [key(v.name), v.name]));
  const functions = context.functions ?? {};
  return text.replace(/(?<![A-Za-z0-9_.])[A-Za-z][A-Za-z0-9_]*/g, (token, offset: number) => {
    const isCall = /^\s*\(/.test(text.slice(offset + token.length));
    if (isCall) {
      if (functions[token] !== undefined) return functions[token]!;
      if ((FUNCTIONS as readonly string[]).includes(token)) return token;
    }
    // A variable before "(" multiplies: `x (A x + b)`, `\alpha \frac{g}{...}`; math.js would call it.
    const times = isCall ? ' *' : '';
    if (context.variables.some((v) => v.name === token)) return `${token}${times}`;
    const byKey = names.get(key(token));
    if (byKey !== undefined) return `${byKey}${times}`;
    if ((CONSTANTS as readonly string[]).includes(token)) return `${token}${times}`;
    if ((FUNCTIONS as readonly string[]).includes(token)) return token;
    const pieces = segment(token, names);
    return pieces ? ` ${pieces.join(' ')}${times} ` : token;
  });
}

const ALLOWED_NODES = new Set(['ConstantNode', 'SymbolNode', 'OperatorNode', 'ParenthesisNode', 'FunctionNode', 'ConditionalNode', 'RelationalNode']);

function describeNode(node: MathNode): string {
  switch (node.type) {
    case 'IndexNode':
    case 'AccessorNode':
      return `indexing with [...] ("${node.toString()}"): brackets are not part of an answer; write the declared quantity or use (...)`;
    case 'AssignmentNode':
    case 'FunctionAssignmentNode':
      return `an assignment ("${node.toString()}"): write only the expression`;
    case 'BlockNode':
      return 'several expressions (separated by ";" or a line break): write one expression';
    case 'ArrayNode':
      return `a literal array ("${node.toString()}"): write the answer with the declared vectors and matrices`;
    default:
      return `${node.type} ("${node.toString()}")`;
  }
}

/** Parses and checks an answer or an expected form. Never throws. */
export function parseForm(input: string, context: FormContext): ParsedForm {
  const raw = input.trim();
  if (raw === '') return { ok: false, error: { kind: 'empty' } };
  let text: string;
  try {
    const typed = substituteAliases(rightHandSide(raw), context.variables, 'raw');
    text = resolveNames(substituteAliases(translate(typed), context.variables, 'translated'), context).replace(/\s+/g, ' ').replace(/ '/g, "'").trim();
  } catch (error) {
    if (error instanceof LatexError) return { ok: false, error: { kind: 'unparseable', message: error.message, text: raw } };
    throw error;
  }
  if (text === '') return { ok: false, error: { kind: 'empty' } };
  let node: MathNode;
  try {
    node = mathjs().parse(text);
  } catch (error) {
    return { ok: false, error: { kind: 'unparseable', message: (error as Error).message, text } };
  }
  const known = context.variables.map((v) => v.name);
  let error: FormError | undefined;
  node.traverse((n, path, parent) => {
    if (error) return;
    if (!ALLOWED_NODES.has(n.type)) {
      error = { kind: 'unsupported', construct: describeNode(n) };
      return;
    }
    if (n.type === 'FunctionNode') {
      const fn = (n as MathNode & { fn: MathNode }).fn;
      const name = fn.type === 'SymbolNode' ? (fn as MathNode & { name: string }).name : undefined;
      if (name === undefined || !(FUNCTIONS as readonly string[]).includes(name)) error = { kind: 'unknown_function', name: name ?? fn.toString(), known: FUNCTIONS };
      return;
    }
    if (n.type === 'SymbolNode' && !(parent?.type === 'FunctionNode' && path === 'fn')) {
      const name = (n as MathNode & { name: string }).name;
      if (!known.includes(name) && !(CONSTANTS as readonly string[]).includes(name)) error = { kind: 'unknown_variable', name, known };
    }
  });
  return error ? { ok: false, error } : { ok: true, node, text };
}
