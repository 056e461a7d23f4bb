"""Benchmark: a 1,000,000-variant LHS sweep (36 months; NPV, IRR, payback) end to end, against a loop of evaluate().

Inputs: ``scenarios/base.yaml`` (36 months), a Latin hypercube over conversion (uniform 4-9%) and
order value (triangular 100/150/200元), seed 7. Prints

1. the whole ``feasibility sweep`` (spec check, plan, chunks in worker processes, chunk files,
   merge into results.parquet, summary) — wall time and peak memory of this process and of
   the largest worker;
2. a loop of :func:`model.core.evaluation.evaluate` over ``--loop`` variants (each variant's
   values set in place of the scenario's: no validation cost counted), scaled to the sweep's
   size, and the ratio;
3. the same sweep on a ``distributed.LocalCluster`` of 2 single-threaded worker processes
   against 1 (``--no-cluster`` to skip).

Targets (issue "Batch studies at scale"): 1 ≤ 10 s on the 2-core machine, peak memory ≤ 2 GiB,
≥ 50× the loop; 3: ≥ 1.7×. The machine is shared: the load average is printed before and
after, and each time is the best of ``--repeats`` runs.

Run: ``.venv/bin/python benchmarks/bench_sweep.py [--variants N] [--loop K] [--repeats R] [--no-cluster]``
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from model.core.evaluation import evaluate  # noqa: E402
from model.outputs.sweep_files import run_sweep  # noqa: E402
from model.risk.spec import load_spec  # noqa: E402

SPEC = """\
scenario: {scenario}
design: lhs
samples: {variants}
seed: 7
inputs:
  revenue.community.conversion: {{low: 4%, high: 9%}}
  revenue.community.aov: {{dist: triangular, low: 100元, mode: 150元, high: 200元}}
metrics: [npv, irr, payback_months]
"""


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1 / 5 / 15 min) on {os.cpu_count()} cores"


def peak_mib(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024.0


def timed_sweep(spec, folder: Path, **options) -> tuple[float, object]:
    started = time.perf_counter()
    run = run_sweep(spec, folder, fresh=True, csv=False, **options)
    return time.perf_counter() - started, run


def loop_seconds(spec, count: int) -> float:
    """A loop of evaluate() over the first ``count`` variants of the sweep's design."""
    from model.risk.sweep import chunk_inputs, make_plan

    plan = make_plan(spec, chunk_variants=count)
    columns, _ = chunk_inputs(plan, 0, count)
    scenario = spec.scenario
    started = time.perf_counter()
    for i in range(count):
        values = dict(scenario.values)
        values.update({path: float(columns[path][i]) for path in spec.paths})
        evaluate(dataclasses.replace(scenario, values=values))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=1_000_000)
    parser.add_argument("--loop", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--no-cluster", action="store_true")
    args = parser.parse_args()
    print(load())
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        spec_path = work / "bench.yaml"
        spec_path.write_text(SPEC.format(scenario=ROOT / "scenarios" / "base.yaml", variants=args.variants),
                             encoding="utf-8")
        spec = load_spec(spec_path)
        times = [timed_sweep(spec, work / "out")[0] for _ in range(args.repeats)]
        best = min(times)
        print(f"1. sweep of {args.variants:,} LHS variants × 36 months (npv, irr, payback_months), "
              f"{os.cpu_count()} local processes, files included: best {best:.2f} s, all "
              + ", ".join(f"{t:.2f}" for t in times) + " s (target ≤ 10 s)")
        print(f"   peak memory: this process {peak_mib(resource.RUSAGE_SELF):,.0f} MiB, largest worker "
              f"{peak_mib(resource.RUSAGE_CHILDREN):,.0f} MiB (target ≤ 2,048 MiB)")
        loop = loop_seconds(spec, args.loop)
        scaled = loop / args.loop * args.variants
        print(f"2. loop of evaluate() on {args.loop:,} variants: {loop:.2f} s ({loop / args.loop * 1e6:,.0f} µs a "
              f"variant), scaled to {args.variants:,}: {scaled:,.0f} s → the sweep is {scaled / best:,.0f}× faster "
              "(target ≥ 50×)")
        if not args.no_cluster:
            from distributed import LocalCluster

            results = {}
            for workers in (1, 2):
                with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as cluster:
                    timed_sweep(spec, work / "warm", scheduler=cluster.scheduler_address)  # workers import the model
                    address = cluster.scheduler_address
                    results[workers] = min(timed_sweep(spec, work / f"c{workers}", scheduler=address)[0]
                                           for _ in range(args.repeats))
                print(f"3. the same sweep on a LocalCluster of {workers} single-threaded worker"
                      f"{'s' if workers > 1 else ''}: best {results[workers]:.2f} s")
            print(f"   2 workers vs 1: {results[1] / results[2]:.2f}× (target ≥ 1.7×)")
    print(load())


if __name__ == "__main__":
    main()
