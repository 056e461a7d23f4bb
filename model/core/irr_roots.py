"""Every real root of a flow's NPV in r > −1: sign changes, bounds, isolation, polishing.

The machinery behind :func:`model.core.irr.irr` where flows change sign more than once: NPV
is a polynomial in z = 1/(1+r) (y = ln(1+r)), whose roots are bracketed at fixed cuts,
isolated on Bernstein coefficients where the cuts do not settle them, handed to ``np.roots``
as a last resort, then polished by a bracketed Newton solve.
"""

from __future__ import annotations

import functools
import itertools

import numpy as np

def sign_changes(coefficients: np.ndarray) -> np.ndarray:
    """Sign changes down each column between successive non-zero entries (Descartes' count), (n, k) → (k,)."""
    negative = coefficients < 0
    changes = (negative[1:] != negative[:-1]).sum(axis=0, dtype=np.int64)  # right for columns without a zero
    zero = coefficients == 0
    if zero.any():  # carry the last non-zero sign over each zero
        some = np.flatnonzero(zero.any(axis=0))
        sign = np.sign(coefficients[:, some])
        last = np.where(sign != 0, np.arange(coefficients.shape[0])[:, None], 0)
        np.maximum.accumulate(last, axis=0, out=last)
        sign = np.take_along_axis(sign, last, axis=0)
        changes[some] = np.count_nonzero(sign[1:] * sign[:-1] < 0, axis=0)
    return changes


SAFE_EXPONENT = 600.0  # e^600 ≈ 4e260: factors up to this stay far from overflow


def factors_by_period(y: np.ndarray, periods: int) -> np.ndarray:
    """e^(−t y) for t = 0..periods−1 and each y = ln(1 + rate): shape (periods, len(y)).

    For a batch, the powers of x = e^−y are built by doubling — rows k..2k−1 are rows
    0..k−1 times x^k — a few products instead of an exp of every entry; for fewer values
    than periods, with one exp. Where e^(−(periods−1) y) would overflow (a rate near −100%),
    the column is scaled by e^((periods−1) y), largest factor 1: :func:`_solve` only uses
    ratios within a column.
    """
    limit = -SAFE_EXPONENT / max(periods - 1, 1)
    far = y < limit
    if far.any():
        factors = factors_by_period(np.maximum(y, limit), periods)
        factors[:, far] = np.exp(np.multiply.outer(np.arange(periods - 1, -1, -1, dtype=float), y[far]))
        return factors
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


def pv_and_slope(columns: np.ndarray, factors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Σ_t c_t e^(−ty) and its derivative in y, −Σ_t t c_t e^(−ty), per trial.

    ``columns`` is the flows transposed, (n, trials); ``factors`` from :func:`_factors_by_period`.
    For a column whose factors are scaled, both are scaled alike and the extra term of the
    derivative, the same for inflows and outflows, cancels in :func:`_solve`'s g′.
    """
    terms = columns * factors
    return terms.sum(axis=0), -(np.arange(columns.shape[0], dtype=float) @ terms)


_BREAKS = (0.0, 0.05, 0.15, 0.35, 0.7, 1.5, 3.0, 6.0, 12.0, 38.0)  # beyond 38, 1 + r < 3e-17 rounds r to −1
_Y_TOP = float(np.log(np.finfo(float).max))  # 709.78: a root beyond y = 38 (r > 3e16) is sought up to here
_HALVINGS = 30  # then roots closer than ~1e-9 of the interval apart are found by np.roots
_BERNSTEIN_PERIODS = 1000  # longer flows go to np.roots where the cuts do not settle them
_ISOLATE_TRIALS = 512  # trials whose Bernstein coefficients are worked out together
_ENDS = np.concatenate([[0.0], np.exp(-np.array(_BREAKS[::-1]))])  # the cuts in z, 0 to 1, ends included
_ENDS.flags.writeable = False


@functools.lru_cache(maxsize=4)
def _partition(periods: int) -> np.ndarray:
    """Matrices taking the coefficients of a polynomial of degree N = periods − 1 (ascending) to its
    Bernstein coefficients on each piece of z between the cuts :data:`_ENDS`, stacked: (pieces · periods,
    periods). Every entry is ≥ 0: no cancellation but the flows'.
    """
    degree = periods - 1
    binomial = np.zeros((periods, periods))
    binomial[:, 0] = 1.0
    for j in range(1, periods):
        binomial[j, 1:j + 1] = binomial[j - 1, :j] + binomial[j - 1, 1:j + 1]
    k = np.arange(periods, dtype=float)
    to_bernstein = binomial / binomial[degree]  # C(j, k) / C(N, k)
    matrices = []
    for alpha, beta in itertools.pairwise(_ENDS):
        # p(α + h u) = Σ_k u^k h^k Σ_i C(i, k) α^(i−k) c_i, then to the Bernstein basis
        shift = binomial.T * np.power(alpha, np.maximum(k[None, :] - k[:, None], 0.0)) * (beta - alpha) ** k[:, None]
        matrix = to_bernstein @ shift
        matrix[0], matrix[degree] = np.power(alpha, k), np.power(beta, k)  # p(α), p(β) exactly: p(1) = Σ c
        matrices.append(matrix)
    stacked = np.concatenate(matrices)
    stacked.flags.writeable = False
    return stacked


def _halves(coefficients: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Bernstein coefficients (along axis 0) of each column's polynomial on the two halves of its interval."""
    degree = coefficients.shape[0] - 1
    left, right = np.empty_like(coefficients), np.empty_like(coefficients)
    left[0], right[degree] = coefficients[0], coefficients[degree]
    current = coefficients
    for k in range(1, degree + 1):
        current = 0.5 * (current[:-1] + current[1:])
        left[k], right[degree - k] = current[0], current[-1]
    return left, right


def isolate_roots(columns: np.ndarray):
    """Every root r > −1 of each column's NPV (flows (n, trials), |flow| ≤ 1), and the one :func:`irr` takes.

    Returns per trial the number of roots; for the chosen root a bracket in y — low and
    high ends, the NPV's value (or only its sign) at the low end, a starting point — or NaN
    there and the rate itself where it is known without solving (a root on a cut, a root
    with 1 + r < 3e-17, or a trial left to np.roots).

    Notes
    -----
    First the signs of NPV at the cuts (:func:`_roots_at_cuts`): where they change sign as
    many times as an upper bound on the number of roots allows, every root is bracketed.
    The other trials' pieces are searched with Bernstein coefficients
    (:func:`_roots_by_bernstein`), and the few trials that defeat that go to np.roots. A value within its
    rounding error of zero counts as zero: a root within ~1e-14 of a cut is taken to be on
    it (r = 0 for flows that sum to zero), and a double root is one root, not two.
    """
    n, trials = columns.shape
    count = np.zeros(trials, dtype=np.int64)
    low, high, f_low, start, rate = (np.full(trials, np.nan) for _ in range(5))
    # found: trial, side (1: x, r ≥ 0; 0: w, r < 0), ends z_low, z_high of the piece holding a root
    # (equal for a root on a cut) and the polynomial's values (or signs) there
    found, settled = _roots_at_cuts(columns)
    rest = np.flatnonzero(~settled)
    unresolved = rest
    if rest.size and n <= _BERNSTEIN_PERIODS:
        more, unresolved = _roots_by_bernstein(columns, rest)
        found = [found] + more
    else:
        found = [found]
    trial, side, lo, hi, at_lo, at_hi = (np.concatenate(parts) for parts in zip(*found))
    if unresolved.size:
        roots_by_numpy(columns, unresolved, count, rate)
        keep = ~np.isin(trial, unresolved)
        trial, side, lo, hi, at_lo, at_hi = trial[keep], side[keep], lo[keep], hi[keep], at_lo[keep], at_hi[keep]
    count += np.bincount(trial, minlength=trials)
    if trial.size:
        # numpy-financial's choice: the smallest r ≥ 0 (side 1, largest x), else the largest r < 0 (largest w)
        order = np.lexsort((lo == hi, hi, side, trial))
        last = order[np.r_[trial[order][1:] != trial[order][:-1], True]]
        choose_root(trial[last], side[last], lo[last], hi[last], at_lo[last], at_hi[last],
                low, high, f_low, start, rate)
        top = np.flatnonzero(high == _Y_TOP)  # a root with r > 3e16; beyond the largest float, r is inf
        at_top = np.exp(-_Y_TOP * np.arange(n, dtype=float)) @ np.take(columns, top, axis=1)
        beyond = top[np.sign(at_top) == np.sign(f_low[top])]
        rate[beyond], low[beyond] = np.inf, np.nan
    return count, low, high, f_low, start, rate


def _roots_at_cuts(columns: np.ndarray):
    """The roots that the signs of NPV at the cuts settle, and which trials they settle.

    With the cuts in order of y, and the signs NPV takes as y → ∓∞ (those of the last and
    first non-zero flows) at the ends, every piece whose ends differ in sign holds a root,
    and so does every cut where NPV is zero: at least L roots. At most U: the sign changes
    of the flows (Descartes), or fewer — those of the flows summed twice over (running sums
    of running sums), forward for the roots with r > 0 and backward for r < 0, each followed
    by NPV(0), plus one for a root at r = 0. That is Descartes' rule for the power series
    p(x)/(1 − x)² on 0 < x < 1, whose coefficients are those sums and then the sum at t = N
    growing by NPV(0) a period, and its mirror image in w. Where L = U the trial is
    settled: a root in each such piece, none elsewhere.
    """
    n, trials = columns.shape
    ends, pieces = _ENDS, len(_ENDS) - 1
    eps = 4 * n * np.finfo(float).eps  # relative rounding error of a sum of n terms, generously
    powers = np.power.outer(ends[1:], np.arange(n, dtype=float))  # (pieces, n): z = ends[1..pieces], the last 1
    absolute = np.abs(columns)
    # NPV (times a positive factor) at the cuts: w side up from w = ends[1], then x side up to z = 1 (y = 0)
    values = np.concatenate([powers[:-1] @ columns[::-1], powers @ columns])
    values[np.abs(values) <= eps * np.concatenate([powers[:-1] @ absolute[::-1], powers @ absolute])] = 0.0
    values = np.concatenate([values[:pieces - 1], values[pieces - 1:][::-1]])  # in order of y
    nonzero = columns != 0
    first = np.sign(columns[nonzero.argmax(axis=0), np.arange(trials)])  # the sign as y → ∞
    last = np.sign(columns[n - 1 - nonzero[::-1].argmax(axis=0), np.arange(trials)])  # as y → −∞
    values = np.concatenate([last[None], values, first[None]])  # (2 · pieces + 1, trials); pieces between
    change = values[:-1] * values[1:] < 0
    zero = values == 0
    lower = change.sum(axis=0) + zero.sum(axis=0)
    upper = sign_changes(columns)
    tighter = np.flatnonzero(lower < upper)
    if tighter.size:
        flows = np.take(columns, tighter, axis=1)
        at_zero = values[pieces, tighter]  # NPV(r = 0), zero or not as at the cut
        bound, certain = zero[pieces, tighter].astype(np.int64), np.ones(tighter.size, dtype=bool)
        t = np.arange(1, n + 1, dtype=float)[:, None]
        limit = eps * t * (t + 1) / 2  # |twice summed| ≤ t (t + 1) / 2 for |flow| ≤ 1: its rounding error is below
        for ordered in (flows, flows[::-1]):  # r > 0, then r < 0
            twice = _summed_twice(ordered)
            started = t > (ordered != 0).argmax(axis=0)  # leading zero flows sum to 0 exactly
            certain &= ~((np.abs(twice) <= limit) & started).any(axis=0)
            bound += sign_changes(np.concatenate([twice, at_zero[None]]))
        upper[tighter] = np.where(certain, np.minimum(upper[tighter], bound), upper[tighter])
    settled = lower == upper
    # pieces in order of y: w pieces 0..pieces−1 (z rising with y), then x pieces pieces−1..0 (z falling)
    piece, trial = np.nonzero(change & settled)
    w = piece < pieces
    k = np.where(w, piece, 2 * pieces - 1 - piece)
    below, above = values[piece, trial], values[piece + 1, trial]  # at the piece's lower and upper y
    roots = (trial, (~w).astype(np.int64), ends[k], ends[k + 1], np.where(w, below, above), np.where(w, above, below))
    point, trial = np.nonzero(zero & settled)
    w = point < pieces
    z = ends[np.where(w, point, 2 * pieces - point)]
    points = (trial, (~w).astype(np.int64), z, z, np.zeros(trial.size), np.zeros(trial.size))
    return tuple(np.concatenate(pair) for pair in zip(roots, points)), settled


def _summed_twice(values: np.ndarray) -> np.ndarray:
    """Running sums of the running sums down each column (row by row: faster than np.cumsum along axis 0)."""
    out = np.empty_like(values)
    once = values[0].copy()
    out[0] = once
    for t in range(1, values.shape[0]):
        once += values[t]
        np.add(out[t - 1], once, out=out[t])
    return out


def _roots_by_bernstein(columns: np.ndarray, trials: np.ndarray):
    """The roots of the given trials (columns of ``columns``) by Bernstein coefficients on every piece.

    Returns the roots found (as :func:`_isolate`'s ``found``) and the trials left to np.roots.
    """
    degree = columns.shape[0] - 1
    found, pieces = [], []
    for first in range(0, trials.size, _ISOLATE_TRIALS):  # a chunk's Bernstein coefficients stay in cache
        chunk = trials[first:first + _ISOLATE_TRIALS]
        on_cut, candidates = _pieces(np.take(columns, chunk, axis=1))
        found.append((chunk[on_cut[0]],) + on_cut[1:])
        pieces.append((chunk[candidates[0]],) + candidates[1:])
    trial, side, lo, hi, polynomial, error = (np.concatenate(parts, axis=-1) for parts in zip(*pieces))
    more = np.zeros(trial.size, dtype=bool)
    for halving in range(_HALVINGS + 1):
        polynomial[np.abs(polynomial) <= error] = 0.0
        if halving:
            zero = polynomial[degree, :trial.size // 2] == 0  # a root on the middle of the halved pieces
            found.append((trial[:zero.size][zero], side[:zero.size][zero], hi[:zero.size][zero],
                          hi[:zero.size][zero], np.zeros(zero.sum()), np.zeros(zero.sum())))
        variations = sign_changes(polynomial)
        one = variations == 1
        found.append((trial[one], side[one], lo[one], hi[one], polynomial[0, one], polynomial[degree, one]))
        more = variations > 1
        if halving == _HALVINGS or not more.any():
            break
        trial, side, lo, hi = (np.tile(a[more], 2) for a in (trial, side, lo, hi))
        split = lo.size // 2
        lo[split:] = hi[:split] = 0.5 * (lo[:split] + hi[split:])
        left, right = _halves(np.concatenate([polynomial[:, more], error[:, more]], axis=1))  # one pass for both
        polynomial = np.concatenate([left[:, :split], right[:, :split]], axis=1)
        error = np.concatenate([left[:, split:], right[:, split:]], axis=1)
    return found, np.unique(trial[more])


def _pieces(columns: np.ndarray):
    """For one chunk of trials: the roots on cuts, and the pieces that may hold roots.

    Returns (trial, side, z, z, 0, 0) of the roots on cuts, and (trial, side, z_low,
    z_high, Bernstein coefficients (n, pieces), their rounding errors (n, pieces)) of the
    pieces whose coefficients change sign; trials numbered within the chunk.
    """
    n, trials = columns.shape
    degree = n - 1
    matrices, ends = _partition(n), _ENDS
    count = len(ends) - 1
    eps = 4 * n * np.finfo(float).eps  # relative rounding error of a sum of n terms ≥ 0, generously
    both = np.concatenate([columns, columns[::-1]], axis=1)  # column q: side 1 for q < trials, else side 0
    coefficients = (matrices @ both).reshape(count, n, both.shape[1])
    # the polynomial at the cut above each piece: zero within its rounding error, and one value for the
    # pieces on both sides of the cut (z = 1 is the top of side 1 and of side 0) — a root there is found once
    at_cut = coefficients[:, degree, :]
    at_cut[np.abs(at_cut) <= eps * (np.power.outer(ends[1:], np.arange(n, dtype=float)) @ np.abs(both))] = 0.0
    at_cut[-1, trials:] = at_cut[-1, :trials]
    coefficients[1:, 0, :] = at_cut[:-1]
    zero = at_cut == 0
    zero[-1, trials:] = False
    piece, q = np.nonzero(zero)
    on_cut = (q % trials, (q < trials).astype(np.int64), ends[piece + 1], ends[piece + 1],
              np.zeros(q.size), np.zeros(q.size))
    piece, q = np.nonzero((coefficients.min(axis=1) < 0) & (coefficients.max(axis=1) > 0))
    polynomial = coefficients[piece, :, q].T  # (n, pieces)
    error = np.empty_like(polynomial)
    absolute = np.abs(both)
    for k in np.unique(piece):
        items = np.flatnonzero(piece == k)
        error[:, items] = matrices[k * n:(k + 1) * n] @ absolute[:, q[items]]
    error *= eps
    return on_cut, (q % trials, (q < trials).astype(np.int64), ends[piece], ends[piece + 1], polynomial, error)


def choose_root(trial, on_side, lo, hi, at_lo, at_hi, low, high, f_low, start, rate):
    """Turn the chosen roots' places in z into a rate, or a bracket in y (filling the arrays given)."""
    with np.errstate(divide="ignore"):
        point = lo == hi
        x_side = on_side == 1
        # a root on a cut: x = 1/(1 + r) on side 1, w = 1 + r on side 0
        rate[trial[point & x_side]] = 1.0 / hi[point & x_side] - 1.0
        rate[trial[point & ~x_side]] = hi[point & ~x_side] - 1.0
        # side 0 below the last cut: 1 + r < e^−38, r is −1.0 in floats (side 1 above it: see _isolate)
        beyond = ~point & ~x_side & (lo == 0)
        rate[trial[beyond]] = -1.0
        # side 1: y from −ln β to −ln α (α = 0: up to _Y_TOP), NPV at the low end is p(β)
        solve = ~point & x_side
        y_low, y_high = -np.log(hi[solve]), np.minimum(-np.log(lo[solve]), _Y_TOP)
        low[trial[solve]], high[trial[solve]], f_low[trial[solve]] = y_low, y_high, at_hi[solve]
        start[trial[solve]] = 0.5 * (y_low + y_high)
        # side 0: y from ln α to ln β, the sign of NPV at the low end is that of w^N p(1/w) at α
        solve = ~point & ~x_side & (lo > 0)
        y_low, y_high = np.log(lo[solve]), np.log(hi[solve])
        low[trial[solve]], high[trial[solve]], f_low[trial[solve]] = y_low, y_high, at_lo[solve]
        start[trial[solve]] = 0.5 * (y_low + y_high)


def roots_by_numpy(columns: np.ndarray, trials: np.ndarray, count: np.ndarray, rate: np.ndarray) -> None:
    """Roots of the few trials the isolation could not settle (roots within ~1e-9 of each other), one by one.

    np.roots of the flows (as numpy-financial) gives 1 + r; the real positive ones are
    counted, merging roots within 1e-7 of each other (a double root comes out as two).
    """
    for trial in trials:
        try:
            with np.errstate(all="ignore"):
                roots = np.roots(columns[:, trial])
        except np.linalg.LinAlgError:  # the companion matrix overflowed, or QR did not converge: NaN
            continue
        growth = np.sort(roots.real[(roots.imag == 0) & (roots.real > 0)])
        if not growth.size:
            continue
        growth = growth[np.r_[True, np.diff(growth) > 1e-7 * np.maximum(growth[1:], 1.0)]]
        count[trial] = growth.size
        r = growth - 1.0
        rate[trial] = r[r >= 0].min() if (r >= 0).any() else r.max()


def solve_bracketed(columns: np.ndarray, low: np.ndarray, high: np.ndarray, f_low: np.ndarray, start: np.ndarray,
           tol: float, maxiter: int, shortcut: bool = True) -> np.ndarray:
    """Root of NPV(y) inside [low, high] for every column, y = ln(1 + rate), from ``start``; f_low = NPV(low).

    Newton's method on g(y) = ln PV(inflows) − ln PV(outflows), which has the sign of the
    NPV but is far closer to linear in y; a step leaving the bracket is replaced by
    bisection. Newton converges quadratically, so with ``shortcut`` a step below √tol, which
    leaves an error below about tol · g''/g', is taken as the last; without it (roots with a
    neighbour nearby, where g''/g' is large) Newton goes on until a step is below tol. Only
    the sign of f_low is used.
    """
    last_step = np.sqrt(tol) if shortcut else tol
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
        factors = factors_by_period(y[rows], columns.shape[0])
        pv_in, slope_in = pv_and_slope(inflows, factors)
        pv_out, slope_out = pv_and_slope(outflows, factors)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            g = np.log(pv_in) - np.log(pv_out)
            newton = y[rows] - g / (slope_in / pv_in - slope_out / pv_out)
        neg_end[rows] = np.where(g < 0, y[rows], neg_end[rows])
        pos_end[rows] = np.where(g > 0, y[rows], pos_end[rows])
        lo, hi = np.minimum(neg_end[rows], pos_end[rows]), np.maximum(neg_end[rows], pos_end[rows])
        inside = np.isfinite(newton) & (newton > lo) & (newton < hi)
        new = np.where(inside, newton, 0.5 * (lo + hi))
        step = np.abs(new - y[rows]) / (1.0 + np.abs(y[rows]))
        moving = active & (g != 0) & (step > tol) & ~(inside & (step <= last_step))
        y[rows] = np.where(active & (g != 0), new, y[rows])
        active = moving
        if not active.any():
            break
    return y


__all__ = ["sign_changes", "factors_by_period", "pv_and_slope", "isolate_roots", "choose_root", "roots_by_numpy",
           "solve_bracketed", "SAFE_EXPONENT"]
