"""Texts in two languages: the free texts of scenario files and the model's own worded figures.

A :class:`Text` *is* its English ``str`` (so English outputs, JSON and comparisons read it
unchanged) and carries its Chinese in ``zh``; :func:`text_in` picks one. A plain ``str`` is
user text with no translation: shown as written in either language.

In a scenario file every free text — a name, a description, a ``source`` or a ``note`` — may be
written ``{zh: …, en: …}`` (:func:`with_texts` turns it into a :class:`Text`). Units:
:data:`UNITS_ZH` words each schema unit in Chinese; :func:`quantity` shows a value with its unit.
"""

from __future__ import annotations

from typing import Callable

from .units import format_quantity, format_rate, is_finite

LANGUAGES = ("zh", "en")  # the languages of texts, labels, reports and the dashboard (zh first: planners read it)
#: Keys whose value is free text, below the top level (the top-level name and description have their own rule).
TEXT_KEYS = ("name", "description", "source", "note")  # also prose for the full-width colon fix (reading)
BILINGUAL_FORM = "must be a text, or {zh: text, en: text}"


class Text(str):
    """English text (the ``str`` itself) with its Chinese, ``zh``; ``strip()`` keeps both."""

    zh: str

    def __new__(cls, en: str, zh: str | None = None) -> "Text":
        text = super().__new__(cls, en)
        text.zh = str(en) if zh is None else zh
        return text

    def __reduce__(self):
        return Text, (str(self), self.zh)

    def strip(self, chars: str | None = None) -> "Text":
        return Text(str.strip(self, chars), self.zh.strip(chars))


def text_in(text: object, language: str = "en") -> str:
    """``text`` in ``language``: a :class:`Text`'s Chinese for ``zh``; anything else as written (None → "")."""
    if text is None:
        return ""
    return text.zh if language == "zh" and isinstance(text, Text) else str(text)


def as_text(text: str) -> Text:
    """``text`` as a :class:`Text` (a plain ``str`` is the same in both languages)."""
    return text if isinstance(text, Text) else Text(text)


def join_texts(parts, en: str, zh: str) -> Text:
    """The parts joined by ``en`` in English and by ``zh`` in Chinese."""
    parts = [as_text(p) for p in parts]
    return Text(en.join(parts), zh.join(p.zh for p in parts))


def is_bilingual(raw: object) -> bool:
    """True for a mapping written as ``{zh: …, en: …}`` (one or both keys, nothing else)."""
    return isinstance(raw, dict) and bool(raw) and set(raw) <= set(LANGUAGES)


def bilingual(raw: dict) -> Text:
    """``{zh: …, en: …}`` → :class:`Text` (a missing language takes the other's text); ValueError if not texts."""
    if not is_bilingual(raw) or any(not isinstance(v, str) or not v.strip() for v in raw.values()):
        raise ValueError(BILINGUAL_FORM)
    en, zh = (raw.get(k, "").strip() for k in ("en", "zh"))
    return Text(en or zh, zh or en)


def with_texts(raw: object, problem: Callable[[str, str, object], None], path: str = "") -> object:
    """A copy of a scenario file's mapping with every ``{zh, en}`` free text below the top level (keys
    :data:`TEXT_KEYS`) as a :class:`Text`; ``problem(path, why, value)`` hears of a malformed one (dropped)."""
    if isinstance(raw, list):
        return [with_texts(item, problem, f"{path}[{i}]") for i, item in enumerate(raw)]
    if not isinstance(raw, dict):
        return raw
    out = {}
    for key, value in raw.items():
        where = f"{path}.{key}" if path else str(key)
        if path and key in TEXT_KEYS and is_bilingual(value):
            try:
                out[key] = bilingual(value)
            except ValueError as exc:
                problem(where, str(exc), value)
        else:
            out[key] = with_texts(value, problem, where)
    return out


#: Each schema unit (:mod:`model.inputs.schema`) in Chinese; ``CNY`` and ``fraction`` stay, to be shown as
#: 元/万元/亿元 and % like the English.
UNITS_ZH = {
    "": "", "CNY": "CNY", "CNY/year": "CNY/年", "CNY/order": "CNY/单", "CNY/new user": "CNY/新增用户",
    "CNY/user/year": "CNY/用户/年", "CNY/operator/year": "CNY/运营人员/年",
    "fraction": "fraction", "fraction/month": "fraction/月", "fraction/year": "fraction/年",
    "fraction of users": "fraction（占用户）", "fraction of community revenue": "fraction（占社群收入）",
    "fraction of taxable profit": "fraction（占应税利润）", "fraction of VAT payable": "fraction（占应纳增值税）",
    "months": "个月", "month": "月", "years": "年", "days": "天", "users": "人", "users/operator": "人/运营人员",
    "purchases/buyer/year": "次/买家/年",
}


def unit_in(unit: str, language: str = "en") -> str:
    """A schema unit in ``language`` (``CNY`` and ``fraction`` kept); an unknown unit as written."""
    return UNITS_ZH.get(unit, unit) if language == "zh" else unit


def quantity(value: float, unit: str, language: str = "en") -> str:
    """:func:`~model.inputs.units.format_quantity` in ``language``: ``"7.5%/月"``, ``"1.35 亿元/年"``, ``"2.0 个月"``."""
    if language != "zh" or not is_finite(value):
        return format_quantity(value, unit)
    if unit.startswith("fraction"):  # a period is shown (as in English), a base ("of users") is not
        return format_rate(value) + (unit_in(unit, "zh")[len("fraction"):] if "/" in unit else "")
    if unit == "months":
        return f"{value:,.1f} 个月"
    return format_quantity(value, unit_in(unit, "zh"))


def quantity_text(value: float, unit: str) -> Text:
    """A value with its unit in both languages (:func:`quantity`)."""
    return Text(quantity(value, unit), quantity(value, unit, "zh"))


__all__ = ["LANGUAGES", "TEXT_KEYS", "BILINGUAL_FORM", "Text", "text_in", "as_text", "join_texts", "is_bilingual",
           "bilingual", "with_texts", "UNITS_ZH", "unit_in", "quantity", "quantity_text"]
