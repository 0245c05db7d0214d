// The built command line (issue 17): bin/gradecheck.mjs runs dist/ only while it is up to date with every
// source it was built from, and the TypeScript sources through tsx otherwise. Both must behave the same, and a
// stale build must never run: a fake checkout holds a dist/ that prints "built" and sources that print "source".

import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = path.join(import.meta.dirname, '..');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function gradecheck(cli: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  const { stdout } = await run(process.execPath, [cli, ...args], { env: { ...process.env, ...env } });
  return stdout;
}

/** A checkout with bin/gradecheck.mjs, a dist/ built at `builtAt` from grader/cli.ts, and that source. */
function fakeCheckout(name: string, builtAt: number, sourceModified: number): string {
  const dir = path.join(tmp, name);
  for (const sub of ['bin', 'dist', 'grader']) mkdirSync(path.join(dir, sub), { recursive: true });
  copyFileSync(path.join(root, 'bin', 'gradecheck.mjs'), path.join(dir, 'bin', 'gradecheck.mjs'));
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  const says = (what: string) => `export async function main(): Promise<number> { console.log('${what}'); return 0; }\n`;
  writeFileSync(path.join(dir, 'dist', 'cli.js'), says('built').replace(': Promise<number>', ''));
  writeFileSync(path.join(dir, 'dist', 'build.json'), JSON.stringify({ builtAt, inputs: ['grader/cli.ts'] }));
  const source = path.join(dir, 'grader', 'cli.ts');
  writeFileSync(source, says('source'));
  utimesSync(source, new Date(sourceModified), new Date(sourceModified));
  return path.join(dir, 'bin', 'gradecheck.mjs');
}

describe('bin/gradecheck.mjs', () => {
  it.concurrent('runs the build while no source changed since it was built', async () => {
    const cli = fakeCheckout('fresh', Date.now(), Date.now() - 60_000);
    expect((await gradecheck(cli, [])).trim()).toBe('built');
    expect((await gradecheck(cli, [], { GRADECHECK_FROM_SOURCE: '1' })).trim()).toBe('source');
  });

  it.concurrent('runs the sources when one changed after the build, or the build is missing', async () => {
    const stale = fakeCheckout('stale', Date.now() - 60_000, Date.now());
    expect((await gradecheck(stale, [])).trim()).toBe('source');
    const missing = fakeCheckout('missing', Date.now(), Date.now() - 60_000);
    rmSync(path.join(path.dirname(missing), '..', 'dist', 'build.json'));
    expect((await gradecheck(missing, [])).trim()).toBe('source');
  });

  it.concurrent('the build and the sources list the same problems and print the same version', async () => {
    const cli = path.join(root, 'bin', 'gradecheck.mjs');
    const built = JSON.parse(readFileSync(path.join(root, 'dist', 'build.json'), 'utf8')) as { inputs: string[] };
    expect(built.inputs).toContain('grader/cli.ts');
    for (const args of [['list'], ['--version']]) {
      expect(await gradecheck(cli, args)).toBe(await gradecheck(cli, args, { GRADECHECK_FROM_SOURCE: '1' }));
    }
  });
});
