"""Display labels in English and Chinese for reports, charts and the dashboard."""

from __future__ import annotations

LANGUAGES = ("en", "zh")

LABELS: dict[str, dict[str, str]] = {
    "month": {"en": "Month", "zh": "月份"},
    "year": {"en": "Year", "zh": "年份"},
    "wan_yuan": {"en": "10,000 CNY", "zh": "万元"},
    "cumulative_cash": {"en": "Cumulative net cash flow", "zh": "累计净现金流"},
    "cumulative_discounted": {"en": "Cumulative discounted net cash flow", "zh": "累计折现净现金流"},
    "payback": {"en": "Payback", "zh": "投资回收期"},
    "benefits": {"en": "Benefits", "zh": "收益"},
    "costs": {"en": "Costs", "zh": "成本"},
    "net": {"en": "Net cash flow", "zh": "净现金流"},
    "benefits_costs": {"en": "Benefits and costs by year", "zh": "各年收益与成本"},
    "months_unit": {"en": "months", "zh": "个月"},
}


def label(key: str, language: str = "en") -> str:
    """The label ``key`` in ``language`` (``en`` or ``zh``); English when not translated."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)} (got {language!r})")
    entry = LABELS[key]
    return entry.get(language) or entry["en"]
