"""The live Excel workbook of one scenario: the model rebuilt as formulas a finance reviewer can audit and change.

Sheets, in the order the numbers flow:

- ``summary``: the scenario, the verdict and the key metrics (formulas on ``metrics``), money
  also in 万元, and the provenance a sign-off needs (model version, scenario hash, render date);
- ``inputs``: every input (``Scenario.assumptions``, then the one-off costs) with meaning,
  value, unit, source, basis, note and the file that set it. Each value cell (light yellow,
  blue) has a workbook-level defined name, its dotted path with ``_`` for ``.``
  (``revenue_community_conversion``). Inputs that shape the formulas (the horizon, the
  capitalised lines) say "changing this input needs a re-render"; every other input is live;
- ``monthly`` (:mod:`.workbook_monthly`), ``tax`` and ``annual`` (:mod:`.workbook_annual`):
  every line of the engine as a formula of the named inputs and earlier cells;
- ``metrics`` (:mod:`.workbook_metrics`): NPV, IRR, MIRR, payback … with defined names
  ``npv``, ``npv_annual``, ``irr``, ``irr_annual``, ``mirr``, ``payback_months`` (and the others);
  ``irr_search`` (:mod:`.workbook_irr`): IRR()'s starting point, found by the model's rule;
- ``montecarlo``, ``stress``, ``tornado``, ``audit``, ``checks`` (:mod:`.workbook_values`):
  values computed by the model, not formulas (their first row says so).

Money: the calculation sheets hold and show yuan (CNY, format ``#,##0``; headers say CNY), so
that every formula and metric is exact in the model's unit. Excel has no number format that
scales by 10⁴, so 万元 appear only in presentation cells — the summary's 万元 column and its
annual block — whose formulas divide by 10,000 and whose headers say 万元. Users whole
(``#,##0``), rates as percentages with one decimal (``0.0%``).

Every formula is written with the model's value as its cached result, so readers that do not
recalculate (openpyxl with ``data_only=True``, pandas, previews) see the model's numbers;
Excel and LibreOffice recalculate on load. Text from scenario files (names, descriptions,
sources, notes) is written with ``write_string`` only: it is never read as a formula.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Sequence

import xlsxwriter

from ..audit.compare import Claim
from ..core.evaluation import Result
from ..core.verdict import decide
from ..inputs.schema import FIELDS, field_of, one_off_path
from ..risk.analysis import RiskAnalysis
from .labels import LABELS, label
from .summary import provenance
from .workbook_annual import ANNUAL_SHEET, TAX_SHEET, write_annual, write_tax
from .workbook_grid import RERENDER_NOTE, FormulaSheet, Styles, cached, input_name, write_lines
from .workbook_irr import SHEET as IRR_SHEET, write_irr_search
from .workbook_metrics import write_metrics
from .workbook_monthly import SHEET as MONTHLY_SHEET, helper_values, line_label, monthly_axis, monthly_lines
from .workbook_values import SHEETS as VALUE_SHEETS, risk_analysis, write_values

SHEETS = ("summary", "inputs", MONTHLY_SHEET, TAX_SHEET, ANNUAL_SHEET, "metrics", IRR_SHEET, *VALUE_SHEETS)
#: Inputs that shape the formulas: baked in when the workbook is written.
STRUCTURAL = ("timeline.horizon_months", "tax.capitalised")
INPUT_HEADERS = ("input", "meaning", "value", "unit", "source", "basis", "note", "set in", "defined name", "re-render")
INPUT_TOP = 3  # rows 1-2: notes; row 3: headers


def _input_rows(result: Result) -> list[tuple]:
    """(path, meaning, value, unit, source, basis, note, file) of every input: the schema's, then the one-off costs."""
    rows = [(a.path, a.help, a.value, a.unit, a.source, a.basis, a.note, a.file)
            for a in result.scenario.assumptions.values()]
    extensions = result.scenario.extensions
    own = {cost.name: cost for cost in extensions.get("one_off_costs", ())}
    risky = {risk.one_off.name: risk for risk in extensions.get("risks", ()) if risk.one_off is not None}
    for path, value in result.scenario.values.items():
        found = one_off_path(path)
        if found is None:
            continue
        name, part = found
        spec, cost = field_of(path), own.get(name)
        if cost is not None:
            rows.append((path, f"{spec.help} ({name})", value, spec.unit, cost.source, cost.basis, cost.note, None))
        else:
            rows.append((path, f"{spec.help} ({name})", value, spec.unit, None, "ours",
                         f"the one-off cost of the risk {risky[name].key}: 0 here, its impact adds it in the stress "
                         "cases and the Monte Carlo" if name in risky and part == "amount" else None, None))
    return rows


def _input_unit(path: str) -> str:
    """The number format of an input's cell: rates as percentages, money and users with separators."""
    spec = field_of(path)
    return {"rate": "fraction", "money": "money"}.get(spec.kind, "users" if spec.unit == "users" else "")


def write_inputs(book, sheet, result: Result, used: set[str], styles: Styles) -> None:
    """The inputs sheet: one row per input, each value cell named by its dotted path (``.`` → ``_``)."""
    sheet.write_string(0, 0, "Inputs: the yellow cells are the scenario's inputs. Each has a defined name (column I) "
                             "that the formulas use: change a value and the workbook recalculates.", styles.bold)
    sheet.write_string(1, 0, f"Marked \"{RERENDER_NOTE}\": the input shapes the formulas (rows, capitalised lines) "
                             "— change it in the scenario file and render again.", styles.note)
    for c, text in enumerate(INPUT_HEADERS):
        sheet.write_string(INPUT_TOP - 1, c, text, styles.header)
    for r, (path, meaning, value, unit, source, basis, note, file) in enumerate(_input_rows(result), start=INPUT_TOP):
        name = input_name(path)
        sheet.write_string(r, 0, path, styles.bold)
        sheet.write_string(r, 1, meaning or "", styles.text)
        _write_input(sheet, r, value, styles.number(_input_unit(path), input=True))
        spec = FIELDS.get(path)
        if spec is not None and spec.kind in ("choice", "flag"):
            options = list(spec.choices) if spec.kind == "choice" else ["TRUE", "FALSE"]
            sheet.data_validation(r, 2, r, 2, {"validate": "list", "source": options})
        for c, text in enumerate((unit, source, basis, note, file), start=3):
            sheet.write_string(r, c, text or "", styles.text)
        book.define_name(name, f"=inputs!$C${r + 1}")
        sheet.write_string(r, 8, name)
        status = RERENDER_NOTE if path in STRUCTURAL else "" if name in used else "not used by the formulas"
        sheet.write_string(r, 9, status, styles.note)
    for c, width in enumerate((44, 50, 16, 16, 34, 9, 50, 28, 44, 30)):
        sheet.set_column(c, c, width)
    sheet.freeze_panes(INPUT_TOP, 1)


def _write_input(sheet, row: int, value, fmt) -> None:
    """An input's value: a number, a switch (TRUE/FALSE), a text, a list as ``a, b`` text, or blank when unset."""
    if isinstance(value, tuple):
        sheet.write_string(row, 2, ", ".join(value) if value else "(none)", fmt)
    elif value is None:
        sheet.write_blank(row, 2, None, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, 2, value, fmt)
    elif isinstance(value, str):
        sheet.write_string(row, 2, value, fmt)
    else:
        sheet.write_number(row, 2, float(value), fmt)


def write_monthly(sheet, result: Result, styles: Styles):
    """The monthly sheet; returns its :class:`~.workbook_grid.Axis`."""
    lines = monthly_lines(result)
    axis = monthly_axis(lines, int(result.scenario["timeline.horizon_months"]))
    values = {**helper_values(result), **{c: result.monthly[c].to_numpy() for c in result.monthly.columns}}
    for line in lines:
        _, col = axis.rc(line.key, 0)
        sheet.write_string(0, col, line.key, styles.header)
        sheet.write_string(1, col, line_label(line), styles.header)
        sheet.set_column(col, col, 9 if line.key == "month" else 12 if line.helper else 15)
    write_lines(sheet, axis, lines, values, styles)
    sheet.set_row(1, 48)
    sheet.freeze_panes(2, 1)
    return axis


def _verdict_formula(result: Result, net: str) -> str:
    """The decision rule of :func:`model.core.verdict.decide` on the metrics' cells; ``net``: the monthly flows."""
    if result.metrics["irr_ambiguous"]:  # several IRRs: the rule reads the MIRR (as written; re-render if it changes)
        irr_rule = "IFERROR(mirr>finance_discount_rate_annual,FALSE)"
    else:
        irr_rule = f'OR(IFERROR(irr>finance_discount_rate_annual,FALSE),AND(COUNTIF({net},"<0")=0,npv>0))'
    return (f"=IF(AND(npv>0,{irr_rule},IFERROR(payback_months<=finance_payback_target_months,FALSE)),"
            f'"{label("feasible")}","{label("not_feasible")}")')


def write_summary(sheet, result: Result, monthly, annual, styles: Styles) -> None:
    """The cover: scenario, verdict, key metrics (CNY and 万元), annual free cash flow in 万元, provenance."""
    scenario, m = result.scenario, result.metrics
    sheet.write_string(0, 0, "Community-marketing feasibility workbook", styles.title)
    rows = [("scenario", scenario.name), ("description", scenario.description), ("file", scenario.file)]
    for r, (key, text) in enumerate(rows, start=1):
        sheet.write_string(r, 0, key, styles.bold)
        sheet.write_string(r, 1, text, styles.text)
    verdict = _verdict_formula(result, monthly.span("net_cash_flow"))
    sheet.write_string(5, 0, "verdict", styles.bold)
    sheet.write_formula(5, 1, verdict, styles.get(bold=True, font_size=12),
                        label("feasible" if decide(result).feasible else "not_feasible"))
    sheet.write_string(6, 0, "rule: NPV > 0, IRR > the discount rate (MIRR where the flows have several IRRs), "
                             "payback within the target", styles.note)
    for c, text in enumerate(("metric", "value", "万元", "unit")):
        sheet.write_string(8, c, text, styles.header)
    facts = [("npv", "CNY"), ("npv_annual", "CNY"), ("irr", "fraction"), ("irr_annual", "fraction"),
             ("mirr", "fraction"), ("payback_months", "months"), ("discounted_payback_months", "months"),
             ("total_investment", "CNY"), ("peak_funding_need", "CNY")]
    for r, (name, unit) in enumerate(facts, start=9):
        sheet.write_string(r, 0, label(f"{name}_full") if f"{name}_full" in LABELS else name)
        shown = m[name] if math.isfinite(m[name]) else "n/a"
        sheet.write_formula(r, 1, f'=IFERROR({name},"n/a")', styles.number(unit), cached(shown))
        if unit == "CNY":
            sheet.write_formula(r, 2, f'=IFERROR({name}/10000,"n/a")', styles.number("wan"),
                                cached(m[name] / 1e4 if math.isfinite(m[name]) else "n/a"))
        sheet.write_string(r, 3, unit)
    top = 9 + len(facts) + 1
    _annual_block(sheet, result, annual, top, styles)
    top += 5
    sheet.write_string(top, 0, "provenance", styles.header)
    for r, (key, text) in enumerate(provenance(result).items(), start=top + 1):
        sheet.write_string(r, 0, key, styles.bold)
        sheet.write_string(r, 1, text)
    notes = ("Inputs are the yellow cells of 'inputs'; 'monthly', 'tax', 'annual' and 'metrics' are formulas of them "
             "(CNY). Excel and LibreOffice recalculate on opening.",
             "'monthly': month 0 is the investment instant (investment, initial users, no operating flows); months "
             "1..H are end-of-month flows; grey columns are steps of a calculation.",
             "'montecarlo', 'stress', 'tornado', 'audit' and 'checks' hold values computed by the model: they do not "
             "move when an input is changed.")
    for r, text in enumerate(notes, start=top + 5):
        sheet.write_string(r, 0, text, styles.note)
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 1, 60)
    sheet.set_column(2, 8, 14)


def _annual_block(sheet, result: Result, annual, top: int, styles: Styles) -> None:
    """Revenue, EBITDA and free cash flow by year in 万元 (presentation: annual / 10,000)."""
    years = len(result.annual)
    sheet.write_string(top, 0, "by year (万元)", styles.header)
    for y in range(years):
        sheet.write_string(top, 1 + y, f"year {y}", styles.header)
    for r, key in enumerate(("revenue", "ebitda", "net_cash_flow"), start=top + 1):
        sheet.write_string(r, 0, f"{label('free_cash_flow' if key == 'net_cash_flow' else key)} (万元)")
        for y in range(years):
            sheet.write_formula(r, 1 + y, f"={annual.ref(key, y)}/10000", styles.number("wan"),
                                cached(float(result.annual[key].iloc[y]) / 1e4))


def write_workbook(result: Result, path: str | Path, *, analysis: RiskAnalysis | None = None,
                   claims: Sequence[Claim] | None = None) -> Path:
    """Write the live workbook of ``result`` to ``path`` (.xlsx, via XlsxWriter); returns the path.

    ``analysis``: the scenario's risk analysis, if already computed (else the report's:
    ``REPORT_TRIALS`` trials, seed ``REPORT_SEED``, about 0.2-0.5 s); ``claims``:
    the whole audit (``model.audit.audit()``), if already computed (else computed once per state of the
    scenario files, :func:`~model.audit.audit`) — the sheet keeps those that concern this scenario.
    """
    path = Path(path)
    analysis = risk_analysis(result, analysis)
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                           "strings_to_numbers": False})
    try:
        book.set_properties({"title": "Feasibility workbook", "subject": result.scenario.file})
        styles = Styles(book)
        sheets = {name: book.add_worksheet(name, FormulaSheet) for name in SHEETS}
        monthly = write_monthly(sheets[MONTHLY_SHEET], result, styles)
        write_tax(book, sheets[TAX_SHEET], result, monthly, styles)
        annual = write_annual(sheets[ANNUAL_SHEET], result, monthly, styles)
        write_metrics(book, sheets["metrics"], result, monthly, annual, styles)
        write_irr_search(book, sheets[IRR_SHEET], result, monthly, annual, styles)
        write_summary(sheets["summary"], result, monthly, annual, styles)
        write_inputs(book, sheets["inputs"], result, _names_used(sheets.values()), styles)
        write_values(sheets, result, analysis, claims, styles)
        sheets["summary"].activate()
    finally:
        book.close()
    return path


def _names_used(sheets) -> set[str]:
    """Every name in the formulas written so far (XlsxWriter keeps each sheet's cells until it closes)."""
    text = " ".join(getattr(cell, "formula", None) or "" for sheet in sheets for row in sheet.table.values()
                    for cell in row.values())
    return set(re.findall(r"[^\W\d]\w*", text))


__all__ = ["SHEETS", "STRUCTURAL", "write_workbook", "write_inputs", "write_summary"]
