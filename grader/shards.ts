// Splitting a class across machines: `--shard i/n` or `--shard auto` (the task index an array job's engine
// sets: Kubernetes, Slurm, a GitHub Actions matrix); the submissions of a shard are those whose position in id
// order is i modulo n.

/** `i/n`: the submissions whose position in id order is i modulo n (0-based). */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index >= count) throw new Error(`--shard must be i/n with 0 <= i < n, got "${text}"`);
  return { index, count };
}

/** The environment variables an array job's engine sets (a subset of `process.env`). */
export type ShardEnv = Readonly<Record<string, string | undefined>>;

export class ShardEnvError extends Error {
  override readonly name = 'ShardEnvError';
}

const envInt = (env: ShardEnv, name: string): number | undefined => {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new ShardEnvError(`${name} must be a non-negative integer, got "${raw}"`);
  return n;
};

/**
 * `--shard auto`: the task's slice from the variables its engine sets. Kubernetes Indexed Job:
 * `JOB_COMPLETION_INDEX` (the count is the Job's `completions`, which Kubernetes does not export: give it as
 * `GRADECHECK_SHARD_COUNT`). Slurm array: `SLURM_ARRAY_TASK_ID` relative to `SLURM_ARRAY_TASK_MIN` and
 * `SLURM_ARRAY_TASK_STEP`, of `SLURM_ARRAY_TASK_COUNT`. Anything else (a GitHub Actions matrix:
 * `strategy.job-index` / `strategy.job-total`): `GRADECHECK_SHARD_INDEX` and `GRADECHECK_SHARD_COUNT`.
 */
export function shardFromEnv(env: ShardEnv): { index: number; count: number; source: string } {
  const explicitCount = envInt(env, 'GRADECHECK_SHARD_COUNT');
  let found: { index: number; count: number | undefined; source: string } | undefined;
  const explicitIndex = envInt(env, 'GRADECHECK_SHARD_INDEX');
  const k8s = envInt(env, 'JOB_COMPLETION_INDEX');
  const slurm = envInt(env, 'SLURM_ARRAY_TASK_ID');
  if (explicitIndex !== undefined) found = { index: explicitIndex, count: explicitCount, source: 'GRADECHECK_SHARD_INDEX' };
  else if (k8s !== undefined) found = { index: k8s, count: explicitCount, source: 'JOB_COMPLETION_INDEX' };
  else if (slurm !== undefined) {
    const min = envInt(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    const step = envInt(env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
    if (step < 1 || (slurm - min) % step !== 0) throw new ShardEnvError(`SLURM_ARRAY_TASK_ID ${slurm} is not on the array's grid (min ${min}, step ${step})`);
    found = { index: (slurm - min) / step, count: explicitCount ?? envInt(env, 'SLURM_ARRAY_TASK_COUNT'), source: 'SLURM_ARRAY_TASK_ID' };
  }
  if (!found) {
    throw new ShardEnvError(
      '--shard auto found no task index: set JOB_COMPLETION_INDEX (Kubernetes Indexed Job), SLURM_ARRAY_TASK_ID (Slurm array) or GRADECHECK_SHARD_INDEX (e.g. ${{ strategy.job-index }} in a GitHub Actions matrix)',
    );
  }
  if (found.count === undefined || found.count < 1) {
    throw new ShardEnvError(`--shard auto found ${found.source}=${found.index} but no shard count: set GRADECHECK_SHARD_COUNT (the Job's completions, the matrix's strategy.job-total)`);
  }
  if (found.index >= found.count) throw new ShardEnvError(`--shard auto: ${found.source} gives index ${found.index}, not below the shard count ${found.count}`);
  return { index: found.index, count: found.count, source: found.source };
}

export function shardOf<T>(items: readonly T[], shard: { index: number; count: number }): T[] {
  return items.filter((_, i) => i % shard.count === shard.index);
}

