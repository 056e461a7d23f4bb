"""Scenario discovery with PRIM (model/risk/discovery.py): a synthetic case with a known box, then a sweep."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import FEASIBLE_BASE, ROOT
from model.apps.cli import main
from model.risk.discovery import discover, of_interest

SCENARIO = FEASIBLE_BASE


def synthetic(n: int = 20_000, seed: int = 3) -> pd.DataFrame:
    """NPV < 0 exactly inside the box a < 0.3 and b > 60 (mass 12%); c, h and f play no part."""
    rng = np.random.default_rng(seed)
    table = pd.DataFrame({"a": rng.random(n), "b": 100 * rng.random(n), "c": rng.random(n),
                          "h": rng.choice([24, 36], n), "f": rng.choice([True, False], n)})
    table["npv"] = np.where((table["a"] < 0.3) & (table["b"] > 60), -1.0, 1.0)
    return table


def test_prim_finds_the_known_box():
    found = discover(synthetic(), ["a", "b", "c", "h", "f"], "npv", below=0.0)
    assert found.cases == int((synthetic()["npv"] < 0).sum()) and found.variants == 20_000
    assert len(found.boxes) == 1
    box = found.boxes[0]
    assert set(box.limits) == {"a", "b"}  # only the inputs that matter are restricted
    assert box.limits["a"][1] == pytest.approx(0.3, abs=0.02) and box.limits["b"][0] == pytest.approx(60, abs=2)
    assert box.coverage > 0.95 and box.density > 0.95
    data = found.to_json()
    assert data["boxes"][0]["limits"]["a"]["high"] == pytest.approx(0.3, abs=0.02)
    assert {"coverage", "density", "mass", "limits"} <= set(data["boxes"][0])


def test_nothing_of_interest_gives_no_box():
    assert discover(synthetic(), ["a", "b"], "npv", below=-5.0).boxes == []


def test_undefined_metric_is_not_of_interest():
    assert list(of_interest(np.array([-1.0, np.nan, 2.0]), below=0.0)) == [True, False, False]
    assert list(of_interest(np.array([-1.0, np.nan, 2.0]), above=0.0)) == [False, False, True]


def test_cli_on_a_sweep_and_from_its_results(tmp_path, capsys):
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"""\
scenario: {SCENARIO}
design: lhs
samples: 3000
seed: 5
inputs:
  revenue.community.conversion: {{low: 1%, high: 9%}}
  revenue.community.aov: {{low: 100元, high: 200元}}
  operating_costs.other.fixed_yearly: {{low: 0元, high: 10万}}
metrics: [npv]
""", encoding="utf-8")
    assert main(["discover", str(spec), "--metric", "npv", "--below", "0", "--json"]) == 0
    direct = json.loads(capsys.readouterr().out)
    assert direct["cases_of_interest"] > 0 and direct["boxes"]
    box = direct["boxes"][0]
    assert "revenue.community.conversion" in box["limits"]  # low conversion loses money
    assert box["limits"]["revenue.community.conversion"]["low"] >= 0.01
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--json"]) == 0
    capsys.readouterr()
    assert main(["discover", str(spec), "--below", "0", "--from", str(tmp_path / "out"), "--json"]) == 0
    stored = json.loads(capsys.readouterr().out)
    assert stored["boxes"] == direct["boxes"]  # the same variants, from the file


def test_cli_errors(tmp_path, capsys):
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"scenario: {SCENARIO}\ninputs:\n  revenue.community.aov: {{values: [100元, 200元]}}\n",
                    encoding="utf-8")
    assert main(["discover", str(spec), "--metric", "npv"]) == 2
    assert "give exactly one of --below VALUE and --above VALUE" in capsys.readouterr().err
    assert main(["discover", str(spec), "--metric", "roi", "--below", "0"]) == 2
    assert "metrics: does not include roi" in capsys.readouterr().err
    assert main(["discover", str(spec), "--below", "0", "--from", str(tmp_path / "nowhere")]) == 2
    assert capsys.readouterr().err.strip().endswith("no sweep results here (run feasibility sweep first, with --out)")


def test_validate_does_not_import_the_workbench():
    code = ("import sys; from model.apps.cli import main; main(['validate', 'scenarios/base.yaml']); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'ema_workbench', 'SALib', 'dask', 'distributed', "
            "'pyarrow', 'pandas'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "[]"
