"""Which lines of gradecheck's Python runners ran: the test suite's coverage of this folder
(bin/coverage-report.mjs). Never part of a real grade.

Run as: python3 -u line_coverage.py RUNNER.py ARGS... (grader/runner-coverage.ts puts it in front of a runner
under `vitest --coverage` and opens the file it writes as fd 7). It starts a line tracer, then runs RUNNER.py as
`python3 -u RUNNER.py ARGS...` would. The line events in this folder's files are recorded (a function or a call
that keeps running lines already seen stops being traced: QUIET_CALLS, QUIET_LINES below). The lines not yet
written are appended to fd 7 as JSON lines, {"file": NAME, "lines": [...]}: at exit (os._exit included), and at
each call in runner code after new lines ran (the zygote ends each harness with SIGKILL: it never exits). A
forked child (the zygote's harnesses) keeps the tracer. Other code (the submission, numpy, torch) is never traced
line by line, but with any trace function set CPython 3.11 runs every frame on its slower tracing path (torch code a
third slower): so the submission's code runs with no trace function (execute.py around a notebook's cells,
harness.py's `untraced`, the zygote's preload), and only the test files about the runners trace at all
(grader/test-setup.ts).

Python 3.11 has no sys.monitoring; this is the line tracer coverage.py's PyTracer would be, for four files.
"""

import atexit
import fcntl
import json
import os
import runpy
import sys
import threading

COVERAGE_FD = 7
SELF = os.path.abspath(__file__)
HERE = os.path.dirname(SELF) + os.sep
_dumps, _write = json.dumps, os.write  # taken before a submission can replace them

# A function or loop that keeps running lines already seen stops being traced, as a sampling profiler would stop
# looking: a runner's hot paths (encoding each number of an answer, comparing arguments element by element) cost
# the traced process most of its slowdown. Lines first reached after that go unrecorded: the figure can only be
# lower than the truth. A harness serves one problem's checks, so each process starts counting afresh.
QUIET_CALLS = 200  # consecutive calls of a function that ran no new line: its later calls run untraced
QUIET_LINES = 2000  # consecutive line events of one call with no new line: the rest of that call runs untraced

_is_runner = {}  # co_filename -> whether it is a file of this folder
_quiet_calls = {}  # id(code) of a runner's code object (they live as long as the process) -> consecutive quiet calls
_seen = set()  # (co_filename, line)
_new = []  # of _seen, not written yet
_wrote_python = False


def _record(key):
    if key not in _seen:
        _seen.add(key)
        _new.append(key)


def _global(frame, event, arg):
    code = frame.f_code
    file = code.co_filename
    runner = _is_runner.get(file)
    if runner is None:  # this folder's files, not the submission staged below it (/gradecheck/submission/), not this one
        path = os.path.abspath(file)
        runner = _is_runner[file] = os.path.dirname(path) + os.sep == HERE and path != SELF
    if not runner:
        return None  # not a runner: its lines are never traced
    key = id(code)
    if _quiet_calls.get(key, 0) >= QUIET_CALLS:
        return None
    seen_before = len(_seen)
    if frame.f_lineno:  # the call: a function's `def` line (a module's is 0)
        _record((file, frame.f_lineno))
    if _new:
        flush()
    quiet_lines = 0

    def local(frame, event, arg):
        nonlocal quiet_lines
        if event == "line":
            line = (file, frame.f_lineno)
            if line in _seen:
                quiet_lines += 1
                if quiet_lines >= QUIET_LINES:
                    frame.f_trace_lines = False
            else:
                _seen.add(line)
                _new.append(line)
                quiet_lines = 0
        elif event == "return":
            _quiet_calls[key] = 0 if len(_seen) > seen_before else _quiet_calls.get(key, 0) + 1
        return local

    return local


def trace_function():
    """The tracer, for runner code that sets its own trace function and restores it (execute.py's cell timeout)."""
    return _global


def flush():
    """Appends the lines recorded since the last flush to fd 7."""
    global _wrote_python
    if not _new:
        return
    by_file = {}
    for file, line in _new:
        by_file.setdefault(os.path.basename(file), []).append(line)
    del _new[:]
    try:
        if not _wrote_python:  # which Python: the line tables bin/coverage-report.mjs reads are its version's
            _write(COVERAGE_FD, (_dumps({"python": sys.executable}) + "\n").encode())
            _wrote_python = True
        for name, lines in by_file.items():
            _write(COVERAGE_FD, (_dumps({"file": name, "lines": sorted(lines)}) + "\n").encode())
    except OSError:
        pass  # the descriptor is gone (a submission closed it): these lines are lost, the grade is not


def _exit_flushed(code):
    """os._exit, which skips atexit (the zygote's harnesses end with it after their own atexit functions)."""
    flush()
    _exit(code)


def _coverage_file_open():
    """Whether fd 7 is the coverage file (opened to append). The grader could not open one (the tests run it as
    another user) when it is not, and a file the runner opens later might become fd 7: nothing is traced then."""
    try:
        return bool(fcntl.fcntl(COVERAGE_FD, fcntl.F_GETFL) & os.O_APPEND)
    except OSError:
        return False


if __name__ == "__main__":
    if _coverage_file_open():
        sys.modules["gradecheck_line_coverage"] = sys.modules[__name__]  # execute.py restores the tracer by this name
        atexit.register(flush)
        _exit, os._exit = os._exit, _exit_flushed
        threading.settrace(_global)
        sys.settrace(_global)
    sys.argv = sys.argv[1:]
    runpy.run_path(sys.argv[0], run_name="__main__")
