"""The executive summary (the report's first screen) and the NPV bridge section.

The summary answers "should we do it, why, and what could break it": the verdict and its
rule, NPV in both conventions, the IRR (or n.m. with the MIRR), payback, expected NPV and
P(NPV < 0), the three inputs that move NPV most, the caveats generated from the scenario,
the ask (investment and peak funding need) and the provenance a sign-off needs (model
version, a hash of the resolved scenario, the render date). Nothing here computes a figure.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import subprocess
from pathlib import Path

import pandas as pd
import yaml

from ..core.evaluation import Result
from ..core.verdict import decide
from ..inputs.paths import ROOT, shown
from ..inputs.scenario import load_scenario
from ..inputs.drivers import Target
from ..inputs.schema import field_of
from ..inputs.texts import quantity, text_in
from ..risk.bridge import Bridge, bridge, differing_inputs, named_groups
from ..risk.swings import caveats, npv_swings, top_drivers
from .labels import check_language, label
from .message_labels import STEP_NAMES
from .report import Html, Table, escape, format_metric, irr_reason, irr_text, money, months

#: The bridge every report of the 1,000,000-user plan carries: from the study's head tier, in its convention.
BRIDGE_FROM = "study_head.yaml"
BRIDGE_STEPS = "bridges/study_head_to_base.yaml"


def model_version() -> str:
    """The model's version for sign-off: the git commit of this checkout (and "+changes" when it has any)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, capture_output=True,
                                text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                               capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return commit + ("+changes" if dirty else "")


def scenario_hash(result: Result) -> str:
    """A short SHA-256 of the resolved scenario (every input after ``extends:`` and overrides)."""
    text = json.dumps({k: v for k, v in sorted(result.scenario.values.items())}, default=str, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def provenance(result: Result) -> dict[str, str]:
    """``model`` (git commit), ``scenario_hash`` and ``rendered`` (UTC date), for the report's summary."""
    return {"model": model_version(), "scenario_hash": scenario_hash(result),
            "rendered": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


def _driver_value(driver: str, value: float, language: str = "en") -> str:
    """A driver's value with its unit; ``driver`` is an input path or a target's name ("total of a, b")."""
    return quantity(value, field_of(Target.first_path(driver)).unit, language)


def executive_summary(result: Result, analysis, language: str = "en") -> Html:
    """The first screen: verdict and rule, returns, risk, top drivers, caveats, the ask, provenance."""
    check_language(language)
    m, scenario = result.metrics, result.scenario
    decision = decide(result)
    word = label("feasible" if decision.feasible else "not_feasible", language)
    failed = ", ".join(label(f"rule_{key}", language) for key in decision.failed)
    why_irr = irr_reason(m, language) or text_in(result.notes.get("irr"), language)
    mc = analysis.montecarlo
    facts = [
        (label("npv", language) + " — " + label("ours_monthly", language), format_metric("npv", m["npv"], language)),
        (label("npv", language) + " — " + label("study_annual", language), format_metric("npv", m["npv_annual"], language)),
        (label("irr", language), irr_text(m, language) + (f" — {why_irr}" if why_irr else "")),
        (label("payback_months", language), months(m["payback_months"], language) if m["payback_months"] == m["payback_months"]
         else label("read_never", language)),
        (label("risk_row_expected_npv", language), money(analysis.expected_npv, language)),
        (label("risk_row_prob_npv_negative", language), f"{mc.prob_npv_negative:.1%}"),
        (label("summary_ask", language), label("summary_ask_text", language).format(
            investment=money(m["total_investment"], language), peak=money(m["peak_funding_need"], language),
            month=f"{m['peak_funding_month']:g}")),
    ]
    source, drivers = top_drivers(scenario)
    driver_rows = pd.DataFrame({
        label("input", language): [text_in(d, language) for d in drivers["driver"]],
        label("summary_low_high", language): [f"{_driver_value(d, lo, language)} / {_driver_value(d, hi, language)}"
                                              for d, lo, hi in zip(drivers["driver"], drivers["low"], drivers["high"])],
        label("risk_col_npv_low", language): [money(v, language) for v in drivers["npv_low"]],
        label("risk_col_npv_high", language): [money(v, language) for v in drivers["npv_high"]],
    })
    found = caveats(scenario, npv_swings(scenario))
    caveat_items = "".join(
        f"<li>{escape(path)} = {escape(_driver_value(path, value, language))}: "
        f"{escape(label('caveat_' + why, language))}</li>" for path, why, value in found)
    facts_html = "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in facts)
    origin = provenance(result)
    status = "report-pass" if decision.feasible else "report-fail"
    rule = label("decision_rule", language) + (f" {label('summary_failed', language)}: {failed}." if failed else "")
    return Html(
        f'<section class="report-summary"><h1>{escape(label("summary_title", language))}: {escape(scenario.text("name", language))}</h1>'
        f'<p class="report-verdict {status}"><strong>{escape(word)}</strong> — {escape(rule)}</p>'
        f'<table class="report">{facts_html}</table>'
        f"<h4>{escape(label('summary_drivers_' + source, language))}</h4>"
        f"{Table(driver_rows)._repr_html_()}"
        f"<h4>{escape(label('summary_caveats', language))}</h4>"
        f"<ul>{caveat_items or '<li>' + escape(label('summary_no_caveats', language)) + '</li>'}</ul>"
        f'<p>{escape(label("checks_pass" if result.ok else "checks_fail", language))}</p>'
        f'<p class="report-note">{escape(label("summary_provenance", language).format(file=shown(scenario.file), **origin))}</p>'
        "</section>")


def bridge_for(result: Result) -> Bridge | None:
    """The bridge from the study's head tier (its convention, ``npv_annual``) for a case of the 1,000,000-user
    plan (one that is, or extends, base.yaml); None for the other cases."""
    chain = [Path(p).name for p in (result.scenario.file, *result.scenario.chain)]
    folder = Path(result.scenario.file).resolve().parent
    if "base.yaml" not in chain or not (folder / BRIDGE_FROM).is_file():
        return None
    start = load_scenario(folder / BRIDGE_FROM)
    steps = folder / BRIDGE_STEPS
    groups = [(STEP_NAMES.get(name, name), inputs) for name, inputs in  # the shipped names in both languages
              named_groups(yaml.safe_load(steps.read_text(encoding="utf-8")), differing_inputs(start, result.scenario))] \
        if steps.is_file() else None
    return bridge(start, result.scenario, "npv_annual", groups)


def bridge_table(walk: Bridge, language: str = "en") -> Table:
    """The bridge as a table: each step, its change and the value after it (万元)."""
    rows = [[label("bridge_start", language), "", money(walk.start, language)]]
    merged = label("bridge_merged", language)
    rows += [[text_in(s.step, language) + (f" ({merged}: {', '.join(text_in(m, language) for m in s.merged)})"
                                              if s.merged else ""),
              ("+" if s.delta >= 0 else "") + money(s.delta, language), money(s.value, language)] for s in walk.steps]
    rows.append([label("bridge_end", language), "", money(walk.end, language)])
    frame = pd.DataFrame(rows, columns=[label("bridge_step", language), label("bridge_delta", language),
                                        label("bridge_value", language)])
    return Table(frame, label("bridge_caption", language), label("bridge_note", language))


__all__ = ["executive_summary", "provenance", "model_version", "scenario_hash", "bridge_for", "bridge_table",
           "BRIDGE_FROM", "BRIDGE_STEPS"]
