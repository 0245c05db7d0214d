// Benchmark: batch throughput for a generated class (default 200 submissions) with 1 and 2 workers, and the
// peak memory of the batch with everything it started. Prints figures; asserts nothing about speed.
// Run with `npx tsx bench/batch.ts [--count N] [--jobs 1,2]` (or `npm run bench`);
// `npx tsx bench/batch.ts --generate DIR [--count N]` only writes the class and its assignment (for trying
// `gradecheck batch` by hand: DIR/assignment.yaml, DIR/submissions/).
//
// The class, generated from the softmax fixtures, each file made unique by a header line so that the
// content-hash cache never answers for another student: 40% correct (correct.py, alt-loops.py,
// correct.mjs), 40% with a mistake (each bug-*.py and bug-missing-diag.ts in turn), 20% slow (correct.py
// whose softmax sleeps 2 ms per call and whose import sleeps 0.5 s). The assignment: seed-000's two softmax
// problems, with its points and priced mistakes (fixtures/assignments/catalog-seed-000.yaml), since grading the
// whole seed-003 homework 200 times would take the better part of an hour here; bench/grade.ts gives one
// seed-003 grade, from which its batch rate follows (workers / seconds per grade).
//
// Memory: every 200 ms, the resident set of this process and of all its descendants (batch workers, the
// students' processes), summed, from /proc; the peak is printed, with the peak of this process alone.

import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml, stringify } from 'yaml';
import { loadAssignment } from '../grader/assignment.ts';
import { runBatch } from '../grader/batch.ts';
import { summarize } from '../grader/gradebook.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const softmax = path.join(root, 'fixtures', 'submissions', 'softmax');
const CORRECT = ['correct.py', 'alt-loops.py', 'correct.mjs'];
const BUGGY = [...readdirSync(softmax).filter((f) => f.startsWith('bug-') && f.endsWith('.py')).sort(), 'bug-missing-diag.ts'];
const SLOW = [
  '',
  'import time as _time',
  '_time.sleep(0.5)',
  '_softmax = softmax',
  'def softmax(z, tau):',
  '    _time.sleep(0.002)',
  '    return _softmax(z, tau)',
  '',
].join('\n');

export type Kind = 'correct' | 'buggy' | 'slow';

/** Writes `count` submissions and the assignment into `dir`; returns the kinds by student id. */
export function generateClass(dir: string, count: number): Record<string, Kind> {
  const seed000 = parseYaml(readFileSync(path.join(root, 'fixtures', 'assignments', 'catalog-seed-000.yaml'), 'utf8')) as { problems: { id: string }[] } & Record<string, unknown>;
  const problems = seed000.problems.filter((p) => p.id === 'softmax-temperature' || p.id === 'softmax-jacobian');
  writeFileSync(path.join(dir, 'assignment.yaml'), stringify({ ...seed000, name: 'bench: seed-000 softmax', problems }));
  const kinds: Record<string, Kind> = {};
  for (let k = 0; k < count; k++) {
    const id = `student-${String(k).padStart(3, '0')}`;
    const slot = k % 10;
    const kind: Kind = slot < 4 ? 'correct' : slot < 8 ? 'buggy' : 'slow';
    const file = kind === 'correct' ? CORRECT[k % CORRECT.length]! : kind === 'buggy' ? BUGGY[k % BUGGY.length]! : 'correct.py';
    const ext = path.extname(file);
    const header = ext === '.py' ? `# ${id}\n` : `// ${id}\n`;
    mkdirSync(path.join(dir, 'submissions', id), { recursive: true });
    writeFileSync(path.join(dir, 'submissions', id, `hw1${ext}`), header + readFileSync(path.join(softmax, file), 'utf8') + (kind === 'slow' ? SLOW : ''));
    kinds[id] = kind;
  }
  return kinds;
}

/** Resident set (bytes) of `pid` and all its descendants, from /proc. */
function treeRss(pid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
      rss.set(Number(entry), Number(fields[21]) * 4096);
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  const stack = [pid];
  while (stack.length) {
    const p = stack.pop()!;
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

export async function benchBatch(count = 200, jobsList: readonly number[] = [1, 2]): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gradecheck-bench-batch-'));
  const kinds = generateClass(dir, count);
  const assignment = loadAssignment(path.join(dir, 'assignment.yaml'));
  const mix = Object.values(kinds).reduce<Record<string, number>>((acc, k) => ({ ...acc, [k]: (acc[k] ?? 0) + 1 }), {});
  console.log(`bench batch: ${count} submissions (${Object.entries(mix).map(([k, n]) => `${n} ${k}`).join(', ')}), ${assignment.name}; ${os.availableParallelism()} cores; load average ${load()}`);
  console.log('workers | wall s | submissions/min | s per submission per worker | peak RSS, all processes | peak RSS, batch process | graded | mean score | target 60/min');
  for (const jobs of jobsList) {
    const out = path.join(dir, `out-${jobs}`);
    let peakTree = 0;
    let peakSelf = 0;
    const poll = setInterval(() => {
      peakTree = Math.max(peakTree, treeRss(process.pid));
      peakSelf = Math.max(peakSelf, process.memoryUsage().rss);
    }, 200);
    const t0 = performance.now();
    const rows = await runBatch({ assignment, submissionsDir: path.join(dir, 'submissions'), outDir: out, jobs });
    const seconds = (performance.now() - t0) / 1000;
    clearInterval(poll);
    const summary = summarize(assignment, rows);
    const perMinute = (count / seconds) * 60;
    const mib = (b: number) => `${Math.round(b / 2 ** 20)} MiB`;
    console.log(
      [jobs, seconds.toFixed(1), perMinute.toFixed(1), ((seconds * jobs) / count).toFixed(2), mib(peakTree), mib(peakSelf), `${summary.graded}/${count}`, `${summary.meanScore.toFixed(2)}/${summary.maxScore}`, perMinute >= 60 ? 'met' : 'missed'].join(' | '),
    );
  }
  console.log(`load average after: ${load()}; class and outputs in ${dir}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const count = Number(option('--count') ?? 200);
  const generate = option('--generate');
  if (generate) {
    mkdirSync(generate, { recursive: true });
    generateClass(generate, count);
    console.log(`wrote ${count} submissions to ${path.join(generate, 'submissions')} and ${path.join(generate, 'assignment.yaml')}`);
  } else {
    await benchBatch(count, (option('--jobs') ?? '1,2').split(',').map(Number));
  }
}
