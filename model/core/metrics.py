"""The metric set: defined once, computed once per period length (months, or the study's years).

:func:`period_metrics` gives every metric of :data:`METRIC_UNITS` from flows of any period
length; :func:`compute_metrics` (the contract of ``run --json``) is the monthly set plus the
annual NPV and IRR, and :func:`annual_metrics` the whole annual set — both through the same
function. Money in CNY; rates are annual fractions (a monthly IRR is annualised as
(1 + m)^12 − 1); paybacks are in months whatever the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import numpy as np

from ..inputs.units import MONTHS_PER_YEAR
from . import finance
from .engine import Flows

#: Metric name → unit. The order is the order of every metrics table and of ``run --json``.
METRIC_UNITS = {
    "npv": "CNY",
    "npv_annual": "CNY",
    "irr": "fraction/year",
    "irr_annual": "fraction/year",
    "mirr": "fraction/year",
    "payback_months": "months",
    "discounted_payback_months": "months",
    "roi": "fraction over the horizon",
    "bcr": "ratio",
    "ltv": "CNY/user",
    "cac": "CNY/user",
    "ltv_cac": "ratio",
    "total_benefit": "CNY",
    "total_cost": "CNY",
    "total_investment": "CNY",
    "npv_terminal_value": "CNY",
    "npv_pre_tax": "CNY",
    "tax_paid": "CNY",
    "cost_per_user": "CNY/user",
    "irr_ambiguous": "flag",
    "peak_funding_need": "CNY",
    "peak_funding_month": "month",
}
#: Metrics that need only the net flow (the Monte Carlo's and the sweeps' cheap set).
NET_METRICS = ("npv", "irr", "mirr", "payback_months", "discounted_payback_months")


def annual_sums(monthly: np.ndarray) -> np.ndarray:
    """Annual totals: year 0 = month 0, year k = months 12(k−1)+1 .. 12k; (T, years + 1)."""
    monthly = np.atleast_2d(monthly)
    months = monthly.shape[1] - 1
    years = -(-months // MONTHS_PER_YEAR)
    padded = np.zeros((monthly.shape[0], years * MONTHS_PER_YEAR))
    padded[:, :months] = monthly[:, 1:]
    return np.concatenate([monthly[:, :1], padded.reshape(monthly.shape[0], years, MONTHS_PER_YEAR).sum(axis=2)],
                          axis=1)


def year_end_users(users: np.ndarray) -> np.ndarray:
    """Users at month 0 and at each year end (the horizon's last month ends a short last year), (T, years + 1)."""
    users = np.atleast_2d(users)
    ends = [0, *range(MONTHS_PER_YEAR, users.shape[1], MONTHS_PER_YEAR)]
    if ends[-1] != users.shape[1] - 1:
        ends.append(users.shape[1] - 1)
    return users[:, ends]


@dataclass(frozen=True)
class Periods:
    """The lines the metrics read, per period (index 0 = the investment instant), each (T, periods + 1).

    Money lines are CNY per period (benefit ≥ 0, cost ≤ 0); ``users`` is the stock at each
    period's end; ``months`` is the length of one period in months (1 or 12).
    """

    benefit: np.ndarray
    cost: np.ndarray
    users: np.ndarray
    new_users: np.ndarray
    churned_users: np.ndarray
    gross_profit: np.ndarray
    acquisition: np.ndarray
    net: np.ndarray  # free cash flow: benefits + costs + income tax + working capital + terminal value
    months: int

    @classmethod
    def monthly(cls, flows: Flows) -> "Periods":
        return cls(flows.total_benefit, flows.total_cost, flows.users, flows.new_users, flows.churned_users,
                   flows.gross_profit, flows.acquisition, flows.net_cash_flow, 1)

    @classmethod
    def annual(cls, flows: Flows) -> "Periods":
        return cls(annual_sums(flows.total_benefit), annual_sums(flows.total_cost), year_end_users(flows.users),
                   annual_sums(flows.new_users), annual_sums(flows.churned_users), annual_sums(flows.gross_profit),
                   annual_sums(flows.acquisition), annual_sums(flows.net_cash_flow), MONTHS_PER_YEAR)


def mirr_rates_annual(values: Mapping[str, object]) -> tuple[object, object]:
    """MIRR's finance and reinvestment rates, annual; each is the discount rate unless set (0% counts)."""
    rate = values["finance.discount_rate_annual"]
    return tuple(rate if values[path] is None else values[path]
                 for path in ("finance.finance_rate_annual", "finance.reinvestment_rate_annual"))


def _per_period(rate_annual, months: int) -> np.ndarray:
    """An annual rate as the rate per period of ``months`` months."""
    rate_annual = np.asarray(rate_annual, dtype=float)
    return rate_annual if months == MONTHS_PER_YEAR else finance.monthly_from_annual(rate_annual)


def _per_year(rate, months: int) -> np.ndarray:
    """A rate per period of ``months`` months as an annual rate."""
    return rate if months == MONTHS_PER_YEAR else finance.annual_from_monthly(rate)


def net_metrics(net: np.ndarray, values: Mapping[str, object], months: int = 1,
                names: Sequence[str] = NET_METRICS) -> dict[str, np.ndarray]:
    """The metrics of :data:`NET_METRICS` named in ``names``, per trial, from net flows (T, periods + 1).

    ``months`` is the period length (1: monthly flows; 12: annual). Rates come back annual,
    paybacks in months.
    """
    rate = _per_period(values["finance.discount_rate_annual"], months)
    finance_rate, reinvest_rate = (_per_period(r, months) for r in mirr_rates_annual(values))
    compute: dict[str, Callable[[], np.ndarray]] = {
        "npv": lambda: finance.npv(rate, net),
        "irr": lambda: _per_year(np.atleast_1d(finance.irr(net)), months),
        "mirr": lambda: _per_year(np.atleast_1d(finance.mirr(net, finance_rate, reinvest_rate)), months),
        "payback_months": lambda: months * finance.payback_period(net),
        "discounted_payback_months": lambda: months * finance.payback_period(
            net * finance.discount_factors(rate, net.shape[1])),
    }
    return {name: np.atleast_1d(compute[name]()) for name in names}


def period_metrics(p: Periods, values: Mapping[str, object]) -> dict[str, np.ndarray]:
    """The metric set for flows of one period length, each (T,) (``npv_annual`` / ``irr_annual`` aside).

    ROI = (total benefit − total cost) / total cost; BCR = PV benefits / PV costs (income tax
    is neither); LTV = gross profit per user-period / (churn per user-period + the period's
    discount rate), CNY per user; CAC = acquisition spend / new users (NaN where nothing is
    spent); cost per user = all costs / users reached (initial + new).
    """
    net = p.net
    out = net_metrics(net, values, p.months)
    factors = finance.discount_factors(_per_period(values["finance.discount_rate_annual"], p.months), net.shape[1])
    total_benefit, total_cost = p.benefit.sum(axis=1), -p.cost.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        churn = p.churned_users.sum(axis=1) / p.users[:, :-1].sum(axis=1)  # per user-period at risk of churn
        profit_per_user = p.gross_profit.sum(axis=1) / p.users[:, 1:].sum(axis=1)
        ltv = profit_per_user / (churn + _per_period(values["finance.discount_rate_annual"], p.months))
        spend = -p.acquisition.sum(axis=1)
        cac = np.where(spend > 0, spend / p.new_users.sum(axis=1), np.nan)
        out.update({
            "roi": (total_benefit - total_cost) / total_cost,
            "bcr": (p.benefit * factors).sum(axis=1) / -(p.cost * factors).sum(axis=1),
            "ltv": ltv,
            "cac": cac,
            "ltv_cac": ltv / cac,
            "cost_per_user": total_cost / (p.users[:, 0] + p.new_users.sum(axis=1)),
            "total_benefit": total_benefit,
            "total_cost": total_cost,
        })
    return out


def compute_metrics(flows: Flows, values: Mapping[str, object]) -> dict[str, np.ndarray]:
    """Every metric of :data:`METRIC_UNITS` for every trial, each an array (trials,): the monthly
    set, with the annual NPV and IRR (the study's method) as ``npv_annual`` and ``irr_annual``."""
    monthly = period_metrics(Periods.monthly(flows), values)
    annual = net_metrics(annual_sums(flows.net_cash_flow), values, MONTHS_PER_YEAR, ("npv", "irr"))
    rate = _per_period(values["finance.discount_rate_annual"], 1)
    cumulative = np.cumsum(flows.net_cash_flow, axis=1)
    lowest = cumulative.argmin(axis=1)
    monthly.update(npv_annual=annual["npv"], irr_annual=annual["irr"], total_investment=-flows.investment,
                   npv_terminal_value=finance.npv(rate, flows.terminal_value),
                   npv_pre_tax=finance.npv(rate, flows.net_cash_flow - flows.income_tax),
                   tax_paid=0.0 - flows.income_tax.sum(axis=1),
                   irr_ambiguous=np.atleast_1d(finance.irr_ambiguous(flows.net_cash_flow)).astype(float),
                   peak_funding_need=np.maximum(-np.take_along_axis(cumulative, lowest[:, None], 1)[:, 0], 0.0),
                   peak_funding_month=lowest.astype(float))
    return {name: np.atleast_1d(monthly[name]) for name in METRIC_UNITS}


def annual_metrics(flows: Flows, values: Mapping[str, object]) -> dict[str, np.ndarray]:
    """The metric set in the study's annual convention (annual flows, year 0 undiscounted), each (T,).

    LTV in years: yearly churn = users lost in a year / users at its start; profit per
    user-year = gross profit / users at the year ends. A horizon that is not whole years ends
    with a short year, which both rates then understate.
    """
    return period_metrics(Periods.annual(flows), values)


__all__ = ["METRIC_UNITS", "NET_METRICS", "Periods", "annual_sums", "year_end_users", "mirr_rates_annual",
           "net_metrics", "period_metrics", "compute_metrics", "annual_metrics"]
