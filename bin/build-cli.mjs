#!/usr/bin/env node
// Builds the command line into dist/ (one ESM file per lazily imported module, npm packages left external), so
// that `gradecheck` starts as plain JavaScript instead of transpiling its TypeScript at every start. npm runs it
// on install (`prepare`); bin/gradecheck.mjs uses dist/ only while no source it was built from has changed since,
// and falls back to the TypeScript sources through tsx otherwise, so a stale build is never run.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
// Built beside dist/ and swapped in, so a gradecheck starting meanwhile sees the old build or none, not half of one.
const staging = path.join(root, `.dist-${process.pid}`);

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
rmSync(dist, { recursive: true, force: true });
renameSync(staging, dist);
if (!process.argv.includes('--quiet')) console.log(`gradecheck: built dist/ from ${inputs.length} sources in ${Date.now() - startedAt} ms`);
