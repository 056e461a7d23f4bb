"""Goal seek: the value of one input at which a metric reaches a target, within the input's bounds.

``feasibility solve FILE --for INPUT --target METRIC=VALUE`` — the same bracketed Brent
search as break-even (:func:`model.risk.roots.bracketed_root`), over the input's schema range
(a ``total`` of several money lines: 0 to unbounded). "None within bounds" when no value
there reaches the target. ``INPUT`` is an input path (a money, rate or number input, finance
rates included) or a break-even driver name (``conversion``, ``aov``, ``growth``,
``gross_margin``, ``attribution``, ``opex_yearly``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ..core.metrics import METRIC_UNITS
from ..inputs.drivers import Target
from ..inputs.errors import InputError, ScenarioError
from ..inputs.scenario import Scenario
from ..inputs.schema import FIELDS
from ..inputs.units import format_quantity, json_value, parse_money, parse_number, parse_rate
from .analysis import BREAKEVEN_TARGETS, NONE_WITHIN_BOUNDS, evaluate_cases
from .roots import bracketed_root

SOLVABLE_KINDS = ("money", "rate", "number")


@dataclass(frozen=True)
class GoalSeek:
    """The answer of a goal seek; ``value`` is None when no value within bounds reaches the target."""

    input: str
    value: float | None  # in the input's base unit
    metric: str
    target: float  # in the metric's unit
    achieved: float | None  # the metric at ``value``
    low: float
    high: float
    unit: str

    def to_json(self) -> dict:
        """``solve --json``: {"input", "value", "metric", "target", "achieved"} (and the bounds searched)."""
        return {"input": self.input, "value": json_value(self.value), "metric": self.metric,
                "target": json_value(self.target), "achieved": json_value(self.achieved),
                "bounds": [json_value(self.low), json_value(self.high)], "unit": self.unit,
                **({} if self.value is not None else {"note": NONE_WITHIN_BOUNDS})}

    def text(self) -> str:
        metric_unit = METRIC_UNITS[self.metric]
        target = format_quantity(self.target, metric_unit)
        if self.value is None:
            return (f"{self.input}: {NONE_WITHIN_BOUNDS}: no value from {format_quantity(self.low, self.unit)} to "
                    f"{format_quantity(self.high, self.unit)} gives {self.metric} = {target}")
        return (f"{self.input} = {format_quantity(self.value, self.unit)} ({self.value:.10g}) gives {self.metric} = "
                f"{format_quantity(self.achieved, metric_unit)} (target {target})")


def target_of(name: str) -> Target:
    """The :class:`Target` an input path or a break-even driver name moves; an InputError names ``--for``."""
    if name in BREAKEVEN_TARGETS:
        return BREAKEVEN_TARGETS[name]
    if name not in FIELDS:
        raise ScenarioError([InputError("--for", str(name), "is not an input path or a break-even driver ("
                                        + ", ".join(BREAKEVEN_TARGETS) + ")", show=False)])
    if FIELDS[name].kind not in SOLVABLE_KINDS:
        raise ScenarioError([InputError("--for", name, "cannot be solved for: it is not a money, rate or number "
                                        "input", FIELDS[name].kind)])
    return Target((name,))


def parse_target(text: str) -> tuple[str, float]:
    """``"npv=0"``, ``"irr=15%"``, ``"npv=1亿"``, ``"payback_months=24"`` → (metric, value in its unit)."""
    metric, sep, raw = str(text).partition("=")
    metric = metric.strip()
    if not sep or metric not in METRIC_UNITS or metric == "irr_ambiguous":
        raise ScenarioError([InputError("--target", metric or text or "(empty)", "must be METRIC=VALUE with a "
                                        "metric such as npv, irr, payback_months", text)])
    unit = METRIC_UNITS[metric]
    parse = parse_money if unit.startswith("CNY") else parse_rate if unit.startswith("fraction") else parse_number
    try:
        return metric, parse(raw.strip())
    except ValueError as exc:
        raise ScenarioError([InputError("--target", metric, str(exc), raw)]) from None


def bounds_of(target: Target) -> tuple[float, float]:
    """The range searched: the input's schema bounds; a sum of money lines is 0 to unbounded."""
    return (0.0, math.inf) if target.sets == "total" else (target.field.low, target.field.high)


def metric_at(values: Mapping[str, object], target: Target, metric: str, xs) -> np.ndarray:
    """``metric`` with ``target`` at each of ``xs`` (one engine run for all)."""
    cases = []
    for x in np.atleast_1d(xs):
        case = dict(values)
        target.apply(case, float(x))
        cases.append(case)
    return np.asarray(evaluate_cases(cases)[metric], dtype=float)


def solve(scenario: Scenario, name: str, metric: str, goal: float) -> GoalSeek:
    """The value of input ``name`` at which ``metric`` equals ``goal``, nearest the scenario's own value."""
    target = target_of(name)
    if metric not in METRIC_UNITS:
        raise ScenarioError([InputError("--target", metric, "is not a metric", show=False)])
    values = scenario.values
    if any(values.get(p) is None for p in target.paths):
        raise ScenarioError([InputError(scenario.file, target.paths[0], "is unset in this scenario: set it to solve "
                                        "for it", show=False)])
    low, high = bounds_of(target)
    base = float(target.current(values))
    root = bracketed_root(lambda xs: metric_at(values, target, metric, xs), low, high, base, goal)
    achieved = None if root is None else float(metric_at(values, target, metric, [root])[0])
    return GoalSeek(name, root, metric, float(goal), achieved, low, high,
                    "CNY" if target.sets == "total" else target.field.unit)


__all__ = ["SOLVABLE_KINDS", "GoalSeek", "target_of", "parse_target", "bounds_of", "metric_at", "solve"]
