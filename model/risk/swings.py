"""What moves NPV most, and which of our own assumptions the result hangs on.

:func:`npv_swings` moves each numeric driver of a scenario ±10% one at a time (all cases in
one engine run). :func:`top_drivers` gives the three inputs that move NPV most — from the
tornado of the scenario's uncertain inputs when it has them, otherwise from these swings.
:func:`caveats` lists the inputs a reviewer must challenge: our own or schema-default values
whose ±10% swing moves NPV by more than 10%, and structural inputs left at their neutral
default (no acquisition cost, no income tax, all of the uplift credited to the community, no
working capital). Money in CNY.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..inputs.drivers import driver_fields
from ..inputs.scenario import Scenario
from .analysis import evaluate_cases, tornado_table

SWING = 0.10  # ±10% one at a time
CAVEAT_SHARE = 0.10  # a swing that moves NPV by more than 10% of it makes an unproven input a caveat
#: Structural inputs whose neutral default flatters a plan when left unset: path → neutral value.
NEUTRAL_DEFAULTS = {
    "operating_costs.acquisition.per_new_user": 0.0,
    "tax.income_tax_rate": 0.0,
    "revenue.attribution": 1.0,
    "working_capital.receivable_days": 0.0,
    "working_capital.inventory_days": 0.0,
    "timeline.launch_delay_months": 0.0,
}
UNPROVEN = ("ours", "default")


@dataclass(frozen=True)
class Driver:
    """One input's effect on NPV: its value and the NPV with the input at its low and its high (CNY)."""

    path: str
    base_value: float
    low: float
    high: float
    npv_low: float
    npv_high: float
    basis: str

    @property
    def swing(self) -> float:
        return abs(self.npv_high - self.npv_low)


def npv_swings(scenario: Scenario, share: float = SWING) -> list[Driver]:
    """Every non-zero numeric driver at (1 ± share) × its value, the rest at base; sorted by swing."""
    values = scenario.values
    paths = [p for p in driver_fields(values) if isinstance(values.get(p), (int, float)) and values[p]]
    cases = [dict(values)]
    for path in paths:
        spec = driver_fields(values)[path]
        for factor in (1.0 - share, 1.0 + share):
            case = dict(values)
            case[path] = min(max(values[path] * factor, spec.low), spec.high)
            cases.append(case)
    npv = evaluate_cases(cases)["npv"]
    basis = {p: a.basis for p, a in scenario.assumptions.items()}
    drivers = [Driver(p, float(values[p]), cases[1 + 2 * i][p], cases[2 + 2 * i][p], float(npv[1 + 2 * i]),
                      float(npv[2 + 2 * i]), basis.get(p, "default")) for i, p in enumerate(paths)]
    return sorted(drivers, key=lambda d: d.swing, reverse=True)


def top_drivers(scenario: Scenario, count: int = 3) -> tuple[str, pd.DataFrame]:
    """The ``count`` inputs that move NPV most, with their low/high values and NPVs.

    Returns (``"tornado"`` or ``"swings"``, a table with columns input, driver, low, high,
    npv_low, npv_high): the tornado of the uncertain inputs when the scenario has them.
    """
    tornado = tornado_table(scenario)
    if len(tornado):
        return "tornado", tornado.head(count)[["input", "driver", "low", "high", "npv_low", "npv_high"]]
    rows = [(d.path, d.path, d.low, d.high, d.npv_low, d.npv_high) for d in npv_swings(scenario)[:count]]
    return "swings", pd.DataFrame(rows, columns=["input", "driver", "low", "high", "npv_low", "npv_high"])


def caveats(scenario: Scenario, swings: list[Driver] | None = None) -> list[tuple[str, str, float]]:
    """(input path, why, value) for every input the result hangs on that no source backs.

    ``why`` is ``swing`` (ours or a schema default, and its ±10% swing moves NPV by more than
    10%) or ``neutral_default`` (a structural input left at its flattering default).
    """
    swings = npv_swings(scenario) if swings is None else swings
    base_npv = float(evaluate_cases([scenario.values])["npv"][0])
    base = abs(base_npv)
    found = [(d.path, "swing", d.base_value) for d in swings
             if d.basis in UNPROVEN and max(abs(d.npv_low - base_npv), abs(d.npv_high - base_npv)) > CAVEAT_SHARE * base]
    for path, neutral in NEUTRAL_DEFAULTS.items():
        if scenario.assumptions[path].basis == "default" and scenario[path] == neutral \
                and path not in {p for p, _, _ in found}:
            found.append((path, "neutral_default", neutral))
    return found


__all__ = ["Driver", "npv_swings", "top_drivers", "caveats", "NEUTRAL_DEFAULTS", "SWING"]
