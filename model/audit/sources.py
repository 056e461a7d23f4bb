"""The study's stated figures (001), each named once, and the model cases the audit recomputes with.

Money in CNY (yuan), rates as fractions; the section of 001 is given beside each figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from ..core.engine import monthly_sales
from ..core.evaluation import Result, evaluate
from ..inputs.scenario import Scenario, load_scenario
from ..inputs.texts import Text as T
from ..inputs.units import MONTHS_PER_YEAR

WEEKS_PER_YEAR = 52

# --- the study's stated inputs (001), CNY unless said otherwise -------------------------------
USERS = 1_000_000  # §五: the economics are for a 1,000,000-user community
COMMUNITY = {"conversion": 0.075, "purchases": 12, "aov": 150.0}  # §5.2.1
BASELINE = {"conversion": 0.04, "aov": 120.0, "revenue": 0.48e8}  # §5.2.1 (non-community users)
REPURCHASE_UPLIFT = (0.20, 0.30)  # §5.2.1: community repurchase 20-30% above non-community
PREMIUM_RATE = 0.15  # §5.2.1
EXCLUSIVE_SHARE = 0.20  # §5.2.3: exclusive products 20% of the 2024 mix
INITIAL_RANGE = (250e4, 350e4)  # §5.1.1
INITIAL_SPLIT = {"tech": 0.50, "labour": 0.35, "content": 0.15}  # §5.1.1
OPEX_RANGE = (400e4, 500e4)  # §5.1.2
OPEX_SPLIT = {"labour": 0.45, "activities": 0.35, "tech_maintenance": 0.12, "other": 0.08}  # §5.1.2
SALARY_MONTHLY = {"manager": (1.5e4, 2.5e4), "planner": (0.8e4, 1.5e4), "executor": (0.5e4, 0.8e4)}  # §5.1.1
TEAM = {"manager": 1, "planner": 3, "executor": 6}  # §5.1.1: the 10-person team
LEVER_PATHS = ("levers.saas_scrm.enabled", "levers.saas_scrm.tech_investment_cut",
               "levers.saas_scrm.subscription_yearly",
               "levers.part_time_staff.enabled", "levers.part_time_staff.labour_cut",
               "levers.ai_customer_service.enabled", "levers.ai_customer_service.saving_yearly",
               "levers.lean_events.enabled", "levers.lean_events.activities_cut")
#: The inputs that make a case "honest": revenue basis, margin, baseline, exclusive mix, no indirect benefit.
HONEST_PATHS = ("revenue.basis", "revenue.gross_margin", "revenue.baseline.conversion",
                "revenue.baseline.purchases_per_year", "revenue.baseline.aov", "revenue.exclusive.share",
                "revenue.exclusive.premium", "indirect.enabled")

#: The readings of a claim about the exclusive-product premium (§5.2.1, §5.4.2), the standard first:
#: the premium on the exclusive share the study states (§5.2.3), or on every community sale.
PREMIUM_BASES = (
    (T("premium on the 20% exclusive share (§5.2.3)", "溢价只计在占 20% 的专属产品上（§5.2.3）"),
     {"revenue.exclusive.share": EXCLUSIVE_SHARE, "revenue.exclusive.premium": PREMIUM_RATE}),
    (T("premium on every community sale", "每笔社群销售都计溢价"), {"revenue.exclusive.share": 1.0, "revenue.exclusive.premium": PREMIUM_RATE}))
#: The readings of a stated revenue loss (§5.4.2-§5.4.3: the head case's year-1 revenue, before and
#: after the change), the standard first: community sales as §5.2.1 counts its 1.35亿 (and §5.3 its
#: 2.55亿), or those sales with the 15% premium on every one (the base §5.2.1's 2000万 needs).
REVENUE_BASES = ((T("community sales (§5.2.1's 1.35亿, no premium)", "社群销售额（§5.2.1 的 1.35亿，不含溢价）"), {}),
                 (T("community sales + the 15% premium on every sale", "社群销售额 + 每笔销售 15% 的溢价"), PREMIUM_BASES[1][1]))

PLAN = ("base", "optimised_costs")  # scenarios of the 1,000,000-user plan
TIERS = ("study_head", "study_mid", "study_startup")
ALL = PLAN + TIERS


class Study:
    """The scenarios the audit recomputes with, loaded and evaluated once each."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self._scenarios: dict[str, Scenario] = {}
        self._results: dict[tuple, Result] = {}

    def scenario(self, stem: str) -> Scenario:
        if stem not in self._scenarios:
            self._scenarios[stem] = load_scenario(self.folder / f"{stem}.yaml")
        return self._scenarios[stem]

    def result(self, stem: str, overrides: Mapping[str, object] | None = None) -> Result:
        """``evaluate`` of a scenario with some inputs replaced (memoised)."""
        key = (stem, tuple(sorted((overrides or {}).items())))
        if key not in self._results:
            scenario = self.scenario(stem)
            self._results[key] = evaluate(scenario.with_overrides(overrides, "audit") if overrides else scenario)
        return self._results[key]

    def year1(self, stem: str, line: str, overrides: Mapping[str, object] | None = None) -> float:
        """One cash-flow line summed over months 1-12, CNY (costs negative)."""
        return float(self.result(stem, overrides).annual[line].iloc[1])

    def revenue_loss(self, change: Mapping[str, object], basis: Mapping[str, object] | None = None) -> float:
        """Yearly community revenue (counted, with premium) the head case loses under ``change``, CNY."""
        basis = dict(basis or {})
        return self.year1("study_head", "counted_revenue", basis) - \
            self.year1("study_head", "counted_revenue", {**basis, **change})

    def optimised_opex(self, opex_yearly: float) -> float:
        """Yearly operating cost, CNY, of ``opex_yearly`` split as §5.1.2 with base.yaml's levers on."""
        base = self.scenario("base")
        lines = {f"operating_costs.{line}.fixed_yearly": share * opex_yearly for line, share in OPEX_SPLIT.items()}
        return -self.year1("study_head", "total_cost", {**lines, **{p: base[p] for p in LEVER_PATHS},
                                                         **{p: True for p in LEVER_PATHS if p.endswith(".enabled")}})

    def honest(self, stem: str = "study_head", margin: float | None = None) -> Result:
        """The case with revenue counted honestly: base.yaml's basis, margin, baseline and mix."""
        base = self.scenario("base")
        overrides = {path: base[path] for path in HONEST_PATHS}
        if margin is not None:
            overrides["revenue.gross_margin"] = margin
        return self.result(stem, overrides)


def yearly_sales(users: float, conversion: float, purchases_per_year: float, aov: float) -> float:
    """Sales a year, CNY: the engine's users × conversion × purchases × order value, × 12 months."""
    return MONTHS_PER_YEAR * float(monthly_sales(users, conversion, purchases_per_year, aov))


__all__ = ["Study", "yearly_sales", "WEEKS_PER_YEAR", "USERS", "COMMUNITY", "BASELINE", "REPURCHASE_UPLIFT",
           "PREMIUM_RATE", "EXCLUSIVE_SHARE", "INITIAL_RANGE", "INITIAL_SPLIT", "OPEX_RANGE", "OPEX_SPLIT",
           "SALARY_MONTHLY", "TEAM", "LEVER_PATHS", "HONEST_PATHS", "PREMIUM_BASES", "REVENUE_BASES", "PLAN", "TIERS",
           "ALL"]
