// Small float64 vector/matrix helpers. Plain `number[]` / `number[][]` (row-major) because that is
// what the catalog's TS interface takes and returns; loops instead of math.js because these sit in
// the hot path of every property run.

export type Vector = number[];
export type Matrix = number[][];

export function zeros(n: number): Vector {
  return new Array<number>(n).fill(0);
}

export function zerosMatrix(rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => zeros(cols));
}

export function identity(n: number): Matrix {
  const m = zerosMatrix(n, n);
  for (let i = 0; i < n; i++) m[i]![i] = 1;
  return m;
}

export function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function add(a: readonly number[], b: readonly number[]): Vector {
  return a.map((x, i) => x + b[i]!);
}

export function sub(a: readonly number[], b: readonly number[]): Vector {
  return a.map((x, i) => x - b[i]!);
}

export function scale(a: readonly number[], c: number): Vector {
  return a.map((x) => x * c);
}

/** a + c * b, a new vector. */
export function axpy(a: readonly number[], c: number, b: readonly number[]): Vector {
  return a.map((x, i) => x + c * b[i]!);
}

export function sum(a: readonly number[]): number {
  let s = 0;
  for (const x of a) s += x;
  return s;
}

export function norm2(a: readonly number[]): number {
  return Math.sqrt(dot(a, a));
}

export function maxAbs(a: readonly number[]): number {
  let m = 0;
  for (const x of a) m = Math.max(m, Math.abs(x));
  return m;
}

export function outer(a: readonly number[], b: readonly number[]): Matrix {
  return a.map((x) => b.map((y) => x * y));
}

/** A x. */
export function matvec(a: Matrix, x: readonly number[]): Vector {
  return a.map((row) => dot(row, x));
}

/** x^T A (a row vector times a matrix). */
export function vecmat(x: readonly number[], a: Matrix): Vector {
  const cols = a[0]?.length ?? 0;
  const out = zeros(cols);
  for (let i = 0; i < a.length; i++) {
    const xi = x[i]!;
    const row = a[i]!;
    for (let j = 0; j < cols; j++) out[j]! += xi * row[j]!;
  }
  return out;
}

export function transpose(a: Matrix): Matrix {
  const rows = a.length;
  const cols = a[0]?.length ?? 0;
  return Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => a[i]![j]!));
}

export function matmul(a: Matrix, b: Matrix): Matrix {
  const bt = transpose(b);
  return a.map((row) => bt.map((col) => dot(row, col)));
}

export function flatten(a: Matrix): Vector {
  return a.flat();
}

export function reshape(flat: readonly number[], rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, (_, i) => flat.slice(i * cols, (i + 1) * cols));
}

export function maxAbsMatrix(a: Matrix): number {
  let m = 0;
  for (const row of a) m = Math.max(m, maxAbs(row));
  return m;
}

/** Solves A x = b for a square A by Gaussian elimination with partial pivoting. Throws when A is singular. */
export function solve(a: Matrix, b: readonly number[]): Vector {
  const n = a.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(m[i]![k]!) > Math.abs(m[p]![k]!)) p = i;
    if (m[p]![k] === 0) throw new Error('solve: singular matrix');
    [m[k], m[p]] = [m[p]!, m[k]!];
    const pivot = m[k]!;
    for (let i = k + 1; i < n; i++) {
      const row = m[i]!;
      const f = row[k]! / pivot[k]!;
      for (let j = k; j <= n; j++) row[j]! -= f * pivot[j]!;
    }
  }
  const x = zeros(n);
  for (let i = n - 1; i >= 0; i--) {
    const row = m[i]!;
    let s = row[n]!;
    for (let j = i + 1; j < n; j++) s -= row[j]! * x[j]!;
    x[i] = s / row[i]!;
  }
  return x;
}

/**
 * Eigenvalues of a symmetric matrix by cyclic Jacobi rotations, ascending. Small matrices only (it is
 * used for positive-semidefiniteness checks and for the conditioning of generated data matrices).
 */
export function symmetricEigenvalues(input: Matrix): Vector {
  return symmetricEigen(input).values;
}

/**
 * Eigenvalues (ascending) and unit eigenvectors (vectors[i] for values[i]) of a symmetric matrix by cyclic
 * Jacobi rotations. Small matrices only (a trajectory's Gram matrix for its principal components).
 */
export function symmetricEigen(input: Matrix): { values: Vector; vectors: Matrix } {
  const n = input.length;
  const a = input.map((row) => [...row]);
  const v = identity(n);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off < 1e-30 * Math.max(1, maxAbsMatrix(a)) ** 2) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k]![p]!;
          const akq = a[k]![q]!;
          a[k]![p] = c * akp - s * akq;
          a[k]![q] = s * akp + c * akq;
          // The rotations accumulated: column p and q of V are the eigenvectors' estimates.
          const vkp = v[k]![p]!;
          const vkq = v[k]![q]!;
          v[k]![p] = c * vkp - s * vkq;
          v[k]![q] = s * vkp + c * vkq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p]![k]!;
          const aqk = a[q]![k]!;
          a[p]![k] = c * apk - s * aqk;
          a[q]![k] = s * apk + c * aqk;
        }
      }
    }
  }
  const order = a.map((row, i) => [row[i]!, i] as const).sort((x, y) => x[0] - y[0]);
  return { values: order.map(([value]) => value), vectors: order.map(([, i]) => v.map((row) => row[i]!)) };
}

/** 2-norm condition number of a (tall or square) matrix, from the eigenvalues of its Gram matrix. */
export function conditionNumber(a: Matrix): number {
  const eig = symmetricEigenvalues(matmul(transpose(a), a));
  const lo = eig[0]!;
  const hi = eig[eig.length - 1]!;
  return lo <= 0 ? Infinity : Math.sqrt(hi / lo);
}

/**
 * A @ W + b for row-major Float64Arrays A (n, din), W (din, dout) and b (dout; zeros when absent): the hot loop of
 * forward passes. Each output entry sums in the order of the input index, skipping inputs that are exactly 0
 * (images are mostly background, ReLU layers half zero), so equal columns of W give bit-identical outputs.
 */
export function affineRows(A: Float64Array, n: number, din: number, W: Float64Array, b: Float64Array | undefined, dout: number): Float64Array {
  const out = new Float64Array(n * dout);
  for (let i = 0; i < n; i++) {
    const o = i * dout;
    if (b) out.set(b, o);
    for (let k = 0; k < din; k++) {
      const a = A[i * din + k]!;
      if (a === 0) continue;
      const w = k * dout;
      for (let j = 0; j < dout; j++) out[o + j]! += a * W[w + j]!;
    }
  }
  return out;
}
