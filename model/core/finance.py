"""Vectorised investment metrics: NPV, IRR, MIRR, payback.

Conventions, stated once: ``flows[..., t]`` is the net cash flow of period ``t`` (outflows
negative, inflows positive), ``flows[..., 0]`` falls at t = 0 and is not discounted — as in
numpy-financial, unlike Excel's NPV. Rates are *per period* unless a name says ``_annual``.
Every function takes one flow (shape ``(n,)``) or a batch (shape ``(trials, n)``) and
returns a float or an array of shape ``(trials,)``. Solvers return NaN, never raise.
"""

from __future__ import annotations

import numpy as np

from ..inputs.units import MONTHS_PER_YEAR
from .batch import as_batch, by_block, unbatch
from .irr import irr, irr_ambiguous, irr_failure, irr_roots_count  # the IRR is one of the metrics named here


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

    Returns
    -------
    float or array (trials,)
        NPV, CNY; NaN where the rate is exactly −1 (every later flow would be divided by
        zero), as in numpy-financial.

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
    values, single = as_batch(flows)
    rate = np.asarray(rate, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # rate −1: set to NaN below
        result = np.einsum("...t,...t->...", values, discount_factors(rate, values.shape[-1]))  # no temporary
    if (rate == -1.0).any():
        result = np.where(rate == -1.0, np.nan, result)
    return unbatch(np.atleast_1d(result), single)


def is_conventional(flows) -> np.ndarray:
    """True where the non-zero flows change sign exactly once (one IRR exists)."""
    values, _ = as_batch(flows)
    n = values.shape[-1]
    neg, pos = values < 0, values > 0
    first_pos, first_neg = pos.argmax(axis=-1), neg.argmax(axis=-1)
    last_pos, last_neg = n - 1 - pos[..., ::-1].argmax(axis=-1), n - 1 - neg[..., ::-1].argmax(axis=-1)
    both = neg.any(axis=-1) & pos.any(axis=-1)
    return both & ((last_neg < first_pos) | (last_pos < first_neg))


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
    values, single = as_batch(flows)
    n = values.shape[-1]
    inflows = np.sum(np.where(values > 0, values, 0.0) * discount_factors(reinvest_rate, n), axis=-1)
    outflows = -np.sum(np.where(values < 0, values, 0.0) * discount_factors(finance_rate, n), axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = inflows / outflows
        result = np.where((inflows > 0) & (outflows > 0) & np.isfinite(values).all(axis=-1),
                          np.power(ratio, 1.0 / max(n - 1, 1)) * (1.0 + reinvest_rate) - 1.0, np.nan)
    return unbatch(result, single)


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
    values, single = as_batch(flows)
    return unbatch(by_block(values, _payback_block), single)


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


__all__ = ["monthly_from_annual", "annual_from_monthly", "discount_factors", "npv", "is_conventional", "irr",
           "irr_roots_count", "irr_ambiguous", "irr_failure", "mirr", "payback_period", "MONTHS_PER_YEAR"]
