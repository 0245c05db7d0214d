// `gradecheck bundle`: a Gradescope autograder zip. At its root: setup.sh (Gradescope runs it once to build
// the image), run_autograder (run for every submission), the assignment as assignment.yaml, and gradecheck
// itself under gradecheck/ (its sources, without tests; setup.sh installs its npm dependencies).

import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { type Assignment, adapterPath } from './assignment.ts';
import { shimsFiles } from './execution/schema.ts';
import { repoRoot as root } from './paths.ts';
import { writeAtomic } from './write.ts';
import { type ZipEntry, writeZip } from './zip.ts';


/** What of gradecheck the autograder needs: the CLI and everything it imports, and the golden values. */
const SOURCE_DIRS = ['bin', 'grader', 'src', 'spec', 'reference', path.join('fixtures', 'golden')];
const SOURCE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'README.md'];
const EXECUTABLE = 0o755;

function sourceFiles(): string[] {
  const inDirs = SOURCE_DIRS.flatMap((dir) =>
    readdirSync(path.join(root, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => path.relative(root, path.join(e.parentPath, e.name)))
      .filter((f) => !f.endsWith('.spec.ts') && !f.split(path.sep).some((part) => part.startsWith('.') || part === 'node_modules' || part === '__pycache__')),
  );
  return [...SOURCE_FILES, ...inDirs].sort();
}

/** The bundle's entries, in a fixed order (the same inputs give the same zip). */
export function bundleEntries(assignment: Assignment): ZipEntry[] {
  const script = (name: string): ZipEntry => ({ name, data: readFileSync(path.join(root, 'grader', 'autograder', name)), mode: EXECUTABLE });
  return [
    script('setup.sh'),
    script('run_autograder'),
    { name: 'assignment.yaml', data: readFileSync(assignment.file) },
    // The adapter travels beside the assignment, at the relative path the assignment names it by.
    ...(assignment.adapter ? [{ name: path.posix.normalize(assignment.adapter.split(path.sep).join('/')), data: readFileSync(adapterPath(assignment)!) }] : []),
    // So do the execute: section's stand-ins for course modules and data (grader/execution/).
    ...shimsFiles(assignment.execute).map((file) => ({ name: path.posix.normalize(file.split(path.sep).join('/')), data: readFileSync(path.resolve(path.dirname(assignment.file), file)) })),
    ...sourceFiles().map((f): ZipEntry => {
      // The CLI, the autograder scripts and the sandbox launcher (grader/runners/sandbox.sh) are executed directly.
      const isScript = f.startsWith(`bin${path.sep}`) || f.endsWith('.sh') || f === path.join('grader', 'autograder', 'run_autograder');
      return { name: `gradecheck/${f.split(path.sep).join('/')}`, data: readFileSync(path.join(root, f)), ...(isScript ? { mode: EXECUTABLE } : {}) };
    }),
  ];
}

/** Writes the autograder zip atomically; returns the number of entries and bytes. */
export function writeBundle(assignment: Assignment, out: string): { entries: number; bytes: number } {
  const entries = bundleEntries(assignment);
  const zip = writeZip(entries);
  writeAtomic(out, zip);
  return { entries: entries.length, bytes: zip.length };
}
