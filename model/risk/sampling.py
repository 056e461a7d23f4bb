"""Sampling of the distribution kinds (:data:`model.inputs.distributions.KINDS`).

Values are drawn by the inverse CDF of uniforms, so a rank correlation between inputs is
imposed with a Gaussian copula (normal scores) before the inverse CDF. All randomness goes
through one ``numpy.random.Generator`` built from a recorded seed.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from scipy import special

from ..inputs.distributions import KINDS, PERT_LAMBDA, Distribution, log_params, normal_correlation


def generator(seed) -> np.random.Generator:
    """The one source of randomness: a Generator from a seed (int) or an existing Generator."""
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def _uniform(d: Distribution, u: np.ndarray) -> np.ndarray:
    return d.low + u * (d.high - d.low)


def _triangular(d: Distribution, u: np.ndarray) -> np.ndarray:
    a, b, m = d.low, d.high, d.mode
    return np.where(u < (m - a) / (b - a), a + np.sqrt(u * (b - a) * (m - a)), b - np.sqrt((1.0 - u) * (b - a) * (b - m)))


def _pert(d: Distribution, u: np.ndarray) -> np.ndarray:
    """Beta(α, β) inverse CDF with α = 1 + λ (mode − low) / width, β = 1 + λ (high − mode) / width."""
    width = d.high - d.low
    alpha, beta = 1.0 + PERT_LAMBDA * (d.mode - d.low) / width, 1.0 + PERT_LAMBDA * (d.high - d.mode) / width
    return d.low + width * special.betaincinv(alpha, beta, u)


def _lognormal(d: Distribution, u: np.ndarray) -> np.ndarray:
    mu, sigma = log_params(d.low, d.high)
    return np.exp(mu + sigma * special.ndtri(u))


#: The inverse CDF of each kind: ``(distribution, u) → values``; one entry per kind of KINDS.
SAMPLERS: dict[str, Callable[[Distribution, np.ndarray], np.ndarray]] = {
    "uniform": _uniform, "triangular": _triangular, "pert": _pert, "lognormal": _lognormal,
}
assert SAMPLERS.keys() == KINDS.keys(), "every distribution kind needs a sampler"


def ppf(dist: Distribution, u) -> np.ndarray:
    """The value at cumulative probability ``u`` (inverse CDF), element-wise; ``u`` in (0, 1)."""
    return SAMPLERS[dist.kind](dist, np.asarray(u, dtype=float))


def correlated_uniforms(rng: np.random.Generator, trials: int, rank: np.ndarray) -> np.ndarray:
    """Uniforms (trials, k) whose columns have the rank correlation matrix ``rank`` (k × k).

    Normal scores Z = N · Lᵀ with L the Cholesky factor of the copula correlation, then
    U = Φ(Z). Raises ``numpy.linalg.LinAlgError`` when the matrix is not positive definite.
    """
    rank = np.asarray(rank, dtype=float).reshape(len(rank), len(rank))
    k = rank.shape[0]
    normals = rng.standard_normal((trials, k))
    if k and not np.array_equal(rank, np.eye(k)):
        copula = np.vectorize(normal_correlation)(rank)  # the normal copula's correlation, k × k
        normals = normals @ np.linalg.cholesky(copula).T
    return special.ndtr(normals)


__all__ = ["SAMPLERS", "generator", "ppf", "correlated_uniforms"]
