"""Audit of the feasibility study's own figures (001 §五, §三(四), §七).

A catalogue of every numeric claim of the study that can be recomputed from inputs the
study itself states. Each :class:`Claim` gives the claim in the study's words (Chinese, the
source's characters with the web copy's pinyin removed) and in English, the stated value or
range, the inputs, our recomputed value, the method and the convention, and a verdict:

- ``consistent``: the recomputed value agrees within the tolerance the entry states;
- ``inconsistent``: it does not; the difference is given as an amount and a percentage;
- ``not checkable``: the study does not state what the figure would follow from (the reason
  is given).

Where the study states no convention (annual or monthly discounting, gross or net, the base
a percentage applies to), every plausible reading is computed and the one closest to the
stated figure is reported, with the others in the note. Nothing is tuned to make a claim
pass: the readings and tolerances are fixed per kind of claim, before the comparison.

Recomputation uses the model's own functions: the engine (:func:`model.engine.simulate`,
:func:`model.engine.monthly_sales`), :func:`model.evaluation.evaluate` on the ``study_*``
scenarios for §5.3, and :mod:`model.finance`. Money is CNY (yuan) inside; reports show 万元 /
亿元. Rates are fractions and say whether they are monthly or annual.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence, Union

import numpy as np
import pandas as pd

from ..core import finance
from ..core.finance import MONTHS_PER_YEAR
from ..core.engine import monthly_sales
from ..core.evaluation import Result, evaluate
from ..inputs.scenario import Scenario, load_scenario
from ..inputs.paths import SCENARIOS
from ..inputs.units import format_money, format_rate

#: The scenarios folder of this project (the ``study_*`` cases and ``base.yaml``).
VERDICTS = ("consistent", "inconsistent", "not checkable")
JSON_KEYS = ("id", "section", "claim", "stated", "recomputed", "unit", "verdict", "note")
WEEKS_PER_YEAR = 52

#: A stated or recomputed figure: one number, or a range (low, high) with None for an open end.
Value = Union[float, tuple]

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

PLAN = ("base", "optimised_costs")  # scenarios of the 1,000,000-user plan
TIERS = ("study_head", "study_mid", "study_startup")
ALL = PLAN + TIERS


@dataclass(frozen=True)
class Tolerance:
    """How far a recomputed figure may be from the stated one and still be consistent."""

    relative: float = 0.0  # fraction of the stated figure
    absolute: float = 0.0  # in the claim's unit (fractions: 0.01 = 1 percentage point)
    text: str = ""

    def allowed(self, reference: float) -> float:
        """The largest gap allowed next to ``reference``, in the claim's unit."""
        return max(self.absolute, self.relative * abs(reference))


def _rounded(unit: float, name: str) -> Tolerance:
    """Half the unit a figure is counted in (≈2 months: ±0.5 month), in the claim's unit."""
    return Tolerance(absolute=unit / 2, text=f"half a {name} (the study counts in whole {name}s)")


ARITHMETIC = Tolerance(relative=0.01, text="1% (a restated sum or product)")
APPROX = Tolerance(relative=0.05, text="5% (a figure the study gives as approximate, 约/≈)")
SHARE = Tolerance(absolute=0.01, text="1 percentage point")


@dataclass(frozen=True)
class Claim:
    """One audited claim of 001: what it says, what it follows from, and our verdict."""

    id: str
    section: str
    claim_zh: str
    claim_en: str
    stated: Value
    unit: str  # CNY | CNY/year | fraction | fraction/year | fraction/month | months | users
    inputs: str
    method: str
    recomputed: Value | None
    convention: str  # the reading reported (the closest to the stated figure)
    readings: tuple  # ((convention, value), ...) every reading tried
    tolerance: Tolerance | None
    verdict: str
    difference: float | None  # recomputed − stated (the largest gap), in ``unit``
    difference_pct: float | None  # that gap as a fraction of the stated figure
    explanation: str
    scenarios: tuple[str, ...]  # scenario file stems the claim concerns

    @property
    def claim(self) -> str:
        """The claim in both languages: ``中文 — English``."""
        return f"{self.claim_zh} — {self.claim_en}"

    @property
    def note(self) -> str:
        """Difference, method, convention, tolerance and explanation in one text."""
        parts = []
        if self.verdict == "inconsistent":
            parts.append(f"off by {format_amount(self.difference, self.unit)} ({self.difference_pct:+.1%})")
        if self.verdict != "not checkable":
            parts.append(f"method: {self.method}; convention: {self.convention}; tolerance {self.tolerance.text}")
            others = [f"{name}: {format_value(value, self.unit)}" for name, value in self.readings
                      if name != self.convention]
            if others:
                parts.append("other readings — " + "; ".join(others))
        parts.append(f"inputs: {self.inputs}")
        if self.explanation:
            parts.append(self.explanation)
        return ". ".join(parts)

    def to_json(self) -> dict:
        """The ``feasibility audit --json`` object of this claim (exactly :data:`JSON_KEYS`)."""
        return {"id": self.id, "section": self.section, "claim": self.claim, "stated": _json_value(self.stated),
                "recomputed": _json_value(self.recomputed), "unit": self.unit, "verdict": self.verdict,
                "note": self.note}

    def __repr__(self) -> str:
        return f"Claim({self.id!r}, {self.verdict}, stated={self.stated!r}, recomputed={self.recomputed!r})"


def _json_value(value: Value | None):
    if value is None:
        return None
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    return float(value) if math.isfinite(value) else None


# --- formatting ---------------------------------------------------------------------------------

def _money(yuan: float) -> str:
    if abs(yuan) >= 1e12:
        return f"{yuan / 1e12:,.3f} 万亿元"
    return format_money(yuan, "亿元", 3) if abs(yuan) >= 1e8 else format_money(yuan, "万元", 1)


def format_value(value: Value | None, unit: str) -> str:
    """A stated or recomputed figure for people, with its unit (money in 万元 or 亿元)."""
    if value is None:
        return "–"
    if isinstance(value, tuple):
        low, high = (format_value(v, unit) if v is not None else None for v in value)
        return f"≥ {low}" if high is None else f"≤ {high}" if low is None else f"{low} – {high}"
    if not math.isfinite(value):
        return "–"
    if unit.startswith("CNY"):
        return _money(value) + ("/yr" if unit == "CNY/year" else "")
    if unit.startswith("fraction"):
        period = {"fraction/year": "a year", "fraction/month": "a month"}.get(unit, "")
        return format_rate(value, period, 2 if abs(value) < 10 else 0)
    if unit == "months":
        return f"{value:.2f} months"
    return f"{value:,.0f} {unit}"


def format_amount(difference: float, unit: str) -> str:
    """A difference with its unit; fractions in percentage points."""
    if unit.startswith("fraction"):
        return f"{difference * 100:+,.1f} pp"
    text = format_value(abs(difference), unit)
    return ("+" if difference >= 0 else "-") + text


# --- comparison ---------------------------------------------------------------------------------

def _gap(stated: Value, value: Value, mode: str) -> tuple[float, float]:
    """(recomputed − stated, the stated figure it is measured from) under ``mode``.

    ``equal``: two numbers. ``within``: the recomputed number or range lies inside the stated
    range (an end may be None). ``contains``: the stated number lies inside the recomputed
    range (a number counts as a range of one). ``endpoints``: two ranges, end by end. The gap
    returned is the largest one.
    """
    if mode == "equal":
        return value - stated, stated
    if mode == "contains":
        low, high = value if isinstance(value, tuple) else (value, value)
        return (low - stated if stated < low else high - stated if stated > high else 0.0), stated
    if mode == "endpoints":
        return max(((v - s, s) for v, s in zip(value, stated)), key=lambda pair: abs(pair[0]))
    low, high = stated
    gaps = []
    for point in (value if isinstance(value, tuple) else (value,)):
        if low is not None and point < low:
            gaps.append((point - low, low))
        elif high is not None and point > high:
            gaps.append((point - high, high))
        else:
            gaps.append((0.0, low if low is not None else high))
    return max(gaps, key=lambda pair: abs(pair[0]))


def _check(id: str, section: str, zh: str, en: str, stated: Value, unit: str, inputs: str, method: str,
           readings: Sequence[tuple[str, Value]], tolerance: Tolerance, scenarios: tuple[str, ...],
           mode: str = "equal", explanation: str = "") -> Claim:
    """A checked claim: the reading closest to the stated figure decides the verdict."""
    def score(reading):
        gap, reference = _gap(stated, reading[1], mode)
        allowed = tolerance.allowed(reference)
        return abs(gap) / allowed if allowed > 0 else (0.0 if gap == 0 else math.inf)

    convention, value = min(readings, key=score)
    gap, reference = _gap(stated, value, mode)
    consistent = abs(gap) <= tolerance.allowed(reference) * (1 + 1e-9) + 1e-12 * abs(reference)
    return Claim(id, section, zh, en, stated, unit, inputs, method, value, convention, tuple(readings), tolerance,
                 "consistent" if consistent else "inconsistent", gap, gap / reference if reference else math.nan,
                 explanation, scenarios)


def _unchecked(id: str, section: str, zh: str, en: str, stated: Value, unit: str, inputs: str, why: str,
               scenarios: tuple[str, ...]) -> Claim:
    """A claim the study's own figures cannot check; ``why`` says what is missing."""
    return Claim(id, section, zh, en, stated, unit, inputs, "", None, "", (), None, "not checkable", None, None,
                 "not checkable: " + why, scenarios)


# --- the model, evaluated once per case -----------------------------------------------------------

class _Study:
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


def _yearly_sales(users: float, conversion: float, purchases_per_year: float, aov: float) -> float:
    """Sales a year, CNY: the engine's users × conversion × purchases × order value, × 12 months."""
    return MONTHS_PER_YEAR * float(monthly_sales(users, conversion, purchases_per_year, aov))


# --- the catalogue ------------------------------------------------------------------------------------

def _initial_costs(study: _Study) -> list[Claim]:
    s = "001 §5.1.1"
    scrm = 18e4 + 32e4
    team = [MONTHS_PER_YEAR * sum(n * SALARY_MONTHLY[role][end] for role, n in TEAM.items()) for end in (0, 1)]
    examples = {"tech": scrm, "labour": 120e4, "content": 80e4}
    total = sum(examples.values())
    return [
        _check("5.1.1-scrm-total", s, "採購微伴助手SCRM基礎版年費18萬元,定制開發功能投入32萬元,合計50萬元",
               "SCRM basic licence 18万/yr plus 32万 of custom development: 50万 in total", 50e4, "CNY",
               "18万 licence, 32万 development", "sum", [("sum of the two items", scrm)], ARITHMETIC, PLAN),
        _check("5.1.1-team-cost", s, "組建10人團隊(1名經理+3名策劃+6名執行),初始人力成本約120萬元/年",
               "a 10-person team (1 manager, 3 planners, 6 executors) costs about 120万 a year", 120e4,
               "CNY/year", "monthly salaries: manager 1.5-2.5万, planner 0.8-1.5万, executor 0.5-0.8万 (§5.1.1)",
               "Σ headcount × monthly salary × 12, at the low and the high end of each salary range",
               [("salary ranges × 12 months", tuple(team))], APPROX, PLAN, "contains"),
        _check("5.1.1-split-sum", s, "技術、人力、內容占比分別為50%、35%、15%",
               "initial cost split tech 50% / labour 35% / content 15%", 1.0, "fraction",
               "50%, 35%, 15%", "sum of the shares", [("sum", sum(INITIAL_SPLIT.values()))], SHARE, PLAN),
        _check("5.1.1-tech-share", s, "技術系統投入占比最高,達45%-60%",
               "technology is the largest share of the initial cost, 45-60%", (0.45, 0.60), "fraction",
               "the split's tech share 50%", "the split's tech share against the stated range",
               [("the stated split", INITIAL_SPLIT["tech"])], SHARE, PLAN, "within"),
        _check("5.1.1-examples-total", s, "100萬用戶規模的社群營銷初始成本約250萬-350萬元",
               "the initial cost for 1,000,000 users is about 250-350万", INITIAL_RANGE, "CNY",
               "the section's own examples: SCRM 50万, team 120万, 3 months of content 80万",
               "sum of the three examples", [("sum of the examples", total)], APPROX, PLAN, "within",
               "the examples land on the low end of the range"),
        _check("5.1.1-examples-split", s, "技術、人力、內容占比分別為50%、35%、15%",
               "of the initial cost, technology takes 50%", INITIAL_SPLIT["tech"], "fraction",
               "the section's examples: tech 50万, labour 120万, content 80万",
               "each example ÷ the examples' sum; the tech share is compared",
               [("tech example ÷ sum of the examples", examples["tech"] / total)], SHARE, PLAN,
               explanation="the examples split "
               + " / ".join(f"{k} {v / total:.0%}" for k, v in examples.items())
               + ", not 50 / 35 / 15: labour and content are far above their stated shares"),
    ]


def _operating_costs(study: _Study) -> list[Claim]:
    s = "001 §5.1.2"
    low, high = OPEX_RANGE
    initial, opex = sum(INITIAL_RANGE) / 2, sum(OPEX_RANGE) / 2
    years = 3  # §5.3's evaluation period
    executors = 100 * 1 * 6000.0 * MONTHS_PER_YEAR
    return [
        _check("5.1.2-opex-share", s, "運營成本占總成本的60%-70%",
               "operating cost is 60-70% of total cost", (0.60, 0.70), "fraction",
               "the midpoints: 300万 initial (§5.1.1), 450万 a year (§5.1.2)",
               "operating cost ÷ (operating cost + initial investment)",
               [("first year", opex / (opex + initial)),
                ("whole 3-year period", years * opex / (years * opex + initial))], SHARE, PLAN, "within"),
        _check("5.1.2-labour-share-range", s, "人力成本占比最高,達40%-50%",
               "labour is the largest share of operating cost, 40-50%", (0.40, 0.50), "fraction",
               "the split's labour share 45%", "the split's labour share against the stated range",
               [("the stated split", OPEX_SPLIT["labour"])], SHARE, PLAN, "within"),
        _check("5.1.2-executor-cost", s, "運營100個社群,每個社群配置1名執行人員,月薪6千元,年人力成本約72萬元",
               "100 communities with 1 executor each at 6,000元 a month: labour about 72万 a year", 72e4,
               "CNY/year", "100 communities × 1 executor × 6,000元/month", "product × 12 months",
               [("100 × 6,000元 × 12", executors)], ARITHMETIC, PLAN,
               explanation="the stated figure is a tenth of the product"),
        _check("5.1.2-executor-vs-labour", s, "年運營成本約400萬-500萬元,人力…占比45%",
               "operating cost 400-500万 a year, of which labour 45% (180-225万)",
               tuple(OPEX_SPLIT["labour"] * v for v in OPEX_RANGE), "CNY/year",
               "the executor example corrected: 720万 a year", "the example's labour cost against the labour budget",
               [("100 × 6,000元 × 12", executors)], APPROX, PLAN, "within",
               "the executors alone cost more than the whole operating budget"),
        _check("5.1.2-events-each", s, "開展12場社群活動,合計投入180萬元,平均每場15萬元",
               "12 events for 180万, 15万 each", 15e4, "CNY", "180万, 12 events", "quotient",
               [("180万 ÷ 12", 180e4 / 12)], ARITHMETIC, PLAN),
        _check("5.1.2-events-vs-share", s, "活動…占比…35%", "activities are 35% of 400-500万 a year",
               tuple(OPEX_SPLIT["activities"] * v for v in OPEX_RANGE), "CNY/year", "the events example: 180万 a year",
               "the example against the activities budget", [("12 events", 180e4)], APPROX, PLAN, "within"),
        _check("5.1.2-maintenance-share", s, "某品牌年維護成本約30萬元,占運營成本15%",
               "maintenance about 30万 a year, 15% of operating cost", 0.15, "fraction",
               "30万 a year; operating cost 400-500万 (§5.1.2)", "30万 ÷ operating cost",
               [("÷ 400万", 30e4 / low), ("÷ 500万", 30e4 / high)], SHARE, PLAN,
               explanation=f"the split itself gives maintenance {OPEX_SPLIT['tech_maintenance']:.0%}; 15% would need "
               f"an operating cost of {_money(30e4 / 0.15)}"),
        _check("5.1.2-other-share", s, "其他費用如客服外包、培訓等,某快消品牌年支出約50萬元,占比10%",
               "other costs (outsourced service, training) about 50万 a year, 10%", 0.10, "fraction",
               "50万 a year; operating cost 400-500万", "50万 ÷ operating cost",
               [("÷ 400万", 50e4 / low), ("÷ 500万", 50e4 / high)], SHARE, PLAN,
               explanation=f"the split gives other costs {OPEX_SPLIT['other']:.0%}"),
        _check("5.1.2-split-sum", s, "人力、活動、技術維護、其他占比分別為45%、35%、12%、8%",
               "operating cost split 45 / 35 / 12 / 8%", 1.0, "fraction", "45%, 35%, 12%, 8%", "sum of the shares",
               [("sum", sum(OPEX_SPLIT.values()))], SHARE, PLAN),
    ]


def _cost_levers(study: _Study) -> list[Claim]:
    s = "001 §5.1.3"
    events = WEEKS_PER_YEAR * 5000.0 + MONTHS_PER_YEAR * 5e4
    optimised = tuple(study.optimised_opex(v) for v in OPEX_RANGE)
    lever_note = ("levers of base.yaml on the §5.1.2 split: SaaS SCRM (+8万/yr subscription), 40% part-time "
                  "(labour −25%), AI customer service (−60万/yr), lean events (−33%)")
    return [
        _unchecked("5.1.3-saas-saving", s, "塵鋒SCRM基礎版年費僅需8萬元,比定制化方案節省70%成本",
                   "a SaaS SCRM at 8万 a year saves 70% against a custom solution", 0.70, "fraction", "8万 a year",
                   "the custom solution's cost is not stated; against §5.1.1's example (18万 licence + 32万 "
                   f"development) 8万 would save {1 - 8 / 50:.0%}, against the 32万 development alone "
                   f"{1 - 8 / 32:.0%}", PLAN),
        _unchecked("5.1.3-part-time", s, "兼職人員占比40%,人力成本降低25%",
                   "40% part-time staff cut labour cost by 25%", 0.25, "fraction", "40% part-time share",
                   "the cost of a part-timer is not stated; the claim implies a part-timer costs "
                   f"{1 - 0.25 / 0.40:.1%} of a full-timer", PLAN),
        _check("5.1.3-events-cost", s, "每周1次小型活動(成本5000元),每月1次大型活動(成本5萬元),年活動成本控制在120萬元",
               "a small event weekly (5,000元) and a big one monthly (5万): about 120万 a year", 120e4, "CNY/year",
               "52 weeks × 5,000元 + 12 months × 5万", "sum over a year", [("52 small + 12 big", events)], APPROX,
               PLAN, explanation="the stated schedule costs well under the stated 120万"),
        _check("5.1.3-events-saving", s, "年活動成本控制在120萬元,比純大型活動節省33%",
               "120万 a year saves 33% against big events only", 0.33, "fraction",
               "120万; big events only: 12 × 15万 = 180万 (§5.1.2)", "1 − 120万 ÷ 180万",
               [("against §5.1.2's 12 events", 1 - 120e4 / 180e4)], SHARE, PLAN),
        _check("5.1.3-optimised-pct", s, "年運營成本可降至300萬-350萬元,降幅達25%-30%",
               "operating cost falls to 300-350万 a year, by 25-30%", (0.25, 0.30), "fraction",
               "300-350万 against 400-500万", "1 − optimised ÷ original, end by end",
               [("300万 vs 400万, 350万 vs 500万", (1 - 300 / 400, 1 - 350 / 500))], SHARE, PLAN, "endpoints"),
        _check("5.1.3-optimised-opex", s, "通過優化,100萬用戶規模年運營成本可降至300萬-350萬元",
               "with the levers, operating cost for 1,000,000 users falls to 300-350万 a year", (300e4, 350e4),
               "CNY/year", lever_note, "the engine's first-year operating cost with the levers on, for 400万 and "
               "500万", [("levers on 400万 and 500万", optimised)], APPROX, PLAN, "endpoints",
               f"the levers as stated cut {1 - optimised[0] / OPEX_RANGE[0]:.0%} to "
               f"{1 - optimised[1] / OPEX_RANGE[1]:.0%}, more than the stated 25-30%"),
    ]


def _direct_revenue(study: _Study) -> list[Claim]:
    s = "001 §5.2.1"
    scope = PLAN + ("study_head",)
    community = study.year1("study_head", "community_revenue")
    baseline = {f"{purchases:g} purchases a year{why}": _yearly_sales(USERS, BASELINE["conversion"], purchases,
                                                                      BASELINE["aov"])
                for purchases, why in ((COMMUNITY["purchases"], " (as the community)"),
                                       (COMMUNITY["purchases"] / (1 + REPURCHASE_UPLIFT[0]),
                                        " (community repurchase 20% higher)"),
                                       (COMMUNITY["purchases"] / (1 + REPURCHASE_UPLIFT[1]),
                                        " (community repurchase 30% higher)"))}
    future = {}
    for label, scale in (("baseline fixed at 0.48亿", None), ("baseline at 12 purchases", 1.0),
                         ("baseline frequency 20% below the community's", 1 / (1 + REPURCHASE_UPLIFT[0]))):
        ends = []
        for conversion, purchases in ((0.09, 12), (0.10, 15)):
            base = BASELINE["revenue"] if scale is None else _yearly_sales(
                USERS, BASELINE["conversion"], purchases * scale, BASELINE["aov"])
            ends.append(_yearly_sales(USERS, conversion, purchases, COMMUNITY["aov"]) - base)
        future[label] = tuple(ends)
    return [
        _check("5.2.1-community-revenue", s, "社群用戶年營收約1.35億元(100萬×7.5%×150元×12次復購)",
               "community revenue about 1.35亿 a year (1M × 7.5% × 150元 × 12 purchases)", 1.35e8, "CNY/year",
               "1,000,000 users, 7.5%, 150元, 12 purchases/yr", "engine: study_head, community revenue of year 1",
               [("engine, study_head year 1", community)], ARITHMETIC, scope),
        _check("5.2.1-baseline-revenue", s, "非社群用戶轉化率4%,客單價120元…非社群用戶約0.48億元",
               "non-community users (4%, 120元) about 0.48亿 a year", BASELINE["revenue"], "CNY/year",
               "1,000,000 users × 4% × 120元 × purchases (not stated)", "the engine's sales formula × 12",
               list(baseline.items()), ARITHMETIC, scope,
               explanation="the stated 0.48亿 needs 10 purchases a year: the community's 12 less the 20% "
               "repurchase uplift the same paragraph states; base.yaml uses 10"),
        _check("5.2.1-increment", s, "直接收益增量約0.87億元/年", "direct revenue increment about 0.87亿 a year",
               0.87e8, "CNY/year", "1.35亿 community − 0.48亿 non-community", "difference",
               [("1.35亿 − 0.48亿", 1.35e8 - BASELINE["revenue"])], ARITHMETIC, scope,
               explanation="an increment of sales, not of profit: no cost of goods is deducted"),
        _check("5.2.1-increment-2025", s, "2025年…轉化率有望提升至9%-10%,復購次數增至12-15次,直接收益增量預計達1.2億-1.5億元/年",
               "2025: conversion 9-10%, 12-15 purchases a year, increment 1.2-1.5亿 a year", (1.2e8, 1.5e8),
               "CNY/year", "1,000,000 users, 150元; 9% × 12 at the low end, 10% × 15 at the high end",
               "community sales − baseline, end by end", list(future.items()), APPROX, scope, "endpoints"),
        _check("5.2.1-premium", s, "社群專屬產品溢價率15%,年溢價收益約2000萬元",
               "exclusive products at a 15% premium earn about 2000万 a year", 2000e4, "CNY/year",
               "15% premium; community sales 1.35亿; exclusive share 20% (§5.2.3)",
               "engine: study_head with an exclusive share and premium, year 1",
               [("premium on every community sale", study.year1("study_head", "exclusive_premium",
                 {"revenue.exclusive.share": 1.0, "revenue.exclusive.premium": PREMIUM_RATE})),
                ("premium on the 20% exclusive share (§5.2.3)", study.year1("study_head", "exclusive_premium",
                 {"revenue.exclusive.share": EXCLUSIVE_SHARE, "revenue.exclusive.premium": PREMIUM_RATE}))],
               APPROX, scope, explanation="only if every community sale is an exclusive product; with the 20% "
               "exclusive mix §5.2.3 states, the premium is a fifth of that"),
    ]


def _indirect_and_growth(study: _Study) -> list[Claim]:
    s, g = "001 §5.2.2", "001 §5.2.3"
    scope = PLAN + ("study_head",)
    direct = {"community revenue 1.35亿": 1.35e8, "community revenue + premium 2000万": 1.35e8 + 2000e4}
    users = {}
    for label, rates, compound in (("5-8% a month compounded (engine)", (0.05, 0.08), True),
                                   ("8-10% a month compounded (2025 rates)", (0.08, 0.10), True),
                                   ("5-8% a month, simple", (0.05, 0.08), False)):
        users[label] = tuple(
            float(study.result("study_head", {"users.growth_monthly.steady": r}).flows.users[0, MONTHS_PER_YEAR])
            if compound else USERS * (1 + MONTHS_PER_YEAR * r) for r in rates)
    implied = tuple(float(finance.monthly_from_annual(x)) for x in (0.2, 0.3))
    return [
        _check("5.2.2-ltv-uplift", s, "社群用戶LTV比非社群用戶高40%-60%,某母嬰品牌社群用戶LTV1200元,非社群用戶800元",
               "community LTV 40-60% above non-community: 1200元 vs 800元", (0.40, 0.60), "fraction",
               "1200元, 800元", "1200 ÷ 800 − 1", [("ratio", 1200 / 800 - 1)], SHARE, scope, "within"),
        _check("5.2.2-user-asset", s, "100萬用戶資產增值約4億元", "1,000,000 users: asset gain about 4亿",
               4e8, "CNY", "(1200元 − 800元) × 1,000,000 users", "LTV gap × users",
               [("LTV gap × users", (1200 - 800) * USERS)], ARITHMETIC, scope,
               explanation="a stock of lifetime value, not a yearly cash flow"),
        _check("5.2.2-data-value", s, "整體轉化率提升1.5個百分點,年收益約5000萬元",
               "data lifts overall conversion by 1.5 points, about 5000万 a year", 5000e4, "CNY/year",
               "+1.5 points of conversion on 1,000,000 users", "the engine's sales formula × 12",
               [("at the community's 150元 × 12", _yearly_sales(USERS, 0.015, COMMUNITY["purchases"],
                                                                  COMMUNITY["aov"])),
                ("at the baseline's 120元 × 10", _yearly_sales(USERS, 0.015, 10, BASELINE["aov"]))],
               APPROX, scope, explanation="5000万 would need about 1.85 million users at the community's "
               "spending; the example's user base is not stated"),
        _check("5.2.2-indirect-total", s, "間接收益約1.2億-1.5億元/年", "indirect benefit about 1.2-1.5亿 a year",
               (1.2e8, 1.5e8), "CNY/year", "word of mouth 3000万/yr, data value 5000万/yr; the 4亿 LTV gain is a stock",
               "sum of the itemised yearly benefits", [("itemised yearly benefits", 3000e4 + 5000e4),
                                                         ("with the 4亿 LTV gain spread over 3 years",
                                                          3000e4 + 5000e4 + 4e8 / 3)],
               APPROX, scope, "within", "the study itemises only 0.8亿 a year of indirect benefit; "
               "study_head.yaml carries the rest as 'other' to reproduce the 2.55亿"),
        _check("5.2.2-indirect-share", s, "間接收益…占總收益40%-50%", "indirect benefit is 40-50% of total benefit",
               (0.40, 0.50), "fraction", "indirect 1.2-1.5亿; direct benefit as stated in §5.2.1",
               "indirect ÷ (direct + indirect) at both ends of the indirect range",
               [(f"direct = {k}", tuple(i / (i + d) for i in (1.2e8, 1.5e8))) for k, d in direct.items()],
               SHARE, scope, "within"),
        _check("5.2.3-user-growth", g, "社群用戶月均增長率5%-8%…100萬用戶規模預計增至120萬-130萬",
               "monthly user growth 5-8%: 1,000,000 users grow to 1.2-1.3 million", (1.2e6, 1.3e6), "users",
               "1,000,000 users; growth 5-8% a month (2024), 8-10% (2025); 12 months",
               "engine: study_head with monthly growth, users at month 12", list(users.items()), APPROX, scope,
               "endpoints", f"1.2-1.3 million in 12 months needs {implied[0]:.2%} to {implied[1]:.2%} a month"),
    ]


@dataclass(frozen=True)
class _Tier:
    """The study's figures for one company tier of §5.3."""

    stem: str
    zh: str  # the firm as §5.3.1 names it
    zh_returns: str  # and as §5.3.2-§5.3.3 name it
    en: str
    net: float  # CNY/year
    payback_months: float
    payback_unit: float  # months: the unit the stated payback is counted in (a month, a week)
    payback_zh: str
    npv: float
    irr: float
    cost_of_capital: float
    tech_payback: tuple[float, float]  # months, §三(四)4.3


STUDY_TIERS = (
    _Tier("study_head", "某頭部快消品牌", "某快消品牌", "head FMCG brand", 2.08e8, 2.0, 1.0, "回收期約2個月",
          4.17e8, 0.45, 0.08, (6, 8)),
    _Tier("study_mid", "某中型企業", "某中型企業", "mid-size firm", 1.25e8, 2.0, 1.0, "回收期約2個月",
          2.71e8, 0.40, 0.10, (8, 12)),
    _Tier("study_startup", "某初創企業", "某初創企業", "start-up", 4700e4, MONTHS_PER_YEAR / WEEKS_PER_YEAR,
          MONTHS_PER_YEAR / WEEKS_PER_YEAR, "回收期約1周",
          0.16e8, 0.35, 0.12, (12, 18)),
)
HEAD_RATE = 0.08  # §5.3.2: the only discount rate the NPV paragraph states


def _tier_claims(study: _Study, tier: _Tier) -> list[Claim]:
    r = study.result(tier.stem)
    annual = r.annual
    initial = r.metrics["total_investment"]
    benefit, opex = float(annual["total_benefit"].iloc[1]), -float(annual["total_cost"].iloc[1])
    stated_flows = np.array([-initial] + [tier.net] * 3)
    rate = float(r.scenario["finance.discount_rate_annual"])
    money = f"initial {_money(initial)}, operating cost {_money(opex)}/yr, benefit {_money(benefit)}/yr"
    scope = (tier.stem,)
    net_readings = [("benefit − operating cost", benefit - opex),
                    ("benefit − operating cost − initial investment", benefit - opex - initial)]
    if tier.stem == "study_head":
        net_readings.append(("benefit − the non-community revenue 0.48亿 (no costs)", benefit - BASELINE["revenue"]))
    npv_readings = [(f"annual flows at {rate:.0%} (the study's method)", r.metrics["npv_annual"]),
                    (f"monthly flows at the monthly equivalent of {rate:.0%}", r.metrics["npv"]),
                    (f"annual flows of the stated net {_money(tier.net)}/yr at {rate:.0%}",
                     finance.npv(rate, stated_flows))]
    if rate != HEAD_RATE:
        at_head_rate = study.result(tier.stem, {"finance.discount_rate_annual": HEAD_RATE})
        npv_readings.append((f"annual flows at {HEAD_RATE:.0%} (the rate §5.3.2 states)",
                             at_head_rate.metrics["npv_annual"]))
    needed = initial / finance.npv(tier.irr, [0.0, 1.0, 1.0, 1.0])
    tech_flows = r.flows.net_cash_flow[0].copy()
    tech_flows[0] = r.flows.investment_tech[0, 0]
    return [
        _check(f"5.3.1-net-{tier.stem}", "001 §5.3.1", f"{tier.zh}…年凈收益{_money_zh(tier.net)}",
               f"{tier.en}: net benefit {_money(tier.net)} a year", tier.net, "CNY/year", money,
               f"evaluate({tier.stem}): year-1 benefit and costs", net_readings, ARITHMETIC, scope,
               explanation="" if tier.stem != "study_head" else "the head tier's figure deducts the "
               "non-community revenue and no cost at all, while the mid-size and start-up figures deduct "
               "operating cost and investment"),
        _check(f"5.3.1-payback-{tier.stem}", "001 §5.3.1", f"{tier.zh}…{tier.payback_zh}",
               f"{tier.en}: payback about {tier.payback_months:.2g} months", tier.payback_months, "months", money,
               f"evaluate({tier.stem}): payback", [
                   ("monthly flows (payback_months)", r.metrics["payback_months"]),
                   ("annual flows, interpolated within year 1",
                    MONTHS_PER_YEAR * finance.payback_period(annual["net_cash_flow"].to_numpy())),
                   ("initial ÷ the stated net benefit a month",
                    finance.payback_period(np.array([-initial] + [tier.net / MONTHS_PER_YEAR] * 36)))],
               _rounded(tier.payback_unit, "month" if tier.payback_unit == 1 else "week"), scope),
        _check(f"5.3.2-npv-{tier.stem}", "001 §5.3.2", f"{tier.zh_returns}…NPV≈{_money_zh(tier.npv)}",
               f"{tier.en}: NPV about {_money(tier.npv)} over 3 years", tier.npv, "CNY", money + ", 3 years",
               f"evaluate({tier.stem}) and finance.npv", npv_readings, APPROX, scope),
        _check(f"5.3.3-irr-{tier.stem}", "001 §5.3.3",
               f"{tier.zh_returns}IRR≈{tier.irr:.0%},高於資金成本{tier.cost_of_capital:.0%}",
               f"{tier.en}: IRR about {tier.irr:.0%}, above its {tier.cost_of_capital:.0%} cost of capital", tier.irr,
               "fraction/year", money + ", 3 years", f"evaluate({tier.stem}) and finance.irr",
               [("annual flows (irr_annual)", r.metrics["irr_annual"]),
                ("monthly flows, annualised (irr)", r.metrics["irr"]),
                (f"annual flows of the stated net {_money(tier.net)}/yr", finance.irr(stated_flows))],
               APPROX, scope, explanation=f"an IRR of {tier.irr:.0%} over 3 years needs net inflows of only "
               f"{_money(needed)} a year on {_money(initial)}; the stated flows are about "
               f"{tier.net / needed:.0f} times that"),
        _check(f"3.4.3-tech-payback-{tier.stem}", "001 §三(四)4.3",
               {"study_head": "頭部企業:投資回收期6-8個月", "study_mid": "中型企業:投資回收期8-12個月",
                "study_startup": "初創企業:投資回收期12-18個月"}[tier.stem],
               f"{tier.en}: the technology pays back in {tier.tech_payback[0]}-{tier.tech_payback[1]} months",
               tier.tech_payback, "months", money, f"evaluate({tier.stem}): payback of the §5.3 flows",
               [("whole initial investment, monthly flows", r.metrics["payback_months"]),
                ("technology investment only, monthly flows", finance.payback_period(tech_flows))],
               APPROX, scope, "within", "the §5.3 figures of the same tier pay back within weeks; §三 and §五 "
               "cannot both hold"),
    ]


def _money_zh(yuan: float) -> str:
    return f"{yuan / 1e8:g}億元" if yuan >= 1e8 else f"{yuan / 1e4:g}萬元"


def _returns(study: _Study) -> list[Claim]:
    claims = [c for tier in STUDY_TIERS for c in _tier_claims(study, tier)]
    head = next(t for t in STUDY_TIERS if t.stem == "study_head")
    implied = finance.irr(np.array([-1.0] + [1.0 / head.payback_months] * 36))
    claims.append(_check(
        "5.3.3-irr-vs-payback", "001 §5.3.1, §5.3.3", "回收期約2個月…IRR≈45%",
        "head brand: payback about 2 months and IRR about 45%", head.irr, "fraction/year",
        "a 2-month payback: level monthly net flows of half the investment, 36 months",
        "finance.irr on monthly flows, annualised", [("lowest IRR a 2-month payback allows",
                                                       float(finance.annual_from_monthly(implied)))],
        APPROX, ("study_head",), explanation="a project that repays its outlay in 2 months and keeps earning for "
        "3 years cannot have an IRR of 45%: the two stated figures contradict each other"))
    return claims


def _risks(study: _Study) -> list[Claim]:
    s1, s2, s3 = "001 §5.4.1", "001 §5.4.2", "001 §5.4.3"
    scope = PLAN + ("study_head",)
    premium_all = {"revenue.exclusive.share": 1.0, "revenue.exclusive.premium": PREMIUM_RATE}
    premium_mix = {"revenue.exclusive.share": EXCLUSIVE_SHARE, "revenue.exclusive.premium": PREMIUM_RATE}
    bases = {"community sales": None, "community sales + 15% premium on all": premium_all}

    def losses(change):
        return [(f"{label}", study.revenue_loss(change, basis)) for label, basis in bases.items()]

    head = study.scenario("study_head")
    purchases, aov = head["revenue.community.purchases_per_year"], head["revenue.community.aov"]
    return [
        _check("5.4.1-labour-overrun", s1, "人力成本上漲15%,額外投入30萬元", "labour cost +15%: 30万 extra",
               30e4, "CNY/year", "labour 45% of 400-500万 (§5.1.2)", "15% × the labour budget",
               [("15% of 180-225万", tuple(0.15 * OPEX_SPLIT["labour"] * v for v in OPEX_RANGE))], APPROX, scope,
               "contains"),
        _check("5.4.1-events-overrun", s1, "活動執行超預算20%,額外投入40萬元", "events 20% over budget: 40万 extra",
               40e4, "CNY/year", "activities 35% of 400-500万; or §5.1.2's 12 events for 180万",
               "20% × the activities budget", [
                   ("20% of 140-175万", tuple(0.20 * OPEX_SPLIT["activities"] * v for v in OPEX_RANGE)),
                   ("20% of the 180万 events example", 0.20 * 180e4)], APPROX, scope, "contains"),
        _unchecked("5.4.1-tech-delay", s1, "技術開發延遲3個月,額外投入50萬元", "tech 3 months late: 50万 extra",
                   50e4, "CNY", "3 months", "the study does not say what a month of delay costs", scope),
        _check("5.4.2-conversion", s2, "轉化率5%,低於預期7.5%,收益減少3000萬元",
               "conversion 5% instead of 7.5%: revenue −3000万", 3000e4, "CNY/year",
               "1,000,000 users × 150元 × 12 purchases", "engine: study_head year-1 revenue at 7.5% − at 5%",
               losses({"revenue.community.conversion": 0.05}), APPROX, scope),
        _unchecked("5.4.2-repurchase", s2, "復購率30%,低於預期40%,收益減少2000萬元",
                   "repurchase 30% instead of 40%: revenue −2000万", 2000e4, "CNY/year", "repurchase 40% → 30%",
                   "the study never ties a repurchase rate to its 12 purchases a year; read as purchases −25% the "
                   "loss would be "
                   + _money(study.revenue_loss({"revenue.community.purchases_per_year": purchases * 0.75})),
                   scope),
        _check("5.4.2-premium", s2, "溢價率10%,低於預期15%,收益減少1000萬元",
               "premium 10% instead of 15%: revenue −1000万", 1000e4, "CNY/year",
               "community sales 1.35亿; exclusive share all (as the 2000万) or 20% (§5.2.3)",
               "engine: study_head year-1 premium at 15% − at 10%", [
                   ("premium on every community sale", study.revenue_loss({"revenue.exclusive.premium": 0.10},
                                                                          premium_all)),
                   ("premium on the 20% exclusive share", study.revenue_loss({"revenue.exclusive.premium": 0.10},
                                                                             premium_mix))], APPROX, scope),
        _check("5.4.3-frequency", s3, "社群用戶消費頻次下降10%,收益減少1500萬元",
               "purchase frequency −10%: revenue −1500万", 1500e4, "CNY/year", "12 purchases → 10.8",
               "engine: study_head year-1 revenue difference",
               losses({"revenue.community.purchases_per_year": purchases * 0.9}), APPROX, scope),
        _check("5.4.3-aov", s3, "客單價下降8%,收益減少1000萬元", "order value −8%: revenue −1000万", 1000e4,
               "CNY/year", "150元 → 138元", "engine: study_head year-1 revenue difference",
               losses({"revenue.community.aov": aov * 0.92}), APPROX, scope),
        _check("5.4.3-churn", s3, "用戶流失率上升5%,收益減少800萬元", "churn +5%: revenue −800万", 800e4, "CNY/year",
               "1,000,000 users; +5 points of churn (the base churn is not stated)",
               "engine: study_head year-1 revenue difference", [
                   *(("5% of users lost for the year, " + label, loss)
                     for label, loss in losses({"users.initial": USERS * 0.95})),
                   ("+5 points of monthly churn for a year",
                    study.revenue_loss({"users.churn_monthly.steady": 0.05}))], APPROX, scope,
               explanation="read as a relative rise (5% of an unstated churn) the claim cannot be checked"),
    ]


def _technology(study: _Study) -> list[Claim]:
    s = "001 §三(四)"
    shares = {"hardware": 0.15, "software": 0.50, "labour": 0.35}
    saas_only = shares["software"] * 0.40
    cloud_saas = saas_only + shares["hardware"] * 0.30
    rest = 1 - cloud_saas - shares["labour"]  # hardware and software left after the two cuts
    all_three = 1 - rest / (1 - 0.25)  # labour then 25% of what remains
    return [
        _check("3.4.1-structure-sum", s + "4.1", "硬件成本…占15%…軟件成本…占50%…人力成本…占35%",
               "technology cost: hardware 15%, software 50%, labour 35%", 1.0, "fraction", "15%, 50%, 35%",
               "sum of the shares", [("sum", sum(shares.values()))], SHARE, PLAN),
        _check("3.4.1-saas-cut", s + "4.1", "某服裝品牌2024年社群技術總投入320萬元,其中SaaS方案采用使初始成本降低48%",
               "an apparel brand (320万 of technology): SaaS cut its initial cost by 48%", 0.48, "fraction",
               "software 50% of tech cost, SaaS −40%; cloud −30% on hardware 15%; labour share down to 25%",
               "the cost structure's levers applied to 100% of the tech cost", [
                   ("SaaS alone (the lever the claim names)", saas_only), ("SaaS and cloud", cloud_saas),
                   ("SaaS, cloud and labour share 25%", all_three)], SHARE, PLAN),
        _check("3.4.2-efficiency", s + "4.2", "社群人均管理用戶數從500人提升至1500人,2024年行業平均效率提升200%",
               "users per operator 500 → 1500: efficiency +200%", 2.0, "fraction", "500, 1500", "1500 ÷ 500 − 1",
               [("ratio", 1500 / 500 - 1)], SHARE, PLAN),
        _check("3.4.2-ltv", s + "4.2", "用戶生命周期價值(LTV)增長32%", "lifetime value (LTV) +32%", 0.32, "fraction",
               "§5.2.2: community LTV 1200元, non-community 800元", "1200 ÷ 800 − 1",
               [("§5.2.2's LTV figures", 1200 / 800 - 1)], SHARE, PLAN,
               explanation="§5.2.2's economics assume a larger LTV gain than §三 states"),
    ]


def _conclusion_claims(study: _Study) -> list[Claim]:
    s = "001 §七 (and §5.3)"
    tiers = [study.result(t.stem) for t in STUDY_TIERS]

    def spread(metric: str, results: Sequence[Result] = tiers) -> tuple[float, float]:
        values = [r.metrics[metric] for r in results]
        return min(values), max(values)

    examples = 18e4 + 32e4 + 120e4 + 80e4
    optimised = tuple(study.optimised_opex(v) for v in OPEX_RANGE)
    tier_inputs = "the three study_* tiers of §5.3 (350/200/100万 initial, 400/300/200万 a year, 2.55亿/1.3亿/5000万)"
    return [
        _check("7-market-size", "001 §七 1.1", "社群營銷市場規模已達4.1萬億元,年增長率28.1%,預計2025年將突破5萬億元",
               "the market is 4.1万亿, growing 28.1% a year: above 5万亿 in 2025", (5e12, None), "CNY",
               "4.1万亿, 28.1%", "one year of growth", [("4.1万亿 × 1.281", 4.1e12 * 1.281)], ARITHMETIC, ALL,
               "within"),
        _check("7-initial", s, "100萬用戶規模的社群營銷項目初始投入約250-350萬元",
               "initial investment about 250-350万 for 1,000,000 users", INITIAL_RANGE, "CNY",
               "§5.1.1's examples: SCRM 50万, team 120万, content 80万", "sum",
               [("sum of §5.1.1's examples", examples)], APPROX, ALL, "within"),
        _check("7-opex", s, "年運營成本300-350萬元", "operating cost 300-350万 a year", (300e4, 350e4), "CNY/year",
               "§5.1.2's 400-500万 with §5.1.3's levers", "the engine's operating cost with the levers on",
               [("levers on 400万 and 500万", optimised), ("no levers (§5.1.2, as §5.3 uses)", OPEX_RANGE)],
               APPROX, ALL, "endpoints",
               "the conclusion quotes the optimised cost, while §5.3's returns use 400万 / 300万 / 200万"),
        _check("7-payback", s, "投資回收期僅1-3個月", "payback only 1-3 months", (1.0, 3.0), "months", tier_inputs,
               "evaluate(study_*): payback, lowest to highest", [("monthly flows", spread("payback_months"))],
               APPROX, ALL, "within", "the study's own flows pay back within days, not months"),
        _check("7-npv", s, "凈現值(NPV)達1-5億元", "NPV 1-5亿", (1e8, 5e8), "CNY", tier_inputs,
               "evaluate(study_*): NPV, lowest to highest",
               [("annual flows (the study's method)", spread("npv_annual")), ("monthly flows", spread("npv"))],
               APPROX, ALL, "within"),
        _check("7-irr", s, "內部收益率(IRR)30%-50%", "IRR 30-50%", (0.30, 0.50), "fraction/year", tier_inputs,
               "evaluate(study_*): IRR, lowest to highest", [("annual flows", spread("irr_annual")),
                                                             ("monthly flows, annualised", spread("irr"))],
               APPROX, ALL, "within", "the stated IRRs cannot come from the stated flows"),
        _unchecked("7-part-time-team", "001 §七 2.1", "采用“1名經理+3名兼職”模式,通過AI工具輔助執行,人力成本降低40%",
                   "'1 manager + 3 part-timers' with AI tools: labour cost −40%", 0.40, "fraction", "the team shape",
                   "the study states no part-time pay, nor the team this replaces", PLAN),
    ]


CATALOGUE: tuple[Callable[[_Study], list[Claim]], ...] = (
    _initial_costs, _operating_costs, _cost_levers, _direct_revenue, _indirect_and_growth, _returns, _risks,
    _technology, _conclusion_claims)


def audit(scenario_dir: str | Path = SCENARIOS) -> list[Claim]:
    """Every audited claim of 001, recomputed with the model (the ``study_*`` and ``base`` scenarios)."""
    study = _Study(scenario_dir)
    return [claim for section in CATALOGUE for claim in section(study)]


def claims_for(scenario: Scenario, claims: Sequence[Claim] | None = None) -> list[Claim]:
    """The claims that concern ``scenario``: those naming its file or a file it extends."""
    stems = {Path(label).stem for label in (scenario.file, *scenario.chain)}
    return [c for c in (audit() if claims is None else claims) if stems & set(c.scenarios)]


def audit_json(claims: Sequence[Claim]) -> list[dict]:
    """The JSON of ``feasibility audit --json``: one object per claim, keys :data:`JSON_KEYS`."""
    return [claim.to_json() for claim in claims]


def claims_table(claims: Sequence[Claim], language: str = "en") -> pd.DataFrame:
    """A table for reports: id, section, claim (``en`` or ``zh``), stated, recomputed, verdict, note."""
    if language not in ("en", "zh"):
        raise ValueError(f"language must be en or zh (got {language!r})")
    return pd.DataFrame({
        "id": [c.id for c in claims],
        "section": [c.section for c in claims],
        "claim": [c.claim_en if language == "en" else c.claim_zh for c in claims],
        "stated": [format_value(c.stated, c.unit) for c in claims],
        "recomputed": [format_value(c.recomputed, c.unit) for c in claims],
        "difference": [f"{format_amount(c.difference, c.unit)} ({c.difference_pct:+.0%})"
                       if c.verdict == "inconsistent" else "" for c in claims],
        "verdict": [c.verdict for c in claims],
        "note": [c.note for c in claims],
    })


def verdict_counts(claims: Sequence[Claim]) -> dict[str, int]:
    """How many claims have each verdict."""
    return {v: sum(c.verdict == v for c in claims) for v in VERDICTS}


# --- the plain-language conclusion ---------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One of the study's conclusions: stated, recomputed in its convention, counted honestly."""

    conclusion: str
    stated: str
    study_convention: str
    honest: str
    survives: bool
    why: str


def break_even_margin(study_or_dir: str | Path = SCENARIOS, stem: str = "study_head") -> float:
    """Gross margin (fraction) at which the honest case's NPV (monthly flows) is zero.

    Revenue enters the cash flow only through the margin, so NPV is linear in it and two
    evaluations (margin 0 and 1) give the root exactly.
    """
    study = study_or_dir if isinstance(study_or_dir, _Study) else _Study(study_or_dir)
    at_zero, at_one = (study.honest(stem, m).metrics["npv"] for m in (0.0, 1.0))
    return -at_zero / (at_one - at_zero)


def conclusion(scenario_dir: str | Path = SCENARIOS, claims: Sequence[Claim] | None = None) -> list[Finding]:
    """Which of §七's conclusions survive corrected arithmetic and honest revenue (head tier).

    Honest: the head tier's costs, revenue counted as the increment over the non-community
    baseline, after base.yaml's gross margin (our assumption), no indirect benefits.
    """
    study = _Study(scenario_dir)
    claims = list(audit(scenario_dir) if claims is None else claims)
    by_id = {c.id: c for c in claims}
    honest = study.honest()
    m = honest.metrics
    margin = float(honest.scenario["revenue.gross_margin"])
    threshold = break_even_margin(study)

    def recomputed(claim_id: str) -> str:
        c = by_id[claim_id]
        return f"{format_value(c.recomputed, c.unit)} ({c.verdict})"

    def in_range(value: float, claim_id: str) -> bool:
        low, high = by_id[claim_id].stated
        return low <= value <= high

    gross_profit = float(honest.annual["gross_profit"].iloc[1])
    head_benefit = float(study.result("study_head").annual["total_benefit"].iloc[1])  # as study_head.yaml states it
    return [
        Finding("Initial investment 250-350万", format_value(INITIAL_RANGE, "CNY"), recomputed("7-initial"),
                format_value(m["total_investment"], "CNY") + " (head tier)", by_id["7-initial"].verdict == "consistent",
                "costs do not depend on how revenue is counted"),
        Finding("Operating cost 300-350万 a year", format_value((300e4, 350e4), "CNY/year"), recomputed("7-opex"),
                format_value(-float(honest.annual["total_cost"].iloc[1]), "CNY/year") + " (head tier, no levers)",
                by_id["7-opex"].verdict == "consistent", "only with every cost lever on; §5.3 itself uses 400万"),
        Finding("Yearly benefit 2.55亿 (head tier)", format_value(head_benefit, "CNY/year"),
                format_value(head_benefit, "CNY/year"), format_value(gross_profit, "CNY/year") + " gross profit",
                gross_profit >= head_benefit,
                f"the increment over the non-community baseline after a {margin:.0%} margin, "
                "without the unitemised indirect benefits"),
        Finding("Payback 1-3 months", format_value((1.0, 3.0), "months"), recomputed("7-payback"),
                format_value(m["payback_months"], "months"), m["payback_months"] <= 3.0,
                "survives as 'within 3 months' when the payback is no longer than that"),
        Finding("NPV 1-5亿", format_value((1e8, 5e8), "CNY"), recomputed("7-npv"),
                format_value(m["npv_annual"], "CNY") + " (annual flows)", in_range(m["npv_annual"], "7-npv"),
                f"NPV stays positive down to a gross margin of {threshold:.1%}"),
        Finding("IRR 30-50%", format_value((0.30, 0.50), "fraction/year"), recomputed("7-irr"),
                format_value(m["irr_annual"], "fraction/year") + " (annual flows)", in_range(m["irr_annual"], "7-irr"),
                "a payback of weeks means an IRR of thousands of percent; read NPV and payback instead"),
        Finding("The plan is economically feasible (NPV > 0)", "NPV > 0", recomputed("7-npv"),
                format_value(m["npv"], "CNY") + " (monthly flows)", m["npv"] > 0,
                f"feasible while the gross margin on the incremental sales exceeds {threshold:.1%}"),
    ]


def conclusion_table(findings: Sequence[Finding]) -> pd.DataFrame:
    """The findings as a table for reports."""
    return pd.DataFrame({
        "study's conclusion": [f.conclusion for f in findings],
        "stated": [f.stated for f in findings],
        "recomputed, study's convention": [f.study_convention for f in findings],
        "honest (incremental, after margin)": [f.honest for f in findings],
        "survives": ["yes" if f.survives else "no" for f in findings],
        "why": [f.why for f in findings],
    })


PARTS = {"5.1": "costs (§5.1)", "5.2": "revenue (§5.2)", "5.3": "returns (§5.3)", "5.4": "risks (§5.4)",
         "3.": "technology (§三(四))", "7-": "conclusion (§七)"}


def conclusion_text(findings: Sequence[Finding], claims: Sequence[Claim]) -> str:
    """The plain-language conclusion, built from the verdicts and the findings."""
    counts = verdict_counts(claims)
    by_part = []
    for prefix, part in PARTS.items():
        group = [c for c in claims if c.id.startswith(prefix)]
        checked = [c for c in group if c.verdict != "not checkable"]
        if checked:
            held = sum(c.verdict == "consistent" for c in checked)
            by_part.append(f"{part} {held} of {len(checked)}")
    by_id = {c.id: c for c in claims}
    returns = [by_id[i] for i in ("7-payback", "7-irr") if i in by_id]
    text = (f"Of {len(claims)} figures of the study, {counts['consistent']} follow from its own inputs, "
            f"{counts['inconsistent']} do not and {counts['not checkable']} cannot be checked. "
            "Figures that hold, by part: " + "; ".join(by_part) + ". ")
    if returns:
        text += ("Recomputed in the study's own convention (gross revenue, no cost of goods, indirect benefits "
                 "counted) its three cases give " + " and ".join(
                     f"{'payback' if c.unit == 'months' else 'IRR'} {format_value(c.recomputed, c.unit)} "
                     f"(stated {format_value(c.stated, c.unit)})" for c in returns) + ". ")
    kept = [f.conclusion for f in findings if f.survives]
    lost = [f"{f.conclusion} ({f.why})" for f in findings if not f.survives]
    return (text + "Counted honestly (the increment over what the same users would buy anyway, after a gross "
            "margin, without indirect benefits) the head-tier plan keeps: " + ("; ".join(kept) or "none")
            + ". It loses: " + ("; ".join(lost) or "none") + ".")


def report_text(claims: Sequence[Claim], findings: Sequence[Finding]) -> str:
    """The readable report of ``feasibility audit``: the claims table, then the conclusion."""
    table = claims_table(claims)[["id", "stated", "recomputed", "difference", "verdict"]]
    lines = [table.to_string(index=False), "", "Which conclusions survive", ""]
    lines.append(conclusion_table(findings).drop(columns="why").to_string(index=False))
    lines += ["", conclusion_text(findings, claims)]
    return "\n".join(lines)


__all__ = ["Claim", "Tolerance", "Finding", "VERDICTS", "JSON_KEYS", "SCENARIOS", "audit", "claims_for",
           "audit_json", "claims_table", "verdict_counts", "conclusion", "conclusion_table", "conclusion_text",
           "break_even_margin", "report_text", "format_value", "format_amount"]
