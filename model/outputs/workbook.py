"""The Excel workbook of one scenario, for checking the model's arithmetic in a spreadsheet.

Sheets: ``assumptions`` (every input with unit, source and basis), ``statements`` (the annual
income statement and free cash flow with a total), ``monthly`` and ``annual``
(every cash-flow line, CNY per period, units in the headers), ``metrics`` (both
conventions, with units and notes) and ``checks``. Numbers are plain CNY floats so that
Excel formulas can be laid over them.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.evaluation import Result, with_units
from ..core.metrics import METRIC_UNITS
from .labels import label
from .tables import STATEMENT_ROWS


def assumptions_frame(result: Result) -> pd.DataFrame:
    """Every input of the scenario: path, value (CNY, fractions), unit, source, basis, note, file."""
    return pd.DataFrame([
        {"input": a.path, "value": a.value, "unit": a.unit, "meaning": a.help, "source": a.source,
         "basis": a.basis, "note": a.note, "set in": a.file}
        for a in result.scenario.assumptions.values()
    ])


def metrics_frame(result: Result) -> pd.DataFrame:
    """Every metric in the monthly convention, and in the study's annual one where it has one."""
    study = result.metrics_annual
    return pd.DataFrame([
        {"metric": name, "label": label(f"{name}_full"), "value (monthly convention)": value,
         "value (study's annual convention)": study.get(name), "unit": METRIC_UNITS[name],
         "note": result.notes.get(name)}
        for name, value in result.metrics.items()
    ])


def statements_frame(result: Result) -> pd.DataFrame:
    """The annual income statement and free cash flow (finance layout, CNY, costs negative) with a total."""
    table = result.annual
    rows = {label(name): [*table[line].to_numpy(), table[line].sum()] for line, name, always in STATEMENT_ROWS
            if always or table[line].any()}
    columns = [f"year {int(y)} (CNY)" for y in table["year"]] + ["total (CNY)"]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns).rename_axis("line").reset_index()


def write_workbook(result: Result, path: str | Path) -> Path:
    """Write the workbook of ``result`` to ``path`` (.xlsx, via openpyxl); returns the path."""
    path = Path(path)
    checks = pd.DataFrame([{"check": c.name, "ok": c.ok, "detail": c.detail} for c in result.checks])
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        assumptions_frame(result).to_excel(writer, sheet_name="assumptions", index=False)
        statements_frame(result).to_excel(writer, sheet_name="statements", index=False)
        with_units(result.monthly).to_excel(writer, sheet_name="monthly", index=False)
        with_units(result.annual).to_excel(writer, sheet_name="annual", index=False)
        metrics_frame(result).to_excel(writer, sheet_name="metrics", index=False)
        checks.to_excel(writer, sheet_name="checks", index=False)
    return path
