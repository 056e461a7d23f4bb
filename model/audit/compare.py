"""The audit's comparison machinery: claims, tolerances, readings and verdicts.

A :class:`Claim` is one numeric claim of the study (001) with its stated value or range,
our recomputed value under one or more *readings* (conventions the study leaves open), a
tolerance fixed per kind of claim, and a verdict:

- ``consistent``: the recomputed value agrees within the tolerance;
- ``inconsistent``: it does not; the difference is given as an amount and a percentage;
- ``not checkable``: the study does not state what the figure would follow from.

Figures are formatted by :mod:`model.inputs.units` (one rule per unit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence, Union

from ..inputs.units import format_change, format_quantity

VERDICTS = ("consistent", "inconsistent", "not checkable")
JSON_KEYS = ("id", "section", "claim", "stated", "recomputed", "unit", "verdict", "note")

#: A stated or recomputed figure: one number, or a range (low, high) with None for an open end.
Value = Union[float, tuple]


@dataclass(frozen=True)
class Tolerance:
    """How far a recomputed figure may be from the stated one and still be consistent."""

    relative: float = 0.0  # fraction of the stated figure
    absolute: float = 0.0  # in the claim's unit (fractions: 0.01 = 1 percentage point)
    text: str = ""

    def allowed(self, reference: float) -> float:
        """The largest gap allowed next to ``reference``, in the claim's unit."""
        return max(self.absolute, self.relative * abs(reference))


def rounded(unit: float, name: str) -> Tolerance:
    """Half the unit a figure is counted in (≈2 months: ±0.5 month), in the claim's unit."""
    return Tolerance(absolute=unit / 2, text=f"half a {name} (the study counts in whole {name}s)")


ARITHMETIC = Tolerance(relative=0.01, text="1% (a restated sum or product)")
APPROX = Tolerance(relative=0.05, text="5% (a figure the study gives as approximate, 约/≈)")
SHARE = Tolerance(absolute=0.01, text="1 percentage point")


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
    recomputed: Value | None
    convention: str  # the reading reported (the closest to the stated figure)
    readings: tuple  # ((convention, value), ...) every reading tried
    tolerance: Tolerance | None
    verdict: str
    difference: float | None  # recomputed − stated (the largest gap), in ``unit``
    difference_pct: float | None  # that gap as a fraction of the stated figure
    explanation: str
    scenarios: tuple[str, ...]  # scenario file stems the claim concerns

    @property
    def claim(self) -> str:
        """The claim in both languages: ``中文 — English``."""
        return f"{self.claim_zh} — {self.claim_en}"

    @property
    def note(self) -> str:
        """Difference, method, convention, tolerance and explanation in one text."""
        parts = []
        if self.verdict == "inconsistent":
            parts.append(f"off by {format_change(self.difference, self.unit)} ({self.difference_pct:+.1%})")
        if self.verdict != "not checkable":
            parts.append(f"method: {self.method}; convention: {self.convention}; tolerance {self.tolerance.text}")
            others = [f"{name}: {format_figure(value, self.unit)}" for name, value in self.readings
                      if name != self.convention]
            if others:
                parts.append("other readings — " + "; ".join(others))
        parts.append(f"inputs: {self.inputs}")
        if self.explanation:
            parts.append(self.explanation)
        return ". ".join(parts)

    def to_json(self) -> dict:
        """The ``feasibility audit --json`` object of this claim (exactly :data:`JSON_KEYS`)."""
        return {"id": self.id, "section": self.section, "claim": self.claim, "stated": json_figure(self.stated),
                "recomputed": json_figure(self.recomputed), "unit": self.unit, "verdict": self.verdict,
                "note": self.note}

    def __repr__(self) -> str:
        return f"Claim({self.id!r}, {self.verdict}, stated={self.stated!r}, recomputed={self.recomputed!r})"


def json_figure(value: Value | None):
    if value is None:
        return None
    if isinstance(value, tuple):
        return [json_figure(v) for v in value]
    return float(value) if math.isfinite(value) else None



def format_figure(value: Value | None, unit: str) -> str:
    """A stated or recomputed figure (a number or a range) for people, with its unit."""
    if value is None:
        return "–"
    if isinstance(value, tuple):
        low, high = (format_figure(v, unit) if v is not None else None for v in value)
        return f"≥ {low}" if high is None else f"≤ {high}" if low is None else f"{low} – {high}"
    return format_quantity(value, unit)


def measure_gap(stated: Value, value: Value, mode: str) -> tuple[float, float]:
    """(recomputed − stated, the stated figure it is measured from) under ``mode``.

    ``equal``: two numbers. ``within``: the recomputed number or range lies inside the stated
    range (an end may be None). ``contains``: the stated number lies inside the recomputed
    range (a number counts as a range of one). ``endpoints``: two ranges, end by end. The gap
    returned is the largest one.
    """
    if mode == "equal":
        return value - stated, stated
    if mode == "contains":
        low, high = value if isinstance(value, tuple) else (value, value)
        return (low - stated if stated < low else high - stated if stated > high else 0.0), stated
    if mode == "endpoints":
        return max(((v - s, s) for v, s in zip(value, stated)), key=lambda pair: abs(pair[0]))
    low, high = stated
    gaps = []
    for point in (value if isinstance(value, tuple) else (value,)):
        if low is not None and point < low:
            gaps.append((point - low, low))
        elif high is not None and point > high:
            gaps.append((point - high, high))
        else:
            gaps.append((0.0, low if low is not None else high))
    return max(gaps, key=lambda pair: abs(pair[0]))


def check(*, id: str, section: str, zh: str, en: str, stated: Value, unit: str, inputs: str, method: str,
           readings: Sequence[tuple[str, Value]], tolerance: Tolerance, scenarios: tuple[str, ...],
           mode: str = "equal", explanation: str = "") -> Claim:
    """A checked claim: the reading closest to the stated figure decides the verdict."""
    def score(reading):
        gap, reference = measure_gap(stated, reading[1], mode)
        allowed = tolerance.allowed(reference)
        return abs(gap) / allowed if allowed > 0 else (0.0 if gap == 0 else math.inf)

    convention, value = min(readings, key=score)
    gap, reference = measure_gap(stated, value, mode)
    consistent = abs(gap) <= tolerance.allowed(reference) * (1 + 1e-9) + 1e-12 * abs(reference)
    return Claim(id, section, zh, en, stated, unit, inputs, method, value, convention, tuple(readings), tolerance,
                 "consistent" if consistent else "inconsistent", gap, gap / reference if reference else math.nan,
                 explanation, scenarios)


def unchecked(*, id: str, section: str, zh: str, en: str, stated: Value, unit: str, inputs: str, why: str,
               scenarios: tuple[str, ...]) -> Claim:
    """A claim the study's own figures cannot check; ``why`` says what is missing."""
    return Claim(id, section, zh, en, stated, unit, inputs, "", None, "", (), None, "not checkable", None, None,
                 "not checkable: " + why, scenarios)



__all__ = ["VERDICTS", "JSON_KEYS", "Value", "Tolerance", "Claim", "ARITHMETIC", "APPROX", "SHARE", "rounded",
           "format_figure", "json_figure", "measure_gap", "check", "unchecked"]
