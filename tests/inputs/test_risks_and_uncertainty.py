"""The risk register and uncertainty sections of scenario files (model/risk_register.py)."""

from __future__ import annotations

import textwrap

import pytest

from conftest import ROOT, SCENARIOS
from model.inputs.errors import ScenarioError
from model.inputs.risks import Risk
from model.inputs.uncertainty import Uncertainty
from model.inputs.scenario import load_scenario

BASE = ROOT / "scenarios" / "base.yaml"


def write_child(tmp_path, text: str, name: str = "child.yaml"):
    """A scenario file extending base.yaml with ``text``."""
    path = tmp_path / name
    path.write_text(f"extends: {BASE}\n" + textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return [str(p) for p in info.value.problems]


def test_base_register_holds_the_studys_economic_risks():
    scenario = load_scenario(BASE)
    risks = {r.key: r for r in scenario.extensions["risks"]}
    assert all(isinstance(r, Risk) for r in risks.values())
    assert {k: r.probability for k, r in risks.items() if k in ("cost_overrun", "revenue_shortfall",
                                                                  "market_volatility")} \
        == {"cost_overrun": 0.2, "revenue_shortfall": 0.15, "market_volatility": 0.1}  # 001 §5.4
    overrun = risks["cost_overrun"]
    assert overrun.stated_total == 120e4  # 50万 + 30万 + 40万 as 001 §5.4.1 states
    assert (overrun.mitigation.effectiveness_low, overrun.mitigation.effectiveness_high) == (0.5, 0.7)
    conversion = risks["revenue_shortfall"].impacts[0]
    assert (conversion.paths, conversion.op, conversion.amount) == (("revenue.community.conversion",), "set", 0.05)
    churn = risks["market_volatility"].impacts[2]
    assert churn.paths == tuple(f"users.churn_monthly.{p}" for p in ("pilot", "rollout", "optimisation", "steady"))


def test_base_uncertainty_uses_the_studys_ranges():
    uncertainty = load_scenario(BASE).extensions["uncertainty"]
    assert isinstance(uncertainty, Uncertainty) and uncertainty.correlated
    inputs = {u.key: u for u in uncertainty.inputs}
    assert (inputs["conversion"].dist.low, inputs["conversion"].dist.high) == (0.06, 0.08)  # 001 §5.2.1
    # 001 §5.1.2: 400-500万 a year, of which activities, maintenance and other are 55%; labour follows staffing
    assert (inputs["opex"].dist.low, inputs["opex"].dist.high) == (220e4, 275e4)
    assert (inputs["acquisition_cost"].dist.mode, inputs["acquisition_cost"].dist.high) == (100, 313.5)
    assert inputs["opex"].target.sets == "total"
    assert inputs["churn"].dist.kind == "lognormal"


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_file_loads_with_its_register(path):
    scenario = load_scenario(path)
    assert isinstance(scenario.extensions.get("risks", ()), tuple)


def test_a_child_changes_a_probability_and_switches_a_risk_off(tmp_path):
    path = write_child(tmp_path, """
        risks:
          cost_overrun: {probability: 35%}
          outage: null
    """)
    risks = {r.key: r for r in load_scenario(path).extensions["risks"]}
    assert risks["cost_overrun"].probability == 0.35
    assert len(risks["cost_overrun"].impacts) == 3  # the rest is inherited
    assert "outage" not in risks


def test_a_child_narrows_one_uncertainty_range(tmp_path):
    path = write_child(tmp_path, """
        uncertainty:
          inputs:
            conversion: {low: 7%}
    """)
    inputs = {u.key: u for u in load_scenario(path).extensions["uncertainty"].inputs}
    assert (inputs["conversion"].dist.low, inputs["conversion"].dist.mode) == (0.07, 0.075)


@pytest.mark.parametrize("text, expected", [
    ("risks: {cost_overrun: {probability: 120%}}",
     "risks.cost_overrun.probability: must be between 0 and 1 (0% to 100%) (got \"120%\")"),
    ("risks: {x: {probability: 10%, impacts: [{driver: revenue.community.convertion, set: 5%}]}}",
     "risks.x.impacts[0].driver: is not a model input (check the spelling) (got \"revenue.community.convertion\")"),
    ("risks: {x: {probability: 10%, impacts: [{driver: finance.discount_rate_annual, add: 1%}]}}",
     "risks.x.impacts[0].driver: cannot vary per trial"),
    ("risks: {x: {probability: 10%, impacts: [{driver: revenue.community.aov, set: 5, multiply: 2}]}}",
     "risks.x.impacts[0]: must have exactly one of set, multiply, add"),
    ("risks: {x: {probability: 10%, impacts: [{driver: revenue.community.aov, multiply: -1}]}}",
     "risks.x.impacts[0].multiply: must not be negative (got -1)"),
    ("risks: {x: {probability: 10%, impacts: []}}", "risks.x.impacts: must be a list of changes"),
    ("risks: {x: {probability: 10%, impact: []}}", "risks.x.impact: is not a known key"),
    ("risks: {cost_overrun: {mitigation: {effectiveness: {low: 80%}}}}",
     "risks.cost_overrun.mitigation.effectiveness.high: must not be below low (0.8) (got \"70%\")"),
    ("uncertainty: {inputs: {conversion: {high: 5%}}}",
     "uncertainty.inputs.conversion: pert needs low < high"),
    ("uncertainty: {inputs: {y: {driver: revenue.gross_margin, dist: normal, low: 1%, high: 2%}}}",
     "uncertainty.inputs.y.dist: must be one of uniform, triangular, pert, lognormal (got \"normal\")"),
    ("uncertainty: {inputs: {y: {driver: revenue.gross_margin, dist: lognormal, low: 1%, high: 2%}}}",
     "uncertainty.inputs.y: a lognormal distribution takes exactly p5, p95"),
    ("uncertainty: {inputs: {y: {driver: revenue.gross_margin, dist: uniform, low: 1%, high: 200%}}}",
     "uncertainty.inputs.y.high: must be between 0 and 1 (0% to 100%) (got \"200%\")"),
    ("uncertainty: {inputs: {y: {driver: revenue.gross_margin, sets: total, dist: uniform, low: 1%, high: 2%}}}",
     "uncertainty.inputs.y.sets: total applies to money drivers only"),
    ("uncertainty: {correlations: [{inputs: [conversion, nothing], rank: 0.5}]}",
     "uncertainty.correlations[0].inputs: must name two different uncertain inputs"),
    ("uncertainty: {correlations: [{inputs: [conversion, purchases], rank: 0.9}, {inputs: [conversion, aov], "
     "rank: 0.9}, {inputs: [purchases, aov], rank: -0.9}]}",
     "uncertainty.correlations: are not consistent with each other"),
])
def test_bad_register_entries_give_one_line_naming_file_field_and_value(tmp_path, text, expected):
    path = write_child(tmp_path, text + "\n")
    problems = problems_of(path)
    # a problem names the file that set the field: the child, or base.yaml for an inherited one
    assert any(p.startswith((f"{path}: ", f"{BASE}: ")) and expected in p for p in problems), problems
    assert all("\n" not in p for p in problems)


def test_an_error_in_the_inherited_register_names_the_file_that_set_it(tmp_path):
    """A child's bad probability names the child; everything else still comes from base.yaml."""
    path = write_child(tmp_path, "risks: {outage: {probability: -5%}}\n")
    (problem,) = problems_of(path)
    assert problem == f"{path}: risks.outage.probability: must be between 0 and 1 (0% to 100%) (got \"-5%\")"


def test_a_driver_the_scenario_leaves_unset_is_refused_when_loaded(tmp_path):
    """Regression: `validate` passed such a file and only `risk` (and the dashboard's tornado) failed on it."""
    path = write_child(tmp_path, "risks: {x: {probability: 10%, impacts: [{driver: users.cap, multiply: 0.5}]}}\n")
    with pytest.raises(ScenarioError, match=r"risks.x: moves users.cap, which this scenario leaves unset"):
        load_scenario(path)
    uncertain = write_child(tmp_path, "uncertainty: {inputs: {cap: {driver: users.cap, dist: uniform, "
                                      "low: 1000, high: 2000}}}\n")
    assert any("uncertainty.inputs.cap: moves users.cap, which this scenario leaves unset" in p
               for p in problems_of(uncertain))
