"""Charts of a :class:`~model.core.evaluation.Result`: matplotlib, money in 万元 (亿元 from 1亿), labelled with units.

Each chart function takes a result, ``ax=None`` and a ``language`` (``en`` or ``zh``),
draws, and returns the Axes; none computes anything financial.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager

from ..core.engine import COST_LINES
from ..inputs.texts import text_in
from .labels import check_language, label
from ..inputs.units import money_scale

#: Fonts with Chinese glyphs, best first: Debian's fonts-noto-cjk and fonts-wqy-microhei.
CJK_FONTS = ("Noto Sans CJK SC", "WenQuanYi Micro Hei")
LATIN_FONT = "DejaVu Sans"


def _installed_cjk_fonts() -> list[str]:
    """The CJK fonts matplotlib knows; registers system ones installed after its cache was built."""
    known = {entry.name for entry in font_manager.fontManager.ttflist}
    if not known.intersection(CJK_FONTS):
        for path in font_manager.findSystemFonts():
            if "wqy" in path.lower() or "cjk" in path.lower():
                font_manager.fontManager.addfont(path)
        known = {entry.name for entry in font_manager.fontManager.ttflist}
    return [name for name in CJK_FONTS if name in known]


def use_cjk_fonts(language: str = "zh") -> list[str]:
    """Fonts that draw Chinese and Latin text with no missing glyphs; returns the CJK fonts found.

    Matplotlib falls back glyph by glyph along ``font.family``: Chinese reports put the CJK
    font first, English ones DejaVu Sans first (Chinese scenario names still draw). The
    minus sign is a plain hyphen, which every font has. The generic ``sans-serif`` comes last: a
    browser without these fonts draws an SVG chart's text in its own sans-serif face.
    """
    cjk = _installed_cjk_fonts()
    families = (cjk + [LATIN_FONT] if check_language(language) == "zh" else [LATIN_FONT] + cjk) + ["sans-serif"]
    plt.rcParams["font.family"] = families
    plt.rcParams["axes.unicode_minus"] = False
    return cjk


def new_axes(ax, language: str = "en"):
    """``ax``, or a new 8 × 4 in chart; either remembers ``language`` for its alt text (:func:`describe`)."""
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    ax.report_language = check_language(language)
    return ax


def _finish(ax, title: str, result, xlabel: str, ylabel: str, legend_outside: bool = False):
    ax.set_title(f"{title} — {result.scenario.text('name', ax.report_language)}")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend_outside:  # many entries: beside the plot, never over the data
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")
    else:
        ax.legend(loc="best", fontsize="small")
    return ax


def cumulative_cash_chart(result, ax=None, language: str = "en"):
    """Cumulative (and discounted) net cash flow by month, 万元 (亿元 from 1亿), with the payback month marked."""
    ax = new_axes(ax, language)
    table = result.monthly
    scale, unit = money_scale(table["cumulative_net_cash_flow"], table["cumulative_discounted_net_cash_flow"])
    ax.plot(table["month"], table["cumulative_net_cash_flow"] / scale, label=label("cumulative_cash", language))
    ax.plot(table["month"], table["cumulative_discounted_net_cash_flow"] / scale, linestyle="--",
            label=label("cumulative_discounted", language))
    ax.axhline(0, color="grey", linewidth=0.8)
    payback = result.metrics["payback_months"]
    if np.isfinite(payback):
        ax.axvline(payback, color="green", linestyle=":",
                   label=f"{label('payback', language)} {payback:.1f} {label('months_unit', language)}")
    return _finish(ax, label("cumulative_cash", language), result, label("month", language),
                   label("money_axis", language).format(unit=unit))


def benefit_cost_chart(result, ax=None, language: str = "en"):
    """Benefits (up) and costs (down) by year, 万元 (亿元 from 1亿), with the net flow as a line."""
    ax = new_axes(ax, language)
    table = result.annual
    years = table["year"].to_numpy()
    scale, unit = money_scale(table["total_benefit"], table["total_cost"])
    ax.bar(years, table["total_benefit"] / scale, color="tab:green", label=label("benefits", language))
    ax.bar(years, table["total_cost"] / scale, color="tab:red", label=label("costs", language))
    ax.plot(years, table["net_cash_flow"] / scale, color="black", marker="o", label=label("net", language))
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xticks(years)
    return _finish(ax, label("benefits_costs", language), result, label("year", language),
                   label("money_axis_year", language).format(unit=unit))


def cost_chart(result, ax=None, language: str = "en"):
    """Every cost line by year as stacked bars, 万元 (亿元 from 1亿; drawn as positive amounts); year 0 = investment."""
    ax = new_axes(ax, language)
    table = result.annual
    years = table["year"].to_numpy()
    bottom = np.zeros(len(years))
    scale, unit = money_scale(table["total_cost"])  # the tallest stack
    for line in COST_LINES:
        amount = -table[line].to_numpy() / scale
        if np.any(amount):
            ax.bar(years, amount, bottom=bottom, label=label(line, language))
            bottom += amount
    ax.set_xticks(years)
    return _finish(ax, label("costs_by_year", language), result, label("year", language),
                   label("money_axis_year", language).format(unit=unit), legend_outside=True)


def revenue_chart(result, ax=None, language: str = "en"):
    """Community, baseline and incremental revenue and gross profit by month, 万元 (亿元 from 1亿) per month."""
    ax = new_axes(ax, language)
    table = result.monthly.iloc[1:]
    lines = (("community_revenue", "-"), ("baseline_revenue", "--"), ("incremental_revenue", "-."),
             ("gross_profit", ":"))
    scale, unit = money_scale(*(table[line] for line, _ in lines))
    for line, style in lines:
        ax.plot(table["month"], table[line] / scale, linestyle=style, label=label(line, language))
    ax.axhline(0, color="grey", linewidth=0.8)
    return _finish(ax, label("revenue_by_month", language), result, label("month", language),
                   label("money_axis_month", language).format(unit=unit))


def users_chart(result, ax=None, language: str = "en"):
    """Community users at each month end (users), with new and churned users per month."""
    ax = new_axes(ax, language)
    table = result.monthly
    ax.plot(table["month"], table["users"], label=label("users", language), color="tab:blue")
    flows = ax.twinx()  # new and churned users are far smaller than the stock: their own axis
    for line, style, colour in (("new_users", "--", "tab:green"), ("churned_users", ":", "tab:red")):
        flows.plot(table["month"], table[line], linestyle=style, color=colour, label=label(line, language))
    flows.set_ylabel(label("users_per_month_axis", language))
    for axis in (ax, flows):
        axis.yaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
    handles = [h for axis in (ax, flows) for h in axis.get_legend_handles_labels()[0]]
    ax.legend(handles, [h.get_label() for h in handles], loc="upper left", bbox_to_anchor=(1.12, 1.0),
              fontsize="small")
    ax.set_title(f"{label('users_by_month', language)} — {result.scenario.text('name', language)}")
    ax.set_xlabel(label("month", language))
    ax.set_ylabel(label("users_axis", language))
    return ax


def bridge_chart(walk, ax=None, language: str = "en"):
    """Waterfall of an NPV bridge (:class:`model.risk.bridge.Bridge`), 万元 (亿元 from 1亿): start, each step's
    change, end."""
    ax = new_axes(ax, language)
    names = [label("bridge_start", language)] + [text_in(s.step, language) for s in walk.steps] + \
        [label("bridge_end", language)]
    scale, unit = money_scale([walk.start, walk.end], [s.value for s in walk.steps])
    bottoms = [0.0] + [(s.value - s.delta) / scale for s in walk.steps] + [0.0]
    heights = [walk.start / scale] + [s.delta / scale for s in walk.steps] + [walk.end / scale]
    colours = ["tab:blue"] + ["tab:green" if s.delta >= 0 else "tab:red" for s in walk.steps] + ["tab:blue"]
    ax.bar(range(len(names)), heights, bottom=bottoms, color=colours)
    ax.set_xticks(range(len(names)), names, rotation=35, ha="right", fontsize="small")
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_title(label("bridge_caption", language), fontsize="medium")
    ax.set_ylabel(label("money_axis", language).format(unit=unit))
    ax.figure.text(0.01, 0.0, label("bridge_note", language), fontsize="x-small", wrap=True)
    ax.figure.subplots_adjust(bottom=0.35)
    return ax


def describe(ax) -> str:
    """Alt text for a chart: what it shows (title), against what (axes) and its series (legend), in the
    language the chart was drawn in (:func:`new_axes`)."""
    language = getattr(ax, "report_language", "en")
    legend = ax.get_legend()
    series = [t.get_text() for t in legend.get_texts()] if legend else []
    parts = [ax.get_title() or label("chart", language)]
    if ax.get_ylabel() or ax.get_xlabel():
        parts.append(label("chart_axes", language).format(y=ax.get_ylabel(), x=ax.get_xlabel()).strip())
    if series:
        parts.append(label("chart_series", language) + ("；" if language == "zh" else "; ").join(series))
    return ("。" if language == "zh" else ". ").join(parts)


#: Charts as SVG with their text kept as text (a fifth to a quarter less drawing time than a PNG here,
#: sharp in print and at any zoom); a fixed hash salt and no date keep a chart byte for byte the same.
SVG_SETTINGS = {"svg.fonttype": "none", "svg.hashsalt": "feasibility-report"}


def svg_text(figure) -> str:
    """``figure`` as an SVG document (cropped to what it draws), then closed."""
    import io

    buffer = io.BytesIO()
    with plt.rc_context(SVG_SETTINGS):
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue().decode("utf-8")


def svg_data_uri(svg: str) -> str:
    """An SVG document as a ``data:`` URI, for an ``<img>`` that carries the chart's alt text."""
    import base64

    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def show(ax):
    """The chart of ``ax`` as SVG with alt text saying what it shows (the report's charts go through here)."""
    from IPython.display import SVG

    alt = describe(ax)
    return SVG(data=svg_text(ax.figure), metadata={"alt": alt})
