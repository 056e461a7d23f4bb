"""Monte Carlo over the scenario's uncertain inputs and risk events, on the vectorised engine.

Each trial draws every uncertain input from its distribution (rank-correlated through a
Gaussian copula when the file says so) and each risk of the register as a Bernoulli event
with its probability; the engine then runs all trials of a chunk at once. Outputs per trial:
NPV (CNY, monthly flows at the monthly equivalent of the annual rate), IRR (annual fraction,
NaN where undefined) and payback (months, NaN where never within the horizon).
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..core.engine import simulate
from ..core.metrics import net_metrics
from ..inputs.risks import Risk, with_risks
from ..inputs.units import json_value
from ..inputs.uncertainty import UncertainInput, Uncertainty
from .sampling import correlated_uniforms, generator, ppf

CHUNK_TRIALS = 1024  # trials simulated together: each (chunk × months) line ≈ 0.5 MB (measured fastest)
DRAW_TRIALS = 65_536  # trials drawn and reduced to their metrics together: memory stays bounded
PERCENTILES = {"p5": 5.0, "p50": 50.0, "p95": 95.0}
METRICS = ("npv", "irr", "payback_months")  # per trial: NPV (CNY), IRR (annual), payback (months)


def trial_values(values: Mapping[str, object], inputs: Sequence[UncertainInput], risks: Sequence[Risk],
                 samples: Mapping, events: Mapping, mitigated: bool) -> dict:
    """Engine inputs for a batch of trials: drawn inputs (``samples``) and risk events (``events``) applied.

    ``samples`` and ``events`` map each input's and risk's key to its per-trial values (a
    DataFrame's columns, or arrays).
    """
    drawn = dict(values)
    for item in inputs:
        item.target.apply(drawn, np.asarray(samples[item.key]))
    return with_risks(drawn, risks, [np.asarray(events[r.key], dtype=float) for r in risks], mitigated)


def net_cash_flows(values: Mapping[str, object], inputs: Sequence[UncertainInput], risks: Sequence[Risk],
                   samples: Mapping, events: Mapping, mitigated: bool, trials: int | None = None) -> np.ndarray:
    """The net monthly cash flow of every trial, CNY, (trials, months + 1).

    ``samples`` and ``events`` give each input's and risk's per-trial values (DataFrames, or
    dicts of arrays with ``trials`` given). The engine runs :data:`CHUNK_TRIALS` trials at a time, so that its
    (chunk × months) lines stay in the CPU cache, and only the net flows are kept.
    """
    trials = len(samples.index) if trials is None else trials
    drawn = trial_values(values, inputs, risks, samples, events, mitigated)
    per_trial = [key for key, value in drawn.items() if isinstance(value, np.ndarray) and value.size == trials]
    net = np.full((trials, int(values["timeline.horizon_months"]) + 1), np.nan)  # a trial not simulated stays NaN
    for start in range(0, trials, CHUNK_TRIALS):
        chunk = slice(start, min(start + CHUNK_TRIALS, trials))
        net[chunk] = simulate({**drawn, **{key: drawn[key][chunk] for key in per_trial}}).net_cash_flow
    return net


@dataclass
class MonteCarlo:
    """Per-trial results of a Monte Carlo run and their summary; the seed makes it reproducible."""

    trials: int
    seed: int
    mitigated: bool
    npv: np.ndarray  # CNY per trial
    irr: np.ndarray  # fraction per year per trial; NaN where the flows never change sign
    payback_months: np.ndarray  # months per trial; NaN where the plan never pays back within the horizon
    samples: pd.DataFrame  # each uncertain input's drawn value per trial, in its own unit
    events: pd.DataFrame  # True where a risk happened, per trial
    seconds: float  # wall-clock time of the run

    @property
    def prob_npv_negative(self) -> float:
        """The share of trials with NPV < 0."""
        return float(np.mean(self.npv < 0))

    @property
    def irr_undefined(self) -> int:
        """Trials whose IRR is undefined (no sign change, or no root in range): left out of IRR statistics."""
        return int(np.isnan(self.irr).sum())

    @property
    def payback_never(self) -> float:
        """The share of trials that never pay back within the horizon."""
        return float(np.mean(np.isnan(self.payback_months)))

    def _columns(self) -> dict[str, np.ndarray]:
        # payback NaN means "never": it sorts above every month; IRR NaN is left out
        return {"npv": self.npv, "irr": self.irr[np.isfinite(self.irr)],
                "payback_months": np.where(np.isnan(self.payback_months), np.inf, self.payback_months)}

    @property
    def summary(self) -> pd.DataFrame:
        """mean, p5, p50, p95 (rows) of npv (CNY), irr (annual), payback_months (columns).

        The payback mean is over the trials that pay back; a percentile that falls among the
        trials that never pay back is inf. IRR statistics leave out trials where it is undefined.
        """
        columns = self._columns()
        rows = {"mean": {k: float(np.mean(v[np.isfinite(v)])) if np.isfinite(v).any() else np.nan
                         for k, v in columns.items()}}
        with np.errstate(invalid="ignore"):  # inf − inf between two "never" paybacks gives NaN: it is inf
            for name, q in PERCENTILES.items():
                rows[name] = {k: float(np.percentile(v, q)) if v.size else np.nan for k, v in columns.items()}
                if np.isnan(rows[name]["payback_months"]):
                    rows[name]["payback_months"] = np.inf
        return pd.DataFrame.from_dict(rows, orient="index")

    def convergence(self, points: int = 25) -> pd.DataFrame:
        """P50 (and P5, P95) of NPV, CNY, over the first n trials for n on a geometric grid up to all."""
        counts = np.unique(np.geomspace(min(100, self.trials), self.trials, points).astype(int))
        table = {name: [float(np.percentile(self.npv[:n], q)) for n in counts] for name, q in PERCENTILES.items()}
        return pd.DataFrame({"trials": counts, **{f"{k}_npv": v for k, v in table.items()}})

    def to_json(self) -> dict:
        """The ``montecarlo`` object of ``feasibility risk --json`` (non-finite numbers → null)."""
        summary = self.summary
        out = {name: {k: json_value(v) for k, v in summary.loc[name].items()} for name in ("mean", *PERCENTILES)}
        out.update(prob_npv_negative=self.prob_npv_negative, trials=self.trials, seed=self.seed,
                   mitigated=self.mitigated, irr_undefined_trials=self.irr_undefined,
                   payback_never_share=self.payback_never,
                   risk_event_share={k: float(v) for k, v in self.events.mean().items()})
        return out

    def __repr__(self) -> str:
        return (f"MonteCarlo(trials={self.trials:,}, seed={self.seed}, P50 NPV={np.median(self.npv):,.0f} CNY, "
                f"P(NPV<0)={self.prob_npv_negative:.3f})")


def run(values: Mapping[str, object], uncertainty: Uncertainty | None, risks: Sequence[Risk], trials: int,
        seed: int, mitigated: bool = False) -> MonteCarlo:
    """Draw ``trials`` trials with Generator(``seed``), simulate them and keep their metrics, in chunks.

    Trials are drawn :data:`DRAW_TRIALS` at a time — for each chunk the uniforms of the inputs
    first, then the risk events — and each chunk is reduced to its per-trial metrics before the
    next, so memory grows with the trials' draws and metrics, never with their cash flows.
    """
    if isinstance(trials, bool) or not isinstance(trials, (int, np.integer)) or trials < 1:
        raise ValueError(f"trials must be a whole number of at least 1 (got {trials!r})")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number of at least 0 (got {seed!r})")
    started = time.perf_counter()
    rng = generator(seed)
    inputs = uncertainty.inputs if uncertainty else ()
    rank = uncertainty.rank if uncertainty else np.eye(0)
    probabilities = np.array([r.probability for r in risks])
    draws = {item.key: np.empty(trials) for item in inputs}
    occurred = {r.key: np.empty(trials, dtype=bool) for r in risks}
    results = {name: np.empty(trials) for name in METRICS}
    with ThreadPoolExecutor(os.cpu_count()) as pool:  # scipy's inverse CDFs release the GIL: one input per core
        for start in range(0, trials, DRAW_TRIALS):
            chunk = slice(start, min(start + DRAW_TRIALS, trials))
            uniforms = correlated_uniforms(rng, chunk.stop - start, rank)
            for item, column in zip(inputs, pool.map(lambda i, u: ppf(i.dist, u), inputs, uniforms.T)):
                draws[item.key][chunk] = column
            for risk, column in zip(risks, (rng.random((chunk.stop - start, len(risks))) < probabilities).T):
                occurred[risk.key][chunk] = column
            net = net_cash_flows(values, inputs, risks, {k: v[chunk] for k, v in draws.items()},
                                 {k: v[chunk] for k, v in occurred.items()}, mitigated, chunk.stop - start)
            for name, value in net_metrics(net, values, names=METRICS).items():
                results[name][chunk] = value
    index = pd.RangeIndex(trials, name="trial")
    samples = pd.DataFrame(draws, index=index, copy=False)
    events = pd.DataFrame(occurred, index=index, columns=[r.key for r in risks], copy=False)
    return MonteCarlo(trials, seed, mitigated, results["npv"], results["irr"], results["payback_months"], samples,
                      events, time.perf_counter() - started)


__all__ = ["MonteCarlo", "run", "trial_values", "net_cash_flows", "CHUNK_TRIALS", "METRICS"]
