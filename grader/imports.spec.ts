// No import circles (style: one home per concept, rooms with arrows one way): the static imports of every
// module of src/, reference/, spec/ and grader/ (tests excluded), as esbuild resolves them, form no cycle. The
// rooms' arrows are checked too: src/ imports nothing of ours outside src/, reference/ only src/, spec/ no
// grader/ (../shared/architecture.md).

import { readdirSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const root = path.join(import.meta.dirname, '..');
const ROOMS = ['src', 'reference', 'spec', 'grader'] as const;

const modules = ROOMS.flatMap((room) =>
  readdirSync(path.join(root, room), { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.spec.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.relative(root, path.join(e.parentPath, e.name))),
);

/** Module -> the modules of ours it imports statically (type-only imports vanish in the build, as at run time). */
async function importGraph(): Promise<Map<string, string[]>> {
  const { metafile } = await build({
    entryPoints: modules.map((m) => path.join(root, m)),
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    packages: 'external',
    outdir: 'unused',
    logLevel: 'silent',
  });
  return new Map(Object.entries(metafile.inputs).map(([file, input]) => [file, input.imports.filter((i) => !i.external && i.kind === 'import-statement').map((i) => i.path)]));
}

function cycles(graph: Map<string, string[]>): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const found: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].join(' -> '));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('the import graph', () => {
  it('has no circle and its arrows point the way the architecture says', async () => {
    const graph = await importGraph();
    expect(graph.size).toBeGreaterThanOrEqual(modules.length);
    expect(cycles(graph)).toEqual([]);
    const room = (file: string) => file.split('/')[0]!;
    // spec/ may import committed golden data (fixtures/golden/*.json): data, not code, carried by a bundled suite.
    const allowed: Record<string, readonly string[]> = { src: ['src'], reference: ['reference', 'src'], spec: ['spec', 'reference', 'src', 'fixtures'], grader: ROOMS };
    const wrongWay = [...graph].flatMap(([file, imports]) => imports.filter((i) => !allowed[room(file)]?.includes(room(i))).map((i) => `${file} -> ${i}`));
    expect(wrongWay).toEqual([]);
  });

  it('finds a circle where there is one', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']]]))).toEqual(['a -> b -> c -> a']);
  });
});
