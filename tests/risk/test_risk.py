"""Risk analysis (model/risk.py, model/montecarlo.py): stress, expected NPV, Monte Carlo, tornado, break-even."""

from __future__ import annotations

import json
import math
import textwrap

import numpy as np
import pytest

from model.risk import montecarlo
from model.outputs import risk_tables
from model.risk import analysis as risk
from model.core.evaluation import evaluate
from model.inputs.scenario import load_scenario

from conftest import FEASIBLE_BASE, ROOT, SCENARIOS

#: A profitable plan whose break-evens lie within bounds: the base plan as it was before the finance-grade
#: economics (every new input neutral). The shipped base.yaml is tested through the CLI and the reports.
BASE = FEASIBLE_BASE
SMALL = """\
description: a small hand-made case for the risk tests
timeline: {horizon_months: 24}
finance: {discount_rate_annual: 10%}
users:
  initial: 100000
  growth_monthly: {pilot: 3%, rollout: 3%, optimisation: 3%, steady: 3%}
  churn_monthly: {pilot: 1%, rollout: 1%, optimisation: 1%, steady: 1%}
revenue:
  basis: incremental
  gross_margin: 40%
  community: {conversion: 10%, purchases_per_year: 12, aov: 150元}
  baseline: {conversion: 4%, purchases_per_year: 10, aov: 120元}
investment: {tech: 20万}
operating_costs:
  labour: {fixed_yearly: 30万}
"""


@pytest.fixture
def scenario_file(tmp_path):
    """Write a scenario file: the small case plus ``extra`` YAML; returns its path."""
    def write(extra: str = "", base: str = SMALL, name: str = "case.yaml"):
        path = tmp_path / name
        path.write_text(base + textwrap.dedent(extra), encoding="utf-8")
        return path
    return write


@pytest.fixture(scope="module")
def base_analysis():
    return risk.analyse(load_scenario(BASE), trials=2000, seed=7)


def test_same_seed_gives_identical_results(base_analysis):
    again = risk.analyse(load_scenario(BASE), trials=2000, seed=7)
    for name in ("npv", "irr", "payback_months"):
        assert np.array_equal(getattr(again.montecarlo, name), getattr(base_analysis.montecarlo, name), equal_nan=True)
    assert again.to_json() == base_analysis.to_json()
    other = risk.analyse(load_scenario(BASE), trials=2000, seed=8).montecarlo
    assert not np.array_equal(other.npv, base_analysis.montecarlo.npv)
    assert base_analysis.montecarlo.seed == 7 and base_analysis.to_json()["montecarlo"]["seed"] == 7


def test_each_trial_equals_a_deterministic_run_of_its_drawn_inputs(base_analysis):
    """Exact check under a fixed seed: trial 0's NPV is that of its own inputs run alone."""
    scenario, mc = base_analysis.scenario, base_analysis.montecarlo
    uncertainty, risks = scenario.extensions["uncertainty"], scenario.extensions["risks"]
    for trial in (0, 1, 1999):
        drawn = montecarlo.trial_values(scenario.values, uncertainty.inputs, risks, mc.samples.iloc[[trial]],
                                        mc.events.iloc[[trial]], False)
        alone = risk.evaluate_cases([{k: (v[0] if isinstance(v, np.ndarray) else v) for k, v in drawn.items()}])
        assert mc.npv[trial] == pytest.approx(alone["npv"][0], rel=1e-12)


def test_stress_case_conversion_to_5_percent_equals_a_deterministic_run(scenario_file):
    path = scenario_file("""
        risks:
          weak_conversion:
            probability: 15%
            impacts: [{driver: revenue.community.conversion, set: 5%, stated: 3000万}]
    """)
    stress = risk.stress_table(load_scenario(path))
    deterministic = evaluate(load_scenario(path, {"revenue.community.conversion": "5%"})).metrics
    row = stress.set_index("risk").loc["weak_conversion"]
    assert row["npv"] == pytest.approx(deterministic["npv"], rel=1e-12)
    assert row["irr"] == pytest.approx(deterministic["irr"], rel=1e-9)
    assert row["payback_months"] == pytest.approx(deterministic["payback_months"], rel=1e-12)
    assert row["stated_impact"] == -3e7
    assert stress["npv"].iloc[0] == pytest.approx(evaluate(load_scenario(path)).metrics["npv"], rel=1e-12)


def test_mitigation_shrinks_impacts_and_costs_what_it_says(scenario_file):
    path = scenario_file("""
        risks:
          labour_up:
            probability: 20%
            impacts: [{driver: operating_costs.labour.fixed_yearly, multiply: 1.5}]
            mitigation:
              description: fixed pay plus bonus
              effectiveness: {low: 50%, high: 70%}
              cost: [{driver: operating_costs.other.fixed_yearly, add: 1万}]
    """)
    scenario = load_scenario(path)
    stress = risk.stress_table(scenario).set_index("case")
    # effectiveness 60% (mid-point): labour × (1 + 0.5 × 0.4) = 36万; plus 1万 other
    expected = evaluate(load_scenario(path, {"operating_costs.labour.fixed_yearly": 36e4,
                                             "operating_costs.other.fixed_yearly": 1e4})).metrics["npv"]
    assert stress.loc["labour up (mitigated)", "npv"] == pytest.approx(expected, rel=1e-12)
    table = risk.mitigations_table(scenario).iloc[0]
    base, hit = stress.loc["base", "npv"], stress.loc["labour up", "npv"]
    cost_only = evaluate(load_scenario(path, {"operating_costs.other.fixed_yearly": 1e4})).metrics["npv"]
    with_it = 0.8 * cost_only + 0.2 * expected
    without = 0.8 * base + 0.2 * hit
    assert table["net_value"] == pytest.approx(with_it - without, rel=1e-9)
    assert table["cost_pv"] == pytest.approx(base - cost_only, rel=1e-9)
    assert table["pays_for_itself"] == (with_it > without)


def test_expected_npv_weights_every_combination_of_independent_events(scenario_file):
    path = scenario_file("""
        risks:
          a: {probability: 20%, impacts: [{driver: revenue.community.conversion, set: 6%}]}
          b: {probability: 50%, impacts: [{driver: operating_costs.labour.fixed_yearly, add: 20万}]}
    """)
    def npv(**overrides):
        return evaluate(load_scenario(path, overrides)).metrics["npv"]
    conv, labour = "revenue.community.conversion", "operating_costs.labour.fixed_yearly"
    by_hand = (0.8 * 0.5 * npv() + 0.2 * 0.5 * npv(**{conv: 0.06}) + 0.8 * 0.5 * npv(**{labour: 50e4})
               + 0.2 * 0.5 * npv(**{conv: 0.06, labour: 50e4}))
    assert risk.expected_npv(load_scenario(path)) == pytest.approx(by_hand, rel=1e-12)


def test_mean_simulated_npv_matches_the_npv_of_mean_inputs_where_npv_is_linear(scenario_file):
    """Analytic check: NPV is linear in yearly opex and investment, so E[NPV] = NPV(E[inputs])."""
    path = scenario_file("""
        uncertainty:
          inputs:
            opex: {driver: operating_costs.labour.fixed_yearly, dist: triangular, low: 20万, mode: 25万, high: 60万}
            capex: {driver: investment.tech, dist: lognormal, p5: 10万, p95: 40万}
    """)
    scenario = load_scenario(path)
    mc = montecarlo.run(scenario.values, scenario.extensions["uncertainty"], (), 20_000, seed=3)
    inputs = {u.key: u.dist for u in scenario.extensions["uncertainty"].inputs}
    at_means = evaluate(load_scenario(path, {"operating_costs.labour.fixed_yearly": inputs["opex"].mean,
                                             "investment.tech": inputs["capex"].mean})).metrics["npv"]
    assert abs(mc.npv.mean() - at_means) < 4 * mc.npv.std() / math.sqrt(mc.trials)


def test_risk_events_happen_at_their_probability(base_analysis):
    shares = base_analysis.montecarlo.events.mean()
    for r in base_analysis.scenario.extensions["risks"]:
        p = r.probability
        assert abs(shares[r.key] - p) < 4 * math.sqrt(p * (1 - p) / 2000)


def test_probability_of_loss_is_0_when_the_plan_cannot_lose(scenario_file):
    """No investment, no costs, conversion always above the baseline's: NPV > 0 in every trial."""
    path = scenario_file("""
        uncertainty:
          inputs:
            conversion: {driver: revenue.community.conversion, dist: uniform, low: 8%, high: 20%}
            margin: {driver: revenue.gross_margin, dist: pert, low: 20%, mode: 40%, high: 60%}
    """, base=SMALL.replace("investment: {tech: 20万}", "investment: {tech: 0}").replace("30万", "0"))
    scenario = load_scenario(path)
    mc = montecarlo.run(scenario.values, scenario.extensions["uncertainty"], (), 3000, seed=1)
    assert mc.prob_npv_negative == 0.0 and (mc.npv > 0).all()


def test_probability_of_loss_is_1_when_the_plan_cannot_win(scenario_file):
    """Community sales never above the baseline's (2.5% × 12 × 150元 ≤ 4% × 10 × 120元): only costs."""
    path = scenario_file("""
        uncertainty:
          inputs:
            conversion: {driver: revenue.community.conversion, dist: triangular, low: 1%, mode: 2%, high: 2.5%}
            labour: {driver: operating_costs.labour.fixed_yearly, dist: uniform, low: 10万, high: 50万}
    """)
    scenario = load_scenario(path)
    mc = montecarlo.run(scenario.values, scenario.extensions["uncertainty"], (), 3000, seed=1)
    assert mc.prob_npv_negative == 1.0
    assert np.isnan(mc.payback_months).all() and mc.payback_never == 1.0


@pytest.mark.parametrize("name", ["conversion", "aov", "gross_margin", "opex_yearly"])
def test_npv_is_within_one_yuan_of_zero_at_each_breakeven_value(base_analysis, name):
    """Each break-even value, put back into the scenario file as an input, gives |NPV| < 1 yuan."""
    row = base_analysis.breakeven.set_index("driver").loc[name]
    assert row["note"] == "found"
    target = risk.BREAKEVEN_TARGETS[name]
    values = dict(base_analysis.scenario.values)
    target.apply(values, row["breakeven"])
    overrides = {path: float(values[path]) for path in target.paths}
    npv = evaluate(load_scenario(BASE, overrides)).metrics["npv"]
    assert abs(npv) < 1.0
    assert abs(row["npv_at_breakeven"]) < 1.0


def test_base_case_breakevens_are_found_and_growth_has_none(base_analysis):
    table = base_analysis.breakeven.set_index("driver")
    assert set(table.index) == {"conversion", "aov", "growth", "gross_margin", "attribution", "opex_yearly"}
    assert table.loc["growth", "note"] == risk.NONE_WITHIN_BOUNDS  # NPV > 0 even with no growth at all
    assert 0.02 < table.loc["conversion", "breakeven"] < 0.075
    assert table.loc["opex_yearly", "breakeven"] > table.loc["opex_yearly", "base_value"]


def test_breakeven_is_none_within_bounds_when_the_driver_does_not_move_npv():
    """The mid-size tier has no users: conversion and AOV cannot change its NPV."""
    table = risk.breakeven_table(load_scenario(ROOT / "scenarios" / "study_mid.yaml")).set_index("driver")
    for name in ("conversion", "aov", "growth"):
        assert table.loc[name, "note"] == risk.NONE_WITHIN_BOUNDS and np.isnan(table.loc[name, "breakeven"])
    assert table.loc["opex_yearly", "note"] == "found"


def test_tornado_ends_are_deterministic_runs_and_sorted_by_swing(base_analysis):
    tornado = base_analysis.tornado
    assert list(tornado["swing"]) == sorted(tornado["swing"], reverse=True)
    row = tornado.set_index("input").loc["conversion"]
    assert row["npv_low"] == pytest.approx(
        evaluate(load_scenario(BASE, {"revenue.community.conversion": 0.06})).metrics["npv"], rel=1e-12)
    assert row["npv_high"] == pytest.approx(
        evaluate(load_scenario(BASE, {"revenue.community.conversion": 0.08})).metrics["npv"], rel=1e-12)
    opex = tornado.set_index("input").loc["opex"]
    parts = {f"operating_costs.{line}.fixed_yearly": v for line, v in
             (("labour", 202.5e4), ("activities", 157.5e4), ("tech_maintenance", 54e4), ("other", 36e4))}
    low = {path: value * 400 / 450 for path, value in parts.items()}  # the total 400万 in base proportions
    assert opex["npv_low"] == pytest.approx(evaluate(load_scenario(BASE, low)).metrics["npv"], rel=1e-12)


def test_stress_table_has_base_each_risk_both_ways_and_all_together(base_analysis):
    stress = base_analysis.stress
    risks = base_analysis.scenario.extensions["risks"]
    assert stress["case"].iloc[0] == "base" and stress["npv_change"].iloc[0] == 0
    assert len(stress) == 1 + 2 * len(risks) + 2
    assert list(stress["case"].iloc[-2:]) == ["all risks", "all risks (mitigated)"]
    for r in risks:
        rows = stress[stress["risk"] == r.key]
        assert rows["npv"].iloc[0] < stress["npv"].iloc[0]  # every risk of the register costs NPV
    assert stress["npv"].iloc[-2] == stress["npv"].min()
    assert base_analysis.expected_npv < base_analysis.base_npv


def test_montecarlo_summary_and_convergence(base_analysis):
    mc = base_analysis.montecarlo
    summary = mc.summary
    assert summary.loc["p5", "npv"] <= summary.loc["p50", "npv"] <= summary.loc["p95", "npv"]
    assert summary.loc["p50", "npv"] == pytest.approx(np.median(mc.npv))
    assert mc.prob_npv_negative == pytest.approx(np.mean(mc.npv < 0))
    convergence = mc.convergence()
    assert convergence["trials"].iloc[-1] == mc.trials
    assert convergence["p50_npv"].iloc[-1] == pytest.approx(np.median(mc.npv))
    assert mc.npv.shape == (2000,) and np.isfinite(mc.npv).all()


def test_json_has_the_contract_keys(base_analysis):
    data = base_analysis.to_json()
    assert {"stress", "expected_npv", "montecarlo", "tornado", "breakeven"} <= set(data)
    assert {"mean", "p5", "p50", "p95", "prob_npv_negative", "trials", "seed"} <= set(data["montecarlo"])
    assert set(data["montecarlo"]["p50"]) == {"npv", "irr", "payback_months"}
    assert data["montecarlo"]["trials"] == 2000
    assert data["expected_npv"] == pytest.approx(base_analysis.expected_npv)
    growth = next(row for row in data["breakeven"] if row["driver"] == "growth")
    assert growth["breakeven"] is None and growth["note"] == "none within bounds"


def test_a_scenario_without_register_or_uncertainty_still_analyses(scenario_file):
    analysis = risk.analyse(load_scenario(scenario_file()), trials=50, seed=1)
    assert list(analysis.stress["case"]) == ["base"]
    assert analysis.expected_npv == pytest.approx(analysis.base_npv, rel=1e-12)
    assert analysis.tornado.empty and np.ptp(analysis.montecarlo.npv) == 0
    for name in risk_tables.DISPLAY_COLUMNS:
        assert len(risk_tables.display_table(analysis, name).columns) == len(risk_tables.DISPLAY_COLUMNS[name])
    assert "(none)" in risk_tables.format_text(analysis)


def test_the_analysis_checks_itself(base_analysis):
    checks = base_analysis.checks
    assert [c.name for c in checks] == ["Monte Carlo reached its trial count", "risk probabilities in [0, 1]",
                                        "stress base case equals the deterministic NPV"]
    assert all(c.ok for c in checks)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_every_scenario_file_analyses_and_passes_its_checks(path):
    analysis = risk.analyse(load_scenario(path), trials=200, seed=1)
    assert all(check.ok for check in analysis.checks), analysis.checks
    assert json.loads(json.dumps(analysis.to_json(), allow_nan=False))["montecarlo"]["trials"] == 200


def test_the_trial_count_check_fails_when_a_trial_was_not_simulated(base_analysis):
    """Regression: the check compared the preallocated array's size with the trial count, so it could not fail."""
    import dataclasses

    (reached, *_) = base_analysis.checks
    assert reached.name == "Monte Carlo reached its trial count" and reached.ok
    npv = base_analysis.montecarlo.npv.copy()
    npv[-1] = np.nan  # as net_cash_flows leaves a trial it never simulated
    short = dataclasses.replace(base_analysis, montecarlo=dataclasses.replace(base_analysis.montecarlo, npv=npv))
    (reached, *_) = short.checks
    assert not reached.ok and reached.detail.startswith(f"{npv.size - 1:,} of {npv.size:,} trials")
