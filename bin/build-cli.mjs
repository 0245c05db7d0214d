#!/usr/bin/env node
// Builds the command line into dist/ (one ESM file per lazily imported module, npm packages left external), so
// that `gradecheck` starts as plain JavaScript instead of transpiling its TypeScript at every start. npm runs it
// on install (`prepare`); bin/gradecheck.mjs uses dist/ only while no source it was built from has changed since,
// and falls back to the TypeScript sources through tsx otherwise, so a stale build is never run.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
// Built beside dist/ and moved in file by file (see installBuild), so no gradecheck sees half of a build.
const staging = path.join(root, `.dist-${process.pid}`);

/**
 * Moves the files of a build in staging into dist. A gradecheck running the old build imports its chunks lazily,
 * so dist is never removed: each file is renamed over its namesake (atomic; chunk names carry a content hash, so an
 * unchanged source keeps its file), build.json last, and only then the old build's files that the new one lacks go.
 */
function installBuild(from, to) {
  if (!existsSync(to)) return renameSync(from, to);
  const files = readdirSync(from).filter((f) => f !== 'build.json');
  for (const f of files) renameSync(path.join(from, f), path.join(to, f));
  renameSync(path.join(from, 'build.json'), path.join(to, 'build.json'));
  const current = new Set([...files, 'build.json']);
  for (const f of readdirSync(to)) if (!current.has(f)) rmSync(path.join(to, f), { recursive: true, force: true });
  rmSync(from, { recursive: true, force: true });
}

const startedAt = Date.now();
rmSync(staging, { recursive: true, force: true });
mkdirSync(staging, { recursive: true });
const result = await build({
  entryPoints: [path.join(root, 'grader', 'cli.ts')],
  outdir: staging,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  metafile: true,
  // Stack traces and the coverage of CLI runs in child processes (npm test) point into the TypeScript sources.
  sourcemap: 'linked',
  logLevel: 'warning',
});
// What bin/gradecheck.mjs checks for freshness: every source file of the build, and when it was built.
const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes('node_modules'));
writeFileSync(path.join(staging, 'build.json'), `${JSON.stringify({ builtAt: startedAt, inputs }, null, 1)}\n`);
installBuild(staging, dist);
if (!process.argv.includes('--quiet')) console.log(`gradecheck: built dist/ from ${inputs.length} sources in ${Date.now() - startedAt} ms`);
