"""Benchmark: the Monte Carlo's per-trial NPV, IRR and payback, vectorised vs numpy-financial in a loop.

Inputs: ``scenarios/base.yaml`` over 60 months with its uncertainty and risk events (or
without the events: ``--no-events``), 100,000 trials, seed 2025. Prints

1. the whole Monte Carlo (sampling, engine, metrics) — wall time and the process's peak
   memory — and the engine's part of it;
2. the three metrics alone on the same 100,000 net cash flows (months 0..60), vectorised —
   :func:`model.core.metrics.net_metrics`, the Monte Carlo's own code;
3. the same per-trial computation with numpy-financial (``npf.npv``, ``npf.irr``, and a Python
   payback loop) on a random subset of trials, scaled to all trials — too slow to run in full;
4. the ratios of 3 to 2 and to 1.

Targets (issue 4): 1 ≤ 1 s on the 2-core machine, peak memory ≤ 2 GiB. The machine is shared:
the load average is printed, and each time is the best and median of ``--repeats`` runs.

Run: ``.venv/bin/python benchmarks/bench_risk.py [--trials N] [--months M] [--subset K] [--no-events]``
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import numpy_financial as npf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from model.core import finance  # noqa: E402
from model.core.metrics import net_metrics  # noqa: E402
from model.risk import montecarlo  # noqa: E402
from model.inputs.scenario import load_scenario  # noqa: E402


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def best_of(repeats: int, function) -> tuple[float, float, object]:
    """(best, median) wall time in seconds over ``repeats`` runs, and the last result."""
    times, result = [], None
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times), result


def loop_metrics(net: np.ndarray, rate: float) -> tuple[np.ndarray, ...]:
    """The same with numpy-financial, one trial at a time; payback by a Python loop over months."""
    npv, irr, payback = (np.empty(net.shape[0]) for _ in range(3))
    for i, flow in enumerate(net):
        npv[i] = npf.npv(rate, flow)
        irr[i] = npf.irr(flow)
        cumulative, payback[i] = 0.0, np.nan
        for month, cash in enumerate(flow):
            if cumulative + cash >= 0:
                payback[i] = 0.0 if month == 0 else month - 1 + (-cumulative) / cash
                break
            cumulative += cash
    return npv, irr, payback


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--subset", type=int, default=2_000, help="trials run through the numpy-financial loop")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--no-events", action="store_true", help="uncertain inputs only, no risk events")
    args = parser.parse_args()

    scenario = load_scenario(ROOT / "scenarios" / "base.yaml", {"timeline.horizon_months": args.months})
    risks = () if args.no_events else scenario.extensions.get("risks", ())
    values, uncertainty = scenario.values, scenario.extensions["uncertainty"]
    rate = float(finance.monthly_from_annual(values["finance.discount_rate_annual"]))
    print(f"inputs: {scenario.file}, {args.months} months, {args.trials:,} trials, seed {args.seed}, "
          f"{len(uncertainty.inputs)} uncertain inputs, {len(risks)} risk events; engine chunks of "
          f"{montecarlo.CHUNK_TRIALS:,} trials, metric blocks of {finance.BLOCK_TRIALS:,}; numpy {np.__version__}, "
          f"numpy-financial {npf.__version__}; {os.cpu_count()} CPUs, load average "
          + ", ".join(f"{load:.2f}" for load in os.getloadavg()))

    rss_before = peak_rss_mib()
    best, median, mc = best_of(args.repeats, lambda: montecarlo.run(values, uncertainty, risks, args.trials,
                                                                    args.seed))
    print(f"1. whole Monte Carlo (sampling + engine + npv, irr, payback): best {best:.3f} s, median {median:.3f} s "
          f"of {args.repeats} (target ≤ 1 s); peak RSS {peak_rss_mib():.0f} MiB (target ≤ 2048; "
          f"{rss_before:.0f} MiB before the run)")

    best_engine, median_engine, net = best_of(args.repeats, lambda: montecarlo.net_cash_flows(
        values, uncertainty.inputs, risks, mc.samples, mc.events, mc.mitigated))
    print(f"   of which the engine (every cash-flow line of every trial, chunk by chunk): best {best_engine:.3f} s, "
          f"median {median_engine:.3f} s")
    conventional = float(finance.is_conventional(net).mean())
    best_vec, median_vec, metrics = best_of(args.repeats, lambda: net_metrics(net, values, names=montecarlo.METRICS))
    assert np.array_equal(metrics["npv"], mc.npv), "the benchmark's flows differ from the Monte Carlo's"
    print(f"2. metrics alone — npv, irr, payback on the same {net.shape[0]:,} × {net.shape[1]} net flows, "
          f"vectorised: best {best_vec:.3f} s, median {median_vec:.3f} s ({1 - conventional:.1%} of the flows change "
          f"sign more than once)")

    subset = np.random.default_rng(args.seed).choice(args.trials, size=min(args.subset, args.trials), replace=False)
    started = time.perf_counter()
    loop_npv, loop_irr, loop_payback = loop_metrics(net[subset], rate)
    loop_seconds = time.perf_counter() - started
    scaled = loop_seconds * args.trials / subset.size
    print(f"3. numpy-financial in a Python loop, on a random subset of {subset.size:,} trials: {loop_seconds:.2f} s; "
          f"scaled to {args.trials:,} trials: {scaled:.1f} s (an estimate: not run in full, too slow)")
    irr = finance.monthly_from_annual(metrics["irr"][subset])
    same_irr = np.isclose(loop_irr, irr, rtol=0, atol=1e-9) | (np.isnan(loop_irr) & np.isnan(irr))
    print(f"   agreement on the subset: NPV max |diff| {np.max(np.abs(loop_npv - metrics['npv'][subset])):.2e} CNY; "
          f"monthly IRR within 1e-9 in {same_irr.mean():.1%} of trials (numpy-financial may pick another root "
          f"when the flows change sign more than once); payback equal: "
          f"{np.allclose(loop_payback, metrics['payback_months'][subset], equal_nan=True)}")
    print(f"4. ratios: numpy-financial loop (scaled) / vectorised metrics (2): {scaled / best_vec:,.0f}×; "
          f"/ whole Monte Carlo (1): {scaled / best:,.0f}×")


if __name__ == "__main__":
    main()
