#!/usr/bin/env node
// The coverage `npm test` holds the code to, child processes included. vitest's V8 coverage sees only the code
// its workers run; much of grader/ runs in the processes the tests start (the CLI, the batch's workers), which
// write raw V8 coverage to coverage/children/ (NODE_V8_COVERAGE, set by vitest.config.ts) and are mapped back
// to the TypeScript through dist/'s source maps by c8. The two count statements differently, so they are
// joined by line: a line is covered when either saw it run. Prints the lines covered per room and fails below
// the thresholds.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Report } from 'c8';
import libCoverage from 'istanbul-lib-coverage';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const inProcessFile = path.join(root, 'coverage', 'coverage-final.json');
const childrenDir = path.join(root, 'coverage', 'children');
const pythonDir = path.join(root, 'coverage', 'python');
const harnessJsDir = path.join(root, 'coverage', 'harness-js');
const HARNESS_JS = path.join(root, 'grader', 'runners', 'harness.mjs');

/** Lines covered, by room; the threshold each room is held to (percent of its lines; grader/ measured at 97% on 2026-12-06). */
const ROOMS = [
  { room: 'src', threshold: 90 },
  { room: 'reference', threshold: 90 },
  { room: 'grader', threshold: 94 },
];
/**
 * grader/runners/*.py, lines covered: 84.8% on 2026-12-07 with the 22 files of grader/test-setup.ts traced (87.0%
 * with all files traced but the four heaviest); 82.8% to 88.6% before each harness's last lines were written ahead
 * of its SIGKILL.
 */
const PYTHON_THRESHOLD = 80;
/**
 * grader/runners/harness.mjs, lines covered (runners/harness_coverage.mjs records it since 2026-12-07, isolated runs
 * only): 88.5% over the whole suite in the clean-clone CI runs of 2026-12-07 (85% from three of the files that
 * grade JS submissions: the wire, batching, the recorder's own test).
 */
const HARNESS_JS_THRESHOLD = 85;

if (!existsSync(inProcessFile)) {
  console.error('coverage-report: no coverage/coverage-final.json (run vitest with --coverage first)');
  process.exit(1);
}
const inProcess = libCoverage.createCoverageMap(JSON.parse(readFileSync(inProcessFile, 'utf8')));

/**
 * The Node harness's records (grader/runners/harness_coverage.mjs: JSON lines of V8 coverage, each the counts since
 * the line before) as files of the children's folder, where c8 sums them with the rest.
 */
function harnessJsRecords() {
  if (!existsSync(harnessJsDir)) return;
  mkdirSync(childrenDir, { recursive: true });
  for (const name of readdirSync(harnessJsDir)) {
    const lines = readFileSync(path.join(harnessJsDir, name), 'utf8').split('\n').filter((l) => l.trim() !== '');
    // A line cut short by a killed process is not JSON: c8 skips such a file.
    lines.forEach((line, i) => writeFileSync(path.join(childrenDir, `harness-js-${path.basename(name, '.jsonl')}-${i}.json`), line));
  }
}

/** The children's coverage, remapped to the sources (empty when no child wrote any). */
async function childrenCoverage() {
  harnessJsRecords();
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
const pct = (n, total) => (total === 0 ? 100 : (100 * n) / total);
console.log('lines covered (in the test workers, and with the child processes)');
for (const { room, threshold, total, covered, inProcessOnly } of rows) {
  const ok = pct(covered, total) >= threshold;
  failed ||= !ok;
  console.log(`  ${room.padEnd(10)} ${pct(inProcessOnly, total).toFixed(2).padStart(6)}%  ${pct(covered, total).toFixed(2).padStart(6)}%  (${covered}/${total}; threshold ${threshold}%)${ok ? '' : '  BELOW THRESHOLD'}`);
}

// grader/runners/*.py, the Python the submissions' processes run: the lines each process recorded
// (runners/line_coverage.py, through grader/runner-coverage.ts) against the lines each file's code can run, read
// from the line tables of the Python that ran them. line_coverage.py itself is the measuring tool, not measured.
const PYTHON_RUNNERS = { folder: path.join(root, 'grader', 'runners'), threshold: PYTHON_THRESHOLD };
const LINE_TABLES = `
import dis, json, os, sys
def lines(code):
    found = {line for _, line in dis.findlinestarts(code) if line}
    for const in code.co_consts:
        if hasattr(const, "co_code"):
            found |= lines(const)
    return found
print(json.dumps({os.path.basename(p): sorted(lines(compile(open(p).read(), p, "exec"))) for p in sys.argv[1:]}))
`;

function pythonRunnersCoverage() {
  const ran = new Map();
  const pythons = new Set();
  for (const name of existsSync(pythonDir) ? readdirSync(pythonDir) : []) {
    for (const line of readFileSync(path.join(pythonDir, name), 'utf8').split('\n')) {
      let record;
      try {
        record = JSON.parse(line);
      } catch {
        continue; // a record cut short by a killed process
      }
      if (typeof record.python === 'string') pythons.add(record.python);
      if (typeof record.file === 'string' && Array.isArray(record.lines)) {
        const lines = ran.get(record.file) ?? new Set();
        for (const l of record.lines) lines.add(l);
        ran.set(record.file, lines);
      }
    }
  }
  if (pythons.size !== 1) {
    console.error(`coverage-report: the Python runners' coverage needs the records of one Python, found ${pythons.size} (${[...pythons].join(', ')}) in ${pythonDir}`);
    return undefined;
  }
  const files = readdirSync(PYTHON_RUNNERS.folder).filter((f) => f.endsWith('.py') && f !== 'line_coverage.py');
  const tables = JSON.parse(execFileSync([...pythons][0], ['-c', LINE_TABLES, ...files.map((f) => path.join(PYTHON_RUNNERS.folder, f))], { encoding: 'utf8' }));
  return files.map((file) => {
    const lines = tables[file];
    const covered = lines.filter((l) => ran.get(file)?.has(l));
    return { file, total: lines.length, covered: covered.length, missed: lines.filter((l) => !ran.get(file)?.has(l)) };
  });
}

const runners = pythonRunnersCoverage();
if (!runners) failed = true;
else {
  const total = runners.reduce((s, r) => s + r.total, 0);
  const covered = runners.reduce((s, r) => s + r.covered, 0);
  const ok = pct(covered, total) >= PYTHON_RUNNERS.threshold;
  failed ||= !ok;
  console.log(`  ${'grader/runners/*.py'.padEnd(10)} ${pct(covered, total).toFixed(2).padStart(6)}%  (${covered}/${total}; threshold ${PYTHON_RUNNERS.threshold}%)${ok ? '' : '  BELOW THRESHOLD'}`);
  for (const r of runners) console.log(`    ${r.file.padEnd(12)} ${pct(r.covered, r.total).toFixed(2).padStart(6)}%  (${r.covered}/${r.total})`);
}

// grader/runners/harness.mjs, the Node harness of JS/TS submissions: the lines its processes recorded
// (runners/harness_coverage.mjs), mapped to lines by c8 with the other children's coverage. Only the isolated
// sandbox's runs are recorded (the scrubbed mode's goes through tsx, which rewrites it): without the isolated
// sandbox (not root) there is nothing to hold to the threshold; grader/runner-coverage.spec.ts fails where the
// isolated recorder records nothing.
{
  const lines = children.files().includes(HARNESS_JS) ? children.fileCoverageFor(HARNESS_JS).getLineCoverage() : {};
  const total = Object.keys(lines).length;
  const covered = Object.values(lines).filter((hits) => hits > 0).length;
  const ok = total === 0 || pct(covered, total) >= HARNESS_JS_THRESHOLD;
  failed ||= !ok;
  const figure = total === 0 ? '  not measured (no run in the isolated sandbox)' : `${pct(covered, total).toFixed(2).padStart(6)}%  (${covered}/${total}; threshold ${HARNESS_JS_THRESHOLD}%)`;
  console.log(`  ${'grader/runners/harness.mjs'.padEnd(10)} ${figure}${ok ? '' : '  BELOW THRESHOLD'}`);
}
process.exit(failed ? 1 : 0);
