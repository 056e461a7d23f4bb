"""The NPV bridge: real evaluations one group at a time; deltas add up exactly; invalid steps merged."""

from __future__ import annotations

import json

import pytest

from model.apps.cli import main
from model.core.evaluation import evaluate
from model.inputs.paths import ROOT
from model.inputs.scenario import load_scenario
from model.risk.bridge import bridge, default_groups, differing_inputs, named_groups
from model.risk.swings import caveats, npv_swings, top_drivers

SCENARIOS = ROOT / "scenarios"
STEPS = SCENARIOS / "bridges" / "study_head_to_base.yaml"


@pytest.fixture(scope="module")
def head_and_base():
    return load_scenario(SCENARIOS / "study_head.yaml"), load_scenario(SCENARIOS / "base.yaml")


@pytest.mark.parametrize("metric", ["npv", "npv_annual"])
def test_deltas_sum_exactly_and_each_step_is_a_real_evaluation(head_and_base, metric):
    start, end = head_and_base
    walk = bridge(start, end, metric)
    assert walk.start == evaluate(start).metrics[metric] and walk.end == evaluate(end).metrics[metric]
    assert sum(s.delta for s in walk.steps) == pytest.approx(walk.end - walk.start, abs=1e-6)
    switched = []
    for step in walk.steps[:3]:  # a step's value is the evaluation with every input so far at the target's values
        switched += step.inputs
        overrides = {p: (list(end[p]) if isinstance(end[p], tuple) else end[p]) for p in switched}
        assert step.value == evaluate(start.with_overrides(overrides)).metrics[metric]


def test_default_groups_split_at_the_second_level():
    groups = dict(default_groups(["revenue.basis", "revenue.gross_margin", "revenue.community.aov",
                                  "revenue.community.conversion", "tax.vat_rate"]))
    assert groups == {"revenue.basis": ["revenue.basis"], "revenue.gross_margin": ["revenue.gross_margin"],
                      "revenue.community": ["revenue.community.aov", "revenue.community.conversion"],
                      "tax.vat_rate": ["tax.vat_rate"]}


def test_named_steps_take_sections_and_leave_the_rest_to_other(head_and_base):
    start, end = head_and_base
    groups = named_groups([{"tax": ["tax"]}, {"margin": ["revenue.gross_margin"]}], differing_inputs(start, end))
    names = [name for name, _ in groups]
    assert names == ["tax", "margin", "other"]
    assert all(p.startswith("tax.") for p in dict(groups)["tax"])


def test_an_invalid_step_is_merged_with_the_next(tmp_path):
    (tmp_path / "a.yaml").write_text("description: a\nfinance: {discount_rate_annual: 8%}\nusers: {initial: 100}\n"
                                     "revenue: {basis: incremental, gross_margin: 40%}\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\ntimeline: {phase_end_month: {pilot: 20, rollout: 24, "
                                     "optimisation: 30}}\n", encoding="utf-8")
    start, end = load_scenario(tmp_path / "a.yaml"), load_scenario(tmp_path / "b.yaml")
    groups = [("pilot", ["timeline.phase_end_month.pilot"]), ("rest", ["timeline.phase_end_month.rollout",
                                                                       "timeline.phase_end_month.optimisation"])]
    walk = bridge(start, end, "npv", groups)  # pilot 20 after rollout 9 is invalid alone
    assert [(s.step, s.merged) for s in walk.steps] == [("rest", ["pilot"])]
    assert walk.steps[0].inputs == ["timeline.phase_end_month.pilot", "timeline.phase_end_month.rollout",
                                    "timeline.phase_end_month.optimisation"]


def test_cli_json_contract(capsys):
    assert main(["bridge", str(SCENARIOS / "study_head.yaml"), str(SCENARIOS / "base.yaml"), "--steps", str(STEPS),
                 "--metric", "npv_annual", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"from", "to", "metric", "steps"} and data["metric"] == "npv_annual"
    assert [s["step"] for s in data["steps"]][:4] == ["indirect benefits off", "baseline deducted", "gross margin",
                                                      "attribution"]
    assert all(set(s) >= {"step", "inputs", "value", "delta"} for s in data["steps"])
    assert sum(s["delta"] for s in data["steps"]) == pytest.approx(data["to"] - data["from"], abs=1e-6)


def test_a_bad_steps_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "steps.yaml"
    bad.write_text("- tax: taxes\n", encoding="utf-8")
    assert main(["bridge", str(SCENARIOS / "study_head.yaml"), str(SCENARIOS / "base.yaml"), "--steps",
                 str(bad)]) == 2
    assert capsys.readouterr().err == f"{bad}: [0]: must be {{NAME: [input or section, …]}} (got a mapping {{tax}})\n"


def test_swings_top_drivers_and_caveats():
    head = load_scenario(SCENARIOS / "study_head.yaml")
    swings = npv_swings(head)
    assert swings == sorted(swings, key=lambda d: d.swing, reverse=True)
    assert all(d.low == pytest.approx(0.9 * d.base_value) or d.low == 0 for d in swings[:5])
    source, top = top_drivers(head)
    assert source == "tornado" and len(top) == 3
    found = {path: why for path, why, _ in caveats(head, swings)}
    # the study's convention leaves the structural inputs at their flattering defaults
    assert found["revenue.attribution"] == "neutral_default" and found["tax.income_tax_rate"] == "neutral_default"
    base = load_scenario(SCENARIOS / "base.yaml")
    assert "revenue.attribution" not in {p for p, why, _ in caveats(base) if why == "neutral_default"}
