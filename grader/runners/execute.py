"""gradecheck's notebook execution: runs a notebook's code cells in order in the student's (sandboxed) process
and describes what they leave behind (docs/notebooks.md, "Executing a notebook").

Loaded by harness.py from its own folder (never from the submission's, where a student file named
execute.py could shadow it) and reached as the call `execute(cells, config)` with scope "execution".

- cells: [{"cell": position in the notebook (markdown counted), "source": str}], code cells only, in order;
- config: {"budget_s", "cell_budget_s", "record": [helper names], "values": [names], "snapshots": {name: [cells]}
  (a value described as the last of those cells left it; a name may be an attribute path, `L.track`, whose list
  of equally shaped arrays is described as one array), "models": [{"key", "name", "build": JSON text of
  {"args", "kwargs"} or None, "inputs": [batch shapes] or None, "capture": bool}], "shims": [Python sources] (or one),
  "folder": the submission's folder, "skip": {cell: reason} (cells a run before could not stop),
  "loader_batches": N or None (a reduced run: every pass over a torch DataLoader stops after N batches)}.

A second call, `model_state(key)`, answers with what a model built for the checks holds and did (its Linear weights
and biases, the batch, the output, the Linear calls of its forward pass): one answer per model, each a few MB.

Each cell runs with its shell and magic lines replaced by `pass` (notebook.py's strip_magics: `!pip install`
never runs), cells under a cell magic other than %%time/%%capture skipped, under a per-cell time budget
(an interval timer raises CellTimeout in the cell and re-fires every 50 ms; from then on every line the cell's
code runs raises it too, so a loop around a bare `except:` stops at its next line) and what is left of the total
budget. A raising or overrunning cell is recorded and the next cell runs. Each cell's start is announced to the
grader (`{"op": "progress", "cell": N}`): a cell that still cannot be stopped (it catches the timeout at every
level) is killed with its process by the grader, which executes the notebook again without that cell
(config "skip": {cell: reason}).
Network connections are refused, matplotlib draws on Agg, the figures a cell leaves are described and closed,
what a cell prints is kept (capped), and the course helpers named in `record` are replaced by recording stubs
that describe their arguments (a network's layers, its loss, the optimizer its factory builds) instead of
training.

The answer is plain data; the grader (grader/execution/) judges it against the assignment's checks.
"""

import contextlib
import importlib.util
import io
import json
import math
import os
import re
import signal
import socket
import sys
import time
import traceback
import types

HERE = os.path.dirname(os.path.abspath(__file__))
PRINTED_CAP = 4000
SERIES_CAP = 2000
# Figures are described up to this many of each (a figure checked by gradecheck has a handful).
FIGURES_CAP, AXES_CAP, LINES_CAP = 50, 20, 50
# A list of arrays is described up to this many items (a network's layers).
LIST_CAP = 100
RUN_BODY_MAGICS = {"time", "capture"}


def _load_sibling(name):
    spec = importlib.util.spec_from_file_location("gradecheck_" + name, os.path.join(HERE, name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_notebook = _load_sibling("notebook")


class CappedText(io.TextIOBase):
    """What a cell prints, kept up to PRINTED_CAP characters (a cell printing in a loop must not fill memory)."""

    def __init__(self):
        self.parts, self.kept, self.dropped = [], 0, 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = PRINTED_CAP - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        self.dropped += max(0, len(text) - max(room, 0))
        return len(text)

    def getvalue(self):
        return "".join(self.parts) + (f"\n[... {self.dropped} more characters]" if self.dropped else "")


class CellTimeout(BaseException):
    """Raised inside an overrunning cell (a BaseException: `except Exception` in student code does not catch it)."""


# ---- the environment the cells run in -------------------------------------------------------------------

def refuse_network():
    """Grading never needs the internet: a download in a cell fails at once instead of hanging."""
    def refused(self, *args, **kwargs):
        raise OSError("network access is off while a notebook is graded")
    socket.socket.connect = refused
    socket.socket.connect_ex = refused
    socket.create_connection = lambda *a, **k: refused(None)


def quiet_matplotlib():
    os.environ["MPLBACKEND"] = "Agg"
    try:
        import matplotlib
        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
        plt.show = lambda *a, **k: None  # students call plt.show(); on Agg it only warns (execute() describes it)
        return plt
    except Exception:  # noqa: BLE001 - no matplotlib: the figure checks find no figures
        return None


def cap_loaders(batches):
    """A reduced run: every pass over a torch DataLoader yields at most `batches` batches (len(loader) and
    loader.dataset unchanged), so a notebook's epochs and searches over settings take seconds."""
    if not batches:
        return
    import itertools
    from torch.utils.data import DataLoader
    full = DataLoader.__iter__

    def capped(self):
        return itertools.islice(full(self), batches)
    DataLoader.__iter__ = capped


def install_shims(sources, folder):
    """Each of the staff's stand-ins files, in order (a later one's module or file replaces an earlier one's)."""
    if isinstance(sources, str):
        sources = [sources]
    served = []
    for source in sources or []:
        served += [name for name in install_shims_file(source, folder) if name not in served]
    return served


def really_installed(root):
    """Whether the machine has the module: not the harness's stand-in for a missing one (harness.py MissingModule),
    which the submission's own `import tqdm` may have put in sys.modules already."""
    import importlib.util
    module = sys.modules.get(root)
    if module is not None:
        return type(module).__name__ != "MissingModule"
    try:
        spec = importlib.util.find_spec(root)
    except (ImportError, ValueError):
        return False
    return spec is not None and getattr(spec.loader, "__name__", "") != "MissingModuleFinder"


def install_shims_file(source, folder):
    """The staff's stand-ins (a Python source defining MODULES = {module name: [names]} and FILES = {file name:
    function returning a dict of arrays}): each module the submission's folder does not hold itself becomes
    importable, and np.load of a missing course file returns generated data of the right shapes. The modules of
    WHERE_MISSING (a progress bar, a plotting library) are served only where the machine lacks them."""
    if not source:
        return []
    shims = types.ModuleType("gradecheck_shims")
    exec(compile(source, "<assignment shims>", "exec"), shims.__dict__)
    served = []
    installed = {root for root in getattr(shims, "WHERE_MISSING", ()) if really_installed(root)}
    for name, names in getattr(shims, "MODULES", {}).items():
        if os.path.exists(os.path.join(folder, name + ".py")) or os.path.isdir(os.path.join(folder, name)):
            continue  # the student's own copy of the course helper
        if name.split(".")[0] in installed:
            continue  # the real one
        module = types.ModuleType(name)
        module.__file__ = "<stand-in for " + name + ">"
        for attr in names:
            setattr(module, attr, getattr(shims, attr))
        sys.modules[name] = module
        served.append(name)
    files = getattr(shims, "FILES", {})
    if files:
        import numpy as np
        real_load = np.load

        def load(file, *args, **kwargs):
            if isinstance(file, (str, os.PathLike)) and not os.path.exists(file) and os.path.basename(str(file)) in files:
                return files[os.path.basename(str(file))]()
            return real_load(file, *args, **kwargs)
        np.load = load
        served += sorted(files)
    return served


# ---- describing what the cells leave ------------------------------------------------------------------

def _torch():
    return sys.modules.get("torch")


def is_module(obj):
    torch = _torch()
    return torch is not None and isinstance(obj, torch.nn.Module)


def layer(module):
    """One module as a compact signature: Linear(36, 128), BatchNorm1d(128), ReLU(), Sequential[...]."""
    torch = _torch()
    name = type(module).__name__
    children = list(module.children())
    if isinstance(module, torch.nn.Linear):
        return f"{name}({module.in_features}, {module.out_features}{'' if module.bias is not None else ', bias=False'})"
    if isinstance(module, torch.nn.modules.batchnorm._BatchNorm):
        return f"{name}({module.num_features})"
    if isinstance(module, torch.nn.modules.conv._ConvNd):
        return f"{name}({module.in_channels}, {module.out_channels}, kernel_size={tuple(module.kernel_size)})"
    if children:
        return f"{name}[{', '.join(layer(c) for c in children)}]"
    return f"{name}()"


def leaves(module):
    """The leaf modules in registration order (nesting left out): Linear(784, 128), ReLU(), Linear(128, 64), ..."""
    children = list(module.children())
    if not children or isinstance(module, (_torch().nn.Linear, _torch().nn.modules.batchnorm._BatchNorm)):
        return [layer(module)]
    return [leaf for child in children for leaf in leaves(child)]


def describe_module(module):
    params = list(module.parameters())
    return {"kind": "module", "type": type(module).__name__, "layers": layer(module), "leaves": ", ".join(leaves(module)),
            "parameters": int(sum(p.numel() for p in params)),
            "trainable": int(sum(p.numel() for p in params if p.requires_grad))}


def hyperparameters(optimizer):
    """torch.optim's defaults, or a student class's public number attributes (lr, weight_decay, betas, eps)."""
    found = {}
    source = getattr(optimizer, "defaults", None)
    if not isinstance(source, dict):
        source = {k: v for k, v in vars(optimizer).items() if not k.startswith("_")} if hasattr(optimizer, "__dict__") else {}
    for key, value in source.items():
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            found[key] = float(value)
        elif isinstance(value, (list, tuple)) and value and all(isinstance(x, (int, float)) for x in value):
            found[key] = [float(x) for x in value]
    return found


def describe(value):
    """A top-level value as data: numbers and arrays as they are, a model by its layers, anything else by type."""
    torch, np = _torch(), sys.modules.get("numpy")
    if is_module(value):
        return describe_module(value)
    if torch is not None and isinstance(value, torch.Tensor):
        return sampled({"kind": "array", "dtype": str(value.dtype).replace("torch.", ""), "shape": list(value.shape),
                        "value": value.detach().cpu().double().numpy() if value.is_floating_point() else value.detach().cpu().numpy()})
    if np is not None and isinstance(value, (np.ndarray, np.generic)):
        return sampled({"kind": "array", "dtype": str(value.dtype), "shape": list(np.shape(value)), "value": value})
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return {"kind": "scalar", "type": type(value).__name__, "value": value}
    if isinstance(value, (int, float)):
        return {"kind": "scalar", "type": type(value).__name__, "value": value}
    if isinstance(value, (list, tuple)) and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in value):
        return {"kind": "array", "dtype": "python", "shape": [len(value)], "value": list(value)}
    if isinstance(value, (list, tuple)) and 0 < len(value) <= LIST_CAP:
        # A list of arrays (seed 002's globals weights and biases), when every item is one.
        items = [describe(x) for x in value]
        if all(item["kind"] == "array" for item in items):
            return {"kind": "list", "items": items}
    return {"kind": "other", "type": type(value).__name__}


SAMPLE_ABOVE = 1 << 16  # entries: a larger array travels as an even sample of this many, its shape in full


def sampled(description):
    """An array description whose value is at most SAMPLE_ABOVE entries: a larger one (seed 003's six 2048 x 2048
    weight matrices, 200 MB) is sent as every k-th entry in row-major order, flat, with "sampled": its size. Its
    entries are what a distribution check needs; a check comparing values one by one never sees one this large."""
    value = description["value"]
    size = getattr(value, "size", 0)
    if size <= SAMPLE_ABOVE:
        return description
    step = -(-size // SAMPLE_ABOVE)
    return {**description, "value": value.reshape(-1)[::step].copy(), "sampled": int(size)}


def snapshot(value):
    """A value described now, with copies of its arrays: later cells may change them in place."""
    import copy
    if huge(value):  # described at once: a sample is a copy already, and a deep copy would double the memory
        return describe(value)
    try:
        return describe(copy.deepcopy(value))
    except Exception:  # noqa: BLE001 - something that cannot be copied is described as it is
        return describe(value)


def entries(x):
    """How many entries a tensor or an array has; 0 for anything else."""
    if callable(getattr(x, "numel", None)):
        return x.numel()
    size = getattr(x, "size", 0)
    return size if isinstance(size, int) else 0


def huge(value):
    """An array, or a list of them, with more than SAMPLE_ABOVE entries in one: described from samples."""
    items = value if isinstance(value, (list, tuple)) else [value]
    return any(entries(x) > SAMPLE_ABOVE for x in items[:LIST_CAP])


MISSING = object()


IDENTIFIER = re.compile(r"[A-Za-z_]\w*")


def lookup(namespace, path):
    """A top-level name, or an attribute path from one (`L.track`: what a course helper recorded); MISSING if
    there is none. `NAME#N` is NAME as snapshotted for one check (`weights#37`, as cell 37 left it: the later
    cells assign it again). Reading an attribute runs no student code but a property's."""
    first, *rest = path.split("#")[0].split(".")
    value = namespace.get(first, MISSING)
    for name in rest:
        if value is MISSING:
            break
        try:
            value = getattr(value, name)
        except Exception:  # noqa: BLE001 - a property that raises: nothing to read
            value = MISSING
    return value


def stacked(value):
    """A list of equally shaped tensors or arrays (the points a loss function recorded) as one array."""
    torch, np = _torch(), sys.modules.get("numpy")
    if np is None or not isinstance(value, (list, tuple)) or not value or len(value) > 100_000:
        return value
    try:
        rows = [x.detach().cpu().double().numpy() if torch is not None and isinstance(x, torch.Tensor) else x for x in value]
        if all(isinstance(r, np.ndarray) and r.shape == rows[0].shape for r in rows):
            return np.stack(rows)
    except Exception:  # noqa: BLE001 - described as it is
        pass
    return value


def image_shapes(ax):
    """The (rows, columns) of each image an axes shows: imshow's AxesImage, or a QuadMesh (pcolormesh, seaborn's
    heatmap), whose array is flat in some matplotlib versions."""
    shapes = [list(image.get_array().shape[:2]) for image in ax.get_images()]
    for mesh in ax.collections:
        if type(mesh).__name__ == "QuadMesh":
            coordinates = mesh.get_coordinates()
            shapes.append([int(coordinates.shape[0]) - 1, int(coordinates.shape[1]) - 1])
    return [[int(n) for n in shape] for shape in shapes[:LINES_CAP]]


def bar_count(ax):
    """Bars drawn with bar/barh (a histogram's bars too): the rectangles of the axes' bar containers."""
    return sum(len(c.patches) for c in ax.containers if type(c).__name__ == "BarContainer")


def is_colorbar(ax):
    """A colorbar's own axes (not a subplot the student drew)."""
    return hasattr(ax, "_colorbar") or ax.get_label() == "<colorbar>"


def describe_figures(plt, cell):
    if plt is None:
        return []
    figures = []
    for number in plt.get_fignums()[:FIGURES_CAP]:
        fig = plt.figure(number)
        axes = []
        for ax in fig.get_axes()[:AXES_CAP]:
            lines = []
            for line in ax.get_lines()[:LINES_CAP]:
                x = [float(v) for v in list(line.get_xdata())[:SERIES_CAP]]
                y = [float(v) for v in list(line.get_ydata())[:SERIES_CAP]]
                lines.append({"label": str(line.get_label()), "x": [v if math.isfinite(v) else None for v in x],
                              "y": [v if math.isfinite(v) else None for v in y]})
            axes.append({"title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(), "lines": lines,
                         "images": image_shapes(ax), "bars": bar_count(ax), "colorbar": is_colorbar(ax)})
        figures.append({"cell": cell, "title": fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else "", "axes": axes})
    plt.close("all")
    return figures


class Recorder:
    """Stands in for a course helper (seed 003's run_test trains for minutes): records what it was given."""

    def __init__(self, name, log):
        self.__name__ = name
        self.name = name
        self.log = log
        self.cell = None

    def __call__(self, *args, **kwargs):
        self.log.append({"helper": self.name, "cell": self.cell, "args": [self.argument(a) for a in args],
                         "kwargs": {k: self.argument(v) for k, v in kwargs.items()}})

    def argument(self, value):
        if is_module(value):
            described = describe_module(value)
            # A wrapper such as Supervise(criterion, net): its network and its loss, named.
            for attr, sub in vars(value).get("_modules", {}).items():
                if is_module(sub):
                    described.setdefault("parts", {})[attr] = describe_module(sub)
            return described
        if callable(value) and not isinstance(value, type):
            return self.factory(value)
        return describe(value)

    def factory(self, make):
        """An optimizer factory (lambda p: SGD(p, lr=0.5)): built on a throwaway parameter, described."""
        torch = _torch()
        try:
            probe = [torch.nn.Parameter(torch.zeros(2))] if torch is not None else []
            built = make(probe)
            return {"kind": "factory", "builds": type(built).__name__, "hyperparameters": hyperparameters(built)}
        except CellTimeout:
            raise  # the cell's budget ran out inside the factory: the cell is stopped
        except BaseException as exc:  # noqa: BLE001
            return {"kind": "factory", "error": f"{type(exc).__name__}: {exc}"[:300]}


# ---- running the cells ---------------------------------------------------------------------------------

def _arm(seconds):
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001), 0.05)


def _disarm():
    signal.setitimer(signal.ITIMER_REAL, 0, 0)
    sys.settrace(_COVERAGE_TRACER)


# None in a grade; under the test suite's coverage of the runners, its line tracer (line_coverage.py).
_COVERAGE_TRACER = getattr(sys.modules.get("gradecheck_line_coverage"), "trace_function", lambda: None)()


# The harness's own files: their frames are never made to raise (only the cell's code and what it calls).
HARNESS_FILES = {os.path.abspath(__file__), os.path.join(HERE, "harness.py"), os.path.join(HERE, "notebook.py")}


def _relentless(frame, event, arg):
    """The trace function of a cell past its budget: every line it runs raises CellTimeout, so the `pass` or
    `continue` of a bare `except:` around the loop raises outside the try. (CPython unsets a trace function that
    raises; the next alarm, 50 ms on, sets it again.)"""
    if os.path.abspath(frame.f_code.co_filename) in HARNESS_FILES:
        return None
    if event in ("line", "call"):
        raise CellTimeout()
    return _relentless


def _on_alarm(signum, frame):
    f = frame
    while f is not None:
        if os.path.abspath(f.f_code.co_filename) not in HARNESS_FILES:
            f.f_trace = _relentless
            f.f_trace_lines = True
        f = f.f_back
    sys.settrace(_relentless)
    raise CellTimeout()


def cell_error(exc, filename):
    # The cell's own frames and the innermost one (where it failed): library internals in between are noise.
    frames = [f for f in traceback.extract_tb(exc.__traceback__, limit=-20) if f.filename != __file__]
    frames = [f for i, f in enumerate(frames) if f.filename.startswith("<notebook cell") or i == len(frames) - 1]
    text = "".join(traceback.format_list(frames)) + "".join(traceback.format_exception_only(type(exc), exc))
    return {"type": type(exc).__name__, "message": str(exc)[:500], "traceback": text[-2000:]}


def execute(cells, config, session):
    module = session.module
    refuse_network()
    plt = quiet_matplotlib()
    # As Jupyter's inline backend: plt.show() draws every open figure and closes it, so the next plot starts a
    # figure of its own (two plots separated by plt.show() are two figures, not one with both).
    shown = {"cell": None, "figures": []}

    def show(*args, **kwargs):
        described = describe_figures(plt, shown["cell"])  # closes them, as the inline backend does
        shown["figures"].extend(described[:max(0, FIGURES_CAP - len(shown["figures"]))])
    if plt is not None:
        plt.show = show
    folder = config.get("folder") or session.folder
    served = install_shims(config.get("shims"), folder)
    cap_loaders(config.get("loader_batches"))
    log = []
    recorders = {name: Recorder(name, log) for name in config.get("record", [])}
    budget = float(config.get("budget_s", 60))
    cell_budget = float(config.get("cell_budget_s", 10))
    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    report, figures = [], []
    # Values described as the last of the given cells left them (initialised weights that a later cell trains).
    snapshots_of = {name: {int(c) for c in at} for name, at in (config.get("snapshots") or {}).items()}
    snapshots = {}
    skip = {int(k): v for k, v in (config.get("skip") or {}).items()}
    announce = getattr(session, "send", None) or (lambda message: None)
    try:
        for cell in cells:
            number, source = cell["cell"], cell["source"]
            for name, recorder in recorders.items():
                setattr(module, name, recorder)
                recorder.cell = number
            entry = {"cell": number}
            if number in skip:
                entry.update(status="timed out", reason=skip[number])
                report.append(entry)
                continue
            announce({"op": "progress", "cell": number})
            shown["cell"] = number
            magic = _notebook.CELL_MAGIC.match(source)
            if magic and magic.group(1) not in RUN_BODY_MAGICS:
                entry.update(status="skipped", reason=f"cell magic %%{magic.group(1)}")
                report.append(entry)
                continue
            if magic:
                source = source.split("\n", 1)[1] if "\n" in source else ""
            stripped, skipped = _notebook.strip_magics(source)
            if skipped:
                entry["skippedLines"] = [s["what"] for s in skipped]
            left = budget - (time.monotonic() - started)
            if left <= 0:
                entry.update(status="not run", reason="the notebook's time budget was used up")
                report.append(entry)
                continue
            allowed = min(cell_budget, left)
            printed = CappedText()
            cell_started = time.monotonic()
            filename = f"<notebook cell {number}>"
            try:
                code = compile(stripped, filename, "exec")
                with contextlib.redirect_stdout(printed):
                    _arm(allowed)
                    try:
                        sys.settrace(None)  # as _disarm leaves it; under the suite's coverage, the cell runs untraced
                        exec(code, module.__dict__)
                    finally:
                        _disarm()
                entry["status"] = "ran"
            except CellTimeout:
                _disarm()
                entry.update(status="timed out", reason=f"stopped after {allowed:.1f} s")
            except BaseException as exc:  # noqa: BLE001 - SystemExit, KeyboardInterrupt from a cell too
                _disarm()
                entry.update(status="raised", error=cell_error(exc, filename))
            entry["seconds"] = round(time.monotonic() - cell_started, 3)
            text = printed.getvalue()
            if text:
                entry["printed"] = text
            figures += shown["figures"] + describe_figures(plt, number)
            shown["figures"] = []
            report.append(entry)
            for name, at in snapshots_of.items():
                value = lookup(module.__dict__, name) if number in at else MISSING
                if value is not MISSING:
                    # An attribute path is a recorded history: its points as one array.
                    snapshots[name] = snapshot(stacked(value) if "." in name else value)
            # A cell that (re)defines a recorded helper gets the stub back for the next cell.
    finally:
        _disarm()
        signal.signal(signal.SIGALRM, previous)
    announce({"op": "progress", "cell": None})  # past the cells: describing what they left is not a cell's time
    values = {}
    for name in config.get("values", []):
        if name in snapshots:
            values[name] = snapshots[name]
        elif IDENTIFIER.fullmatch(name) and name in module.__dict__ and not isinstance(module.__dict__[name], Recorder):
            values[name] = describe(module.__dict__[name])
    models = {}
    session.built_models = {}
    for request in config.get("models", []):
        if request["name"] in module.__dict__:
            models[request["key"]] = model_report(module.__dict__[request["name"]], request, cell_budget, session.built_models)
    return {"cells": report, "calls": log, "figures": figures, "values": values, "models": models, "served": served,
            "seconds": round(time.monotonic() - started, 3)}


CALLS_CAP = 64  # Linear calls recorded per forward pass (a network of a handful; a loop over one layer stops here)


def build(obj, request):
    """The model of a request: called with the assignment's arguments (sent as JSON text, so 784 stays an int), a
    class called with none, or a module as it is."""
    if request.get("build") is not None:
        spec = json.loads(request["build"])
        return obj(*spec["args"], **spec["kwargs"])
    return obj() if isinstance(obj, type) else obj


def linear_modules(model):
    torch = _torch()
    seen, found = set(), []
    for m in model.modules():
        if isinstance(m, torch.nn.Linear) and id(m) not in seen:
            seen.add(id(m))
            found.append(m)
    return found


def run_forward(model, shapes, capture):
    """The model in eval mode on a batch of uniform [0, 1) inputs of the first shape it accepts; with `capture`,
    each call of its Linear modules (which one, its input and output) in the order the forward pass makes them."""
    torch = _torch()
    linears = linear_modules(model)
    index = {id(m): i for i, m in enumerate(linears)}
    calls = []

    def hook(module, inputs, output):
        if len(calls) < CALLS_CAP and inputs and isinstance(inputs[0], torch.Tensor) and isinstance(output, torch.Tensor):
            calls.append({"layer": index[id(module)], "input": inputs[0].detach().cpu().double().numpy(),
                          "output": output.detach().cpu().double().numpy()})
    handles = [m.register_forward_hook(hook) for m in linears] if capture else []
    failures = []
    # The batch in the model's own precision (a model turned .double() takes float64 inputs).
    dtype = next((p.dtype for p in model.parameters() if p.is_floating_point()), torch.float32)
    try:
        model.eval()
        for shape in shapes:
            shape = [int(d) for d in shape]
            x = torch.rand(*shape, generator=torch.Generator().manual_seed(0)).to(dtype)
            del calls[:]
            try:
                with torch.no_grad():
                    out = model(x)
            except CellTimeout:
                raise
            except Exception as exc:  # noqa: BLE001 - the next shape, or the forward aspect fails with this
                failures.append(f"on a batch of shape {shape}: {type(exc).__name__}: {exc}"[:300])
                continue
            if isinstance(out, (tuple, list)) and out:
                out = out[0]  # (logits, hidden activations), as the seed's InitMLP returns
            if not isinstance(out, torch.Tensor):
                return {"error": f"its forward pass returned a {type(out).__name__}, not a tensor"}, None
            out = out.detach().cpu().double()
            finite = bool(torch.isfinite(out).all())
            described = {"input": shape, "shape": list(out.shape), "min": float(out.min()) if finite and out.numel() else None,
                         "max": float(out.max()) if finite and out.numel() else None, "finite": finite}
            return described, {"input": x.double().numpy(), "output": out.numpy(), "calls": list(calls)}
        return {"error": "; ".join(failures)}, None
    finally:
        for h in handles:
            h.remove()


def model_report(obj, request, budget, built):
    """A model the notebook left, built as the request says: its layers, parameters, and the shape and range of
    its output on a batch of uniform [0, 1) inputs (the first of the request's shapes it accepts). The instance
    and what its forward pass did are kept in `built` for model_state (the weights and Linear calls, by key)."""
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        _arm(budget)
        try:
            model = build(obj, request)
            if not is_module(model):
                if model is obj and callable(obj):
                    return {"error": "it is a function, and the assignment gives no arguments to call it with"}
                return {"error": f"it is a {type(model).__name__}, not a torch nn.Module"}
            report = describe_module(model)
            kept = {"model": model}
            inputs = request.get("inputs")  # the shapes arrive as a numpy array (the harness decodes numeric lists)
            if inputs is not None and len(inputs) > 0:
                report["forward"], ran = run_forward(model, inputs, bool(request.get("capture")))
                kept.update(ran or {})
            built[request["key"]] = kept
            return report
        finally:
            _disarm()
    except CellTimeout:
        return {"error": f"building or running it took longer than {budget:.1f} s"}
    except BaseException as exc:  # noqa: BLE001
        return {"error": f"{type(exc).__name__}: {exc}"[:500]}
    finally:
        signal.signal(signal.SIGALRM, previous)


def model_state(key, session):
    """What a built model holds and did, for the grader's float64 reference (grader/execution/behaviour.ts) and its
    weight statistics: each Linear's weight (torch's (out, in)) and bias in float64, the batch, the output and the
    Linear calls of its forward pass. One request per model: a 2352-256-128-8 network's weights alone are 5 MB."""
    kept = getattr(session, "built_models", {}).get(key)
    if kept is None:
        raise KeyError(f"no model was built for {key}")
    linears = [{"in": int(m.in_features), "out": int(m.out_features), "weight": m.weight.detach().cpu().double().numpy(),
                "bias": None if m.bias is None else m.bias.detach().cpu().double().numpy()} for m in linear_modules(kept["model"])]
    return {"linears": linears, "input": kept.get("input"), "output": kept.get("output"), "calls": kept.get("calls")}
