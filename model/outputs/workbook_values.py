"""The workbook's values sheets: the Monte Carlo, stress cases, tornado, audit and integrity checks.

These are results of many engine runs (or of the study's own figures), not formulas: each
sheet says so in its first row, and they do not move when an input cell is changed. The
numbers come from :func:`model.risk.analysis.analyse` (the report's trials and seed unless
an analysis is passed in) and :func:`model.audit.claims_for` (the audit computed once while the
scenario files stay unchanged); money in CNY.
"""

from __future__ import annotations

import math
from typing import Sequence

import pandas as pd

from ..audit import claims_for, claims_table
from ..audit.compare import Claim
from ..core.evaluation import Result
from ..risk.analysis import REPORT_SEED, REPORT_TRIALS, UNITS, RiskAnalysis, analyse
from .workbook_grid import VALUES_NOTE, Styles, write_value

SHEETS = ("montecarlo", "stress", "tornado", "audit", "checks")
#: Number format unit of each column (the risk tables' own units; the rest is text or plain numbers).
COLUMN_UNITS = {
    **{k: "CNY" for k in ("npv", "npv_change", "first_year_net_change", "stated_impact", "npv_low", "npv_high",
                          "swing", "base_npv", "value_cny")},
    "irr": "fraction", "probability": "fraction", "payback_months": "months",
}


def risk_analysis(result: Result, analysis: RiskAnalysis | None) -> RiskAnalysis:
    """The analysis passed in, else the report's (``REPORT_TRIALS`` trials, seed ``REPORT_SEED``)."""
    return analysis if analysis is not None else analyse(result.scenario, trials=REPORT_TRIALS, seed=REPORT_SEED)


def _frame(sheet, frame: pd.DataFrame, top: int, styles: Styles,
           never: str = "n/a") -> int:
    """A table with its header at row ``top``; text cells as text. Returns the row after it."""
    for c, column in enumerate(frame.columns):
        unit = UNITS.get(column, COLUMN_UNITS.get(column, ""))
        sheet.write_string(top, c, f"{column} ({unit})" if unit else str(column), styles.header)
    for r, row in enumerate(frame.itertuples(index=False), start=top + 1):
        for c, (column, value) in enumerate(zip(frame.columns, row)):
            if column not in COLUMN_UNITS and isinstance(value, float) and math.isnan(value):
                value = None  # a text column's missing entry (the base case has no risk): blank
            fmt = styles.number(COLUMN_UNITS[column]) if column in COLUMN_UNITS else styles.text
            write_value(sheet, r, c, value, fmt, never="never" if column == "payback_months" else never)
    return top + 1 + len(frame)


def _note(sheet, text: str, styles: Styles, width: int) -> None:
    sheet.write_string(0, 0, f"{VALUES_NOTE}: {text}", styles.note)
    sheet.set_column(0, width - 1, 18)
    sheet.freeze_panes(2, 1)


def write_montecarlo(sheet, analysis: RiskAnalysis, styles: Styles) -> None:
    mc = analysis.montecarlo
    _note(sheet, f"Monte Carlo of NPV (CNY), IRR (annual) and payback (months), {mc.trials:,} trials, seed {mc.seed}"
                 + (", mitigations in place" if mc.mitigated else ""), styles, 4)
    summary = mc.summary.rename_axis("statistic").reset_index()
    end = _frame(sheet, summary, 1, styles, never="never")
    facts = pd.DataFrame([
        ("P(NPV < 0)", mc.prob_npv_negative), ("share of trials never paying back within the horizon",
                                              mc.payback_never),
        ("trials", mc.trials), ("seed", mc.seed), ("trials with no IRR", mc.irr_undefined),
        ("deterministic NPV (CNY)", analysis.base_npv),
        ("expected NPV over the register's risk events (CNY)", analysis.expected_npv),
        ("expected NPV, every mitigation in place (CNY)", analysis.expected_npv_mitigated),
    ], columns=["measure", "value"])
    top = end + 1
    sheet.write_string(top, 0, "measure", styles.header)
    sheet.write_string(top, 1, "value", styles.header)
    for r, (measure, value) in enumerate(facts.itertuples(index=False), start=top + 1):
        sheet.write_string(r, 0, measure)
        unit = "fraction" if measure.startswith(("P(", "share")) else "CNY" if "CNY" in measure else ""
        write_value(sheet, r, 1, value, styles.number(unit))
    sheet.set_column(0, 0, 44)


def write_table(sheet, frame: pd.DataFrame, what: str, styles: Styles) -> None:
    _note(sheet, what, styles, max(len(frame.columns), 1))
    _frame(sheet, frame, 1, styles)
    sheet.set_column(0, 1, 30)


def write_audit(sheet, claims: Sequence[Claim], styles: Styles) -> None:
    _note(sheet, "the source study's claims that concern this scenario, recomputed with the model (model.audit)",
          styles, 8)
    frame = claims_table(claims)
    if len(frame):
        _frame(sheet, frame, 1, styles)
    else:
        sheet.write_string(1, 0, "no claim of the study concerns this scenario", styles.text)
    sheet.set_column(2, 2, 60)
    sheet.set_column(7, 7, 80)


def write_checks(sheet, result: Result, analysis: RiskAnalysis, styles: Styles) -> None:
    checks = [*result.checks, *analysis.checks]
    _note(sheet, "the model's integrity checks; the master check passes when every one does", styles, 3)
    sheet.write_string(1, 0, "master check", styles.bold)
    sheet.write_string(1, 1, "pass" if all(c.ok for c in checks) else "FAIL", styles.bold)
    frame = pd.DataFrame([(c.name, "pass" if c.ok else "FAIL", c.detail) for c in checks],
                         columns=["check", "status", "detail"])
    _frame(sheet, frame, 3, styles)
    sheet.set_column(0, 0, 60)
    sheet.set_column(2, 2, 50)


def write_values(sheets: dict, result: Result, analysis: RiskAnalysis, claims: Sequence[Claim] | None,
                 styles: Styles) -> None:
    """Every values sheet; ``claims``: the whole audit (default :func:`~model.audit.audit`), of which the sheet shows those
    that concern this scenario."""
    write_montecarlo(sheets["montecarlo"], analysis, styles)
    write_table(sheets["stress"], analysis.stress,
                "each risk of the register at full strength, alone (unmitigated and mitigated) and all together",
                styles)
    write_table(sheets["tornado"], analysis.tornado,
                "NPV (CNY) with each uncertain input at its low and its high, the others at base; largest swing first",
                styles)
    write_audit(sheets["audit"], claims_for(result.scenario, claims), styles)
    write_checks(sheets["checks"], result, analysis, styles)


__all__ = ["SHEETS", "risk_analysis", "write_values"]
