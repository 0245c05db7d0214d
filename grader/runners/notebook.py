"""gradecheck's notebook extractor: the part of a Jupyter notebook a grader may run, as one Python source.

Run as: python3 notebook.py NOTEBOOK.ipynb
Prints one JSON object: {"source": str, "cells": [...], "errors": [...]}. Nothing of the notebook is executed
here; statements are chosen by their syntax (docs/notebooks.md):

- kept: imports, function and class definitions (with their decorators), `name = lambda ...` and aliases of
  kept definitions, and the assignments of constants that the kept code uses, when their value is cheap (no
  calls but builtins like range and functions of numpy, math, torch, random, ...) and every name they read is
  bound by something kept before them;
- skipped: shell and magic lines (`!pip ...`, `%matplotlib ...`), cells under a cell magic (`%%time`,
  `%%capture`, ...), and every other top-level statement: loops (training), calls (downloads, plotting,
  printing), `if __name__ == "__main__":` blocks, assignments whose value calls anything else (datasets,
  models, loaders), and unused imports.
"""

import ast
import builtins
import json
import re
import sys

# Modules whose functions a kept constant may call (`EPS = np.finfo(float).eps`, `SQRT2 = math.sqrt(2)`).
CHEAP_MODULES = {"numpy", "math", "cmath", "torch", "random", "functools", "itertools", "operator", "collections",
                 "fractions", "decimal", "typing", "dataclasses", "enum", "string", "re", "scipy"}
# Never called while loading, even from a cheap module: file and network access, data sets, model hubs.
DENIED_SEGMENTS = {"load", "loadtxt", "genfromtxt", "fromfile", "save", "savez", "savetxt", "download", "hub",
                   "datasets", "data", "urlopen", "urlretrieve", "request", "requests", "get", "open", "cuda",
                   "manual_seed", "seed", "backward", "compile", "jit", "system", "popen", "remove", "rmtree"}
# Calls a denied segment would refuse that only ask what the machine has: Colab's
# `device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')`, which the graded classes then read.
CHEAP_CALLS = {("torch", "cuda", "is_available"), ("torch", "backends", "mps", "is_available")}
CHEAP_BUILTINS = {"int", "float", "complex", "bool", "str", "range", "len", "list", "tuple", "dict", "set",
                  "frozenset", "min", "max", "abs", "sum", "round", "pow", "sorted", "reversed", "zip",
                  "enumerate", "map", "filter", "slice", "divmod", "all", "any", "isinstance", "type", "object",
                  "property", "staticmethod", "classmethod", "super", "chr", "ord", "hash", "repr", "format"}
BUILTIN_NAMES = set(dir(builtins)) | {"__name__", "__file__", "__doc__"}

SHELL_OR_MAGIC = re.compile(r"^(\s*)(!|%(?!%)|\?)")
CELL_MAGIC = re.compile(r"^\s*%%(\w+)")


def cell_source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


TIMED_LINE = re.compile(r"^(\s*)%time\s+(\S.*)$")


def strip_magics(source):
    """Shell and line-magic lines become `pass` at their indentation (line numbers and blocks stay valid); a
    `%time` line runs its statement, as IPython does (`%time acc = train()` assigns acc)."""
    lines, skipped = [], []
    for number, line in enumerate(source.split("\n"), start=1):
        m = SHELL_OR_MAGIC.match(line)
        timed = TIMED_LINE.match(line)
        if timed:
            lines.append(timed.group(1) + timed.group(2))
        elif m:
            skipped.append({"line": number, "what": line.strip()[:80], "reason": "shell or magic line"})
            lines.append(m.group(1) + "pass")
        elif re.match(r"^\s*[\w.]+\s*=\s*[!%]", line):  # files = !ls, t = %timeit ...
            skipped.append({"line": number, "what": line.strip()[:80], "reason": "shell or magic line"})
            indent = line[: len(line) - len(line.lstrip())]
            lines.append(indent + "pass")
        else:
            lines.append(line)
    return "\n".join(lines), skipped


def loaded_names(node):
    """Every name read anywhere under node (an over-approximation of a definition's globals: harmless)."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def free_names(node):
    """The names a definition reads that it does not bind itself (parameters and locals of its functions)."""
    local = set()
    for n in ast.walk(node):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            a = n.args
            local |= {x.arg for x in a.posonlyargs + a.args + a.kwonlyargs}
            local |= {x.arg for x in (a.vararg, a.kwarg) if x is not None}
            body = n.body if isinstance(n.body, list) else [n.body]
            for b in body:
                local |= {m.id for m in ast.walk(b) if isinstance(m, ast.Name) and isinstance(m.ctx, ast.Store)}
    # Defaults and decorators are evaluated outside the function: what they read stays free.
    outside = set()
    for n in ast.walk(node):
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for d in n.args.defaults + [k for k in n.args.kw_defaults if k is not None] + list(getattr(n, "decorator_list", [])):
                outside |= loaded_names(d)
    return (loaded_names(node) - local) | outside


def bound_names(stmt):
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {stmt.name}
    if isinstance(stmt, (ast.Import, ast.ImportFrom)):
        return {(a.asname or a.name).split(".")[0] for a in stmt.names if a.name != "*"}
    if isinstance(stmt, ast.Assign):
        return {n.id for t in stmt.targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return {stmt.target.id}
    return set()


def simple_targets(stmt):
    targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
    return all(isinstance(n, (ast.Name, ast.Tuple, ast.List, ast.Load, ast.Store))
               for t in targets for n in ast.walk(t))


def dotted(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Call):  # np.random.default_rng(0).standard_normal: judge the inner call too
        return None
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return list(reversed(parts))
    return None


def walk_evaluated(node):
    """ast.walk, without descending into lambda bodies."""
    todo = [node]
    while todo:
        n = todo.pop()
        yield n
        if isinstance(n, ast.Lambda):
            todo.extend(n.args.defaults + [k for k in n.args.kw_defaults if k is not None])
        else:
            todo.extend(ast.iter_child_nodes(n))


def expensive_call(value, modules, kept_defs):
    """Why evaluating `value` is not cheap (a call of something else than builtins and cheap modules). The
    bodies of lambdas are not evaluated by the assignment and are not judged."""
    for node in walk_evaluated(value):
        if isinstance(node, (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr)):
            return "not a constant"
        if not isinstance(node, ast.Call):
            continue
        path = dotted(node.func)
        if path is None:
            if isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Call):
                continue  # a method of an inner call: the inner call is judged on its own
            return "calls an expression"
        root = path[0]
        if len(path) == 1 and root in CHEAP_BUILTINS and root not in kept_defs:
            continue
        module = modules.get(root)
        if module is None:
            return f"calls {'.'.join(path)}"
        if (module,) + tuple(path[1:]) in CHEAP_CALLS:
            continue
        if module.split(".")[0] not in CHEAP_MODULES or DENIED_SEGMENTS & set(path[1:]) or DENIED_SEGMENTS & set(module.split(".")[1:]):
            return f"calls {'.'.join(path)}"
    return None


def describe(stmt):
    if isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
        return "loop", "top-level work (a loop: training, data preparation)"
    if isinstance(stmt, ast.If):
        test = ast.unparse(stmt.test) if hasattr(ast, "unparse") else "..."
        return f"if {test[:40]}", "top-level work (a conditional block)"
    if isinstance(stmt, (ast.With, ast.AsyncWith)):
        return "with block", "top-level work (a with block)"
    if isinstance(stmt, ast.Try):
        return "try block", "top-level work (a try block)"
    if isinstance(stmt, ast.Expr):
        if isinstance(stmt.value, ast.Constant):
            return "string", "an expression with no effect"
        return (ast.unparse(stmt.value)[:60] if hasattr(ast, "unparse") else "expression"), "top-level work (a call: plotting, printing, downloading)"
    return type(stmt).__name__, "top-level work"


def import_modules(stmt):
    """alias -> module for an import (`import numpy as np` -> np: numpy; `from torch import nn` -> nn: torch.nn)."""
    out = {}
    if isinstance(stmt, ast.Import):
        for a in stmt.names:
            out[(a.asname or a.name).split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
    elif isinstance(stmt, ast.ImportFrom) and stmt.module and stmt.level == 0:
        for a in stmt.names:
            out[a.asname or a.name] = f"{stmt.module}.{a.name}"
    return out


def is_definition_like(stmt, kept_defs):
    """`relu = lambda z: ...` and `Adam = ADAMOptimizer`: definitions in assignment form, kept like defs."""
    if not isinstance(stmt, ast.Assign) or not simple_targets(stmt):
        return False
    v = stmt.value
    if isinstance(v, ast.Lambda):
        return True
    return isinstance(v, ast.Name) and v.id in kept_defs


def extract(nb):
    cells = nb.get("cells")
    if not isinstance(cells, list):
        raise ValueError("not a Jupyter notebook in format 4 (no list of cells)")
    # Pass 1: every code cell, magics stripped, parsed.
    parsed = []  # (cell_index, execution_count, source, tree, report)
    reports = []
    errors = []
    for index, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "code":
            continue
        source = cell_source(cell)
        report = {"cell": index, "executionCount": cell.get("execution_count"), "kept": [], "skipped": []}
        reports.append(report)
        if not source.strip():
            report["status"] = "empty"
            continue
        magic = CELL_MAGIC.match(source)
        if magic:
            report["skipped"].append({"line": 1, "what": f"%%{magic.group(1)}", "reason": "a cell magic: the whole cell is skipped"})
            report["status"] = "skipped"
            continue
        clean, skipped = strip_magics(source)
        report["skipped"].extend(skipped)
        try:
            tree = ast.parse(clean)
        except SyntaxError as exc:
            report["skipped"].append({"line": exc.lineno or 1, "what": (exc.text or "").strip()[:80], "reason": f"syntax error: {exc.msg}"})
            report["status"] = "skipped"
            errors.append({"kind": "syntax", "message": f"SyntaxError in notebook cell {index}: {exc.msg} (line {exc.lineno} of the cell)",
                           "traceback": f"cell {index}, line {exc.lineno}: {(exc.text or '').rstrip()}"})
            continue
        parsed.append((index, clean, tree, report))

    stmts = [(index, clean, stmt, report) for index, clean, tree, report in parsed for stmt in tree.body]
    defs = {i for i, (_, _, s, _) in enumerate(stmts) if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    kept_def_names = set().union(*[bound_names(stmts[i][2]) for i in defs]) if defs else set()
    defs |= {i for i, (_, _, s, _) in enumerate(stmts) if is_definition_like(s, kept_def_names)}
    candidates = {i for i, (_, _, s, _) in enumerate(stmts)
                  if isinstance(s, (ast.Import, ast.ImportFrom)) or (isinstance(s, (ast.Assign, ast.AnnAssign)) and simple_targets(s) and getattr(s, "value", None) is not None)}
    candidates -= defs

    # Pass 2: which names the definitions need, closed over the constants and imports that bind them.
    needed = set().union(*[free_names(stmts[i][2]) for i in defs]) if defs else set()
    keep = set(defs)
    changed = True
    while changed:
        changed = False
        for i in sorted(candidates - keep):
            s = stmts[i][2]
            if bound_names(s) & needed:
                keep.add(i)
                value = getattr(s, "value", None)
                if value is not None:
                    needed |= free_names(value)
                changed = True

    # Pass 3, in notebook order: a kept constant must be cheap and read only names already bound.
    bound = set(BUILTIN_NAMES)
    modules = {}
    pieces = []
    skip_reason = {}
    for i, (index, clean, stmt, report) in enumerate(stmts):
        if i in keep and isinstance(stmt, (ast.Assign, ast.AnnAssign)) and i not in defs:
            why = expensive_call(stmt.value, modules, kept_def_names)
            unbound = sorted(free_names(stmt.value) - bound)
            if why is None and unbound:
                why = f"reads {', '.join(unbound)}, which the kept code does not define"
            if why is not None:
                keep.discard(i)
                skip_reason[i] = f"not a cheap constant ({why})"
        if i not in keep:
            continue
        bound |= bound_names(stmt)
        modules.update(import_modules(stmt))

    for i, (index, clean, stmt, report) in enumerate(stmts):
        first = min([stmt.lineno] + [d.lineno for d in getattr(stmt, "decorator_list", [])])
        last = getattr(stmt, "end_lineno", stmt.lineno)
        text = "\n".join(clean.split("\n")[first - 1:last])
        if i in keep:
            names = sorted(bound_names(stmt))
            report["kept"].append({"line": first, "what": ", ".join(names) if names else text.strip()[:60]})
            pieces.append(f"# notebook cell {index}, line {first}\n{text}\n")
            continue
        if isinstance(stmt, ast.Pass):
            continue  # a stripped magic line, reported already
        if i in skip_reason:
            what, reason = ", ".join(sorted(bound_names(stmt))), skip_reason[i]
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            what, reason = text.strip()[:60], "an import the kept code does not use"
        elif i in candidates:
            what, reason = ", ".join(sorted(bound_names(stmt))), "an assignment the kept code does not use"
        else:
            what, reason = describe(stmt)
        report["skipped"].append({"line": first, "what": what, "reason": reason})

    for report in reports:
        if "status" not in report:
            report["status"] = ("used" if not report["skipped"] else "partly used") if report["kept"] else "skipped"
    return {"source": "\n".join(pieces), "cells": reports, "errors": errors}


def main():
    path = sys.argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            nb = json.load(f)
        if not isinstance(nb, dict):
            raise ValueError("not a Jupyter notebook (the JSON is not an object)")
        result = extract(nb)
    except (ValueError, OSError) as exc:
        result = {"source": "", "cells": [], "errors": [{"kind": "syntax", "message": f"the notebook could not be read: {exc}", "traceback": ""}]}
    sys.stdout.write(json.dumps(result))


if __name__ == "__main__":
    main()
