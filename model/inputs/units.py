"""Parse and format money (CNY) and rates.

Money is yuan (CNY) as float64 everywhere inside the model. Scenario files may write a
plain number (yuan) or a string with a Chinese unit: ``"350万"``, ``"2.55亿"``, ``"150元"``.
Rates are fractions; files may write ``"7.5%"``.
"""

from __future__ import annotations

import math
import re

#: Multipliers from a written money unit to yuan.
MONEY_UNITS = {"": 1.0, "元": 1.0, "yuan": 1.0, "cny": 1.0, "千": 1e3, "千元": 1e3,
               "万": 1e4, "万元": 1e4, "百万": 1e6, "千万": 1e7, "亿": 1e8, "亿元": 1e8}
WAN = MONEY_UNITS["万"]  # yuan per 万元: reports show money in 万元
HUGE_RATE = 100.0  # a rate above 10,000% is shown as "> 10,000%"

_NUMBER = r"[+-]?(?:\d[\d,_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
MONEY_FORMS = "must be money: a number of yuan or a string like \"350万\", \"2.55亿\", \"150元\""
RATE_FORMS = "must be a rate: a fraction like 0.075 or a percentage like \"7.5%\""
_MONEY_RE = re.compile(rf"^\s*({_NUMBER})\s*([^\d\s.,+-]*)\s*$")
_RATE_RE = re.compile(rf"^\s*({_NUMBER})\s*(%?)\s*$")


def _finite(number: float) -> float:
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    return number


def parse_number(raw: object) -> float:
    """A plain number from YAML: int, float or a numeric string such as ``"1e6"``."""
    if isinstance(raw, bool) or raw is None:
        raise ValueError("must be a number")
    if isinstance(raw, (int, float)):
        return _finite(float(raw))
    if isinstance(raw, str) and re.fullmatch(rf"\s*{_NUMBER}\s*", raw):
        return _finite(float(raw.replace(",", "").replace("_", "")))
    raise ValueError("must be a number")


def parse_money(raw: object) -> float:
    """Money in yuan from a number or a string with a unit.

    >>> parse_money("350万"), parse_money("1.5亿"), parse_money("150元"), parse_money(1e6)
    (3500000.0, 150000000.0, 150.0, 1000000.0)
    """
    if isinstance(raw, str):
        match = _MONEY_RE.match(raw)
        unit = match.group(2).lower() if match else None
        if unit not in MONEY_UNITS:
            raise ValueError(MONEY_FORMS)
        return _finite(float(match.group(1).replace(",", "").replace("_", "")) * MONEY_UNITS[unit])
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ValueError(MONEY_FORMS)
    return parse_number(raw)


def parse_rate(raw: object) -> float:
    """A rate as a fraction, from a number (0.075) or a percentage string ("7.5%").

    >>> parse_rate("7.5%"), parse_rate(0.08)
    (0.075, 0.08)
    """
    if isinstance(raw, str):
        match = _RATE_RE.match(raw)
        if not match:
            raise ValueError(RATE_FORMS)
        value = float(match.group(1).replace(",", "").replace("_", ""))
        return _finite(value / 100.0 if match.group(2) else value)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ValueError(RATE_FORMS)
    return parse_number(raw)


def format_money(yuan: float, unit: str = "万元", digits: int = 1) -> str:
    """Money for people: ``format_money(3.5e6)`` → ``"350.0 万元"``; NaN → ``"–"``."""
    if yuan is None or not math.isfinite(yuan):
        return "–"
    scale = {"元": 1.0, "万元": 1e4, "亿元": 1e8}[unit]
    return f"{yuan / scale:,.{digits}f} {unit}"


def format_rate(fraction: float, period: str = "", digits: int = 1) -> str:
    """A rate as a percentage with its period: ``format_rate(0.08, "annual")`` → ``"8.0% annual"``.

    Above 10,000% it reads ``"> 10,000%"``: such digits mean nothing (a payback within weeks).
    """
    if fraction is None or not math.isfinite(fraction):
        return "–"
    text = f"> {HUGE_RATE * 100:,.0f}%" if fraction > HUGE_RATE else f"{fraction * 100:,.{digits}f}%"
    return text + (f" {period}" if period else "")
