#!/usr/bin/env node
// The coverage `npm test` holds the code to, child processes included. vitest's V8 coverage sees only the code
// its workers run; much of grader/ runs in the processes the tests start (the CLI, the batch's workers), which
// write raw V8 coverage to coverage/children/ (NODE_V8_COVERAGE, set by vitest.config.ts) and are mapped back
// to the TypeScript through dist/'s source maps by c8. The two count statements differently, so they are
// joined by line: a line is covered when either saw it run. Prints the lines covered per room and fails below
// the thresholds.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Report } from 'c8';
import libCoverage from 'istanbul-lib-coverage';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const inProcessFile = path.join(root, 'coverage', 'coverage-final.json');
const childrenDir = path.join(root, 'coverage', 'children');

/** Lines covered, by room; the threshold each room is held to (percent of its lines; grader/ measured at 97% on 2026-12-06). */
const ROOMS = [
  { room: 'src', threshold: 90 },
  { room: 'reference', threshold: 90 },
  { room: 'grader', threshold: 94 },
];

if (!existsSync(inProcessFile)) {
  console.error('coverage-report: no coverage/coverage-final.json (run vitest with --coverage first)');
  process.exit(1);
}
const inProcess = libCoverage.createCoverageMap(JSON.parse(readFileSync(inProcessFile, 'utf8')));

/** The children's coverage, remapped to the sources (empty when no child wrote any). */
async function childrenCoverage() {
  if (!existsSync(childrenDir)) return libCoverage.createCoverageMap({});
  const report = new Report({
    tempDirectory: childrenDir,
    reportsDirectory: path.join(root, 'coverage', 'children-report'),
    reporter: [],
    // dist/ is what ran; after remapping only the sources count.
    include: ['dist/**', 'grader/**', 'src/**', 'reference/**'],
    exclude: ['**/*.spec.ts', 'dist/**'],
    excludeAfterRemap: true,
    excludeNodeModules: true,
    resolve: root,
    all: false,
  });
  return report.getCoverageMapFromAllCoverageFiles();
}
const children = await childrenCoverage();

const rows = ROOMS.map(({ room, threshold }) => ({ room, threshold, total: 0, covered: 0, inProcessOnly: 0 }));
for (const file of inProcess.files()) {
  const relative = path.relative(root, file);
  const row = rows.find((r) => relative.startsWith(`${r.room}${path.sep}`));
  if (!row) continue;
  const lines = inProcess.fileCoverageFor(file).getLineCoverage();
  const childLines = children.files().includes(file) ? children.fileCoverageFor(file).getLineCoverage() : {};
  for (const [line, hits] of Object.entries(lines)) {
    row.total++;
    if (hits > 0) row.inProcessOnly++;
    if (hits > 0 || (childLines[line] ?? 0) > 0) row.covered++;
  }
}

let failed = false;
console.log('lines covered (in the test workers, and with the child processes)');
for (const { room, threshold, total, covered, inProcessOnly } of rows) {
  const pct = (n) => (total === 0 ? 100 : (100 * n) / total);
  const ok = pct(covered) >= threshold;
  failed ||= !ok;
  console.log(`  ${room.padEnd(10)} ${pct(inProcessOnly).toFixed(2).padStart(6)}%  ${pct(covered).toFixed(2).padStart(6)}%  (${covered}/${total}; threshold ${threshold}%)${ok ? '' : '  BELOW THRESHOLD'}`);
}
process.exit(failed ? 1 : 0);
