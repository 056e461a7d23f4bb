"""The ``tax`` and ``annual`` sheets: income tax with loss carry-forward, and the annual statements.

``tax`` follows :func:`model.core.tax.income_tax`: per model year (year 1 = months 0-12, year
k = months 12k−11..12k) the EBIT is summed from ``monthly``; a loss year pays nothing and
adds its loss to the pool; a profit year uses the losses of the previous
``tax.loss_carryforward_years`` years still unused, oldest first. Three small tables (years
down, years across) hold the loss of each year still available, the part used in each later
year, and the profit left after each use; the ``monthly`` sheet charges the tax in the last
month of each year.

``annual`` is the statement: each line the SUMIFS of its monthly column by year (year 0 =
month 0, year k = months 12(k−1)+1..12k — :func:`model.core.metrics.annual_sums`), in the
order of :data:`model.outputs.tables.STATEMENT_ROWS`, then memo lines, discounting at the
annual rate (year 0 undiscounted), running totals and the payback steps of the annual metrics.
"""

from __future__ import annotations

import numpy as np
from xlsxwriter.utility import xl_col_to_name as _col

from ..core.evaluation import Result
from ..core.tax import tax_years
from .labels import LABELS
from .tables import STATEMENT_ROWS
from .workbook_grid import Axis, Line, Styles, cached, running_lines, running_values, write_lines
from .workbook_monthly import TAX_SHEET_SPAN

TAX_SHEET, ANNUAL_SHEET = "tax", "annual"
TAX_FIRST_COL = 2  # column A: the line, B: the earlier year e of the loss tables, C..: the tax years
MEMO_LINES = ("users", "new_users", "churned_users", "community_revenue", "exclusive_premium", "baseline_revenue",
              "incremental_revenue", "investment_tech", "investment_labour", "investment_content", "total_benefit",
              "total_cost")
NOT_SUMMED = {"users", "year", "last_month"}  # lines whose total over the years means nothing


def _tax_values(result: Result) -> dict[str, np.ndarray]:
    """The tax tables in numpy, in :func:`~model.core.tax.income_tax`'s own order of operations."""
    ebit = result.monthly["ebit"].to_numpy()
    years = tax_years(len(ebit))
    profit = np.array([ebit[s].sum() for s in years])
    n, keep = len(years), int(result.scenario["tax.loss_carryforward_years"])
    avail, used, left = np.zeros((n, n)), np.zeros((n, n)), np.zeros((n, n))
    losses = np.zeros(n)
    for y in range(n):
        remaining = max(profit[y], 0.0)
        for e in range(n):
            if e < y:
                avail[e, y] = losses[e]
                if e >= y - keep:
                    used[e, y] = min(losses[e], remaining)
                    losses[e] -= used[e, y]
            remaining -= used[e, y]
            left[e, y] = remaining
        losses[y] = max(-profit[y], 0.0)
    return {"profit": profit, "avail": avail, "used": used, "left": left}


def write_tax(book, sheet, result: Result, monthly: Axis, styles: Styles) -> None:
    """The tax sheet; defines :data:`~.workbook_monthly.TAX_SHEET_SPAN`, the taxable profit of each tax year."""
    v = _tax_values(result)
    n = len(v["profit"])
    col = [TAX_FIRST_COL + y for y in range(n)]
    sheet.write_string(0, 0, "Income tax per model year (year 1 = months 0-12, year k = months 12k−11..12k): taxable "
                             "profit = EBIT less the unused losses of the previous tax.loss_carryforward_years years, "
                             "oldest first (CNY)", styles.title)
    sheet.write_string(1, 0, "line", styles.header)
    sheet.write_string(1, 1, "earlier year e", styles.header)
    rows = {"year": 2, "last_month": 3, "ebit": 4, "profit": 5, "loss": 6}
    avail0, used0, left0 = 8, 9 + n, 10 + 2 * n
    taxable, due = 10 + 3 * n, 11 + 3 * n
    money = styles.number("CNY")

    def ref(row: int, y: int, absolute_row: bool = False) -> str:
        return f"{'$' if absolute_row else ''}{_col(col[y])}{'$' if absolute_row else ''}{row + 1}"

    titles = {"year": "Tax year", "last_month": "Paid in month", "ebit": "EBIT (profit after depreciation)",
              "profit": "Profit before losses (≥ 0)", "loss": "Loss created this year (≥ 0)"}
    for key, row in rows.items():
        sheet.write_string(row, 0, titles[key], styles.bold if key == "year" else styles.plain)
    for title, row in (("Loss of year e still available at the start of this year", avail0 - 1),
                       ("Loss of year e used this year", used0 - 1), ("Profit left after the losses of years up to e",
                                                                       left0 - 1)):
        sheet.write_string(row, 0, title, styles.bold)
    sheet.write_string(taxable, 0, "Taxable profit", styles.bold)
    sheet.write_string(due, 0, "Income tax due (paid in the year's last month)", styles.bold)
    for y in range(n):
        sheet.write_string(1, col[y], f"tax year {y + 1}", styles.header)
        year = ref(rows["year"], y, True)
        sheet.write_formula(rows["year"], col[y], "=1" if y == 0 else f"={ref(rows['year'], y - 1)}+1", styles.bold,
                            y + 1)
        sheet.write_formula(rows["last_month"], col[y], f"=MIN(12*{year},timeline_horizon_months)",
                            styles.number("month"), min(12 * (y + 1), len(result.monthly) - 1))
        sheet.write_formula(rows["ebit"], col[y], f"=SUMIFS({monthly.span('ebit')},{monthly.span('tax_year')},{year})",
                            money, v["profit"][y])
        sheet.write_formula(rows["profit"], col[y], f"=MAX({ref(rows['ebit'], y)},0)", money, max(v["profit"][y], 0.0))
        sheet.write_formula(rows["loss"], col[y], f"=MAX(0-{ref(rows['ebit'], y)},0)", money,
                            max(-v["profit"][y], 0.0))
    for e in range(n):
        for row0, what in ((avail0, "available"), (used0, "used"), (left0, "left")):
            sheet.write_string(row0 + e, 0, f"loss of tax year {e + 1}: {what}" if what != "left"
                               else f"after the losses of tax years 1-{e + 1}")
            sheet.write_number(row0 + e, 1, e + 1, styles.number("year"))
        for y in range(n):
            before = ref(rows["profit"], y) if e == 0 else ref(left0 + e - 1, y)  # profit left before year e's loss
            if y <= e:  # a loss is used only in later years
                avail, used = "=0", "=0"
            else:
                avail = f"={ref(rows['loss'], e)}" if y == e + 1 \
                    else f"={ref(avail0 + e, y - 1)}-{ref(used0 + e, y - 1)}"
                used = (f"=IF($B{used0 + e + 1}>={ref(rows['year'], y, True)}-tax_loss_carryforward_years,"
                        f"MIN({ref(avail0 + e, y)},{before}),0)")
            sheet.write_formula(avail0 + e, col[y], avail, money, v["avail"][e, y])
            sheet.write_formula(used0 + e, col[y], used, money, v["used"][e, y])
            sheet.write_formula(left0 + e, col[y], f"={before}-{ref(used0 + e, y)}", money, v["left"][e, y])
    for y in range(n):
        sheet.write_formula(taxable, col[y], f"={ref(left0 + n - 1, y)}", money, v["left"][n - 1, y])
        sheet.write_formula(due, col[y], f"={ref(taxable, y)}*tax_income_tax_rate", money,
                            v["left"][n - 1, y] * float(result.scenario["tax.income_tax_rate"]))
    book.define_name(TAX_SHEET_SPAN, f"={TAX_SHEET}!${_col(col[0])}${taxable + 1}:${_col(col[-1])}${taxable + 1}")
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 1, 8)
    sheet.set_column(TAX_FIRST_COL, TAX_FIRST_COL + n, 16)
    sheet.freeze_panes(2, TAX_FIRST_COL)


def annual_lines(monthly: Axis) -> list[Line]:
    """The annual sheet's lines: the statements (finance order), memo lines, discounting and payback steps."""
    def summed(key: str, source: str | None = None, name: str | None = None) -> Line:
        formula = f"SUMIFS({monthly.span(source or key)},{monthly.span('year')},[year])"
        return Line(key, LABELS[name or key]["en"], "CNY", formula, formula)

    lines = [Line("year", "Year", "year", "0", "[year-1]+1"),
             Line("last_month", "Last month of the year", "month", "MIN(12*[year],timeline_horizon_months)",
                  "MIN(12*[year],timeline_horizon_months)", helper=True)]
    seen: set[str] = set()
    for line, name, _ in STATEMENT_ROWS:
        if line in seen:  # carried down into the free-cash-flow statement
            lines.append(Line(f"{line}_carried", LABELS[name]["en"], "CNY", f"[{line}]", f"[{line}]"))
            continue
        seen.add(line)
        lines.append(summed(line, "counted_revenue" if line == "revenue" else line, name))
    users = f"SUMIFS({monthly.span('users')},{monthly.span('month')},[last_month])"
    lines.append(Line("users", "Users at the year's end", "users", users, users))
    lines += [Line(k, LABELS[k]["en"], "users", *(2 * [f"SUMIFS({monthly.span(k)},{monthly.span('year')},[year])"]))
              for k in ("new_users", "churned_users")]
    lines += [summed(k) for k in MEMO_LINES if k not in {"users", "new_users", "churned_users"}]
    return lines + running_lines("finance_discount_rate_annual", "year")


def annual_values(result: Result) -> dict[str, np.ndarray]:
    """Cached values of the annual sheet: the model's annual table, the periods and the running lines."""
    annual = result.annual
    years = annual["year"].to_numpy(dtype=float)
    out = {column: annual[column].to_numpy() for column in annual.columns if column != "phase"}
    out.update({f"{k}_carried": out[k] for k in ("ebitda", "income_tax")})
    factors = np.power(1.0 + float(result.scenario["finance.discount_rate_annual"]), -years)
    out.update(running_values(out["net_cash_flow"], factors, years))
    out.update(year=years, last_month=np.minimum(12 * years, len(result.monthly) - 1))
    return out


def write_annual(sheet, result: Result, monthly: Axis, styles: Styles) -> Axis:
    """The annual statement sheet (years across, a total column); returns where its lines are."""
    lines = annual_lines(monthly)
    periods = len(result.annual)
    axis = Axis(ANNUAL_SHEET, [line.key for line in lines], periods, False, 1, 3)
    headers = ["line", "label", "unit", *(f"year {y}" for y in range(periods)), "total"]
    for c, text in enumerate(headers):
        sheet.write_string(0, c, text, styles.header)
    values = annual_values(result)
    write_lines(sheet, axis, lines, values, styles)
    for line in lines:
        row, _ = axis.rc(line.key, 0)
        fmt = styles.number(line.unit, helper=line.helper)
        sheet.write_string(row, 0, line.key, fmt)
        sheet.write_string(row, 1, line.label or LABELS.get(line.key, {"en": line.key})["en"], fmt)
        sheet.write_string(row, 2, line.unit, fmt)
        if line.unit in ("CNY", "users") and line.key not in NOT_SUMMED and not line.key.startswith("cumulative"):
            sheet.write_formula(row, 3 + periods, f"=SUM({axis.span(line.key, sheet=False)})", fmt,
                                cached(float(np.sum(values[line.key]))))
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, 44)
    sheet.set_column(2, 2, 7)
    sheet.set_column(3, 3 + periods, 16)
    sheet.freeze_panes(2, 3)
    return axis


__all__ = ["TAX_SHEET", "ANNUAL_SHEET", "write_tax", "annual_lines", "annual_values", "write_annual"]
