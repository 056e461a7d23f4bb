"""Global sensitivity of the metrics to a spec's inputs: Sobol indices, or Morris screening (SALib).

Sobol: SALib's Saltelli sample (N(2D + 2) points of a scrambled Sobol' sequence, D inputs) is
drawn on the unit cube and taken through each input's inverse CDF (``low``/``high`` uniform,
``dist:``, or equal odds among listed ``values``), so the indices are those of the inputs as
the spec distributes them. The engine evaluates the samples as a sweep does — in chunks,
locally or on Dask (:mod:`model.risk.parallel`) — and SALib's ``sobol.analyze`` gives the
first-order and total indices S1 and ST with bootstrap confidence intervals (95%).

Morris (``method="morris"``, for many inputs): N trajectories of D + 1 points on a 4-level
grid of the unit cube; the elementary effects are per the whole range of each input (its
quantile from 0 to 1), in the metric's unit: ``mu_star`` ranks the inputs, ``sigma`` shows
interaction or non-linearity.

A metric that is undefined for some samples (an IRR with no sign change, a payback that never
comes) has no indices; a note says why.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import Callable, Mapping, Sequence

import numpy as np
import pandas as pd

from ..core.metrics import METRIC_UNITS
from ..inputs.units import json_value
from .parallel import evaluate_all
from .spec import Spec
from .sweep import make_plan, saltelli_unit

METHODS = ("sobol", "morris")
DEFAULT_SAMPLES = {"sobol": 1024, "morris": 100}
MORRIS_LEVELS = 4
RESAMPLES = 100
CONF_LEVEL = 0.95
SOBOL_COLUMNS = ("S1", "S1_conf", "ST", "ST_conf")
MORRIS_COLUMNS = ("mu", "mu_star", "sigma", "mu_star_conf")


@dataclass
class Sensitivity:
    """Indices per metric: a table with one row per input (Sobol: S1, S1_conf, ST, ST_conf; Morris:
    mu, mu_star, sigma, mu_star_conf)."""

    method: str
    inputs: tuple[str, ...]
    samples: int  # N
    variants: int  # engine evaluations
    seed: int
    seconds: float
    indices: dict[str, pd.DataFrame]
    notes: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        """``sensitivity --json``: method, N, evaluations, seed, seconds, and per metric a list of
        {input, S1, S1_conf, ST, ST_conf} (or Morris's measures); null where undefined."""
        return {"method": self.method, "samples": self.samples, "variants": self.variants, "seed": self.seed,
                "seconds": round(self.seconds, 3), "inputs": list(self.inputs), "conf_level": CONF_LEVEL,
                "indices": {metric: [{"input": name, **{k: json_value(float(v)) for k, v in row.items()}}
                                     for name, row in table.iterrows()] for metric, table in self.indices.items()},
                "units": {metric: ("fraction of variance" if self.method == "sobol" else
                                   f"{METRIC_UNITS[metric]} per input range") for metric in self.indices},
                "notes": dict(self.notes)}


def _problem(names: Sequence[str]) -> dict:
    return {"num_vars": len(names), "names": list(names), "bounds": [[0.0, 1.0]] * len(names)}


def _undefined(y: np.ndarray) -> str | None:
    missing = int(np.isnan(y).sum())
    if missing:
        return f"undefined for {missing:,} of {y.size:,} samples: no indices"
    if np.ptp(y) == 0:
        return "the same for every sample: no indices"
    return None


def sobol_table(names: Sequence[str], y: np.ndarray, seed: int) -> pd.DataFrame:
    """S1, S1_conf, ST, ST_conf per input from outputs ``y`` of a Saltelli sample (second order included)."""
    from SALib.analyze import sobol

    found = sobol.analyze(_problem(names), np.asarray(y, dtype=float), calc_second_order=True,
                          num_resamples=RESAMPLES, conf_level=CONF_LEVEL, seed=seed)
    return pd.DataFrame({k: np.asarray(found[k], dtype=float) for k in SOBOL_COLUMNS},
                        index=pd.Index(names, name="input"))


def morris_unit(dimensions: int, trajectories: int, seed: int) -> np.ndarray:
    """SALib's Morris trajectories on the unit cube: (N(D + 1), D) on :data:`MORRIS_LEVELS` levels."""
    from SALib.sample import morris

    return morris.sample(_problem([f"x{i}" for i in range(dimensions)]), int(trajectories),
                         num_levels=MORRIS_LEVELS, seed=int(seed))


def morris_table(names: Sequence[str], unit: np.ndarray, y: np.ndarray, seed: int) -> pd.DataFrame:
    """mu, mu_star, sigma, mu_star_conf per input (elementary effects per the input's whole range)."""
    from SALib.analyze import morris

    found = morris.analyze(_problem(names), unit, np.asarray(y, dtype=float), num_resamples=RESAMPLES,
                           conf_level=CONF_LEVEL, num_levels=MORRIS_LEVELS, seed=seed)
    return pd.DataFrame({k: np.asarray(found[k], dtype=float) for k in MORRIS_COLUMNS},
                        index=pd.Index(names, name="input"))


def analyse(method: str, names: Sequence[str], unit: np.ndarray, outputs: Mapping[str, np.ndarray],
            seed: int) -> tuple[dict[str, pd.DataFrame], dict[str, str]]:
    """Indices of every output (metric → y over the sample ``unit``), and notes for those without."""
    columns = SOBOL_COLUMNS if method == "sobol" else MORRIS_COLUMNS
    tables, notes = {}, {}
    for metric, y in outputs.items():
        y = np.asarray(y, dtype=float)
        why = _undefined(y)
        if why:
            notes[metric] = why
            tables[metric] = pd.DataFrame(np.nan, index=pd.Index(names, name="input"), columns=list(columns))
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            tables[metric] = sobol_table(names, y, seed) if method == "sobol" else morris_table(names, unit, y, seed)
    return tables, notes


def unit_sample(method: str, dimensions: int, samples: int, seed: int) -> np.ndarray:
    """The method's sample on the unit cube: Saltelli (Sobol) or Morris trajectories."""
    return saltelli_unit(dimensions, samples, seed) if method == "sobol" else morris_unit(dimensions, samples, seed)


def run_method(method: str, names: Sequence[str], evaluate: Callable[[np.ndarray], Mapping[str, np.ndarray]],
               samples: int, seed: int) -> tuple[np.ndarray, dict[str, pd.DataFrame], dict[str, str]]:
    """Sample, evaluate (``evaluate(unit) → {output: y}``), analyse: the whole wiring for any model."""
    unit = unit_sample(method, len(names), samples, seed)
    tables, notes = analyse(method, names, unit, evaluate(unit), seed)
    return unit, tables, notes


def sensitivity(spec: Spec, method: str = "sobol", *, samples: int | None = None, scheduler: str | None = None,
                workers: int | None = None, metrics: Sequence[str] | None = None) -> Sensitivity:
    """Sobol indices (or Morris measures) of ``spec``'s metrics to its inputs, on the engine.

    N is ``samples``, else the spec's ``samples``, else :data:`DEFAULT_SAMPLES`; the spec's
    ``design`` is ignored. NPV is always among the metrics.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)} (got {method!r})")
    started = time.perf_counter()
    n = int(samples or spec.samples or DEFAULT_SAMPLES[method])
    names = list(spec.paths)
    chosen = tuple(dict.fromkeys(("npv", *(metrics or spec.metrics))))

    def on_engine(unit: np.ndarray) -> dict[str, np.ndarray]:
        table = evaluate_all(make_plan(spec, unit=unit, metrics=chosen), scheduler=scheduler, workers=workers)
        return {m: table[m].to_numpy(dtype=float) for m in chosen}

    unit, tables, notes = run_method(method, names, on_engine, n, spec.seed)
    return Sensitivity(method, tuple(names), n, len(unit), spec.seed, time.perf_counter() - started, tables, notes)


__all__ = ["METHODS", "DEFAULT_SAMPLES", "SOBOL_COLUMNS", "MORRIS_COLUMNS", "Sensitivity", "sobol_table",
           "morris_unit", "morris_table", "analyse", "unit_sample", "run_method", "sensitivity"]
