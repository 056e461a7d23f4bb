"""Vectorised investment metrics: NPV, IRR, MIRR, payback.

Conventions, stated once: ``flows[..., t]`` is the net cash flow of period ``t`` (outflows
negative, inflows positive), ``flows[..., 0]`` falls at t = 0 and is not discounted — as in
numpy-financial, unlike Excel's NPV. Rates are *per period* unless a name says ``_annual``.
Every function takes one flow (shape ``(n,)``) or a batch (shape ``(trials, n)``) and
returns a float or an array of shape ``(trials,)``. Solvers return NaN, never raise.
"""

from __future__ import annotations

import functools

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
    return _out(np.einsum("...t,...t->...", values, discount_factors(rate, values.shape[-1])), single)  # no temporary


def is_conventional(flows) -> np.ndarray:
    """True where the non-zero flows change sign exactly once (one IRR exists)."""
    values, _ = _batch(flows)
    n = values.shape[-1]
    neg, pos = values < 0, values > 0
    first_pos, first_neg = pos.argmax(axis=-1), neg.argmax(axis=-1)
    last_pos, last_neg = n - 1 - pos[..., ::-1].argmax(axis=-1), n - 1 - neg[..., ::-1].argmax(axis=-1)
    both = neg.any(axis=-1) & pos.any(axis=-1)
    return both & ((last_neg < first_pos) | (last_pos < first_neg))


def _factors_by_period(y: np.ndarray, periods: int) -> np.ndarray:
    """e^(−t y) for t = 0..periods−1 and each y = ln(1 + rate): shape (periods, len(y)).

    For a batch, the powers of x = e^−y are built by doubling — rows k..2k−1 are rows
    0..k−1 times x^k — a few products instead of an exp of every entry; for fewer values
    than periods, with one exp.
    """
    if y.size < periods:
        return np.exp(np.multiply.outer(-np.arange(periods, dtype=float), y))
    factors = np.empty((periods, y.size))
    factors[0] = 1.0
    x = np.exp(-y)
    filled = 1
    while filled < periods:
        count = min(filled, periods - filled)
        np.multiply(factors[:count], factors[filled - 1] * x, out=factors[filled:filled + count])
        filled += count
    return factors


def _pv_and_slope(columns: np.ndarray, factors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Σ_t c_t e^(−ty) and its derivative in y, −Σ_t t c_t e^(−ty), per trial.

    ``columns`` is the flows transposed, (n, trials); ``factors`` from :func:`_factors_by_period`.
    """
    terms = columns * factors
    return terms.sum(axis=0), -(np.arange(columns.shape[0], dtype=float) @ terms)


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
    Solved for y = ln(1 + r), all trials at once. Each root is first bracketed on a grid
    of y over the solvable range: a coarse grid where the flows change sign once (one root
    at most), a grid fine near r = 0 where they change sign more than once, taking the
    sign change nearest to r = 0 — numpy-financial's choice. Newton's method, safeguarded
    with bisection, then starts where the chord across the bracket crosses zero.

    Examples
    --------
    >>> round(irr([-100, 39, 59, 55, 20]), 5)
    0.28095
    """
    values, single = _batch(flows)
    return _out(_by_block(values, lambda block: _irr_block(block, tol, maxiter)), single)


def _by_block(values: np.ndarray, function) -> np.ndarray:
    """``function`` (a block of trials → one number per trial) over :data:`BLOCK_TRIALS` trials at a time."""
    result = np.empty(values.shape[0])
    for start in range(0, values.shape[0], BLOCK_TRIALS):
        block = slice(start, start + BLOCK_TRIALS)
        result[block] = function(values[block])
    return result


def _irr_block(values: np.ndarray, tol: float, maxiter: int) -> np.ndarray:
    """:func:`irr` for one block of trials (small blocks keep temporaries in cache)."""
    trials, n = values.shape
    result = np.full(trials, np.nan)
    columns = np.ascontiguousarray(values.T)  # (n, trials): each period's flows side by side
    solvable = np.isfinite(columns).all(axis=0) & (columns < 0).any(axis=0) & (columns > 0).any(axis=0)
    if not solvable.any():
        return result
    with np.errstate(divide="ignore", invalid="ignore"):  # IRR is scale-free: keep |flow| ≤ 1
        scale = np.maximum(columns.max(axis=0), -columns.min(axis=0))
        columns /= np.where(scale > 0, scale, 1.0)
    y_max = min(50.0, 600.0 / max(n - 1, 1))
    low, high, f_low, start, found = _bracket(columns, *_grid(n, y_max, fine=False))
    several = np.flatnonzero(solvable & ~is_conventional(values))  # several roots may exist
    if several.size:
        low[several], high[several], f_low[several], start[several], found[several] = \
            _bracket(np.take(columns, several, axis=1), *_grid(n, y_max, fine=True))
    active = np.flatnonzero(solvable & found)
    if active.size:
        result[active] = np.expm1(_solve(np.take(columns, active, axis=1), low[active], high[active], f_low[active],
                                         start[active], tol, maxiter))
    return result


@functools.lru_cache(maxsize=32)
def _grid(periods: int, y_max: float, fine: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """A grid in y = ln(1 + r) from −y_max to y_max that brackets roots, with what bracketing needs.

    Returns the points — steps of 0.1 in y for |y| < 1 and y_max / 10 beyond, or with
    ``fine`` steps of 0.0025 and y_max / 50 — their factors e^(−t y) (points, periods), and
    the intervals' numbers sorted by |r| at their middle, nearest r = 0 first. Read-only:
    shared by every call.
    """
    coarse_points, fine_points = (101, 801) if fine else (21, 21)
    inner = min(1.0, y_max)
    points = np.union1d(np.linspace(-y_max, y_max, coarse_points), np.linspace(-inner, inner, fine_points))
    factors = np.exp(np.multiply.outer(-points, np.arange(periods, dtype=float)))
    nearest_first = np.argsort(np.abs(np.expm1(0.5 * (points[:-1] + points[1:]))), kind="stable")
    for array in (points, factors, nearest_first):
        array.flags.writeable = False
    return points, factors, nearest_first


def _bracket(columns: np.ndarray, points: np.ndarray, factors: np.ndarray, nearest_first: np.ndarray):
    """For each trial (a column of ``columns``), the grid interval holding the sign change nearest to r = 0.

    Returns the interval's ends in y, the NPV at its low end, where the chord across it
    crosses zero, and whether a sign change was found at all. Two roots closer together
    than a step of the grid (:func:`_grid`) are not told apart.
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


def _solve(columns: np.ndarray, low: np.ndarray, high: np.ndarray, f_low: np.ndarray, start: np.ndarray,
           tol: float, maxiter: int) -> np.ndarray:
    """Root of NPV(y) inside [low, high] for every column, y = ln(1 + rate), from ``start``; f_low = NPV(low).

    Newton's method on g(y) = ln PV(inflows) − ln PV(outflows), which has the sign of the
    NPV but is far closer to linear in y; a step leaving the bracket is replaced by
    bisection. Newton converges quadratically, so a step below √tol leaves an error below
    about tol: it is taken as the last.
    """
    inflows = np.maximum(columns, 0.0)
    outflows = inflows - columns  # max(−flow, 0)
    # orient the bracket: NPV(neg_end) < 0 < NPV(pos_end)
    neg_end = np.where(f_low < 0, low, high)
    pos_end = np.where(f_low < 0, high, low)
    y = np.clip(start, np.minimum(low, high), np.maximum(low, high))
    rows = np.arange(y.size)  # the trials the working arrays hold
    active = np.ones(y.size, dtype=bool)  # which of those still move
    for _ in range(maxiter):
        if active.sum() < 0.5 * rows.size:  # drop converged trials from the working arrays
            rows, inflows, outflows = rows[active], np.compress(active, inflows, axis=1), \
                np.compress(active, outflows, axis=1)
            active = active[active]
        factors = _factors_by_period(y[rows], columns.shape[0])
        pv_in, slope_in = _pv_and_slope(inflows, factors)
        pv_out, slope_out = _pv_and_slope(outflows, factors)
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
    return _out(_by_block(values, _payback_block), single)


def _payback_block(values: np.ndarray) -> np.ndarray:
    """:func:`payback_period` for one block of trials, (trials, n) → (trials,)."""
    cumulative = np.cumsum(values, axis=-1)
    owing = cumulative < 0
    first_owing = owing.argmax(axis=-1)
    reached = (cumulative >= 0) & (np.arange(values.shape[-1]) > first_owing[:, None])
    k = reached.argmax(axis=-1)
    rows = np.arange(values.shape[0])
    with np.errstate(divide="ignore", invalid="ignore"):
        result = k - 1 - cumulative[rows, k - 1] / values[rows, k]
    result = np.where(owing.any(axis=-1), np.where(reached.any(axis=-1), result, np.nan), 0.0)
    return np.where(np.isnan(cumulative[:, -1]), np.nan, result)  # a NaN flow makes every later C NaN
