"""Distributions from ranges and correlated sampling (model/distributions.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from model.inputs.distributions import Distribution
from model.risk.sampling import correlated_uniforms, generator, ppf

TRIALS = 200_000


@pytest.mark.parametrize("dist, analytic_mean", [
    # uniform: (a + b) / 2
    (Distribution("uniform", 4e6, 5e6), 4.5e6),
    # triangular: (a + m + b) / 3
    (Distribution("triangular", 10.0, 15.0, mode=12.0), 37.0 / 3.0),
    # Beta-PERT with λ = 4: (a + 4m + b) / 6 — 001 §5.2.1's conversion range
    (Distribution("pert", 0.06, 0.08, mode=0.075), (0.06 + 4 * 0.075 + 0.08) / 6.0),
    # lognormal from P5, P95: μ = (ln p5 + ln p95)/2, σ = (ln p95 − ln p5)/(2·1.6449), mean e^(μ + σ²/2)
    (Distribution("lognormal", 0.015, 0.03),
     math.exp(0.5 * math.log(0.015 * 0.03) + 0.5 * (math.log(2.0) / (2 * 1.6448536269514722)) ** 2)),
])
def test_sampled_mean_is_within_tolerance_of_the_analytic_mean(dist, analytic_mean):
    """Mean of 200,000 draws within 4 standard errors of the analytic mean (and the property agrees)."""
    draws = ppf(dist, generator(11).random(TRIALS))
    assert dist.mean == pytest.approx(analytic_mean, rel=1e-12)
    assert abs(draws.mean() - analytic_mean) < 4 * draws.std() / math.sqrt(TRIALS)


@pytest.mark.parametrize("dist", [Distribution("uniform", 1, 3), Distribution("triangular", 1, 3, mode=1.5),
                                  Distribution("pert", 1, 3, mode=2.5)])
def test_bounded_draws_stay_within_the_range(dist):
    draws = ppf(dist, generator(1).random(50_000))
    assert draws.min() >= dist.low and draws.max() <= dist.high


def test_lognormal_p5_and_p95_are_the_stated_numbers():
    dist = Distribution("lognormal", 0.015, 0.03)
    assert ppf(dist, np.array([0.05, 0.95])) == pytest.approx([0.015, 0.03], rel=1e-9)


def test_triangular_and_pert_inverse_cdfs_match_scipy():
    u = np.linspace(0.001, 0.999, 101)
    assert ppf(Distribution("triangular", 2, 8, mode=3), u) == pytest.approx(
        stats.triang(c=1 / 6, loc=2, scale=6).ppf(u), rel=1e-12)
    alpha, beta = 1 + 4 * (3 - 2) / 6, 1 + 4 * (8 - 3) / 6
    assert ppf(Distribution("pert", 2, 8, mode=3), u) == pytest.approx(2 + 6 * stats.beta(alpha, beta).ppf(u), rel=1e-12)


@pytest.mark.parametrize("args, problem", [
    (("uniform", 5, 5), "low < high"),
    (("pert", 1, 3, 4), "low ≤ mode ≤ high"),
    (("lognormal", 0, 3), "p5 > 0"),
    (("normal", 1, 3), "must be one of"),
])
def test_bad_ranges_are_refused(args, problem):
    with pytest.raises(ValueError, match=problem):
        Distribution(*args)


def test_rank_correlation_is_imposed():
    """Spearman correlation of the uniforms ≈ the requested one (normal-scores copula)."""
    rank = np.array([[1.0, 0.5, -0.3], [0.5, 1.0, 0.0], [-0.3, 0.0, 1.0]])
    u = correlated_uniforms(generator(5), 50_000, rank)
    measured = stats.spearmanr(u).statistic
    assert measured == pytest.approx(rank, abs=0.015)


def test_same_seed_same_draws_and_other_seed_other_draws():
    rank = np.array([[1.0, 0.4], [0.4, 1.0]])
    first, again = correlated_uniforms(generator(9), 1000, rank), correlated_uniforms(generator(9), 1000, rank)
    assert np.array_equal(first, again)
    assert not np.array_equal(first, correlated_uniforms(generator(10), 1000, rank))
