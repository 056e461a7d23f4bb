"""The internal rate of return of flows (vectorised), its number of roots and why it may be undefined.

The selection follows numpy-financial's current rule: among the real roots r > −1, the
smallest non-negative one, else the negative one nearest zero. Rates are per period.
"""

from __future__ import annotations

import functools

import numpy as np

from ..inputs.texts import Text
from .batch import as_batch, by_block, unbatch
from .irr_roots import SAFE_EXPONENT, isolate_roots, sign_changes, solve_bracketed

def irr(flows, *, tol: float = 1e-12, maxiter: int = 200):
    """Internal rate of return per period: the rate at which NPV = 0.

    Parameters
    ----------
    flows : array (n,) or (trials, n)
        Net cash flow per period, CNY, ``flows[..., 0]`` at t = 0.

    Returns
    -------
    float or array (trials,)
        IRR per period (monthly flows give a monthly IRR); NaN where the flows have no sign
        change, or NPV is zero at no rate above −100% (see :func:`irr_failure`).

    Notes
    -----
    Where NPV has several zeros (flows that change sign more than once, see
    :func:`irr_ambiguous`) the IRR is chosen as numpy-financial chooses it today: the
    smallest non-negative root, or, if every root is negative, the one nearest zero. A root
    so near −100% that 1 + r < 3·10⁻¹⁷ is returned as −1.0 (the nearest float); the
    roots at exactly −100% that trailing zero flows add to numpy-financial's polynomial are
    not rates (NPV is undefined there), so flows whose only such root is one give NaN.

    Solved for y = ln(1 + r), all trials at once. Flows that change sign once have exactly
    one root (Descartes' rule of signs), bracketed on a coarse grid of y; flows that change
    sign more often have their roots isolated by :func:`_isolate`. Newton's method on
    ln PV(inflows) − ln PV(outflows), safeguarded with bisection, then solves in the
    bracket.

    Examples
    --------
    >>> round(irr([-100, 39, 59, 55, 20]), 5)
    0.28095
    >>> round(irr([-100, 230, -132]), 5)  # roots 10% and 20%: the smallest non-negative
    0.1
    """
    values, single = as_batch(flows)
    return unbatch(by_block(values, lambda block: _irr_block(block, tol, maxiter)[0]), single)


def irr_roots_count(flows):
    """How many distinct rates r > −1 (per period, fractions) make NPV zero; a count, no unit.

    Parameters
    ----------
    flows : array (n,) or (trials, n)
        Net cash flow per period, CNY, ``flows[..., 0]`` at t = 0.

    Returns
    -------
    int or array of int (trials,)
        0 where the flows never change sign or are not all finite; 1 where they change sign
        once; for more sign changes the exact number of real roots, which may be fewer than
        the sign changes (Descartes' rule gives only an upper bound).

    Examples
    --------
    >>> irr_roots_count([-100, 230, -132])  # 10% and 20%
    2
    >>> irr_roots_count([-1, 3, -4, 3])  # three sign changes, one root (r ≈ 68%)
    1
    """
    values, single = as_batch(flows)
    counts = by_block(values, lambda block: _irr_block(block, 0.0, 0, solve=False)[1], dtype=np.int64)
    return int(counts[0]) if single else counts


def irr_ambiguous(flows):
    """True where NPV is zero at more than one rate r > −1, so the IRR is one of several.

    Parameters
    ----------
    flows : array (n,) or (trials, n)
        Net cash flow per period, CNY, ``flows[..., 0]`` at t = 0.

    Returns
    -------
    bool or array of bool (trials,)
        ``irr_roots_count(flows) > 1``: exact, not merely "more than one sign change".

    Examples
    --------
    >>> irr_ambiguous([-100, 60, 60])
    False
    >>> irr_ambiguous([-100, 230, -132])
    True
    """
    counts = irr_roots_count(flows)
    return bool(counts > 1) if isinstance(counts, int) else counts > 1


def _irr_block(values: np.ndarray, tol: float, maxiter: int, solve: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """IRR and number of roots (r > −1) per trial for one block (small blocks keep temporaries in cache).

    With ``solve`` false only the numbers of roots are worked out.
    """
    trials, n = values.shape
    rates, counts = np.full(trials, np.nan), np.zeros(trials, dtype=np.int64)
    columns = np.array(values.T, order="C")  # (n, trials): each period's flows side by side; a copy, scaled below
    finite = np.isfinite(columns).all(axis=0)
    if not finite.all():
        columns[:, ~finite] = 0.0
    with np.errstate(divide="ignore", invalid="ignore"):  # IRR is scale-free: keep |flow| ≤ 1
        scale = np.maximum(columns.max(axis=0), -columns.min(axis=0))
        columns /= np.where(scale > 0, scale, 1.0)
    changes = sign_changes(columns)
    once = np.flatnonzero(changes == 1)  # exactly one root
    counts[once] = 1
    low, high, f_low, start = (np.full(trials, np.nan) for _ in range(4))
    isolate = np.flatnonzero(changes > 1)  # no root, one, or several
    if solve and once.size:
        y_max = min(50.0, SAFE_EXPONENT / max(n - 1, 1))
        subset = columns if once.size == trials else np.take(columns, once, axis=1)
        low[once], high[once], f_low[once], start[once], found = _bracket(subset, *_grid(n, y_max))
        isolate = np.union1d(isolate, once[~found])  # a root beyond the grid: near −100% or huge
    if isolate.size:
        count, low[isolate], high[isolate], f_low[isolate], start[isolate], rates[isolate] = \
            isolate_roots(np.take(columns, isolate, axis=1))
        counts[isolate] = np.where(changes[isolate] == 1, 1, count)
    if not solve:
        return rates, counts
    from_isolation = np.zeros(trials, dtype=bool)
    from_isolation[isolate] = True
    for group, shortcut in ((np.isfinite(low) & ~from_isolation, True), (np.isfinite(low) & from_isolation, False)):
        bracketed = np.flatnonzero(group)
        if bracketed.size:
            rates[bracketed] = np.expm1(solve_bracketed(np.take(columns, bracketed, axis=1), low[bracketed], high[bracketed],
                                               f_low[bracketed], start[bracketed], tol, maxiter, shortcut))
    return rates, counts


@functools.lru_cache(maxsize=32)
def _grid(periods: int, y_max: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A grid in y = ln(1 + r) from −y_max to y_max that brackets the one root of flows changing sign once.

    Returns the points — steps of 0.1 in y for |y| < 1 and y_max / 10 beyond — their factors
    e^(−t y) (points, periods), and the intervals' numbers sorted by |r| at their middle,
    nearest r = 0 first. Read-only: shared by every call.
    """
    inner = min(1.0, y_max)
    points = np.union1d(np.linspace(-y_max, y_max, 21), np.linspace(-inner, inner, 21))
    factors = np.exp(np.multiply.outer(-points, np.arange(periods, dtype=float)))
    nearest_first = np.argsort(np.abs(np.expm1(0.5 * (points[:-1] + points[1:]))), kind="stable")
    for array in (points, factors, nearest_first):
        array.flags.writeable = False
    return points, factors, nearest_first


def _bracket(columns: np.ndarray, points: np.ndarray, factors: np.ndarray, nearest_first: np.ndarray):
    """For each trial (a column of ``columns``), the grid interval holding the sign change nearest to r = 0.

    Returns the interval's ends in y, the NPV at its low end, where the chord across it
    crosses zero, and whether a sign change was found at all.
    """
    values = factors @ columns  # NPV at every point, (points, trials)
    above, below = values > 0, values < 0
    change = ~((above[:-1] & above[1:]) | (below[:-1] & below[1:]))  # a sign change, or a zero, in the interval
    best = nearest_first[change[nearest_first].argmax(axis=0)]
    trials = np.arange(columns.shape[1])
    low, high = points[best], points[best + 1]
    f_low, f_high = values[best, trials], values[best + 1, trials]
    with np.errstate(divide="ignore", invalid="ignore"):
        start = low + f_low / (f_low - f_high) * (high - low)
    return low, high, f_low, np.where(np.isfinite(start), start, low), change[best, trials]


# Root isolation (:func:`_isolate`). With x = 1/(1 + r) = e^−y, NPV = Σ_t c_t x^t is a polynomial
# p(x) of degree N = n − 1; its roots with r ≥ 0 are those with x in (0, 1], and those with r < 0
# are the roots with w = 1 + r in (0, 1) of w^N p(1/w), whose coefficients are the flows reversed.
# On each side the variable z (x or w) in [0, 1] is cut into pieces at z = e^−b for b in _BREAKS
# (|y| = b). On a piece [α, β] the sign changes V of the polynomial's Bernstein coefficients bound
# the roots inside, with the same parity (Descartes' rule after z = (α + βu)/(1 + u)): V = 0, no
# root; V = 1, exactly one. A piece with V ≥ 2 is halved (de Casteljau) until every piece has V ≤ 1.
# Most trials need none of that: the signs of NPV at the cuts already bracket every root.


def irr_failure(flows) -> Text | None:
    """Why :func:`irr` gives NaN for one flow, in words (both languages); None when it has a value."""
    values = np.asarray(flows, dtype=float)
    if not np.isfinite(values).all():
        return Text("the cash flows contain NaN or infinite values", "现金流含有 NaN 或无穷大的值")
    if not (values < 0).any() or not (values > 0).any():
        return Text("the cash flows never change sign, so no rate makes NPV zero", "现金流从不变号，没有任何折现率能使净现值为零")
    if np.isnan(irr(values)):
        return Text("the cash flows change sign, but NPV is zero at no rate above −100%",
                    "现金流虽有变号，但在高于 −100% 的任何折现率下净现值都不为零")
    return None


__all__ = ["irr", "irr_roots_count", "irr_ambiguous", "irr_failure"]
