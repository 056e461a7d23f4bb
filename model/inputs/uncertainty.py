"""The uncertain inputs of a scenario file (``uncertainty:``): distributions and rank correlations.

::

    uncertainty:
      inputs:
        conversion: {driver: revenue.community.conversion, dist: pert, low: 6%, mode: 7.5%, high: 8%}
      correlations:
        - {inputs: [conversion, purchases], rank: 0.5, basis: ours}

The distribution kinds and what their numbers mean are :data:`model.inputs.distributions.KINDS`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .distributions import DISTRIBUTIONS, KINDS, NUMBER_KEYS, Distribution, normal_correlation, positive_definite
from .drivers import SETS, LabelOf, Problems, Target, parse_drivers, parse_leaf
from .errors import InputError
from .schema import FIELDS, Field
from .units import parse_number



@dataclass(frozen=True)
class UncertainInput:
    """An input drawn from a distribution in the Monte Carlo, and moved to its ends in the tornado."""

    key: str
    target: Target
    dist: Distribution
    source: str | None = None
    basis: str = "ours"
    note: str | None = None


@dataclass(frozen=True)
class Uncertainty:
    """The uncertain inputs and their rank correlation matrix (inputs in file order)."""

    inputs: tuple[UncertainInput, ...]
    rank: tuple[tuple[float, ...], ...]  # Spearman rank correlations, 1 on the diagonal

    @property
    def correlated(self) -> bool:
        return any(value != (1.0 if i == j else 0.0) for i, row in enumerate(self.rank) for j, value in enumerate(row))




#: The keys each entry may have.
INPUT_KEYS = ("driver", "sets", "dist", *NUMBER_KEYS, "source", "basis", "note")
CORRELATION_KEYS = ("inputs", "rank", "source", "basis", "note")


def _distribution(raw: dict, target: Target, path: str, problems: Problems) -> Distribution | None:
    kind = raw.get("dist")
    if kind not in KINDS:
        problems.add(f"{path}.dist", "must be one of " + ", ".join(DISTRIBUTIONS), kind)
        return None
    needed = KINDS[kind].numbers
    wrong = [k for k in NUMBER_KEYS if k in raw and k not in needed]
    if wrong or any(k not in raw for k in needed):
        problems.add(path, f"a {kind} distribution takes exactly " + ", ".join(needed), raw)
        return None
    spec = Field("money", target.field.unit, "") if target.sets == "total" else target.field
    numbers = {k: parse_leaf(spec, raw[k], f"{path}.{k}", problems) for k in needed}
    if None in numbers.values():
        return None
    try:
        return Distribution(kind, numbers[needed[0]], numbers[needed[-1]], numbers.get("mode"))
    except ValueError as exc:
        problems.add(path, f"{kind} {exc}", raw)
        return None


def _uncertain_input(key: str, raw: object, problems: Problems) -> UncertainInput | None:
    path = f"uncertainty.inputs.{key}"
    if not problems.mapping(raw, path, INPUT_KEYS, "driver, sets, dist and its numbers, source"):
        return None
    paths = parse_drivers(raw.get("driver"), f"{path}.driver", problems)
    sets = raw.get("sets", "each")
    if sets not in SETS:
        problems.add(f"{path}.sets", "must be each (every driver takes the value) or total (their sum does)", sets)
        return None
    if paths is None:
        return None
    if sets == "total" and FIELDS[paths[0]].kind != "money":
        problems.add(f"{path}.sets", "total applies to money drivers only", sets)
        return None
    target = Target(paths, sets)
    dist = _distribution(raw, target, path, problems)
    basis = raw.get("basis") or ("study" if raw.get("source") else "ours")
    return None if dist is None else UncertainInput(key, target, dist, raw.get("source"), basis, raw.get("note"))


def _rank_matrix(raw: object, keys: list[str], problems: Problems) -> tuple[tuple[float, ...], ...]:
    rank = [[1.0 if i == j else 0.0 for j in range(len(keys))] for i in range(len(keys))]
    if raw is None:
        return tuple(map(tuple, rank))
    if not isinstance(raw, list):
        problems.add("uncertainty.correlations", "must be a list of {inputs: [A, B], rank: ρ}", raw)
        return tuple(map(tuple, rank))
    for i, item in enumerate(raw):
        path = f"uncertainty.correlations[{i}]"
        if not problems.mapping(item, path, CORRELATION_KEYS, "inputs, rank, source"):
            continue
        pair = item.get("inputs")
        if not (isinstance(pair, list) and len(pair) == 2 and all(p in keys for p in pair) and pair[0] != pair[1]):
            problems.add(f"{path}.inputs", "must name two different uncertain inputs", pair)
            continue
        try:
            rank_raw = item.get("rank")
            value = parse_number(rank_raw["value"] if isinstance(rank_raw, dict) and "value" in rank_raw else rank_raw)
            if not -1 < value < 1:
                raise ValueError("must be between -1 and 1 (exclusive)")
        except ValueError as exc:
            problems.add(f"{path}.rank", str(exc), item.get("rank"))
            continue
        a, b = keys.index(pair[0]), keys.index(pair[1])
        rank[a][b] = rank[b][a] = value
    if not positive_definite(tuple(tuple(normal_correlation(v) for v in row) for row in rank)):
        problems.add("uncertainty.correlations", "are not consistent with each other (the correlation matrix "
                     "is not positive definite)", show=False)
    return tuple(map(tuple, rank))


def parse_uncertainty(raw: object, label_of: LabelOf) -> tuple[Uncertainty | None, list[InputError]]:
    """The ``uncertainty`` section → (Uncertainty, problems and warnings)."""
    problems = Problems(label_of)
    if not problems.mapping(raw, "uncertainty", ("inputs", "correlations"), "inputs, correlations"):
        return None, problems.all
    inputs_raw = raw.get("inputs") or {}
    if not isinstance(inputs_raw, dict):
        problems.add("uncertainty.inputs", "must be a mapping of uncertain inputs by name", inputs_raw)
        return None, problems.all
    inputs = [_uncertain_input(str(k), v, problems) for k, v in inputs_raw.items() if v is not None]
    keys = [str(k) for k, v in inputs_raw.items() if v is not None]
    rank = _rank_matrix(raw.get("correlations"), keys, problems)
    if problems.items:
        return None, problems.all
    return Uncertainty(tuple(inputs), rank), problems.warnings



__all__ = ["UncertainInput", "Uncertainty", "parse_uncertainty"]
