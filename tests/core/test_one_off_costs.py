"""The one-off cost line: each ``one_off_costs.NAME.amount`` paid in its month, per trial, and what a
risk's own one-off does to NPV (stress, mitigated, expected, Monte Carlo) — against hand arithmetic."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import numpy as np
import pytest

from model.core.engine import COST_LINES, Flows, simulate
from model.core.evaluation import evaluate
from model.inputs.risks import with_risks
from model.inputs.scenario import load_scenario
from model.inputs.schema import FIXED_OPEX_LINES, INVESTMENT_LINES, OPERATING_LINES
from model.outputs.labels import label
from model.risk import analysis, montecarlo

RATE = 0.08
R_M = (1.0 + RATE) ** (1.0 / 12.0) - 1.0  # the monthly equivalent of 8% a year


def discounted(amount: float, month: int) -> float:
    """A cost of ``amount`` paid at the end of ``month``, in today's money."""
    return amount / (1.0 + R_M) ** month


#: A small case with revenue and costs, no tax or working capital (so NPV moves by the one-off alone).
CASE = ("description: a one-off case\n"
        "finance: {discount_rate_annual: 8%}\n"
        "timeline: {horizon_months: 24}\n"
        "users: {initial: 100000}\n"
        "revenue:\n  basis: gross\n  gross_margin: 40%\n"
        "  community: {conversion: 10%, purchases_per_year: 12, aov: 100元}\n"
        "investment: {tech: 50万}\n"
        "operating_costs: {other: {fixed_yearly: 24万}}\n")
FINES = ("risks:\n"
         "  fines:\n"
         "    probability: 10%\n"
         "    one_off: {amount: 200万, month: 12, source: \"001 §六(一)1.1\", basis: study}\n"
         "    mitigation:\n"
         "      description: compliance review\n"
         "      effectiveness: {low: 30%, high: 50%}\n")


def same_metrics(a: dict, b: dict) -> bool:
    """Every metric identical (NaN equal to NaN)."""
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)


@pytest.fixture
def case(tmp_path):
    def load(extra: str = ""):
        path: Path = tmp_path / "case.yaml"
        path.write_text(CASE + extra, encoding="utf-8")
        return load_scenario(path)

    return load


class TestLine:
    def test_registered_as_a_cost_line_outside_operating_and_investment(self):
        assert "one_off_costs" in COST_LINES and "one_off_costs" in {f.name for f in fields(Flows)}
        assert "one_off_costs" not in {c.line for c in (*OPERATING_LINES, *FIXED_OPEX_LINES, *INVESTMENT_LINES)}
        assert (label("one_off_costs", "en"), label("one_off_costs", "zh")) == ("One-off costs", "一次性支出")

    def test_each_amount_is_paid_in_its_month(self, case):
        scenario = case("one_off_costs:\n  fine: {amount: 200万, month: 12}\n"
                        "  leak: {amount: 800万, month: 18}\n  more: {amount: 50万, month: 12}\n")
        flows = simulate(scenario.values)
        expected = np.zeros(25)
        expected[12], expected[18] = -250e4, -800e4
        assert flows.one_off_costs[0].tolist() == expected.tolist()
        without = simulate(case().values)
        assert np.array_equal(flows.total_cost - without.total_cost, flows.one_off_costs)
        assert np.array_equal(flows.ebitda - without.ebitda, flows.one_off_costs)
        for name in {f.name for f in fields(Flows)} - {"one_off_costs"}:
            assert np.array_equal(getattr(flows, name), getattr(without, name)), name

    def test_per_trial_amounts(self, case):
        values = dict(case("one_off_costs:\n  fine: {amount: 200万, month: 3}\n").values)
        values["one_off_costs.fine.amount"] = np.array([0.0, 100e4, 300e4])
        line = simulate(values).one_off_costs
        assert line.shape == (3, 25)
        assert line[:, 3].tolist() == [0.0, -100e4, -300e4]
        assert not np.any(np.delete(line, 3, axis=1))

    def test_without_entries_the_line_is_the_shared_zero(self, case):
        flows = simulate(case().values)
        assert not np.any(flows.one_off_costs) and not np.signbit(flows.one_off_costs).any()
        assert flows.one_off_costs is flows.terminal_value  # the engine's one zero for absent lines

    def test_an_empty_section_changes_nothing(self, case):
        before, after = evaluate(case()), evaluate(case("one_off_costs: {}\n"))
        assert same_metrics(before.metrics, after.metrics)
        assert before.monthly.equals(after.monthly)

    def test_a_risks_entry_at_zero_changes_nothing_in_the_base_case(self, case):
        before, after = evaluate(case()), evaluate(case(FINES))
        assert same_metrics(before.metrics, after.metrics)
        assert before.monthly.equals(after.monthly)


class TestRisksOwnOneOff:
    def test_full_strength_moves_npv_by_the_discounted_amount(self, case):
        scenario = case(FINES)
        (risk,) = scenario.extensions["risks"]
        base = evaluate(scenario).metrics["npv"]
        hit = analysis.evaluate_cases([with_risks(scenario.values, [risk], [1.0], False)])["npv"][0]
        # 200万 / (1 + r_m)^12 with r_m = 1.08^(1/12) − 1: exactly 200万 / 1.08
        assert base - hit == pytest.approx(discounted(200e4, 12), rel=1e-12)
        assert discounted(200e4, 12) == pytest.approx(200e4 / 1.08, rel=1e-12)

    def test_mitigation_shrinks_it_by_one_minus_effectiveness(self, case):
        scenario = case(FINES)
        (risk,) = scenario.extensions["risks"]
        base = evaluate(scenario).metrics["npv"]
        hit = analysis.evaluate_cases([with_risks(scenario.values, [risk], [1.0], True)])["npv"][0]
        assert base - hit == pytest.approx((1.0 - 0.4) * discounted(200e4, 12), rel=1e-12)  # e = (30% + 50%) / 2

    def test_stress_and_expected_npv_pick_it_up(self, case):
        scenario = case(FINES)
        stress = analysis.stress_table(scenario).set_index("case")
        assert stress.loc["fines", "npv_change"] == pytest.approx(-discounted(200e4, 12), rel=1e-12)
        assert stress.loc["fines", "stated_impact"] == -200e4
        base = evaluate(scenario).metrics["npv"]
        assert analysis.expected_npv(scenario) == pytest.approx(base - 0.1 * discounted(200e4, 12), rel=1e-12)

    def test_the_monte_carlos_events_pay_it(self, case):
        scenario = case(FINES)
        base = evaluate(scenario).metrics["npv"]
        mc = montecarlo.run(scenario.values, None, scenario.extensions["risks"], trials=400, seed=7)
        occurred = mc.events["fines"].to_numpy()
        assert 0 < occurred.sum() < 400
        assert np.allclose(mc.npv, base - occurred * discounted(200e4, 12), rtol=0, atol=1e-6)


def test_an_uncertain_one_off_amount(case):
    scenario = case("one_off_costs:\n  fine: {amount: 250万, month: 6}\n"
                    "uncertainty:\n  inputs:\n"
                    "    fine: {driver: one_off_costs.fine.amount, dist: uniform, low: 200万, high: 300万}\n")
    without = evaluate(scenario.with_overrides({"one_off_costs.fine.amount": 0})).metrics["npv"]
    mc = montecarlo.run(scenario.values, scenario.extensions["uncertainty"], (), trials=300, seed=3)
    drawn = mc.samples["fine"].to_numpy()
    assert drawn.min() >= 200e4 and drawn.max() <= 300e4 and drawn.std() > 0
    assert np.allclose(mc.npv, without - drawn / (1.0 + R_M) ** 6, rtol=0, atol=1e-6)
