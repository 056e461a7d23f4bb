"""The live workbook recalculated by LibreOffice gives the model's numbers, before and after a reviewer changes inputs.

Every shipped scenario's workbook, the same with two input cells changed (community conversion
and the discount rate, set with openpyxl) and two cases that switch on what the shipped ones leave
off (levers, terminal value, one-off costs, loss carry-forward, several IRRs …) go through ONE
headless LibreOffice conversion, xlsx → xlsx, recalculating every formula on load (a private
profile sets OOXMLRecalcMode to "always"). The base workbook's cached NPV is made wrong first:
only a recalculation can give the model's back. Then: the six metrics to 1e-9 relative against
``evaluate()`` and, for the changed inputs, against ``feasibility run FILE --set … --json``; every
monthly and annual line against the model; NaN in the model ↔ an Excel error (#N/A, #NUM!).

In CI (``CI=true``) a missing LibreOffice fails these tests; elsewhere it skips them
(``./project test`` installs Debian's libreoffice-calc-nogui).
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from conftest import ROOT, SCENARIOS
from model.audit import audit
from model.core.evaluation import evaluate
from model.inputs.scenario import load_scenario
from model.outputs.workbook import write_workbook
from model.risk.analysis import analyse

SOFFICE = Path("/usr/bin/soffice")
SIX = ("npv", "npv_annual", "irr", "irr_annual", "mirr", "payback_months")
RTOL = 1e-9
WRONG_NPV = 123456789.0
#: What LibreOffice's profile says: recalculate every formula of an xlsx (and ods) file on load.
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""
#: Cases that exercise what the shipped scenarios leave off: scenario → overrides.
FEATURES = {
    "features_base": ("base", {
        "levers.saas_scrm.enabled": True, "levers.part_time_staff.enabled": True,
        "levers.ai_customer_service.enabled": True, "levers.lean_events.enabled": True,
        "terminal_value.method": "gordon", "terminal_value.growth_yearly": "2%", "adoption.uplift_shape": "linear",
        "tax.prices_include_vat": False, "tax.capitalised": ["tech", "content"], "timeline.horizon_months": 40,
        "one_off_costs.audit_fee.amount": "500万", "one_off_costs.audit_fee.month": 14,
        "finance.finance_rate_annual": "6%", "finance.reinvestment_rate_annual": "10%",
        "tax.loss_carryforward_years": 1, "users.cap": 1100000, "revenue.community.conversion": "20%"}),
    "features_study": ("study_head", {  # taxed, ramped, with working capital: its flows have several IRRs
        "tax.income_tax_rate": "25%", "tax.depreciation_years": 5, "timeline.launch_delay_months": 2.3,
        "adoption.uplift_months": 4, "revenue.attribution": "70%", "adoption.coverage.pilot": "50%",
        "timeline.phase_end_month.pilot": 3, "timeline.phase_end_month.rollout": 9,
        "timeline.phase_end_month.optimisation": 12, "revenue.baseline.conversion": "4%",
        "revenue.baseline.purchases_per_year": 10, "revenue.baseline.aov": 120, "revenue.gross_margin": "40%",
        "working_capital.receivable_days": 20, "working_capital.inventory_days": 40,
        "working_capital.payable_days": 10, "tax.vat_rate": "13%", "operating_costs.acquisition.per_new_user": 50,
        "users.growth_monthly.pilot": "5%", "users.churn_monthly.pilot": "3%", "timeline.horizon_months": 60,
        "operating_costs.labour_staffing.users_per_operator": 40000,
        "operating_costs.labour_staffing.operator_cost_yearly": "12万"}),
}


def _require_soffice() -> Path:
    """LibreOffice; in CI a missing one fails the test, elsewhere it skips it."""
    if SOFFICE.exists():
        return SOFFICE
    message = f"the workbook test needs LibreOffice ({SOFFICE}; apt-get install -y libreoffice-calc-nogui)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message + " — in CI it must run, not skip")
    pytest.skip(message)


def changed_inputs(scenario) -> dict[str, float]:
    """The two inputs the test changes: conversion up, the discount rate three points up (exact decimals)."""
    return {"revenue.community.conversion": round(min(0.95, scenario["revenue.community.conversion"] * 1.6 + 0.01), 4),
            "finance.discount_rate_annual": round(scenario["finance.discount_rate_annual"] + 0.03, 4)}


def set_named(path: Path, values: dict[str, float], out: Path) -> None:
    """Change input cells by their defined names, as a reviewer would (openpyxl)."""
    book = openpyxl.load_workbook(path)
    for input_path, value in values.items():
        (sheet, cell), = book.defined_names[input_path.replace(".", "_")].destinations
        book[sheet][cell.replace("$", "")].value = value
    book.save(out)


def spoil_cached_npv(path: Path, out: Path) -> None:
    """A copy whose cached NPV is wrong: only a recalculation can put the model's back."""
    book = openpyxl.load_workbook(path)
    (sheet, cell), = book.defined_names["npv"].destinations
    index = book.sheetnames.index(sheet) + 1
    member = f"xl/worksheets/sheet{index}.xml"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == member:
                text, count = re.subn(rf'(<c r="{cell.replace("$", "")}"[^>]*>\s*<f>[^<]*</f>\s*<v>)[^<]*(</v>)',
                                      rf"\g<1>{WRONG_NPV}\g<2>", data.decode("utf-8"))
                assert count == 1, "the NPV cell was not found in the sheet's XML"
                data = text.encode("utf-8")
            target.writestr(item, data)


def cli_metrics(path: Path, values: dict[str, float]) -> subprocess.Popen:
    """``feasibility run PATH --set … --json``, started (it runs while LibreOffice converts)."""
    command = shutil.which("feasibility", path=str(Path(sys.executable).parent))
    command = [command] if command else [sys.executable, "-m", "model.apps.cli"]
    sets = [arg for p, v in values.items() for arg in ("--set", f"{p}={v!r}")]
    return subprocess.Popen([*command, "run", str(path), *sets, "--json"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """Every workbook written, changed where needed, and recalculated by one LibreOffice run."""
    soffice = _require_soffice()
    folder = tmp_path_factory.mktemp("libreoffice")
    written, recalc, out = folder / "written", folder / "in", folder / "out"
    for f in (written, recalc):
        f.mkdir()
    profile = folder / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    claims = audit()
    cases, cli = {}, {}
    for path in SCENARIOS:
        scenario = load_scenario(path)
        result = evaluate(scenario)
        book = write_workbook(result, written / f"{path.stem}.xlsx", analysis=analyse(scenario, 20, 1),
                              claims=claims)
        if path.stem == "base":  # its cached NPV made wrong: only a recalculation puts the model's back
            spoil_cached_npv(book, recalc / book.name)
        else:
            shutil.copy(book, recalc / book.name)
        cases[path.stem] = result
        changes = changed_inputs(scenario)
        set_named(book, changes, recalc / f"{path.stem}_changed.xlsx")
        cases[f"{path.stem}_changed"] = evaluate(scenario.with_overrides(changes))
        cli[f"{path.stem}_changed"] = cli_metrics(path, changes)
    for name, (stem, overrides) in FEATURES.items():
        result = evaluate(load_scenario(ROOT / "scenarios" / f"{stem}.yaml", overrides))
        write_workbook(result, recalc / f"{name}.xlsx", analysis=analyse(result.scenario, 20, 1), claims=[])
        cases[name] = result
    files = sorted(recalc.glob("*.xlsx"))
    run = subprocess.run([str(soffice), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                          "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), *map(str, files)],
                         capture_output=True, text=True, timeout=600)
    missing = [f.name for f in files if not (out / f.name).exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {run.stdout}\n{run.stderr}"
    printed = {}
    for name, process in cli.items():
        stdout, stderr = process.communicate(timeout=120)
        assert process.returncode == 0, stderr
        printed[name] = json.loads(stdout)
    return {"out": out, "cases": cases, "cli": printed, "spoiled": recalc / "base.xlsx"}


def named_value(book, name: str):
    (sheet, cell), = book.defined_names[name].destinations
    return book[sheet][cell.replace("$", "")].value


def agrees(got, expected) -> bool:
    """A recalculated value equals the model's to 1e-9 relative; the model's NaN (JSON null) is an Excel error."""
    if expected is None or not math.isfinite(expected):
        return isinstance(got, str) and (got.startswith("#") or got.startswith("Err:"))
    return isinstance(got, (int, float)) and abs(got - expected) <= RTOL * max(1.0, abs(expected))


def lines_disagreeing(book, result) -> list[str]:
    """Monthly and annual lines that differ from the model's tables (1e-9 relative, 1e-6 CNY absolute) or hold
    errors."""
    bad = []
    for sheet, table in (("monthly", result.monthly), ("annual", result.annual)):
        rows = list(book[sheet].iter_rows(values_only=True))
        if sheet == "monthly":  # a line per column, months from row 3
            lines = {key: [row[i] for row in rows[2:]] for i, key in enumerate(rows[0])}
        else:  # a line per row, years from column D
            lines = {row[0]: row[3:3 + len(table)] for row in rows[1:]}
        for key, cells in lines.items():
            if any(isinstance(c, str) and c.startswith(("#", "Err:")) for c in cells):
                bad.append(f"{sheet}.{key}: {[c for c in cells if isinstance(c, str)][:2]}")
            elif key in table.columns and key != "phase":
                got, expected = np.array(cells, dtype=float), table[key].to_numpy(dtype=float)
                if not np.allclose(got, expected, rtol=RTOL, atol=1e-6):
                    bad.append(f"{sheet}.{key}: {got[:4]} vs {expected[:4]}")
    return bad


def test_libreoffice_really_recalculates(recalculated):
    spoiled = openpyxl.load_workbook(recalculated["spoiled"], data_only=True)
    assert named_value(spoiled, "npv") == WRONG_NPV  # the base workbook LibreOffice opens has a wrong cached NPV …
    book = openpyxl.load_workbook(recalculated["out"] / "base.xlsx", data_only=True)
    assert agrees(named_value(book, "npv"), recalculated["cases"]["base"].metrics["npv"])  # … LibreOffice corrects


@pytest.mark.parametrize("stem", [p.stem for p in SCENARIOS])
def test_shipped_scenario_recalculates_to_the_model(recalculated, stem):
    result = recalculated["cases"][stem]
    book = openpyxl.load_workbook(recalculated["out"] / f"{stem}.xlsx", data_only=True)
    wrong = {m: (named_value(book, m), result.metrics[m]) for m in SIX if not agrees(named_value(book, m),
                                                                                    result.metrics[m])}
    assert not wrong
    assert lines_disagreeing(book, result) == []


@pytest.mark.parametrize("stem", [p.stem for p in SCENARIOS])
def test_changed_inputs_recalculate_to_the_cli(recalculated, stem):
    name = f"{stem}_changed"
    printed, result = recalculated["cli"][name], recalculated["cases"][name]
    book = openpyxl.load_workbook(recalculated["out"] / f"{name}.xlsx", data_only=True)
    wrong = {m: (named_value(book, m), printed[m]) for m in SIX if not agrees(named_value(book, m), printed[m])}
    assert not wrong
    assert all(agrees(printed[m], result.metrics[m]) or printed[m] is None for m in SIX)  # the CLI is evaluate()
    assert lines_disagreeing(book, result) == []


@pytest.mark.parametrize("name", list(FEATURES))
def test_switched_on_features_recalculate_to_the_model(recalculated, name):
    result = recalculated["cases"][name]
    book = openpyxl.load_workbook(recalculated["out"] / f"{name}.xlsx", data_only=True)
    metrics = {row[0]: (row[2], row[3]) for row in book["metrics"].iter_rows(min_row=2, values_only=True)
               if row[0] in result.metrics}
    study = result.metrics_annual
    wrong = [(m, got, result.metrics[m]) for m, (got, _) in metrics.items()
             if m != "irr_ambiguous" and not agrees(got, result.metrics[m])]
    wrong += [(m, got, study[m]) for m, (_, got) in metrics.items() if m in study and not agrees(got, study[m])]
    assert not wrong
    assert lines_disagreeing(book, result) == []
    if name == "features_study":
        assert result.metrics["irr_ambiguous"] == 1.0  # several IRRs: the workbook found the model's


def test_no_formula_of_a_shipped_workbook_is_an_error(recalculated):
    errors = []
    for stem in (p.stem for p in SCENARIOS):
        book = openpyxl.load_workbook(recalculated["out"] / f"{stem}.xlsx", data_only=True)
        for sheet in ("monthly", "tax", "annual", "summary"):
            errors += [f"{stem}!{sheet}!{c.coordinate}" for row in book[sheet].iter_rows() for c in row
                       if isinstance(c.value, str) and c.value.startswith(("#", "Err:"))]
    assert errors == []
