"""Drivers that risks and uncertain inputs move: targets, changes, and the shared parsing helpers.

A *change* names a ``driver`` (an input path, a section such as ``users.churn_monthly`` meaning
every input in it, or a list of paths) and exactly one of ``set``, ``multiply`` or ``add``,
written in the driver's unit; ``stated`` is the money impact the source states for it
(CNY, a loss written positive), shown beside ours and never used in the calculation.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np

from .errors import InputError
from .schema import FIELDS, SECTIONS, Field, unpack_leaf
from .units import format_quantity, parse_money, parse_number, parse_rate

OPERATIONS = ("set", "multiply", "add")
SETS = ("each", "total")
DRIVER_KINDS = ("money", "rate", "number")
CHANGE_KEYS = ("driver", *OPERATIONS, "stated", "source", "basis", "note")
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




class Problems:
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


def parse_drivers(raw: object, path: str, problems: Problems) -> tuple[str, ...] | None:
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


def parse_amount(spec: Field, op: str, raw: object, path: str, problems: Problems) -> float | None:
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


def parse_change(raw: object, path: str, problems: Problems, impact: bool) -> Change | None:
    if not problems.mapping(raw, path, CHANGE_KEYS, "driver, set|multiply|add, stated, source, basis, note"):
        return None
    if "driver" not in raw:
        problems.add(path, "must name a driver (a model input)", show=False)
        return None
    paths = parse_drivers(raw["driver"], f"{path}.driver", problems)
    ops = [op for op in OPERATIONS if op in raw]
    if len(ops) != 1:
        problems.add(path, "must have exactly one of set, multiply, add", raw)
        return None
    if paths is None:
        return None
    amount = parse_amount(FIELDS[paths[0]], ops[0], raw[ops[0]], f"{path}.{ops[0]}", problems)
    stated = None
    if "stated" in raw:
        if not impact:
            problems.add(f"{path}.stated", "belongs to an impact, not a mitigation cost", raw["stated"])
        else:
            stated = parse_amount(Field("money", "CNY", "stated impact"), "set", raw["stated"], f"{path}.stated", problems)
    basis = raw.get("basis") or ("study" if raw.get("source") else "ours")
    if basis not in ("study", "derived", "ours"):
        problems.add(f"{path}.basis", "must be one of study, derived, ours", basis)
    source, note = problems.text(raw.get("source"), f"{path}.source"), problems.text(raw.get("note"), f"{path}.note")
    return None if amount is None else Change(paths, ops[0], amount, stated, source, basis, note)


def parse_changes(raw: object, path: str, problems: Problems, impact: bool) -> tuple[Change, ...] | None:
    if not isinstance(raw, list) or (impact and not raw):
        problems.add(path, "must be a list of changes, each {driver: …, set|multiply|add: …}"
                     + ("" if not impact else " (at least one)"), raw)
        return None
    changes = [parse_change(item, f"{path}[{i}]", problems, impact) for i, item in enumerate(raw)]
    return None if None in changes else tuple(changes)


def parse_rate_leaf(raw: object, path: str, problems: Problems) -> float | None:
    """A rate written bare or as ``{value, source, …}``, checked to lie in [0, 1]."""
    value, _ = unpack_leaf(raw, path, problems.label_of(path), problems.items)
    return parse_amount(Field("rate", "fraction", "rate", high=1.0), "set", value, path, problems)


def unset_drivers(scenario) -> list[InputError]:
    """Drivers the register or uncertainty moves but the scenario leaves unset (e.g. no ``users.cap``)."""
    risks = scenario.extensions.get("risks", ())
    changes = [(f"risks.{r.key}", c) for r in risks for c in r.impacts]
    changes += [(f"risks.{r.key}.mitigation", c) for r in risks if r.mitigation for c in r.mitigation.costs]
    uncertainty = scenario.extensions.get("uncertainty")
    targets = [(f"uncertainty.inputs.{u.key}", u.target) for u in (uncertainty.inputs if uncertainty else ())]
    return [InputError(scenario.file, where, f"moves {path}, which this scenario leaves unset", show=False)
            for where, item in changes + targets for path in item.paths if scenario.values[path] is None]
    return [InputError(scenario.file, where, f"moves {path}, which this scenario leaves unset", show=False)
            for where, item in changes + targets for path in item.paths if scenario.values[path] is None]



__all__ = ["OPERATIONS", "SETS", "DRIVER_KINDS", "CHANGE_KEYS", "LabelOf", "Target", "Change", "Problems",
           "driver_fields", "parse_drivers", "parse_amount", "parse_change", "parse_changes", "parse_rate_leaf",
           "unset_drivers"]
