"""The engine, line by line, against hand-computed cases.

The small case below has a 4-month horizon with one month per phase (pilot 1, rollout 2,
optimisation 3, steady 4) so every number can be worked out on paper; each test states
its arithmetic. Money in CNY per month; costs negative.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.core.finance import npv
from model.core.engine import BENEFIT_LINES, CASH_LINES, COST_LINES, MEMO_LINES, STATEMENT_MEMO_LINES, Flows, phase_flags, simulate, user_counts

GROWTH = {"pilot": 0.10, "rollout": 0.20, "optimisation": 0.0, "steady": 0.05}
CHURN = {"pilot": 0.05, "rollout": 0.10, "optimisation": 0.0, "steady": 0.05}
#: users at each month end: 1000 → ×1.05 → ×1.10 → ×1.00 → ×1.00
USERS = [1000.0, 1050.0, 1155.0, 1155.0, 1155.0]


@pytest.fixture
def small(make_values):
    """The 4-month hand-computed case, with ``changes`` on top."""
    def build(changes: dict | None = None) -> dict:
        base = {
            "timeline.horizon_months": 4,
            "timeline.phase_end_month.pilot": 1,
            "timeline.phase_end_month.rollout": 2,
            "timeline.phase_end_month.optimisation": 3,
            "users.initial": 1000.0,
            **{f"users.growth_monthly.{p}": r for p, r in GROWTH.items()},
            **{f"users.churn_monthly.{p}": r for p, r in CHURN.items()},
            # community: 10% × 12/12 × 100 = 10 CNY per user-month
            "revenue.community.conversion": 0.10,
            "revenue.community.purchases_per_year": 12.0,
            "revenue.community.aov": 100.0,
            # baseline: 5% × 12/12 × 80 = 4 CNY per user-month
            "revenue.baseline.conversion": 0.05,
            "revenue.baseline.purchases_per_year": 12.0,
            "revenue.baseline.aov": 80.0,
            "revenue.gross_margin": 0.4,
        }
        return make_values({**base, **(changes or {})})

    return build


def row(line: np.ndarray) -> list[float]:
    assert line.shape[0] == 1
    return line[0].tolist()


class TestTime:
    def test_phase_flags_default_ends(self, make_values):
        flags = phase_flags(make_values(), np.arange(15))
        assert np.flatnonzero(flags["pilot"][0]).tolist() == [1, 2, 3]
        assert np.flatnonzero(flags["rollout"][0]).tolist() == [4, 5, 6, 7, 8, 9]
        assert np.flatnonzero(flags["optimisation"][0]).tolist() == [10, 11, 12]
        assert np.flatnonzero(flags["steady"][0]).tolist() == [13, 14]

    def test_month_zero_is_in_no_phase_and_every_other_month_in_one(self, make_values):
        flags = phase_flags(make_values(), np.arange(40))
        total = sum(flags.values())[0]
        assert total[0] == 0 and (total[1:] == 1).all()

    def test_empty_phases(self, make_values):
        values = make_values({f"timeline.phase_end_month.{p}": 0 for p in ("pilot", "rollout", "optimisation")})
        flags = phase_flags(values, np.arange(5))
        assert flags["pilot"].sum() == flags["rollout"].sum() == flags["optimisation"].sum() == 0
        assert flags["steady"][0].tolist() == [0, 1, 1, 1, 1]

    def test_every_line_has_the_horizon_plus_month_zero(self, small):
        flows = simulate(small({"timeline.horizon_months": 7}))
        assert {line.shape for line in flows.lines().values()} == {(1, 8)}


class TestUsers:
    def test_growth_and_churn_by_phase(self, small):
        flows = simulate(small())
        assert row(flows.users) == pytest.approx(USERS)
        # new = previous × growth: 1000 × 10%, 1050 × 20%, 0, 1155 × 5%
        assert row(flows.new_users) == pytest.approx([0, 100, 210, 0, 57.75])
        # churned = previous × churn: 1000 × 5%, 1050 × 10%, 0, 1155 × 5%
        assert row(flows.churned_users) == pytest.approx([0, 50, 105, 0, 57.75])

    def test_cap(self, small):
        flows = simulate(small({"users.cap": 1100.0}))
        # month 2 would be 1155; the cap holds it at 1100, so new = 1100 − 1050 + 105 churned
        assert row(flows.users) == pytest.approx([1000, 1050, 1100, 1100, 1100])
        assert row(flows.new_users) == pytest.approx([0, 100, 155, 0, 55])
        assert row(flows.churned_users) == pytest.approx([0, 50, 105, 0, 55])

    def test_stock_flow_identity(self, small):
        flows = simulate(small({"users.cap": 1100.0}))
        change = np.diff(flows.users[0])
        assert change == pytest.approx((flows.new_users - flows.churned_users)[0, 1:])

    def test_full_churn_never_negative(self, small):
        flows = simulate(small({"users.churn_monthly.pilot": 1.0, "users.growth_monthly.pilot": 0.0}))
        assert row(flows.users)[1] == 0.0
        assert flows.users.min() >= 0.0

    def test_user_counts_vectorised_cap_per_trial(self):
        users, new, lost = user_counts(np.array([[100.0], [100.0]]), np.full((1, 3), 0.5), np.zeros((1, 3)),
                                       np.array([[1000.0], [120.0]]))
        assert users.tolist() == [[100.0, 150.0, 225.0], [100.0, 120.0, 120.0]]
        assert new.tolist() == [[0.0, 50.0, 75.0], [0.0, 20.0, 0.0]]


class TestRevenue:
    def test_community_baseline_premium_incremental(self, small):
        values = small({"revenue.exclusive.share": 0.2, "revenue.exclusive.premium": 0.5})
        flows = simulate(values)
        users = np.array(USERS)
        assert row(flows.community_revenue) == pytest.approx([0, *(10 * users[1:])])  # 10 per user-month
        assert row(flows.baseline_revenue) == pytest.approx([0, *(4 * users[1:])])  # 4 per user-month
        # premium = community × share × premium = community × 10%
        assert row(flows.exclusive_premium) == pytest.approx([0, *(users[1:])])
        # incremental = community + premium − baseline = (10 + 1 − 4) per user-month
        assert row(flows.incremental_revenue) == pytest.approx([0, *(7 * users[1:])])
        assert row(flows.counted_revenue) == row(flows.incremental_revenue)
        # 40% margin on the increment: month 1 = 7 × 1050 × 0.4
        assert row(flows.gross_profit)[1] == pytest.approx(2940.0)

    def test_gross_basis_counts_all_community_revenue(self, small):
        flows = simulate(small({"revenue.basis": "gross", "revenue.exclusive.share": 0.2,
                                "revenue.exclusive.premium": 0.5}))
        # counted = community + premium = 11 per user-month; month 1: 11 × 1050 = 11550; × 40%
        assert row(flows.counted_revenue)[1] == pytest.approx(11550.0)
        assert row(flows.gross_profit)[1] == pytest.approx(4620.0)

    def test_study_section_5_2_1_figures(self, make_values):
        """001 §5.2.1: 1M users × 7.5% × 12 × 150元 = 1.35亿/yr; × 4% × 10 × 120元 = 0.48亿; increment 0.87亿."""
        values = make_values({
            "users.initial": 1_000_000.0, "timeline.horizon_months": 12,
            "revenue.community.conversion": 0.075, "revenue.community.purchases_per_year": 12.0,
            "revenue.community.aov": 150.0, "revenue.baseline.conversion": 0.04,
            "revenue.baseline.purchases_per_year": 10.0, "revenue.baseline.aov": 120.0,
        })
        flows = simulate(values)
        assert flows.community_revenue.sum() == pytest.approx(1.35e8)
        assert flows.baseline_revenue.sum() == pytest.approx(0.48e8)
        assert flows.incremental_revenue.sum() == pytest.approx(0.87e8)

    def test_no_revenue_in_month_zero(self, small):
        flows = simulate(small({"revenue.stated_benefit_yearly": 1200.0}))
        assert all(line[0, 0] == 0 for name, line in flows.lines().items()
                   if name in BENEFIT_LINES or name.endswith("revenue"))

    def test_stated_benefit_counted_as_is(self, small):
        flows = simulate(small({"revenue.stated_benefit_yearly": 120000.0, "revenue.gross_margin": 0.1}))
        assert row(flows.stated_benefit) == [0, 10000, 10000, 10000, 10000]  # 120000 / 12, no margin

    def test_margin_on_a_negative_increment_is_a_loss(self, small):
        # community AOV 20 → 2 per user-month against a baseline of 4: the community loses sales
        flows = simulate(small({"revenue.community.aov": 20.0}))
        assert row(flows.gross_profit)[1] == pytest.approx((2 - 4) * 1050 * 0.4)


class TestIndirect:
    def test_off_by_default(self, small):
        flows = simulate(small({"indirect.word_of_mouth_yearly": 12000.0}))
        assert flows.word_of_mouth.sum() == 0

    def test_yearly_amounts_spread_over_months(self, small):
        flows = simulate(small({"indirect.enabled": True, "indirect.word_of_mouth_yearly": 12000.0,
                                "indirect.data_value_yearly": 24000.0, "indirect.other_yearly": 1200.0}))
        assert row(flows.word_of_mouth) == [0, 1000, 1000, 1000, 1000]
        assert row(flows.data_value) == [0, 2000, 2000, 2000, 2000]
        assert row(flows.other_indirect) == [0, 100, 100, 100, 100]


class TestLaunchDelay:
    def test_whole_months(self, small):
        flows = simulate(small({"timeline.launch_delay_months": 2, "indirect.enabled": True,
                                "indirect.word_of_mouth_yearly": 12000.0, "revenue.exclusive.share": 0.2,
                                "revenue.exclusive.premium": 0.5, "operating_costs.activities.fixed_yearly": 1200.0}))
        # before launch there is no community revenue; the users buy their baseline: no increment
        assert row(flows.community_revenue)[1:3] == [0, 0]
        assert row(flows.baseline_revenue)[1:3] == pytest.approx([4200, 4620])
        assert row(flows.incremental_revenue) == pytest.approx([0, 0, 0, 7 * 1155, 7 * 1155])
        assert row(flows.exclusive_premium)[1:3] == [0, 0]
        assert row(flows.word_of_mouth) == [0, 0, 0, 1000, 1000]
        assert row(flows.activities) == [0, -100, -100, -100, -100]  # costs run meanwhile

    def test_gross_basis_counts_nothing_before_the_launch(self, small):
        """Regression: under `gross`, the baseline sales of the delay months were counted as community benefit."""
        flows = simulate(small({"timeline.launch_delay_months": 2, "revenue.basis": "gross"}))
        assert row(flows.counted_revenue)[:3] == [0, 0, 0]
        assert row(flows.counted_revenue)[3:] == pytest.approx(row(flows.community_revenue)[3:])

    def test_part_of_a_month(self, small):
        flows = simulate(small({"timeline.launch_delay_months": 1.5}))
        # month 2 is half launched: half of its increment (10 − 4) × 1155
        assert row(flows.incremental_revenue) == pytest.approx([0, 0, 3 * 1155, 6 * 1155, 6 * 1155])

    def test_npv_is_continuous_in_the_delay(self, small):
        def increment(delay):
            return simulate(small({"timeline.launch_delay_months": delay})).incremental_revenue.sum()
        assert increment(1.999999) == pytest.approx(increment(2.0), rel=1e-5)


class TestCosts:
    def test_investment_at_month_zero_only(self, small):
        flows = simulate(small({"investment.tech": 1000.0, "investment.labour": 2000.0,
                                "investment.content": 3000.0}))
        assert row(flows.investment_tech) == [-1000, 0, 0, 0, 0]
        assert row(flows.investment_labour) == [-2000, 0, 0, 0, 0]
        assert row(flows.investment_content) == [-3000, 0, 0, 0, 0]
        assert flows.investment.tolist() == [-6000]

    @pytest.mark.parametrize("section, line", [
        ("labour", "labour"), ("activities", "activities"), ("tech_maintenance", "tech_maintenance"),
        ("other", "other_costs"),
    ])
    def test_fixed_plus_per_user(self, small, section, line):
        flows = simulate(small({f"operating_costs.{section}.fixed_yearly": 12000.0,
                                f"operating_costs.{section}.per_user_yearly": 1.2}))
        # (12000 + 1.2 × users) / 12 per month: 1000 + 0.1 × users
        expected = [0, *(-(1000 + 0.1 * np.array(USERS[1:])))]
        assert row(getattr(flows, line)) == pytest.approx(expected)

    def test_staffing_ratio(self, small):
        flows = simulate(small({"operating_costs.labour_staffing.users_per_operator": 500.0,
                                "operating_costs.labour_staffing.operator_cost_yearly": 60000.0,
                                "operating_costs.labour.fixed_yearly": 12000.0}))
        # users / 500 operators × 5000 per month, plus the fixed 1000: month 1 = 2.1 × 5000 + 1000
        assert row(flows.labour) == pytest.approx([0, -11500, -12550, -12550, -12550])

    def test_staffing_ratio_unused_by_default(self, small):
        flows = simulate(small({"operating_costs.labour_staffing.operator_cost_yearly": 60000.0}))
        assert flows.labour.sum() == 0

    def test_acquisition_per_new_user(self, small):
        flows = simulate(small({"operating_costs.acquisition.per_new_user": 2.0}))
        assert row(flows.acquisition) == pytest.approx([0, -200, -420, 0, -115.5])


class TestLevers:
    COSTS = {"investment.tech": 1000.0, "operating_costs.labour.fixed_yearly": 12000.0,
             "operating_costs.activities.fixed_yearly": 24000.0,
             "operating_costs.tech_maintenance.fixed_yearly": 6000.0,
             "levers.saas_scrm.tech_investment_cut": 0.7, "levers.saas_scrm.subscription_yearly": 12000.0,
             "levers.part_time_staff.labour_cut": 0.25, "levers.ai_customer_service.saving_yearly": 2400.0,
             "levers.lean_events.activities_cut": 0.33}

    def test_effects_need_the_switch(self, small):
        flows = simulate(small(self.COSTS))
        assert row(flows.investment_tech)[0] == -1000
        assert row(flows.labour)[1] == -1000
        assert row(flows.activities)[1] == -2000
        assert row(flows.tech_maintenance)[1] == -500

    def test_saas_scrm(self, small):
        flows = simulate(small({**self.COSTS, "levers.saas_scrm.enabled": True}))
        assert row(flows.investment_tech)[0] == pytest.approx(-300)  # 1000 × (1 − 70%)
        assert row(flows.tech_maintenance) == pytest.approx([0, -1500, -1500, -1500, -1500])  # 500 + 12000/12

    def test_part_time_staff(self, small):
        flows = simulate(small({**self.COSTS, "levers.part_time_staff.enabled": True}))
        assert row(flows.labour)[1] == pytest.approx(-750)  # 1000 × (1 − 25%)

    def test_ai_customer_service(self, small):
        flows = simulate(small({**self.COSTS, "levers.ai_customer_service.enabled": True}))
        assert row(flows.labour)[1] == pytest.approx(-800)  # 1000 − 2400/12

    def test_ai_saving_never_makes_labour_a_benefit(self, small):
        flows = simulate(small({**self.COSTS, "levers.ai_customer_service.enabled": True,
                                "levers.ai_customer_service.saving_yearly": 1e6}))
        assert row(flows.labour) == [0, 0, 0, 0, 0]

    def test_lean_events(self, small):
        flows = simulate(small({**self.COSTS, "levers.lean_events.enabled": True}))
        assert row(flows.activities)[1] == pytest.approx(-1340)  # 2000 × (1 − 33%)

    def test_part_time_then_ai(self, small):
        flows = simulate(small({**self.COSTS, "levers.part_time_staff.enabled": True,
                                "levers.ai_customer_service.enabled": True}))
        assert row(flows.labour)[1] == pytest.approx(-550)  # 1000 × 75% − 200


class TestTotals:
    def test_net_is_benefits_plus_costs_memo_lines_excluded(self, small):
        flows = simulate(small({"investment.tech": 500.0, "operating_costs.other.fixed_yearly": 1200.0,
                                "revenue.stated_benefit_yearly": 2400.0}))
        assert set(MEMO_LINES).isdisjoint(BENEFIT_LINES + COST_LINES)
        benefit = sum(getattr(flows, n) for n in BENEFIT_LINES)
        cost = sum(getattr(flows, n) for n in COST_LINES)
        assert flows.net_cash_flow == pytest.approx(benefit + cost)
        # month 1: (10 − 4) × 1050 × 40% + 2400/12 − 1200/12
        assert row(flows.net_cash_flow)[:2] == pytest.approx([-500, 2520 + 200 - 100])

    def test_every_line_is_a_field(self):
        names = {f for f in Flows.__dataclass_fields__}
        assert names == set(MEMO_LINES + BENEFIT_LINES + COST_LINES + CASH_LINES + STATEMENT_MEMO_LINES)


class TestVectorised:
    def test_per_trial_inputs_match_one_trial_runs(self, small):
        initial = np.array([1000.0, 2000.0, 500.0])
        conversion = np.array([0.10, 0.05, 0.20])
        batch = simulate(small({"users.initial": initial, "revenue.community.conversion": conversion,
                                "operating_costs.acquisition.per_new_user": 3.0}))
        assert batch.net_cash_flow.shape == (3, 5)
        for trial in range(3):
            one = simulate(small({"users.initial": float(initial[trial]),
                                  "revenue.community.conversion": float(conversion[trial]),
                                  "operating_costs.acquisition.per_new_user": 3.0}))
            for name, line in one.lines().items():
                assert batch.lines()[name][trial] == pytest.approx(line[0]), name

    def test_scalar_inputs_fill_every_trial(self, small):
        batch = simulate(small({"investment.tech": np.array([1.0, 2.0])}))
        assert batch.users.shape == (2, 5)
        assert batch.users[0] == pytest.approx(batch.users[1])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(factor=st.floats(1.0, 3.0), basis=st.sampled_from(["incremental", "gross"]), delay=st.floats(0.0, 4.0))
def test_raising_every_benefit_never_lowers_the_net_flow(small, factor, basis, delay):
    """More conversion, purchases, order value, premium and indirect/stated benefit: never less cash,
    so never a lower NPV."""
    values = small({"revenue.basis": basis, "timeline.launch_delay_months": delay, "indirect.enabled": True,
                    "revenue.exclusive.share": 0.2, "revenue.exclusive.premium": 0.15,
                    "indirect.word_of_mouth_yearly": 1200.0, "indirect.data_value_yearly": 600.0,
                    "revenue.stated_benefit_yearly": 2400.0, "investment.tech": 5000.0,
                    "operating_costs.labour.fixed_yearly": 12000.0})
    raised = dict(values)
    for path in ("revenue.community.conversion", "revenue.community.purchases_per_year", "revenue.community.aov",
                 "revenue.exclusive.premium", "indirect.word_of_mouth_yearly", "indirect.data_value_yearly",
                 "revenue.stated_benefit_yearly"):
        raised[path] = values[path] * factor
    before, after = simulate(values).net_cash_flow[0], simulate(raised).net_cash_flow[0]
    assert (after >= before - 1e-9 * np.abs(before).max()).all()
    assert npv(0.01, after) >= npv(0.01, before) - 1e-9 * np.abs(before).sum()
