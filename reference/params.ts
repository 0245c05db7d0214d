// Parameter arrays of the optimizer classes: any shape (a vector, a matrix, nested deeper), updated in
// place leaf by leaf in row-major order, the way a PyTorch optimizer updates its tensors.

/** A parameter array: a vector, a matrix, or nested deeper. */
export type ParamArray = number[] | ParamArray[];

/** The shape of a (rectangular) parameter array, e.g. [2, 3]; throws on ragged or non-numeric arrays. */
export function shapeOf(name: string, p: unknown): number[] {
  if (!Array.isArray(p)) throw new Error(`${name} must be an array of numbers`);
  if (p.every((x) => typeof x === 'number')) return [p.length];
  if (p.length === 0 || !p.every(Array.isArray)) throw new Error(`${name} must be a rectangular array of numbers`);
  const inner = p.map((x, i) => shapeOf(`${name}[${i}]`, x));
  if (inner.some((s) => s.join(',') !== inner[0]!.join(','))) throw new Error(`${name} must be rectangular`);
  return [p.length, ...inner[0]!];
}

/** The entries of a parameter array in row-major order (a copy). */
export function flatten(p: ParamArray): number[] {
  return (p as unknown[]).flatMap((x) => (typeof x === 'number' ? [x] : flatten(x as ParamArray)));
}

/** Overwrites the entries of `p` in place, in row-major order, with `values`. */
export function assignInPlace(p: ParamArray, values: readonly number[]): void {
  let next = 0;
  const visit = (a: ParamArray): void => {
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (typeof x === 'number') (a as number[])[i] = values[next++]!;
      else visit(x as ParamArray);
    }
  };
  visit(p);
  if (next !== values.length) throw new Error(`internal: ${values.length} values for ${next} entries`);
}

/** Checks that grads is a list of arrays with the shapes of params. */
export function requireGradsLike(params: readonly ParamArray[], grads: unknown): asserts grads is ParamArray[] {
  if (!Array.isArray(grads) || grads.length !== params.length) {
    throw new Error(`step(grads) needs one gradient per parameter (${params.length}), got ${Array.isArray(grads) ? grads.length : typeof grads}`);
  }
  const describe = (s: number[]) => `(${s.join(', ')}${s.length === 1 ? ',' : ''})`;
  params.forEach((p, i) => {
    const want = describe(shapeOf(`params[${i}]`, p));
    const got = describe(shapeOf(`grads[${i}]`, grads[i]));
    if (want !== got) throw new Error(`grads[${i}] has shape ${got}, but params[${i}] has shape ${want}`);
  });
}
