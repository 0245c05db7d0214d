// Writes the grade's files atomically (temp file + rename), so a crash never leaves a half-written
// results.json for Gradescope to read.

import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { GradeReport } from './report.ts';
import { toGradescope } from './render/gradescope.ts';
import { toJunit } from './render/junit.ts';
import { reportHtml } from './render/html.ts';
import { reportMarkdown } from './render/markdown.ts';

export function writeAtomic(file: string, content: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (error) {
    // A full disk or a failing rename leaves neither a partial file nor the temp file behind.
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** results.json (Gradescope), feedback.md, feedback.html and junit.xml into `outDir`. Returns the paths written. */
export function writeReport(report: GradeReport, outDir: string): string[] {
  // A results.json from an earlier grade must not stand beside this grade's other files if writing fails.
  rmSync(path.join(outDir, 'results.json'), { force: true });
  const files: [string, string][] = [
    ['feedback.md', reportMarkdown(report, { includeChecks: true })],
    ['feedback.html', reportHtml(report)],
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
