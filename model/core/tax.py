"""Corporate income tax and working capital: the two lines of the free-cash-flow statement that
depend on a whole year or on balances rather than on one month's drivers.

Both take monthly lines (trials × months + 1, CNY per month; month 0 the investment
instant) and return a monthly cash-flow line with the model's sign convention (cash out
negative).
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from ..inputs.units import MONTHS_PER_YEAR

DAYS_PER_YEAR = 365.0


def tax_years(months: int) -> list[slice]:
    """The model's tax years as month slices: year 1 = months 0-12 (the investment instant opens it),
    year k = months 12(k−1)+1 .. 12k; a horizon that is not whole years ends with a short year."""
    ends = list(range(MONTHS_PER_YEAR, months, MONTHS_PER_YEAR)) + [months - 1]
    ends = sorted(set(e for e in ends if e >= 1)) or [months - 1]
    starts = [0] + [e + 1 for e in ends[:-1]]
    return [slice(s, e + 1) for s, e in zip(starts, ends)]


def income_tax(ebit: np.ndarray, rate: np.ndarray, carryforward_years: int) -> np.ndarray:
    """Income tax as a monthly cash flow (≤ 0), CNY: assessed per model year, paid in its last month.

    Taxable profit of a year is its EBIT (profit after depreciation and amortisation) less the
    losses of the previous ``carryforward_years`` years still unused, oldest first; a loss year
    pays nothing and adds its loss to the pool. ``rate`` is a fraction, per trial (T, 1) or one.

    >>> tax = income_tax(np.array([[-100.0] + [10.0] * 12 + [30.0] * 12]), np.array([[0.25]]), 5)
    >>> float(tax[0, 12]), float(tax[0, 24])  # year 1: -100 + 120 = 20 → 5; year 2: 360 → 90
    (-5.0, -90.0)
    """
    years = tax_years(ebit.shape[1])
    profit = np.stack([ebit[:, s].sum(axis=1) for s in years], axis=1)  # (T, years)
    losses = np.zeros_like(profit)  # unused loss created in each year, ≥ 0
    taxable = np.zeros_like(profit)
    for y in range(profit.shape[1]):
        remaining = np.maximum(profit[:, y], 0.0)
        for earlier in range(max(0, y - carryforward_years), y):
            used = np.minimum(losses[:, earlier], remaining)
            losses[:, earlier] -= used
            remaining -= used
        losses[:, y] = np.maximum(-profit[:, y], 0.0)
        taxable[:, y] = remaining
    line = np.zeros_like(ebit)
    line[:, [s.stop - 1 for s in years]] = 0.0 - taxable * np.asarray(rate, dtype=float).reshape(-1, 1)
    return line


def working_capital_change(revenue: np.ndarray, cost_of_goods: np.ndarray, days: Mapping[str, np.ndarray],
                           release: bool) -> np.ndarray:
    """The change in working capital as a monthly cash flow, CNY (an increase is cash out, negative).

    Each balance is the month's flow × 12 × days / 365: receivables on revenue, inventory and
    payables on cost of goods (``cost_of_goods`` ≤ 0). Working capital = receivables +
    inventory − payables; ``release`` returns the last balance as cash in the last month.
    """
    cogs = -cost_of_goods
    scale = MONTHS_PER_YEAR / DAYS_PER_YEAR
    balance = scale * (revenue * days["receivable"] + cogs * (days["inventory"] - days["payable"]))
    balance[:, 0] = 0.0
    change = np.zeros_like(balance)
    change[:, 1:] = balance[:, :-1] - balance[:, 1:]
    if release:
        change[:, -1] += balance[:, -1]
    return change


__all__ = ["tax_years", "income_tax", "working_capital_change", "DAYS_PER_YEAR"]
