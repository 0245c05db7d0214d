"""gradecheck's Python harness: loads one student submission and answers the grader's calls.

Run as: python3 harness.py SUBMISSION.py
Protocol (docs/protocol.md): one JSON object per line; requests arrive on fd 3, responses leave on fd 4.
The student's own stdout and stderr stay on fd 1 and 2, where the grader captures (and caps) them but never
parses them, so nothing a submission prints can pass for a protocol message.
"""

import ast
import json
import math
import os
import resource
import sys
import time
import traceback
import types

REQUESTS_FD, RESPONSES_FD = 3, 4


def limit_memory():
    mb = int(os.environ.get("GRADECHECK_MEMORY_MB", "0"))
    if mb > 0:
        limit = mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


# ---- values ---------------------------------------------------------------------------------------------

def _np():
    return sys.modules.get("numpy")


def _torch():
    return sys.modules.get("torch")


def encode_float(x):
    if math.isnan(x):
        return {"$float": "nan"}
    if math.isinf(x):
        return {"$float": "inf" if x > 0 else "-inf"}
    return x


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


def load_submission(path):
    """Imports the submission. If a top-level statement fails (a missing module, a stray training loop that
    raises), runs the remaining statements one by one so that what it does define can still be graded."""
    module = types.ModuleType("submission")
    module.__file__ = path
    sys.modules["submission"] = module
    with open(path, encoding="utf-8", errors="replace") as f:
        source = f.read()
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as exc:
        return module, [{"kind": "syntax", "message": f"SyntaxError: {exc.msg} (line {exc.lineno})",
                         "traceback": relevant_traceback(exc, path)}]
    problems = []
    try:
        exec(compile(tree, path, "exec"), module.__dict__)
        return module, problems
    except BaseException as exc:  # noqa: BLE001 - SystemExit and KeyboardInterrupt from student code too
        problems.append({"kind": "import", "message": f"{type(exc).__name__}: {exc}",
                         "traceback": relevant_traceback(exc, path)})
    module.__dict__.clear()
    module.__file__ = path
    for stmt in tree.body:
        try:
            exec(compile(ast.Module(body=[stmt], type_ignores=[]), path, "exec"), module.__dict__)
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
    seed = int(os.environ.get("GRADECHECK_SEED", "0"))
    seed_student_rngs(seed)
    requests = os.fdopen(REQUESTS_FD, "rb", buffering=0)
    responses = os.fdopen(RESPONSES_FD, "wb", buffering=0)
    # Keep the protocol pipes away from student code that writes to fd 3/4 by accident.
    os.set_inheritable(REQUESTS_FD, False)
    os.set_inheritable(RESPONSES_FD, False)

    def send(obj):
        responses.write((json.dumps(obj, allow_nan=False) + "\n").encode())

    send({"op": "hello"})  # before any student code runs: the process started as it should
    module, load_problems = load_submission(path)
    session = Session(module)
    torch_seeded = _torch() is not None
    if torch_seeded:
        seed_student_rngs(seed, torch_only=True)
    defined = sorted(k for k, v in module.__dict__.items() if callable(v) and not k.startswith("_"))
    send({"op": "ready", "defined": defined, "loadErrors": load_problems,
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
    """The instances a submission's classes made, by handle, with the arguments they were built from."""

    def __init__(self, module):
        self.module = module
        self.instances = {}
        self.next_handle = 1


def error_response(rid, exc, module):
    return {"id": rid, "ok": False, "error": {"type": type(exc).__name__, "message": str(exc)[:2000],
                                             "traceback": relevant_traceback(exc, module.__file__)}}


def handle(request, session, send):
    op = request.get("op", "call")
    rid = request.get("id")
    module = session.module
    if op == "call":
        target_name = request.get("fn")
        target = getattr(module, target_name, None)
    elif op == "new":
        target_name = request.get("cls")
        target = getattr(module, target_name, None)
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
    if not callable(target):
        send({"id": rid, "ok": False, "error": {"type": "missing", "message": f"{target_name} is not defined"}})
        return
    int_args = set(request.get("intArgs", []))
    try:
        raw = request.get("args", [])
        if op == "new" and raw and isinstance(raw[0], list):
            # The parameters of an optimizer: a list of arrays, whatever their shapes.
            args = [[decode(p) for p in raw[0]]] + [decode(a) for a in raw[1:]]
        else:
            args = [decode(a, i in int_args) for i, a in enumerate(raw)]
    except Exception as exc:  # noqa: BLE001
        send({"id": rid, "ok": False, "error": {"type": "harness", "message": f"cannot decode arguments: {exc}"}})
        return
    before = snapshot(args) if op == "call" else None
    try:
        if op == "new":
            entry = Instance.create(target, args)
            session.instances[session.next_handle] = entry
            send({"id": rid, "ok": True, "value": session.next_handle})
            session.next_handle += 1
            return
        started = time.perf_counter()
        result = target(*args)
        compute_ms = (time.perf_counter() - started) * 1000
    except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt, custom BaseExceptions
        send(error_response(rid, exc, module))
        return
    respond(rid, result, before, args, send, compute_ms)


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
    def create(cls, args):
        torch_params = None
        if args and isinstance(args[0], list) and Instance.takes_no_step_argument(cls):
            import torch
            torch_params = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in args[0]]
            obj = cls(torch_params, *args[1:])
        else:
            obj = cls(*args)
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
