"""The table of distribution kinds: names, the numbers each takes, what they mean, their checks.

Tools disagree on what "a to b" means, so each distribution states what its numbers are:

===========  ==========================  ==============================================
``dist``     numbers                      meaning
===========  ==========================  ==============================================
uniform      ``low``, ``high``            minimum and maximum, every value equally likely
triangular   ``low``, ``mode``, ``high``  minimum, most likely, maximum
pert         ``low``, ``mode``, ``high``  minimum, most likely, maximum; Beta-PERT, λ = 4
lognormal    ``p5``, ``p95``              5th and 95th percentiles (a 90% interval), > 0
===========  ==========================  ==============================================

A new kind is one entry in :data:`KINDS` plus its sampler in :mod:`model.risk.sampling`.
This module needs no scipy: scenario files are validated without it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable


PERT_LAMBDA = 4.0  # weight of the mode in Beta-PERT (the classic PERT choice)
Z95 = 1.6448536269514722  # standard normal 95th percentile Φ⁻¹(0.95), to the last digit scipy.special.ndtri gives


@dataclass(frozen=True)
class Kind:
    """One distribution kind: the file's names for its numbers, in order, and its analytic mean."""

    numbers: tuple[str, ...]  # as written in a file, e.g. ("low", "mode", "high")
    meaning: str
    mean: Callable[["Distribution"], float]

    @property
    def has_mode(self) -> bool:
        return "mode" in self.numbers


def log_params(low: float, high: float) -> tuple[float, float]:
    """μ and σ of ln X for a lognormal with P5 = ``low`` and P95 = ``high``: exp(μ ∓ 1.645 σ)."""
    mu = 0.5 * (math.log(low) + math.log(high))
    return mu, (math.log(high) - math.log(low)) / (2.0 * Z95)


def _lognormal_mean(d: "Distribution") -> float:
    mu, sigma = log_params(d.low, d.high)
    return math.exp(mu + 0.5 * sigma * sigma)


#: Every distribution kind by its ``dist:`` name.
KINDS: dict[str, Kind] = {
    "uniform": Kind(("low", "high"), "minimum and maximum", lambda d: 0.5 * (d.low + d.high)),
    "triangular": Kind(("low", "mode", "high"), "minimum, most likely, maximum",
                       lambda d: (d.low + d.mode + d.high) / 3.0),
    "pert": Kind(("low", "mode", "high"), "minimum, most likely, maximum (Beta-PERT, λ = 4)",
                 lambda d: (d.low + PERT_LAMBDA * d.mode + d.high) / (PERT_LAMBDA + 2.0)),
    "lognormal": Kind(("p5", "p95"), "5th and 95th percentiles (a 90% interval), > 0", _lognormal_mean),
}
DISTRIBUTIONS = tuple(KINDS)
NUMBER_KEYS = tuple(dict.fromkeys(n for kind in KINDS.values() for n in kind.numbers))  # low, mode, high, p5, p95


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
        if self.kind not in KINDS:
            raise ValueError("must be one of " + ", ".join(DISTRIBUTIONS))
        first, last = KINDS[self.kind].numbers[0], KINDS[self.kind].numbers[-1]
        if not self.low < self.high:
            raise ValueError(f"needs {first} < {last}")
        if self.kind == "lognormal" and self.low <= 0:
            raise ValueError(f"needs {first} > 0")
        if KINDS[self.kind].has_mode and (self.mode is None or not self.low <= self.mode <= self.high):
            raise ValueError("needs low ≤ mode ≤ high")

    @property
    def mean(self) -> float:
        """The analytic mean (uniform (a+b)/2; triangular (a+m+b)/3; PERT (a+4m+b)/6; lognormal e^(μ+σ²/2))."""
        return KINDS[self.kind].mean(self)

    def __repr__(self) -> str:
        names = KINDS[self.kind].numbers
        middle = "" if self.mode is None else f", mode={self.mode:g}"
        return f"Distribution({self.kind}, {names[0]}={self.low:g}{middle}, {names[-1]}={self.high:g})"


def normal_correlation(rank: float) -> float:
    """The normal-copula correlation giving Spearman rank correlation ``rank``: 2 sin(π ρ_s / 6)."""
    return 2.0 * math.sin(math.pi * rank / 6.0)


def positive_definite(matrix: tuple[tuple[float, ...], ...], tolerance: float = 1e-10) -> bool:
    """True when the symmetric ``matrix`` is positive definite (every Cholesky pivot above ``tolerance``).

    >>> positive_definite(((1.0, 0.5), (0.5, 1.0))), positive_definite(((1.0, 1.0), (1.0, 1.0)))
    (True, False)
    """
    n = len(matrix)
    lower = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(i + 1):
            total = matrix[i][j] - sum(lower[i][k] * lower[j][k] for k in range(j))
            if i == j:
                if total <= tolerance:
                    return False
                lower[i][i] = math.sqrt(total)
            else:
                lower[i][j] = total / lower[j][j]
    return True


__all__ = ["KINDS", "DISTRIBUTIONS", "NUMBER_KEYS", "Kind", "Distribution", "log_params", "normal_correlation", "positive_definite"]
