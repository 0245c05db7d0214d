// The LaTeX that students write for a closed form, translated to math.js syntax. Text in math.js syntax
// passes through unchanged, so every answer goes through here. Knows no problem and no variable.
//
// The subset: \frac \dfrac \tfrac, \sqrt and \sqrt[n], ^{...}, _{...}, \cdot \times, transposes
// (^\top ^T ^{T} ^\intercal), Greek letters, \mathrm \text \operatorname \mathbf \boldsymbol \mathbb,
// \left \right and spacing, |x| and \lvert x \rvert, \|x\|, \exp \log \ln \max \min, comparisons
// (\le \leq \ge \geq \lt \gt \neq), \begin{cases} ... \end{cases}, \boxed{...}, $...$.

/** A translation failure: a LaTeX construct that is malformed (unbalanced braces, \frac without two groups). */
export class LatexError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LatexError';
  }
}

const GREEK = [
  'alpha', 'beta', 'gamma', 'delta', 'epsilon', 'varepsilon', 'zeta', 'eta', 'theta', 'vartheta', 'iota', 'kappa',
  'lambda', 'mu', 'nu', 'xi', 'pi', 'rho', 'sigma', 'tau', 'upsilon', 'phi', 'varphi', 'chi', 'psi', 'omega',
  'Gamma', 'Delta', 'Theta', 'Lambda', 'Xi', 'Pi', 'Sigma', 'Phi', 'Psi', 'Omega',
] as const;

/** Commands whose braced argument is kept as plain text (`\mathrm{diag}` -> `diag`). */
const TEXT_COMMANDS = ['mathrm', 'text', 'textrm', 'operatorname', 'mathbf', 'boldsymbol', 'mathit', 'mathsf', 'mathbb', 'mathcal', 'bm', 'boxed'] as const;

/** Commands that are operators or functions in math.js. */
const SIMPLE: Readonly<Record<string, string>> = {
  cdot: '*', times: '*', ast: '*', div: '/', odot: '.*',
  le: '<=', leq: '<=', leqslant: '<=', ge: '>=', geq: '>=', geqslant: '>=', lt: '<', gt: '>', neq: '!=', ne: '!=',
  exp: 'exp', log: 'log', ln: 'log', max: 'max', min: 'min', sin: 'sin', cos: 'cos', tanh: 'tanh', sign: 'sign', sgn: 'sign', diag: 'diag',
  top: "'", intercal: "'", infty: 'Infinity',
};

/** Spacing and sizing commands, dropped. */
const DROPPED = ['left', 'right', 'big', 'Big', 'bigg', 'Bigg', 'bigl', 'bigr', 'Bigl', 'Bigr', 'displaystyle', 'quad', 'qquad', 'limits', 'nolimits'];

/** The index just past the group that opens at `open` (a `{`), or an error when it never closes. */
function closingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i + 1;
  }
  throw new LatexError(`unbalanced braces: the "{" at character ${open + 1} is never closed`);
}

/** A command argument at `i` (after spaces): a braced group, or a single character or \command. */
function argumentAt(text: string, i: number): { body: string; end: number } {
  let j = i;
  while (text[j] === ' ') j++;
  if (text[j] === '{') {
    const end = closingBrace(text, j);
    return { body: text.slice(j + 1, end - 1), end };
  }
  if (text[j] === '\\') {
    const m = /^\\[A-Za-z]+/.exec(text.slice(j));
    if (m) return { body: m[0], end: j + m[0].length };
  }
  if (j >= text.length) throw new LatexError('a command is missing its argument at the end of the expression');
  return { body: text[j]!, end: j + 1 };
}

/** A translated group as a parenthesised math.js expression (a single token needs no parentheses). */
function group(body: string): string {
  const inner = translate(body).trim();
  return /^[A-Za-z0-9_.]+$/.test(inner) ? inner : `(${inner})`;
}

/** Splits a `cases` body into rows and each row into its value and condition. */
function translateCases(body: string): string {
  const rows = body.split(/\\\\/).map((r) => r.trim()).filter(Boolean);
  if (rows.length === 0) throw new LatexError('an empty \\begin{cases} ... \\end{cases}');
  let out = 'NaN';
  for (const row of [...rows].reverse()) {
    const [value = '', condition = ''] = row.split('&');
    const cond = translate(condition.replace(/\\text\s*\{\s*(if|for|when)\s*\}/g, '').replace(/^\s*(if|for|when)\b/, ''))
      .replace(/[,.;]\s*$/, '')
      .trim();
    const val = translate(value).replace(/[,.;]\s*$/, '').trim();
    if (cond === '' || /^(otherwise|else|elsewhere)$/i.test(cond)) out = `(${val})`;
    else out = `((${cond}) ? (${val}) : ${out})`;
  }
  return out;
}

/** LaTeX (or math.js syntax) to math.js syntax. Throws LatexError on malformed LaTeX. */
export function translate(input: string): string {
  const text = input.replace(/\$/g, ' ');
  let out = '';
  let i = 0;
  let bars = 0; // |x| pairs: odd count = an open bar
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') {
      const rest = text.slice(i);
      if (rest.startsWith('\\|')) {
        out += bars % 2 === 0 ? ' norm(' : ')';
        bars++;
        i += 2;
        continue;
      }
      if (/^\\[,;:! ]/.test(rest)) {
        out += ' ';
        i += 2;
        continue;
      }
      if (rest.startsWith('\\\\')) throw new LatexError('a line break "\\\\" outside \\begin{cases}');
      const m = /^\\([A-Za-z]+)/.exec(rest);
      if (!m) throw new LatexError(`a stray "\\" at character ${i + 1}`);
      const name = m[1]!;
      let j = i + m[0].length;
      if (name === 'begin') {
        const env = argumentAt(text, j);
        const endTag = `\\end{${env.body}}`;
        const stop = text.indexOf(endTag, env.end);
        if (stop < 0) throw new LatexError(`\\begin{${env.body}} without ${endTag}`);
        if (env.body !== 'cases') throw new LatexError(`the environment "${env.body}" is not supported (only cases)`);
        out += ` ${translateCases(text.slice(env.end, stop))} `;
        i = stop + endTag.length;
        continue;
      }
      if (name === 'frac' || name === 'dfrac' || name === 'tfrac') {
        const num = argumentAt(text, j);
        const den = argumentAt(text, num.end);
        out += ` (${group(num.body)} / ${group(den.body)}) `;
        i = den.end;
        continue;
      }
      if (name === 'sqrt') {
        while (text[j] === ' ') j++;
        if (text[j] === '[') {
          const close = text.indexOf(']', j);
          if (close < 0) throw new LatexError('\\sqrt[ without the closing "]"');
          const arg = argumentAt(text, close + 1);
          out += ` nthRoot(${translate(arg.body)}, ${translate(text.slice(j + 1, close))}) `;
          i = arg.end;
        } else {
          const arg = argumentAt(text, j);
          out += ` sqrt(${translate(arg.body)}) `;
          i = arg.end;
        }
        continue;
      }
      if ((TEXT_COMMANDS as readonly string[]).includes(name)) {
        const arg = argumentAt(text, j);
        out += name === 'boxed' ? ` (${translate(arg.body)}) ` : translate(arg.body).trim();
        i = arg.end;
        continue;
      }
      if (name === 'lvert' || name === 'rvert' || name === 'vert' || name === 'mid') {
        out += bars % 2 === 0 ? ' abs(' : ')';
        bars++;
        i = j;
        continue;
      }
      if (name === 'lVert' || name === 'rVert' || name === 'Vert') {
        out += bars % 2 === 0 ? ' norm(' : ')';
        bars++;
        i = j;
        continue;
      }
      if (DROPPED.includes(name)) {
        i = j;
        continue;
      }
      const simple = SIMPLE[name];
      if (simple !== undefined) out += simple === "'" ? "'" : ` ${simple} `;
      else if ((GREEK as readonly string[]).includes(name)) out += name;
      else throw new LatexError(`the LaTeX command \\${name} is not supported`);
      i = j;
      continue;
    }
    if (c === '^' && !/^\^\s*[{\\]/.test(text.slice(i))) {
      // math.js syntax (`x^(1/2)`, `beta^t`) passes through; only a lone T after it is a transpose (`x^T`).
      const t = /^\^\s*T(?![A-Za-z0-9_])/.exec(text.slice(i));
      out += t ? "'" : '^';
      i += t ? t[0].length : 1;
      continue;
    }
    if (c === '^' || c === '_') {
      const arg = argumentAt(text, i + 1);
      const body = arg.body.trim();
      if (c === '^' && /^(\\top|\\intercal|T|\\mathsf\{T\}|\\mathrm\{T\}|\{T\})$/.test(body)) {
        // `x^T` is a transpose only when T is not followed by more of an identifier (`x^Tx` is not valid anyway).
        out += "'";
      } else if (c === '^') {
        out += `^${group(body)}`;
      } else {
        // A subscript becomes part of the name: n_{in} -> n_in, \beta_1 -> beta_1, n_{\text{in}} -> n_in.
        const sub = translate(body).replace(/\s+/g, '');
        if (!/^[A-Za-z0-9_]+$/.test(sub)) throw new LatexError(`the subscript "${body}" is not a name (write subscripts as letters and digits)`);
        out = out.replace(/\s+$/, '') + `_${sub}`;
      }
      i = arg.end;
      continue;
    }
    if (c === '{' || c === '}') {
      out += c === '{' ? '(' : ')';
      i++;
      continue;
    }
    if (c === '|') {
      out += bars % 2 === 0 ? ' abs(' : ')';
      bars++;
      i++;
      continue;
    }
    if (c === '&') throw new LatexError('an alignment "&" outside \\begin{cases}');
    out += c;
    i++;
  }
  if (bars % 2 !== 0) throw new LatexError('an unmatched "|": absolute values and norms need a closing bar');
  return out;
}
