// The test suite's coverage of harness.mjs (grader/runner-coverage.ts), the Node counterpart of line_coverage.py.
// Imported before the harness only under `vitest --coverage`; in a real grade it is never loaded.
//
// V8's precise coverage of harness.mjs, as NODE_V8_COVERAGE would record it, written as one JSON line to fd 7
// just before the first response the harness sends after requests arrive: the grader kills the harness with SIGKILL
// when it is done with it, so nothing can be left for an exit handler. Once per arrival, not per write: a submission
// may write to fd 4 itself, a thousand times in one call (hostile/js-protocol-spoof.mjs), and taking the coverage
// costs milliseconds. A line holds the counts since the one before (taking the coverage resets V8's counters), and
// is written only when some block ran for the first time; bin/coverage-report.mjs sums the lines. The harness runs as /gradecheck/harness.mjs in the isolated
// sandbox: its records name the real file, given as this module's `harness` query parameter.

import fs from 'node:fs';
import { Session } from 'node:inspector';
import { Readable } from 'node:stream';

const COVERAGE_FD = 7;
const RESPONSES_FD = 4;
const harness = new URL(import.meta.url).searchParams.get('harness');

// Loaded only in the isolated sandbox: the scrubbed mode starts the harness through tsx's loader, which hands V8 a
// rewritten harness.mjs whose offsets are not the file's (c8, summing them with the file's, marked lines that ran
// as never run).
const session = new Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: true });

const write = fs.writeSync;
/** The blocks seen run so far, as `function@start-end`. */
const ran = new Set();

/** Whether `script` ran a block it had not run before (and remembers its blocks). */
function ranSomethingNew(script) {
  let fresh = false;
  for (const fn of script.functions) {
    for (const range of fn.ranges) {
      const key = `${fn.functionName}@${range.startOffset}-${range.endOffset}`;
      if (range.count > 0 && !ran.has(key)) {
        ran.add(key);
        fresh = true;
      }
    }
  }
  return fresh;
}

function record() {
  // A session of this thread answers synchronously: the record is written before the response.
  session.post('Profiler.takePreciseCoverage', (error, taken) => {
    if (error) return;
    const result = taken.result.filter((script) => script.url.endsWith('/harness.mjs')).map((script) => ({ ...script, url: harness }));
    try {
      if (result.filter(ranSomethingNew).length > 0) write(COVERAGE_FD, `${JSON.stringify({ result })}\n`);
    } catch {
      // fd 7 closed (a submission may close it): the rest of this process goes unrecorded.
    }
  });
}

// Requests arrive on fd 3 through a socket, whose data is pushed into its stream (any other stream's data only
// makes the next record come sooner).
let arrived = true; // the greeting, sent before any request
const push = Readable.prototype.push;
Readable.prototype.push = function pushed(chunk, ...rest) {
  if (chunk !== null) arrived = true;
  return push.call(this, chunk, ...rest);
};

fs.writeSync = function writeSync(fd, ...rest) {
  if (fd === RESPONSES_FD && arrived) {
    arrived = false;
    record();
  }
  return write.call(fs, fd, ...rest);
};
