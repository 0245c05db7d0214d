// The math.js instance answers are evaluated with: `predictable` (sqrt(-1) is NaN, not a complex number),
// and the functions of the course that math.js lacks or defines otherwise. Vectors are column matrices,
// so `diag(y)` of an n x 1 matrix is the n x n diagonal matrix (math.js would return its diagonal).

import { createRequire } from 'node:module';
import type { MathJsInstance, Matrix } from 'mathjs';

// math.js takes about a second of CPU to load: it is loaded (synchronously, as CommonJS) by the first answer or
// question that needs it, so commands and assignments without written answers never pay for it.
const require = createRequire(import.meta.url);
let instance: MathJsInstance | undefined;

/** The configured math.js instance (created on first use). */
export function mathjs(): MathJsInstance {
  if (instance === undefined) {
    const { all, create } = require('mathjs') as typeof import('mathjs');
    instance = withCourseFunctions(create(all!, { predictable: true }));
  }
  return instance;
}

function withCourseFunctions(math: MathJsInstance): MathJsInstance {
  const isMatrix = (x: unknown): x is Matrix => math.isMatrix(x);
  const elementwise = (f: (u: number) => number) => (x: unknown): unknown => (isMatrix(x) ? math.map(x, (u: number) => f(u)) : f(Number(x)));
  const builtinDiag = math.diag;
  math.import(
    {
      diag: (x: unknown) => {
        if (isMatrix(x)) {
          const [rows, cols] = x.size();
          if (rows !== undefined && cols !== undefined && (rows === 1 || cols === 1)) return math.diag(math.flatten(x) as Matrix);
          return builtinDiag(x);
        }
        return builtinDiag(x as Matrix);
      },
      step: elementwise((u) => (u > 0 ? 1 : 0)),
      heaviside: elementwise((u) => (u > 0 ? 1 : 0)),
      relu: elementwise((u) => Math.max(0, u)),
      sigmoid: elementwise((u) => 1 / (1 + Math.exp(-u))),
    },
    { override: true },
  );
  return math;
}
