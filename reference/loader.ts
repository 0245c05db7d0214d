// torch's DataLoader(dataset, batch_size, shuffle=False, drop_last=False) as the references walk it: consecutive
// rows, batch_size at a time, the last batch smaller when batch_size does not divide n; and the mean over the
// examples of values each computed as a mean over its batch (weighted by the batch's size, not averaged over
// batches: the two differ when the last batch is smaller).

/** [start, end) of each batch over n rows. */
export function batchesOf(n: number, batchSize: number): [number, number][] {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batch_size must be a positive integer, got ${batchSize}`);
  const out: [number, number][] = [];
  for (let start = 0; start < n; start += batchSize) out.push([start, Math.min(n, start + batchSize)]);
  return out;
}

/** Each batch's rows (and labels), in the loader's order. */
export function batchRows<T>(rows: readonly T[], batchSize: number): T[][] {
  return batchesOf(rows.length, batchSize).map(([s, e]) => rows.slice(s, e));
}

/** A per-batch mean and the batch's size. */
export interface BatchValue {
  readonly value: number;
  readonly size: number;
}

/** The mean over the n examples of per-batch means: sum of mean * size, over n. */
export function exampleMean(perBatch: readonly BatchValue[]): number {
  const n = perBatch.reduce((s, p) => s + p.size, 0);
  return perBatch.reduce((s, p) => s + p.value * p.size, 0) / n;
}
