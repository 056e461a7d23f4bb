"""The bracketed root search of break-even and goal seek: a grid over the allowed range, then Brent.

:func:`bracketed_root` evaluates a vectorised function once on a grid over ``[low, high]``
(:func:`search_grid`: even steps over a finite range; geometric beyond the base value when
the range is unbounded), takes the sign change of ``f − goal`` nearest the base value, and
solves it with Brent's method. It answers None — "none within bounds" — when ``f`` never
crosses the goal there, or when a sign change is a jump rather than a root (the value found
does not reach the goal), never a wrong root.

Break-even (:func:`model.risk.analysis.breakeven_value`) is this search with f = NPV and goal 0.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
from scipy import optimize

GRID_POINTS = 65
XTOL = 1e-13
EDGE_STEPS = 60  # bisection steps to the edge of the range where the metric is defined
REACHED = 1e-6  # |f(root) − goal| must be within this share of f's range on the grid (a jump is not a root)


def search_grid(low: float, high: float, base: float) -> np.ndarray:
    """Points to bracket a root: even steps over a finite range; geometric (×2) beyond the base if unbounded."""
    if math.isfinite(high):
        return np.union1d(np.linspace(low, high, GRID_POINTS), [base])
    scale = base if base > 0 else 1.0
    return np.union1d(np.linspace(low, 4 * scale, 33), scale * np.power(2.0, np.arange(2, 48)))


def _one(f: Callable[[np.ndarray], np.ndarray], x: float) -> float:
    return float(np.asarray(f(np.array([x])), dtype=float)[0])


def _defined_edge(f: Callable[[np.ndarray], np.ndarray], undefined: float, defined: float) -> float:
    """The point nearest the edge of the range where ``f`` is defined, by bisection from a defined point."""
    for _ in range(EDGE_STEPS):
        middle = 0.5 * (undefined + defined)
        if middle in (undefined, defined):
            break
        if math.isnan(_one(f, middle)):
            undefined = middle
        else:
            defined = middle
    return defined


def brackets(f: Callable[[np.ndarray], np.ndarray], grid: np.ndarray, goal: float) -> list[tuple[float, float]]:
    """Intervals of ``grid`` over which ``f − goal`` changes sign (or is zero at one end).

    Where ``f`` becomes undefined (NaN, e.g. an IRR when the flows stop changing sign) between
    two grid points, the edge of the defined range is found by bisection and the interval
    from it to the defined point is a bracket if ``f − goal`` changes sign over it.
    """
    gap = np.asarray(f(grid), dtype=float) - goal
    signs = np.sign(gap)
    with np.errstate(invalid="ignore"):
        change = np.flatnonzero((signs[:-1] * signs[1:] < 0) | ((signs[:-1] == 0) != (signs[1:] == 0)))
    found = [(float(grid[k]), float(grid[k + 1])) for k in change]
    for k in np.flatnonzero(np.isnan(gap[:-1]) != np.isnan(gap[1:])):
        nan_at, ok_at = (k, k + 1) if np.isnan(gap[k]) else (k + 1, k)
        edge = _defined_edge(f, float(grid[nan_at]), float(grid[ok_at]))
        if np.sign(_one(f, edge) - goal) * signs[ok_at] <= 0:
            found.append((min(edge, float(grid[ok_at])), max(edge, float(grid[ok_at]))))
    return found


def bracketed_root(f: Callable[[np.ndarray], np.ndarray], low: float, high: float, base: float,
                   goal: float = 0.0) -> float | None:
    """The x in [low, high] nearest ``base`` where ``f(x) = goal``, or None when there is none.

    ``f`` maps an array of x to an array of values (NaN where undefined).
    """
    grid = search_grid(low, high, min(max(base, low), high))
    values = np.asarray(f(grid), dtype=float)
    finite = values[np.isfinite(values)] - goal
    scale = max(float(np.ptp(finite)) if finite.size else 0.0, abs(goal), 1e-300)
    found = brackets(lambda x: values if x is grid else f(x), grid, goal)
    for a, b in sorted(found, key=lambda ab: abs(0.5 * (ab[0] + ab[1]) - base)):
        ga, gb = _one(f, a) - goal, _one(f, b) - goal
        if ga == 0 or gb == 0:
            return a if ga == 0 else b
        root = optimize.brentq(lambda x: _one(f, x) - goal, a, b, xtol=XTOL, maxiter=200)
        if abs(_one(f, root) - goal) <= REACHED * scale:
            return float(root)
    return None


__all__ = ["GRID_POINTS", "XTOL", "search_grid", "brackets", "bracketed_root"]
