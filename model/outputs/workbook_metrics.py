"""The ``metrics`` sheet: every metric of :data:`model.core.metrics.METRIC_UNITS` as a formula on the flows.

Column C is the monthly convention (the model's ``metrics``), column D the study's annual
one (``metrics_annual``; ``npv_annual`` and ``irr_annual`` are its NPV and IRR). The
conventions are those of :mod:`model.core.metrics` and DESIGN.md: NPV = month 0 + Excel's
NPV at the monthly equivalent of the annual rate over months 1..H (year 0 undiscounted in
the annual convention); IRR = (1 + IRR(monthly flows, guess))^12 − 1; MIRR = (1 + MIRR(monthly
flows, finance rate, reinvestment rate per month))^12 − 1, the rates being the discount rate
unless set; payback interpolated within the period from the steps on ``monthly`` / ``annual``.
IRR() starts from the guess that ``irr_search`` finds by the model's own rule for choosing among
several IRRs (:mod:`.workbook_irr`), else from the model's IRR as written (a cell below the
table); where the model gives NaN the formula gives #N/A (or #NUM!).
Every metric with a formula has a workbook-level defined name equal to its key (``npv``, …).
"""

from __future__ import annotations

import numpy as np

from ..core import finance
from ..core.evaluation import Result
from ..core.metrics import METRIC_UNITS, mirr_rates_annual
from .labels import label
from .workbook_grid import INPUT_FILL, INPUT_FONT, Axis, Styles, cached, payback_formula, write_value

SHEET = "metrics"
HEADERS = ("metric", "label", "value (monthly convention)", "value (study's annual convention)", "unit", "note",
           "how it is computed")
FORMAT_UNITS = {"fraction over the horizon": "fraction", "month": "month"}
DEFAULT_GUESS = 0.1  # IRR()'s own default, where the model has no IRR to start from
HOW = {
    "npv": "flow of period 0 + NPV(rate per period, flows of periods 1..N)",
    "irr": "(1 + IRR(monthly flows, guess))^12 − 1; #N/A without a sign change",
    "mirr": "(1 + MIRR(monthly flows, finance rate, reinvestment rate, per month))^12 − 1",
    "payback_months": "first period back at or above zero after the cumulative flow went negative, interpolated",
    "discounted_payback_months": "as payback, on the discounted flows",
    "roi": "(total benefit − total cost) / total cost",
    "bcr": "PV of benefits / PV of costs (income tax is neither)",
    "ltv": "gross profit per user-period / (churn per user-period + discount rate per period)",
    "cac": "acquisition spend / new users (#N/A when nothing is spent)",
    "ltv_cac": "LTV / CAC",
    "cost_per_user": "total cost / (initial users + new users)",
    "total_benefit": "sum of the benefit lines", "total_cost": "− sum of the cost lines",
    "total_investment": "− capital expenditure of month 0",
    "npv_terminal_value": "SUMPRODUCT(terminal value, discount factors)",
    "npv_pre_tax": "SUMPRODUCT(free cash flow − income tax, discount factors)",
    "tax_paid": "− sum of income tax", "peak_funding_need": "− the lowest cumulative flow (≥ 0)",
    "peak_funding_month": "the month of the lowest cumulative flow",
    "irr_ambiguous": "value computed by the model (1: the flows have several IRRs), not a formula",
    "npv_annual": "the study's method: NPV of the annual flows (column D of npv)",
    "irr_annual": "IRR of the annual flows (column D of irr)",
}
#: The calculation cells below the table: name → (label, unit).
RATES = {
    "discount_rate_monthly": ("Discount rate per month: (1 + annual rate)^(1/12) − 1", "fraction"),
    "mirr_finance_rate_annual": ("MIRR finance rate, annual (the discount rate unless set)", "fraction"),
    "mirr_reinvestment_rate_annual": ("MIRR reinvestment rate, annual (the discount rate unless set)", "fraction"),
    "mirr_finance_rate_monthly": ("MIRR finance rate per month", "fraction"),
    "mirr_reinvestment_rate_monthly": ("MIRR reinvestment rate per month", "fraction"),
    "irr_guess_monthly": ("IRR() guess where the search on 'irr_search' finds no sign change: the model's monthly "
                          "IRR when written (10% where it has none)", "fraction"),
    "irr_guess_annual": ("IRR() guess where the search finds none, annual flows: the model's annual IRR when "
                         "written (10% where it has none)", "fraction"),
    "irr_monthly": ("IRR of the monthly flows, per month (#N/A without a sign change)", "fraction"),
    "irr_annual_root": ("IRR of the annual flows (#N/A without a sign change)", "fraction"),
}


def _sign_change(span: str) -> str:
    return f'AND(COUNTIF({span},">0")>0,COUNTIF({span},"<0")>0)'


def _period_formulas(ax: Axis, rate: str, finance_rate: str, reinvest_rate: str, monthly: bool,
                     cell: dict[str, str]) -> dict[str, str]:
    """The metrics of one convention over the lines of ``ax``; ``cell[name]`` is a metric's cell in this column."""
    s = ax.span
    last = ax.periods - 1
    mirr = f"MIRR({s('net_cash_flow')},{finance_rate},{reinvest_rate})"
    scale = "" if monthly else "*12"
    out = {
        "npv": f"={ax.ref('net_cash_flow', 0)}+NPV({rate},{s('net_cash_flow', 1)})",
        "mirr": f"=IF({_sign_change(s('net_cash_flow'))},{f'(1+{mirr})^12-1' if monthly else mirr},NA())",
        "payback_months": payback_formula(ax, "", scale),
        "discounted_payback_months": payback_formula(ax, "_discounted", scale),
        "roi": f"=({cell['total_benefit']}-{cell['total_cost']})/{cell['total_cost']}",
        "bcr": f"=SUMPRODUCT({s('total_benefit')},{s('discount_factor')})/(0-SUMPRODUCT({s('total_cost')},"
               f"{s('discount_factor')}))",
        "ltv": f"=(SUM({s('gross_profit')})/SUM({s('users', 1)}))/(SUM({s('churned_users')})/"
               f"SUM({s('users', 0, last - 1)})+{rate})",
        "cac": f"=IF(0-SUM({s('acquisition')})>0,(0-SUM({s('acquisition')}))/SUM({s('new_users')}),NA())",
        "ltv_cac": f"={cell['ltv']}/{cell['cac']}",
        "cost_per_user": f"={cell['total_cost']}/({ax.ref('users', 0)}+SUM({s('new_users')}))",
        "total_benefit": f"=SUM({s('total_benefit')})",
        "total_cost": f"=0-SUM({s('total_cost')})",
    }
    if monthly:
        out.update({
            "irr": "=IF(irr_monthly>=-1,(1+irr_monthly)^12-1,NA())",
            "total_investment": f"=0-{ax.ref('capex', 0)}",
            "npv_terminal_value": f"=SUMPRODUCT({s('terminal_value')},{s('discount_factor')})",
            "npv_pre_tax": f"=SUMPRODUCT({s('net_cash_flow')}-{s('income_tax')},{s('discount_factor')})",
            "tax_paid": f"=0-SUM({s('income_tax')})",
            "peak_funding_need": f"=MAX(0-MIN({s('cumulative_net_cash_flow')}),0)",
            "peak_funding_month": f"=MATCH(MIN({s('cumulative_net_cash_flow')}),{s('cumulative_net_cash_flow')},0)-1",
        })
    else:
        out["irr"] = "=IF(irr_annual_root>=-1,irr_annual_root,NA())"
    return out


def write_metrics(book, sheet, result: Result, monthly: Axis, annual: Axis, styles: Styles) -> None:
    """The metrics table (both conventions) and the rates and IRR guesses it uses, with defined names."""
    names = list(METRIC_UNITS)
    row_of = {name: 1 + i for i, name in enumerate(names)}
    for c, text in enumerate(HEADERS):
        sheet.write_string(0, c, text, styles.header)
    cells = {col: {n: f"{col}{row_of[n] + 1}" for n in names} for col in "CD"}
    monthly_f = _period_formulas(monthly, "discount_rate_monthly", "mirr_finance_rate_monthly",
                                 "mirr_reinvestment_rate_monthly", True, cells["C"])
    annual_f = _period_formulas(annual, "finance_discount_rate_annual", "mirr_finance_rate_annual",
                                "mirr_reinvestment_rate_annual", False, cells["D"])
    monthly_f.update(npv_annual=f"={cells['D']['npv']}", irr_annual=f"={cells['D']['irr']}")
    study = result.metrics_annual
    for name in names:
        row = row_of[name]
        fmt = styles.number(FORMAT_UNITS.get(METRIC_UNITS[name], METRIC_UNITS[name]),
                            bold=name in ("npv", "irr", "payback_months"))
        sheet.write_string(row, 0, name, styles.bold)
        sheet.write_string(row, 1, label(f"{name}_full"))
        if name in monthly_f:
            sheet.write_formula(row, 2, monthly_f[name], fmt, cached(result.metrics[name]))
            book.define_name(name, f"={SHEET}!$C${row + 1}")
        else:
            write_value(sheet, row, 2, result.metrics[name], fmt)
        if name in study and name in annual_f:
            sheet.write_formula(row, 3, annual_f[name], fmt, cached(study[name]))
        sheet.write_string(row, 4, METRIC_UNITS[name])
        sheet.write_string(row, 5, result.notes.get(name, ""), styles.text)
        sheet.write_string(row, 6, HOW.get(name, ""), styles.note)
    _write_rates(book, sheet, result, monthly, annual, len(names) + 2, styles)
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 46)
    sheet.set_column(2, 3, 20)
    sheet.set_column(4, 4, 18)
    sheet.set_column(5, 6, 60)
    sheet.freeze_panes(1, 1)


def _write_rates(book, sheet, result: Result, monthly: Axis, annual: Axis, top: int, styles: Styles) -> None:
    values = result.scenario.values
    finance_rate, reinvest_rate = (float(r) for r in mirr_rates_annual(values))
    irr_monthly = float(finance.irr(result.flows.net_cash_flow[0]))
    irr_annual = result.metrics["irr_annual"]
    net_m, net_a = monthly.span("net_cash_flow"), annual.span("net_cash_flow")
    rows = {
        "discount_rate_monthly": ("=(1+finance_discount_rate_annual)^(1/12)-1", result.rate_monthly),
        "mirr_finance_rate_annual": ("=IF(ISNUMBER(finance_finance_rate_annual),finance_finance_rate_annual,"
                                     "finance_discount_rate_annual)", finance_rate),
        "mirr_reinvestment_rate_annual": ("=IF(ISNUMBER(finance_reinvestment_rate_annual),"
                                          "finance_reinvestment_rate_annual,finance_discount_rate_annual)",
                                          reinvest_rate),
        "mirr_finance_rate_monthly": ("=(1+mirr_finance_rate_annual)^(1/12)-1",
                                      float(finance.monthly_from_annual(finance_rate))),
        "mirr_reinvestment_rate_monthly": ("=(1+mirr_reinvestment_rate_annual)^(1/12)-1",
                                           float(finance.monthly_from_annual(reinvest_rate))),
        "irr_guess_monthly": (None, irr_monthly if np.isfinite(irr_monthly) else DEFAULT_GUESS),
        "irr_guess_annual": (None, irr_annual if np.isfinite(irr_annual) else DEFAULT_GUESS),
        "irr_monthly": (f"=IF({_sign_change(net_m)},IFERROR(IRR({net_m},irr_search_monthly),"
                        f"IRR({net_m},irr_guess_monthly)),NA())", irr_monthly),
        "irr_annual_root": (f"=IF({_sign_change(net_a)},IFERROR(IRR({net_a},irr_search_annual),"
                            f"IRR({net_a},irr_guess_annual)),NA())", irr_annual),
    }
    sheet.write_string(top, 0, "rates and IRR guesses", styles.header)
    sheet.write_string(top, 1, "what it is", styles.header)
    sheet.write_string(top, 2, "value", styles.header)
    for i, (name, (formula, value)) in enumerate(rows.items(), start=top + 1):
        text, unit = RATES[name]
        sheet.write_string(i, 0, name, styles.bold)
        sheet.write_string(i, 1, text, styles.text)
        colours = {} if formula else {"bg_color": INPUT_FILL, "font_color": INPUT_FONT}  # the guesses: inputs
        fmt = styles.get(num_format="0.000000%", **colours)
        if formula is None:
            sheet.write_number(i, 2, value, fmt)
        else:
            sheet.write_formula(i, 2, formula, fmt, cached(value))
        book.define_name(name, f"={SHEET}!$C${i + 1}")


__all__ = ["SHEET", "HEADERS", "RATES", "write_metrics"]
