"""The batch users' CLI (model/apps/batch.py and its cli.py hooks): run --json overrides, compare --set/--csv/--json,
sweep --emit-scenarios, and one-line errors from the installed command."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FEASIBLE_BASE, ROOT
from model.apps.cli import main
from model.core.evaluation import evaluate
from model.inputs.scenario import load_scenario

BASE = str(ROOT / "scenarios" / "base.yaml")
MID = str(ROOT / "scenarios" / "study_mid.yaml")
FEASIBILITY = Path(sys.executable).with_name("feasibility")
SCENARIO = FEASIBLE_BASE


class TestRunOverrides:
    def test_run_json_echoes_overrides_in_base_units(self, capsys):
        assert main(["run", BASE, "--json", "--set", "revenue.community.conversion=5%", "--set",
                     "revenue.community.aov=150元", "--set", "timeline.horizon_months=24", "--set",
                     "tax.capitalised=[tech, content]"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["overrides"] == {"revenue.community.conversion": 0.05, "revenue.community.aov": 150.0,
                                     "timeline.horizon_months": 24, "tax.capitalised": ["tech", "content"]}

    def test_run_json_without_set_is_unchanged(self, capsys):
        assert main(["run", BASE, "--json"]) == 0
        assert "overrides" not in json.loads(capsys.readouterr().out)


class TestCompare:
    def test_set_applies_to_every_file(self, capsys):
        assert main(["compare", BASE, MID, "--set", "revenue.community.conversion=5%", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert [d["scenario"] for d in data] == ["base", "study_mid"]
        for item, path in zip(data, (BASE, MID)):
            expected = evaluate(load_scenario(path, {"revenue.community.conversion": "5%"})).metrics["npv"]
            assert item["npv"] == pytest.approx(expected, rel=1e-12)
            assert item["overrides"] == {"revenue.community.conversion": 0.05}

    def test_csv_to_stdout_every_metric_full_precision(self, capsys):
        assert main(["compare", BASE, MID, "--csv", "-"]) == 0
        rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert [r["scenario"] for r in rows] == ["base", "study_mid"]
        npv = evaluate(load_scenario(BASE)).metrics["npv"]
        assert float(rows[0]["npv (CNY)"]) == npv
        assert rows[0]["irr (fraction/year)"] == ""  # undefined: empty, not NaN

    def test_csv_to_a_file_keeps_the_table(self, tmp_path, capsys):
        assert main(["compare", BASE, "--csv", str(tmp_path / "c.csv")]) == 0
        assert capsys.readouterr().out.startswith("scenario")
        assert (tmp_path / "c.csv").read_text(encoding="utf-8").startswith("scenario,file,name,npv (CNY)")

    def test_csv_neutralises_formula_text(self, tmp_path, capsys):
        evil = tmp_path / "evil.yaml"
        evil.write_text(f"extends: {SCENARIO}\nname: \"=HYPERLINK(\\\"http://x\\\")\"\n", encoding="utf-8")
        assert main(["compare", str(evil), "--csv", "-"]) == 0
        row = next(csv.DictReader(io.StringIO(capsys.readouterr().out)))
        assert row["name"] == "'=HYPERLINK(\"http://x\")"
        assert not row["npv (CNY)"].startswith("'")  # numbers stay numbers, minus signs included


class TestSweepCli:
    def test_emit_scenarios_and_human_output(self, tmp_path, capsys):
        spec = tmp_path / "grid.yaml"
        spec.write_text(f"scenario: {SCENARIO}\ninputs:\n  revenue.community.conversion: {{values: [1%, 3%, 7%]}}\n"
                        "  revenue.community.aov: {values: [120元, 180元]}\n", encoding="utf-8")
        folder = str(tmp_path / "out")
        assert main(["sweep", str(spec), "--out", folder, "--emit-scenarios", "--pick", "worst,best"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("6 variants in") and "npv" in out and "scenario at worst" in out
        worst = load_scenario(tmp_path / "out" / "scenarios" / "grid_worst.yaml")
        assert worst["revenue.community.conversion"] == 0.01 and worst["revenue.community.aov"] == 120.0
        assert main(["validate", str(tmp_path / "out" / "scenarios" / "grid_best.yaml")]) == 0

    def test_bad_pick_is_one_line(self, tmp_path, capsys):
        assert main(["sweep", str(tmp_path / "none.yaml"), "--pick", "p5,median"]) == 2
        assert capsys.readouterr().err.strip() == '--pick: median: must be percentiles of NPV such as p5,p50,p95, ' \
                                                  'or worst, or best (got "p5,median")'


def test_installed_command_bad_spec_no_traceback(tmp_path):
    spec = tmp_path / "bad.yaml"
    spec.write_text(f"scenario: {SCENARIO}\ndesign: lhs\nsamples: 10\ninputs:\n"
                    "  revenue.community.aov: {low: 200元, high: 100元}\n", encoding="utf-8")
    done = subprocess.run([str(FEASIBILITY), "sweep", str(spec)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f'{spec}: inputs.revenue.community.aov: low must be below high (got "low 200元, high 100元")\n'


def test_help_lists_the_batch_verbs():
    done = subprocess.run([str(FEASIBILITY), "--help"], capture_output=True, text=True, timeout=60)
    for verb in ("sweep", "sensitivity", "discover", "solve"):
        assert verb in done.stdout


def test_readme_python_example_runs(tmp_path):
    """The README's "From Python" example, as written, on a small spec of its own."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.split("**From Python**")[1].split("```python")[1].split("```")[0]
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    (tmp_path / "study.yaml").write_text(
        "scenario: scenarios/base.yaml\ndesign: lhs\nsamples: 2000\nseed: 7\ninputs:\n"
        "  revenue.community.conversion: {low: 4%, high: 30%}\n  revenue.community.aov: {low: 100元, high: 600元}\n",
        encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "sweeps" / "study" / "results.parquet").is_file()
    assert (tmp_path / "sweeps" / "study" / "scenarios" / "study_p50.yaml").is_file()
