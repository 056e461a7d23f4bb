"""The audit's comparison machinery: claims, tolerances, readings and verdicts.

A :class:`Claim` is one numeric claim of the study (001) with its stated value or range,
our recomputed value under one or more *readings* (conventions the study leaves open), a
tolerance fixed per kind of claim, and a verdict. The readings are fixed per kind of claim
before any comparison: the first is the kind's *standard* reading, the others alternatives.

- ``consistent``: the standard reading agrees within the tolerance;
- ``consistent under another reading``: the standard reading does not, an alternative does
  (the claim's ``reading`` names it);
- ``inconsistent``: no reading does; the difference under the standard reading is given as
  an amount and a percentage;
- ``not checkable``: the study does not state what the figure would follow from.

Figures are formatted by :mod:`model.inputs.units` (one rule per unit). Every text of a claim
(inputs, method, reading names, tolerance, explanation) is a :class:`~model.inputs.texts.Text`
where it has a Chinese translation; the note and the figures are worded in both languages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence, Union

from ..inputs.texts import Text, as_text, join_texts, quantity, quantity_text
from ..inputs.units import format_change

CONSISTENT, OTHER_READING, INCONSISTENT, NOT_CHECKABLE = (
    "consistent", "consistent under another reading", "inconsistent", "not checkable")
VERDICTS = (CONSISTENT, OTHER_READING, INCONSISTENT, NOT_CHECKABLE)
JSON_KEYS = ("id", "section", "claim", "stated", "recomputed", "unit", "verdict", "reading", "note")
MODES = ("equal", "within", "contains", "inside", "endpoints")

#: A stated or recomputed figure: one number, or a range (low, high) with None for an open end.
Value = Union[float, tuple]


@dataclass(frozen=True)
class Tolerance:
    """How far a recomputed figure may be from the stated one and still be consistent."""

    relative: float = 0.0  # fraction of the stated figure
    absolute: float = 0.0  # in the claim's unit (fractions: 0.01 = 1 percentage point)
    text: str = ""  # a Text: both languages

    def allowed(self, reference: float) -> float:
        """The largest gap allowed next to ``reference``, in the claim's unit."""
        return max(self.absolute, self.relative * abs(reference))


#: The units a stated figure is counted in (``rounded``): half of one, and the whole, in Chinese.
COUNTED_IN = {"month": ("半个月", "整月"), "week": ("半周", "整周")}


def rounded(unit: float, name: str) -> Tolerance:
    """Half the unit a figure is counted in (≈2 months: ±0.5 month), in the claim's unit; ``name``: month or week."""
    half, whole = COUNTED_IN[name]
    return Tolerance(absolute=unit / 2, text=Text(f"half a {name} (the study counts in whole {name}s)",
                                                  f"{half}（研究报告按{whole}计）"))


ARITHMETIC = Tolerance(relative=0.01, text=Text("1% (a restated sum or product)", "1%（复述的加总或乘积）"))
APPROX = Tolerance(relative=0.05, text=Text("5% (a figure the study gives as approximate, 约/≈)",
                                            "5%（研究报告标为约数的数字，约/≈）"))
SHARE = Tolerance(absolute=0.01, text=Text("1 percentage point", "1 个百分点"))


@dataclass(frozen=True)
class Claim:
    """One audited claim of 001: what it says, what it follows from, and our verdict."""

    id: str
    section: str
    claim_zh: str
    claim_en: str
    stated: Value
    unit: str  # CNY | CNY/year | fraction | fraction/year | fraction/month | months | users
    inputs: str
    method: str
    recomputed: Value | None  # under the reading reported
    convention: str  # the reading reported: the standard one, or the alternative that matches
    readings: tuple  # ((name, value), ...) every reading of the kind; the first is the standard
    tolerance: Tolerance | None
    verdict: str
    difference: float | None  # recomputed − stated (the largest gap), in ``unit``
    difference_pct: float | None  # that gap as a fraction of the stated figure
    explanation: str
    scenarios: tuple[str, ...]  # scenario file stems the claim concerns
    standard_difference: float | None = None  # the gap under the standard reading
    standard_difference_pct: float | None = None

    @property
    def claim(self) -> str:
        """The claim in both languages: ``中文 — English``."""
        return f"{self.claim_zh} — {self.claim_en}"

    @property
    def reading(self) -> str | None:
        """The name of the reading the recomputed figure follows (None when not checkable)."""
        return self.convention or None

    @property
    def standard(self) -> str | None:
        """The standard reading of the claim's kind (the first one), None when not checkable."""
        return self.readings[0][0] if self.readings else None

    @property
    def note(self) -> Text:
        """Difference, method, reading, tolerance and explanation in one text (English; ``.zh`` Chinese)."""
        parts = []
        if self.verdict == INCONSISTENT:
            gap = format_gap(self.difference, self.difference_pct, self.unit)
            parts.append(Text(f"off by {gap} under the standard reading; no other reading is within the tolerance",
                              f"按标准口径相差 {gap.zh}；其他口径均不在容差之内"))
        elif self.verdict == OTHER_READING:
            reading, standard = as_text(self.convention), as_text(self.standard)
            figure = format_figure(self.readings[0][1], self.unit)
            gap = format_gap(self.standard_difference, self.standard_difference_pct, self.unit)
            parts.append(Text(f"consistent only under another reading ({reading}); under the standard reading "
                              f"({standard}: {figure}) off by {gap}",
                              f"仅在另一口径下一致（{reading.zh}）；按标准口径（{standard.zh}：{figure.zh}）相差 {gap.zh}"))
        if self.verdict != NOT_CHECKABLE:
            method, reading, tolerance = as_text(self.method), as_text(self.convention), as_text(self.tolerance.text)
            standard = self.convention == self.standard
            parts.append(Text(f"method: {method}; reading: {reading}" + (" (the standard reading)" if standard else "")
                              + f"; tolerance {tolerance}",
                              f"方法：{method.zh}；口径：{reading.zh}" + ("（标准口径）" if standard else "")
                              + f"；容差 {tolerance.zh}"))
            others = [(as_text(name), format_figure(value, self.unit)) for name, value in self.readings
                      if name != self.convention]
            if others:
                parts.append(Text("other readings — " + "; ".join(f"{n}: {v}" for n, v in others),
                                  "其他口径——" + "；".join(f"{n.zh}：{v.zh}" for n, v in others)))
        inputs = as_text(self.inputs)
        parts.append(Text(f"inputs: {inputs}", f"输入：{inputs.zh}"))
        if self.explanation:
            parts.append(self.explanation)
        return join_texts(parts, ". ", "。")

    def to_json(self) -> dict:
        """The ``feasibility audit --json`` object of this claim (exactly :data:`JSON_KEYS`)."""
        return {"id": self.id, "section": self.section, "claim": self.claim, "stated": json_figure(self.stated),
                "recomputed": json_figure(self.recomputed), "unit": self.unit, "verdict": self.verdict,
                "reading": self.reading, "note": self.note}

    def __repr__(self) -> str:
        return f"Claim({self.id!r}, {self.verdict}, stated={self.stated!r}, recomputed={self.recomputed!r})"


def format_gap(difference: float | None, difference_pct: float | None, unit: str) -> Text:
    """``+648.0 万元 (+900.0%)``: a gap as an amount and as a share of the stated figure, in both languages."""
    if difference is None or not math.isfinite(difference):
        return Text("an amount that cannot be computed (no finite figure)", "无法计算的差额（没有有限的数值）")
    pct = f" ({difference_pct:+.1%})" if difference_pct is not None and math.isfinite(difference_pct) else ""
    zh = f"{difference * 100:+,.1f} 个百分点" if unit.startswith("fraction") else \
        ("+" if difference >= 0 else "-") + quantity(abs(difference), unit, "zh")
    return Text(format_change(difference, unit) + pct, zh + pct)


def json_figure(value: Value | None):
    if value is None:
        return None
    if isinstance(value, tuple):
        return [json_figure(v) for v in value]
    return float(value) if math.isfinite(value) else None



def format_figure(value: Value | None, unit: str) -> Text:
    """A stated or recomputed figure (a number or a range) for people, with its unit, in both languages."""
    if value is None:
        return Text("–")
    if isinstance(value, tuple):
        low, high = (format_figure(v, unit) if v is not None else None for v in value)
        return join_texts([Text("≥ "), low] if high is None else [Text("≤ "), high] if low is None else
                          [low, Text(" – "), high], "", "")
    return quantity_text(value, unit)


def _inside(point: float, low: float | None, high: float | None) -> float:
    """How far ``point`` lies outside [low, high] (point − the nearer end; 0 inside; NaN if any is NaN)."""
    if any(v is not None and math.isnan(v) for v in (point, low, high)):
        return math.nan
    if low is not None and point < low:
        return point - low
    if high is not None and point > high:
        return point - high
    return 0.0


def _size(pair: tuple[float, float]) -> float:
    """The size of a (gap, reference) pair for picking the largest gap; a NaN gap is the largest."""
    return math.inf if math.isnan(pair[0]) else abs(pair[0])


def measure_gap(stated: Value, value: Value, mode: str) -> tuple[float, float]:
    """(recomputed − stated, the stated figure it is measured from) under ``mode``.

    ``equal``: two numbers. ``within``: the recomputed number or range lies inside the stated
    range (an end may be None). ``contains``: the stated number lies inside the recomputed
    range (a number counts as a range of one). ``inside``: the stated range lies inside the
    recomputed range (both its ends do). ``endpoints``: two ranges, end by end. The gap
    returned is the largest one; a NaN figure gives a NaN gap (never consistent).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)} (got {mode!r})")
    if mode == "equal":
        return value - stated, stated
    if mode in ("contains", "inside"):
        low, high = value if isinstance(value, tuple) else (value, value)
        ends = [s for s in (stated if isinstance(stated, tuple) else (stated,)) if s is not None]
        # the stated end s is off by recomputed − s = −(s − the nearer recomputed end)
        return max(((-_inside(s, low, high), s) for s in ends), key=_size)
    if mode == "endpoints":
        return max(((v - s, s) for v, s in zip(value, stated)), key=_size)
    low, high = stated
    gaps = []
    for point in (p for p in (value if isinstance(value, tuple) else (value,)) if p is not None):
        gap = _inside(point, low, high)
        gaps.append((gap, high if gap > 0 or low is None else low))
    return max(gaps, key=_size)


def _fits(stated: Value, value: Value, mode: str, tolerance: Tolerance) -> tuple[bool, float, float, float]:
    """(within tolerance, gap, the gap as a share of the stated figure, gap ÷ the allowed gap)."""
    gap, reference = measure_gap(stated, value, mode)
    allowed = tolerance.allowed(reference)
    fits = abs(gap) <= allowed * (1 + 1e-9) + 1e-12 * abs(reference)  # False for a NaN gap
    score = abs(gap) / allowed if allowed > 0 else (0.0 if gap == 0 else math.inf)
    return fits, gap, gap / reference if reference else math.nan, score


def check(*, id: str, section: str, zh: str, en: str, stated: Value, unit: str, inputs: str, method: str,
           readings: Sequence[tuple[str, Value]], tolerance: Tolerance, scenarios: tuple[str, ...],
           mode: str = "equal", explanation: str = "") -> Claim:
    """A checked claim. ``readings[0]`` is the standard reading of the claim's kind, the rest alternatives.

    The standard reading within the tolerance: ``consistent``. Otherwise the closest alternative
    within it: ``consistent under another reading``. Otherwise ``inconsistent``, reported under
    the standard reading.
    """
    if not readings:
        raise ValueError(f"{id}: a checked claim needs at least one reading")
    fits = [_fits(stated, value, mode, tolerance) for _, value in readings]
    ok, gap, pct, _ = fits[0]
    if ok:
        chosen, verdict = 0, CONSISTENT
    else:
        matching = [i for i in range(1, len(readings)) if fits[i][0]]
        chosen = min(matching, key=lambda i: fits[i][3]) if matching else 0
        verdict = OTHER_READING if matching else INCONSISTENT
    name, value = readings[chosen]
    return Claim(id, section, zh, en, stated, unit, inputs, method, value, name, tuple(readings), tolerance,
                 verdict, fits[chosen][1], fits[chosen][2], explanation, scenarios, gap, pct)


def unchecked(*, id: str, section: str, zh: str, en: str, stated: Value, unit: str, inputs: str, why: str,
               scenarios: tuple[str, ...]) -> Claim:
    """A claim the study's own figures cannot check; ``why`` says what is missing."""
    why = as_text(why)
    return Claim(id, section, zh, en, stated, unit, inputs, "", None, "", (), None, NOT_CHECKABLE, None, None,
                 Text("not checkable: " + why, "无法核查：" + why.zh), scenarios)



__all__ = ["CONSISTENT", "OTHER_READING", "INCONSISTENT", "NOT_CHECKABLE", "VERDICTS", "JSON_KEYS", "MODES", "Value",
           "Tolerance", "Claim", "ARITHMETIC", "APPROX", "SHARE", "rounded", "format_figure", "format_gap", "json_figure",
           "measure_gap", "check", "unchecked"]
