"""The batch's comparison page (``index.html``) and ``summary.csv``, from one :class:`Outcome` per scenario.

The page is for decision makers: decision cases and study reproductions (the scenario's
``group``) in two tables, each sorted by NPV; per case its revenue basis, NPV, expected NPV,
P(NPV < 0), the IRR (or n.m. with the MIRR), payback, investment and verdict, with the reason
wherever a value is "–"; an NPV-by-scenario bar chart and the cumulative cash curves
overlaid; then the failures. Render times stay in ``summary.csv``. Text that scenario files
supply is HTML-escaped, and neutralised in the CSV (a cell starting with = + - @).
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from ..core.metrics import METRIC_UNITS
from ..inputs.units import money_scale
from ..inputs.texts import text_in
from .labels import label
from .report import escape, format_metric, irr_text, money, months

GROUPS = ("decision", "study")
EXTRA_COLUMNS = {"group": "", "revenue_basis": "", "expected_npv": "CNY", "prob_npv_negative": "fraction",
                 "name_zh": ""}
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass
class Outcome:
    """What became of one scenario: rendered, invalid (bad input) or failed (the render broke)."""

    file: str
    stem: str
    status: str  # rendered | invalid | failed
    causes: tuple[str, ...] = ()
    name: str | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    feasible: bool | None = None
    seconds: float = 0.0
    group: str = "decision"
    revenue_basis: str = ""
    expected_npv: float = math.nan  # CNY, probability-weighted over the register's risk events
    prob_npv_negative: float = math.nan  # share of the Monte Carlo's trials
    cumulative: tuple[float, ...] = ()  # cumulative net cash flow by month, CNY
    notes: dict[str, str] = field(default_factory=dict)  # why a metric is undefined
    name_zh: str | None = None  # the Chinese name where the file gives one
    stages: dict[str, float] = field(default_factory=dict)  # seconds in each stage of the render

    def shown_name(self, language: str) -> str:
        """The scenario's name in ``language`` where its file gives one, else as written, else its file's stem."""
        return (self.name_zh if language == "zh" and self.name_zh else self.name) or self.stem

    @property
    def ok(self) -> bool:
        return self.status == "rendered"

    @property
    def cause(self) -> str:
        """The failure in one line (``FILE: field: problem (got VALUE)`` for invalid input)."""
        if not self.causes:
            return ""
        more = len(self.causes) - 1
        return self.causes[0] + (f" (and {more} more problem{'s' if more > 1 else ''}: "
                                 f"feasibility validate {self.file})" if more else "")


def csv_text(text: object) -> str:
    """A text cell safe to open in a spreadsheet: one that starts like a formula gets a leading quote."""
    text = "" if text is None else str(text)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _charts(rendered: list[Outcome], language: str) -> str:
    """The NPV bar chart and the overlaid cumulative cash curves, as embedded SVG images with alt text."""
    from matplotlib.figure import Figure  # the page's only use of matplotlib

    from .plots import svg_data_uri, svg_text, use_cjk_fonts

    use_cjk_fonts(language)  # the unit 万元 and Chinese names need a CJK font in either language
    figure = Figure(figsize=(9, 0.45 * len(rendered) + 1.2))
    ax = figure.subplots()
    ordered = sorted(rendered, key=lambda o: o.metrics["npv"])
    scale, npv_unit = money_scale([o.metrics["npv"] for o in ordered])
    ax.barh([o.shown_name(language) for o in ordered], [o.metrics["npv"] / scale for o in ordered],
            color=["tab:green" if o.metrics["npv"] > 0 else "tab:red" for o in ordered])
    ax.axvline(0, color="grey", linewidth=0.8)
    ax.set_xlabel(label("money_axis", language).format(unit=npv_unit))
    ax.set_title(label("index_npv_chart", language).format(unit=npv_unit))
    bars = svg_data_uri(svg_text(figure))
    figure = Figure(figsize=(9, 4.5))
    ax = figure.subplots()
    scale, unit = money_scale(*(o.cumulative for o in rendered))
    for outcome in rendered:
        ax.plot(range(len(outcome.cumulative)), [v / scale for v in outcome.cumulative],
                label=outcome.shown_name(language),
                linestyle="-" if outcome.group == "decision" else "--")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xlabel(label("month", language))
    ax.set_ylabel(label("money_axis", language).format(unit=unit))
    ax.set_title(label("cumulative_cash", language))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    curves = svg_data_uri(svg_text(figure))
    bars_alt = label("index_npv_chart_alt", language).format(unit=npv_unit)
    return (f'<img src="{bars}" alt="{escape(bars_alt)}">'
            f'<img src="{curves}" alt="{escape(label("index_cash_chart_alt", language))}">')


def _value(text: str, why: str | None, language: str = "en") -> str:
    """A cell: the value, or "–" with the reason beside it (in ``language`` where it has one)."""
    return f"<td>{escape(text)}</td>" if text != "–" or not why else \
        f'<td>– <span class="why">({escape(text_in(why, language))})</span></td>'


def _row(o: Outcome, language: str) -> str:
    m, link = o.metrics, quote(o.stem)
    basis = label("basis_" + o.revenue_basis, language) if o.revenue_basis else ""
    payback = months(m["payback_months"], language) if math.isfinite(m["payback_months"]) \
        else label("read_never", language)
    name = o.shown_name(language)
    cells = [f'<td class="name"><a href="{escape(link)}.html">{escape(name)}</a> '
             f'(<a href="{escape(link)}.xlsx">xlsx</a>)</td>', f"<td class='name'>{escape(basis)}</td>",
             _value(money(m["npv"], language), o.notes.get("npv"), language),
             _value(money(o.expected_npv, language), None),
             _value(f"{o.prob_npv_negative:.1%}" if math.isfinite(o.prob_npv_negative) else "–", None),
             _value(irr_text(m, language), o.notes.get("irr"), language),
             f"<td>{escape(payback)}</td>",
             _value(format_metric("total_investment", m["total_investment"], language), None),
             f"<td class='name'>{escape(label('feasible' if o.feasible else 'not_feasible', language))}</td>"]
    return "<tr>" + "".join(cells) + "</tr>"


def index_page(outcomes: list[Outcome], language: str = "en") -> str:
    """The comparison page: decision cases, then study reproductions, charts, then the failures."""
    headers = [label(k, language) for k in ("scenario", "index_basis", "npv", "index_expected_npv",
                                            "risk_row_prob_npv_negative", "irr", "payback_months",
                                            "total_investment", "verdict")]
    head = "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in headers) + "</tr>"
    rendered = [o for o in outcomes if o.ok]
    sections = []
    for group in GROUPS:
        members = sorted((o for o in rendered if o.group == group), key=lambda o: -o.metrics["npv"])
        if members:
            sections.append(f"<h2>{escape(label('index_group_' + group, language))}</h2>"
                            f"<table class='report' id='{group}'>{head}{''.join(_row(o, language) for o in members)}"
                            "</table>")
    failures = [o for o in outcomes if not o.ok]
    failure_rows = "".join(f"<tr><td class='name'>{escape(o.file)}</td><td class='name'>"
                           + "<br>".join(escape(c) for c in o.causes) + "</td></tr>" for o in failures)
    failure_table = (f"<table class='report'><tr><th>{escape(label('scenario_file', language))}</th>"
                     f"<th>{escape(label('cause', language))}</th></tr>{failure_rows}</table>"
                     if failures else f"<p>{escape(label('no_failures', language))}</p>")
    title = escape(label("index_title", language))
    charts = _charts(rendered, language) if rendered else ""
    return (f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8"><title>{title}</title>'
            "<style>body{font-family:sans-serif;margin:2em;} table{border-collapse:collapse;margin-bottom:1em;} "
            "th,td{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right;} td.name,th:first-child"
            "{text-align:left;} td{white-space:nowrap;} td.name,.why{white-space:normal;} th:lang(zh)"
            "{word-break:keep-all;min-width:3em;} td:lang(zh){min-width:4em;} .why{color:#555;font-size:11px;} "
            "img{max-width:100%;display:block;}</style></head>"
            f"<body><h1>{title}</h1><p>{escape(label('index_intro', language))}</p>{''.join(sections)}{charts}"
            f"<h2>{escape(label('failures', language))}</h2><div id='failures'>{failure_table}</div></body></html>\n")


def earlier_reports(out: Path, rendered_now: set[str], suffixes: tuple[str, ...]) -> list[Outcome]:
    """The rows of ``out``'s previous summary.csv whose reports are still there and not re-rendered now.

    A batch of some scenarios keeps the others' reports on disk; the page keeps listing them.
    """
    try:
        rows = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8"))))
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    kept = []
    for row in rows:
        stem = row.get("scenario") or ""
        if row.get("status") != "rendered" or stem in rendered_now or \
                not all((out / f"{stem}{suffix}").is_file() for suffix in suffixes):
            continue

        def number(name: str, unit: str) -> float:
            return float(row.get(f"{name} ({unit})" if unit else name) or "nan")

        kept.append(Outcome(
            row.get("file", ""), stem, "rendered", (), row.get("name") or None,
            {name: number(name, unit) for name, unit in METRIC_UNITS.items()},
            {"True": True, "False": False}.get(row.get("feasible", "")), float(row.get("seconds") or 0.0),
            row.get("group") or "decision", row.get("revenue_basis") or "", number("expected_npv", "CNY"),
            number("prob_npv_negative", "fraction"), name_zh=row.get("name_zh") or None))
    return sorted(kept, key=lambda o: o.stem)


def summary_csv(outcomes: list[Outcome]) -> str:
    """One row per scenario: status, verdict, every metric (CNY, fractions, months; units in headers), cause,
    then group, revenue basis, expected NPV and P(NPV < 0)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["scenario", "file", "name", "status", "feasible",
                     *(f"{name} ({unit})" for name, unit in METRIC_UNITS.items()), "seconds", "cause",
                     *(f"{name} ({unit})" if unit else name for name, unit in EXTRA_COLUMNS.items())])
    for o in outcomes:
        values = [o.metrics.get(name, math.nan) for name in METRIC_UNITS]
        extra = [o.expected_npv, o.prob_npv_negative]
        writer.writerow([csv_text(o.stem), csv_text(o.file), csv_text(o.name), o.status,
                         "" if o.feasible is None else o.feasible,
                         *("" if not math.isfinite(v) else repr(v) for v in values), f"{o.seconds:.2f}",
                         csv_text(o.cause), o.group, o.revenue_basis,
                         *("" if not math.isfinite(v) else repr(v) for v in extra), csv_text(o.name_zh)])
    return buffer.getvalue()


__all__ = ["Outcome", "index_page", "summary_csv", "earlier_reports", "csv_text", "GROUPS"]
