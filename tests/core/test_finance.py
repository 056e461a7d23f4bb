"""NPV, IRR, MIRR, payback: hand-computed cases, numpy-financial and pyxirr as references,
hypothesis properties. Tolerances are stated per test."""

from __future__ import annotations

import math
import warnings

import numpy as np
import numpy_financial as npf
import pytest
import pyxirr
from hypothesis import given, settings
from hypothesis import strategies as st

from model.core import batch, finance, irr_roots as roots


def conventional_flows(rng: np.random.Generator, trials: int, periods: int) -> np.ndarray:
    """Random flows with 1–6 periods of outlays, then inflows (one sign change; an IRR exists)."""
    outlays = rng.integers(1, 7, size=trials)[:, None]
    t = np.arange(periods)[None, :]
    return np.where(t < outlays, -rng.uniform(50, 150, (trials, periods)), rng.uniform(0, 30, (trials, periods)))


class TestRates:
    def test_monthly_from_annual_hand_computed(self):
        # (1 + 8%)^(1/12) − 1 = 0.00643403011...
        assert finance.monthly_from_annual(0.08) == pytest.approx(0.00643403011, rel=1e-9)

    def test_annual_from_monthly_hand_computed(self):
        # (1 + 1%)^12 − 1 = 0.12682503...
        assert finance.annual_from_monthly(0.01) == pytest.approx(0.1268250301, rel=1e-9)

    def test_round_trip(self):
        rates = np.array([0.0, 0.08, 0.1, 0.12, 2.0])
        assert finance.annual_from_monthly(finance.monthly_from_annual(rates)) == pytest.approx(rates, abs=1e-14)

    def test_discount_factors_per_trial(self):
        factors = finance.discount_factors(np.array([0.0, 1.0]), 3)
        assert factors.tolist() == [[1.0, 1.0, 1.0], [1.0, 0.5, 0.25]]


class TestNpv:
    def test_hand_computed(self):
        # −100 + 60/1.1 + 60/1.21 = 4.1322314...
        assert finance.npv(0.10, [-100, 60, 60]) == pytest.approx(4.132231405, rel=1e-10)

    def test_first_flow_not_discounted(self):
        assert finance.npv(0.5, [7.0]) == 7.0

    def test_zero_rate_is_the_sum(self):
        assert finance.npv(0.0, [-3, 1, 2, 5]) == 5.0

    def test_against_numpy_financial_on_random_flows(self):
        rng = np.random.default_rng(20240901)
        flows = rng.normal(0, 100, (300, 37))
        rates = rng.uniform(0, 0.2, 300)
        ours = finance.npv(rates, flows)
        reference = np.array([npf.npv(r, f) for r, f in zip(rates, flows)])
        assert ours == pytest.approx(reference, rel=1e-12, abs=1e-9)

    def test_batch_shape(self):
        assert finance.npv(0.01, np.ones((4, 5))).shape == (4,)
        assert isinstance(finance.npv(0.01, np.ones(5)), float)

    def test_empty_flows_are_an_error_naming_the_argument(self):
        with pytest.raises(ValueError, match="flows"):
            finance.npv(0.1, [])

    def test_rate_of_minus_one_is_nan_for_that_trial_only(self):
        # every flow after t = 0 would be divided by (1 − 1)^t = 0; numpy-financial gives NaN too
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = finance.npv(np.array([-1.0, 0.1]), [[-100, 60, 60], [-100, 60, 60]])
            assert math.isnan(result[0])
            assert result[1] == pytest.approx(4.132231405, rel=1e-10)
            assert math.isnan(finance.npv(-1.0, [7.0, 1.0]))


class TestIrr:
    def test_hand_computed_two_periods(self):
        # −100 + 121/(1 + r)^2 = 0 → r = 10%
        assert finance.irr([-100, 0, 121]) == pytest.approx(0.10, abs=1e-12)

    def test_numpy_financial_docstring_case(self):
        assert finance.irr([-100, 39, 59, 55, 20]) == pytest.approx(0.28094842115996, abs=1e-12)

    def test_negative_irr(self):
        # −100 + 90/(1 + r) = 0 → r = −10%
        assert finance.irr([-100, 90]) == pytest.approx(-0.10, abs=1e-12)

    def test_within_1e9_of_numpy_financial_on_many_conventional_flows(self):
        rng = np.random.default_rng(7)
        flows = conventional_flows(rng, 400, 37)
        ours = finance.irr(flows)
        reference = np.array([npf.irr(f) for f in flows])
        assert np.isfinite(reference).all()
        assert np.max(np.abs(ours - reference)) < 1e-9

    def test_within_1e9_of_pyxirr_on_many_conventional_flows(self):
        rng = np.random.default_rng(11)
        flows = conventional_flows(rng, 300, 13)
        ours = finance.irr(flows)
        reference = np.array([pyxirr.irr(f) for f in flows])
        assert np.max(np.abs(ours - reference)) < 1e-9

    def test_large_rates_of_a_fast_payback(self):
        # a plan that pays back in a month: monthly IRR in the hundreds of percent
        flows = np.array([-300.0] + [400.0] * 36)
        assert finance.npv(finance.irr(flows), flows) == pytest.approx(0.0, abs=1e-6)
        assert finance.irr(flows) == pytest.approx(npf.irr(flows), abs=1e-9)

    def test_batch_equals_one_by_one(self):
        # small and large batches take different evaluation paths; both give the same roots
        flows = conventional_flows(np.random.default_rng(3), 80, 25)
        batch = finance.irr(flows)
        single = np.array([finance.irr(f) for f in flows])
        assert batch == pytest.approx(single, abs=1e-12)

    def test_blocks_do_not_change_results(self, monkeypatch):
        flows = conventional_flows(np.random.default_rng(4), 50, 10)
        whole = finance.irr(flows)
        monkeypatch.setattr(batch, "BLOCK_TRIALS", 7)
        assert finance.irr(flows) == pytest.approx(whole, abs=1e-13)

    def test_scale_free(self):
        flows = np.array([-1.0, 0.3, 0.5, 0.6])
        assert finance.irr(flows * 1e9) == pytest.approx(finance.irr(flows), abs=1e-12)

    def test_several_roots_take_the_smallest_non_negative(self):
        # −1 + 5x − 6x² = −(2x − 1)(3x − 1) with x = 1/(1 + r): roots r = 100% and r = 200%
        assert finance.irr([-1, 5, -6]) == pytest.approx(1.0, abs=1e-12)

    def test_several_sign_changes_root_is_a_root(self):
        flows = np.array([-100, 230, -132])  # −100 + 230/g − 132/g² = −100(g − 1.1)(g − 1.2)/g², g = 1 + r
        rate = finance.irr(flows)
        assert rate == pytest.approx(0.10, abs=1e-12)

    def test_a_non_negative_root_wins_over_one_nearer_zero(self):
        # −100 + 210/g − 108/g² = −(g − 0.9)(g − 1.2)·100/g²: roots −10% and +20%. numpy-financial
        # 1.0.0, and this function before, took the root nearest zero, −10%; numpy-financial now takes +20%
        assert finance.irr([-100, 210, -108]) == pytest.approx(0.20, abs=1e-12)

    def test_all_roots_negative_take_the_one_nearest_zero(self):
        # −100 + 170/g − 72/g² = −(g − 0.9)(g − 0.8)·100/g²: roots −10% and −20%
        assert finance.irr([-100, 170, -72]) == pytest.approx(-0.10, abs=1e-12)

    def test_a_root_at_zero_is_the_smallest_non_negative(self):
        # −100 + 225/g − 125/g² = −(g − 1)(g − 1.25)·100/g²: roots 0 and 25%; the flows sum to exactly 0
        assert finance.irr([-100, 225, -125]) == 0.0

    def test_near_total_loss_beyond_the_old_search_range(self):
        # −1 + 1e-250/(1 + r)^59 = 0: 1 + r = 10^(−250/59), r ≈ −99.994% (y = ln(1 + r) ≈ −9.76 a period,
        # beyond the old search range of ±600/59 only just; numpy-financial's np.roots gives −99.53%)
        assert finance.irr([-1.0] + [0.0] * 58 + [1e-250]) == pytest.approx(10 ** (-250 / 59) - 1, rel=1e-12)

    def test_a_loss_so_near_total_that_the_rate_rounds_to_minus_one(self):
        # (1 + r)^3 = 1e-300: 1 + r = 1e-100, far below the spacing of floats near 1 (numpy-financial: −1.0 too)
        assert finance.irr([-1.0, 0.0, 0.0, 1e-300]) == -1.0

    def test_huge_rate_beyond_the_old_search_range(self):
        # Σ_{t=1..30} (1 + r)^−t = (1 − (1 + r)^−30)/r = 1e-12: r = 1e12 a period (y ≈ 27.6 > 600/30)
        assert finance.irr([-1e-12] + [1.0] * 30) == pytest.approx(1e12, rel=1e-9)

    def test_a_rate_beyond_the_largest_float_is_inf(self):
        # 1e-300 − 1/(1 + r) = 0: r = 1e300 − 1; with 5e-324 for 1e-300, 1 + r = 2e323 is no float
        assert finance.irr([1e-300, -1.0]) == pytest.approx(1e300, rel=1e-12)
        assert finance.irr([5e-324, -1.0]) == math.inf
        assert finance.irr_roots_count([5e-324, -1.0]) == 1

    def test_trailing_zero_flows_add_no_root_at_minus_one(self):
        # numpy-financial's polynomial gets a root at 1 + r = 0 from each trailing zero flow, and it returns −1
        # when that is the only root; NPV is undefined there (its npv(−1) is NaN), so it is no IRR here
        assert finance.irr([-100, 90, 0, 0]) == pytest.approx(-0.10, abs=1e-12)
        assert math.isnan(finance.irr([-1, 1, -1, 0]))

    def test_the_flows_given_are_not_changed(self):
        flows = np.array([-100.0, 60.0, 60.0])
        finance.irr(flows)
        finance.irr_roots_count(flows)
        assert flows.tolist() == [-100.0, 60.0, 60.0]

    @pytest.mark.parametrize("flows, reason", [
        ([100, 50, 10], "never change sign"),
        ([-100, -50, 0], "never change sign"),  # numpy-financial: −1, from the zero flow (see above)
        ([0, 0, 0], "never change sign"),
        ([7.0], "never change sign"),
        ([-100, math.nan, 150], "NaN or infinite"),
        ([-100, math.inf, 150], "NaN or infinite"),
    ])
    def test_no_irr_is_nan_with_a_reason_never_an_exception(self, flows, reason):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert math.isnan(finance.irr(flows))
            assert reason in finance.irr_failure(flows)

    def test_no_real_root(self):
        # the flows change sign but NPV stays negative for every rate: −1 + x − x² < 0
        flows = [-1, 1, -1]
        assert math.isnan(finance.irr(flows))
        assert finance.irr_failure(flows) == "the cash flows change sign, but NPV is zero at no rate above −100%"

    def test_failure_is_none_when_solved(self):
        assert finance.irr_failure([-100, 0, 121]) is None

    def test_batch_mixes_solvable_and_not(self):
        result = finance.irr([[-100, 0, 121], [1, 1, 1], [-100, 90, 0]])
        assert result[0] == pytest.approx(0.1, abs=1e-12)
        assert math.isnan(result[1])
        assert result[2] == pytest.approx(-0.1, abs=1e-12)


def numpy_financial_current_irr(flows) -> tuple[float, int]:
    """numpy-financial's irr as of commit f47e8af (the installed 1.0.0 predates it), and its roots' count.

    np.roots gives 1 + r; the real ones with r > −1 are the roots (numpy-financial also keeps
    r = −1, the roots of trailing zero flows); of several, the smallest r ≥ 0, else the
    largest r. For flows whose roots are well apart only: np.roots splits a double root.
    """
    roots = np.roots(flows)
    rates = np.sort(roots.real[(roots.imag == 0) & (roots.real > 0)]) - 1.0
    if not rates.size:
        return math.nan, 0
    return (rates[rates >= 0].min() if (rates >= 0).any() else rates.max()), rates.size


def multi_sign_flows(rng: np.random.Generator, trials: int, periods: int) -> np.ndarray:
    """1–6 periods of outlays (fewer in short flows), then inflows with a loss in about one later period
    in ten and in one at random: two sign changes or more."""
    outlays = rng.integers(1, min(7, periods - 2), size=trials)[:, None]
    t = np.arange(periods)[None, :]
    flows = np.where(t < outlays, -rng.uniform(50, 150, (trials, periods)), rng.uniform(0, 30, (trials, periods)))
    loss = (rng.random((trials, periods)) < 0.1) | (t == rng.integers(outlays[:, 0] + 1, periods - 1)[:, None])
    return np.where(loss & (t > outlays), -rng.uniform(0, 60, (trials, periods)), flows)


class TestIrrAmbiguous:
    def test_conventional_flows_have_one_root(self):
        assert finance.irr_roots_count([-100, 60, 60]) == 1
        assert finance.irr_ambiguous([-100, 60, 60]) is False

    def test_two_roots(self):
        # −(g − 1.1)(g − 1.2)·100/g²: 10% and 20%
        assert finance.irr_roots_count([-100, 230, -132]) == 2
        assert finance.irr_ambiguous([-100, 230, -132]) is True

    def test_three_sign_changes_and_one_root(self):
        # p(x) = −1 + 3x − 4x² + 3x³ (x = 1/(1 + r)) changes sign three times, but p′(x) = 3 − 8x + 9x²
        # has no real zero (8² < 4·3·9): p only rises, so it has one root, x ≈ 0.5944 (r ≈ 68.2%)
        flows = [-100, 300, -400, 300]
        assert finance.irr_roots_count(flows) == 1
        assert finance.irr_ambiguous(flows) is False
        assert finance.npv(finance.irr(flows), flows) == pytest.approx(0.0, abs=1e-9)
        assert finance.irr(flows) == pytest.approx(0.6823278038280169, abs=1e-12)  # numpy-financial, np.roots

    def test_sign_changes_and_no_root(self):
        assert finance.irr_roots_count([-1, 1, -1]) == 0  # −1 + x − x² < 0
        assert finance.irr_ambiguous([-1, 1, -1]) is False

    def test_a_double_root_is_one_root(self):
        # −100 + 200x − 100x² = −100(1 − x)²: r = 0 twice (np.roots gives two roots 1e-8 apart, or none)
        assert finance.irr_roots_count([-100, 200, -100]) == 1
        assert finance.irr([-100, 200, -100]) == 0.0

    @pytest.mark.parametrize("flows", [[100, 50, 10], [0, 0, 0], [7.0], [-100, math.nan, 150], [-100, math.inf, 50]])
    def test_no_sign_change_or_not_finite_is_no_root(self, flows):
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert finance.irr_roots_count(flows) == 0
            assert finance.irr_ambiguous(flows) is False

    def test_batch(self):
        flows = [[-100, 60, 60], [-100, 230, -132], [-100, 300, -400, 300][:3], [1, 1, 1]]
        counts = finance.irr_roots_count(flows)
        assert counts.dtype.kind == "i" and counts.tolist() == [1, 2, 0, 0]
        assert finance.irr_ambiguous(flows).tolist() == [False, True, False, False]

    @pytest.mark.parametrize("periods", [5, 13, 60])
    def test_against_np_roots_on_random_flows(self, periods):
        """Counts equal, IRRs within 1e-9 (relative where large) of numpy-financial's current choice."""
        rng = np.random.default_rng(periods)
        flows = np.concatenate([rng.normal(0, 1, (300, periods)), multi_sign_flows(rng, 300, periods)])
        rates, counts = finance.irr(flows), finance.irr_roots_count(flows)
        reference = [numpy_financial_current_irr(f) for f in flows]
        assert counts.tolist() == [count for _, count in reference]
        assert counts.max() >= 3
        expected = np.array([rate for rate, _ in reference])
        assert np.array_equal(np.isnan(rates), np.isnan(expected))
        assert rates[np.isfinite(rates)] == pytest.approx(expected[np.isfinite(expected)], rel=1e-9, abs=1e-9)

    def test_every_search_path_agrees(self, monkeypatch):
        """Roots bracketed by the cuts, by Bernstein coefficients, or by np.roots: the same roots."""
        rng = np.random.default_rng(8)
        # with two roots close together, 1 + r = g and g + d: −(1 + r)² + (2g + d)(1 + r) − g(g + d) = 0
        g, d = rng.uniform(0.6, 1.4, 100), rng.uniform(0.001, 0.05, 100)
        close = np.column_stack([-np.ones(100), 2 * g + d, -g * (g + d), np.zeros((100, 6))])
        flows = np.concatenate([rng.normal(0, 1, (200, 9)), np.round(rng.normal(0, 1, (200, 9))), close])
        rates, counts = finance.irr(flows), finance.irr_roots_count(flows)
        assert (counts[-100:] == 2).all()
        assert rates[-100:] == pytest.approx(np.where(g + d < 1, g + d, np.where(g >= 1, g, g + d)) - 1, abs=1e-12)
        settle = roots._roots_at_cuts  # the test reaches into the search to force each path
        monkeypatch.setattr(roots, "_roots_at_cuts", lambda columns: (
            tuple(a[:0] for a in settle(columns)[0]), np.zeros(columns.shape[1], dtype=bool)))
        assert finance.irr(flows) == pytest.approx(rates, abs=1e-12, nan_ok=True)
        assert finance.irr_roots_count(flows).tolist() == counts.tolist()
        monkeypatch.setattr(roots, "_HALVINGS", 0)  # a piece with two roots or more goes to np.roots
        assert finance.irr(flows) == pytest.approx(rates, abs=1e-9, nan_ok=True)
        assert finance.irr_roots_count(flows).tolist() == counts.tolist()

    def test_blocks_do_not_change_results(self, monkeypatch):
        flows = multi_sign_flows(np.random.default_rng(4), 60, 24)
        rates, counts = finance.irr(flows), finance.irr_roots_count(flows)
        monkeypatch.setattr(batch, "BLOCK_TRIALS", 7)
        monkeypatch.setattr(roots, "_ISOLATE_TRIALS", 3)
        assert finance.irr(flows) == pytest.approx(rates, abs=1e-13, nan_ok=True)
        assert finance.irr_roots_count(flows).tolist() == counts.tolist()

    def test_batch_equals_one_by_one(self):
        flows = multi_sign_flows(np.random.default_rng(5), 80, 25)
        assert finance.irr(flows) == pytest.approx([finance.irr(f) for f in flows], abs=1e-12, nan_ok=True)
        assert finance.irr_roots_count(flows).tolist() == [finance.irr_roots_count(f) for f in flows]


class TestMirr:
    def test_hand_computed(self):
        # FV of inflows at 10%: 60 × 1.1 + 60 = 126; PV of outflows 100; (126/100)^(1/2) − 1
        assert finance.mirr([-100, 60, 60], 0.10, 0.10) == pytest.approx(math.sqrt(1.26) - 1, rel=1e-12)

    def test_separate_finance_and_reinvestment_rates(self):
        # outflow at t = 1 financed at 20%: PV 50/1.2; inflow 150 at t = 2 reinvested: FV 150
        expected = (150 / (100 + 50 / 1.2)) ** 0.5 - 1
        assert finance.mirr([-100, -50, 150], 0.20, 0.05) == pytest.approx(expected, rel=1e-12)

    def test_against_numpy_financial_on_random_flows(self):
        rng = np.random.default_rng(5)
        flows = rng.normal(0, 100, (200, 25))
        ours = finance.mirr(flows, 0.01, 0.02)
        reference = np.array([npf.mirr(f, 0.01, 0.02) for f in flows])
        assert ours == pytest.approx(reference, rel=1e-10)

    @pytest.mark.parametrize("flows", [[100, 50], [-100, -50], [-100, math.nan, 200], [5.0]])
    def test_nan_without_both_signs_or_with_nan(self, flows):
        assert math.isnan(finance.mirr(flows, 0.1, 0.1))


class TestPayback:
    @pytest.mark.parametrize("flows, periods", [
        ([-100, 40, 40, 40], 2.5),  # 2 + 20/40
        ([-100, 100, 5], 1.0),  # reached exactly at the end of period 1
        ([-100, 50, -10, 80], 2 + 60 / 80),  # 2 + 60/80
        ([0, -100, 200], 1.5),  # nothing spent at t = 0: counted from the first loss
        ([50, 10, 10], 0.0),  # never owing
        ([0, 0, 0], 0.0),
        ([-100, 150, -100, 10], 0.0 + 100 / 150),  # first return to zero counts
    ])
    def test_hand_computed(self, flows, periods):
        assert finance.payback_period(flows) == pytest.approx(periods, abs=1e-12)

    @pytest.mark.parametrize("flows", [[-100, 10, 10], [math.nan, 1, 1], [-1, math.nan, 3]])
    def test_never_within_horizon_or_nan_is_nan(self, flows):
        assert math.isnan(finance.payback_period(flows))

    def test_batch(self):
        result = finance.payback_period([[-100, 40, 40, 40], [-100, 10, 10, 10]])
        assert result[0] == 2.5 and math.isnan(result[1])


flow_values = st.floats(min_value=1.0, max_value=1e6, allow_nan=False)


@st.composite
def conventional(draw):
    """Outlays first, then inflows; the last inflow repays the outlays, so the IRR is ≥ 0."""
    outlays = draw(st.lists(flow_values, min_size=1, max_size=4))
    inflows = draw(st.lists(flow_values, min_size=0, max_size=40))
    return np.array([-x for x in outlays] + inflows + [sum(outlays)])


@st.composite
def investment(draw):
    """One outlay at t = 0, then flows that are never negative."""
    outlay = draw(flow_values)
    inflows = draw(st.lists(st.floats(min_value=0.0, max_value=1e6), min_size=1, max_size=40))
    return np.array([-outlay] + inflows)


class TestProperties:
    @settings(max_examples=150, deadline=None)
    @given(investment(), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
    def test_npv_falls_as_the_rate_rises(self, flows, a, b):
        """An outlay at t = 0 and later inflows: every later term shrinks as the rate rises."""
        low, high = min(a, b), max(a, b)
        assert finance.npv(high, flows) <= finance.npv(low, flows) + 1e-9 * np.abs(flows).sum()

    @settings(max_examples=150, deadline=None)
    @given(conventional())
    def test_npv_at_the_irr_is_zero(self, flows):
        rate = finance.irr(flows)
        assert np.isfinite(rate)
        assert abs(finance.npv(rate, flows)) <= 1e-9 * np.abs(flows).sum()

    @settings(max_examples=200, deadline=None)
    @given(st.lists(st.one_of(st.just(0.0), st.floats(1e-6, 1e6), st.floats(-1e6, -1e-6)), min_size=2, max_size=30))
    def test_any_flows_irr_is_a_root_and_counted(self, flows):
        """An IRR (not NaN) iff a root is counted; NPV at it is zero to 1e-9 of the discounted flows' size,
        plus what rounding the rate itself to a float moves NPV by (large where 1 + r is tiny)."""
        flows = np.array(flows)
        rate, count = finance.irr(flows), finance.irr_roots_count(flows)
        assert np.isnan(rate) == (count == 0)
        assert finance.irr_ambiguous(flows) == (count > 1)
        if np.isfinite(rate) and rate > -1:
            discounted = np.abs(flows) * finance.discount_factors(rate, flows.size)
            rounding = np.sum(discounted * np.arange(flows.size)) / (1 + rate) * np.spacing(max(abs(rate), 1.0))
            assert abs(finance.npv(rate, flows)) <= 1e-9 * np.sum(discounted) + 4 * rounding

    @settings(max_examples=100, deadline=None)
    @given(conventional())
    def test_irr_agrees_with_numpy_financial(self, flows):
        """To 1e-9, relative where the rate is large (hypothesis finds per-period IRRs of 30,000%); where
        numpy-financial's eigenvalue root is itself that far off (rates of 25,000,000%), ours must zero NPV
        at least as well."""
        reference = npf.irr(flows)
        if np.isfinite(reference):
            ours = finance.irr(flows)
            assert ours == pytest.approx(reference, rel=1e-9, abs=1e-9) \
                or abs(finance.npv(ours, np.array(flows))) <= abs(finance.npv(reference, np.array(flows)))
