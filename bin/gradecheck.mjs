#!/usr/bin/env node
// Entry point. Runs the built CLI (dist/, made by bin/build-cli.mjs on install) while it is up to date with the
// sources it was built from; otherwise the TypeScript sources through tsx's loader, which is always right but
// spends about a second transpiling at every start.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');

function freshBuild() {
  if (process.env.GRADECHECK_FROM_SOURCE) return false;
  try {
    const { builtAt, inputs } = JSON.parse(readFileSync(path.join(root, 'dist', 'build.json'), 'utf8'));
    return inputs.every((f) => statSync(path.join(root, f)).mtimeMs < builtAt);
  } catch {
    return false; // no build, or a source it was built from is gone
  }
}

let main;
if (freshBuild()) {
  ({ main } = await import('../dist/cli.js'));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../grader/cli.ts'));
}
process.exitCode = await main(process.argv);
