// A student's answers.yaml: question id -> expression (math.js or LaTeX). Where it comes from (--answers,
// or answers.yaml inside a submission folder) and how it is read. Never throws: an unreadable file is data.

import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Scalar } from 'yaml';

export const ANSWER_FILE_NAMES = ['answers.yaml', 'answers.yml'] as const;

export type Answers =
  | { readonly kind: 'none' }
  | { readonly kind: 'unreadable'; readonly file: string; readonly message: string }
  | { readonly kind: 'answers'; readonly file: string; readonly answers: Readonly<Record<string, string>>; readonly unknown: readonly string[] };

/** answers.yaml (or .yml) inside a folder, if there is one. */
export function answersIn(dir: string): string | undefined {
  return ANSWER_FILE_NAMES.map((n) => path.join(dir, n)).find((f) => existsSync(f) && statSync(f).isFile());
}

export function isAnswersFile(file: string): boolean {
  return /\.ya?ml$/i.test(file);
}

/**
 * A double-quoted YAML string turns `\frac` into a form feed and `\tau` into a tab. Students write LaTeX
 * in double quotes anyway, so such a string is read as written unless it escapes its backslashes (`\\frac`).
 */
function scalarText(node: Scalar, source: string): string {
  const value = String(node.value);
  if (node.type !== 'QUOTE_DOUBLE' || !node.range) return value;
  const raw = source.slice(node.range[0] + 1, node.range[1] - 1);
  if (!raw.includes('\\') || /\\\\[A-Za-z]/.test(raw)) return value;
  return raw.replace(/\\"/g, '"');
}

export function parseAnswers(text: string, file: string, questionIds: readonly string[]): Answers {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    return { kind: 'unreadable', file, message: `line ${lineCounter.linePos(e.pos[0]).line}: YAML syntax: ${e.message.split('\n')[0]} (put LaTeX in single quotes: 'x: \\frac{1}{n}')` };
  }
  const contents = doc.contents;
  if (contents === null) return { kind: 'answers', file, answers: {}, unknown: [] };
  if (!isMap(contents)) {
    return { kind: 'unreadable', file, message: 'expected a mapping from question id to expression (`softmax-jacobian: (diag(y) - y*y\')/tau`)' };
  }
  const answers: Record<string, string> = {};
  for (const pair of contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    if (isScalar(pair.value) && pair.value.value !== null) answers[key] = scalarText(pair.value, text);
    else if (pair.value !== null && pair.value !== undefined && !isScalar(pair.value)) {
      const line = lineCounter.linePos(pair.value.range?.[0] ?? 0).line;
      return { kind: 'unreadable', file, message: `line ${line}: the answer to "${key}" is not a single expression (write it on one line, or as a quoted string)` };
    }
  }
  return { kind: 'answers', file, answers, unknown: Object.keys(answers).filter((k) => !questionIds.includes(k)) };
}

export function loadAnswers(file: string | undefined, questionIds: readonly string[]): Answers {
  if (file === undefined) return { kind: 'none' };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { kind: 'unreadable', file, message: `cannot read the answers: ${(error as Error).message}` };
  }
  return parseAnswers(text, file, questionIds);
}
