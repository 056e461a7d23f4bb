"""Vectorised investment metrics: NPV, IRR, MIRR, payback.

Conventions, stated once: ``flows[..., t]`` is the net cash flow of period ``t`` (outflows
negative, inflows positive), ``flows[..., 0]`` falls at t = 0 and is not discounted — as in
numpy-financial, unlike Excel's NPV. Rates are *per period* unless a name says ``_annual``.
Every function takes one flow (shape ``(n,)``) or a batch (shape ``(trials, n)``) and
returns a float or an array of shape ``(trials,)``. Solvers return NaN, never raise.
"""

from __future__ import annotations

import numpy as np

MONTHS_PER_YEAR = 12
BLOCK_TRIALS = 4096  # trials solved together: small enough for the CPU cache


def monthly_from_annual(rate_annual):
    """Monthly rate with the same yearly effect: (1 + r)^(1/12) − 1.

    >>> round(float(monthly_from_annual(0.08)), 6)
    0.006434
    """
    return np.power(1.0 + np.asarray(rate_annual, dtype=float), 1.0 / MONTHS_PER_YEAR) - 1.0


def annual_from_monthly(rate_monthly):
    """Annual rate with the same effect as a monthly rate: (1 + m)^12 − 1.

    >>> round(float(annual_from_monthly(0.01)), 6)
    0.126825
    """
    return np.power(1.0 + np.asarray(rate_monthly, dtype=float), MONTHS_PER_YEAR) - 1.0


def _batch(flows) -> tuple[np.ndarray, bool]:
    values = np.asarray(flows, dtype=float)
    if values.ndim not in (1, 2) or values.shape[-1] == 0:
        raise ValueError(f"flows must be a 1-D flow or a 2-D batch with at least one period (got shape {values.shape})")
    return np.atleast_2d(values), values.ndim == 1


def _out(result: np.ndarray, single: bool):
    return float(result[0]) if single else result


def discount_factors(rate, periods: int) -> np.ndarray:
    """(1 + rate)^−t for t = 0..periods−1; a per-trial ``rate`` of shape (T,) gives (T, periods)."""
    rate = np.asarray(rate, dtype=float)
    return np.power(1.0 + rate[..., None], -np.arange(periods, dtype=float))


def npv(rate, flows):
    """Net present value of flows at ``rate`` per period.

    Parameters
    ----------
    rate : float or array (trials,)
        Discount rate per period (a fraction, e.g. the monthly rate for monthly flows).
    flows : array (n,) or (trials, n)
        Net cash flow per period, CNY; ``flows[..., 0]`` at t = 0, undiscounted.

    Notes
    -----
    NPV = Σ_t flows_t / (1 + rate)^t.

    Warnings
    --------
    Excel's ``NPV`` discounts the first value too; this function, like numpy-financial's,
    does not.

    Examples
    --------
    An outlay of 100 and 60 back at the end of each of two periods, at 10%:

    >>> round(npv(0.10, [-100, 60, 60]), 4)
    4.1322
    """
    values, single = _batch(flows)
    return _out(np.sum(values * discount_factors(rate, values.shape[-1]), axis=-1), single)


def is_conventional(flows) -> np.ndarray:
    """True where the non-zero flows change sign exactly once (one IRR exists)."""
    values, _ = _batch(flows)
    n = values.shape[-1]
    neg, pos = values < 0, values > 0
    first_pos, first_neg = pos.argmax(axis=-1), neg.argmax(axis=-1)
    last_pos, last_neg = n - 1 - pos[..., ::-1].argmax(axis=-1), n - 1 - neg[..., ::-1].argmax(axis=-1)
    both = neg.any(axis=-1) & pos.any(axis=-1)
    return both & ((last_neg < first_pos) | (last_pos < first_neg))


def _npv_and_slope(columns: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """NPV and dNPV/dy at y = ln(1 + rate): Σ_t c_t e^(−ty) and −Σ_t t c_t e^(−ty).

    ``columns`` is the flows transposed, shape (n, trials). For fewer trials than periods
    every power is computed at once (a few numpy calls); for a batch, Horner's rule in
    x = e^−y runs period by period on short arrays that stay in the CPU cache.
    """
    periods, trials = columns.shape
    if trials < periods:
        t = np.arange(periods, dtype=float)
        terms = columns * np.exp(np.multiply.outer(-t, y))
        return terms.sum(axis=0), -(t @ terms)
    x = np.exp(-y)
    value = columns[-1].copy()
    slope = np.zeros_like(value)
    for coefficient in columns[-2::-1]:
        slope *= x
        slope += value
        value *= x
        value += coefficient
    slope *= -x
    return value, slope


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
        change, or no root lies within the solvable range (see :func:`irr_failure`).

    Notes
    -----
    Solved for y = ln(1 + r) by Newton's method safeguarded with bisection, all trials at
    once. The bracket is found from the ends of the range; where the flows change sign more
    than once, a grid scan brackets the root nearest to r = 0 — numpy-financial's choice.

    Examples
    --------
    >>> round(irr([-100, 39, 59, 55, 20]), 5)
    0.28095
    """
    values, single = _batch(flows)
    result = np.empty(values.shape[0])
    for start in range(0, values.shape[0], BLOCK_TRIALS):
        block = slice(start, start + BLOCK_TRIALS)
        result[block] = _irr_block(values[block], tol, maxiter)
    return _out(result, single)


def _irr_block(values: np.ndarray, tol: float, maxiter: int) -> np.ndarray:
    """:func:`irr` for one block of trials (small blocks keep temporaries in cache)."""
    trials, n = values.shape
    result = np.full(trials, np.nan)
    solvable = np.isfinite(values).all(axis=-1) & (values < 0).any(axis=-1) & (values > 0).any(axis=-1)
    if not solvable.any():
        return result
    y_max = min(50.0, 600.0 / max(n - 1, 1))
    with np.errstate(divide="ignore", invalid="ignore"):  # IRR is scale-free: keep |flow| ≤ 1
        scale = np.abs(values).max(axis=-1, keepdims=True)
        columns = np.ascontiguousarray((values / np.where(scale > 0, scale, 1.0)).T)
    low = np.full(trials, -y_max)
    high = np.full(trials, y_max)
    f_low, _ = _npv_and_slope(columns, low)
    f_high, _ = _npv_and_slope(columns, high)
    bracketed = np.sign(f_low) * np.sign(f_high) < 0
    scan = solvable & ~is_conventional(values)
    if scan.any():
        low[scan], high[scan], found = _bracket_nearest_zero(columns[:, scan], y_max)
        bracketed[scan] = found
        f_low[scan], _ = _npv_and_slope(columns[:, scan], low[scan])
    active = np.flatnonzero(solvable & bracketed)
    if active.size:
        result[active] = np.expm1(_solve(columns[:, active], low[active], high[active], f_low[active],
                                         tol, maxiter))
    return result


def _bracket_nearest_zero(columns: np.ndarray, y_max: float):
    """For each trial, the grid interval holding the sign change nearest to y = 0.

    The grid is fine near r = 0 (steps of 0.0025 in y for |y| < 1) and coarse beyond, so
    two roots closer together than a step are not told apart.
    """
    grid = np.union1d(np.linspace(-y_max, y_max, 101), np.linspace(-min(1.0, y_max), min(1.0, y_max), 801))
    values = np.exp(np.multiply.outer(-grid, np.arange(columns.shape[0], dtype=float))) @ columns  # (grid, trials)
    change = np.sign(values[:-1]) * np.sign(values[1:]) <= 0
    distance = np.where(change, np.abs(np.expm1(0.5 * (grid[:-1] + grid[1:])))[:, None], np.inf)
    best = distance.argmin(axis=0)
    found = np.isfinite(distance.min(axis=0))
    return grid[best], grid[best + 1], found


def _solve(columns: np.ndarray, low: np.ndarray, high: np.ndarray, f_low: np.ndarray, tol: float,
           maxiter: int) -> np.ndarray:
    """Root of NPV(y) inside [low, high] for every column, y = ln(1 + rate); f_low = NPV(low).

    Newton's method on g(y) = ln PV(inflows) − ln PV(outflows), which has the sign of the
    NPV but is nearly linear in y, so it converges in a few steps even for rates of
    several hundred percent; a step leaving the bracket is replaced by bisection. Newton
    converges quadratically, so a step below √tol leaves an error below about tol: it is
    taken as the last.
    """
    inflows = np.maximum(columns, 0.0)
    outflows = np.maximum(-columns, 0.0)
    # orient the bracket: NPV(neg_end) < 0 < NPV(pos_end)
    neg_end = np.where(f_low < 0, low, high)
    pos_end = np.where(f_low < 0, high, low)
    y = np.clip(np.zeros_like(low), np.minimum(low, high), np.maximum(low, high))
    rows = np.arange(y.size)  # the trials the working arrays hold
    active = np.ones(y.size, dtype=bool)  # which of those still move
    for _ in range(maxiter):
        if active.sum() < 0.5 * rows.size:  # drop converged trials from the working arrays
            rows, inflows, outflows = rows[active], inflows[:, active], outflows[:, active]
            active = active[active]
        pv_in, slope_in = _npv_and_slope(inflows, y[rows])
        pv_out, slope_out = _npv_and_slope(outflows, y[rows])
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            g = np.log(pv_in) - np.log(pv_out)
            newton = y[rows] - g / (slope_in / pv_in - slope_out / pv_out)
        neg_end[rows] = np.where(g < 0, y[rows], neg_end[rows])
        pos_end[rows] = np.where(g > 0, y[rows], pos_end[rows])
        lo, hi = np.minimum(neg_end[rows], pos_end[rows]), np.maximum(neg_end[rows], pos_end[rows])
        inside = np.isfinite(newton) & (newton > lo) & (newton < hi)
        new = np.where(inside, newton, 0.5 * (lo + hi))
        step = np.abs(new - y[rows]) / (1.0 + np.abs(y[rows]))
        moving = active & (g != 0) & (step > tol) & ~(inside & (step <= np.sqrt(tol)))
        y[rows] = np.where(active & (g != 0), new, y[rows])
        active = moving
        if not active.any():
            break
    return y


def irr_failure(flows) -> str | None:
    """Why :func:`irr` gives NaN for one flow, in words; None when it has a value."""
    values = np.asarray(flows, dtype=float)
    if not np.isfinite(values).all():
        return "the cash flows contain NaN or infinite values"
    if not (values < 0).any() or not (values > 0).any():
        return "the cash flows never change sign, so no rate makes NPV zero"
    if np.isnan(irr(values)):
        return "no rate within the solvable range makes NPV zero"
    return None


def mirr(flows, finance_rate, reinvest_rate):
    """Modified IRR per period.

    Parameters
    ----------
    flows : array (n,) or (trials, n)
        Net cash flow per period, CNY, ``flows[..., 0]`` at t = 0.
    finance_rate, reinvest_rate : float
        Rates per period at which outflows are financed and inflows reinvested.

    Notes
    -----
    MIRR = (FV of inflows at ``reinvest_rate`` / PV of outflows at ``finance_rate``)^(1/(n−1)) − 1,
    as numpy-financial's ``mirr``; NaN unless the flows have both signs and are all finite.

    Examples
    --------
    >>> round(mirr([-100, 60, 60], 0.10, 0.10), 6)
    0.122497
    """
    values, single = _batch(flows)
    n = values.shape[-1]
    inflows = np.sum(np.where(values > 0, values, 0.0) * discount_factors(reinvest_rate, n), axis=-1)
    outflows = -np.sum(np.where(values < 0, values, 0.0) * discount_factors(finance_rate, n), axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = inflows / outflows
        result = np.where((inflows > 0) & (outflows > 0) & np.isfinite(values).all(axis=-1),
                          np.power(ratio, 1.0 / max(n - 1, 1)) * (1.0 + reinvest_rate) - 1.0, np.nan)
    return _out(result, single)


def payback_period(flows):
    """Periods until the cumulative flow first reaches zero, interpolated within the period.

    Parameters
    ----------
    flows : array (n,) or (trials, n)
        Net cash flow per period, ``flows[..., 0]`` at t = 0. Pass discounted flows for the
        discounted payback.

    Returns
    -------
    float or array (trials,)
        0 when the cumulative flow is never negative; NaN when, once negative, it never
        comes back to zero, or when a flow is NaN.

    Notes
    -----
    With k the first period after the cumulative flow C first goes negative where C_k ≥ 0:
    payback = k − 1 + (−C_{k−1}) / flows_k. Counting from the first negative C (not from
    t = 0) matters when nothing is spent at t = 0 and the losses come later.

    Examples
    --------
    >>> payback_period([-100, 40, 40, 40])
    2.5
    >>> payback_period([0, -100, 200])
    1.5
    """
    values, single = _batch(flows)
    cumulative = np.cumsum(values, axis=-1)
    owing = cumulative < 0
    first_owing = owing.argmax(axis=-1)
    reached = (cumulative >= 0) & (np.arange(values.shape[-1]) > first_owing[:, None])
    k = reached.argmax(axis=-1)
    rows = np.arange(values.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        result = k - 1 - cumulative[rows, k - 1] / values[rows, k]
    result = np.where(owing.any(axis=-1), np.where(reached.any(axis=-1), result, np.nan), 0.0)
    return _out(np.where(np.isnan(cumulative).any(axis=-1), np.nan, result), single)
