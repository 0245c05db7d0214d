// What the kinds of execute: check share: an aspect (one judged part of a check, with its failure), where a name
// comes from in the notebook, what went wrong with the cells, and layer patterns.

import type { FailureCode, FailureData } from '../../src/failure.ts';
import type { MistakeMatch } from '../../src/runner.ts';
import type { CellReport, Described, NotebookCellSource } from './run.ts';
import { ANY_MODULE_CLASS, type ModelCheck } from './schema.ts';

/** One judged aspect of a check: passed, or why not. */
export interface Aspect {
  readonly id: string;
  readonly title: string;
  readonly failure?: FailureData;
  /** The named mistakes that explain the failure, where the check can name them. */
  readonly diagnosis?: readonly MistakeMatch[];
  /** Not judged: a self-check without the reference could not (src/unjudged.ts). */
  readonly unjudged?: true;
}

/** A value's numbers in order, nesting flattened; undefined when it holds anything but numbers. */
export function flatNumbers(v: unknown): number[] | undefined {
  if (typeof v === 'number') return [v];
  if (Array.isArray(v)) {
    const parts = v.map(flatNumbers);
    return parts.every((p) => p !== undefined) ? parts.flat() : undefined;
  }
  return undefined;
}

/**
 * The numbers a described value holds: an array's or a scalar's, or a list's of arrays in order (a pair of 0-d
 * tensors, `(grads[:, 0].mean(), grads[:, 1].mean())`); undefined for anything else.
 */
export function describedNumbers(found: Described): number[] | undefined {
  if (found.kind === 'array' || found.kind === 'scalar') return flatNumbers(found.value);
  if (found.kind !== 'list') return undefined;
  const parts = found.items.map((item) => flatNumbers(item.value));
  return parts.every((p) => p !== undefined) ? parts.flat() : undefined;
}

/** A number a pattern's one group captured: as printed, and its value (NaN for a printed nan). */
export interface Captured {
  readonly text: string;
  readonly value: number;
}

/** Every number `pattern` (one group capturing it) captures in `text`, in order. */
export function captured(pattern: string, text: string | undefined): Captured[] {
  if (text === undefined) return [];
  return [...text.matchAll(new RegExp(pattern, 'gm'))].flatMap((m) => {
    const value = Number(m[1]);
    return m[1] === undefined || m[1] === '' || (Number.isNaN(value) && !/nan/i.test(m[1])) ? [] : [{ text: m[1], value }];
  });
}

export const fail = (code: FailureCode, message: string, extra: Partial<FailureData> = {}): FailureData => ({ code, message, ...extra });

/** What became of a cell, in words: "ran", "raised KeyError: 'x'", "timed out (stopped after 20.0 s)", "was not run (...)". */
export function cellOutcome(c: CellReport): string {
  const reason = c.reason ? ` (${c.reason})` : '';
  if (c.status === 'ran') return 'ran';
  if (c.status === 'raised') return `raised ${c.error?.type}: ${c.error?.message}`;
  return `${c.status === 'timed out' ? 'timed out' : `was ${c.status}`}${reason}`;
}

/** Where the execution went wrong, in words: the cells that raised, timed out or were not run. */
export function troubleSentence(cells: readonly CellReport[]): string {
  const failed = cells.filter((c) => c.status === 'raised' || c.status === 'timed out').map((c) => `cell ${c.cell} ${cellOutcome(c)}`);
  const notRun = cells.filter((c) => c.status === 'not run');
  if (notRun.length > 0) failed.push(`${notRun.length === 1 ? 'cell' : 'cells'} ${notRun.map((c) => c.cell).join(', ')} ${notRun.length === 1 ? 'was' : 'were'} not run (${notRun[0]!.reason})`);
  return failed.join('; ');
}

/** The cells whose source binds `name` at top level (name = ..., name, other = ..., class name, def name). */
export function assigningCells(name: string, sources: readonly NotebookCellSource[]): number[] {
  const assign = new RegExp(`^[ \\t]*(?:[\\w.]+\\s*,\\s*)*${name}\\s*(?:,\\s*[\\w.]+\\s*)*(?::[^=\\n]*)?=(?!=)|^(?:class|def)\\s+${name}\\b`, 'm');
  return sources.filter((s) => assign.test(s.source)).map((s) => s.cell);
}

/** The first cell whose code matches `pattern` (a regular expression): where a check finds its task's code. */
export function firstCellMatching(pattern: string, sources: readonly NotebookCellSource[]): number | undefined {
  const code = new RegExp(pattern);
  return sources.find((s) => code.test(s.source))?.cell;
}

/** Why a task's cell was not found, for a message: the pattern is what finds it (a template comment, a call). */
export const noCellMatching = (pattern: string) => `no cell's code matches /${pattern}/, which finds this task's cell`;

/** The torch module classes the notebook defines at top level (`class MLP_Layer(nn.Module):`), in order. */
export function moduleClasses(sources: readonly NotebookCellSource[]): { readonly name: string; readonly cell: number }[] {
  const definition = /^class\s+([A-Za-z_]\w*)\s*\(([^)]*)\)\s*:/gm;
  return sources.flatMap((s) => [...s.source.matchAll(definition)].filter((m) => /\b(?:Module|Sequential)\b/.test(m[2]!)).map((m) => ({ name: m[1]!, cell: s.cell })));
}

/** A model check with `model: any nn.Module class` made to name the class the notebook defines (the last of them). */
export function resolveModelClass(check: ModelCheck, sources: readonly NotebookCellSource[]): ModelCheck {
  if (check.model !== ANY_MODULE_CLASS) return check;
  const defined = moduleClasses(sources).at(-1);
  return defined === undefined ? check : { ...check, model: defined.name };
}

/** Where a name comes from: "defined in cell 5, which raised AttributeError: ...". */
export function cellPhrase(cells: readonly number[], report: readonly CellReport[]): string {
  if (cells.length === 0) return 'no cell assigns it';
  const one = (n: number) => {
    const c = report.find((r) => r.cell === n);
    return c === undefined ? `cell ${n}` : `cell ${n}, which ${cellOutcome(c)}`;
  };
  return `defined in ${cells.map(one).join('; ')}`;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** What `...` stands for where it lies in a list of layers: any layers, or none (with the commas they need). */
const ELLIPSES: readonly (readonly [string, string, string])[] = [
  [',...,', '\u0001', ',(?:.*,)?'],
  ['[...,', '\u0002', '\\[(?:.*,)?'],
  [',...]', '\u0003', '(?:,.*)?\\]'],
  ['...', '\u0004', '.*'],
];

/** A layer pattern as a regular expression: whitespace ignored, `*` any size, `...` any layers (or none). */
export function layerPattern(pattern: string): RegExp {
  let text = pattern.replace(/\s+/g, '');
  for (const [ellipsis, mark] of ELLIPSES) text = text.split(ellipsis).join(mark);
  let regex = text.split('*').map(escape).join('\\d+');
  for (const [, mark, meaning] of ELLIPSES) regex = regex.split(mark).join(meaning);
  return new RegExp(`^${regex}$`);
}
