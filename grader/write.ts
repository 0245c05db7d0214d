// Writes the grade's files atomically (temp file + rename), so a crash never leaves a half-written
// results.json for Gradescope to read.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GradeReport } from './grade.ts';
import { toGradescope } from './render/gradescope.ts';
import { toJunit } from './render/junit.ts';
import { reportMarkdown } from './render/markdown.ts';

export function writeAtomic(file: string, content: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}

/** results.json (Gradescope), feedback.md and junit.xml into `outDir`. Returns the paths written. */
export function writeReport(report: GradeReport, outDir: string): string[] {
  const files: [string, string][] = [
    ['feedback.md', reportMarkdown(report, { includeChecks: true })],
    ['junit.xml', toJunit(report)],
    // Last: its presence means the others are complete.
    ['results.json', `${JSON.stringify(toGradescope(report), null, 2)}\n`],
  ];
  return files.map(([name, content]) => {
    const file = path.join(outDir, name);
    writeAtomic(file, content);
    return file;
  });
}
