"""The risk register and the input uncertainty of a scenario file: shapes, parsing, validation.

Two top-level sections, read by :mod:`model.inputs.scenario` and merged
through ``extends`` like any other section::

    risks:
      cost_overrun:
        name: Cost overrun
        probability: {value: 20%, source: "001 §5.4.1", basis: study}
        impacts:                      # act on model drivers, never on money directly
          - {driver: operating_costs.labour.fixed_yearly, multiply: 1.15, stated: 30万, source: "001 §5.4.1"}
        mitigation:
          description: fixed pay plus bonus
          effectiveness: {low: 50%, high: 70%, source: "001 §5.4.1"}
          cost:
            - {driver: operating_costs.other.fixed_yearly, add: 10万, basis: ours}
    uncertainty:
      inputs:
        conversion: {driver: revenue.community.conversion, dist: pert, low: 6%, mode: 7.5%, high: 8%}
      correlations:
        - {inputs: [conversion, purchases], rank: 0.5, basis: ours}

A *change* names a ``driver`` (an input path, a section such as ``users.churn_monthly`` meaning
every input in it, or a list of paths) and exactly one of ``set``, ``multiply`` or ``add``,
written in the driver's unit; ``stated`` is the money impact the source states for it
(CNY, a loss written positive), shown beside ours and never used in the calculation.
A mitigation with effectiveness e shrinks each impact of its risk towards no change by the
factor (1 − e) and adds its own cost changes. A risk set to ``null`` in a child file is off.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from .distributions import DISTRIBUTIONS, KINDS, NUMBER_KEYS, Distribution, normal_correlation
from .errors import InputError
from .schema import FIELDS, SECTIONS, Field, unpack_leaf
from .units import format_quantity, parse_money, parse_number, parse_rate

OPERATIONS = ("set", "multiply", "add")
SETS = ("each", "total")
DRIVER_KINDS = ("money", "rate", "number")
MAX_RISKS = 12  # the expected NPV enumerates all 2^n combinations of risk events
CHANGE_KEYS = ("driver", *OPERATIONS, "stated", "source", "basis", "note")
RISK_KEYS = ("name", "probability", "impacts", "mitigation", "source", "note")
MITIGATION_KEYS = ("description", "effectiveness", "cost", "source", "note")
INPUT_KEYS = ("driver", "sets", "dist", *NUMBER_KEYS, "source", "basis", "note")
CORRELATION_KEYS = ("inputs", "rank", "source", "basis", "note")
PARSERS = {"money": parse_money, "rate": parse_rate, "number": parse_number}

LabelOf = Callable[[str], str]


def driver_fields() -> dict[str, Field]:
    """Inputs an impact or an uncertainty may move: numeric, and read per trial by the engine."""
    return {p: f for p, f in FIELDS.items() if f.kind in DRIVER_KINDS and not p.startswith("finance.")}


@dataclass(frozen=True)
class Target:
    """One or more drivers moved together: ``each`` gets the same value, or their ``total`` is set.

    With ``total`` the drivers keep their proportions (the value is a sum, e.g. yearly opex).
    """

    paths: tuple[str, ...]
    sets: str = "each"

    @property
    def field(self) -> Field:
        return FIELDS[self.paths[0]]

    @property
    def name(self) -> str:
        return self.paths[0] if len(self.paths) == 1 else f"{self.sets} of " + ", ".join(self.paths)

    def current(self, values: Mapping[str, object]):
        """The target's value: the first driver's (``each``) or the drivers' sum (``total``)."""
        return sum(values[p] for p in self.paths) if self.sets == "total" else values[self.paths[0]]

    def apply(self, values: dict, x) -> None:
        """Move the drivers in ``values`` (in place) so that the target's value is ``x``.

        Each driver stays within its schema range (a lognormal tail never makes churn exceed 100%).
        """
        if self.sets == "each":
            values.update({p: np.clip(x, FIELDS[p].low, FIELDS[p].high) for p in self.paths})
            return
        total = self.current(values)
        for path in self.paths:
            share = values[path] / total if total else 1.0 / len(self.paths)
            values[path] = np.clip(share * x, FIELDS[path].low, FIELDS[path].high)

    def format(self, x: float) -> str:
        """A value of this target for people, with its unit."""
        return format_quantity(x, self.field.unit)


@dataclass(frozen=True)
class Change:
    """A change to drivers: ``set`` to, ``multiply`` by or ``add`` an amount (in the driver's unit)."""

    paths: tuple[str, ...]
    op: str
    amount: float
    stated: float | None = None  # the source's money impact, CNY, a loss positive
    source: str | None = None
    basis: str = "ours"
    note: str | None = None

    def apply(self, values: dict, strength=1.0) -> None:
        """Apply in place at ``strength`` (0 no change, 1 the full change; may be a per-trial array).

        set: v + (a − v)·s; multiply: v·(1 + (a − 1)·s); add: v + a·s — then clipped to the
        driver's allowed range.
        """
        for path in self.paths:
            value, spec = values[path], FIELDS[path]
            if self.op == "set":
                new = value + (self.amount - value) * strength
            elif self.op == "multiply":
                new = value * (1.0 + (self.amount - 1.0) * strength)
            else:
                new = value + self.amount * strength
            values[path] = np.clip(new, spec.low, spec.high)

    def describe(self) -> str:
        """``"labour.fixed_yearly × 1.15"``, ``"conversion → 5.0%"``, ``"launch_delay_months + 3"``."""
        driver = self.paths[0].split(".", 1)[-1] + (f" (+{len(self.paths) - 1} more)" if len(self.paths) > 1 else "")
        if self.op == "multiply":
            return f"{driver} × {self.amount:g}"
        amount = format_quantity(self.amount, FIELDS[self.paths[0]].unit)
        return f"{driver} {'→' if self.op == 'set' else '+'} {amount}"


@dataclass(frozen=True)
class Mitigation:
    """A risk's mitigation: its cost (changes always applied) and effectiveness range (fractions)."""

    description: str
    effectiveness_low: float
    effectiveness_high: float
    costs: tuple[Change, ...] = ()
    source: str | None = None

    @property
    def effectiveness(self) -> float:
        """The mid-point of the stated effectiveness range, used in the stress table."""
        return 0.5 * (self.effectiveness_low + self.effectiveness_high)


@dataclass(frozen=True)
class Risk:
    """One risk of the register: a probability (of occurring within the horizon) and its impacts."""

    key: str
    name: str
    probability: float
    impacts: tuple[Change, ...]
    mitigation: Mitigation | None = None
    source: str | None = None

    @property
    def stated_total(self) -> float | None:
        """The money impact the source states for this risk, CNY (sum of its impacts'; loss positive)."""
        stated = [c.stated for c in self.impacts if c.stated is not None]
        return sum(stated) if stated else None


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
    rank: np.ndarray

    @property
    def correlated(self) -> bool:
        return not np.array_equal(self.rank, np.eye(len(self.inputs)))


def with_risks(values: Mapping[str, object], risks: Sequence[Risk], occurs: Sequence, mitigated: bool) -> dict:
    """Inputs after the risks: ``occurs[i]`` is 1 where risk i happens, 0 where not (or per-trial arrays).

    Impacts apply in register order. With ``mitigated``, every risk's mitigation cost applies
    always and its impacts shrink by (1 − effectiveness), the mid-point of the stated range.
    """
    out = dict(values)
    for risk, occurred in zip(risks, occurs):
        strength = occurred
        if mitigated and risk.mitigation is not None:
            strength = occurred * (1.0 - risk.mitigation.effectiveness)
            for cost in risk.mitigation.costs:
                cost.apply(out)
        for impact in risk.impacts:
            impact.apply(out, strength)
    return out


class _Problems:
    """Collects one-line InputErrors for one section, naming the file that set each path."""

    def __init__(self, label_of: LabelOf):
        self.label_of, self.items = label_of, []

    def add(self, path: str, problem: str, value: object = None, show: bool = True) -> None:
        self.items.append(InputError(self.label_of(path.split("[")[0]), path, problem, value, show=show))

    def mapping(self, raw: object, path: str, keys: tuple[str, ...], what: str) -> bool:
        """True when ``raw`` is a mapping with only ``keys``; otherwise says what is wrong."""
        if not isinstance(raw, dict):
            self.add(path, f"must be a mapping of {what}", raw)
            return False
        ok = True
        for key in raw:
            if key not in keys:
                self.add(f"{path}.{key}", "is not a known key (" + ", ".join(keys) + ")", raw[key])
                ok = False
        return ok

    def text(self, raw: object, path: str, required: bool = False) -> str | None:
        if raw is None and not required:
            return None
        if not isinstance(raw, str) or not raw.strip():
            self.add(path, "must be a non-empty text", raw)
            return None
        return raw.strip()


def _drivers(raw: object, path: str, problems: _Problems) -> tuple[str, ...] | None:
    """The input paths ``raw`` names: one path, a section (all numeric inputs in it), or a list."""
    allowed = driver_fields()
    names = raw if isinstance(raw, list) and raw else [raw]
    paths: list[str] = []
    for name in names:
        if not isinstance(name, str):
            problems.add(path, "must name a model input, e.g. revenue.community.conversion", raw)
            return None
        if name in allowed:
            paths.append(name)
        elif name in SECTIONS and any(p.startswith(name + ".") for p in allowed):
            paths.extend(p for p in allowed if p.startswith(name + "."))
        else:
            why = "cannot vary per trial (use a money, rate or number input outside finance)" \
                if name in FIELDS or name in SECTIONS else "is not a model input (check the spelling)"
            problems.add(path, why, name)
            return None
    kinds = {FIELDS[p].kind for p in paths}
    if len(kinds) > 1:
        problems.add(path, "must name inputs of one kind (all money, all rates or all numbers)", raw)
        return None
    return tuple(dict.fromkeys(paths))


def _amount(spec: Field, op: str, raw: object, path: str, problems: _Problems) -> float | None:
    try:
        if op == "set":
            return spec.parse(raw)
        if op == "multiply":
            factor = parse_number(raw)
            if factor < 0:
                raise ValueError("must not be negative")
            return factor
        return PARSERS[spec.kind](raw)
    except ValueError as exc:
        problems.add(path, str(exc), raw)
        return None


def _change(raw: object, path: str, problems: _Problems, impact: bool) -> Change | None:
    if not problems.mapping(raw, path, CHANGE_KEYS, "driver, set|multiply|add, stated, source, basis, note"):
        return None
    if "driver" not in raw:
        problems.add(path, "must name a driver (a model input)", show=False)
        return None
    paths = _drivers(raw["driver"], f"{path}.driver", problems)
    ops = [op for op in OPERATIONS if op in raw]
    if len(ops) != 1:
        problems.add(path, "must have exactly one of set, multiply, add", raw)
        return None
    if paths is None:
        return None
    amount = _amount(FIELDS[paths[0]], ops[0], raw[ops[0]], f"{path}.{ops[0]}", problems)
    stated = None
    if "stated" in raw:
        if not impact:
            problems.add(f"{path}.stated", "belongs to an impact, not a mitigation cost", raw["stated"])
        else:
            stated = _amount(Field("money", "CNY", "stated impact"), "set", raw["stated"], f"{path}.stated", problems)
    basis = raw.get("basis") or ("study" if raw.get("source") else "ours")
    if basis not in ("study", "derived", "ours"):
        problems.add(f"{path}.basis", "must be one of study, derived, ours", basis)
    source, note = problems.text(raw.get("source"), f"{path}.source"), problems.text(raw.get("note"), f"{path}.note")
    return None if amount is None else Change(paths, ops[0], amount, stated, source, basis, note)


def _changes(raw: object, path: str, problems: _Problems, impact: bool) -> tuple[Change, ...] | None:
    if not isinstance(raw, list) or (impact and not raw):
        problems.add(path, "must be a list of changes, each {driver: …, set|multiply|add: …}"
                     + ("" if not impact else " (at least one)"), raw)
        return None
    changes = [_change(item, f"{path}[{i}]", problems, impact) for i, item in enumerate(raw)]
    return None if None in changes else tuple(changes)


def _rate_leaf(raw: object, path: str, problems: _Problems) -> float | None:
    value, _ = unpack_leaf(raw, path, problems.label_of(path), problems.items)
    return _amount(Field("rate", "fraction", "rate", high=1.0), "set", value, path, problems)


def _mitigation(raw: object, path: str, problems: _Problems) -> Mitigation | None:
    if not problems.mapping(raw, path, MITIGATION_KEYS, "description, effectiveness, cost, source, note"):
        return None
    description = problems.text(raw.get("description"), f"{path}.description", required=True)
    effect = raw.get("effectiveness")
    where = f"{path}.effectiveness"
    if not problems.mapping(effect, where, ("low", "high", "source", "basis", "note"), "low, high (fractions), source"):
        return None
    low, high = (_rate_leaf(effect.get(k), f"{where}.{k}", problems) for k in ("low", "high"))
    if low is not None and high is not None and low > high:
        problems.add(f"{where}.high", f"must not be below low ({low:g})", effect.get("high"))
    costs = _changes(raw.get("cost", []), f"{path}.cost", problems, impact=False)
    problems.text(effect.get("source"), f"{where}.source")
    if None in (description, low, high, costs) or low > high:
        return None
    return Mitigation(description, low, high, costs, raw.get("source") or effect.get("source"))


def _risk(key: str, raw: object, problems: _Problems) -> Risk | None:
    path = f"risks.{key}"
    if not problems.mapping(raw, path, RISK_KEYS, "name, probability, impacts, mitigation, source, note"):
        return None
    if "probability" not in raw or "impacts" not in raw:
        problems.add(path, "must state a probability and impacts", show=False)
        return None
    probability = _rate_leaf(raw["probability"], f"{path}.probability", problems)
    impacts = _changes(raw["impacts"], f"{path}.impacts", problems, impact=True)
    mitigation = None if raw.get("mitigation") is None else _mitigation(raw["mitigation"], f"{path}.mitigation",
                                                                        problems)
    name = problems.text(raw.get("name"), f"{path}.name") or key.replace("_", " ")
    if None in (probability, impacts) or (raw.get("mitigation") is not None and mitigation is None):
        return None
    return Risk(key, name, probability, impacts, mitigation, raw.get("source"))


def parse_risks(raw: object, label_of: LabelOf) -> tuple[tuple[Risk, ...], list[InputError]]:
    """The ``risks`` section → (risks in file order, problems). Risks set to null are off."""
    problems = _Problems(label_of)
    if not isinstance(raw, dict):
        problems.add("risks", "must be a mapping of risks by name", raw)
        return (), problems.items
    risks = [_risk(str(key), item, problems) for key, item in raw.items() if item is not None]
    if len(risks) > MAX_RISKS:
        problems.add("risks", f"must hold at most {MAX_RISKS} risks", len(risks))
    return tuple(r for r in risks if r is not None), problems.items


def _distribution(raw: dict, target: Target, path: str, problems: _Problems) -> Distribution | None:
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
    numbers = {k: _amount(spec, "set", raw[k], f"{path}.{k}", problems) for k in needed}
    if None in numbers.values():
        return None
    try:
        return Distribution(kind, numbers[needed[0]], numbers[needed[-1]], numbers.get("mode"))
    except ValueError as exc:
        problems.add(path, f"{kind} {exc}", raw)
        return None


def _uncertain_input(key: str, raw: object, problems: _Problems) -> UncertainInput | None:
    path = f"uncertainty.inputs.{key}"
    if not problems.mapping(raw, path, INPUT_KEYS, "driver, sets, dist and its numbers, source"):
        return None
    paths = _drivers(raw.get("driver"), f"{path}.driver", problems)
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


def _rank_matrix(raw: object, keys: list[str], problems: _Problems) -> np.ndarray:
    rank = np.eye(len(keys))
    if raw is None:
        return rank
    if not isinstance(raw, list):
        problems.add("uncertainty.correlations", "must be a list of {inputs: [A, B], rank: ρ}", raw)
        return rank
    for i, item in enumerate(raw):
        path = f"uncertainty.correlations[{i}]"
        if not problems.mapping(item, path, CORRELATION_KEYS, "inputs, rank, source"):
            continue
        pair = item.get("inputs")
        if not (isinstance(pair, list) and len(pair) == 2 and all(p in keys for p in pair) and pair[0] != pair[1]):
            problems.add(f"{path}.inputs", "must name two different uncertain inputs", pair)
            continue
        try:
            value = parse_number(item.get("rank"))
            if not -1 < value < 1:
                raise ValueError("must be between -1 and 1 (exclusive)")
        except ValueError as exc:
            problems.add(f"{path}.rank", str(exc), item.get("rank"))
            continue
        a, b = keys.index(pair[0]), keys.index(pair[1])
        rank[a, b] = rank[b, a] = value
    if np.linalg.eigvalsh(normal_correlation(rank)).min() <= 1e-10:
        problems.add("uncertainty.correlations", "are not consistent with each other (the correlation matrix "
                     "is not positive definite)", show=False)
    return rank


def parse_uncertainty(raw: object, label_of: LabelOf) -> tuple[Uncertainty | None, list[InputError]]:
    """The ``uncertainty`` section → (Uncertainty, problems)."""
    problems = _Problems(label_of)
    if not problems.mapping(raw, "uncertainty", ("inputs", "correlations"), "inputs, correlations"):
        return None, problems.items
    inputs_raw = raw.get("inputs") or {}
    if not isinstance(inputs_raw, dict):
        problems.add("uncertainty.inputs", "must be a mapping of uncertain inputs by name", inputs_raw)
        return None, problems.items
    inputs = [_uncertain_input(str(k), v, problems) for k, v in inputs_raw.items() if v is not None]
    keys = [str(k) for k, v in inputs_raw.items() if v is not None]
    rank = _rank_matrix(raw.get("correlations"), keys, problems)
    if problems.items:
        return None, problems.items
    return Uncertainty(tuple(inputs), rank), []


def unset_drivers(scenario) -> list[InputError]:
    """Drivers the register or uncertainty moves but the scenario leaves unset (e.g. no ``users.cap``)."""
    risks = scenario.extensions.get("risks", ())
    changes = [(f"risks.{r.key}", c) for r in risks for c in r.impacts]
    changes += [(f"risks.{r.key}.mitigation", c) for r in risks if r.mitigation for c in r.mitigation.costs]
    uncertainty = scenario.extensions.get("uncertainty")
    targets = [(f"uncertainty.inputs.{u.key}", u.target) for u in (uncertainty.inputs if uncertainty else ())]
    return [InputError(scenario.file, where, f"moves {path}, which this scenario leaves unset", show=False)
            for where, item in changes + targets for path in item.paths if scenario.values[path] is None]


__all__ = ["Change", "Mitigation", "Risk", "Target", "UncertainInput", "Uncertainty", "parse_risks",
           "parse_uncertainty", "driver_fields", "unset_drivers", "with_risks"]
