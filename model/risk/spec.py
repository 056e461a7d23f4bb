"""Batch-study specs: the YAML file that ``sweep``, ``sensitivity`` and ``discover`` read.

::

    scenario: ../scenarios/base.yaml    # relative to the spec file
    design: grid                        # grid | lhs | sobol
    samples: 100000                     # lhs: variants; sobol: N, giving N(2D+2) variants
    seed: 7                             # lhs and sobol (default 2025)
    inputs:
      revenue.community.conversion: {values: [4%, 6%, 8%]}                  # listed values
      revenue.community.aov: {low: 100元, high: 200元}                       # uniform
      users.growth_monthly.steady: {dist: pert, low: 1%, mode: 2.5%, high: 3%}  # as in uncertainty:
    metrics: [npv, irr, payback_months]

Each input is named by its dotted path and written in its own unit ("4%", "150元", "350万").
A grid takes ``values`` only (every combination is a variant); ``lhs`` and ``sobol`` draw
``low``/``high`` (uniform) or ``dist:`` inputs, and pick among ``values`` with equal
probability. Inputs that change the shape of the computation (the horizon, phase ends,
switches, choices) take ``values`` only; variants are grouped by them. Every problem is an
:class:`~model.inputs.errors.InputError` naming the spec file and the field.
"""

from __future__ import annotations

import difflib
import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import numpy as np

from ..core.metrics import METRIC_UNITS
from ..inputs.distributions import NUMBER_KEYS, Distribution
from ..inputs.errors import InputError, ScenarioError
from ..inputs.reading import read_yaml
from ..inputs.scenario import Scenario, load_scenario
from ..inputs.schema import FIELDS, Field, field_of, one_off_path
from ..inputs.uncertainty import parse_uncertainty

DESIGNS = ("grid", "lhs", "sobol")
SPEC_KEYS = ("scenario", "design", "samples", "seed", "inputs", "metrics", "description")
INPUT_KEYS = ("values", "dist", *NUMBER_KEYS, "source", "note")
DEFAULT_METRICS = ("npv", "irr", "payback_months")
DEFAULT_SEED = 2025
MAX_VARIANTS = 10 ** 8  # more only with --force
#: Kinds of input the engine reads as a whole (``int(...)``, ``if``), never per trial: variants are grouped by them.
SHAPE_KINDS = ("months", "flag", "choice", "choices")
#: Numeric inputs the engine also reads as a whole.
SHAPE_PATHS = ("tax.loss_carryforward_years",)


@dataclass(frozen=True)
class SpecInput:
    """One swept input: listed ``values`` (parsed, base unit) or a distribution ``dist``."""

    path: str
    values: tuple | None = None
    dist: Distribution | None = None

    @property
    def field(self) -> Field:
        return field_of(self.path)

    @property
    def shape(self) -> bool:
        """True when the input changes the shape of the computation: one engine call per value."""
        return is_shape_input(self.path) or (self.values is not None and any(v is None for v in self.values))

    @property
    def count(self) -> int | None:
        """How many values a grid takes (None for a distribution)."""
        return None if self.values is None else len(self.values)


@dataclass(frozen=True)
class Spec:
    """A validated batch-study spec with its scenario loaded."""

    file: str
    text: str  # the spec file as written (copied into the sweep's folder; part of its fingerprint)
    scenario: Scenario
    design: str
    samples: int | None
    seed: int
    inputs: tuple[SpecInput, ...]
    metrics: tuple[str, ...]

    @property
    def variants(self) -> int:
        """Variants the design gives: the grid's product, ``samples`` (lhs), or N(2D + 2) (sobol)."""
        return design_variants(self.design, self.samples, self.inputs)

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(i.path for i in self.inputs)


def is_shape_input(path: str) -> bool:
    """True for an input the engine cannot take per trial (see :data:`SHAPE_KINDS`)."""
    return field_of(path).kind in SHAPE_KINDS or path in SHAPE_PATHS


def design_variants(design: str, samples: int | None, inputs) -> int:
    if design == "grid":
        return math.prod(i.count or 0 for i in inputs) if inputs else 0
    if design == "sobol":
        return (samples or 0) * (2 * len(inputs) + 2)
    return samples or 0


def as_file_value(value: object) -> object:
    """A parsed value as a scenario file (and ``--set``) writes it: a choice list as a list."""
    return list(value) if isinstance(value, tuple) else value


class _Problems:
    def __init__(self, file: str):
        self.file, self.items = file, []

    def add(self, field: str, problem: str, value: object = None, show: bool = True) -> None:
        self.items.append(InputError(self.file, field, problem, value, show=show))

    def raise_any(self) -> None:
        if self.items:
            raise ScenarioError(self.items)


def _read(path: Path, label: str) -> tuple[str, dict]:
    """The spec's text and top-level mapping, read as scenario files are (duplicate keys refused)."""
    try:
        content = read_yaml(path, label, "spec file", "scenario, design, inputs, metrics, …")
    except InputError as exc:
        raise ScenarioError([exc]) from None
    return path.read_text(encoding="utf-8"), content


def _whole(raw: object, field: str, problems: _Problems, low: int) -> int | None:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < low:
        problems.add(field, f"must be a whole number of at least {low}", raw)
        return None
    return raw


def _unknown_input(path: object) -> str:
    text = str(path)
    section, _, key = text.rpartition(".")
    known = sorted({p[len(section) + 1:].split(".")[0] for p in FIELDS if p.startswith(section + ".")}) \
        if section else sorted({p.split(".")[0] for p in FIELDS})
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"did you mean {section + '.' if section else ''}{close[0]}?" if close else "check the spelling"
    return f"is not a known input ({hint})"


def _values(spec_input: str, raw: object, field: str, problems: _Problems) -> tuple | None:
    spec = field_of(spec_input)
    if not isinstance(raw, list):
        problems.add(field, "must be a list of values, e.g. [4%, 6%, 8%]", raw)
        return None
    if not raw:
        problems.add(field, "is empty: an empty grid has no variants (list at least one value)", show=False)
        return None
    parsed = []
    for i, item in enumerate(raw):
        try:
            parsed.append(spec.parse(item))
        except ValueError as exc:
            problems.add(f"{field}[{i}]", str(exc), item)
            return None
    if len(set(map(repr, parsed))) < len(parsed):
        problems.add(field, "lists a value twice", raw)
        return None
    return tuple(parsed)


def _range(path: str, raw: dict, field: str, problems: _Problems) -> Distribution | None:
    """``{low, high}`` (uniform) or ``{dist: …}`` parsed as the ``uncertainty:`` section parses it."""
    spec = field_of(path)
    if spec.kind not in ("money", "rate", "number"):
        problems.add(field, "changes the shape of the computation: list its values (values: [...])", raw)
        return None
    if "dist" not in raw:
        if set(raw) & {"mode", "p5", "p95"} or not {"low", "high"} <= set(raw):
            problems.add(field, "needs low and high (uniform), or dist: with its numbers", raw)
            return None
        try:
            low, high = spec.parse(raw["low"]), spec.parse(raw["high"])
        except ValueError as exc:
            bad = "low" if _fails(spec, raw["low"]) else "high"
            problems.add(f"{field}.{bad}", str(exc), raw[bad])
            return None
        if not low < high:
            problems.add(field, "low must be below high", f"low {raw['low']}, high {raw['high']}")
            return None
        return Distribution("uniform", low, high)
    if path.startswith("finance."):
        problems.add(f"{field}.dist", "dist: is for inputs outside finance; give low and high (uniform) or values",
                     raw["dist"])
        return None
    entry = {"driver": path, **{k: v for k, v in raw.items() if k in ("dist", *NUMBER_KEYS)}}
    parsed, found = parse_uncertainty({"inputs": {"x": entry}}, lambda _: problems.file)
    for problem in found:  # the uncertainty section's messages, re-addressed to the spec's field
        problems.add(problem.field.replace("uncertainty.inputs.x", field, 1), problem.problem, problem.value,
                     problem.show)
    return None if parsed is None else parsed.inputs[0].dist


def _fails(spec: Field, raw: object) -> bool:
    try:
        spec.parse(raw)
        return False
    except ValueError:
        return True


def _inputs(raw: object, design: str, problems: _Problems) -> tuple[SpecInput, ...]:
    if not isinstance(raw, dict) or not raw:
        problems.add("inputs", "must map input paths to {values: [...]}, {low, high} or {dist: …}" if raw else
                     "is empty: list at least one input to vary", raw, show=bool(raw))
        return ()
    out = []
    for path, entry in raw.items():
        field = f"inputs.{path}"
        if not isinstance(path, str) or (path not in FIELDS and one_off_path(path) is None):
            problems.add(field, _unknown_input(path), entry)
            continue
        if field_of(path).kind == "text":
            problems.add(field, "is a text: it cannot be varied", entry)
            continue
        if not isinstance(entry, dict):
            problems.add(field, "must be {values: [...]}, {low, high} or {dist: …}", entry)
            continue
        unknown = [k for k in entry if k not in INPUT_KEYS]
        if unknown:
            problems.add(f"{field}.{unknown[0]}", "is not a known key (" + ", ".join(INPUT_KEYS) + ")",
                         entry[unknown[0]])
            continue
        if "values" in entry:
            if set(entry) & {"dist", *NUMBER_KEYS}:
                problems.add(field, "takes either values or a range (low/high, dist), not both", entry)
                continue
            values = _values(path, entry["values"], f"{field}.values", problems)
            if values is not None:
                out.append(SpecInput(path, values=values))
        elif design == "grid":
            problems.add(field, "a grid takes values: [...] (low/high and dist are for the lhs and sobol designs)",
                         entry)
        else:
            dist = _range(path, entry, field, problems)
            if dist is not None:
                out.append(SpecInput(path, dist=dist))
    return tuple(out)


def _metrics(raw: object, problems: _Problems) -> tuple[str, ...]:
    if raw is None:
        return DEFAULT_METRICS
    if not isinstance(raw, list) or not raw:
        problems.add("metrics", "must be a list of metric names, e.g. [npv, irr, payback_months]", raw)
        return DEFAULT_METRICS
    for i, name in enumerate(raw):
        if name not in METRIC_UNITS:
            close = difflib.get_close_matches(str(name), list(METRIC_UNITS), n=1)
            problems.add(f"metrics[{i}]", "is not a metric (" + (f"did you mean {close[0]}?" if close else
                                                                 ", ".join(METRIC_UNITS)) + ")", name)
    return tuple(dict.fromkeys(str(n) for n in raw))


def load_spec(path: str | Path, *, force: bool = False) -> Spec:
    """Read, check and resolve a spec file; raises :class:`ScenarioError` with one line per problem.

    ``force`` allows more than :data:`MAX_VARIANTS` variants. The scenario is loaded (its own
    problems name the scenario file), and every combination of the shape inputs' values is
    checked with the scenario's own cross-checks (e.g. phase ends in order).
    """
    label = str(path)
    text, raw = _read(Path(path), label)
    problems = _Problems(label)
    for key in raw:
        if key not in SPEC_KEYS:
            problems.add(str(key), "is not a known key (" + ", ".join(SPEC_KEYS) + ")", raw[key])
    design = raw.get("design", "grid")
    if design not in DESIGNS:
        problems.add("design", "must be one of " + ", ".join(DESIGNS), design)
        design = "grid"
    samples = raw.get("samples")
    if design == "grid":
        if samples is not None:
            problems.add("samples", "is for the lhs and sobol designs (a grid's variants are its combinations)",
                         samples)
        samples = None
    elif samples is None:
        problems.add("samples", f"is required for the {design} design", show=False)
    else:
        samples = _whole(samples, "samples", problems, 1)
    seed = raw.get("seed", DEFAULT_SEED)
    seed = _whole(seed, "seed", problems, 0)
    inputs = _inputs(raw.get("inputs"), design, problems)
    metrics = _metrics(raw.get("metrics"), problems)
    ref = raw.get("scenario")
    if not isinstance(ref, str) or not ref.strip():
        problems.add("scenario", "must name the scenario file (relative to the spec file)", ref, show=ref is not None)
    problems.raise_any()
    scenario = load_scenario(Path(path).parent / ref)
    for item in inputs:
        if item.path not in scenario.values:
            problems.add(f"inputs.{item.path}", f"is not in the scenario {ref} (no one-off cost of that name)",
                         show=False)
    spec = Spec(label, text, scenario, design, samples, seed if seed is not None else DEFAULT_SEED, inputs, metrics)
    if spec.variants > MAX_VARIANTS and not force:
        where = "inputs" if design == "grid" else "samples"
        problems.add(where, f"gives {spec.variants:,} variants, over the limit of {MAX_VARIANTS:,} (use --force to "
                     "run it anyway)", show=False)
    problems.raise_any()
    group_values(spec)  # every combination of the shape inputs must make a valid scenario
    return spec


def shape_combinations(spec: Spec) -> list[tuple[int, ...]]:
    """Every combination of the shape inputs' value indices, in grid order."""
    shape = [i for i in spec.inputs if i.shape]
    return list(itertools.product(*(range(i.count) for i in shape)))


def group_values(spec: Spec) -> dict[tuple[int, ...], dict]:
    """The scenario's values for each combination of the shape inputs (key: their value indices).

    Each is built as ``run --set`` builds it (:meth:`Scenario.with_overrides`), so it passes
    the scenario's own checks; the per-trial inputs are then checked at their lowest and
    highest values too. Problems name the spec file and ``inputs.PATH``.
    """
    shape = [i for i in spec.inputs if i.shape]
    numeric = [i for i in spec.inputs if not i.shape]
    ends = []
    for end in (min, max):
        ends.append({i.path: end(i.values) if i.values is not None else
                     (i.dist.low if end is min else i.dist.high) for i in numeric if i.dist is None
                     or i.dist.kind != "lognormal"})
    groups = {}
    for codes in shape_combinations(spec):
        overrides = {i.path: as_file_value(i.values[c]) for i, c in zip(shape, codes)}
        try:
            for extreme in ends:
                spec.scenario.with_overrides({**overrides, **extreme}, origin=spec.file)
            groups[codes] = dict(spec.scenario.with_overrides(overrides, origin=spec.file).values)
        except ScenarioError as exc:
            paths = set(spec.paths)
            raise ScenarioError([InputError(p.file, f"inputs.{p.field}" if p.field in paths else p.field, p.problem,
                                            p.value, show=p.show) for p in exc.problems]) from None
    return groups


def numeric_column(values: tuple) -> np.ndarray:
    """A grid input's values as a float array (flags as 0/1)."""
    return np.asarray([float(v) for v in values], dtype=float)


def describe(spec: Spec) -> Mapping[str, object]:
    """A short JSON-ready account of the spec: file, scenario, design, variants, inputs, metrics."""
    return {"spec": spec.file, "scenario": spec.scenario.file, "design": spec.design, "samples": spec.samples,
            "seed": spec.seed, "variants": spec.variants, "inputs": list(spec.paths), "metrics": list(spec.metrics)}


__all__ = ["DESIGNS", "SPEC_KEYS", "INPUT_KEYS", "DEFAULT_METRICS", "DEFAULT_SEED", "MAX_VARIANTS", "SHAPE_KINDS",
           "SHAPE_PATHS", "SpecInput", "Spec", "is_shape_input", "design_variants", "as_file_value", "load_spec",
           "shape_combinations", "group_values", "numeric_column", "describe"]
