"""The Excel workbook of one scenario, for checking the model's arithmetic in a spreadsheet.

Sheets: ``assumptions`` (every input with unit, source and basis), ``monthly`` and ``annual``
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


def write_workbook(result: Result, path: str | Path) -> Path:
    """Write the workbook of ``result`` to ``path`` (.xlsx, via openpyxl); returns the path."""
    path = Path(path)
    checks = pd.DataFrame([{"check": c.name, "ok": c.ok, "detail": c.detail} for c in result.checks])
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        assumptions_frame(result).to_excel(writer, sheet_name="assumptions", index=False)
        with_units(result.monthly).to_excel(writer, sheet_name="monthly", index=False)
        with_units(result.annual).to_excel(writer, sheet_name="annual", index=False)
        metrics_frame(result).to_excel(writer, sheet_name="metrics", index=False)
        checks.to_excel(writer, sheet_name="checks", index=False)
    return path
