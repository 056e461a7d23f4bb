"""The decision rule: feasible when NPV > 0, the IRR exceeds the discount rate and payback is within target.

Where the flows have several IRRs (they change sign more than once), the IRR rule reads the
MIRR instead.

A calculation, not a display: reports, the index and the dashboard word it in their own
language (:mod:`model.outputs.report`). A plan that never puts money at risk (no negative
flow) has no IRR; it is not refused for that when its NPV is positive.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..inputs.units import is_finite
from .evaluation import Result


@dataclass(frozen=True)
class Rule:
    """One condition: ``key`` (npv, irr, payback), the metric it reads, its threshold, whether it holds.

    Thresholds: 0 CNY for NPV; the annual discount rate (a fraction) for IRR; the payback
    target (months) for payback.
    """

    key: str
    metric: str
    threshold: float
    ok: bool


@dataclass(frozen=True)
class Decision:
    """The verdict: feasible when every rule holds."""

    rules: tuple[Rule, ...]

    @property
    def feasible(self) -> bool:
        return all(rule.ok for rule in self.rules)

    @property
    def failed(self) -> list[str]:
        """Keys of the rules that do not hold."""
        return [rule.key for rule in self.rules if not rule.ok]


def irr_rule(m: dict, rate: float, no_outlay: bool) -> Rule:
    """IRR > the discount rate; where the flows have several IRRs, MIRR > the discount rate instead."""
    if m["irr_ambiguous"]:
        return Rule("irr", "mirr", rate, bool(is_finite(m["mirr"]) and m["mirr"] > rate))
    return Rule("irr", "irr", rate, bool(is_finite(m["irr"]) and m["irr"] > rate) or (no_outlay and m["npv"] > 0))


def decide(result: Result) -> Decision:
    """The decision rule applied to ``result``'s metrics."""
    m = result.metrics
    rate = float(result.scenario["finance.discount_rate_annual"])
    target = float(result.scenario["finance.payback_target_months"])
    no_outlay = not (result.flows.net_cash_flow < 0).any()  # no IRR exists, and no money is ever at risk
    return Decision((
        Rule("npv", "npv", 0.0, bool(m["npv"] > 0)),
        irr_rule(m, rate, no_outlay),
        Rule("payback", "payback_months", target, bool(is_finite(m["payback_months"]) and m["payback_months"] <= target)),
    ))


__all__ = ["Rule", "Decision", "decide", "irr_rule"]
