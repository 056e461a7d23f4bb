"""The feasibility report's blocks: verdict, checks, assumptions, tables, scorecard, reading.

Each function takes a :class:`~model.core.evaluation.Result` and a ``language`` (``en`` or
``zh``) and returns an object Jupyter shows as HTML (:class:`Html`, :class:`Table`,
:class:`Verdict`); the notebook calls one per cell. Nothing here computes a financial
figure: the numbers come from the result, :mod:`model.core.metrics` and
:mod:`model.audit.scorecard`. Money is shown in 万元 (10,000 CNY) or, from 1亿, in 亿元 (one unit per
table row, :func:`~model.inputs.units.format_amounts`), rates as percentages with their period. Every text taken from a scenario file is HTML-escaped; texts from the lower
layers are shown through :func:`~model.inputs.texts.text_in` (in Chinese where they have it).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Sequence

import pandas as pd

from ..audit.scorecard import scorecard
from ..core.engine import COST_LINES
from ..core.evaluation import Check, Result
from ..core.metrics import METRIC_UNITS
from ..core.verdict import decide
from ..inputs.errors import ModelError
from ..inputs.paths import shown
from ..inputs.schema import FIELDS, INVESTMENT_LINES as INVESTMENT, OPERATING_LINES as OPERATING
from ..inputs.texts import text_in, unit_in
from ..inputs.units import (YUAN, format_exact, format_irr, format_money, format_rate, irr_caveat, is_finite,
                            money_scale)
from .labels import LABELS, check_language, label

OPERATING_LINES = tuple(c.line for c in OPERATING)
INVESTMENT_LINES = tuple(c.line for c in INVESTMENT)
REVENUE_LINES = ("community_revenue", "exclusive_premium", "baseline_revenue", "incremental_revenue",
                 "counted_revenue", "gross_profit", "word_of_mouth", "data_value", "other_indirect",
                 "stated_benefit")
RETURN_METRICS = ("npv", "irr", "mirr", "payback_months", "discounted_payback_months", "roi", "bcr", "ltv",
                  "cac", "ltv_cac")
SKIPPED_INPUTS = ("name", "description")
#: A cell shown right-aligned: a figure with an optional unit, or "–" for none.
_NUMERIC = re.compile(r"(?:[-+>≥≤<]\s?)*[\d,]+(?:\.\d+)?%?(?:/年| a year| 万元| 元/user| 元/人| months| 个月)?|–")


def escape(text: object) -> str:
    """``text`` safe to put in HTML (quotes included)."""
    return html.escape(str(text), quote=True)


@dataclass(frozen=True)
class Html:
    """A block of report HTML whose text parts are already escaped."""

    html: str

    def _repr_html_(self) -> str:
        return self.html


@dataclass(frozen=True)
class Table:
    """A report table: ``frame`` holds the display strings; caption and note are plain text."""

    frame: pd.DataFrame
    caption: str = ""
    note: str = ""

    def _repr_html_(self) -> str:
        caption = f"<h4>{escape(self.caption)}</h4>" if self.caption else ""
        note = f'<p class="report-note">{escape(self.note)}</p>' if self.note else ""
        columns = [self.frame[c].astype(str).tolist() for c in self.frame.columns]
        numeric = [any(cells) and all(_NUMERIC.fullmatch(cell) or not cell for cell in cells) for cells in columns]
        align = ['class="num"' if flag else 'class="text"' for flag in numeric]
        head = "".join(f"<th {a}>{escape(c)}</th>" for a, c in zip(align, self.frame.columns))
        rows = "".join("<tr>" + "".join(f"<td {a}>{escape(cell)}</td>" for a, cell in zip(align, row)) + "</tr>"
                       for row in zip(*columns))
        return (f'<div class="report-table">{caption}<table class="report"><thead><tr>{head}</tr></thead>'
                f"<tbody>{rows}</tbody></table>{note}</div>")


# ----------------------------------------------------------------------------- formatting

def money(yuan: float | None, language: str = "en") -> str:
    """CNY in 万元 with the unit: ``money(3.5e6)`` → ``"350.0 万元"``; NaN → ``"–"``."""
    return format_money(yuan, label("unit_wan", language))


def percent(fraction: float | None, digits: int = 1) -> str:
    """A fraction as a percentage: ``percent(0.075)`` → ``"7.5%"``; above 10,000% → ``"> 10,000%"``."""
    return format_rate(fraction, digits=digits)


def months(value: float | None, language: str = "en") -> str:
    """Months with their unit: ``"2.5 months"`` / ``"2.5 个月"``; NaN → ``"–"``."""
    return f"{value:,.1f} {label('months_unit', language)}" if is_finite(value) else "–"


def irr_text(metrics: dict, language: str = "en", annual: bool = False) -> str:
    """The IRR as shown everywhere (:func:`model.inputs.units.format_irr`): ``n.m.`` with the MIRR when the
    IRR is ambiguous, above 1,000% a year or the payback is under 3 months."""
    irr = metrics["irr_annual" if annual else "irr"]
    return format_irr(irr, metrics["mirr"], ambiguous=bool(metrics.get("irr_ambiguous")),
                      payback_months=metrics["payback_months"], per_year=label("rate_a_year", language),
                      not_meaningful=label("irr_nm", language))


def irr_reason(metrics: dict, language: str = "en") -> str | None:
    """One line saying why the IRR is shown as n.m., or None."""
    why = irr_caveat(metrics["irr"], ambiguous=bool(metrics.get("irr_ambiguous")),
                     payback_months=metrics["payback_months"])
    return None if why is None else label(f"irr_nm_{why}", language)


def format_metric(name: str, value: float | None, language: str = "en") -> str:
    """A metric of :data:`~model.core.metrics.METRIC_UNITS` with its unit; money in 万元."""
    if not is_finite(value):
        return "–"
    unit = METRIC_UNITS[name]
    if unit == "flag":
        return label("yes" if value else "no", language)
    if unit == "month":
        return f"{label('month', language)} {value:g}"
    if unit == "CNY":
        return money(value, language)
    if unit == "CNY/user":
        return f"{value:,.0f} {label('unit_yuan_user', language)}"
    if unit == "fraction/year":
        return label("rate_a_year", language).format(value=percent(value))
    if unit == "months":
        return months(value, language)
    if unit.startswith("fraction"):
        return percent(value)
    return f"{value:,.2f}"


def _input_value(path: str, value: object, language: str) -> tuple[str, str]:
    """An input's value and unit for the assumptions table, exactly as set with at least one decimal:
    rates in %, totals in 万元 (亿元 from 1亿), per-unit money in 元."""
    spec = FIELDS[path]
    unit = unit_in(spec.unit, language)
    if value is None:
        return label("na", language), unit
    if spec.kind == "flag":
        return label("yes" if value else "no", language), ""
    if spec.kind in ("text", "choice"):
        return str(value), ""
    if spec.kind == "choices":
        return ", ".join(value) or label("na", language), ""
    if spec.kind == "rate":
        return format_exact(value * 100) + "%", unit.replace("fraction", "%")
    if spec.kind == "money":
        per_unit = spec.unit not in ("CNY", "CNY/year", "CNY/operator/year")
        scale, shown = (1.0, YUAN) if per_unit else money_scale(value)
        return format_exact(value / scale), unit.replace("CNY", shown)
    return (f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"), unit


def _input_text(path: str, value: object, language: str) -> str:
    """An input's value with its unit in one phrase: ``"30.00% of users"``, ``"150 元/order"``."""
    text, unit = _input_value(path, value, language)
    if FIELDS[path].kind == "rate":
        return text + unit_in(FIELDS[path].unit, language).replace("fraction", "")
    return f"{text} {unit}".strip()


def convention(result: Result, language: str) -> str:
    """Which revenue the cash flow counts, in words."""
    key = "convention_incremental" if result.scenario["revenue.basis"] == "incremental" else "convention_gross"
    return label(key, language).format(margin=percent(result.scenario["revenue.gross_margin"], 0))


# ----------------------------------------------------------------------------- blocks

def heading(section: str, language: str = "en") -> Html:
    """A section heading (i18n key ``section_<section>``) and its introduction (``intro_<section>``)."""
    intro = f"intro_{section}"
    text = f"<p>{escape(label(intro, language))}</p>" if intro in LABELS else ""
    return Html(f"<h2>{escape(label(f'section_{section}', language))}</h2>{text}")


def title(result: Result, language: str = "en") -> Html:
    """The report's title: scenario name, description, file, horizon, rate and revenue convention."""
    scenario = result.scenario
    facts = [
        (label("scenario_file", language), " ← ".join(map(shown, scenario.chain or (scenario.file,)))),
        (label("horizon", language), f"{scenario['timeline.horizon_months']} {label('months_unit', language)}"),
        (label("discount_rate", language), label("rate_a_year", language).format(
            value=percent(scenario["finance.discount_rate_annual"]))),
        (label("revenue_convention", language), convention(result, language)
         + ("; " + label("indirect_on", language) if scenario["indirect.enabled"] else "")),
    ]
    changed = [f"{a.path} = {_input_text(a.path, a.value, language)}" for a in scenario.assumptions.values()
               if a.file == "--set"]
    if changed:
        facts.append(("", label("overrides_note", language).format(items=", ".join(changed))))
    rows = "".join(f"<li>{escape(k) + ': ' if k else ''}{escape(v)}</li>" for k, v in facts)
    return Html(f'<h1>{escape(label("report_title", language))}: {escape(scenario.text("name", language))}</h1>'
                f'<p class="report-description">{escape(scenario.text("description", language))}</p>'
                f'<ul class="report-facts">{rows}</ul>')


def master_check(result: Result, language: str = "en", more: Sequence[Check] = ()) -> Html:
    """The master check (all integrity checks pass) and every check with its detail.

    ``more`` adds the checks of other analyses of the same case (e.g. the risk analysis's).
    """
    checks = [*result.checks, *more]
    ok = all(check.ok for check in checks)
    status = "report-pass" if ok else "report-fail"
    banner = label("checks_pass" if ok else "checks_fail", language)
    frame = pd.DataFrame({
        label("check", language): [text_in(c.name, language) for c in checks],
        label("status", language): [label("pass" if c.ok else "fail", language) for c in checks],
        label("detail", language): [text_in(c.detail, language) for c in checks],
    })
    table = Table(frame)._repr_html_()
    return Html(f'<p class="{status}"><strong>{escape(banner)}</strong></p>'
                f"<details><summary>{escape(label('section_checks', language))}</summary>{table}</details>")


def require_checks(result: Result, more: Sequence[Check] = ()) -> None:
    """Stop the report (ModelError) when any integrity check failed: a failed check fails the render."""
    failed = [check.name for check in (*result.checks, *more) if not check.ok]
    if failed:
        raise ModelError("the master check failed: " + ", ".join(failed))


@dataclass(frozen=True)
class Rule:
    """One condition of the decision rule: what it asks, what the plan shows, whether it holds."""

    name: str
    requirement: str
    shown: str
    ok: bool


@dataclass(frozen=True)
class Verdict:
    """Feasible or not, by the decision rule NPV > 0, IRR > discount rate, payback ≤ target."""

    feasible: bool
    rules: tuple[Rule, ...]
    key_figures: tuple[tuple[str, str], ...]
    language: str = "en"

    @property
    def failed(self) -> list[str]:
        """Names of the conditions that do not hold."""
        return [rule.name for rule in self.rules if not rule.ok]

    def _repr_html_(self) -> str:
        lang = self.language
        word = label("feasible" if self.feasible else "not_feasible", lang)
        rules = Table(pd.DataFrame({
            label("rule", lang): [r.name for r in self.rules],
            label("requirement", lang): [r.requirement for r in self.rules],
            label("this_plan", lang): [r.shown for r in self.rules],
            label("met", lang): [label("yes" if r.ok else "no", lang) for r in self.rules],
        }))._repr_html_()
        figures = Table(pd.DataFrame(list(self.key_figures), columns=[label("metric", lang), label("value", lang)]),
                        caption=label("key_figures", lang))._repr_html_()
        status = "report-pass" if self.feasible else "report-fail"
        return (f'<p class="report-verdict {status}">{escape(label("section_verdict", lang))}: '
                f"<strong>{escape(word)}</strong></p><p>{escape(label('decision_rule', lang))}</p>{rules}{figures}")


def verdict(result: Result, language: str = "en") -> Verdict:
    """The verdict by the stated rule (:func:`model.core.verdict.decide`), worded, with the key figures."""
    check_language(language)
    m = result.metrics
    decision = decide(result)
    npv_rule, irr_rule, payback_rule = decision.rules
    rate_text = label("rate_a_year", language).format(value=percent(irr_rule.threshold))
    target = f"{payback_rule.threshold:g}"
    irr_shown = (label("mirr", language) + " " + format_metric("mirr", m["mirr"], language)) \
        if irr_rule.metric == "mirr" else irr_text(m, language)
    why = irr_reason(m, language) or text_in(result.notes.get("irr"), language)
    rules = (
        Rule(label("rule_npv", language), label("above_zero", language), format_metric("npv", m["npv"], language),
             npv_rule.ok),
        Rule(label("rule_irr", language), label("above_rate", language).format(rate=rate_text),
             irr_shown + (f" ({why})" if why else ""), irr_rule.ok),
        Rule(label("rule_payback", language), label("within_target", language).format(months=target),
             months(m["payback_months"], language) if is_finite(m["payback_months"]) else label("read_never", language),
             payback_rule.ok),
    )
    study = result.metrics_annual
    figures = (
        (label("npv", language) + " — " + label("ours_monthly", language), format_metric("npv", m["npv"], language)),
        (label("npv", language) + " — " + label("study_annual", language), money(study["npv"], language)),
        (label("irr", language), irr_text(m, language)),
        (label("payback_months", language), format_metric("payback_months", m["payback_months"], language)),
        (label("roi", language), format_metric("roi", m["roi"], language)),
        (label("total_investment", language), format_metric("total_investment", m["total_investment"], language)),
        (label("total_benefit", language), format_metric("total_benefit", m["total_benefit"], language)),
        (label("total_cost", language), format_metric("total_cost", m["total_cost"], language)),
    )
    return Verdict(decision.feasible, rules, figures, language)


def assumptions_table(result: Result, language: str = "en", only_ours: bool = False) -> Table:
    """The inputs with value, unit, source and basis; ``only_ours``: only our own assumptions.

    Inputs left at a zero / off / empty schema default are counted in the note, not listed.
    """
    rows, left_at_zero = [], 0
    for path, item in result.scenario.assumptions.items():
        if path in SKIPPED_INPUTS:
            continue
        if item.basis == "default" and item.value in (None, 0, False):
            left_at_zero += 1
            continue
        if only_ours and item.basis not in ("ours", "default"):
            continue
        value, unit = _input_value(path, item.value, language)
        meaning = (FIELDS[path].help_zh or item.help) if language == "zh" else item.help
        rows.append({label("input", language): path, label("meaning", language): meaning,
                     label("value", language): value, label("unit", language): unit,
                     label("source", language): text_in(item.source, language), label("basis", language):
                     label(f"basis_{item.basis}", language), label("note", language): text_in(item.note, language)})
    columns = [label(k, language) for k in ("input", "meaning", "value", "unit", "source", "basis", "note")]
    frame = pd.DataFrame(rows, columns=columns)
    if only_ours:
        return Table(frame, label("ours_caption", language))
    return Table(frame, label("assumptions_caption", language),
                 label("defaults_note", language).format(count=left_at_zero))


def returns_table(result: Result, language: str = "en") -> Table:
    """NPV, IRR, MIRR, payback, ROI, BCR, LTV, CAC, LTV:CAC in our monthly and the study's annual convention."""
    study = result.metrics_annual
    same = label("same_both", language)
    rows = []
    for name in RETURN_METRICS:
        shown = label(name, language) + (f" {same}" if name in ("roi", "cac") else "")
        ours, theirs = (format_metric(name, result.metrics[name], language), format_metric(name, study[name], language))
        if name == "irr":
            ours, theirs = irr_text(result.metrics, language), irr_text(result.metrics, language, annual=True)
        rows.append([shown, ours, theirs])
    frame = pd.DataFrame(rows, columns=[label("metric", language), label("ours_monthly", language),
                                        label("study_annual", language)])
    notes = "; ".join(f"{label(k, language)}: {text_in(v, language)}" for k, v in result.notes.items()
                      if k in RETURN_METRICS)
    return Table(frame, label("returns_caption", language), notes)


def _kpi_value(kind: str, value: float) -> str:
    if kind == "users":
        return f"{value:,.0f}"
    if kind == "fraction":
        return percent(value)
    return f"{value:,.2f}"


def scorecard_table(result: Result, language: str = "en") -> Table:
    """The documents' KPI targets the model produces, this plan's value and whether it is met."""
    rows = []
    for score in scorecard(result):
        target = score.target
        rows.append([label(target.key, language), "≥ " + _kpi_value(target.kind, target.threshold),
                     _kpi_value(target.kind, score.value), label("yes" if score.met else "no", language),
                     target.source, label("measure_" + target.key.removeprefix("kpi_"), language)])
    frame = pd.DataFrame(rows, columns=[label(k, language) for k in
                                        ("kpi", "target", "this_plan", "met", "source", "how_measured")])
    return Table(frame, label("scorecard_caption", language), label("not_modelled_kpis", language))


def risk_table(analysis, name: str, language: str = "en") -> Table:
    """One table of a :class:`~model.risk.RiskAnalysis` (summary, stress, impacts, mitigations,
    montecarlo, breakeven), captioned."""
    from .risk_tables import display_table  # the risk module loads scipy: only reports with a risk section need it

    return Table(display_table(analysis, name, language), label(f"risk_{name}", language))


def audit_table(result: Result, language: str = "en") -> Table | Html:
    """The source study's claims that concern this scenario, recomputed (see ``model.audit``)."""
    from ..audit import claims_for, claims_table

    claims = claims_for(result.scenario)
    if not claims:
        return Html(f"<p>{escape(label('audit_none', language))}</p>")
    table = claims_table(claims, language)
    table["verdict"] = [label(f"verdict_{v.replace(' ', '_')}", language) for v in table["verdict"]]
    return Table(table.rename(columns=lambda column: label(f"audit_{column}", language)),
                 label("audit_caption", language))


def reading(result: Result, language: str = "en") -> Html:
    """A short plain-language reading of the results, built from the verdict and the tables."""
    m, scenario = result.metrics, result.scenario
    decision = verdict(result, language)
    study = result.metrics_annual
    target = f"{scenario['finance.payback_target_months']:g}"
    payback = months(m["payback_months"], language) if is_finite(m["payback_months"]) else label("read_never", language)
    common = dict(npv=format_metric("npv", m["npv"], language), payback=payback, target=target)
    if decision.feasible:
        sentences = [label("read_verdict_yes", language).format(
            irr=irr_text(m, language),
            rate=label("rate_a_year", language).format(value=percent(scenario["finance.discount_rate_annual"])),
            **common)]
    else:
        sentences = [label("read_verdict_no", language).format(failed=", ".join(decision.failed), **common)]
    horizon = int(scenario["timeline.horizon_months"])
    annual = result.annual
    opex = -sum(annual[line].iloc[1:].sum() for line in OPERATING_LINES) / (horizon / 12)
    sentences.append(label("read_scale", language).format(
        investment=money(m["total_investment"], language),
        opex=money(opex, language), months=horizon,
        benefit=money(m["total_benefit"], language),
        cost=money(m["total_cost"], language)))
    totals = result.monthly[list(REVENUE_LINES)].sum()
    if totals["community_revenue"] > 0:
        sentences.append(label("read_revenue", language).format(
            community=money(totals["community_revenue"], language),
            baseline=money(totals["baseline_revenue"], language),
            incremental=money(totals["incremental_revenue"], language),
            convention=convention(result, language)))
    costs = -result.monthly[list(COST_LINES)].sum()
    if costs.sum() > 0:
        largest = costs.idxmax()
        sentences.append(label("read_largest_cost", language).format(
            line=label(largest, language), share=percent(costs[largest] / costs.sum())))
    if is_finite(m["irr"]) and m["irr"] > 10.0:
        sentences.append(label("read_fast_payback", language))
    if scenario["revenue.basis"] == "gross":
        sentences.append(label("read_gross_warning", language))
    sentences.append(label("read_conventions", language).format(
        npv_annual=money(study["npv"], language),
        payback_annual=months(study["payback_months"], language) if is_finite(study["payback_months"])
        else label("read_never", language)))
    return Html("".join(f"<p>{escape(s)}</p>" for s in sentences))
