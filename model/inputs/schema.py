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

    kind: str  # money | rate | number | months | years | flag | text | choice | choices (a list of choices)
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
        if self.kind == "choices":
            if not isinstance(raw, list) or any(item not in self.choices for item in raw) or len(set(raw)) < len(raw):
                raise ValueError("must be a list of distinct names out of " + ", ".join(self.choices) + " (or [])")
            return tuple(raw)
        parser = {"money": parse_money, "rate": parse_rate}.get(self.kind, parse_number)
        value = parser(raw)
        if self.kind in ("months", "years") and value != int(value):
            raise ValueError(f"must be a whole number of {self.kind}")
        if not self.low <= value <= self.high:
            raise ValueError(self._range_text(value))
        return int(value) if self.kind in ("months", "years") else value

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


def _rate(unit: str, help: str, default: object = 0.0, high: float = 1.0, low: float = 0.0) -> Field:
    return Field("rate", unit, help, default, low=low, high=high)


@dataclass(frozen=True)
class CostLine:
    """One cost line, tagged once: its group, its inputs' section and its cash-flow line in the engine.

    Engine fields, table groups, break-even opex, dashboard controls and label checks are all
    derived from :data:`COST_LINES`; adding a line starts here.
    """

    group: str  # "investment" (month 0) | "operating_costs" (monthly) | "one_off" (the ``one_off_costs:`` section) | "tax"
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
    CostLine("operating_costs", "content", "content_costs", "recurring content production", True),
    CostLine("operating_costs", "acquisition", "acquisition", "user acquisition"),
    CostLine("operating_costs", "tech_maintenance", "tech_maintenance", "technology maintenance", True),
    CostLine("operating_costs", "other", "other_costs", "other operating costs", True),
    CostLine("one_off", "one_off_costs", "one_off_costs", "one-off costs (fines, incidents) in their month"),
    CostLine("tax", "vat_surcharges", "vat_surcharges", "surcharges on VAT payable (a cost; VAT itself passes through)"),
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


def _escalation(what: str) -> Field:
    return _rate("fraction/year", f"{what} rises by this much each model year (months 13-24 by it once, …)")


def _operating_costs() -> dict:
    """The ``operating_costs`` section, in :data:`OPERATING_LINES` order; staffing norms follow labour."""
    section: dict[str, Any] = {}
    for c in OPERATING_LINES:
        section[c.key] = _cost_line(c.what) if c.fixed_and_per_user else {
            "per_new_user": _money("CNY/new user", "acquisition cost per new community user (CAC paid)"),
            "escalation_yearly": _escalation("the acquisition cost per new user")}
        if c.key == "labour":
            section["labour"]["escalation_yearly"] = _escalation("labour cost (wages)")
            section["labour_staffing"] = {
                "users_per_operator": Field("number", "users/operator", "users one operator serves in the early phases "
                                            "(pilot to optimisation; none: not used)", None, low=1),
                "users_per_operator_mature": Field("number", "users/operator", "users one operator serves in steady "
                                                   "state (none: as in the early phases)", None, low=1),
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
        "cap": Field("number", "users", "most users the community can hold: users never exceed it (none: no cap)",
                     None, high=MAX_USERS, sanity_cap=True),
        "market_size": Field("number", "users", "people in the target market, for the market-share KPI (none: not set)",
                             None, low=1, high=MAX_USERS, sanity_cap=True),
        "growth_monthly": _by_phase("user growth, monthly"),
        "churn_monthly": _by_phase("user churn, monthly"),
    },
    "adoption": {
        "coverage": {phase: _rate("fraction of users", f"share of the users inside the community in the {phase} phase "
                                  "(the rest buy at the baseline)", 1.0) for phase in PHASES},
        "uplift_months": Field("number", "months", "months after go-live for conversion and purchase frequency to move "
                               "from the baseline to the community's values (0: at once)", 0.0, high=MAX_HORIZON_MONTHS),
        "uplift_shape": Field("choice", "", "how the uplift ramps: linear, or s_curve (slow, fast, slow)", "linear",
                              choices=("linear", "s_curve")),
    },
    "revenue": {
        "attribution": _rate("fraction", "share of the community's uplift over the baseline that the community causes "
                             "(the rest would have happened anyway: engaged customers self-select)", 1.0),
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
    "tax": {
        "income_tax_rate": _rate("fraction of taxable profit", "corporate income tax, assessed per model year on "
                                 "profit after depreciation, paid in the year's last month (PRC standard 25%)"),
        "depreciation_years": Field("number", "years", "straight-line life of the capitalised investment", 3.0,
                                    low=1, high=50),
        "capitalised": Field("choices", "", "investment lines capitalised and depreciated; the others are expensed "
                             "at month 0", ("tech",), choices=tuple(c.key for c in INVESTMENT_LINES)),
        "loss_carryforward_years": Field("years", "years", "years a tax loss may be carried forward (PRC: 5)", 5,
                                         high=50),
        "prices_include_vat": Field("flag", "", "order values and cost of goods include VAT: revenue and cost of "
                                    "goods are counted net of it", False),
        "vat_rate": _rate("fraction", "VAT rate on goods (PRC 13%; 0: VAT not modelled)"),
        "vat_surcharge_rate": _rate("fraction of VAT payable", "surcharges on VAT payable (urban maintenance 7%, "
                                    "education 3%, local education 2%)", 0.12),
    },
    "working_capital": {
        "receivable_days": Field("number", "days", "days of revenue owed by customers and platforms", 0.0, high=365),
        "inventory_days": Field("number", "days", "days of cost of goods held as stock", 0.0, high=365),
        "payable_days": Field("number", "days", "days of cost of goods owed to suppliers", 0.0, high=365),
        "release_at_end": Field("flag", "", "the balance comes back as cash in the last month (never with a "
                                "terminal value, which would count it twice)", True),
    },
    "terminal_value": {
        "method": Field("choice", "", "value after the horizon: none, or gordon (growing perpetuity of the last "
                        "year's free cash flow)", "none", choices=("none", "gordon")),
        "growth_yearly": _rate("fraction/year", "growth of free cash flow after the horizon (gordon)", 0.0,
                               low=-0.5, high=0.5),
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


#: The ``one_off_costs:`` section: NAME → {amount, month}; each entry gives the inputs
#: ``one_off_costs.NAME.amount`` and ``one_off_costs.NAME.month`` (not in :data:`FIELDS`, whose
#: paths are fixed; :func:`field_of` knows both kinds).
ONE_OFF_SECTION = "one_off_costs"
ONE_OFF_FIELDS: dict[str, Field] = {
    "amount": _money("CNY", "one-off cost, paid once in its month", REQUIRED),
    "month": Field("months", "month", "the month the one-off cost is paid (1 to the horizon)", REQUIRED, low=1,
                   high=MAX_HORIZON_MONTHS),
}


def one_off_path(path: str) -> tuple[str, str] | None:
    """``"one_off_costs.fine.amount"`` → ``("fine", "amount")``; None for any other path."""
    parts = path.split(".") if isinstance(path, str) else ()
    if len(parts) == 3 and parts[0] == ONE_OFF_SECTION and parts[1] and parts[2] in ONE_OFF_FIELDS:
        return parts[1], parts[2]
    return None


def field_of(path: str) -> Field:
    """The :class:`Field` of any input path: a schema input, or a one-off cost's amount or month.

    Raises KeyError for any other path.
    """
    if path in FIELDS:
        return FIELDS[path]
    one_off = one_off_path(path)
    if one_off is None:
        raise KeyError(path)
    return ONE_OFF_FIELDS[one_off[1]]


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
