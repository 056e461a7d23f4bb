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
YUAN, WAN_YUAN, YI_YUAN = "元", "万元", "亿元"  # the display units of money
HUGE_RATE = 100.0  # a rate above 10,000% is shown as "> 10,000%"
MONTHS_PER_YEAR = 12  # the model's time unit is the month; years are 12 of them

_NUMBER = r"[+-]?(?:\d[\d,_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
MONEY_FORMS = "must be money: a number of yuan or a string like \"350万\", \"2.55亿\", \"150元\""
RATE_FORMS = "must be a rate: a fraction like 0.075 or a percentage like \"7.5%\""
_MONEY_RE = re.compile(rf"^\s*({_NUMBER})\s*([^\d\s.,+-]*)\s*$")
_RATE_RE = re.compile(rf"^\s*({_NUMBER})\s*(%?)\s*$")
#: Full-width forms a Chinese keyboard types inside numbers and keys, and their ASCII: ``１，０００`` → ``1,000``,
#: ``7.5％`` → ``7.5%``, ``revenue：`` → ``revenue:``, the ideographic space → a space. Applied to numeric
#: values and keys only, never to prose (descriptions, notes, sources).
FULL_WIDTH = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)}, "，": ",", "％": "%", "﹪": "%",
                            "：": ":", "．": ".", "＋": "+", "－": "-", "\u3000": " "})


def normalise_number_text(text: str) -> str:
    """A numeric value's text with full-width digits, ``，％．＋－`` and spaces made ASCII (``"1，000"`` → ``"1,000"``)."""
    return text.translate(FULL_WIDTH)


def normalise_key(key: str) -> str:
    """A key with full-width spaces made ASCII, outer spaces and a trailing ``：`` removed (``"revenue："`` → ``"revenue"``)."""
    cleaned = key.replace("\u3000", " ").strip()
    return cleaned[:-1].rstrip() if cleaned.endswith("：") else cleaned


def _checked_finite(number: float) -> float:
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    return number


def parse_number(raw: object) -> float:
    """A plain number from YAML: int, float or a numeric string such as ``"1e6"``."""
    if isinstance(raw, bool) or raw is None:
        raise ValueError("must be a number")
    if isinstance(raw, (int, float)):
        return _checked_finite(float(raw))
    if isinstance(raw, str) and re.fullmatch(rf"\s*{_NUMBER}\s*", normalise_number_text(raw)):
        return _checked_finite(float(normalise_number_text(raw).replace(",", "").replace("_", "")))
    raise ValueError("must be a number")


def parse_money(raw: object) -> float:
    """Money in yuan from a number or a string with a unit.

    >>> parse_money("350万"), parse_money("1.5亿"), parse_money("150元"), parse_money(1e6)
    (3500000.0, 150000000.0, 150.0, 1000000.0)
    """
    if isinstance(raw, str):
        match = _MONEY_RE.match(normalise_number_text(raw))
        unit = match.group(2).lower() if match else None
        if unit not in MONEY_UNITS:
            raise ValueError(MONEY_FORMS)
        return _checked_finite(float(match.group(1).replace(",", "").replace("_", "")) * MONEY_UNITS[unit])
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ValueError(MONEY_FORMS)
    return parse_number(raw)


def parse_rate(raw: object) -> float:
    """A rate as a fraction, from a number (0.075) or a percentage string ("7.5%").

    >>> parse_rate("7.5%"), parse_rate(0.08), parse_rate("7.5％")
    (0.075, 0.08, 0.075)
    """
    if isinstance(raw, str):
        match = _RATE_RE.match(normalise_number_text(raw))
        if not match:
            raise ValueError(RATE_FORMS)
        value = float(match.group(1).replace(",", "").replace("_", ""))
        return _checked_finite(value / 100.0 if match.group(2) else value)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        raise ValueError(RATE_FORMS)
    return parse_number(raw)


def is_finite(value) -> bool:
    """True for a real, finite number (not None, NaN or ±inf)."""
    return value is not None and math.isfinite(value)


def json_value(x):
    """A value for JSON: finite numbers as float, NaN/inf as None, numpy booleans as bool, the rest as is."""
    import numpy as np  # JSON of results: numpy is loaded by then; validating a file does not need it

    if isinstance(x, (bool, np.bool_)):
        return bool(x)
    if isinstance(x, (int, float, np.integer, np.floating)):
        return float(x) if math.isfinite(x) else None
    return x


def money_unit(*yuan) -> str:
    """The display unit for amounts shown together: 亿元 from 1亿 up, 万元 from 1万, else 元 (by the largest;
    an array counts by its elements)."""
    amounts = (abs(float(a)) for y in yuan for a in (y if hasattr(y, "__iter__") else (y,)))
    largest = max((a for a in amounts if math.isfinite(a)), default=0.0)
    return YI_YUAN if largest >= MONEY_UNITS["亿"] else WAN_YUAN if largest >= WAN else YUAN


def _money_digits(amounts, unit: str, digits: int) -> int:
    """In 亿元 a second decimal is kept when any amount needs it (1.25 亿元 is 12,500 万元, not 1.2 亿元)."""
    if unit == YI_YUAN and digits == 1 and any(round(a, 2) != round(a, 1) for a in amounts if is_finite(a)):
        return 2
    return digits


def format_money(yuan: float, unit: str | None = WAN_YUAN, digits: int = 1) -> str:
    """Money for people: ``format_money(3.5e6)`` → ``"350.0 万元"``; NaN → ``"–"``.

    ``unit`` is 元, 万元 or 亿元, or None to choose by size (:func:`money_unit`); one decimal
    (two in 亿元 when needed).
    """
    if not is_finite(yuan):
        return "–"
    unit = unit or money_unit(yuan)
    amount = yuan / MONEY_UNITS[unit]
    return f"{amount:,.{_money_digits([amount], unit, digits)}f} {unit}"


def format_exact(number: float, least: int = 1, most: int = 4) -> str:
    """A number with the fewest decimals, from ``least`` to ``most``, that show it exactly:
    ``format_exact(7.5)`` → ``"7.5"``, ``format_exact(0.25)`` → ``"0.25"``, ``format_exact(150)`` → ``"150.0"``."""
    digits = next((d for d in range(least, most) if round(number, d) == round(number, most)), most)
    return f"{number:,.{digits}f}"


def money_scale(*yuan) -> tuple[float, str]:
    """``(divisor, unit)`` for amounts shown together (a table row, a chart's axis): 亿元 when the
    largest reaches 1亿, else 万元 — ``money_scale(2.5e8)`` → ``(1e8, "亿元")``. Arrays count by their elements."""
    unit = YI_YUAN if money_unit(*yuan) == YI_YUAN else WAN_YUAN
    return MONEY_UNITS[unit], unit


def format_amounts(yuan) -> tuple[str, list[str]]:
    """Amounts shown together (one row or column of a table) in one unit: ``(unit, numbers)``.

    The unit is 万元 below 1亿 and 亿元 from 1亿, chosen by the largest amount; one decimal
    (two in 亿元 when any amount needs them), for every amount alike; NaN → ``"–"``.

    >>> format_amounts([1.7171e7, 4.2229e7, 1.04233e8])
    ('亿元', ['0.17', '0.42', '1.04'])
    """
    scale, unit = money_scale(*yuan)
    amounts = [y / scale for y in yuan]
    digits = _money_digits(amounts, unit, 1)
    return unit, [f"{a:,.{digits}f}" if is_finite(a) else "–" for a in amounts]


IRR_EXTREME = 10.0  # above 1,000% a year an IRR says nothing a reader can use
FAST_PAYBACK_MONTHS = 3.0  # a payback this fast makes any IRR enormous


def irr_caveat(irr: float, *, ambiguous: bool = False, payback_months: float = math.nan) -> str | None:
    """Why an annual IRR is not meaningful, or None: ``ambiguous`` (the flows have several IRRs),
    ``extreme`` (above 1,000% a year) or ``fast_payback`` (payback within 3 months)."""
    if ambiguous:
        return "ambiguous"
    if is_finite(irr) and irr > IRR_EXTREME:
        return "extreme"
    if is_finite(irr) and is_finite(payback_months) and payback_months < FAST_PAYBACK_MONTHS:
        return "fast_payback"
    return None


def format_irr(irr: float, mirr: float, *, ambiguous: bool = False, payback_months: float = math.nan,
               per_year: str = "{value} a year", not_meaningful: str = "n.m. (MIRR {mirr})") -> str:
    """The one IRR display (reports, dashboard, CLI): the annual IRR, or ``n.m.`` with the MIRR beside it
    when :func:`irr_caveat` finds the IRR not meaningful. ``per_year`` and ``not_meaningful`` word them
    (the label registry gives them in Chinese).

    >>> format_irr(0.45, 0.2), format_irr(26.6, 0.9), format_irr(0.1, 0.08, ambiguous=True)
    ('45.0% a year', 'n.m. (MIRR 90.0% a year)', 'n.m. (MIRR 8.0% a year)')
    """
    if irr_caveat(irr, ambiguous=ambiguous, payback_months=payback_months) is None:
        return per_year.format(value=format_rate(irr)) if is_finite(irr) else "–"
    return not_meaningful.format(mirr=per_year.format(value=format_rate(mirr)))


def format_quantity(value: float, unit: str) -> str:
    """A value in one of the model's units, for people: one rule per unit.

    Money (``CNY``, ``CNY/year``, ``CNY/order``, …) by size (:func:`money_unit`), with its
    period; rates (``fraction``, ``fraction/month``, ``fraction/year``) as percentages with one
    decimal and their period; ``months`` with one decimal; counts and ratios plainly.

    >>> format_quantity(2.55e8, "CNY/year"), format_quantity(0.075, "fraction/month"), format_quantity(150, "CNY/order")
    ('2.55 亿元/year', '7.5% a month', '150.0 元/order')
    """
    if not is_finite(value):
        return "–"
    if unit.startswith("CNY"):
        per = unit.partition("/")[2]
        return format_money(value, None) + (f"/{per}" if per else "")
    if unit.startswith("fraction"):
        return format_rate(value, {"fraction/year": "a year", "fraction/month": "a month"}.get(unit, ""))
    if unit == "months":
        return f"{value:,.1f} months"
    number = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:,.4g}"
    return f"{number} {unit}".strip()


def format_change(difference: float, unit: str) -> str:
    """A signed difference in ``unit``: rates in percentage points (``+1.5 pp``), the rest as :func:`format_quantity`."""
    if unit.startswith("fraction"):
        return f"{difference * 100:+,.1f} pp"
    return ("+" if difference >= 0 else "-") + format_quantity(abs(difference), unit)


def format_rate(fraction: float, period: str = "", digits: int = 1) -> str:
    """A rate as a percentage with its period: ``format_rate(0.08, "annual")`` → ``"8.0% annual"``.

    Above 10,000% it reads ``"> 10,000%"``: such digits mean nothing (a payback within weeks).
    """
    if fraction is None or not math.isfinite(fraction):
        return "–"
    text = f"> {HUGE_RATE * 100:,.0f}%" if fraction > HUGE_RATE else f"{fraction * 100:,.{digits}f}%"
    return text + (f" {period}" if period else "")
