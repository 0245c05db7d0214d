"""gradecheck's Python harness: loads one student submission and answers the grader's calls.

Run as: python3 harness.py SUBMISSION.py
Protocol (docs/protocol.md): one JSON object per line; requests arrive on fd 3, responses leave on fd 4.
The student's own stdout and stderr stay on fd 1 and 2, where the grader captures (and caps) them but never
parses them, so nothing a submission prints can pass for a protocol message.
"""

import ast
import atexit
import base64
import json
import math
import os
import re
import resource
import shutil
import sys
import tempfile
import time
import traceback
import types

REQUESTS_FD, RESPONSES_FD = 3, 4


def untraced(fn, *args, **kwargs):
    """fn(*args, **kwargs): the submission's code, its imports included. Under the test suite's coverage of the
    runners (line_coverage.py) it runs with no trace function set: with one, CPython 3.11 runs every frame on its
    slower path (a test file of bindings took 27 s untraced, 48 s traced). What it calls back in the runners goes
    unrecorded. In a grade there is no trace function."""
    tracer = sys.gettrace()
    if tracer is None:
        return fn(*args, **kwargs)
    sys.settrace(None)
    try:
        return fn(*args, **kwargs)
    finally:
        sys.settrace(tracer)


def limit_memory():
    mb = int(os.environ.get("GRADECHECK_MEMORY_MB", "0"))
    if mb > 0:
        limit = mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def use_matplotlib_fontlist():
    """matplotlib's font list, built once by the grader (grader/matplotlib-fonts.ts), copied into a private
    temporary MPLCONFIGDIR: matplotlib then loads it instead of rebuilding it (0.1 to 0.2 s here) and warning
    that it made a temporary config dir. The grader's file is only read; whatever goes wrong, matplotlib does as
    before."""
    source = os.environ.pop("GRADECHECK_MPL_FONTLIST", "")
    name = os.path.basename(source)
    if not re.fullmatch(r"fontlist-v[0-9]+\.json", name):
        return
    try:
        if not os.path.isfile(source) or os.path.getsize(source) > 4 * 1024 * 1024:
            return
        # Mode 0700, a fresh name: nothing to follow. In the working directory, which the grader empties or removes
        # whatever happens: a harness killed at a timeout never runs its atexit (the scrubbed mode's /tmp kept one).
        folder = tempfile.mkdtemp(prefix=".gradecheck-mpl-", dir=os.getcwd())
    except OSError:
        return
    atexit.register(shutil.rmtree, folder, True)
    try:
        shutil.copyfile(source, os.path.join(folder, name))
    except OSError:
        pass  # an empty dir is still a writable MPLCONFIGDIR: matplotlib builds the list there, without a warning
    os.environ["MPLCONFIGDIR"] = folder


# ---- values ---------------------------------------------------------------------------------------------

def _np():
    return sys.modules.get("numpy")


def _torch():
    return sys.modules.get("torch")


# The harness's own references, taken before any student code runs: a submission that monkeypatches json.dumps,
# math.isnan or base64 (fixtures/submissions/hostile/monkeypatch-builtins.py) cannot change how answers are
# encoded. (json.dumps rewriting "NaN" would otherwise corrupt a base64 array whose text happens to hold it.)
_json_dumps, _isnan, _isinf, _b64encode = json.dumps, math.isnan, math.isinf, base64.b64encode


def encode_float(x):
    if _isnan(x):
        return {"$float": "nan"}
    if _isinf(x):
        return {"$float": "inf" if x > 0 else "-inf"}
    return x


# Float arrays of at least this many entries travel as base64 of their little-endian float64 bytes
# ({"$f64": ..., "shape": [...]}): exact like JSON's repr, NaN and infinities included, and about 40x cheaper
# to encode than json.dumps of a 256 x 256 list (docs/protocol.md).
BINARY_MIN_ENTRIES = 64


def encode_binary(wide):
    return {"$f64": _b64encode(wide.astype("<f8").tobytes()).decode("ascii"), "shape": list(wide.shape)}


class ResponseTooLarge(Exception):
    """An answer that cannot fit in a response (every number takes at least 2 bytes of JSON): refused before
    spending seconds encoding it."""


MAX_RESPONSE_BYTES = int(os.environ.get("GRADECHECK_MAX_RESPONSE_BYTES", "0"))


def check_size(n):
    if MAX_RESPONSE_BYTES > 0 and 2 * n > MAX_RESPONSE_BYTES:
        raise ResponseTooLarge(f"the answer has {n} entries, more than a {MAX_RESPONSE_BYTES}-byte response can hold")


class Encoder:
    """Turns what a submission returned into JSON values; remembers whether any float was float32/16."""

    def __init__(self):
        self.low_precision = False

    def encode(self, v):
        np, torch = _np(), _torch()
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, int):
            return v
        if isinstance(v, float):
            return encode_float(v)
        if torch is not None and isinstance(v, torch.Tensor):
            if v.dtype in (torch.float32, torch.float16, torch.bfloat16):
                self.low_precision = True
            return self.encode(v.detach().cpu().double().numpy() if v.is_floating_point() else v.detach().cpu().numpy())
        if np is not None:
            if isinstance(v, np.ndarray):
                check_size(v.size)
                if v.dtype in (np.float32, np.float16):
                    self.low_precision = True
                if v.dtype == object:
                    return [self.encode(x) for x in v.tolist()]
                if v.dtype.kind in "iub":
                    return v.tolist()  # ints and bools only: nothing to tag
                if v.dtype.kind == "f":
                    wide = v.astype(np.float64)
                    if wide.ndim >= 1 and wide.size >= BINARY_MIN_ENTRIES:
                        return encode_binary(wide)
                    # Fast path: all finite, so tolist() is already the JSON (per-element encoding costs 25x more).
                    return wide.tolist() if bool(np.isfinite(wide).all()) else self.encode(wide.tolist())
                if v.dtype.kind == "c":
                    return self.encode(v.tolist())
                return {"$unsupported": f"numpy array of dtype {v.dtype}"}
            if isinstance(v, np.generic):
                if isinstance(v, (np.float32, np.float16)):
                    self.low_precision = True
                return self.encode(v.item())
        if isinstance(v, (list, tuple)):
            check_size(len(v))
            return [self.encode(x) for x in v]
        if isinstance(v, dict):
            return {str(k): self.encode(x) for k, x in v.items()}
        return {"$unsupported": f"{type(v).__name__}: {repr(v)[:200]}"}


def decode(v, as_int=False):
    """JSON args to what a student function expects: numeric (nested) lists become float64 numpy arrays
    (int64 for the arguments the problem declares integer, such as class labels)."""
    return _to_arrays(_decode_nonfinite(v), as_int)


def _decode_nonfinite(v):
    if isinstance(v, dict):
        if "$float" in v:
            return float(v["$float"])
        return {k: _decode_nonfinite(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_decode_nonfinite(x) for x in v]
    return v


def _to_arrays(v, as_int):
    np = _np()
    if isinstance(v, list):
        if np is not None and _is_numeric_tree(v):
            return np.array(v, dtype=np.int64 if as_int else np.float64)
        return [_to_arrays(x, as_int) for x in v]
    if isinstance(v, dict):
        return {k: _to_arrays(x, as_int) for k, x in v.items()}
    return v


def _is_number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _is_numeric_tree(v):
    """A rectangular nested list of numbers (what numpy turns into a plain array). A list of matrices of
    different shapes (an MLP's weights) is not one: it stays a list of arrays."""
    return isinstance(v, list) and _shape(v) is not None


def _shape(v):
    """The shape of a rectangular nested list of numbers, or None if it is not one."""
    if _is_number(v):
        return ()
    if not isinstance(v, list):
        return None
    if not v:
        return (0,)
    shapes = {_shape(x) for x in v}
    if len(shapes) != 1 or None in shapes:
        return None
    return (len(v),) + shapes.pop()


def snapshot(args):
    import copy
    return copy.deepcopy(args)


def same(a, b):
    np = _np()
    if np is not None and isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=True))
    if isinstance(a, (list, tuple)):
        return isinstance(b, (list, tuple)) and len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b or (a != a and b != b)


# ---- loading the submission -----------------------------------------------------------------------------

def relevant_traceback(exc, filename):
    """The traceback frames that point into the submission (the harness's own frames are noise to a student)."""
    if isinstance(exc, SyntaxError):
        return "".join(traceback.format_exception_only(type(exc), exc))[-4000:]
    # The innermost 100 frames: a recursion bomb's 30000 would take a second to describe.
    frames = [f for f in traceback.extract_tb(exc.__traceback__, limit=-100) if f.filename != __file__]
    text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
    return (text + "".join(traceback.format_exception_only(type(exc), exc)))[-4000:]


class MissingModule(types.ModuleType):
    """Stands in for a module the submission imports that this machine does not have (tensorflow, medmnist,
    torchvision): importing it works, using it raises. Code that never uses it (a data loader the grader does
    not call) costs nothing; code that does fails with a message that names the module."""

    def __init__(self, name):
        super().__init__(name)
        self.__path__ = []  # a package, so `from tensorflow.keras import datasets` imports too

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return MissingAttribute(self.__name__ + "." + attr)


class MissingAttribute:
    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return MissingAttribute(self._name + "." + attr)

    def __call__(self, *args, **kwargs):
        root = self._name.split(".")[0]
        USED_MISSING.add(root)
        raise ModuleNotFoundError(f"{self._name} needs the module '{root}', which is not installed where this is graded")

    def __getitem__(self, key):  # medmnist's INFO['bloodmnist'], as the starter reads it
        self()

    def __mro_entries__(self, bases):
        return (object,)


# Modules the submission imported that are not installed, and those of them its graded code tried to use.
STUBBED_MISSING, USED_MISSING = set(), set()
# Never stubbed: without them nothing can be graded, and their absence is the environment's failure, reported as
# ungradable (ENVIRONMENT_MODULES in grader/python.ts).
ESSENTIAL_MODULES = {"numpy", "torch"}


class MissingModuleFinder:
    """A last-resort import finder: a module that no other finder has, imported by the submission's own code
    (never by a library: numpy's and torch's optional imports must keep failing as they expect), becomes a
    MissingModule."""

    folder = None

    @staticmethod
    def find_spec(name, path=None, target=None):
        import importlib.machinery
        root = name.split(".")[0]
        if root in ESSENTIAL_MODULES or root in sys.builtin_module_names or MissingModuleFinder.in_folder(root) \
                or not MissingModuleFinder.imported_by_submission():
            return None
        STUBBED_MISSING.add(root)
        return importlib.machinery.ModuleSpec(name, MissingModuleFinder, is_package=True)

    @staticmethod
    def in_folder(root):
        """A module of the submission's own folder (its mytorch/ package) is never stubbed: a submodule missing
        from it is the student's import error, to be reported with its file and line."""
        folder = MissingModuleFinder.folder
        return folder is not None and (os.path.isdir(os.path.join(folder, root)) or os.path.isfile(os.path.join(folder, root + ".py")))

    @staticmethod
    def imported_by_submission():
        frame = sys._getframe(2)
        while frame is not None and (frame.f_code.co_filename.startswith("<frozen") or frame.f_code.co_filename == __file__):
            frame = frame.f_back
        if frame is None or MissingModuleFinder.folder is None:
            return False
        # A notebook's own cells, run by execute.py, are the submission's code too (its unused `import medmnist`).
        return frame.f_code.co_filename.startswith("<notebook cell ") or \
            os.path.abspath(frame.f_code.co_filename).startswith(MissingModuleFinder.folder + os.sep)

    @staticmethod
    def create_module(spec):
        return MissingModule(spec.name)

    @staticmethod
    def exec_module(module):
        pass


def written_by_submission(obj, folder, provided):
    """Whether a callable is the student's own work: defined in a file of the submission's folder (the
    submission, its helper modules, its packages), not imported from a library (sklearn's confusion_matrix)
    and not one of the helpers the handout provides (seed 002's sigmoid)."""
    if getattr(obj, "__name__", None) in provided:
        return False
    module = sys.modules.get(getattr(obj, "__module__", None) or "")
    if module is None:
        return False
    if module.__name__ == "submission":
        return True
    source = getattr(module, "__file__", None)
    return bool(source) and os.path.abspath(source).startswith(folder + os.sep)


def library_origin(obj):
    module = getattr(obj, "__module__", None) or "a library"
    return module.split(".")[0] if module != "submission" else "the handout"


def load_submission(path):
    """Imports the submission. If a top-level statement fails (a missing module, a stray training loop that
    raises), runs the remaining statements one by one so that what it does define can still be graded."""
    module = types.ModuleType("submission")
    module.__file__ = path
    sys.modules["submission"] = module
    with open(path, encoding="utf-8", errors="replace") as f:
        source = f.read()
    # The submission's folder is importable: helper modules and packages with relative imports (mytorch/).
    folder = os.path.dirname(os.path.abspath(path))
    sys.path.insert(0, folder)
    MissingModuleFinder.folder = folder
    sys.meta_path.append(MissingModuleFinder)
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        return module, [{"kind": "syntax", "message": f"SyntaxError: {exc.msg} (line {exc.lineno})",
                         "traceback": relevant_traceback(exc, path)}]
    problems = []
    try:
        untraced(exec, compile(tree, path, "exec"), module.__dict__)
        return module, problems
    except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt from student code too
        problems.append({"kind": "import", "message": f"{type(exc).__name__}: {exc}",
                         "traceback": relevant_traceback(exc, path)})
    module.__dict__.clear()
    module.__name__, module.__file__ = "submission", path  # functions defined below record their module by it
    for stmt in tree.body:
        try:
            untraced(exec, compile(ast.Module(body=[stmt], type_ignores=[]), path, "exec"), module.__dict__)
        except BaseException:  # noqa: BLE001
            pass
    return module, problems


# ---- the loop -------------------------------------------------------------------------------------------

def seed_student_rngs(seed, torch_only=False):
    """Student code may draw random numbers (initialisers): seeding every RNG it could use makes the same
    submission get the same answers, and so the same score, on every run."""
    if not torch_only:
        import random
        random.seed(seed)
        np = _np()
        if np is not None:
            np.random.seed(seed % (2 ** 32))
    torch = _torch()
    if torch is not None:
        torch.manual_seed(seed)


def main():
    path = sys.argv[1]
    limit_memory()
    use_matplotlib_fontlist()
    seed = int(os.environ.get("GRADECHECK_SEED", "0"))
    seed_student_rngs(seed)
    requests = os.fdopen(REQUESTS_FD, "rb", buffering=0)
    responses = os.fdopen(RESPONSES_FD, "wb", buffering=0)
    # Keep the protocol pipes away from student code that writes to fd 3/4 by accident.
    os.set_inheritable(REQUESTS_FD, False)
    os.set_inheritable(RESPONSES_FD, False)

    def send(obj):
        responses.write((_json_dumps(obj, allow_nan=False) + "\n").encode())

    send({"op": "hello"})  # before any student code runs: the process started as it should
    module, load_problems = load_submission(path)
    provided = set(filter(None, os.environ.get("GRADECHECK_PROVIDED", "").split(",")))
    session = Session(module, os.path.dirname(os.path.abspath(path)), provided)
    session.send = send  # execute.py announces each cell it starts
    adapter_file = os.environ.get("GRADECHECK_ADAPTER")
    stood_in = set()  # missing modules the adapter stands in for when it calls the student's code
    if adapter_file:
        session.adapter, adapter_problems = load_adapter(adapter_file, module)
        load_problems += adapter_problems
        stood_in = set(getattr(session.adapter, "STANDS_IN_FOR", ()))
    torch_seeded = _torch() is not None
    if torch_seeded:
        seed_student_rngs(seed, torch_only=True)
    defined = sorted(k for k, v in module.__dict__.items() if callable(v) and not k.startswith("_") and session.owns(v))
    send({"op": "ready", "defined": defined, "loadErrors": load_problems, "missingModules": sorted(STUBBED_MISSING - stood_in),
          "numpy": _np() is not None, "torch": _torch() is not None})

    def answer(request):
        nonlocal torch_seeded
        if not torch_seeded and _torch() is not None:  # imported lazily inside a function
            seed_student_rngs(seed, torch_only=True)
            torch_seeded = True
        handle(request, session, send)

    buffer = b""
    while True:
        chunk = requests.read(1 << 16)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                request = json.loads(line)
                # A batch: the calls one after the other, each answered as it finishes (the grader times each).
                for one in request.get("requests", []) if request.get("op") == "batch" else [request]:
                    answer(one)


class Session:
    """The instances a submission's classes made, by handle, with the arguments they were built from; the
    staff's adapter module, if the assignment has one; what counts as the student's own code."""

    def __init__(self, module, folder, provided):
        self.module = module
        self.folder = folder
        self.provided = provided
        self.adapter = None
        self.instances = {}
        self.next_handle = 1

    def owns(self, obj):
        return written_by_submission(obj, self.folder, self.provided)

    def lookup(self, name, scope):
        """The callable a request names, or an error response's (type, message) when there is none the
        student wrote: a name bound to a library's function or to a helper the handout provides is not theirs."""
        if scope == "execution":  # executing a notebook cell by cell (execute.py)
            return execution_entry(name, self)
        if scope == "adapter":
            target = getattr(self.adapter, name, None) if self.adapter is not None else None
            return (target, None) if callable(target) else (None, ("harness", f"the assignment's adapter defines no {name}"))
        target = getattr(self.module, name, None)
        if not callable(target):
            return None, ("missing", f"{name} is not defined")
        if not self.owns(target):
            origin = "a helper the handout provides" if name in self.provided else f"imported from {library_origin(target)}"
            return None, ("missing", f"{name} is not defined by the submission ({origin}, not the student's own code)")
        return target, None


def execution_entry(name, session):
    """The calls of grader/execution/: `execute(cells, config)` runs the notebook's cells in this process,
    `model_state(key)` reads back a model the execution built for the checks."""
    if name not in ("execute", "model_state"):
        return None, ("harness", f"no execution request {name}")
    import importlib.util
    spec = importlib.util.spec_from_file_location("gradecheck_execute", os.path.join(os.path.dirname(os.path.abspath(__file__)), "execute.py"))
    execute = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(execute)
    if name == "model_state":
        return (lambda key: execute.model_state(key, session)), None
    return (lambda cells, config: execute.execute(cells, config, session)), None


def load_adapter(path, submission):
    """Runs the staff's adapter (a Python file next to the assignment that exposes catalog functions built from
    the handout's interface) with the student's module importable as `submission`."""
    adapter = types.ModuleType("gradecheck_adapter")
    adapter.__file__ = path
    adapter.submission = submission
    sys.modules["gradecheck_adapter"] = adapter
    try:
        with open(path, encoding="utf-8") as f:
            untraced(exec, compile(f.read(), path, "exec"), adapter.__dict__)
    except BaseException as exc:  # noqa: BLE001
        return adapter, [{"kind": "adapter", "message": f"the assignment's adapter failed: {type(exc).__name__}: {exc}",
                          "traceback": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))[-4000:]}]
    # What the adapter found wrong with the student's code while loading it (a package that fails to import).
    return adapter, list(getattr(adapter, "LOAD_ERRORS", []))


def error_response(rid, exc, module):
    return {"id": rid, "ok": False, "error": {"type": type(exc).__name__, "message": str(exc)[:2000],
                                             "traceback": relevant_traceback(exc, module.__file__)}}


def handle(request, session, send):
    op = request.get("op", "call")
    rid = request.get("id")
    module = session.module
    missing = None
    if op == "call":
        target_name = request.get("fn")
        target, missing = session.lookup(target_name, request.get("scope"))
    elif op == "new":
        target_name = request.get("cls")
        target, missing = session.lookup(target_name, request.get("scope"))
    elif op in ("invoke", "inspect"):
        entry = session.instances.get(request.get("handle"))
        if entry is None:
            send({"id": rid, "ok": False, "error": {"type": "harness", "message": "unknown instance"}})
            return
        if op == "inspect":
            respond(rid, entry.current_args(), None, None, send)
            return
        target_name = request.get("method")
        target = entry.method(target_name)
    else:
        send({"id": rid, "ok": False, "error": {"type": "harness", "message": f"unknown op {op}"}})
        return
    if missing is not None or not callable(target):
        kind, message = missing or ("missing", f"{target_name} is not defined")
        send({"id": rid, "ok": False, "error": {"type": kind, "message": message}})
        return
    int_args = set(request.get("intArgs", []))
    try:
        raw = request.get("args", [])
        if op == "new" and raw and isinstance(raw[0], list):
            # The parameters of an optimizer: a list of arrays, whatever their shapes.
            args = [[decode(p) for p in raw[0]]] + [decode(a) for a in raw[1:]]
        else:
            args = [decode(a, i in int_args) for i, a in enumerate(raw)]
        args = [convert(a, c) for a, c in zip(args, request.get("convert") or [None] * len(args))]
        int_kwargs, int_globals = set(request.get("intKwargs") or []), set(request.get("intGlobals") or [])
        kwargs = {k: convert(decode(v, k in int_kwargs), (request.get("kwconvert") or {}).get(k)) for k, v in (request.get("kwargs") or {}).items()}
        set_globals = {k: convert(decode(v, k in int_globals), (request.get("globalsConvert") or {}).get(k)) for k, v in (request.get("setGlobals") or {}).items()}
    except Exception as exc:  # noqa: BLE001
        send({"id": rid, "ok": False, "error": {"type": "harness", "message": f"cannot decode arguments: {exc}"}})
        return
    before = snapshot(args) if op == "call" and not request.get("inPlace") else None
    try:
        if op == "new":
            entry = Instance.create(target, args, request.get("form"))
            session.instances[session.next_handle] = entry
            send({"id": rid, "ok": True, "value": session.next_handle})
            session.next_handle += 1
            return
        for name, value in set_globals.items():
            setattr(module, name, value)
        started = time.perf_counter()
        # A notebook's execution is the runners' own code (execute.py runs each cell untraced itself).
        result = target(*args, **kwargs) if request.get("scope") == "execution" else untraced(target, *args, **kwargs)
        compute_ms = (time.perf_counter() - started) * 1000
        if request.get("readGlobals"):
            result = {"result": result, "globals": {name: getattr(module, name, None) for name in request["readGlobals"]}}
    except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt, custom BaseExceptions
        send(error_response(rid, exc, module))
        return
    respond(rid, result, before, args, send, compute_ms)


def convert(value, how):
    """An argument in the type the handout's interface takes (the assignment's binding says which): a Python
    tuple of ints for a shape, a torch tensor, a plain list, a Python scalar. None leaves the numpy form."""
    if how is None:
        return value
    np = _np()
    if how == "tuple":
        items = value.tolist() if np is not None and isinstance(value, np.ndarray) else list(value)
        return tuple(int(x) if float(x).is_integer() else x for x in items) if all(_is_number(x) for x in items) else tuple(items)
    if how == "list":
        return value.tolist() if np is not None and isinstance(value, np.ndarray) else list(value)
    if how == "int":
        return int(value)
    if how == "float":
        return float(value)
    if how in ("tensor", "tensor32"):
        import torch
        dtype = torch.float32 if how == "tensor32" else torch.float64
        if isinstance(value, list):
            return [torch.as_tensor(v, dtype=dtype) for v in value]
        return torch.as_tensor(value, dtype=dtype)
    if how == "array":
        return np.asarray(value, dtype=np.float64)
    if how == "ints":  # labels or indices: an int64 array, as numpy indexing needs
        return np.asarray(value, dtype=np.float64).astype(np.int64)
    raise ValueError(f"unknown conversion {how!r}")


def respond(rid, result, before, args, send, compute_ms=0.0):
    encoder = Encoder()
    try:
        value = encoder.encode(result)
        mutated = before is not None and not same(before, args)
        send({"id": rid, "ok": True, "value": value, "lowPrecision": encoder.low_precision, "mutated": mutated,
              "computeMs": compute_ms})
    except ResponseTooLarge as exc:
        send({"id": rid, "ok": False, "error": {"type": "ResponseTooLarge", "message": str(exc)}})
    except Exception as exc:  # noqa: BLE001
        send({"id": rid, "ok": False, "error": {"type": "harness", "message": f"cannot encode the result: {exc}"}})


class Instance:
    """An instance of a submission's class. Optimizers come in two forms (catalog part B): numpy, with
    step(grads) updating the arrays in place, and PyTorch, over tensors with .grad, with step() taking no
    argument and zero_grad(). The form is read off step's signature; the grader always speaks numpy."""

    def __init__(self, obj, args, torch_params):
        self.obj = obj
        self.args = args
        self.torch_params = torch_params

    @staticmethod
    def create(cls, args, form=None):
        """form: "torch" or "numpy" as the assignment says; None guesses it from step's signature."""
        torch_params = None
        torch_form = form == "torch" if form is not None else Instance.takes_no_step_argument(cls)
        if args and isinstance(args[0], list) and torch_form:
            import torch
            torch_params = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in args[0]]
            obj = untraced(cls, torch_params, *args[1:])
        else:
            obj = untraced(cls, *args)
        return Instance(obj, args, torch_params)

    @staticmethod
    def takes_no_step_argument(cls):
        import inspect
        step = getattr(cls, "step", None)
        if step is None:
            return False
        try:
            params = list(inspect.signature(step).parameters.values())[1:]
        except (TypeError, ValueError):
            return False
        return all(p.default is not inspect.Parameter.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params)

    def method(self, name):
        fn = getattr(self.obj, name, None)
        if self.torch_params is None or name != "step" or not callable(fn):
            return fn

        def step_with_grads(grads=None):
            import torch
            if grads is not None:
                for p, g in zip(self.torch_params, grads):
                    p.grad = torch.as_tensor(g, dtype=p.dtype).clone()
            with torch.no_grad():
                return fn()
        return step_with_grads

    def current_args(self):
        if self.torch_params is None:
            return self.args
        return [[p.detach().numpy() for p in self.torch_params]] + list(self.args[1:])


if __name__ == "__main__":
    try:
        import numpy  # noqa: F401 - preloaded so arguments arrive as arrays even if the submission imports it late
    except ImportError:
        pass
    main()
