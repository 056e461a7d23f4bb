"""The study's annual convention: the return metrics recomputed from annual flows.

The model's own metrics (:func:`model.evaluation.compute_metrics`) use monthly flows. The
study (001 §5.3) works in years: annual net flows, year 0 undiscounted, years 1..N at the
annual rate. Reports show both side by side; this module gives the annual side, with the
same metric names. Money in CNY; rates annual; payback converted to months (years × 12).
"""

from __future__ import annotations

import numpy as np

from . import finance
from .finance import MONTHS_PER_YEAR
from .evaluation import Result, mirr_rates_annual



def annual_metrics(result: Result) -> dict[str, float]:
    """Metrics of ``result`` in the study's annual convention.

    Returns ``npv``, ``irr``, ``mirr`` (CNY, fractions a year), ``payback_months`` and
    ``discounted_payback_months`` (whole-year flows, interpolated within the year, × 12),
    ``roi`` (undiscounted totals: the same in both conventions), ``bcr``, ``ltv``, ``cac``
    (CNY/user) and ``ltv_cac``.

    Notes
    -----
    LTV in years: yearly gross profit per user / (yearly churn + annual discount rate), with
    yearly churn = users lost in a year / users at its start and profit per user-year =
    gross profit / users at the year ends — the monthly formula with years as periods. A
    horizon that is not whole years ends with a short year, which both rates then understate.
    """
    values = result.scenario.values
    rate = float(values["finance.discount_rate_annual"])
    finance_rate, reinvest_rate = mirr_rates_annual(values)
    table = result.annual
    net = table["net_cash_flow"].to_numpy()
    factors = finance.discount_factors(rate, len(net))
    users = table["users"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        churn = table["churned_users"].to_numpy()[1:].sum() / users[:-1].sum()
        profit_per_user = table["gross_profit"].to_numpy()[1:].sum() / users[1:].sum()
        ltv = float(profit_per_user / (churn + rate))
        return {
            "npv": result.metrics["npv_annual"],
            "irr": result.metrics["irr_annual"],
            "mirr": float(finance.mirr(net, finance_rate, reinvest_rate)),
            "payback_months": MONTHS_PER_YEAR * finance.payback_period(net),
            "discounted_payback_months": MONTHS_PER_YEAR * finance.payback_period(net * factors),
            "roi": result.metrics["roi"],
            "bcr": float((table["total_benefit"].to_numpy() @ factors) / -(table["total_cost"].to_numpy() @ factors)),
            "ltv": ltv,
            "cac": result.metrics["cac"],
            "ltv_cac": ltv / result.metrics["cac"],
        }
