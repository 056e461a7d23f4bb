"""The scenario schema: every input with its kind, unit, meaning, default and bounds.

A leaf is written either as a bare value or as ``{value, source, basis, note}``
(:func:`unpack_leaf`). ``basis`` says whose figure it is: ``study`` (stated by a source
document), ``derived`` (computed from stated figures) or ``ours`` (our own assumption).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

from .errors import InputError
from .units import parse_money, parse_number, parse_rate

REQUIRED = object()
BASES = ("study", "derived", "ours")
PHASES = ("pilot", "rollout", "optimisation", "steady")
MAX_HORIZON_MONTHS = 600
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Field:
    """One input of the schema: its kind, display unit, meaning, default and bounds."""

    kind: str  # money | rate | number | months | flag | text | choice
    unit: str
    help: str
    default: object = REQUIRED
    low: float = 0.0
    high: float = math.inf
    choices: tuple[str, ...] = ()
    sanity_cap: bool = False  # ``high`` only catches typos (1e300 users), not a real limit

    def parse(self, raw: object) -> object:
        """The validated value of ``raw``; raises ValueError with what is wrong."""
        if raw is None:
            if self.default is None:
                return None
            raise ValueError("must have a value")
        if self.kind == "flag":
            if not isinstance(raw, bool):
                raise ValueError("must be true or false")
            return raw
        if self.kind == "text":
            if not isinstance(raw, str) or not raw.strip():
                raise ValueError("must be a non-empty text")
            return raw.strip()
        if self.kind == "choice":
            if raw not in self.choices:
                raise ValueError("must be one of " + ", ".join(self.choices))
            return raw
        parser = {"money": parse_money, "rate": parse_rate}.get(self.kind, parse_number)
        value = parser(raw)
        if self.kind == "months" and value != int(value):
            raise ValueError("must be a whole number of months")
        if not self.low <= value <= self.high:
            raise ValueError(self._range_text(value))
        return int(value) if self.kind == "months" else value

    def _range_text(self, value: float) -> str:
        if self.kind == "rate":
            return f"must be between {self.low:g} and {self.high:g} ({self.low:.0%} to {self.high:.0%})"
        if self.high == math.inf or (self.sanity_cap and value < self.low):
            return "must not be negative" if self.low == 0 else f"must be at least {self.low:g}"
        if self.sanity_cap:
            return f"must be at most {self.high:g} (a larger figure is surely a typo)"
        return f"must be between {self.low:g} and {self.high:g}"


MAX_MONEY = 1e13  # CNY: 10万亿, beyond any community plan — a larger figure is a typo
MAX_USERS = 1e10  # more users than people
MAX_PURCHASES_PER_YEAR = 3650  # ten a day


def _money(unit: str, help: str, default: object = 0.0) -> Field:
    return Field("money", unit, help, default, high=MAX_MONEY, sanity_cap=True)


def _rate(unit: str, help: str, default: object = 0.0, high: float = 1.0) -> Field:
    return Field("rate", unit, help, default, high=high)


@dataclass(frozen=True)
class CostLine:
    """One cost line, tagged once: its group, its inputs' section and its cash-flow line in the engine.

    Engine fields, table groups, break-even opex, dashboard controls and label checks are all
    derived from :data:`COST_LINES`; adding a line starts here.
    """

    group: str  # "investment" (month 0) | "operating_costs" (monthly)
    key: str  # the section under the group: investment.tech, operating_costs.labour, …
    line: str  # the engine's cash-flow line (``Flows`` field)
    what: str  # meaning, for the inputs' help texts
    fixed_and_per_user: bool = False  # has ``fixed_yearly`` and ``per_user_yearly`` inputs

    @property
    def section(self) -> str:
        return f"{self.group}.{self.key}"


#: Every cost line in table order: investment first, then operating costs.
COST_LINES: tuple[CostLine, ...] = (
    CostLine("investment", "tech", "investment_tech", "initial technology investment (month 0)"),
    CostLine("investment", "labour", "investment_labour", "initial labour investment (month 0)"),
    CostLine("investment", "content", "investment_content", "initial content investment (month 0)"),
    CostLine("operating_costs", "labour", "labour", "labour", True),
    CostLine("operating_costs", "activities", "activities", "activities and events", True),
    CostLine("operating_costs", "acquisition", "acquisition", "user acquisition"),
    CostLine("operating_costs", "tech_maintenance", "tech_maintenance", "technology maintenance", True),
    CostLine("operating_costs", "other", "other_costs", "other operating costs", True),
)
INVESTMENT_LINES = tuple(c for c in COST_LINES if c.group == "investment")
OPERATING_LINES = tuple(c for c in COST_LINES if c.group == "operating_costs")
#: Operating lines with a fixed yearly amount (their sum is the break-even's and the dashboard's "opex").
FIXED_OPEX_LINES = tuple(c for c in OPERATING_LINES if c.fixed_and_per_user)


def _cost_line(what: str) -> dict:
    return {
        "fixed_yearly": _money("CNY/year", f"{what}: fixed yearly amount"),
        "per_user_yearly": _money("CNY/user/year", f"{what}: amount per community user per year"),
    }


def _by_phase(what: str) -> dict:
    return {phase: _rate("fraction/month", f"{what} in the {phase} phase") for phase in PHASES}


def _operating_costs() -> dict:
    """The ``operating_costs`` section, in :data:`OPERATING_LINES` order; staffing norms follow labour."""
    section: dict[str, Any] = {}
    for c in OPERATING_LINES:
        section[c.key] = _cost_line(c.what) if c.fixed_and_per_user else {
            "per_new_user": _money("CNY/new user", "acquisition cost per new community user (CAC paid)")}
        if c.key == "labour":
            section["labour_staffing"] = {
                "users_per_operator": Field("number", "users/operator", "users one operator serves (none: not used)",
                                            None, low=1),
                "operator_cost_yearly": _money("CNY/operator/year", "yearly cost of one operator"),
            }
    return section


#: The scenario schema: nested sections whose leaves are :class:`Field`.
SCHEMA: dict[str, Any] = {
    "name": Field("text", "", "short display name (default: the file name)", None),
    "description": Field("text", "", "what this case is and which convention it uses"),
    "timeline": {
        "horizon_months": Field("months", "months", "months evaluated after the investment (month 0)",
                                36, low=1, high=MAX_HORIZON_MONTHS),
        "phase_end_month": {
            "pilot": Field("months", "month", "last month of the pilot phase", 3, high=MAX_HORIZON_MONTHS),
            "rollout": Field("months", "month", "last month of the rollout phase", 9, high=MAX_HORIZON_MONTHS),
            "optimisation": Field("months", "month", "last month of the optimisation phase; steady state after",
                                  12, high=MAX_HORIZON_MONTHS),
        },
        "launch_delay_months": Field("number", "months", "months before community revenue starts "
                                     "(costs run meanwhile)", 0.0, high=MAX_HORIZON_MONTHS),
    },
    "finance": {
        "discount_rate_annual": _rate("fraction/year", "discount rate (cost of capital), annual", REQUIRED),
        "finance_rate_annual": _rate("fraction/year", "MIRR finance rate, annual (default: discount rate)", None),
        "reinvestment_rate_annual": _rate("fraction/year", "MIRR reinvestment rate, annual (default: discount rate)",
                                          None),
        "payback_target_months": Field("number", "months", "payback the verdict requires", 12.0, low=0,
                                       high=MAX_HORIZON_MONTHS),
    },
    "users": {
        "initial": Field("number", "users", "community users at month 0", REQUIRED, high=MAX_USERS,
                         sanity_cap=True),
        "cap": Field("number", "users", "market size: users never exceed it (none: no cap)", None, high=MAX_USERS,
                     sanity_cap=True),
        "growth_monthly": _by_phase("user growth, monthly"),
        "churn_monthly": _by_phase("user churn, monthly"),
    },
    "revenue": {
        "basis": Field("choice", "", "incremental: community minus the baseline the same users would buy "
                       "anyway (honest); gross: all community revenue (the study's convention)", REQUIRED,
                       choices=("incremental", "gross")),
        "gross_margin": _rate("fraction", "gross margin on counted revenue (1 = the study's convention)",
                              REQUIRED),
        "community": {
            "conversion": _rate("fraction of users", "share of community users who buy"),
            "purchases_per_year": Field("number", "purchases/buyer/year", "purchases per buyer per year", 0.0,
                                        high=MAX_PURCHASES_PER_YEAR, sanity_cap=True),
            "aov": _money("CNY/order", "average order value in the community"),
        },
        "baseline": {
            "conversion": _rate("fraction of users", "share of the same users who would buy without the community"),
            "purchases_per_year": Field("number", "purchases/buyer/year", "baseline purchases per buyer per year",
                                        0.0, high=MAX_PURCHASES_PER_YEAR, sanity_cap=True),
            "aov": _money("CNY/order", "average order value without the community"),
        },
        "exclusive": {
            "share": _rate("fraction of community revenue", "share of community sales that are exclusive products"),
            "premium": _rate("fraction", "price premium on exclusive products"),
        },
        "stated_benefit_yearly": _money("CNY/year", "benefit a source states only as a yearly total; "
                                        "counted as is, no margin applied"),
    },
    "indirect": {
        "enabled": Field("flag", "", "count indirect benefits in the cash flow", False),
        "word_of_mouth_yearly": _money("CNY/year", "word-of-mouth benefit per year"),
        "data_value_yearly": _money("CNY/year", "value of community data per year"),
        "other_yearly": _money("CNY/year", "other indirect benefit per year"),
    },
    "investment": {c.key: _money("CNY", c.what) for c in INVESTMENT_LINES},
    "operating_costs": _operating_costs(),
    "levers": {
        "saas_scrm": {
            "enabled": Field("flag", "", "SaaS SCRM instead of custom development", False),
            "tech_investment_cut": _rate("fraction", "cut in initial tech investment when switched on"),
            "subscription_yearly": _money("CNY/year", "SaaS subscription added to tech maintenance"),
        },
        "part_time_staff": {
            "enabled": Field("flag", "", "part-time staff share", False),
            "labour_cut": _rate("fraction", "cut in operating labour cost when switched on"),
        },
        "ai_customer_service": {
            "enabled": Field("flag", "", "AI customer service for routine questions", False),
            "saving_yearly": _money("CNY/year", "labour saved per year when switched on"),
        },
        "lean_events": {
            "enabled": Field("flag", "", "small weekly + big monthly events", False),
            "activities_cut": _rate("fraction", "cut in activities cost when switched on"),
        },
    },
}


def _flatten(schema: Mapping[str, Any], prefix: str = "") -> dict[str, Field]:
    out: dict[str, Field] = {}
    for key, node in schema.items():
        path = prefix + key
        out.update(_flatten(node, path + ".") if isinstance(node, dict) else {path: node})
    return out


#: Every input by its dotted path, e.g. ``"revenue.community.conversion"``.
FIELDS: dict[str, Field] = _flatten(SCHEMA)
SECTIONS = {".".join(p.split(".")[:i]) for p in FIELDS for i in range(1, p.count(".") + 1)}
META_KEYS = ("value", "source", "basis", "note")


def unpack_leaf(raw: object, path: str, label: str, problems: list) -> tuple[object, dict]:
    """Split a leaf into its value and its provenance (source, basis, note)."""
    if not isinstance(raw, dict):
        return raw, {}
    if "value" not in raw:
        problems.append(InputError(label, path, "must be a value, or a mapping with 'value' and 'source'", raw))
        return None, {}
    meta = {}
    for key, item in raw.items():
        if key not in META_KEYS:
            problems.append(InputError(label, f"{path}.{key}", "is not a known key (value, source, basis, note)",
                                       item))
        elif key == "basis" and item not in BASES:
            problems.append(InputError(label, f"{path}.basis", "must be one of " + ", ".join(BASES), item))
        elif key in ("source", "note") and not isinstance(item, str):
            problems.append(InputError(label, f"{path}.{key}", "must be text", item))
        elif key != "value":
            meta[key] = item
    return raw["value"], meta
