"""The workbook's building blocks: cell styles, input names, and period tables of formulas.

A period table holds lines over periods — months down the rows of ``monthly``, years across
the columns of ``annual``. :class:`Axis` says where each line's cell of each period is;
:class:`Line` is one line as formula templates, in which ``[key]`` is the line ``key`` in the
same period, ``[key-1]`` in the period before, ``[key@0]`` in period 0 (absolute) and
``[key@a:b]`` periods a..b (absolute); every other name in a template is a workbook-level
defined name (an input, :func:`input_name`, or a calculation cell of ``metrics``).
Text that comes from scenario files is only ever written with ``write_string``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

import numpy as np
from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

#: Number formats by unit: money in CNY (yuan), users whole, fractions as percentages with one decimal.
NUMBER_FORMATS = {
    "CNY": "#,##0", "CNY/user": "#,##0.00", "money": "#,##0.00", "users": "#,##0", "fraction": "0.0%",
    "fraction/year": "0.0%", "fraction/month": "0.0%", "months": "0.00", "month": "0", "year": "0", "flag": "0",
    "factor": "0.000000", "ratio": "0.00", "number": "0.00", "wan": "#,##0.0",
}
INPUT_FILL, INPUT_FONT = "#FFF2CC", "#0000FF"  # the finance convention: inputs light yellow, blue
HELPER_FONT = "#7F7F7F"  # helper lines (steps of a calculation) in grey
VALUES_NOTE = "values computed by the model, not formulas"
RERENDER_NOTE = "changing this input needs a re-render"
_TOKEN = re.compile(r"\[(\w+)(?:(-1)|@(\d+)(?::(\d+))?)?\]")


class FormulaSheet(Worksheet):
    """A worksheet for the generator's own formulas, which use no dynamic-array or newer Excel function: XlsxWriter's
    some thirty regular-expression passes per formula, which prefix such functions with ``_xlfn.``, are skipped (they
    were most of the writing time). Array formulas and XlsxWriter's own expansions take the usual path."""

    def _prepare_formula(self, formula, expand_future_functions=False):
        if expand_future_functions or formula.startswith("{"):
            return super()._prepare_formula(formula, expand_future_functions)
        return formula[1:] if formula.startswith("=") else formula


def input_name(path: str) -> str:
    """The defined name of an input: its dotted path with ``_`` for ``.`` (``revenue_community_conversion``).

    A one-off cost's NAME may hold characters a defined name cannot: each becomes ``_x<hex>_``
    (``fine-1`` → ``fine_x2d_1``), so that two names never meet.
    """
    return re.sub(r"\W", lambda m: f"_x{ord(m.group()):x}_", path.replace(".", "_"))


class Styles:
    """The workbook's cell formats, created once per workbook."""

    def __init__(self, book):
        self.book = book
        self._cache: dict[tuple, object] = {}
        self.bold = self.get(bold=True)
        self.header = self.get(bold=True, bg_color="#D9E1F2", text_wrap=True, valign="top", border=1)
        self.title = self.get(bold=True, font_size=13)
        self.note = self.get(italic=True, font_color="#595959")
        self.text = self.get(text_wrap=True, valign="top")
        self.plain = self.get()

    def get(self, **properties):
        key = tuple(sorted(properties.items()))
        if key not in self._cache:
            self._cache[key] = self.book.add_format(dict(properties))
        return self._cache[key]

    def number(self, unit: str, *, helper: bool = False, bold: bool = False, input: bool = False):
        """The format of a number in ``unit`` (:data:`NUMBER_FORMATS`; general otherwise)."""
        properties: dict = {}
        if unit in NUMBER_FORMATS:
            properties["num_format"] = NUMBER_FORMATS[unit]
        if helper:
            properties["font_color"] = HELPER_FONT
        if bold:
            properties["bold"] = True
        if input:
            properties.update(bg_color=INPUT_FILL, font_color=INPUT_FONT, border=1, border_color="#BFBFBF")
        return self.get(**properties)


def write_value(sheet, row: int, col: int, value, fmt=None, never: str = "n/a") -> None:
    """A model value: numbers as numbers, NaN as ``n/a``, ±inf as ``never``/``-inf``, text always as text."""
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, (bool, np.bool_)):
        sheet.write_boolean(row, col, bool(value), fmt)
    elif isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        if math.isnan(number):
            sheet.write_string(row, col, "n/a", fmt)
        elif math.isinf(number):
            sheet.write_string(row, col, never if number > 0 else "-inf", fmt)
        else:
            sheet.write_number(row, col, number, fmt)
    else:
        sheet.write_string(row, col, str(value), fmt)


def cached(value):
    """A formula's cached result as XlsxWriter takes it: a number, a bool, text, or ``#N/A`` for NaN/inf."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value) if math.isfinite(value) else "#N/A"
    return value if value is not None else 0


@dataclass(frozen=True)
class Line:
    """One line of a period table: formula templates for period 0, later periods and (optionally) the last one."""

    key: str
    label: str
    unit: str
    first: str
    rest: str
    last: str | None = None
    helper: bool = False  # a step of a calculation rather than a line of the model's tables


class Axis:
    """Where the lines of a period table sit: periods down the rows (``by_rows``) or across the columns."""

    def __init__(self, sheet: str, keys: Sequence[str], periods: int, by_rows: bool, first_row: int, first_col: int):
        self.sheet, self.periods, self.by_rows = sheet, periods, by_rows
        self.index = {key: i for i, key in enumerate(keys)}
        self.first_row, self.first_col = first_row, first_col

    def rc(self, key: str, t: int) -> tuple[int, int]:
        """(row, column), 0-based, of line ``key`` in period ``t``."""
        i = self.index[key]
        return (self.first_row + t, self.first_col + i) if self.by_rows else (self.first_row + i, self.first_col + t)

    def cell(self, key: str, t: int, absolute: bool = False) -> str:
        row, col = self.rc(key, t)
        return xl_rowcol_to_cell(row, col, row_abs=absolute, col_abs=absolute)

    def span(self, key: str, start: int = 0, stop: int | None = None, sheet: bool = True) -> str:
        """The absolute range of periods ``start``..``stop`` (default: to the last) of line ``key``."""
        stop = self.periods - 1 if stop is None else stop
        text = f"{self.cell(key, start, True)}:{self.cell(key, stop, True)}"
        return f"{self.sheet}!{text}" if sheet else text

    def ref(self, key: str, t: int) -> str:
        """The absolute reference of one cell from another sheet."""
        return f"{self.sheet}!{self.cell(key, t, True)}"

    def fill(self, template: str, t: int) -> str:
        """A template of period ``t`` as an Excel formula (with its ``=``)."""
        def replace(match: re.Match) -> str:
            key, before, at, until = match.groups()
            if until is not None:
                return self.span(key, int(at), int(until), sheet=False)
            if at is not None:
                return self.cell(key, int(at), absolute=True)
            return self.cell(key, t - 1 if before else t)
        return "=" + _TOKEN.sub(replace, template)

    def template(self, line: Line, t: int) -> str:
        if t == 0:
            return line.first
        return line.last if line.last is not None and t == self.periods - 1 else line.rest


def write_lines(sheet, axis: Axis, lines: Iterable[Line], values: Mapping[str, Sequence], styles: Styles) -> None:
    """Every period of every line as its formula, with the model's value as the cached result."""
    for line in lines:
        fmt = styles.number(line.unit, helper=line.helper)
        column = values[line.key]
        for t in range(axis.periods):
            row, col = axis.rc(line.key, t)
            sheet.write_formula(row, col, axis.fill(axis.template(line, t), t), fmt, cached(column[t]))


def running_lines(rate: str, period: str) -> list[Line]:
    """Discounting, running totals and the payback steps of one period table (monthly or annual).

    ``rate`` is the discount rate per period (a defined name), ``period`` the line of period numbers.
    Payback: the first period k after the cumulative flow C first goes negative with C_k ≥ 0,
    interpolated: k − 1 + (−C_{k−1}) / flow_k (:func:`model.core.finance.payback_period`).
    """
    lines = [
        Line("discount_factor", "Discount factor", "factor", *2 * [f"(1+{rate})^(0-[{period}])"]),
        Line("discounted_net_cash_flow", "", "CNY", "[net_cash_flow]*[discount_factor]",
             "[net_cash_flow]*[discount_factor]"),
        Line("cumulative_net_cash_flow", "", "CNY", "[net_cash_flow]", "[cumulative_net_cash_flow-1]+[net_cash_flow]"),
        Line("cumulative_discounted_net_cash_flow", "", "CNY", "[discounted_net_cash_flow]",
             "[cumulative_discounted_net_cash_flow-1]+[discounted_net_cash_flow]"),
    ]
    for suffix, flow, cumulative, what in (("", "net_cash_flow", "cumulative_net_cash_flow", ""),
                                           ("_discounted", "discounted_net_cash_flow",
                                            "cumulative_discounted_net_cash_flow", " (discounted)")):
        lines += [
            Line(f"owing{suffix}", f"Payback step{what}: cumulative flow has been negative (1/0)", "flag",
                 f"IF([{cumulative}]<0,1,0)", f"IF(OR([owing{suffix}-1]=1,[{cumulative}]<0),1,0)", helper=True),
            Line(f"reached{suffix}", f"Payback step{what}: first back at or above zero here (1/0)", "flag", "0",
                 f"IF(AND([owing{suffix}-1]=1,[{cumulative}]>=0),1,0)", helper=True),
            Line(f"point{suffix}", f"Payback step{what}: k − 1 + (−C(k−1)) / flow(k), periods", "number", "0",
                 f"IF([reached{suffix}]=1,[{period}]-1+(0-[{cumulative}-1])/[{flow}],0)", helper=True),
        ]
    return lines


def running_values(net: np.ndarray, factors: np.ndarray, period: np.ndarray) -> dict[str, np.ndarray]:
    """The cached values of :func:`running_lines` (the same arithmetic, in numpy)."""
    out = {"discount_factor": factors, "discounted_net_cash_flow": net * factors,
           "cumulative_net_cash_flow": np.cumsum(net)}
    out["cumulative_discounted_net_cash_flow"] = np.cumsum(out["discounted_net_cash_flow"])
    for suffix, flow, cumulative in (("", net, out["cumulative_net_cash_flow"]),
                                     ("_discounted", out["discounted_net_cash_flow"],
                                      out["cumulative_discounted_net_cash_flow"])):
        owing = np.maximum.accumulate(cumulative < 0).astype(float)
        reached = np.zeros_like(owing)
        reached[1:] = (owing[:-1] == 1) & (cumulative[1:] >= 0)
        point = np.zeros_like(owing)
        with np.errstate(divide="ignore", invalid="ignore"):
            point[1:] = np.where(reached[1:] == 1, period[1:] - 1 + (0 - cumulative[:-1]) / flow[1:], 0.0)
        out.update({f"owing{suffix}": owing, f"reached{suffix}": reached, f"point{suffix}": point})
    return out


def payback_formula(axis: Axis, suffix: str = "", scale: str = "") -> str:
    """Payback from the steps of :func:`running_lines`: 0 when never owing, #N/A when never back."""
    owing, reached, point = (axis.span(f"{k}{suffix}") for k in ("owing", "reached", "point"))
    return f"=IF(MAX({owing})=0,0,IFERROR(INDEX({point},MATCH(1,{reached},0)),NA())){scale}"


__all__ = ["FormulaSheet", "NUMBER_FORMATS", "VALUES_NOTE", "RERENDER_NOTE", "input_name", "Styles", "write_value",
           "cached", "Line", "Axis", "write_lines", "running_lines", "running_values", "payback_formula"]
