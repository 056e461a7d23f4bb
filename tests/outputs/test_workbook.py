"""The live workbook's structure: sheets, named inputs and metrics, formulas with the model's cached values,
formats, values sheets labelled as such, and scenario text that never becomes a formula.

Whether the formulas recalculate to the model's numbers is tests/outputs/test_workbook_libreoffice.py.
"""

from __future__ import annotations

import math

import numpy as np
import openpyxl
import pandas as pd
import pytest

from conftest import ROOT
from model.core import finance
from model.core.evaluation import evaluate
from model.inputs.scenario import load_scenario
from model.outputs.summary import model_version, scenario_hash
from model.outputs.tables import STATEMENT_ROWS
from model.outputs.workbook import write_workbook
from model.outputs.workbook_grid import RERENDER_NOTE, VALUES_NOTE, input_name
from model.outputs.workbook_irr import search_values
from model.risk.analysis import analyse

SHEETS = ["summary", "inputs", "monthly", "tax", "annual", "metrics", "irr_search", "montecarlo", "stress", "tornado",
          "audit", "checks"]
SIX = ("npv", "npv_annual", "irr", "irr_annual", "mirr", "payback_months")
HOSTILE = '=HYPERLINK("http://x","x")'


@pytest.fixture(scope="module")
def base():
    return evaluate(load_scenario(ROOT / "scenarios" / "base.yaml"))


@pytest.fixture(scope="module")
def books(base, tmp_path_factory):
    """The base workbook (with a small analysis passed in) opened twice: formulas, and cached values."""
    path = write_workbook(base, tmp_path_factory.mktemp("book") / "base.xlsx", analysis=analyse(base.scenario, 300, 7))
    return openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True), path


def named(book, name: str):
    (sheet, cell), = book.defined_names[name].destinations
    return book[sheet][cell.replace("$", "")]


def same(got, expected: float) -> bool:
    """A cached value equals the model's: numbers to 1e-12 relative, NaN as an Excel error."""
    if not math.isfinite(expected):
        return isinstance(got, str) and got.startswith("#")
    return isinstance(got, (int, float)) and abs(got - expected) <= 1e-12 * max(1.0, abs(expected))


def test_sheets_in_the_order_numbers_flow(books):
    formulas, _, _ = books
    assert formulas.sheetnames == SHEETS


def test_every_input_has_a_named_yellow_cell_holding_its_value(base, books):
    formulas, _, _ = books
    assumptions = base.scenario.assumptions
    for path, item in assumptions.items():
        cell = named(formulas, input_name(path))
        assert cell.parent.title == "inputs" and cell.column_letter == "C", path
        assert cell.parent.cell(cell.row, 1).value == path
        if isinstance(item.value, bool) or isinstance(item.value, (int, float)):
            assert cell.value == item.value, path
        elif item.value is None:
            assert cell.value is None, path
        assert cell.fill.fgColor.rgb.endswith("FFF2CC") and cell.font.color.rgb.endswith("0000FF"), path
    conversion = named(formulas, "revenue_community_conversion")
    assert conversion.value == pytest.approx(0.075) and conversion.number_format == "0.0%"
    assert named(formulas, "revenue_basis").value == "incremental"
    assert named(formulas, "tax_capitalised").value == "tech"
    one_off = [p for p in base.scenario.values if p.startswith("one_off_costs.")]
    assert one_off and all(input_name(p) in formulas.defined_names for p in one_off)


def test_inputs_that_shape_the_formulas_say_so(books):
    formulas, _, _ = books
    sheet = formulas["inputs"]
    status = {sheet.cell(r, 1).value: sheet.cell(r, 10).value for r in range(4, sheet.max_row + 1)}
    assert status["timeline.horizon_months"] == status["tax.capitalised"] == RERENDER_NOTE
    assert status["users.market_size"] == "not used by the formulas"
    assert status["revenue.community.conversion"] in (None, "")
    assert RERENDER_NOTE in sheet["A2"].value
    assert [sheet.cell(3, c).value for c in range(1, 9)] == ["input", "meaning", "value", "unit", "source", "basis",
                                                             "note", "set in"]


def test_six_metrics_are_named_formulas_with_the_model_values_cached(base, books):
    formulas, values, _ = books
    for name in SIX:
        assert named(formulas, name).data_type == "f", name
        assert same(named(values, name).value, base.metrics[name]), (name, named(values, name).value)
    assert "NPV(discount_rate_monthly," in named(formulas, "npv").value
    assert "irr_monthly" in named(formulas, "irr").value and "IRR(" in named(formulas, "irr_monthly").value
    assert "MIRR(" in named(formulas, "mirr").value


@pytest.mark.parametrize("stem", ["study_head", "short_term_launch"])
def test_cached_metrics_of_other_scenarios(stem, tmp_path):
    result = evaluate(load_scenario(ROOT / "scenarios" / f"{stem}.yaml"))
    path = write_workbook(result, tmp_path / "book.xlsx", analysis=analyse(result.scenario, 100, 7), claims=[])
    book = openpyxl.load_workbook(path, data_only=True)
    for name in SIX:
        assert same(named(book, name).value, result.metrics[name]), name
    metrics = pd.read_excel(path, sheet_name="metrics").set_index("metric")  # the dashboard's own reading
    assert metrics.loc["npv", "value (monthly convention)"] == pytest.approx(result.metrics["npv"])


def test_every_monthly_cell_is_a_formula_with_the_model_value_cached(base, books):
    formulas, values, _ = books
    sheet, cached = formulas["monthly"], values["monthly"]
    keys = [c.value for c in sheet[1]]
    months = len(base.monthly)
    assert sheet.max_row == 2 + months
    for col, key in enumerate(keys, start=1):
        cells = [sheet.cell(r, col) for r in range(3, 3 + months)]
        assert all(c.data_type == "f" for c in cells), key
        if key in base.monthly.columns and key != "phase":
            got = np.array([cached.cell(r, col).value for r in range(3, 3 + months)], dtype=float)
            np.testing.assert_allclose(got, base.monthly[key].to_numpy(), rtol=1e-12, atol=1e-9, err_msg=key)
    for line in ("users", "new_users", "churned_users", "community_revenue", "exclusive_premium", "baseline_revenue",
                 "incremental_revenue", "counted_revenue", "gross_profit", "word_of_mouth", "investment_tech",
                 "labour", "activities", "content_costs", "acquisition", "tech_maintenance", "other_costs",
                 "one_off_costs", "vat_surcharges", "ebitda", "depreciation_amortisation", "income_tax",
                 "change_in_working_capital", "terminal_value", "net_cash_flow", "discount_factor",
                 "discounted_net_cash_flow", "cumulative_net_cash_flow"):
        assert line in keys, line
    assert "users_initial" in sheet.cell(3, keys.index("users") + 1).value
    assert "MIN(users_cap" in sheet.cell(4, keys.index("users") + 1).value


def test_annual_statement_in_finance_order_sums_the_months(base, books):
    formulas, values, _ = books
    sheet, cached = formulas["annual"], values["annual"]
    keys = [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)]
    statement, seen = [], set()
    for line, _, _ in STATEMENT_ROWS:
        statement.append(f"{line}_carried" if line in seen else line)
        seen.add(line)
    positions = [keys.index(k) for k in statement]
    assert positions == sorted(positions)
    row = keys.index("labour") + 2
    assert sheet.cell(row, 5).value.startswith("=SUMIFS(monthly!")
    years = len(base.annual)
    for key in ("revenue", "ebitda", "income_tax", "net_cash_flow", "users"):
        r = keys.index(key) + 2
        got = [cached.cell(r, 4 + y).value for y in range(years)]
        np.testing.assert_allclose(got, base.annual[key].to_numpy(), rtol=1e-12, atol=1e-9, err_msg=key)


def test_formats_freeze_panes_widths_and_bold_headers(books):
    formulas, _, _ = books
    monthly = formulas["monthly"]
    keys = [c.value for c in monthly[1]]
    fmt = {k: monthly.cell(10, keys.index(k) + 1).number_format for k in ("users", "net_cash_flow", "growth")}
    assert fmt == {"users": "#,##0", "net_cash_flow": "#,##0", "growth": "0.0%"}
    assert formulas["metrics"].cell(named(formulas, "irr").row, 3).number_format == "0.0%"
    assert {name: formulas[name].freeze_panes for name in ("inputs", "monthly", "annual", "metrics")} == {
        "inputs": "B4", "monthly": "B3", "annual": "D3", "metrics": "B2"}
    assert monthly["A1"].font.b and formulas["inputs"]["A3"].font.b and formulas["metrics"]["A1"].font.b
    assert formulas["inputs"].column_dimensions["B"].width > 40
    summary = formulas["summary"]
    wan = [summary.cell(r, 3) for r in range(1, 30) if isinstance(summary.cell(r, 3).value, str)
           and "/10000" in summary.cell(r, 3).value]
    assert wan and summary.cell(9, 3).value == "万元"


def test_values_sheets_say_so_and_hold_no_formula(books):
    formulas, _, _ = books
    for name in ("montecarlo", "stress", "tornado", "audit", "checks"):
        sheet = formulas[name]
        assert sheet["A1"].value.startswith(VALUES_NOTE), name
        assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"], name
    assert "300 trials, seed 7" in formulas["montecarlo"]["A1"].value  # the analysis passed in is the one shown


def test_summary_has_verdict_metrics_and_provenance(base, books):
    formulas, values, _ = books
    summary, cached = formulas["summary"], values["summary"]
    assert summary["B6"].data_type == "f" and cached["B6"].value == "NOT FEASIBLE"
    rows = {summary.cell(r, 1).value: summary.cell(r, 2).value for r in range(1, summary.max_row + 1)}
    assert rows["scenario"] == base.scenario.name
    assert rows["model"] == model_version() and rows["scenario_hash"] == scenario_hash(base)
    assert rows["rendered"].endswith("UTC")


def test_scenario_text_stays_text(tmp_path):
    """A scenario whose name, description, sources, notes and risk names are formulas: every such cell is a string."""
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(
        f"extends: {ROOT / 'scenarios' / 'short_term_launch.yaml'}\n"
        f"name: '{HOSTILE}'\ndescription: '{HOSTILE}'\n"
        f"revenue: {{community: {{conversion: {{value: 9%, source: '{HOSTILE}', note: '{HOSTILE}'}}}}}}\n"
        f"one_off_costs: {{fine: {{amount: 1000, month: 2, source: '{HOSTILE}', note: '{HOSTILE}'}}}}\n"
        f"risks: {{bad: {{name: '{HOSTILE}', probability: 10%, impacts: [{{driver: revenue.community.conversion, "
        f"multiply: 0.9}}], mitigation: {{description: '{HOSTILE}', effectiveness: {{low: 40%, high: 60%}}}}}}}}\n",
        encoding="utf-8")
    result = evaluate(load_scenario(scenario))
    assert result.scenario.name == HOSTILE
    book = openpyxl.load_workbook(write_workbook(result, tmp_path / "hostile.xlsx", claims=[]))
    found = [c for sheet in book for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    where = {c.parent.title for c in found}
    assert len(found) >= 8 and where == {"summary", "inputs", "stress"}  # the risk's stress cases too
    assert all(c.data_type == "s" for c in found), [(c.parent.title, c.coordinate) for c in found if c.data_type != "s"]
    assert book["summary"]["B2"].value == HOSTILE


@pytest.mark.parametrize("flows", [
    [-100, 39, 59, 55, 20], [-100, 230, -132], [100, -230, 132], [-1, 3, -4, 3], [-5, 1, 1, 1, 1, 1, 1, 1, 6],
    [-1000] + [-10] * 30 + [60] * 5, [-3.5e6] + [2.1e7] * 36, [10, -1, -1, -1, -20], [-100, 0, 0, 0, 0, 110]])
def test_the_irr_search_finds_the_models_root(flows):
    """The guess the workbook hands IRR() lies next to the root the model chooses (several roots included)."""
    net = np.array(flows, dtype=float)
    expected = float(finance.irr(net))
    guess = search_values(net, 10)["guess"]
    assert guess == pytest.approx(expected, rel=1e-9, abs=1e-12, nan_ok=True)
