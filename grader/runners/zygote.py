"""gradecheck's zygote: imports the heavy libraries a submission uses once, then forks one harness per process
the grade asks for (docs/protocol.md, "The zygote"; docs/security.md).

Run as: python3 zygote.py HARNESS.py, in the sandbox a harness would run in, with
GRADECHECK_PRELOAD=torch,numpy (the modules to import first; one that fails to import is left to the harness)
and GRADECHECK_WIPE (the folders a harness can write, emptied after each one).

A grade starts its processes one after the other (visible checks, hidden checks, the notebook's execution, a
restart after a crash or a timeout); each used to pay PyTorch's import, 1.3 to 1.9 s of CPU. The zygote pays it
once and never runs student code. A forked harness speaks the protocol on the grader's fds 3 and 4 itself, as a
spawned one does; the zygote has its own two:
- fd 5 (grader -> zygote): `fork ID {"env": ENV, "submission": PATH}` (end the harness running, if any; drop the
  requests left for it on fd 3; fork harness ID in that environment, on that submission) and `end ID` (end harness ID if it is the one running). A zygote may serve successive
  grades of one grader process (grader/zygote-pool.ts): between them it is idle, swept like between harnesses.
- fd 6 (zygote -> grader): `forked ID NONCE` as each harness starts. The nonce is drawn after the fork, so the
  harness never knows it: when the harness is gone, and every process it left is killed and its folders emptied,
  the zygote writes `{"zygote-exit":{"nonce","code","signal"}}` on fd 4, after all the harness wrote there,
  and the grader takes a harness to be gone only on that line with its nonce.
While no harness runs, the zygote reads and drops what arrives on fd 3 (requests sent to one that died). As PID 1
of the sandbox's PID namespace it cannot be signalled from inside; it is not dumpable (no ptrace, no
/proc/PID/mem); as a subreaper it inherits the daemons a harness leaves, and kills them.
"""

import ctypes
import json
import os
import runpy
import select
import selectors
import shutil
import signal
import sys
import time

REQUESTS_FD, RESPONSES_FD, CONTROL_FD, EVENTS_FD = 3, 4, 5, 6
EXIT_PREFIX = b'{"zygote-exit":'
PR_SET_PDEATHSIG, PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER = 1, 4, 36
IN_SANDBOX = os.getpid() == 1


def prctl(option, value):
    try:
        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):
        pass  # not Linux: the scrubbed mode's weaker protection, as before


def preload():
    tracer = sys.gettrace()  # under the test suite's coverage of the runners, its tracer: torch imports untraced
    sys.settrace(None)
    for name in filter(None, os.environ.pop("GRADECHECK_PRELOAD", "").split(",")):
        try:
            __import__(name)
        except BaseException:  # noqa: BLE001  the harness reports it, as the submission imports it
            pass
    sys.settrace(tracer)


def write_all(fd, data):
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def run_harness(harness, submission, env, closing):
    """In the forked child: the harness, as `python3 -u harness.py SUBMISSION` would run it."""
    os.setsid()  # its own session: the scrubbed mode's sweep kills its group
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    for fd in closing:
        os.close(fd)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.environ.clear()
    os.environ.update(env)
    sys.argv = [harness, submission]
    code = 0
    try:
        runpy.run_path(harness, run_name="__main__")
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except BaseException:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        code = 1
    finally:
        try:
            import atexit
            atexit._run_exitfuncs()
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def children():
    """The zygote's children: as a subreaper it inherits every process the harness left, daemons included."""
    found = []
    try:
        for task in os.listdir("/proc/self/task"):
            with open(f"/proc/self/task/{task}/children") as f:
                found += [int(p) for p in f.read().split()]
    except OSError:
        pass
    return found


def reap_orphans():
    """Reaps what was killed: zombies would count against the sandbox's process limit. Each gets a moment to die;
    one still dying (uninterruptible sleep) is reaped at the next sweep."""
    for _ in range(200):
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return  # none left
        if pid == 0:
            time.sleep(0.005)


def remove_ipc():
    """Removes the System V shared memory, message queues and semaphores left in the sandbox's IPC namespace: they
    outlive every process."""
    libc = ctypes.CDLL(None, use_errno=True)
    removers = {"shm": lambda i: libc.shmctl(i, 0, None), "msg": lambda i: libc.msgctl(i, 0, None), "sem": lambda i: libc.semctl(i, 0, 0)}
    for kind, remove in removers.items():  # 0 is IPC_RMID
        try:
            with open(f"/proc/sysvipc/{kind}") as f:
                ids = [int(line.split()[1]) for line in f.readlines()[1:] if line.strip()]
        except (OSError, ValueError, IndexError):
            continue
        for ident in ids:
            remove(ident)


def sweep(pid, folders):
    """Kills whatever the harness left running and empties the folders it could write."""
    if IN_SANDBOX:
        try:
            os.kill(-1, signal.SIGKILL)  # every process of the namespace but PID 1
        except OSError:
            pass
        remove_ipc()
    else:
        # Its session, then every process that came back to the zygote as a subreaper (a daemon's own session).
        targets = [(os.killpg, pid)]
        for _ in range(50):
            for kill, target in targets:
                try:
                    kill(target, signal.SIGKILL)
                except OSError:
                    pass
            reap_orphans()
            targets = [(os.kill, p) for p in children()]
            if not targets:
                break
    reap_orphans()
    for folder in folders:
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for name in entries:
            target = os.path.join(folder, name)
            try:
                if os.path.isdir(target) and not os.path.islink(target):
                    shutil.rmtree(target, ignore_errors=True)
                else:
                    os.unlink(target)
            except OSError:
                pass


def readable(fd):
    return bool(select.select([fd], [], [], 0)[0])


class Harness:
    def __init__(self, ident, pid):
        self.ident = ident
        self.pid = pid
        self.nonce = os.urandom(16).hex()  # drawn in the zygote after the fork: the harness never has it
        self.exited = os.pidfd_open(pid) if hasattr(os, "pidfd_open") else None


class Zygote:
    def __init__(self, harness, wipe):
        self.harness = harness
        self.wipe = wipe
        self.selector = selectors.DefaultSelector()
        self.control = b""
        self.current = None
        self.requests_open = True
        self.watching = False
        self.selector.register(CONTROL_FD, selectors.EVENT_READ, "control")
        self.watch_requests(True)

    def serve(self):
        while True:
            # Without pidfds (not Linux), an exit is noticed by polling.
            polling = self.current is not None and self.current.exited is None
            for key, _ in self.selector.select(0.05 if polling else None):
                if key.data == "control":
                    if not self.from_control():
                        return
                elif key.data == "stale":
                    self.drop_stale()
                elif self.current is not None and key.fd == self.current.exited:
                    self.reap(self.current, os.WNOHANG)
            if polling and self.current is not None:
                self.reap(self.current, os.WNOHANG)

    def from_control(self):
        chunk = os.read(CONTROL_FD, 1 << 16)
        if not chunk:  # the grader is gone
            if self.current is not None:
                self.end(self.current)
            return False
        self.control += chunk
        while b"\n" in self.control:
            line, self.control = self.control.split(b"\n", 1)
            verb, _, rest = line.decode().partition(" ")
            ident, _, env = rest.partition(" ")
            if verb == "end" and self.current is not None and self.current.ident == ident:
                self.end(self.current)
            elif verb == "fork":
                if self.current is not None:
                    self.end(self.current)
                self.drop_stale()
                order = json.loads(env)
                self.fork(ident, order["env"], order["submission"])
        return True

    def watch_requests(self, on):
        """fd 3 is watched while no harness runs (it is the running harness's to read)."""
        on = on and self.requests_open
        if on != self.watching:
            (self.selector.register if on else self.selector.unregister)(REQUESTS_FD, *([selectors.EVENT_READ, "stale"] if on else []))
            self.watching = on

    def drop_stale(self):
        """Requests on fd 3 while no harness runs were sent to one that is gone: read and dropped."""
        while self.requests_open and readable(REQUESTS_FD):
            if not os.read(REQUESTS_FD, 1 << 16):
                self.watch_requests(False)  # the grader closed it; fd 5 tells when to stop
                self.requests_open = False

    def fork(self, ident, env, submission):
        pid = os.fork()
        if pid == 0:
            run_harness(self.harness, submission, env, [CONTROL_FD, EVENTS_FD, self.selector.fileno()])
        self.current = Harness(ident, pid)
        self.watch_requests(False)
        if self.current.exited is not None:
            self.selector.register(self.current.exited, selectors.EVENT_READ, "exited")
        write_all(EVENTS_FD, f"forked {ident} {self.current.nonce}\n".encode())

    def reap(self, child, flags):
        try:
            pid, status = os.waitpid(child.pid, flags)
        except ChildProcessError:
            pid, status = child.pid, 0
        if pid != 0:
            self.finish(child, status)

    def end(self, child):
        # The harness itself too: one forked an instant ago may not have made its session yet.
        for kill in (os.kill, os.killpg):
            try:
                kill(child.pid, signal.SIGKILL)
            except OSError:
                pass
        self.reap(child, 0)

    def finish(self, child, status):
        """The harness is gone: sweep what it left, then say so on fd 4, after everything it wrote there."""
        sweep(child.pid, self.wipe)
        if child.exited is not None:
            self.selector.unregister(child.exited)
            os.close(child.exited)
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
        sig = signal.Signals(os.WTERMSIG(status)).name if os.WIFSIGNALED(status) else None
        end = json.dumps({"nonce": child.nonce, "code": code, "signal": sig}).encode()
        # On a line of its own: the harness may have died halfway through one.
        try:
            write_all(RESPONSES_FD, b"\n" + EXIT_PREFIX + end + b"}\n")
        except OSError:
            pass  # the grader is gone: fd 5 will say so
        self.current = None
        self.watch_requests(True)


def main():
    harness = sys.argv[1]
    wipe = [f for f in os.environ.pop("GRADECHECK_WIPE", "").split(os.pathsep) if f]
    prctl(PR_SET_DUMPABLE, 0)
    prctl(PR_SET_CHILD_SUBREAPER, 1)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    preload()
    Zygote(harness, wipe).serve()


if __name__ == "__main__":
    main()
