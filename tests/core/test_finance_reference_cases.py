"""numpy-financial's own value tests for npv, irr and mirr, run against ``model.core.finance``.

Cases and tolerances are copied from numpy-financial at commit
f47e8af289f9abd34002267c6663869b9ed586a8: ``numpy_financial/tests/test_financial.py``
(test names given per case) and the doctests of ``numpy_financial/_financial.py``, which
its CI runs with ``--doctest-modules`` (a doctest printing k decimals allows 0.5·10^-k).
numpy-financial's 2-D ``npv``/``mirr`` return every (rate, row) pair; ours pair trial i
with rate i, so its rate tables are checked one rate at a time.
"""

from __future__ import annotations

import numpy as np
import pytest

from model.core import finance


def scalar(value) -> float:
    return float(np.squeeze(value))


# --- npv --------------------------------------------------------------------------------

NPV_CASES = [
    # TestNpv.test_npv: assert_allclose(..., 122.89, rtol=1e-2)
    pytest.param(0.05, [-15000.0, 1500.0, 2500.0, 3500.0, 4500.0, 6000.0], 122.89,
                 dict(rel=1e-2, abs=0), id="test_npv"),
    # npv doctest: np.round(npf.npv(0.08, cashflows), 5) == 3065.22267
    pytest.param(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000], 3065.22267,
                 dict(rel=0, abs=5e-6), id="doctest_npv"),
]


@pytest.mark.parametrize("rate, values, expected, tolerance", NPV_CASES)
def test_npv_values(rate, values, expected, tolerance):
    assert scalar(finance.npv(rate, np.array(values, dtype=float))) == pytest.approx(expected, **tolerance)


# npv doctest (2-D): npf.npv(rates, cashflows).round(2), one row per rate.
NPV_TABLE_CASHFLOWS = [[-4_000, 500, 800], [-5_000, 600, 900]]
NPV_TABLE = [
    (0.00, [-2700.00, -3500.00]),
    (0.05, [-2798.19, -3612.24]),
    (0.10, [-2884.30, -3710.74]),
]


@pytest.mark.parametrize("rate, expected", NPV_TABLE)
def test_npv_batch_doctest(rate, expected):
    result = finance.npv(rate, np.array(NPV_TABLE_CASHFLOWS, dtype=float))
    assert np.shape(result) == (2,)
    assert np.asarray(result) == pytest.approx(expected, rel=0, abs=5e-3)


# TestNpv.test_rate_of_negative_one_returns_nan: npv(-1, arange(5)) is NaN (gh issue: rate -1).
@pytest.mark.parametrize("rate", [-1, -1.0])
def test_npv_rate_of_negative_one_is_nan(rate):
    assert np.isnan(scalar(finance.npv(rate, np.arange(5, dtype=float))))


# --- irr --------------------------------------------------------------------------------

GH_15_FLOWS = [
    -3000.0, 2.3926932267015667e-07, 4.1672087103345505e-16, 5.3965110036378706e-25,
    5.1962551071806174e-34, 3.7202955645436402e-43, 1.9804961711632469e-52,
    7.8393517651814181e-62, 2.3072565113911438e-71, 5.0491839233308912e-81,
    8.2159177668499263e-91, 9.9403244366963527e-101, 8.942410813633967e-111,
    5.9816122646481191e-121, 2.9750309031844241e-131, 1.1002067043497954e-141,
    3.0252876563518021e-152, 6.1854121948207909e-163, 9.4032980015353301e-174,
    1.0629218520017728e-184, 8.9337141847171845e-196, 5.5830607698467935e-207,
    2.5943122036622652e-218, 8.9635842466507006e-230, 2.3027710094332358e-241,
    4.3987510596745562e-253, 6.2476630372575209e-265, 6.598046841695288e-277,
    5.1811095266842017e-289, 3.0250999925830644e-301, 1.3133070599585015e-313,
]

GH_39_FLOWS = [
    -217500.0, -217500.0, 108466.80462450592, 101129.96439328062, 93793.12416205535,
    86456.28393083003, 79119.44369960476, 71782.60346837944, 64445.76323715414,
    57108.92300592884, 49772.08277470355, 42435.24254347826, 35098.40231225296,
    27761.56208102766, 20424.721849802358, 13087.88161857707, 5751.041387351768,
    -1585.7988438735192, -8922.639075098821, -16259.479306324123, -23596.31953754941,
    -30933.159768774713, -38270.0, -45606.8402312253, -52943.680462450604,
    -60280.520693675906, -67617.36092490121,
]

IRR_CASES = [
    # TestIrr.test_basic_values: assert_allclose(npf.irr(v), desired, rtol=1e-2)
    pytest.param([-150000, 15000, 25000, 35000, 45000, 60000], 0.0524, dict(rel=1e-2, abs=0), id="basic_1"),
    pytest.param([-100, 0, 0, 74], -0.0955, dict(rel=1e-2, abs=0), id="basic_2"),
    pytest.param([-100, 39, 59, 55, 20], 0.28095, dict(rel=1e-2, abs=0), id="basic_3"),
    pytest.param([-100, 100, 0, -7], -0.0833, dict(rel=1e-2, abs=0), id="basic_4"),
    pytest.param([-100, 100, 0, 7], 0.06206, dict(rel=1e-2, abs=0), id="basic_5"),
    pytest.param([-5, 10.5, 1, -8, 1], 0.0886, dict(rel=1e-2, abs=0), id="basic_6"),
    # irr doctests: round(npf.irr(v), 5) for the same flows as basic_2..basic_6
    pytest.param([-100, 39, 59, 55, 20], 0.28095, dict(rel=0, abs=5e-6), id="doctest_1"),
    pytest.param([-100, 0, 0, 74], -0.0955, dict(rel=0, abs=5e-6), id="doctest_2"),
    pytest.param([-100, 100, 0, -7], -0.0833, dict(rel=0, abs=5e-6), id="doctest_3"),
    pytest.param([-100, 100, 0, 7], 0.06206, dict(rel=0, abs=5e-6), id="doctest_4"),
    pytest.param([-5, 10.5, 1, -8, 1], 0.0886, dict(rel=0, abs=5e-6), id="doctest_5"),
    # TestIrr.test_trailing_zeros: rtol=1e-2
    pytest.param([-5, 10.5, 1, -8, 1, 0, 0, 0], 0.0886, dict(rel=1e-2, abs=0), id="trailing_zeros"),
    # TestIrr.test_gh_15 (near total loss): rtol=1e-9, and the result must be finite
    pytest.param(GH_15_FLOWS, -0.9999999990596069, dict(rel=1e-9, abs=0), id="gh_15"),
    # TestIrr.test_gh_39: assert_allclose default, rtol=1e-7
    pytest.param(GH_39_FLOWS, 0.12, dict(rel=1e-7, abs=0), id="gh_39"),
    # TestIrr.test_gh_44 ("true" value from Google Sheets): rtol=1e-4
    pytest.param([-1678.87, 771.96, 1814.05, 3520.30, 3552.95, 3584.99, 4789.91, -1], 1.00426,
                 dict(rel=1e-4, abs=0), id="gh_44"),
]


@pytest.mark.parametrize("values, expected, tolerance", IRR_CASES)
def test_irr_values(values, expected, tolerance):
    result = scalar(finance.irr(np.array(values, dtype=float)))
    assert np.isfinite(result)
    assert result == pytest.approx(expected, **tolerance)


IRR_NAN_CASES = [
    # TestIrr.test_numpy_gh_6744 (numpy gh-6744): no solution -> NaN
    pytest.param([1, 2, 3], id="numpy_gh_6744_positive"),
    pytest.param([-1, -2, -3], id="numpy_gh_6744_negative"),
    # TestIrr.test_irr_no_real_solution_exception: all one sign (raises only with raise_exceptions=True)
    pytest.param([40000, 5000, 8000, 12000, 30000], id="no_real_solution"),
]


@pytest.mark.parametrize("values", IRR_NAN_CASES)
def test_irr_no_solution_is_nan(values):
    assert np.isnan(scalar(finance.irr(np.array(values, dtype=float))))


def test_irr_batch_doctest():
    # irr doctest (2-D): npf.irr([[-100, 0, 0, 74], [-100, 100, 0, 7]]).round(5)
    result = finance.irr(np.array([[-100, 0, 0, 74], [-100, 100, 0, 7]], dtype=float))
    assert np.shape(result) == (2,)
    assert np.asarray(result) == pytest.approx([-0.0955, 0.06206], rel=0, abs=5e-6)


def test_npv_irr_congruence():
    # TestIrr.test_npv_irr_congruence: npv(irr(x), x) == 0 with atol=1e-9, rtol=0
    cashflows = np.array([-40000, 5000, 8000, 12000, 30000], dtype=float)
    assert scalar(finance.npv(scalar(finance.irr(cashflows)), cashflows)) == pytest.approx(0.0, rel=0, abs=1e-9)



# --- several IRRs (beyond numpy-financial) ---------------------------------------------
# model.core.finance.irr_roots_count: the distinct real roots r > −1 of NPV(r) = 0 for the flows
# above; irr_ambiguous where there are several. The roots in the comments are np.roots' (1 + r),
# less 1; it also reports roots below −100%, and a root at −100% for each trailing zero flow:
# neither is a rate.
ROOT_COUNT_CASES = [
    pytest.param(GH_39_FLOWS, 2, id="gh_39"),  # −1.81% and 12% (and −198%, −223%)
    pytest.param([-1678.87, 771.96, 1814.05, 3520.30, 3552.95, 3584.99, 4789.91, -1], 2,
                 id="gh_44"),  # −99.98% and 100.43% (and −204%)
    pytest.param([-100, 100, 0, -7], 2, id="basic_4"),  # −67.9% and −8.33% (and −124%)
    pytest.param([-5, 10.5, 1, -8, 1], 3, id="basic_6"),  # −87.0%, 8.86% and 71.0% (and −183%)
    pytest.param([-5, 10.5, 1, -8, 1, 0, 0, 0], 3, id="trailing_zeros"),  # the same, and −100% three times
    pytest.param([-100, 39, 59, 55, 20], 1, id="basic_3"),  # 28.1% (and −144%)
    pytest.param(GH_15_FLOWS, 1, id="gh_15"),  # −99.9999999%: the flows change sign once
    pytest.param([1, 2, 3], 0, id="numpy_gh_6744_positive"),
]


@pytest.mark.parametrize("values, count", ROOT_COUNT_CASES)
def test_irr_roots_count_and_ambiguous(values, count):
    values = np.array(values, dtype=float)
    assert finance.irr_roots_count(values) == count
    assert finance.irr_ambiguous(values) is (count > 1)


# --- mirr -------------------------------------------------------------------------------

MIRR_CASES = [
    # TestMirr.test_mirr: atol = 10^-(decimals printed in expected)
    pytest.param([-4500, -800, 800, 800, 600, 600, 800, 800, 700, 3000], 0.08, 0.055, 0.0666,
                 dict(rel=0, abs=1e-4), id="mirr_1"),
    pytest.param([-120000, 39000, 30000, 21000, 37000, 46000], 0.10, 0.12, 0.126094,
                 dict(rel=0, abs=1e-6), id="mirr_2"),
    pytest.param([100, 200, -50, 300, -200], 0.05, 0.06, 0.3428, dict(rel=0, abs=1e-4), id="mirr_3"),
    # mirr doctest: npf.mirr([-100, 50, -60, 70], 0.10, 0.12) printed in full
    pytest.param([-100, 50, -60, 70], 0.10, 0.12, -0.03909366594356467, dict(rel=1e-9, abs=0), id="doctest"),
]


@pytest.mark.parametrize("values, finance_rate, reinvest_rate, expected, tolerance", MIRR_CASES)
def test_mirr_values(values, finance_rate, reinvest_rate, expected, tolerance):
    result = scalar(finance.mirr(np.array(values, dtype=float), finance_rate, reinvest_rate))
    assert result == pytest.approx(expected, **tolerance)


MIRR_NAN_CASES = [
    # TestMirr.test_mirr (expected None) and test_mirr_no_real_solution_exception: all positive
    pytest.param([39000, 30000, 21000, 37000, 46000], id="all_positive"),
    # mirr doctest: npf.mirr([-100, -50, -60, -70], 0.10, 0.12) is nan
    pytest.param([-100, -50, -60, -70], id="doctest_all_negative"),
]


@pytest.mark.parametrize("values", MIRR_NAN_CASES)
def test_mirr_same_sign_is_nan(values):
    assert np.isnan(scalar(finance.mirr(np.array(values, dtype=float), 0.10, 0.12)))


# TestMirr.test_mirr_broadcast (expected "found using Google sheets"; assert_allclose, rtol=1e-7),
# also the 2-D mirr doctest: one column of the table per (finance_rate, reinvest_rate) pair.
MIRR_TABLE_VALUES = [
    [-4500, -800, 800, 800, 600],
    [-120000, 39000, 30000, 21000, 37000],
    [100, 200, -50, 300, -200],
]
MIRR_TABLE = [
    (0.05, 0.08, [-0.1784449, 0.04627293, 0.35712458]),
    (0.08, 0.10, [-0.17328716, 0.05437856, 0.40628857]),
    (0.10, 0.12, [-0.1684366, 0.06252201, 0.44435295]),
]


@pytest.mark.parametrize("finance_rate, reinvest_rate, expected", MIRR_TABLE)
def test_mirr_batch_broadcast(finance_rate, reinvest_rate, expected):
    result = finance.mirr(np.array(MIRR_TABLE_VALUES, dtype=float), finance_rate, reinvest_rate)
    assert np.shape(result) == (3,)
    assert np.asarray(result) == pytest.approx(expected, rel=1e-7, abs=0)
