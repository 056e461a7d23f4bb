"""Drivers that risks and uncertain inputs move: targets, changes, and the shared parsing helpers.

A *change* names a ``driver`` (an input path, a section such as ``users.churn_monthly`` meaning
every input in it, or a list of paths) and exactly one of ``set``, ``multiply`` or ``add``,
written in the driver's unit; ``stated`` is the money impact the source states for it
(CNY, a loss written positive), shown beside ours and never used in the calculation.

The drivers are the numeric inputs of the schema (:func:`driver_fields`) and the amounts of the
one-off costs, ``one_off_costs.NAME.amount``, whose names each scenario chooses
(:func:`driver_field` gives the :class:`Field` of either). The one-off costs come from the
``one_off_costs:`` section (:func:`parse_one_off_costs`) and from risks with a ``one_off:`` of
their own (:mod:`.risks`)::

    one_off_costs:
      fine: {amount: {value: 200万, source: "001 §六(一)1.1"}, month: 12}
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable, Mapping

from .errors import InputError, InputWarning
from .schema import (FIELDS, MAX_HORIZON_MONTHS, ONE_OFF_FIELDS, ONE_OFF_SECTION, SECTIONS, Field, field_of,
                     one_off_path, unpack_leaf)
from .texts import Text, quantity
from .units import format_quantity, parse_money, parse_number, parse_rate

OPERATIONS = ("set", "multiply", "add")
SETS = ("each", "total")
DRIVER_KINDS = ("money", "rate", "number")
CHANGE_KEYS = ("driver", *OPERATIONS, "stated", "source", "basis", "note")
PARSERS = {"money": parse_money, "rate": parse_rate, "number": parse_number}

LabelOf = Callable[[str], str]


def driver_fields(values: Mapping[str, object] | None = None) -> dict[str, Field]:
    """Inputs an impact or an uncertainty may move: numeric, and read per trial by the engine.

    The schema's drivers, plus, with a scenario's ``values``, the amounts of its one-off costs.
    """
    fields = {p: f for p, f in FIELDS.items() if f.kind in DRIVER_KINDS and not p.startswith("finance.")}
    for path in values or ():
        if driver_field(path) is not None and path not in fields:
            fields[path] = driver_field(path)
    return fields


def driver_field(path: str) -> Field | None:
    """The :class:`Field` of a driver path — a schema driver or any ``one_off_costs.NAME.amount`` — else None.

    Whether a one-off cost of that name exists is the scenario's to say (:func:`unset_drivers`).
    """
    one_off = one_off_path(path)
    if one_off is not None:
        return ONE_OFF_FIELDS["amount"] if one_off[1] == "amount" else None
    spec = FIELDS.get(path)
    return spec if spec is not None and spec.kind in DRIVER_KINDS and not path.startswith("finance.") else None


@dataclass(frozen=True)
class Target:
    """One or more drivers moved together: ``each`` gets the same value, or their ``total`` is set.

    With ``total`` the drivers keep their proportions (the value is a sum, e.g. yearly opex).
    """

    paths: tuple[str, ...]
    sets: str = "each"

    @property
    def field(self) -> Field:
        return field_of(self.paths[0])

    @property
    def name(self) -> str:
        return self.paths[0] if len(self.paths) == 1 else f"{self.sets} of " + ", ".join(self.paths)

    @staticmethod
    def first_path(name: str) -> str:
        """The first input of a target's :attr:`name` (``"total of a, b"`` → ``a``; a path → itself)."""
        return name.split(" of ", 1)[-1].split(", ")[0]

    def current(self, values: Mapping[str, object]):
        """The target's value: the first driver's (``each``) or the drivers' sum (``total``)."""
        return sum(values[p] for p in self.paths) if self.sets == "total" else values[self.paths[0]]

    def apply(self, values: dict, x) -> None:
        """Move the drivers in ``values`` (in place) so that the target's value is ``x``.

        Each driver stays within its schema range (a lognormal tail never makes churn exceed 100%).
        """
        import numpy as np  # per-trial arrays: only the risk analysis moves targets, and it has numpy loaded

        if self.sets == "each":
            values.update({p: np.clip(x, field_of(p).low, field_of(p).high) for p in self.paths})
            return
        total = self.current(values)
        for path in self.paths:
            share = values[path] / total if total else 1.0 / len(self.paths)
            values[path] = np.clip(share * x, field_of(path).low, field_of(path).high)

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
        import numpy as np  # per-trial arrays: only the risk analysis applies changes, and it has numpy loaded

        for path in self.paths:
            value, spec = values[path], field_of(path)
            if self.op == "set":
                new = value + (self.amount - value) * strength
            elif self.op == "multiply":
                new = value * (1.0 + (self.amount - 1.0) * strength)
            else:
                new = value + self.amount * strength
            values[path] = np.clip(new, spec.low, spec.high)

    def describe(self) -> Text:
        """In both languages: ``"labour.fixed_yearly × 1.15"``, ``"conversion → 5.0%"``,
        ``"launch_delay_months + 3.0 months"`` (Chinese: ``"… + 3.0 个月"``)."""
        driver = self.paths[0].split(".", 1)[-1]
        more = (f" (+{len(self.paths) - 1} more)", f"（另 {len(self.paths) - 1} 项）") if len(self.paths) > 1 else ("", "")
        if self.op == "multiply":
            return Text(f"{driver}{more[0]} × {self.amount:g}", f"{driver}{more[1]} × {self.amount:g}")
        sign = "→" if self.op == "set" else "+"
        unit = field_of(self.paths[0]).unit
        return Text(f"{driver}{more[0]} {sign} {quantity(self.amount, unit)}",
                    f"{driver}{more[1]} {sign} {quantity(self.amount, unit, 'zh')}")


class Problems:
    """Collects one-line InputErrors (``items``) and InputWarnings (``warnings``) for one section, naming the
    file that set each path."""

    def __init__(self, label_of: LabelOf):
        self.label_of, self.items, self.warnings = label_of, [], []

    def add(self, path: str, problem: str, value: object = None, show: bool = True) -> None:
        self.items.append(InputError(self.label_of(path.split("[")[0]), path, problem, value, show=show))

    def warn(self, path: str, problem: str, value: object = None) -> None:
        self.warnings.append(InputWarning(self.label_of(path.split("[")[0]), path, problem, value))

    @property
    def all(self) -> list:
        """The errors, then the warnings: what a section's parser returns."""
        return [*self.items, *self.warnings]

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
    """The input paths ``raw`` names: one path, a section (all numeric inputs in it), or a list.

    ``one_off_costs.NAME.amount`` is accepted for any NAME; :func:`unset_drivers` checks that
    the scenario has that one-off cost.
    """
    allowed = driver_fields()
    names = raw if isinstance(raw, list) and raw else [raw]
    paths: list[str] = []
    for name in names:
        if not isinstance(name, str):
            problems.add(path, "must name a model input, e.g. revenue.community.conversion", raw)
            return None
        if name in allowed or driver_field(name) is not None:  # a schema driver or a one-off cost's amount
            paths.append(name)
        elif name == ONE_OFF_SECTION or name.startswith(ONE_OFF_SECTION + "."):
            why = "cannot vary per trial (a one-off cost's month is fixed)" if one_off_path(name) else \
                f"must name one one-off cost's amount, {ONE_OFF_SECTION}.NAME.amount"
            problems.add(path, why, name)
            return None
        elif name in SECTIONS and any(p.startswith(name + ".") for p in allowed):
            paths.extend(p for p in allowed if p.startswith(name + "."))
        else:
            why = "cannot vary per trial (use a money, rate or number input outside finance)" \
                if name in FIELDS or name in SECTIONS else "is not a model input (check the spelling)"
            problems.add(path, why, name)
            return None
    kinds = {field_of(p).kind for p in paths}
    if len(kinds) > 1:
        problems.add(path, "must name inputs of one kind (all money, all rates or all numbers)", raw)
        return None
    return tuple(dict.fromkeys(paths))


def parse_amount(spec: Field, op: str, raw: object, path: str, problems: Problems) -> float | None:
    try:
        if op == "set":
            value = spec.parse(raw)
            slip = spec.slip(raw, value)
            if slip:
                problems.warn(path, slip, raw)
            return value
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
    amount = parse_amount(field_of(paths[0]), ops[0], raw[ops[0]], f"{path}.{ops[0]}", problems)
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


def parse_leaf(spec: Field, raw: object, path: str, problems: Problems) -> float | None:
    """A value of ``spec`` written bare or as ``{value, source, basis, note}``."""
    if isinstance(raw, dict) and "value" not in raw:
        unpack_leaf(raw, path, problems.label_of(path), problems.items)  # says what is missing
        return None
    value, _ = unpack_leaf(raw, path, problems.label_of(path), problems.items)
    return parse_amount(spec, "set", value, path, problems)


def parse_rate_leaf(raw: object, path: str, problems: Problems) -> float | None:
    """A rate written bare or as ``{value, source, …}``, checked to lie in [0, 1]."""
    return parse_leaf(Field("rate", "fraction", "rate", high=1.0), raw, path, problems)


def unset_drivers(scenario) -> list[InputError]:
    """Drivers the register or uncertainty moves but the scenario leaves unset (e.g. no ``users.cap``,
    or a one-off cost that neither ``one_off_costs:`` nor a risk's ``one_off:`` declares)."""
    risks = scenario.extensions.get("risks", ())
    changes = [(f"risks.{r.key}", c) for r in risks for c in r.impacts]
    changes += [(f"risks.{r.key}.mitigation", c) for r in risks if r.mitigation for c in r.mitigation.costs]
    uncertainty = scenario.extensions.get("uncertainty")
    targets = [(f"uncertainty.inputs.{u.key}", u.target) for u in (uncertainty.inputs if uncertainty else ())]
    problems = []
    for where, item in changes + targets:
        for path in item.paths:
            if path not in scenario.values:
                problems.append(InputError(scenario.file, where, f"moves {path}, but no one-off cost is named "
                                           f"{path.split('.')[1]} ({ONE_OFF_SECTION}: or a risk's one_off:)", show=False))
            elif scenario.values[path] is None:
                problems.append(InputError(scenario.file, where, f"moves {path}, which this scenario leaves unset",
                                           show=False))
    return problems


@dataclass(frozen=True)
class OneOffCost:
    """A cost paid once, in one month: an entry of ``one_off_costs:`` or a risk's own ``one_off:``."""

    name: str
    amount: float  # CNY, ≥ 0
    month: int  # 1..horizon
    source: str | None = None
    basis: str = "ours"
    note: str | None = None

    @property
    def amount_path(self) -> str:
        return f"{ONE_OFF_SECTION}.{self.name}.amount"

    @property
    def month_path(self) -> str:
        return f"{ONE_OFF_SECTION}.{self.name}.month"


#: The keys of a one-off cost (``one_off_costs.NAME`` or a risk's ``one_off``).
ONE_OFF_KEYS = ("amount", "month", "source", "basis", "note")


def parse_one_off(name: str, raw: object, path: str, problems: Problems, horizon: int | None = None) \
        -> OneOffCost | None:
    """One one-off cost ``{amount, month, source, basis, note}`` written at ``path``.

    ``amount`` and ``month`` may each be a bare value or ``{value, source, basis, note}``; the
    month must lie within ``horizon`` (1 to the horizon).
    """
    if "." in name or not name.strip():
        problems.add(path, "must be a name without dots", name)
        return None
    if not problems.mapping(raw, path, ONE_OFF_KEYS, "amount, month, source, basis, note"):
        return None
    horizon = MAX_HORIZON_MONTHS if horizon is None else int(horizon)
    parsed, metas = {}, []
    for key in ("amount", "month"):
        where, spec = f"{path}.{key}", ONE_OFF_FIELDS[key]
        if key == "month":  # the range is checked against the scenario's horizon below
            spec = replace(spec, low=-math.inf, high=math.inf)
        if key not in raw:
            problems.add(where, f"is required ({spec.help})", show=False)
            continue
        before = len(problems.items)
        value, meta = unpack_leaf(raw[key], where, problems.label_of(where), problems.items)
        if len(problems.items) > before:
            continue
        try:
            parsed[key] = spec.parse(value)
            if key == "month" and not 1 <= parsed[key] <= horizon:
                raise ValueError(f"must be a month within the horizon, 1 to {horizon}")
        except ValueError as exc:
            problems.add(where, str(exc), value)
            parsed.pop(key, None)
            continue
        metas.append(meta)
    basis = raw.get("basis")
    if basis is not None and basis not in ("study", "derived", "ours"):
        problems.add(f"{path}.basis", "must be one of study, derived, ours", basis)
    source, note = problems.text(raw.get("source"), f"{path}.source"), problems.text(raw.get("note"), f"{path}.note")
    if len(parsed) < 2:
        return None
    amount_meta = metas[0]
    source = source or amount_meta.get("source")
    basis = basis or amount_meta.get("basis") or ("study" if source else "ours")
    return OneOffCost(name, float(parsed["amount"]), int(parsed["month"]), source, basis,
                      note or amount_meta.get("note"))


def parse_one_off_costs(raw: object, label_of: LabelOf, horizon: int | None = None) \
        -> tuple[tuple[OneOffCost, ...], list[InputError]]:
    """The ``one_off_costs`` section → (one-off costs in file order, problems). Entries set to null are off."""
    problems = Problems(label_of)
    if raw is None:
        return (), []
    if not isinstance(raw, dict):
        problems.add(ONE_OFF_SECTION, "must be a mapping of one-off costs by name, each {amount, month}", raw)
        return (), problems.all
    costs = [parse_one_off(str(key), item, f"{ONE_OFF_SECTION}.{key}", problems, horizon)
             for key, item in raw.items() if item is not None]
    return tuple(c for c in costs if c is not None), problems.all



__all__ = ["OPERATIONS", "SETS", "DRIVER_KINDS", "CHANGE_KEYS", "ONE_OFF_KEYS", "LabelOf", "Target", "Change",
           "Problems", "OneOffCost", "driver_fields", "driver_field", "parse_drivers", "parse_amount", "parse_change",
           "parse_changes", "parse_leaf", "parse_rate_leaf", "parse_one_off", "parse_one_off_costs", "unset_drivers"]
