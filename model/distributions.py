"""Input uncertainty: distributions given by a range, and correlated sampling.

Tools disagree on what "a to b" means, so each distribution states what its numbers are:

===========  ==========================  ==============================================
``dist``     numbers                      meaning
===========  ==========================  ==============================================
uniform      ``low``, ``high``            minimum and maximum, every value equally likely
triangular   ``low``, ``mode``, ``high``  minimum, most likely, maximum
pert         ``low``, ``mode``, ``high``  minimum, most likely, maximum; Beta-PERT, λ = 4
lognormal    ``p5``, ``p95``              5th and 95th percentiles (a 90% interval), > 0
===========  ==========================  ==============================================

Values are drawn by the inverse CDF of uniforms, so a rank correlation between inputs is
imposed with a Gaussian copula (normal scores) before the inverse CDF. All randomness goes
through one ``numpy.random.Generator`` built from a recorded seed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

DISTRIBUTIONS = ("uniform", "triangular", "pert", "lognormal")
PERT_LAMBDA = 4.0  # weight of the mode in Beta-PERT (the classic PERT choice)
Z95 = float(special.ndtri(0.95))  # standard normal 95th percentile, ≈ 1.645


def generator(seed) -> np.random.Generator:
    """The one source of randomness: a Generator from a seed (int) or an existing Generator."""
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


@dataclass(frozen=True)
class Distribution:
    """A distribution from a range; ``low``/``high`` are the minimum/maximum, or P5/P95 for lognormal.

    Examples
    --------
    Conversion between 6% and 8%, most likely 7.5% (001 §5.2.1), as Beta-PERT:

    >>> round(Distribution("pert", 0.06, 0.08, mode=0.075).mean, 5)
    0.07333
    """

    kind: str
    low: float
    high: float
    mode: float | None = None

    def __post_init__(self):
        if self.kind not in DISTRIBUTIONS:
            raise ValueError("must be one of " + ", ".join(DISTRIBUTIONS))
        if not self.low < self.high:
            raise ValueError(f"needs {'p5 < p95' if self.kind == 'lognormal' else 'low < high'}")
        if self.kind == "lognormal" and self.low <= 0:
            raise ValueError("needs p5 > 0")
        if self.kind in ("triangular", "pert") and (self.mode is None or not self.low <= self.mode <= self.high):
            raise ValueError("needs low ≤ mode ≤ high")

    @property
    def _log_params(self) -> tuple[float, float]:
        """μ and σ of ln X for the lognormal: P5 and P95 are exp(μ ∓ 1.645 σ)."""
        mu = 0.5 * (math.log(self.low) + math.log(self.high))
        return mu, (math.log(self.high) - math.log(self.low)) / (2.0 * Z95)

    @property
    def _beta_params(self) -> tuple[float, float]:
        """α and β of Beta-PERT: 1 + λ (mode − low) / (high − low), 1 + λ (high − mode) / (high − low)."""
        width = self.high - self.low
        return (1.0 + PERT_LAMBDA * (self.mode - self.low) / width,
                1.0 + PERT_LAMBDA * (self.high - self.mode) / width)

    @property
    def mean(self) -> float:
        """The analytic mean (uniform (a+b)/2; triangular (a+m+b)/3; PERT (a+4m+b)/6; lognormal e^(μ+σ²/2))."""
        if self.kind == "uniform":
            return 0.5 * (self.low + self.high)
        if self.kind == "triangular":
            return (self.low + self.mode + self.high) / 3.0
        if self.kind == "pert":
            return (self.low + PERT_LAMBDA * self.mode + self.high) / (PERT_LAMBDA + 2.0)
        mu, sigma = self._log_params
        return math.exp(mu + 0.5 * sigma * sigma)

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """The value at cumulative probability ``u`` (inverse CDF), element-wise; ``u`` in (0, 1)."""
        u = np.asarray(u, dtype=float)
        a, b = self.low, self.high
        if self.kind == "uniform":
            return a + u * (b - a)
        if self.kind == "triangular":
            split = (self.mode - a) / (b - a)
            return np.where(u < split, a + np.sqrt(u * (b - a) * (self.mode - a)),
                            b - np.sqrt((1.0 - u) * (b - a) * (b - self.mode)))
        if self.kind == "pert":
            return a + (b - a) * special.betaincinv(*self._beta_params, u)  # Beta(α, β) inverse CDF
        mu, sigma = self._log_params
        return np.exp(mu + sigma * special.ndtri(u))

    def __repr__(self) -> str:
        middle = "" if self.mode is None else f", mode={self.mode:g}"
        ends = ("p5", "p95") if self.kind == "lognormal" else ("low", "high")
        return f"Distribution({self.kind}, {ends[0]}={self.low:g}{middle}, {ends[1]}={self.high:g})"


def normal_correlation(rank: np.ndarray) -> np.ndarray:
    """The normal-copula correlation giving Spearman rank correlation ``rank``: 2 sin(π ρ_s / 6)."""
    return 2.0 * np.sin(np.pi * np.asarray(rank, dtype=float) / 6.0)


def correlated_uniforms(rng: np.random.Generator, trials: int, rank: np.ndarray) -> np.ndarray:
    """Uniforms (trials, k) whose columns have the rank correlation matrix ``rank`` (k × k).

    Normal scores Z = N · Lᵀ with L the Cholesky factor of the copula correlation, then
    U = Φ(Z). Raises ``numpy.linalg.LinAlgError`` when the matrix is not positive definite.
    """
    k = rank.shape[0]
    normals = rng.standard_normal((trials, k))
    if k and not np.array_equal(rank, np.eye(k)):
        normals = normals @ np.linalg.cholesky(normal_correlation(rank)).T
    return special.ndtr(normals)


__all__ = ["DISTRIBUTIONS", "Distribution", "generator", "correlated_uniforms", "normal_correlation"]
