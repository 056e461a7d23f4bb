"""The dashboard's result views as HTML: live figures, verdict, pinned-vs-current comparison.

Everything a planner reads is in the page's language: inputs by their control's name (or the
schema's meaning), values in the control's units, and the model's notes on undefined figures
(which :mod:`model.core` words in English) through :func:`model.inputs.texts.text_in`, as in reports.
"""

from __future__ import annotations

import html
import math

from ..core.evaluation import Result
from ..inputs.schema import field_of
from ..inputs.units import format_exact
from ..inputs.texts import text_in
from ..outputs.labels import label
from ..outputs.report import format_metric, irr_text, verdict
from ..risk.bridge import differing_inputs
from .controls import DRIVERS, Driver

SHOWN_METRICS = ("npv", "irr", "payback_months", "roi", "ltv_cac")
COMPARED_METRICS = ("npv", "npv_annual", "irr", "payback_months", "roi", "peak_funding_need")

def _driver_of(path: str) -> Driver | None:
    return next((d for d in DRIVERS.values() if path in d.paths), None)


def input_name(path: str, language: str = "en") -> str:
    """An input as the page names it: its control's name when one control sets it alone, else the
    schema's meaning of the input (the dotted path when the schema does not know it)."""
    driver = _driver_of(path)
    if driver is not None and driver.paths == (path,):
        return driver.name(language)
    try:
        spec = field_of(path)
    except KeyError:
        return path
    return (spec.help_zh or spec.help) if language == "zh" else spec.help


def input_value(path: str, value: object, language: str = "en") -> str:
    """An input's value as the page shows it: in its control's units, exactly as set with at least one
    decimal, as the report's inputs table shows it (``8.2%``, ``165.0 元/单``, ``250.0 万元``; counts whole),
    yes / no for a switch, as written otherwise."""
    if isinstance(value, bool):
        return label("yes" if value else "no", language)
    driver = _driver_of(path)
    if driver is None or not isinstance(value, (int, float)):
        return "–" if value is None else str(value)
    shown = value / driver.per_unit
    number = format_exact(shown) if driver.kind in ("rate", "money") else f"{shown:,.10g}"
    unit = label(driver.unit, language) if driver.unit else ""
    if driver.kind == "rate":
        return number + (unit if unit.startswith("%") else "%")
    return f"{number} {unit}".strip()


def metrics_html(result: Result, language: str = "en") -> str:
    """The live figures as an HTML table: NPV, IRR, payback, ROI, LTV:CAC, each with its unit,
    then the notes on undefined figures and the master check."""
    shown = {name: irr_text(result.metrics, language) if name == "irr" else
             format_metric(name, result.metrics[name], language) for name in SHOWN_METRICS}
    rows = "".join(f"<tr><th>{html.escape(label(name, language))}</th><td class=\"fd-{name}\">"
                   f"{html.escape(shown[name])}</td></tr>" for name in SHOWN_METRICS)
    notes = "".join(f"<li>{html.escape(label(name, language))}: {html.escape(text_in(result.notes[name], language))}"
                    f"</li>" for name in SHOWN_METRICS if name in result.notes)
    check = label("checks_pass" if result.ok else "checks_fail", language)
    return (f'<table class="fd-table">{rows}</table>' + (f"<ul>{notes}</ul>" if notes else "")
            + f'<p class="fd-checks">{html.escape(check)}</p>')


def compare_html(pinned: Result, current: Result, language: str = "en") -> str:
    """Pinned vs current side by side: every input that differs (named as its control names it, the
    input's path on hover), and each key metric with its change."""
    rows = ""
    for path in differing_inputs(pinned.scenario, current.scenario):
        values = [input_value(path, r.scenario.values.get(path), language) for r in (pinned, current)]
        rows += (f'<tr class="fd-compare-input" data-path="{html.escape(path)}"><td title="{html.escape(path)}">'
                 f"{html.escape(input_name(path, language))}</td><td>{html.escape(values[0])}</td>"
                 f"<td>{html.escape(values[1])}</td><td></td></tr>")
    for name in COMPARED_METRICS:
        before, after = pinned.metrics[name], current.metrics[name]
        shown = [irr_text(m.metrics, language) if name == "irr" else format_metric(name, m.metrics[name], language)
                 for m in (pinned, current)]
        delta = format_metric(name, after - before, language) if math.isfinite(after - before) else "–"
        rows += (f'<tr class="fd-compare-metric" data-metric="{name}">'
                 f"<th>{html.escape(label(name + '_full', language))}</th><td>{html.escape(shown[0])}</td>"
                 f"<td>{html.escape(shown[1])}</td><td>{html.escape(delta)}</td></tr>")
    head = "".join(f"<th>{html.escape(label(k, language))}</th>" for k in ("dash_item", "dash_pinned",
                                                                           "dash_current", "dash_change"))
    return f'<table class="fd-table fd-compare"><tr>{head}</tr>{rows}</table>'


def verdict_html(result: Result, language: str = "en") -> str:
    """The verdict of :func:`model.outputs.report.verdict` and each condition of its rule, compactly."""
    found = verdict(result, language)
    colour = "#1a7f37" if found.feasible else "#b42318"
    word = label("feasible" if found.feasible else "not_feasible", language)
    rules = "".join(f"<li>{'✓' if rule.ok else '✗'} {html.escape(rule.name)} {html.escape(rule.requirement)}: "
                    f"{html.escape(rule.shown)}</li>" for rule in found.rules)
    return (f'<p>{html.escape(label("section_verdict", language))}: '
            f'<strong class="fd-verdict-word" style="color:{colour}">{html.escape(word)}</strong></p><ul>{rules}</ul>')


__all__ = ["COMPARED_METRICS", "SHOWN_METRICS", "compare_html", "input_name", "input_value", "metrics_html",
           "verdict_html"]
