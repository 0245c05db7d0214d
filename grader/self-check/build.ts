// `gradecheck release --standalone`: the self-check students run, as a JavaScript bundle without reference/.
//
// The reference's answers are recorded instead (grader/self-check/recordings.ts): a first bundle, with the
// reference's modules and the suites' named mistakes (spec/*.mistakes.ts) wrapped, runs the release's visible checks on the reference itself under the release's
// seed and run counts, which draws exactly the inputs the student's `check` will draw; the student's bundle has
// each of those modules replaced by a replay of what was recorded: neither the reference's code nor the mistakes'
// (which a formula written wrong would give away) is in it. A case needing an answer that was not
// recorded (a shrink step, an input made from the student's own answer) is not judged there (src/unjudged.ts):
// a failure is reported on the input that was drawn, and named mistakes only where their answers were recorded.

import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type Plugin, build } from 'esbuild';
import { repoRoot, runnersDir } from '../paths.ts';
import { SELF_CHECK_CLI, SELF_CHECK_DIR } from '../release-layout.ts';
import { gradecheckVersion } from '../version.ts';
import { RECORDINGS_FILE, type Recordings } from './recordings.ts';

const referenceDir = path.join(repoRoot, 'reference');
// By the checkout's root, not this module's folder: the built command line runs from dist/.
const sources = path.join(repoRoot, 'grader', 'self-check');
const runtime = path.join(sources, 'recordings.ts');

/**
 * The modules of reference/ that hold no answer, kept in the self-check as they are: argument validation, the
 * batching of a loader, the FashionMNIST stand-ins' generator, and the index that re-exports the others.
 */
const KEPT = new Set(['index.ts', 'validate.ts', 'loader.ts', 'params.ts', 'fashion-mnist.ts']);

/** Packages the self-check does not carry: loaded only by what a self-check never does (or by TypeScript submissions). */
const EXTERNAL = ['esbuild', 'tsx', 'playwright-core', '@tensorflow/*', 'mnist', 'fsevents'];

const specDir = path.join(repoRoot, 'spec');

/** A module the self-check replays instead of carrying: an answer of reference/, or a suite's named mistakes. */
const isReplaced = (file: string) =>
  file.endsWith('.ts') &&
  ((path.dirname(file) === referenceDir && !KEPT.has(path.basename(file))) || (path.dirname(file) === specDir && file.endsWith('.mistakes.ts')));

/** The names each replaced module exports (from esbuild's metafile: types are not among them). */
async function exportsOfReplaced(): Promise<Map<string, string[]>> {
  const files = [referenceDir, specDir].flatMap((dir) => readdirSync(dir).map((f) => path.join(dir, f))).filter(isReplaced);
  const result = await build({ entryPoints: files, bundle: false, write: false, outdir: '/out', format: 'esm', metafile: true, logLevel: 'silent' });
  const names = new Map<string, string[]>();
  for (const output of Object.values(result.metafile.outputs)) {
    if (output.entryPoint) names.set(path.resolve(repoRoot, output.entryPoint), output.exports);
  }
  return names;
}

/** Replaces each module of reference/ that holds an answer, and each suite's mistakes, by its recording (`record`) or its replay. */
function replacingPlugin(mode: 'record' | 'replay', exported: Map<string, string[]>): Plugin {
  const REAL = 'real-module:';
  return {
    name: `replaced-${mode}`,
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${REAL}`) }, (args) => ({ path: args.path.slice(REAL.length) }));
      b.onResolve({ filter: /\.ts$/ }, (args) => {
        if (!args.path.startsWith('.')) return undefined;
        const target = path.resolve(args.resolveDir, args.path);
        if (!isReplaced(target)) return undefined;
        // Recording: the calls a reference or a mistake makes to reference/ are part of the call recorded.
        if (mode === 'record' && isReplaced(args.importer)) return undefined;
        // Named by its place in the checkout only: the name shows in the bundle, the staff's folders need not.
        return { path: path.relative(repoRoot, target), namespace: `replaced-${mode}` };
      });
      b.onLoad({ filter: /.*/, namespace: `replaced-${mode}` }, (args) => {
        const real = path.join(repoRoot, args.path);
        const names = exported.get(real) ?? [];
        const file = JSON.stringify(args.path);
        const made =
          mode === 'record'
            ? `import * as real from ${JSON.stringify(REAL + real)};\nimport { recordedModule } from ${JSON.stringify(runtime)};\nconst m = recordedModule(${file}, real);\n`
            : `import { replayedModule } from ${JSON.stringify(runtime)};\nconst m = replayedModule(${file}, ${JSON.stringify(names)});\n`;
        return { contents: made + names.map((n) => `export const ${n} = m[${JSON.stringify(n)}];`).join('\n'), loader: 'js', resolveDir: path.dirname(real) };
      });
    },
  };
}

/**
 * Bundles `entry` into `outdir/<name>.mjs`, with npm packages inside, except EXTERNAL. The modules the command
 * line imports lazily stay lazy (chunks beside it), so a package it does not carry is needed only where used.
 */
async function bundle(entry: string, outdir: string, name: string, plugin: Plugin): Promise<{ file: string; sources: string[] }> {
  const { metafile } = await build({
    metafile: true,
    entryPoints: { [name]: entry },
    outdir,
    outExtension: { '.js': '.mjs' },
    splitting: true,
    // Beside the entry: grader/paths.ts finds the checkout's root one folder up from whichever file it is in.
    chunkNames: '[name]-[hash]',
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    plugins: [plugin],
    // Bundled CommonJS packages (yaml's, commander's) call require: give the ESM bundle one.
    banner: { js: "import { createRequire as __gradecheckRequire } from 'node:module'; const require = __gradecheckRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return { file: path.join(outdir, `${name}.mjs`), sources: Object.keys(metafile.inputs) };
}

/** The reference's answers to the visible checks of the release's assignment.yaml. */
async function recordVisibleChecks(assignmentFile: string, exported: Map<string, string[]>): Promise<Recordings> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-record-'));
  try {
    const recorder = (await bundle(path.join(sources, 'record-entry.ts'), work, 'record', replacingPlugin('record', exported))).file;
    const { recordVisibleChecks: record } = (await import(pathToFileURL(recorder).href)) as { recordVisibleChecks(file: string): Promise<Recordings> };
    return await record(assignmentFile);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Writes the self-check into `releaseDir/gradecheck/`: the command line (one entry file and the chunks it loads
 * lazily) with the recordings beside it, the runners the submission's process runs, and a package.json naming the
 * version. Returns the main files, and the sources bundled (by esbuild's account: what a test checks for reference/).
 */
export async function writeSelfCheck(releaseDir: string, assignmentFile: string): Promise<{ files: string[]; bundled: string[] }> {
  const exported = await exportsOfReplaced();
  const recordings = await recordVisibleChecks(assignmentFile, exported);
  const root = path.join(releaseDir, SELF_CHECK_DIR);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(path.join(root, 'dist'), { recursive: true });
  const { file: cli, sources: bundled } = await bundle(path.join(sources, 'cli-entry.ts'), path.join(root, path.dirname(SELF_CHECK_CLI)), path.basename(SELF_CHECK_CLI, '.mjs'), replacingPlugin('replay', exported));
  const recorded = path.join(root, 'dist', RECORDINGS_FILE);
  writeFileSync(recorded, gzipSync(JSON.stringify(recordings)));
  cpSync(runnersDir, path.join(root, 'grader', 'runners'), { recursive: true });
  const manifest = path.join(root, 'package.json');
  writeFileSync(manifest, `${JSON.stringify({ name: 'gradecheck-self-check', version: gradecheckVersion(), private: true, type: 'module' }, null, 2)}\n`);
  return { files: [cli, recorded, manifest], bundled };
}
