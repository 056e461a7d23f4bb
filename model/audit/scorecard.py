"""The KPI scorecard: the source documents' targets that the model produces, and this plan's figures.

Targets are the documents' numbers, each with its section (001 §四(七)7.1: the study's KPI
targets; 000 §3.2–3.4: the community-building plan's). A target the model cannot measure
for a scenario (``users.market_size`` not set, a horizon under two years, …) is left out of
its card. ROI is the model's one definition, ``metrics["roi"]`` = (benefit − cost) / cost;
retention is monthly retention, 1 − churn (the model has no cohorts for a 30-day retention).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..core.evaluation import Result
from ..inputs.units import MONTHS_PER_YEAR


def _new_users_per_month(result: Result) -> float:
    """Average new community users a month over months 1..H (users/month)."""
    return float(result.monthly["new_users"].iloc[1:].mean())


def _monthly_retention(result: Result) -> float | None:
    """Monthly retention, 1 − churn: 1 − users lost / users at the start of each month, over the horizon
    (fraction); None without users. Not a 30-day cohort retention: the model has no cohorts, and every
    user churns at the month's rate."""
    table = result.monthly
    served = table["users"].iloc[:-1].sum()
    return None if served <= 0 else 1.0 - float(table["churned_users"].iloc[1:].sum() / served)


def _conversion(result: Result) -> float:
    """The community conversion input (fraction of users who buy)."""
    return float(result.scenario["revenue.community.conversion"])


def _roi(result: Result) -> float:
    """The model's one ROI: (total benefit − total cost) / total cost over the horizon (``metrics["roi"]``)."""
    return float(result.metrics["roi"])


def _market_share(result: Result) -> float | None:
    """Users at the horizon / the target market ``users.market_size`` (fraction); None while it is not set."""
    market = result.scenario.values.get("users.market_size")
    return None if not market else float(result.monthly["users"].iloc[-1] / market)


def _order_value_uplift(result: Result) -> float | None:
    """Community order value / baseline order value − 1 (fraction); None without a baseline."""
    baseline = float(result.scenario["revenue.baseline.aov"])
    return None if baseline <= 0 else float(result.scenario["revenue.community.aov"]) / baseline - 1.0


def _gmv_growth(result: Result) -> float | None:
    """Yearly growth of community revenue from the first to the last full year (fraction a year).

    None with fewer than two full years or no revenue in the first year.
    """
    full_years = (len(result.monthly) - 1) // MONTHS_PER_YEAR
    revenue = result.annual["community_revenue"].to_numpy()[1:full_years + 1]
    if full_years < 2 or revenue[0] <= 0:
        return None
    return float((revenue[-1] / revenue[0]) ** (1.0 / (full_years - 1)) - 1.0)


def _ltv_cac(result: Result) -> float | None:
    """LTV : CAC in the model's monthly convention (ratio)."""
    value = result.metrics["ltv_cac"]
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class KpiTarget:
    """One KPI target of a source document and how the model measures it."""

    key: str  # i18n label of the KPI; its measure is "measure_" + the part after "kpi_"
    source: str
    threshold: float
    kind: str  # how to show values: users | fraction | ratio
    measure: Callable[[Result], float | None]

    def met(self, value: float) -> bool:
        """True when ``value`` reaches the target (every target here is a minimum)."""
        return value >= self.threshold


TARGETS = (
    KpiTarget("kpi_new_users", "001 §四(七)7.1", 20_000, "users", _new_users_per_month),
    KpiTarget("kpi_retention", "001 §四(七)7.1", 0.60, "fraction", _monthly_retention),
    KpiTarget("kpi_conversion", "001 §四(七)7.1", 0.08, "fraction", _conversion),
    # "社群ROI ≥ 1:5" is input : output (001 §二4.2 defines 社群ROI as 投入產出比): benefit ≥ 5 × cost, roi ≥ 4
    KpiTarget("kpi_roi", "001 §四(七)7.1", 4.0, "ratio", _roi),
    KpiTarget("kpi_conversion_mid", "000 §3.2", 0.25, "fraction", _conversion),
    KpiTarget("kpi_market_share", "000 §3.3", 0.30, "fraction", _market_share),
    KpiTarget("kpi_aov", "000 §3.3", 0.30, "fraction", _order_value_uplift),
    KpiTarget("kpi_gmv_growth", "000 §3.4", 0.50, "fraction", _gmv_growth),
    KpiTarget("kpi_ltv_cac", "000 §3.4", 3.0, "ratio", _ltv_cac),
)


@dataclass(frozen=True)
class Score:
    """One row of the scorecard: a target, this plan's value and whether it is met."""

    target: KpiTarget
    value: float
    met: bool


def scorecard(result: Result) -> list[Score]:
    """Every target the model produces for ``result``, with its value; unmeasurable ones left out."""
    scores = []
    for target in TARGETS:
        value = target.measure(result)
        if value is not None and np.isfinite(value):
            scores.append(Score(target, float(value), bool(target.met(value))))
    return scores
