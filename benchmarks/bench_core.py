"""Speed of the model core, printed as plain lines.

(a) ``evaluate()`` on scenarios/base.yaml: the median of many runs, wall and CPU time
    (target ≤ 5 ms).
(b) Batch IRR (``model.core.finance.irr``) on 100,000 × 60 random conventional flows, against a
    Python loop over ``numpy_financial.irr``. The loop takes about a minute for all the
    flows, so by default it runs on a subset and its time is scaled up (the output says so);
    ``--full-loop`` runs it on every flow.
(c) Batch IRR on 100,000 × 60 random flows that change sign more than once (their roots are
    all found, then one chosen), and ``irr_ambiguous`` on them.

Run: ``.venv/bin/python benchmarks/bench_core.py [--runs N] [--loop-subset N] [--full-loop]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import numpy_financial as npf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.core import finance  # noqa: E402
from model.core.evaluation import evaluate  # noqa: E402
from model.inputs.scenario import load_scenario  # noqa: E402

TRIALS, PERIODS = 100_000, 60
TARGET_MS = 5.0


def random_conventional_flows(rng: np.random.Generator, trials: int, periods: int) -> np.ndarray:
    """1–6 periods of outlays (50–150 each), then inflows (0–30 each): one sign change, CNY."""
    outlays = rng.integers(1, 7, size=trials)[:, None]
    t = np.arange(periods)[None, :]
    return np.where(t < outlays, -rng.uniform(50, 150, (trials, periods)), rng.uniform(0, 30, (trials, periods)))


def random_multi_sign_flows(rng: np.random.Generator, trials: int, periods: int) -> np.ndarray:
    """Conventional flows (as above) whose inflows change sign again, CNY: for half the trials they
    decline (with noise of ±5) from 20–40 into a wind-down cost of 5–30 in the last period; for the
    other half a loss of 0–60 falls in one period at random between the first and the last inflow,
    and in about one in ten of the others. Two sign changes or more, every trial."""
    flows = random_conventional_flows(rng, trials, periods)
    t = np.arange(periods)[None, :]
    outlays = (flows < 0).sum(axis=1)[:, None]
    first, last = rng.uniform(20, 40, (trials, 1)), rng.uniform(-30, -5, (trials, 1))
    decline = first + (last - first) * (t - outlays) / (periods - 1 - outlays) + rng.uniform(-5, 5, (trials, periods))
    decline[:, -1] = last[:, 0]
    loss = (rng.random((trials, periods)) < 0.1) | (t == rng.integers(outlays[:, 0] + 1, periods - 1)[:, None])
    losses = np.where(loss & (t > outlays) & (t < periods - 1), -rng.uniform(0, 60, (trials, periods)), flows)
    return np.where(t < outlays, flows, np.where(rng.random((trials, 1)) < 0.5, decline, losses))


def bench_evaluate(runs: int) -> tuple[float, float]:
    """Median wall time and median CPU time of ``evaluate()`` on the base scenario, ms.

    On a shared machine the wall time includes waiting for a core; the CPU time of this
    process does not, so it is the steadier measure of the code itself.
    """
    scenario = load_scenario(ROOT / "scenarios" / "base.yaml")
    for _ in range(20):
        evaluate(scenario)
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        evaluate(scenario)
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
    return statistics.median(wall) * 1e3, statistics.median(cpu) * 1e3


def bench_irr(subset: int, seed: int) -> None:
    flows = random_conventional_flows(np.random.default_rng(seed), TRIALS, PERIODS)
    start = time.perf_counter()
    batch = finance.irr(flows)
    batch_s = time.perf_counter() - start

    looped = min(subset, TRIALS)
    start = time.perf_counter()
    reference = np.array([npf.irr(flow) for flow in flows[:looped]])
    loop_s = (time.perf_counter() - start) * TRIALS / looped
    scaled = "" if looped == TRIALS else f" (timed on {looped:,} flows, scaled up ×{TRIALS / looped:g})"

    difference = np.abs(batch[:looped] - reference)
    print(f"batch IRR, {TRIALS:,} × {PERIODS} flows: model.core.finance.irr {batch_s:.3f} s")
    print(f"  Python loop over numpy_financial.irr: {loop_s:.1f} s{scaled}")
    print(f"  speed-up: {loop_s / batch_s:,.0f}×")
    print(f"  max abs difference (per-period rate): {np.nanmax(difference):.3g} over {looped:,} flows; "
          f"NaN in batch {int(np.isnan(batch).sum())}, in loop {int(np.isnan(reference).sum())}")

    flows = random_multi_sign_flows(np.random.default_rng(seed + 1), TRIALS, PERIODS)
    start = time.perf_counter()
    batch = finance.irr(flows)
    batch_s = time.perf_counter() - start
    start = time.perf_counter()
    ambiguous = finance.irr_ambiguous(flows)
    ambiguous_s = time.perf_counter() - start
    print(f"batch IRR, {TRIALS:,} × {PERIODS} flows changing sign more than once: {batch_s:.3f} s "
          f"(NaN, no root, {int(np.isnan(batch).sum()):,}); irr_ambiguous {ambiguous_s:.3f} s, "
          f"several roots in {ambiguous.mean():.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1000, help="evaluate() runs for the median (default 1000)")
    parser.add_argument("--loop-subset", type=int, default=10_000,
                        help="flows timed in the numpy-financial loop (default 10,000)")
    parser.add_argument("--full-loop", action="store_true", help="loop over all 100,000 flows")
    parser.add_argument("--seed", type=int, default=20240901, help="seed of the random flows")
    args = parser.parse_args()

    wall_ms, cpu_ms = bench_evaluate(args.runs)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"evaluate(scenarios/base.yaml), median of {args.runs} runs: wall {wall_ms:.2f} ms "
          f"({'meets' if wall_ms <= TARGET_MS else 'MISSES'} the {TARGET_MS:g} ms target), "
          f"CPU {cpu_ms:.2f} ms ({'meets' if cpu_ms <= TARGET_MS else 'MISSES'}); "
          f"load average {load:.1f} on {os.cpu_count()} cores")
    bench_irr(TRIALS if args.full_loop else args.loop_subset, args.seed)


if __name__ == "__main__":
    main()
