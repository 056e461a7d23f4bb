"""The ``irr_search`` sheet: a starting point for IRR() that finds the model's root, in formulas.

Excel's and LibreOffice's IRR() run Newton's method from a guess for at most 20 steps: from a
guess far from the root they fail (a plan whose monthly IRR is −57% gets #NUM! from 10%, −10%
and −50% alike), and where NPV has several zeros they return the one nearest the guess. So the guess is found
here the way :func:`model.core.irr.irr` chooses its root: NPV is evaluated on a grid of
y = ln(1 + rate) (scaled by a positive factor so that no power overflows: only its sign is
used); among the grid cells where it changes sign, the first at or above y = 0 (the smallest
non-negative IRR), else the last below it (the negative IRR nearest zero); then 48 bisection
steps narrow that cell to about 10⁻¹⁵. IRR() starts from there (``metrics``), so its result
is the model's root to the precision of Newton's method, and stays right when inputs change.
Where no cell changes sign (no IRR, or two roots inside one cell), the guess is #N/A and
``metrics`` falls back to the model's IRR as written. One block for the monthly flows, one
for the annual flows.
"""

from __future__ import annotations

import numpy as np
from xlsxwriter.utility import xl_rowcol_to_cell

from ..core.evaluation import Result
from .workbook_grid import Axis, Styles, cached

SHEET = "irr_search"
GRID = 121  # grid points, y from −CENTRE × step to +CENTRE × step
CENTRE = 60
STEPS = 48  # bisection steps: the cell's width / 2^48
BLOCKS = {"monthly": ("irr_search_monthly", 10, 0), "annual": ("irr_search_annual", 5, 8)}  # name, 1/step, column
TOP = 3  # first grid row


def _scaled_npv(net: np.ndarray, t: np.ndarray, y: float, shift: float) -> float:
    return float(np.sum(net * np.exp(-y * (t - shift))))


def search_values(net: np.ndarray, per_unit: int) -> dict:
    """The block's numbers in numpy (the formulas' arithmetic), for the cached values."""
    t = np.arange(len(net), dtype=float)
    last = t[-1]
    y = (np.arange(GRID) - CENTRE) / per_unit
    with np.errstate(over="ignore", invalid="ignore"):
        npv = np.array([_scaled_npv(net, t, v, last if v < 0 else 0.0) for v in y])
    signs = np.sign(npv)
    bracket = np.zeros(GRID)
    bracket[:-1] = (signs[:-1] * signs[1:] <= 0) & np.isfinite(npv[:-1]) & np.isfinite(npv[1:])
    below = np.full(GRID, -1.0)
    for k in range(GRID):
        below[k] = k if (k < CENTRE and bracket[k] == 1) else (below[k - 1] if k else -1.0)
    above = np.flatnonzero(bracket[CENTRE:] == 1)
    chosen = CENTRE + above[0] if above.size else (below[CENTRE - 1] if below[CENTRE - 1] >= 0 else np.nan)
    out = {"y": y, "npv": npv, "bracket": bracket, "below": below, "chosen": chosen, "rows": []}
    if np.isnan(chosen):
        out["guess"] = np.nan
        return out
    lo, hi = y[int(chosen)], y[int(chosen) + 1]
    shift = last if lo < 0 else 0.0
    f_lo = _scaled_npv(net, t, lo, shift)
    for _ in range(STEPS):
        mid = (lo + hi) / 2
        f_mid = _scaled_npv(net, t, mid, shift)
        out["rows"].append((lo, hi, f_lo, mid, f_mid))
        if np.sign(f_mid) == np.sign(f_lo):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    out["guess"] = float(np.exp((lo + hi) / 2) - 1)
    return out


def _block(book, sheet, title: str, name: str, per_unit: int, col: int, net: str, t: str, values: dict,
           styles: Styles) -> None:
    c = [col + i for i in range(6)]

    def at(row: int, i: int, absolute: bool = False) -> str:
        return xl_rowcol_to_cell(row, c[i], row_abs=absolute, col_abs=absolute)

    sheet.write_string(1, c[0], title, styles.bold)
    for i, text in enumerate(("k", "y = ln(1 + rate)", "NPV (scaled; sign only)", "sign change to next (1/0)",
                              "last change below y = 0 (k)")):
        sheet.write_string(2, c[i], text, styles.header)
    last = at(TOP + GRID + 1, 1, True)  # the last period number
    sheet.write_string(TOP + GRID + 1, c[0], "last period")
    sheet.write_formula(TOP + GRID + 1, c[1], f"=MAX({t})", None, float(values["last"]))
    fmt = styles.number("number", helper=True)
    for k in range(GRID):
        r = TOP + k
        sheet.write_number(r, c[0], k)
        sheet.write_number(r, c[1], float(values["y"][k]), fmt)
        sheet.write_formula(r, c[2], f"=SUMPRODUCT({net},EXP(-{at(r, 1)}*({t}-IF({at(r, 1)}<0,{last},0))))", fmt,
                            cached(values["npv"][k]))
        bracket = "0" if k == GRID - 1 else f"IF(IFERROR(SIGN({at(r, 2)})*SIGN({at(r + 1, 2)})<=0,FALSE),1,0)"
        sheet.write_formula(r, c[3], "=" + bracket, fmt, float(values["bracket"][k]))
        previous = at(r - 1, 4) if k else "-1"
        sheet.write_formula(r, c[4], f"=IF(AND({at(r, 0)}<{CENTRE},{at(r, 3)}=1),{at(r, 0)},{previous})", fmt,
                            float(values["below"][k]))
    chosen_row, bisect_top = TOP + GRID + 2, TOP + GRID + 5
    centre = f"{at(TOP + CENTRE, 3, True)}:{at(TOP + GRID - 1, 3, True)}"
    sheet.write_string(chosen_row, c[0], "cell chosen (k)")
    sheet.write_formula(chosen_row, c[1], f"=IFERROR({CENTRE}+MATCH(1,{centre},0)-1,IF({at(TOP + CENTRE - 1, 4, True)}"
                                          f">=0,{at(TOP + CENTRE - 1, 4, True)},NA()))", None, cached(values["chosen"]))
    chosen = at(chosen_row, 1, True)
    ys = f"{at(TOP, 1, True)}:{at(TOP + GRID - 1, 1, True)}"
    sheet.write_string(chosen_row + 1, c[0], "shift (sign only)")
    shift = at(chosen_row + 1, 1, True)
    rows = values["rows"]
    sheet.write_formula(chosen_row + 1, c[1], f"=IF(INDEX({ys},{chosen}+1)<0,{last},0)", None,
                        cached(values["last"] if rows and rows[0][0] < 0 else 0.0 if rows else np.nan))
    for i, text in enumerate(("step", "low y", "high y", "NPV at low", "mid y", "NPV at mid")):
        sheet.write_string(bisect_top - 1, c[i], text, styles.header)
    for n in range(STEPS):
        r = bisect_top + n
        lo, hi, f_lo, mid, f_mid = rows[n] if rows else (np.nan,) * 5
        sheet.write_number(r, c[0], n + 1)
        if n == 0:
            formulas = [f"=INDEX({ys},{chosen}+1)", f"=INDEX({ys},{chosen}+2)",
                        f"=SUMPRODUCT({net},EXP(-{at(r, 1)}*({t}-{shift})))"]
        else:
            same = f"SIGN({at(r - 1, 5)})=SIGN({at(r - 1, 3)})"
            formulas = [f"=IF({same},{at(r - 1, 4)},{at(r - 1, 1)})", f"=IF({same},{at(r - 1, 2)},{at(r - 1, 4)})",
                        f"=IF({same},{at(r - 1, 5)},{at(r - 1, 3)})"]
        formulas += [f"=({at(r, 1)}+{at(r, 2)})/2", f"=SUMPRODUCT({net},EXP(-{at(r, 4)}*({t}-{shift})))"]
        for i, (formula, value) in enumerate(zip(formulas, (lo, hi, f_lo, mid, f_mid)), start=1):
            sheet.write_formula(r, c[i], formula, fmt, cached(value))
    end = bisect_top + STEPS - 1
    sheet.write_string(end + 1, c[0], "guess (rate per period)", styles.bold)
    sheet.write_formula(end + 1, c[1], f"=EXP(({at(end, 1)}+{at(end, 2)})/2)-1", styles.number("fraction"),
                        cached(values["guess"]))
    book.define_name(name, f"={SHEET}!{at(end + 1, 1, True)}")
    sheet.set_column(c[0], c[0], 14)
    sheet.set_column(c[1], c[5], 16)


def write_irr_search(book, sheet, result: Result, monthly: Axis, annual: Axis, styles: Styles) -> None:
    """Both blocks; defines ``irr_search_monthly`` and ``irr_search_annual`` (the guesses, rates per period)."""
    sheet.write_string(0, 0, "IRR search: the starting point of IRR() on 'metrics', found as the model chooses its "
                             "root (the smallest non-negative IRR, else the negative one nearest zero): a grid of "
                             "y = ln(1 + rate), then bisection of the chosen cell.", styles.note)
    flows = {"monthly": (result.monthly["net_cash_flow"].to_numpy(), monthly.span("net_cash_flow"),
                         monthly.span("month")),
             "annual": (result.annual["net_cash_flow"].to_numpy(), annual.span("net_cash_flow"), annual.span("year"))}
    for kind, (name, per_unit, col) in BLOCKS.items():
        net, net_span, t_span = flows[kind]
        values = search_values(net, per_unit)
        values["last"] = len(net) - 1
        _block(book, sheet, f"{kind} flows", name, per_unit, col, net_span, t_span, values, styles)
    sheet.freeze_panes(3, 0)


__all__ = ["SHEET", "search_values", "write_irr_search"]
