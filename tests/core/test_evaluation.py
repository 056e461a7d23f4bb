"""Metrics, tables and integrity checks of ``evaluate()``, against hand-computed cases.

The metrics case: 100 users held constant (10% growth, 10% churn a month), gross revenue
of 10 CNY per user-month at a 50% margin, a 600 CNY investment, 100 CNY labour and 10 CNY
acquisition a month, 2 months at exactly 1% a month. Net flows: −600, 390, 390.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SCENARIOS
from model.core import finance
from model.core.engine import BENEFIT_LINES, COST_LINES, simulate
from model.core.evaluation import evaluate, with_units
from model.core.metrics import METRIC_UNITS, annual_sums, compute_metrics
from model.outputs.labels import label
from model.inputs.scenario import load_scenario

MONTHLY_1PCT_AS_ANNUAL = 1.01 ** 12 - 1
METRICS_CASE = f"""
description: the metrics case of tests/test_evaluation.py
timeline:
  horizon_months: 2
  phase_end_month: {{pilot: 0, rollout: 0, optimisation: 0}}
finance: {{discount_rate_annual: {MONTHLY_1PCT_AS_ANNUAL!r}}}
users:
  initial: 100
  growth_monthly: {{steady: 10%}}
  churn_monthly: {{steady: 10%}}
revenue:
  basis: gross
  gross_margin: 50%
  community: {{conversion: 100%, purchases_per_year: 12, aov: 10元}}
investment: {{tech: 600}}
operating_costs:
  labour: {{fixed_yearly: 1200}}
  acquisition: {{per_new_user: 1}}
"""


@pytest.fixture
def metrics_case(tmp_path):
    path = tmp_path / "metrics_case.yaml"
    path.write_text(METRICS_CASE, encoding="utf-8")
    return load_scenario(path)


class TestMetricsByHand:
    @pytest.fixture
    def result(self, metrics_case):
        return evaluate(metrics_case)

    def test_flows(self, result):
        assert result.flows.net_cash_flow[0] == pytest.approx([-600, 390, 390])

    def test_npv(self, result):
        assert result.metrics["npv"] == pytest.approx(-600 + 390 / 1.01 + 390 / 1.01 ** 2, rel=1e-12)

    def test_npv_annual(self, result):
        # year 0 = −600 undiscounted; year 1 = 780 at the annual rate 1.01^12 − 1
        assert result.metrics["npv_annual"] == pytest.approx(-600 + 780 / 1.01 ** 12, rel=1e-12)

    def test_irr(self, result):
        # 390x² + 390x − 600 = 0 with x = 1/(1 + m); annualised (1 + m)^12 − 1
        x = (-390 + math.sqrt(390 ** 2 + 4 * 390 * 600)) / (2 * 390)
        assert result.metrics["irr"] == pytest.approx((1 / x) ** 12 - 1, rel=1e-9)

    def test_irr_annual(self, result):
        assert result.metrics["irr_annual"] == pytest.approx(780 / 600 - 1, rel=1e-12)

    def test_mirr(self, result):
        # inflows reinvested at 1% to month 2: 390 × 1.01 + 390; outflow 600 at month 0
        monthly = ((390 * 1.01 + 390) / 600) ** 0.5 - 1
        assert result.metrics["mirr"] == pytest.approx((1 + monthly) ** 12 - 1, rel=1e-12)

    def test_payback_interpolated(self, result):
        assert result.metrics["payback_months"] == pytest.approx(1 + 210 / 390, rel=1e-12)

    def test_discounted_payback(self, result):
        owed = 600 - 390 / 1.01
        assert result.metrics["discounted_payback_months"] == pytest.approx(1 + owed / (390 / 1.01 ** 2), rel=1e-12)

    def test_totals_roi_bcr(self, result):
        m = result.metrics
        assert (m["total_benefit"], m["total_cost"], m["total_investment"]) == pytest.approx((1000, 820, 600))
        assert m["roi"] == pytest.approx((1000 - 820) / 820, rel=1e-12)
        pv_benefit = 500 / 1.01 + 500 / 1.01 ** 2
        pv_cost = 600 + 110 / 1.01 + 110 / 1.01 ** 2
        assert m["bcr"] == pytest.approx(pv_benefit / pv_cost, rel=1e-12)

    def test_customer_economics(self, result):
        # churn: 20 lost over 200 user-months = 10%; gross profit 1000 over 200 user-months = 5 per user-month
        ltv = 5 / (0.10 + 0.01)
        cac = 20 * 1 / 20  # acquisition spend (20 new users at 1元) over new users
        m = result.metrics
        assert m["ltv"] == pytest.approx(ltv, rel=1e-12)
        assert m["cac"] == pytest.approx(cac, rel=1e-12)
        assert m["ltv_cac"] == pytest.approx(ltv / cac, rel=1e-12)
        assert m["cost_per_user"] == pytest.approx(820 / (100 + 20), rel=1e-12)  # all costs over users reached

    def test_every_metric_has_a_unit_and_a_label(self, result):
        assert list(result.metrics) == list(METRIC_UNITS)
        assert all(label(f"{name}_full") for name in METRIC_UNITS)  # every metric has its full name
        assert set(METRIC_UNITS) >= {"npv", "npv_annual", "irr", "irr_annual", "mirr", "payback_months",
                                     "discounted_payback_months", "roi", "bcr", "ltv", "cac", "ltv_cac",
                                     "total_benefit", "total_cost", "total_investment"}

    def test_checks_pass(self, result):
        assert result.ok and result.notes == {}


class TestFinanceRates:
    def test_explicit_zero_finance_rate_is_used(self, metrics_case):
        """Regression: a stated 0% finance/reinvestment rate was replaced by the discount rate."""
        zero = evaluate(metrics_case.with_overrides({"finance.finance_rate_annual": 0,
                                                     "finance.reinvestment_rate_annual": 0}))
        assert zero.metrics["mirr"] == pytest.approx((780 / 600) ** 6 - 1, rel=1e-12)  # ((780/600)^(1/2))^12 − 1

    def test_per_trial_discount_rates(self, metrics_case):
        values = dict(metrics_case.values)
        values["finance.discount_rate_annual"] = np.array([0.0, MONTHLY_1PCT_AS_ANNUAL])
        values["users.initial"] = np.array([100.0, 100.0])
        metrics = compute_metrics(simulate(values), values)
        assert metrics["npv"] == pytest.approx([180, -600 + 390 / 1.01 + 390 / 1.01 ** 2], rel=1e-12)


class TestUndefinedMetrics:
    def test_no_sign_change_gives_nan_with_reasons(self, metrics_case):
        result = evaluate(metrics_case.with_overrides({"revenue.community.aov": 0}))
        assert math.isnan(result.metrics["irr"]) and math.isnan(result.metrics["payback_months"])
        assert result.notes["irr"] == "the cash flows never change sign, so no rate makes NPV zero"
        assert result.notes["irr_annual"] == result.notes["irr"]
        assert "does not reach zero" in result.notes["payback_months"]
        assert "does not reach zero" in result.notes["discounted_payback_months"]
        assert "outlay and a return" in result.notes["mirr"]

    def test_no_users_leaves_customer_metrics_undefined(self, metrics_case):
        result = evaluate(metrics_case.with_overrides({"users.initial": 0}))
        assert math.isnan(result.metrics["ltv"]) and math.isnan(result.metrics["ltv_cac"])
        assert "community users" in result.notes["ltv"]


class TestTables:
    @pytest.fixture
    def result(self, metrics_case):
        return evaluate(metrics_case.with_overrides({"timeline.horizon_months": 14}))

    def test_monthly_columns(self, result):
        table = result.monthly
        assert list(table["month"]) == list(range(15))
        assert table["phase"].iloc[0] == "investment" and set(table["phase"].iloc[1:]) == {"steady"}
        for name in (*BENEFIT_LINES, *COST_LINES, "users", "net_cash_flow", "total_benefit", "total_cost",
                     "cumulative_net_cash_flow", "discounted_net_cash_flow", "cumulative_discounted_net_cash_flow"):
            assert name in table.columns, name
        assert table["cumulative_net_cash_flow"].iloc[-1] == pytest.approx(table["net_cash_flow"].sum())
        assert table["discounted_net_cash_flow"].iloc[1] == pytest.approx(390 / 1.01)

    def test_annual_years_and_sums(self, result):
        monthly, annual = result.monthly, result.annual
        assert list(annual["year"]) == [0, 1, 2]  # months 1–12 and 13–14
        assert annual["net_cash_flow"].tolist() == pytest.approx([-600, 12 * 390, 2 * 390])
        for name in (*BENEFIT_LINES, *COST_LINES, "net_cash_flow"):
            assert annual[name].sum() == pytest.approx(monthly[name].sum()), name

    def test_annual_users_at_year_end(self, result):
        assert result.annual["users"].tolist() == pytest.approx([100, 100, 100])

    def test_annual_discounting_is_yearly(self, result):
        annual = result.annual
        assert annual["discounted_net_cash_flow"].iloc[1] == pytest.approx(12 * 390 / 1.01 ** 12)

    def test_units_in_header(self, result):
        header = list(with_units(result.monthly).columns)
        assert header[:3] == ["month", "phase", "users (users)"]
        assert "net_cash_flow (CNY)" in header and "gross_profit (CNY)" in header


class TestAnnualSums:
    def test_hand_computed(self):
        monthly = np.array([[-5.0, *range(1, 15)]])
        # year 1 = 1 + … + 12 = 78; year 2 = 13 + 14 = 27
        assert annual_sums(monthly).tolist() == [[-5.0, 78.0, 27.0]]

    @settings(max_examples=100, deadline=None)
    @given(st.integers(1, 61), st.integers(1, 3), st.integers(0, 2 ** 32 - 1))
    def test_annual_table_sums_the_monthly_one(self, months, trials, seed):
        monthly = np.random.default_rng(seed).normal(0, 1e6, (trials, months + 1))
        annual = annual_sums(monthly)
        assert annual.shape == (trials, 1 + -(-months // 12))
        assert annual.sum(axis=1) == pytest.approx(monthly.sum(axis=1), rel=1e-9, abs=1e-3)
        assert (annual[:, 0] == monthly[:, 0]).all()


class TestChecks:
    def test_a_broken_result_fails_the_master_check(self, metrics_case):
        result = evaluate(metrics_case)
        users = result.flows.users.copy()
        users[0, 1] = -1.0
        broken = dataclasses.replace(result, flows=dataclasses.replace(result.flows, users=users))
        failed = [check.name for check in broken.checks if not check.ok]
        assert failed == ["user counts never negative"] and not broken.ok

    def test_wrong_sign_fails(self, metrics_case):
        result = evaluate(metrics_case)
        labour = -result.flows.labour
        broken = dataclasses.replace(result, flows=dataclasses.replace(result.flows, labour=labour))
        assert "benefits positive, costs and tax negative" in [c.name for c in broken.checks if not c.ok]

    def test_npv_at_irr_check_present(self, metrics_case):
        names = [check.name for check in evaluate(metrics_case).checks]
        assert names == ["annual sums equal monthly sums", "NPV at the IRR is zero", "user counts never negative",
                         "benefits positive, costs and tax negative",
                         "free cash flow = EBITDA + tax + capex + working capital + terminal value"]


class TestVectorisedMetrics:
    def test_batch_metrics_equal_one_by_one(self, metrics_case):
        initial = np.array([50.0, 100.0, 400.0])
        aov = np.array([5.0, 10.0, 30.0])
        values = dict(metrics_case.values, **{"users.initial": initial, "revenue.community.aov": aov})
        batch = compute_metrics(simulate(values), values)
        for trial in range(3):
            one = evaluate(metrics_case.with_overrides({"users.initial": float(initial[trial]),
                                                        "revenue.community.aov": float(aov[trial])}))
            for name, value in one.metrics.items():
                assert batch[name][trial] == pytest.approx(value, rel=1e-9, nan_ok=True), name

    def test_irr_is_npv_zero(self, metrics_case):
        result = evaluate(metrics_case)
        monthly = finance.monthly_from_annual(result.metrics["irr"])
        assert finance.npv(monthly, result.flows.net_cash_flow[0]) == pytest.approx(0, abs=1e-9)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_shipped_scenarios_against_numpy_financial(path):
    """Each shipped case's IRR and MIRR, before annualising, agree with numpy-financial's."""
    result = evaluate(load_scenario(path))
    net = result.flows.net_cash_flow[0]
    monthly_irr = npf.irr(net)
    rate = finance.monthly_from_annual(result.scenario["finance.discount_rate_annual"])
    if np.isnan(monthly_irr):
        assert math.isnan(result.metrics["irr"]) and result.notes["irr"]
    else:
        assert finance.monthly_from_annual(result.metrics["irr"]) == pytest.approx(monthly_irr, abs=1e-9)
        assert finance.monthly_from_annual(result.metrics["mirr"]) == pytest.approx(npf.mirr(net, rate, rate),
                                                                                    rel=1e-10)
    assert result.metrics["npv"] == pytest.approx(npf.npv(rate, net), rel=1e-12)
