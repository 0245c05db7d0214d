// "Did you mean": a function the catalog asks for, found in the submission under a near-miss name (another
// case or underscores, camelCase, a typo of one or two letters).

/** Edit distance (insertions, deletions, substitutions), computed only up to `limit` + 1. */
function distance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    previous = row;
  }
  return previous[b.length]!;
}

const plain = (name: string) => name.toLowerCase().replace(/_/g, '');

/** The defined name that `wanted` was most likely meant as, if any is close enough to say so. */
export function nearMiss(wanted: string, defined: readonly string[]): string | undefined {
  const same = defined.find((d) => plain(d) === plain(wanted));
  if (same) return same;
  // One typo per 5 letters, at most 2: `softmax_jacobain` for `softmax_jacobian`, never `mse` for `bce`.
  const limit = Math.min(2, Math.floor(wanted.length / 5));
  if (limit === 0) return undefined;
  const scored = defined.map((d) => ({ d, k: distance(plain(d), plain(wanted), limit) })).filter((x) => x.k <= limit);
  return scored.sort((a, b) => a.k - b.k)[0]?.d;
}

/** "f (did you mean g?)" for each missing name that has a near miss. */
export function withSuggestions(missing: readonly string[], defined: readonly string[]): string[] {
  return missing.map((name) => {
    const guess = nearMiss(name, defined);
    return guess ? `${name} (did you mean ${guess}? it is defined, under another name)` : name;
  });
}
