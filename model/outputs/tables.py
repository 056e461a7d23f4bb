"""Report tables of money by year: investment, operating costs, revenue, the statements, the cash flow.

Each takes a :class:`~model.core.evaluation.Result` and a ``language`` and returns a
:class:`~model.outputs.report.Table` of display strings. Money follows one rule
(:func:`~model.inputs.units.format_amounts`): each row (or column) in one unit, 万元 below 1亿
and 亿元 from 1亿, chosen by its largest amount and named in a unit column (or its header).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.evaluation import Result
from ..inputs.units import format_amounts
from .labels import label
from .report import INVESTMENT_LINES, OPERATING_LINES, REVENUE_LINES, Table, percent, convention


def investment_table(result: Result, language: str = "en") -> Table:
    """The initial investment split (technology, labour, content): amount and share of the total."""
    amounts = np.array([-float(result.monthly[line].iloc[0]) for line in INVESTMENT_LINES])
    total = amounts.sum()
    shares = amounts / total if total > 0 else np.full(len(amounts), np.nan)
    unit, shown = format_amounts([*amounts, total])
    frame = pd.DataFrame({
        label("item", language): [label(line, language) for line in INVESTMENT_LINES] + [label("total", language)],
        f"{label('value', language)} ({unit})": shown,
        label("share", language): [percent(s) for s in [*shares, 1.0 if total > 0 else np.nan]],
    })
    return Table(frame, label("investment_caption", language))


def _lines_by_year(result: Result, lines: tuple[str, ...], sign: float, language: str, caption: str,
                   note: str = "") -> Table:
    """Cash-flow lines (rows) by year 1..N (columns) and their total, each money row in its unit; user
    lines in users (whole).

    Lines that are zero throughout are left out; ``sign`` −1 shows costs as positive amounts.
    """
    table = result.annual.iloc[1:]
    years = [label("year_n", language).format(n=int(y)) for y in table["year"]]
    rows = []
    for line in lines:
        values = sign * table[line].to_numpy()
        if not np.any(values):
            continue
        if line in ("users",):
            unit, cells = label("users_unit", language), [f"{v:,.0f}" for v in values] + [""]
        elif line in ("new_users", "churned_users"):
            unit, cells = label("users_unit", language), [f"{v:,.0f}" for v in [*values, values.sum()]]
        else:
            unit, cells = format_amounts([*values, values.sum()])
        rows.append([label(line, language), unit, *cells])
    frame = pd.DataFrame(rows, columns=[label("item", language), label("unit", language), *years,
                                        label("total", language)])
    return Table(frame, caption, note)


#: The annual statements in finance order, (line, label, always shown): the income statement, then free
#: cash flow from EBITDA.
STATEMENT_ROWS = (
    ("revenue", "revenue", True), ("cost_of_goods", "cost_of_goods", True), ("gross_profit", "gross_profit", True),
    *((line, line, False) for line in ("word_of_mouth", "data_value", "other_indirect", "stated_benefit")),
    *((line, line, False) for line in OPERATING_LINES), ("one_off_costs", "one_off_costs", False),
    ("vat_surcharges", "vat_surcharges", False),
    ("ebitda", "ebitda", True), ("depreciation_amortisation", "depreciation_amortisation", True),
    ("ebit", "ebit", True), ("income_tax", "income_tax", True), ("nopat", "nopat", True),
    ("ebitda", "ebitda_carried", True), ("income_tax", "income_tax", True), ("capex", "capex", True),
    ("change_in_working_capital", "change_in_working_capital", True), ("terminal_value", "terminal_value", False),
    ("net_cash_flow", "free_cash_flow", True),
)


def statements_table(result: Result, language: str = "en") -> Table:
    """The income statement and free-cash-flow statement by year (year 0 = month 0) with a total, each row in its unit.

    Finance layout, the model's signs (costs, tax and investment negative). Free cash flow is
    the net cash flow that NPV, IRR and payback use.
    """
    table = result.annual
    years = [label("year_n", language).format(n=int(y)) for y in table["year"]]
    rows = []
    for line, name, always in STATEMENT_ROWS:
        values = table[line].to_numpy()
        if always or np.any(values):
            rows.append([label(name, language), *format_amounts([*values, values.sum()])])
    rows = [[name, unit, *cells] for name, unit, cells in rows]
    frame = pd.DataFrame(rows, columns=[label("item", language), label("unit", language), *years,
                                        label("total", language)])
    scenario = result.scenario
    note = label("statements_note", language).format(
        years=f"{scenario['tax.loss_carryforward_years']:g}", rate=percent(scenario["finance.discount_rate_annual"]))
    return Table(frame, label("statements_caption", language), note)


def operating_costs_table(result: Result, language: str = "en") -> Table:
    """Operating cost lines by year, 万元 (as positive amounts), with their totals."""
    return _lines_by_year(result, (*OPERATING_LINES,), -1.0, language, label("opex_caption", language))


def revenue_table(result: Result, language: str = "en") -> Table:
    """Users, community vs baseline vs incremental revenue and gross profit by year (万元; users)."""
    return _lines_by_year(result, ("users", "new_users", "churned_users", *REVENUE_LINES), 1.0, language,
                          label("revenue_caption", language),
                          f"{label('revenue_convention', language)}: {convention(result, language)}")


def cash_flow_table(result: Result, period: str = "annual", language: str = "en") -> Table:
    """The annual or monthly cash flow: benefit, cost, net and running totals, each column in its unit."""
    if period not in ("annual", "monthly"):
        raise ValueError(f"period must be annual or monthly (got {period!r})")
    table = result.annual if period == "annual" else result.monthly
    first = "year" if period == "annual" else "month"
    money = ("total_benefit", "total_cost", "net_cash_flow", "cumulative_net_cash_flow",
             "discounted_net_cash_flow", "cumulative_discounted_net_cash_flow")
    frame = pd.DataFrame({label(first, language): table[first].astype(int)})
    if period == "monthly":
        frame[label("phase", language)] = [label(p, language) for p in table["phase"]]
        frame[label("users", language)] = [f"{v:,.0f}" for v in table["users"]]
    for line in money:
        unit, shown = format_amounts(table[line].to_numpy())
        frame[f"{label(line, language)} ({unit})"] = shown
    return Table(frame, label(f"{period}_caption", language))


__all__ = ["STATEMENT_ROWS", "investment_table", "operating_costs_table", "revenue_table", "statements_table",
           "cash_flow_table"]
