#!/usr/bin/env python3
"""PyTorch baseline for bench/jacobian.ts: torch.autograd.gradcheck of a temperature softmax.

Times torch.autograd.gradcheck(f, (z,), fast_mode=False) in float64 with f(z) = softmax(z / tau): the full
numerical Jacobian by central differences (2n forward calls), the full analytic Jacobian by autograd (n
backward calls, one per output) and their comparison -- the same work as gradecheck's full
matches-finite-differences check (numerical Jacobian of the reference softmax, the subject's analytic
Jacobian, comparison). Every other gradcheck argument is left at its default.

A repetition runs gradcheck once on every case of one size; its time per case is its total over the number
of cases, in wall-clock milliseconds and in CPU milliseconds (time.process_time: all threads of this
process, less sensitive to other processes on a shared machine).

Standalone (python3 bench/torch_gradcheck.py): for each n in --sizes, --cases vectors z ~ N(0, 1) * --scale
from a seeded generator (or, with --inputs -, the inputs as JSON on stdin:
{"tau": 1, "warmup": 1, "reps": 5, "cases": {"8": [[z...], ...], ...}}); after --warmup untimed
repetitions, prints one JSON object with, per size, the median (min, max) over --reps repetitions.

--serve (used by bench/jacobian.ts, so that its repetitions and torch's alternate and both see the same
machine load): reads one JSON line {"tau": ..., "cases": {...}}, answers {"torch": ..., "threads": ...},
then for each line {"n": 64} runs one repetition at that size and answers
{"n": 64, "ms_per_case": ..., "cpu_ms_per_case": ...}, until stdin closes.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable

import torch


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--serve", action="store_true", help="line protocol for bench/jacobian.ts (see above)")
    p.add_argument("--inputs", help="'-' to read the inputs (and tau, reps, warmup) as JSON from stdin")
    p.add_argument("--sizes", default="8,64,256", help="comma-separated n (without --inputs)")
    p.add_argument("--cases", type=int, default=32, help="inputs per size (without --inputs)")
    p.add_argument("--scale", type=float, default=5 / 3, help="z = N(0, 1) * scale (without --inputs)")
    p.add_argument("--seed", type=int, default=20261122, help="generator seed (without --inputs)")
    p.add_argument("--tau", type=float, default=1.0)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    return p.parse_args()


def tensors(spec_cases: dict[str, list[list[float]]]) -> dict[int, list[torch.Tensor]]:
    # Leaf tensors that require grad, as a user passes them to gradcheck; built outside the timed loop.
    return {
        int(n): [torch.tensor(z, dtype=torch.float64).requires_grad_(True) for z in zs] for n, zs in spec_cases.items()
    }


def repetition(tau: float) -> Callable[[list[torch.Tensor]], tuple[float, float]]:
    def softmax_t(z: torch.Tensor) -> torch.Tensor:
        return torch.softmax(z / tau, dim=-1)

    def one_rep(inputs: list[torch.Tensor]) -> tuple[float, float]:
        start, cpu_start = time.perf_counter(), time.process_time()
        for z in inputs:
            if not torch.autograd.gradcheck(softmax_t, (z,), fast_mode=False):
                raise SystemExit(f"gradcheck failed at n={z.numel()}")
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
        return wall * 1e3 / len(inputs), cpu * 1e3 / len(inputs)

    return one_rep


def about() -> dict[str, object]:
    return {"torch": torch.__version__, "threads": torch.get_num_threads(), "dtype": "float64", "fast_mode": False}


def reply(obj: object) -> None:
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def serve() -> None:
    spec = json.loads(sys.stdin.readline())
    cases = tensors(spec["cases"])
    one_rep = repetition(float(spec.get("tau", 1.0)))
    reply(about())
    for line in sys.stdin:
        if not line.strip():
            continue
        n = int(json.loads(line)["n"])
        wall, cpu = one_rep(cases[n])
        reply({"n": n, "ms_per_case": wall, "cpu_ms_per_case": cpu})


def standalone(args: argparse.Namespace) -> None:
    if args.inputs == "-":
        spec = json.load(sys.stdin)
        cases = tensors(spec["cases"])
        tau = float(spec.get("tau", args.tau))
        reps, warmup = int(spec.get("reps", args.reps)), int(spec.get("warmup", args.warmup))
    else:
        gen = torch.Generator().manual_seed(args.seed)
        sizes = [int(s) for s in args.sizes.split(",")]
        cases = {
            n: [(torch.randn(n, generator=gen, dtype=torch.float64) * args.scale).requires_grad_(True) for _ in range(args.cases)]
            for n in sizes
        }
        tau, reps, warmup = args.tau, args.reps, args.warmup
    one_rep = repetition(tau)
    results = []
    for n in sorted(cases):
        for _ in range(warmup):
            one_rep(cases[n])
        timed = [one_rep(cases[n]) for _ in range(reps)]
        wall = [w for w, _ in timed]
        results.append(
            {
                "n": n,
                "cases": len(cases[n]),
                "reps": reps,
                "ms_per_case": statistics.median(wall),
                "ms_per_case_min": min(wall),
                "ms_per_case_max": max(wall),
                "cpu_ms_per_case": statistics.median(c for _, c in timed),
            }
        )
    reply({**about(), "tau": tau, "results": results})


def main() -> None:
    args = parse_args()
    if args.serve:
        serve()
    else:
        standalone(args)


if __name__ == "__main__":
    main()
