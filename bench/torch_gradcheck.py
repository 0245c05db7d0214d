#!/usr/bin/env python3
"""PyTorch baseline for bench/jacobian.ts: torch.autograd.gradcheck of a temperature softmax.

Times torch.autograd.gradcheck(f, (z,), fast_mode=False) in float64 with f(z) = softmax(z / tau): the full
numerical Jacobian by central differences (2n forward calls), the full analytic Jacobian by autograd (n
backward calls, one per output) and their comparison -- the same work as gradecheck's full
matches-finite-differences check (numerical Jacobian of the reference softmax, the subject's analytic
Jacobian, comparison).

Inputs: with `--inputs -`, a JSON object read from stdin,
    {"tau": 1, "warmup": 1, "reps": 5, "cases": {"8": [[z...], ...], "64": [...], ...}}
(bench/jacobian.ts sends the exact inputs it times, so both sides see the same numbers). Without it, the
script draws its own: for each n in --sizes, --cases vectors z ~ N(0, 1) * --scale from a seeded generator.

Each repetition runs gradcheck once on every case of a size; the time per case of a repetition is its
total over the number of cases. Prints JSON: per size, the median (and min, max) over repetitions of the
wall-clock milliseconds per case, and the median CPU milliseconds per case (time.process_time, all threads:
less sensitive to other processes on a shared machine), after --warmup untimed repetitions.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

import torch


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--inputs", help="'-' to read the inputs (and tau, reps, warmup) as JSON from stdin")
    p.add_argument("--sizes", default="8,64,256", help="comma-separated n (without --inputs)")
    p.add_argument("--cases", type=int, default=32, help="inputs per size (without --inputs)")
    p.add_argument("--scale", type=float, default=5 / 3, help="z = N(0, 1) * scale (without --inputs)")
    p.add_argument("--seed", type=int, default=20261122, help="generator seed (without --inputs)")
    p.add_argument("--tau", type=float, default=1.0)
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    return p.parse_args()


def load_cases(args: argparse.Namespace) -> tuple[dict[int, list[torch.Tensor]], float, int, int]:
    if args.inputs == "-":
        spec = json.load(sys.stdin)
        cases = {
            int(n): [torch.tensor(z, dtype=torch.float64) for z in zs] for n, zs in spec["cases"].items()
        }
        return cases, float(spec.get("tau", args.tau)), int(spec.get("reps", args.reps)), int(spec.get("warmup", args.warmup))
    gen = torch.Generator().manual_seed(args.seed)
    cases = {
        n: [torch.randn(n, generator=gen, dtype=torch.float64) * args.scale for _ in range(args.cases)]
        for n in (int(s) for s in args.sizes.split(","))
    }
    return cases, args.tau, args.reps, args.warmup


def main() -> None:
    args = parse_args()
    cases, tau, reps, warmup = load_cases(args)

    def softmax_t(z: torch.Tensor) -> torch.Tensor:
        return torch.softmax(z / tau, dim=-1)

    results = []
    for n in sorted(cases):
        # Fresh leaf tensors, as a user would pass them; created outside the timed loop.
        inputs = [z.clone().requires_grad_(True) for z in cases[n]]

        def one_rep() -> tuple[float, float]:
            start, cpu_start = time.perf_counter(), time.process_time()
            for z in inputs:
                if not torch.autograd.gradcheck(softmax_t, (z,), fast_mode=False):
                    raise SystemExit(f"gradcheck failed at n={n}")
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
            return wall * 1e3 / len(inputs), cpu * 1e3 / len(inputs)

        for _ in range(warmup):
            one_rep()
        timed = [one_rep() for _ in range(reps)]
        per_case = [wall for wall, _ in timed]
        results.append(
            {
                "n": n,
                "cases": len(inputs),
                "reps": reps,
                "ms_per_case": statistics.median(per_case),
                "ms_per_case_min": min(per_case),
                "ms_per_case_max": max(per_case),
                "cpu_ms_per_case": statistics.median(cpu for _, cpu in timed),
            }
        )

    json.dump(
        {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "dtype": "float64",
            "fast_mode": False,
            "tau": tau,
            "results": results,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
