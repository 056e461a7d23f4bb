"""The dashboard's controls: which inputs each slider or switch sets, its unit, the study's figure.

Names and units come from the label registry (``control_KEY``, ``dash_unit_*``) in both
languages; the study's figures are quoted as the sources write them, with their section.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping

from ..inputs.errors import ModelError
from ..inputs.schema import FIELDS, FIXED_OPEX_LINES, INVESTMENT_LINES, PHASES
from ..outputs.labels import label


@dataclass(frozen=True)
class Driver:
    """One control: the inputs it sets, how it shows them, and the study's figure.

    A control over several inputs (``paths``) shows their sum and scales them together,
    keeping the scenario's split. ``per_unit`` is model units (yuan, fraction) per shown unit.
    """

    key: str
    paths: tuple[str, ...]
    unit: str = ""  # a ``dash_unit_*`` label key, or ""
    study: str = ""  # the study's figure with its section: quoted as the source writes it
    suffix: str = ""  # how a file writes the value: "%", "万", "元", or "" for a plain number
    per_unit: float = 1.0
    high: float = 1.0  # slider maximum (shown units) when the scenario's value is 0; rates: at least this
    readout: str = ".1f"

    @property
    def kind(self) -> str:
        """The schema kind of the inputs: rate, money, number, months or flag."""
        return FIELDS[self.paths[0]].kind

    def name(self, language: str = "en") -> str:
        """The control's name in ``language`` (a phase's control adds its phase)."""
        base, _, phase = self.key.partition("_") if self.key.startswith(("growth_", "churn_")) else (self.key, "", "")
        text = label(f"control_{base}", language)
        return f"{text}, {label(phase, language)}" if phase else text

    def title(self, language: str = "en") -> str:
        """The name with unit and the study's figure, as the control shows it."""
        study = self.study and f"{label('dash_study', language)}: {self.study}"
        detail = "; ".join(part for part in (self.unit and label(self.unit, language), study) if part)
        return f"{self.name(language)} ({detail})" if detail else self.name(language)

    def shown(self, values: Mapping[str, object]) -> float | bool:
        """The control's value for a scenario's ``values``, in shown units."""
        if self.kind == "flag":
            return bool(values[self.paths[0]])
        return sum(float(values[p]) for p in self.paths) / self.per_unit

    def overrides(self, values: Mapping[str, object], shown: float | bool) -> dict[str, object]:
        """The inputs, written as a file writes them, that make the control show ``shown``."""
        if shown == self.shown(values):
            return {}
        if self.kind == "flag":
            return {self.paths[0]: bool(shown)}
        if len(self.paths) == 1:
            return {self.paths[0]: self._written(shown)}
        if self.shown(values) == 0:  # no split to keep: the control is disabled for such a scenario
            raise ModelError(label("dash_all_zero").format(control=self.name()))
        factor = shown / self.shown(values)
        return {p: self._written(float(values[p]) / self.per_unit * factor) for p in self.paths}

    def _written(self, shown: float) -> object:
        if self.kind == "months":
            return int(round(shown))
        if self.suffix:
            return f"{shown:.10g}{self.suffix}"
        return float(f"{shown:.10g}")


def _rate(key: str, path: str, unit: str, study: str, high: float) -> Driver:
    return Driver(key, (path,), unit, study, "%", 0.01, high)


def _phases(kind: str, study: str, high: float) -> list[Driver]:
    return [_rate(f"{kind}_{phase}", f"users.{kind}_monthly.{phase}", "dash_unit_rate_month", study, high)
            for phase in PHASES]


#: The controls, by group. Study figures are display text with their section.
GROUPS: dict[str, list[Driver]] = {  # by the group's label key
    "group_users": [
        Driver("users", ("users.initial",), "dash_unit_users", "1,000,000 (001 §五)", high=2e6, readout=",.0f"),
        *_phases("growth", "5–8%/月, 2025: 8–10% (001 §5.2.3)", 20.0),
        *_phases("churn", "—; 000 §6: 15–35%/月", 40.0),
    ],
    "group_revenue": [
        _rate("conversion", "revenue.community.conversion", "dash_unit_share_users", "6–8% (001 §5.2.1)", 30.0),
        Driver("aov", ("revenue.community.aov",), "dash_unit_yuan_order", "150元 (001 §5.2.1)", "元", high=500.0,
               readout=".0f"),
        Driver("purchases", ("revenue.community.purchases_per_year",), "dash_unit_per_year",
               "12; 2025: 12–15 (001 §5.2.1)", high=24.0),
        _rate("margin", "revenue.gross_margin", "dash_unit_share_revenue", "100% (001 §5.3)", 100.0),
        Driver("indirect", ("indirect.enabled",), study="1.2–1.5亿/年 (001 §5.2.2)"),
    ],
    "group_costs": [
        Driver("investment", tuple(c.section for c in INVESTMENT_LINES), "dash_unit_wan",
               "250–350万 (001 §5.1.1)", "万", 1e4, high=600.0),
        Driver("operating", tuple(f"{c.section}.fixed_yearly" for c in FIXED_OPEX_LINES),
               "dash_unit_wan_year", "400–500万; 300–350万 (001 §5.1.2–3)", "万", 1e4, high=1000.0),
        Driver("saas", ("levers.saas_scrm.enabled",), study="−70%, 8万/年 (001 §5.1.3)"),
        Driver("part_time", ("levers.part_time_staff.enabled",), study="40%, −25% (001 §5.1.3)"),
        Driver("ai_service", ("levers.ai_customer_service.enabled",), study="60万/年 (001 §5.1.3)"),
        Driver("lean_events", ("levers.lean_events.enabled",), study="−33% (001 §5.1.3)"),
    ],
    "group_finance": [
        _rate("discount", "finance.discount_rate_annual", "dash_unit_rate_year", "8%; 10–12% (001 §5.3)", 30.0),
        Driver("horizon", ("timeline.horizon_months",), "dash_unit_months", "36 (001 §5.3)", high=120.0, readout="d"),
    ],
}
DRIVERS: dict[str, Driver] = {d.key: d for group in GROUPS.values() for d in group}


def slider_range(driver: Driver, shown: float) -> tuple[float, float]:
    """``(maximum, step)`` of a slider showing ``shown``: from 0 to about twice the scenario's
    value, at least the driver's ``high`` for rates (``high`` for amounts that are 0); rates
    never above the schema's bound.

    >>> slider_range(DRIVERS["users"], 1_000_000), slider_range(DRIVERS["conversion"], 7.5)
    ((2000000.0, 2000.0), (30.0, 0.1))
    """
    if driver.kind == "months":
        return float(max(driver.high, shown)), 1.0
    if driver.kind == "rate":
        ceiling = FIELDS[driver.paths[0]].high / driver.per_unit
        return float(min(ceiling, max(driver.high, _round_up(2 * shown) if shown > 0 else 0))), 0.1
    top = _round_up(2 * shown) if shown > 0 else driver.high
    return top, _nice_step(top / 500)


def _round_up(x: float) -> float:
    """``x`` rounded up to two significant digits: 390 → 390, 2,010,000 → 2,100,000."""
    unit = 10.0 ** (math.floor(math.log10(x)) - 1)
    return math.ceil(round(x / unit, 9)) * unit


def _nice_step(x: float) -> float:
    """The largest of 1, 2, 5 × 10^k not above ``x``."""
    unit = 10.0 ** math.floor(math.log10(x))
    return max(m * unit for m in (1, 2, 5) if m * unit <= x * (1 + 1e-9))


__all__ = ["Driver", "GROUPS", "DRIVERS", "slider_range"]
