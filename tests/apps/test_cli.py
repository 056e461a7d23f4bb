"""The ``feasibility`` command's contract: validate, run (--json), cashflows (--csv), compare."""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SCENARIOS
from model.apps.cli import main
from model.core.evaluation import evaluate
from model.core.metrics import METRIC_UNITS
from model.inputs.scenario import load_scenario

BASE = str(ROOT / "scenarios" / "base.yaml")
NO_RETURN = str(ROOT / "scenarios" / "community_building.yaml")  # flows never turn positive: IRR NaN
FEASIBILITY = Path(sys.executable).with_name("feasibility")
METRICS = ["npv", "npv_annual", "irr", "irr_annual", "mirr", "payback_months", "discounted_payback_months", "roi",
           "bcr", "ltv", "cac", "ltv_cac", "total_benefit", "total_cost", "total_investment", "npv_terminal_value",
           "npv_pre_tax", "tax_paid", "cost_per_user", "irr_ambiguous", "peak_funding_need", "peak_funding_month"]


def strict_json(text: str) -> dict:
    """JSON as other tools read it: NaN or Infinity are errors, not numbers."""
    def refuse(constant):
        raise ValueError(f"not JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


class TestValidate:
    def test_all_shipped_scenarios(self, capsys):
        assert main(["validate", *map(str, SCENARIOS)]) == 0
        out, err = capsys.readouterr()
        assert out == f"{len(SCENARIOS)} scenario files valid\n" and err == ""

    def test_installed_command(self):
        done = subprocess.run([str(FEASIBILITY), "validate", BASE], capture_output=True, text=True, timeout=60)
        assert (done.returncode, done.stdout, done.stderr) == (0, "1 scenario file valid\n", "")

    def test_usage_error_exits_2(self, capsys):
        with pytest.raises(SystemExit) as exited:
            main(["validate"])
        assert exited.value.code == 2


class TestRun:
    def test_json_keys_and_values(self, capsys):
        assert main(["run", BASE, "--json"]) == 0
        data = strict_json(capsys.readouterr().out)
        assert data["scenario"] == "base"
        assert [key for key in data if key in METRIC_UNITS] == METRICS
        expected = evaluate(load_scenario(BASE)).metrics
        for name in METRICS:
            if name == "irr_ambiguous":
                assert data[name] is bool(expected[name])
            elif math.isnan(expected[name]):
                assert data[name] is None, name  # NaN is null, with a note saying why
            else:
                assert data[name] == pytest.approx(expected[name], rel=1e-12), name
        assert data["units"]["npv"] == "CNY" and data["units"]["irr"] == "fraction/year"

    def test_json_nan_is_null_with_a_note(self, capsys):
        assert main(["run", NO_RETURN, "--json"]) == 0
        data = strict_json(capsys.readouterr().out)
        assert data["irr"] is None and data["payback_months"] is None
        assert data["notes"]["irr"] == "the cash flows never change sign, so no rate makes NPV zero"
        assert all(data[name] is None or math.isfinite(data[name]) for name in METRICS)

    def test_json_with_overrides(self, capsys):
        assert main(["run", BASE, "--json", "--set", "revenue.community.conversion=5%",
                     "--set", "timeline.horizon_months=24"]) == 0
        data = strict_json(capsys.readouterr().out)
        scenario = load_scenario(BASE, {"revenue.community.conversion": "5%", "timeline.horizon_months": 24})
        assert data["npv"] == pytest.approx(evaluate(scenario).metrics["npv"], rel=1e-12)

    def test_readable_table(self, capsys):
        assert main(["run", BASE]) == 0
        out = capsys.readouterr().out
        assert "NPV (monthly flows, monthly-equivalent rate)" in out
        assert "万元" in out and "元/user" in out and "Month" in out
        assert out.rstrip().endswith("master check: all checks pass")

    def test_readable_table_shows_why_a_metric_is_missing(self, capsys):
        assert main(["run", NO_RETURN]) == 0
        assert "note: irr: the cash flows never change sign" in capsys.readouterr().out

    def test_installed_command_json(self):
        done = subprocess.run([str(FEASIBILITY), "run", NO_RETURN, "--json"], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0 and done.stderr == ""
        assert strict_json(done.stdout)["scenario"] == "community_building"


class TestCashflows:
    @staticmethod
    def read_csv(text: str) -> list[dict]:
        return list(csv.DictReader(io.StringIO(text)))

    def test_monthly_csv_to_stdout(self, capsys):
        assert main(["cashflows", BASE, "--csv", "-"]) == 0
        rows = self.read_csv(capsys.readouterr().out)
        header = list(rows[0])
        assert header[:2] == ["month", "phase"]
        assert [int(r["month"]) for r in rows] == list(range(37))
        for column in ("users (users)", "community_revenue (CNY)", "baseline_revenue (CNY)",
                       "incremental_revenue (CNY)", "exclusive_premium (CNY)", "gross_profit (CNY)",
                       "word_of_mouth (CNY)", "data_value (CNY)", "investment_tech (CNY)", "investment_labour (CNY)",
                       "investment_content (CNY)", "labour (CNY)", "activities (CNY)", "acquisition (CNY)",
                       "tech_maintenance (CNY)", "other_costs (CNY)", "net_cash_flow (CNY)",
                       "cumulative_net_cash_flow (CNY)", "discounted_net_cash_flow (CNY)",
                       "cumulative_discounted_net_cash_flow (CNY)"):
            assert column in header, column
        net = [float(r["net_cash_flow (CNY)"]) for r in rows]
        assert float(rows[-1]["cumulative_net_cash_flow (CNY)"]) == pytest.approx(sum(net), abs=0.01 * len(net))
        assert net[0] == -3_000_000.0  # the base plan's investment at month 0

    def test_annual_csv_to_a_file(self, tmp_path, capsys):
        target = tmp_path / "annual.csv"
        assert main(["cashflows", BASE, "--annual", "--csv", str(target)]) == 0
        assert capsys.readouterr().out == ""
        rows = self.read_csv(target.read_text(encoding="utf-8"))
        assert list(rows[0])[0] == "year" and [int(r["year"]) for r in rows] == [0, 1, 2, 3]
        monthly = evaluate(load_scenario(BASE)).monthly
        annual_net = [float(r["net_cash_flow (CNY)"]) for r in rows]
        assert sum(annual_net) == pytest.approx(monthly["net_cash_flow"].sum(), abs=0.05)

    def test_table_on_screen(self, capsys):
        assert main(["cashflows", BASE, "--annual"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].split()[:3] == ["year", "users", "(users)"] and len(lines) == 5

    def test_unwritable_target_is_one_line(self, tmp_path, capsys):
        assert main(["cashflows", BASE, "--csv", str(tmp_path / "missing" / "x.csv")]) == 1
        err = capsys.readouterr().err
        assert err.startswith("feasibility: ") and len(err.splitlines()) == 1 and "Traceback" not in err


class TestCompare:
    def test_one_row_per_scenario(self, capsys):
        assert main(["compare", *map(str, SCENARIOS)]) == 0
        out, err = capsys.readouterr()
        lines = out.splitlines()
        assert lines[0].split() == ["scenario", "npv", "npv_annual", "irr", "irr_annual", "payback_months", "roi",
                                    "ltv_cac"]
        assert [line.split()[0] for line in lines[1:]] == [p.stem for p in SCENARIOS]
        assert err == ""

    def test_values_match_run(self, capsys):
        assert main(["compare", BASE]) == 0
        row = capsys.readouterr().out.splitlines()[1]
        npv = evaluate(load_scenario(BASE)).metrics["npv"]
        assert f"{npv / 1e4:,.1f} 万元" in row

    def test_a_broken_file_is_reported_and_the_rest_compared(self, capsys):
        broken = str(ROOT / "tests" / "inputs" / "bad_scenarios" / "negative_users.yaml")
        assert main(["compare", BASE, broken]) == 2
        out, err = capsys.readouterr()
        assert len(out.splitlines()) == 2
        assert err == f"{broken}: users.initial: must not be negative (got -5)\n"
