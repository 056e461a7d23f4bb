"""Sweeps: many variants of a scenario through the vectorised engine, in chunks.

A :class:`Plan` is everything a chunk needs, small enough to send to a worker process or a
Dask worker once: the variants' design, the scenario's values for each combination of the
shape inputs, the metrics. :func:`evaluate_chunk` computes one chunk's rows — variant
number, every swept input (base unit, as ``run --set`` takes it) and every metric — from the
plan and the chunk's number alone, so a chunk gives the same numbers, bit for bit, wherever
it runs. Inside a chunk the variants are grouped by the shape inputs and the engine runs
:data:`ENGINE_TRIALS` variants of a group at a time (cache-sized blocks, as in the Monte Carlo).

Designs: ``grid`` decodes the variant number into one value per input (the shape inputs vary
slowest, so a chunk holds few groups); ``lhs`` is a Latin hypercube whose strata are a keyed
pseudo-random permutation of the variant numbers, so any chunk is computed without the
others; ``sobol`` and ``morris`` hold their sample (from SALib) on the unit cube.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from ..core.engine import simulate
from ..core.metrics import NET_METRICS, annual_sums, compute_metrics, net_metrics
from ..inputs.drivers import Target
from ..inputs.units import MONTHS_PER_YEAR, json_value
from .sampling import ppf
from .spec import Spec, SpecInput, group_values

CHUNK_VARIANTS = 32_768  # variants per chunk: one file, one task
ENGINE_TRIALS = 4_096  # variants per engine call (measured fastest: 4,096 × 37 months ≈ 1.2 MB a line)
U_MIN = 1e-9  # uniforms are kept inside [U_MIN, 1 − U_MIN]: a lognormal's inverse CDF is infinite at 0 and 1
ANNUAL = ("npv_annual", "irr_annual")
PERCENTILES = {"p5": 5.0, "p50": 50.0, "p95": 95.0}


@dataclass
class Plan:
    """What every chunk of a sweep needs; see the module docstring."""

    design: str  # grid | lhs | unit (a sample on the unit cube: sobol, morris)
    variants: int
    chunk_variants: int
    seed: int
    inputs: tuple[SpecInput, ...]
    metrics: tuple[str, ...]
    groups: dict  # shape inputs' value indices → the scenario's values for them
    unit: np.ndarray | None = None  # design "unit": (variants, inputs) on [0, 1]

    @property
    def chunks(self) -> int:
        return -(-self.variants // self.chunk_variants)

    def bounds(self, chunk: int) -> tuple[int, int]:
        start = chunk * self.chunk_variants
        return start, min(start + self.chunk_variants, self.variants)

    @property
    def columns(self) -> list[str]:
        """The result table's columns: ``variant``, the inputs (their paths), the metrics."""
        return ["variant", *(i.path for i in self.inputs), *self.metrics]


def make_plan(spec: Spec, chunk_variants: int = CHUNK_VARIANTS, *, design: str | None = None,
              unit: np.ndarray | None = None, metrics: Sequence[str] | None = None) -> Plan:
    """The plan of ``spec``'s sweep; ``unit`` (variants × inputs on [0, 1]) overrides the design.

    A ``sobol`` design draws SALib's Saltelli sample (N(2D + 2) rows, second-order terms
    included) with the spec's seed.
    """
    design = design or spec.design
    if unit is None and design == "sobol":
        unit = saltelli_unit(len(spec.inputs), spec.samples, spec.seed)
    if unit is not None:
        design = "unit"
    variants = len(unit) if unit is not None else spec.variants
    return Plan(design, variants, int(chunk_variants), spec.seed, spec.inputs, tuple(metrics or spec.metrics),
                group_values(spec), unit)


def saltelli_unit(dimensions: int, samples: int, seed: int) -> np.ndarray:
    """SALib's Saltelli sample (scrambled Sobol' sequence) on the unit cube: (N(2D + 2), D)."""
    import warnings

    from SALib.sample import sobol

    problem = {"num_vars": dimensions, "names": [f"x{i}" for i in range(dimensions)],
               "bounds": [[0.0, 1.0]] * dimensions}
    with warnings.catch_warnings():  # N need not be a power of 2 (the balance is a little worse then)
        warnings.simplefilter("ignore", UserWarning)
        return sobol.sample(problem, int(samples), calc_second_order=True, seed=int(seed))


# --- the Latin hypercube, computed per variant number ------------------------------------------

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: a bijective scramble of uint64 values (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        x = x + _GOLDEN
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def keyed_permutation(index: np.ndarray, n: int, keys: np.ndarray) -> np.ndarray:
    """π(index) for a pseudo-random permutation π of 0..n−1 fixed by ``keys`` (four uint64 round keys).

    A four-round Feistel network on the smallest even number of bits covering n, walked
    until the value falls below n (a bijection on 0..n−1: cycle walking).
    """
    half = max(1, math.ceil(math.log2(max(n, 2)) / 2))
    mask = np.uint64((1 << half) - 1)
    x = np.asarray(index, dtype=np.uint64).copy()
    todo = np.ones(x.shape, dtype=bool)
    while todo.any():
        y = x[todo]
        left, right = y >> np.uint64(half), y & mask
        for key in keys:
            left, right = right, left ^ (_mix(right ^ key) & mask)
        x[todo] = (left << np.uint64(half)) | right
        todo = x >= np.uint64(n)
    return x.astype(np.int64)


def lhs_unit(index: np.ndarray, n: int, seed: int, column: int) -> np.ndarray:
    """The Latin-hypercube uniforms of variants ``index`` for input ``column``: (π(i) + jitter(i)) / n.

    Each of the n strata [k/n, (k+1)/n) holds exactly one variant; π and the jitter depend only
    on (seed, column, variant), so a chunk needs no other chunk.
    """
    keys = np.random.SeedSequence([int(seed), int(column)]).generate_state(5, dtype=np.uint64)
    stratum = keyed_permutation(index, n, keys[:4])
    jitter = (_mix(_mix(np.asarray(index, dtype=np.uint64) ^ keys[4])) >> np.uint64(11)).astype(float) * 2.0 ** -53
    return (stratum + jitter) / n


# --- one chunk ---------------------------------------------------------------------------------

def _uniforms(plan: Plan, index: np.ndarray) -> list[np.ndarray]:
    if plan.design == "unit":
        return [plan.unit[index, j] for j in range(len(plan.inputs))]
    return [lhs_unit(index, plan.variants, plan.seed, j) for j in range(len(plan.inputs))]


def _grid_codes(plan: Plan, index: np.ndarray) -> list[np.ndarray]:
    """Each input's value index for grid variants ``index``: shape inputs vary slowest."""
    order = sorted(range(len(plan.inputs)), key=lambda j: not plan.inputs[j].shape)
    codes = np.unravel_index(index, [plan.inputs[j].count for j in order])
    out: list = [None] * len(plan.inputs)
    for j, code in zip(order, codes):
        out[j] = code
    return out


def chunk_inputs(plan: Plan, start: int, stop: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The swept inputs of variants start..stop−1 (base unit) and the group number of each variant.

    Shape inputs come back as their values (objects); the rest as float arrays. Groups are
    numbered as :func:`~model.risk.spec.shape_combinations` lists them.
    """
    index = np.arange(start, stop, dtype=np.int64)
    columns, codes = {}, {}
    uniforms = None if plan.design == "grid" else _uniforms(plan, index)
    grid = _grid_codes(plan, index) if plan.design == "grid" else None
    for j, item in enumerate(plan.inputs):
        if item.values is not None:
            code = grid[j] if grid is not None else np.minimum((uniforms[j] * item.count).astype(np.int64),
                                                               item.count - 1)
            if item.shape:
                codes[item.path] = code
                columns[item.path] = value_table(item)[code]
            else:
                columns[item.path] = np.asarray(item.values, dtype=float)[code]
        else:
            drawn = {}
            Target((item.path,)).apply(drawn, ppf(item.dist, np.clip(uniforms[j], U_MIN, 1.0 - U_MIN)))
            columns[item.path] = np.asarray(drawn[item.path], dtype=float)
    shape = [i for i in plan.inputs if i.shape]
    if not shape:
        return columns, np.zeros(stop - start, dtype=np.int64)
    group = np.ravel_multi_index([codes[i.path] for i in shape], [i.count for i in shape])
    return columns, group


def value_table(item: SpecInput) -> np.ndarray:
    """A listed input's values as a typed column: whole months as int64, switches as bool, a choice
    as text, a list of choices as ``[a, b]`` (as ``--set`` writes it), a number that may be unset
    as float (NaN for none)."""
    kind = item.field.kind
    if kind == "months":
        return np.asarray(item.values, dtype=np.int64)
    if kind == "flag":
        return np.asarray(item.values, dtype=bool)
    if kind in ("choice", "choices"):
        table = np.empty(item.count, dtype=object)
        table[:] = [f"[{', '.join(v)}]" if isinstance(v, tuple) else v for v in item.values]
        return table
    return np.asarray([np.nan if v is None else v for v in item.values], dtype=float)


def metrics_of(values: Mapping[str, object], names: Sequence[str]) -> dict[str, np.ndarray]:
    """The metrics ``names`` of every trial of ``values``: the cheap net-flow set when it suffices."""
    flows = simulate(values)
    if not set(names) <= set(NET_METRICS) | set(ANNUAL):
        everything = compute_metrics(flows, values)
        return {name: everything[name] for name in names}
    net = flows.net_cash_flow
    out = net_metrics(net, values, names=[n for n in names if n in NET_METRICS])
    annual = [n for n in names if n in ANNUAL]
    if annual:
        found = net_metrics(annual_sums(net), values, MONTHS_PER_YEAR, [n.removesuffix("_annual") for n in annual])
        out.update({f"{name}_annual": value for name, value in found.items()})
    return {name: out[name] for name in names}


def evaluate_chunk(plan: Plan, chunk: int) -> dict[str, np.ndarray]:
    """The result rows of chunk ``chunk``: ``variant``, each input, each metric (one array per column).

    BLAS runs on one thread here: the IRR's matrix products round differently with more, and a
    chunk must give the same bits wherever it runs (the parallelism is one process per core).
    """
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        return _evaluate_chunk(plan, chunk)


def _evaluate_chunk(plan: Plan, chunk: int) -> dict[str, np.ndarray]:
    start, stop = plan.bounds(chunk)
    columns, group = chunk_inputs(plan, start, stop)
    results = {name: np.full(stop - start, np.nan) for name in plan.metrics}
    keys = shape_combinations_of(plan)
    per_trial = [i.path for i in plan.inputs if not i.shape]
    for number in np.unique(group):
        where = np.flatnonzero(group == number)
        base = plan.groups[keys[int(number)]]
        for first in range(0, where.size, ENGINE_TRIALS):
            rows = where[first:first + ENGINE_TRIALS]
            values = dict(base)
            values.update({path: columns[path][rows] for path in per_trial})
            for name, value in metrics_of(values, plan.metrics).items():
                results[name][rows] = np.broadcast_to(value, rows.shape)
    return {"variant": np.arange(start, stop, dtype=np.int64), **columns, **results}


def shape_combinations_of(plan: Plan) -> list[tuple[int, ...]]:
    """The group keys of ``plan`` in group-number order."""
    return sorted(plan.groups)


def metric_summary(name: str, values: np.ndarray) -> dict[str, float | None]:
    """mean, p5, p50, p95 of one metric over the variants (JSON-ready: non-finite → null).

    As in the Monte Carlo: a payback that never comes (NaN) sorts above every month (a
    percentile among them is null), and the mean is over the variants that pay back; an
    undefined IRR is left out.
    """
    values = np.asarray(values, dtype=float)
    if name in ("payback_months", "discounted_payback_months"):
        values = np.where(np.isnan(values), np.inf, values)
    else:
        values = values[~np.isnan(values)]
    finite = values[np.isfinite(values)]
    out = {"mean": json_value(float(finite.mean())) if finite.size else None}
    with np.errstate(invalid="ignore"):
        for key, q in PERCENTILES.items():
            out[key] = json_value(float(np.percentile(values, q))) if values.size else None
    return out


def pick_variants(npv: np.ndarray, picks: Sequence[str]) -> dict[str, int]:
    """Row numbers of the variants at NPV percentiles (``p5``, ``p50``…: the variant at that rank) or
    extremes (``worst``, ``best``); NaN NPVs are left out."""
    npv = np.asarray(npv, dtype=float)
    rows = np.flatnonzero(~np.isnan(npv))
    order = rows[np.argsort(npv[rows], kind="stable")]
    out = {}
    for pick in picks:
        if pick == "worst":
            out[pick] = int(order[0])
        elif pick == "best":
            out[pick] = int(order[-1])
        else:
            q = float(pick[1:]) / 100.0
            out[pick] = int(order[min(len(order) - 1, max(0, math.ceil(q * len(order)) - 1))])
    return out


__all__ = ["CHUNK_VARIANTS", "ENGINE_TRIALS", "PERCENTILES", "Plan", "make_plan", "saltelli_unit",
           "keyed_permutation", "lhs_unit", "chunk_inputs", "value_table", "metrics_of", "evaluate_chunk",
           "shape_combinations_of", "metric_summary", "pick_variants"]
