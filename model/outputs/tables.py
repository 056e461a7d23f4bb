"""Report tables of money by year: investment, operating costs, revenue, the statements, the cash flow.

Each takes a :class:`~model.core.evaluation.Result` and a ``language`` and returns a
:class:`~model.outputs.report.Table` of display strings, money in 万元.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..core.evaluation import Result
from .labels import label
from .report import INVESTMENT_LINES, OPERATING_LINES, REVENUE_LINES, Table, percent, wan, convention


def investment_table(result: Result, language: str = "en") -> Table:
    """The initial investment split (technology, labour, content): 万元 and share of the total."""
    amounts = np.array([-float(result.monthly[line].iloc[0]) for line in INVESTMENT_LINES])
    total = amounts.sum()
    shares = amounts / total if total > 0 else np.full(len(amounts), np.nan)
    frame = pd.DataFrame({
        label("item", language): [label(line, language) for line in INVESTMENT_LINES] + [label("total", language)],
        f"{label('value', language)} ({label('unit_wan', language)})": [wan(a, 2) for a in [*amounts, total]],
        label("share", language): [percent(s) for s in [*shares, 1.0 if total > 0 else np.nan]],
    })
    return Table(frame, label("investment_caption", language))


def _lines_by_year(result: Result, lines: tuple[str, ...], sign: float, language: str, caption: str,
                   note: str = "") -> Table:
    """Cash-flow lines (rows) by year 1..N (columns) and their total, 万元; user lines in users.

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
            cells = [f"{v:,.0f}" for v in values] + [""]
        elif line in ("new_users", "churned_users"):
            cells = [f"{v:,.0f}" for v in [*values, values.sum()]]
        else:
            cells = [wan(v) for v in [*values, values.sum()]]
        rows.append([label(line, language), *cells])
    frame = pd.DataFrame(rows, columns=[label("item", language), *years, label("total", language)])
    return Table(frame, caption, note)


#: The annual statements in finance order, (line, label, always shown): the income statement, then free
#: cash flow from EBITDA.
STATEMENT_ROWS = (
    ("revenue", "revenue", True), ("cost_of_goods", "cost_of_goods", True), ("gross_profit", "gross_profit", True),
    *((line, line, False) for line in ("word_of_mouth", "data_value", "other_indirect", "stated_benefit")),
    *((line, line, False) for line in OPERATING_LINES), ("vat_surcharges", "vat_surcharges", False),
    ("ebitda", "ebitda", True), ("depreciation_amortisation", "depreciation_amortisation", True),
    ("ebit", "ebit", True), ("income_tax", "income_tax", True), ("nopat", "nopat", True),
    ("ebitda", "ebitda_carried", True), ("income_tax", "income_tax", True), ("capex", "capex", True),
    ("change_in_working_capital", "change_in_working_capital", True), ("terminal_value", "terminal_value", False),
    ("net_cash_flow", "free_cash_flow", True),
)


def statements_table(result: Result, language: str = "en") -> Table:
    """The income statement and free-cash-flow statement by year (year 0 = month 0) with a total, 万元.

    Finance layout, the model's signs (costs, tax and investment negative). Free cash flow is
    the net cash flow that NPV, IRR and payback use.
    """
    table = result.annual
    years = [label("year_n", language).format(n=int(y)) for y in table["year"]]
    rows = []
    for line, name, always in STATEMENT_ROWS:
        values = table[line].to_numpy()
        if always or np.any(values):
            rows.append([label(name, language), *(wan(v) for v in [*values, values.sum()])])
    frame = pd.DataFrame(rows, columns=[label("item", language), *years, label("total", language)])
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
    """The annual or monthly cash flow: benefit, cost, net and running totals, 万元."""
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
        frame[f"{label(line, language)} ({label('unit_wan', language)})"] = [wan(v) for v in table[line]]
    return Table(frame, label(f"{period}_caption", language))


__all__ = ["STATEMENT_ROWS", "investment_table", "operating_costs_table", "revenue_table", "statements_table",
           "cash_flow_table"]
