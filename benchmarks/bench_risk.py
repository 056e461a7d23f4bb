"""Benchmark: the Monte Carlo's per-trial NPV, IRR and payback, vectorised vs numpy-financial in a loop.

Inputs: ``scenarios/base.yaml`` over 60 months with its uncertainty and risk events (or
without the events: ``--no-events``), 100,000 trials, seed 2025. Prints

1. the whole Monte Carlo (sampling, engine, metrics; chunked) — wall time and peak memory — and
   the engine's part of it;
2. the three metrics alone on the same 100,000 net cash flows — vectorised (``model.finance``);
3. the same per-trial computation with numpy-financial (``npf.npv``, ``npf.irr``, and a Python
   payback loop) on a subset of trials, scaled to all trials — the loop is too slow to run in full;
4. the ratio of 3 to 2.

Run: ``.venv/bin/python benchmarks/bench_risk.py [--trials N] [--months M] [--subset K] [--no-events]``
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import numpy_financial as npf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from model import finance, montecarlo  # noqa: E402
from model.engine import simulate  # noqa: E402
from model.scenario import load_scenario  # noqa: E402


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


def net_flows(values, mc: montecarlo.MonteCarlo, inputs, risks) -> np.ndarray:
    """The net monthly cash flows of every trial of ``mc`` (trials, months + 1), CNY, chunk by chunk."""
    out = np.empty((mc.trials, int(values["timeline.horizon_months"]) + 1))
    for start in range(0, mc.trials, montecarlo.CHUNK_TRIALS):
        chunk = slice(start, min(start + montecarlo.CHUNK_TRIALS, mc.trials))
        drawn = montecarlo.trial_values(values, inputs, risks, mc.samples.iloc[chunk], mc.events.iloc[chunk],
                                        mc.mitigated)
        out[chunk] = simulate(drawn).net_cash_flow
    return out


def vectorised_metrics(net: np.ndarray, rate: float) -> tuple[np.ndarray, ...]:
    """NPV, IRR (monthly) and payback of every row, vectorised, in chunks as the Monte Carlo does."""
    npv, irr, payback = (np.empty(net.shape[0]) for _ in range(3))
    factors = finance.discount_factors(rate, net.shape[1])
    for start in range(0, net.shape[0], montecarlo.CHUNK_TRIALS):
        chunk = slice(start, start + montecarlo.CHUNK_TRIALS)
        npv[chunk] = net[chunk] @ factors
        irr[chunk] = finance.irr(net[chunk])
        payback[chunk] = finance.payback_period(net[chunk])
    return npv, irr, payback


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
          f"{len(uncertainty.inputs)} uncertain inputs, {len(risks)} risk events, chunks of "
          f"{montecarlo.CHUNK_TRIALS:,} trials; numpy {np.__version__}, numpy-financial {npf.__version__}")

    rss_before = peak_rss_mib()
    best, median, mc = best_of(args.repeats, lambda: montecarlo.run(values, uncertainty, risks, args.trials,
                                                                    args.seed))
    print(f"1. whole Monte Carlo (sample + engine + npv, irr, payback): best {best:.3f} s, median {median:.3f} s "
          f"of {args.repeats}; peak RSS {peak_rss_mib():.0f} MiB (before: {rss_before:.0f} MiB)")

    best_engine, median_engine, net = best_of(args.repeats, lambda: net_flows(values, mc, uncertainty.inputs, risks))
    print(f"   of which the engine (inputs of each chunk + simulate, all cash-flow lines): best {best_engine:.3f} s, "
          f"median {median_engine:.3f} s")
    conventional = float(finance.is_conventional(net).mean())
    best_vec, median_vec, (npv, irr, payback) = best_of(args.repeats, lambda: vectorised_metrics(net, rate))
    assert np.allclose(npv, mc.npv, rtol=1e-9, atol=1e-3), "the benchmark's flows differ from the Monte Carlo's"
    print(f"2. npv, irr, payback on the same {args.trials:,} flows, vectorised: best {best_vec:.3f} s, "
          f"median {median_vec:.3f} s ({1 - conventional:.1%} of the flows change sign more than once)")

    subset = np.random.default_rng(args.seed).choice(args.trials, size=min(args.subset, args.trials), replace=False)
    started = time.perf_counter()
    loop_npv, loop_irr, loop_payback = loop_metrics(net[subset], rate)
    loop_seconds = time.perf_counter() - started
    scaled = loop_seconds * args.trials / subset.size
    print(f"3. numpy-financial in a Python loop: {loop_seconds:.2f} s for {subset.size:,} trials, scaled to "
          f"{args.trials:,}: {scaled:.1f} s (not run in full: too slow)")
    same_irr = np.isclose(loop_irr, irr[subset], rtol=1e-6, atol=1e-9) | (np.isnan(loop_irr) & np.isnan(irr[subset]))
    print(f"   agreement on the subset: NPV max |diff| {np.max(np.abs(loop_npv - npv[subset])):.2e} CNY; "
          f"IRR equal in {same_irr.mean():.1%} of trials (numpy-financial may pick another root when the flows "
          f"change sign more than once); payback equal: {np.allclose(loop_payback, payback[subset], equal_nan=True)}")
    print(f"4. ratio, numpy-financial loop (scaled) / vectorised metrics: {scaled / best_vec:,.0f}× ; "
          f"/ whole Monte Carlo: {scaled / best:,.0f}×")


if __name__ == "__main__":
    main()
