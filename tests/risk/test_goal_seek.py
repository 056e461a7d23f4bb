"""Goal seek (model/risk/goal_seek.py, roots.py) and `feasibility solve`."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import FEASIBLE_BASE, ROOT
from model.apps.cli import main
from model.core.evaluation import evaluate
from model.inputs.errors import ScenarioError
from model.inputs.scenario import load_scenario
from model.risk.analysis import BREAKEVEN_TARGETS, breakeven_value
from model.risk.goal_seek import parse_target, solve
from model.risk.roots import bracketed_root

SCENARIO = FEASIBLE_BASE


@pytest.mark.parametrize("name", sorted(BREAKEVEN_TARGETS))
def test_npv_zero_is_the_break_even(name):
    scenario = load_scenario(SCENARIO)
    found = solve(scenario, name, "npv", 0.0)
    value, _ = breakeven_value(scenario.values, BREAKEVEN_TARGETS[name])
    assert found.value == value  # the same search, the same root


def test_irr_target_is_reached():
    scenario = load_scenario(SCENARIO)
    found = solve(scenario, "revenue.community.conversion", "irr", 0.5)
    assert found.achieved == pytest.approx(0.5, rel=1e-6)
    check = evaluate(scenario.with_overrides({"revenue.community.conversion": found.value})).metrics["irr"]
    assert check == pytest.approx(0.5, rel=1e-6)


def test_none_within_bounds_rather_than_a_wrong_root():
    assert bracketed_root(lambda x: np.where(x < 0.5, -1.0, 1.0), 0.0, 1.0, 0.2) is None  # a jump, not a root
    assert bracketed_root(lambda x: x * x + 1, 0.0, 1.0, 0.2) is None
    assert bracketed_root(lambda x: x - 0.25, 0.0, 1.0, 0.9) == pytest.approx(0.25)
    assert bracketed_root(lambda x: np.where(x > 0.7, np.nan, x - 0.3), 0.0, 1.0, 0.9) == pytest.approx(0.3)


def test_cli_json(capsys):
    assert main(["solve", str(SCENARIO), "--for", "revenue.community.aov", "--target", "npv=0", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["input", "value", "metric", "target", "achieved"]
    assert data["input"] == "revenue.community.aov" and data["metric"] == "npv" and data["target"] == 0
    assert abs(data["achieved"]) < 1e-3
    assert main(["run", str(SCENARIO), "--json", "--set", f"revenue.community.aov={data['value']!r}"]) == 0
    assert abs(json.loads(capsys.readouterr().out)["npv"]) < 1e-3


def test_cli_with_set_and_a_percentage_target(capsys):
    assert main(["solve", str(SCENARIO), "--for", "conversion", "--target", "irr=80%", "--set",
                 "revenue.community.aov=120元", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["target"] == 0.8 and data["achieved"] == pytest.approx(0.8, rel=1e-6)


def test_cli_none_within_bounds_exits_1_with_null(capsys):
    argv = ["solve", str(ROOT / "scenarios" / "base.yaml"), "--for", "finance.discount_rate_annual", "--target",
            "npv=0"]
    assert main(argv + ["--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["value"] is None and data["achieved"] is None
    assert main(argv) == 1
    assert "none within bounds" in capsys.readouterr().out


@pytest.mark.parametrize("argv, expected", [
    (["--for", "revenue.community.convertion", "--target", "npv=0"], "--for: revenue.community.convertion: is not"),
    (["--for", "timeline.horizon_months", "--target", "npv=0"], "--for: timeline.horizon_months: cannot be solved"),
    (["--for", "aov", "--target", "npx=0"], "--target: npx: must be METRIC=VALUE"),
    (["--for", "aov", "--target", "irr=lots"], "--target: irr: must be a rate"),
])
def test_cli_bad_input_one_line(capsys, argv, expected):
    assert main(["solve", str(SCENARIO), *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(expected) and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_parse_target_units():
    assert parse_target("npv=1亿") == ("npv", 1e8)
    assert parse_target("payback_months=24") == ("payback_months", 24.0)
    with pytest.raises(ScenarioError):
        parse_target("npv")
