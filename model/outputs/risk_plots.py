"""Charts of the risk analysis: NPV histogram, cumulative distribution, tornado, P50 convergence.

Each function takes a result of :mod:`model.risk.analysis` / :mod:`model.risk.montecarlo`, ``ax=None`` and a
``language`` (``en`` or ``zh``), draws it (money in 万元), and returns the Axes; none computes
anything financial.
"""

from __future__ import annotations

import numpy as np

from .labels import label
from .plots import new_axes
from ..inputs.drivers import Target
from ..inputs.schema import field_of
from ..inputs.texts import quantity
from ..inputs.units import format_money, format_rate, money_scale

def _text(key: str, language: str, **values) -> str:
    return label(key, language).format(**values)


def _finish(ax, title: str, xlabel: str, ylabel: str):
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="best", fontsize="small")
    return ax


def _mark_npv_zero_and_percentiles(ax, mc, scale: float, unit: str, language: str) -> None:
    ax.axvline(0, color="tab:red", linewidth=1.2, label=_text("npv_zero", language,
                                                              share=format_rate(mc.prob_npv_negative)))
    for name, style in (("p5", ":"), ("p50", "--"), ("p95", ":")):
        value = mc.summary.loc[name, "npv"]
        ax.axvline(value / scale, color="black", linestyle=style, linewidth=1,
                   label=f"{name.upper()} {format_money(value, unit)}")


def npv_histogram(mc, ax=None, bins: int = 60, language: str = "en"):
    """Histogram of the Monte Carlo NPV (万元, 亿元 from 1亿) with P5 / P50 / P95 and zero marked."""
    ax = new_axes(ax, language)
    scale, unit = money_scale(mc.npv)
    ax.hist(mc.npv / scale, bins=bins, color="tab:blue", alpha=0.75)
    _mark_npv_zero_and_percentiles(ax, mc, scale, unit, language)
    return _finish(ax, _text("histogram", language, trials=f"{mc.trials:,}", seed=mc.seed),
                   _text("npv_axis", language, unit=unit), _text("trials_axis", language))


def npv_cdf(mc, ax=None, language: str = "en"):
    """Cumulative distribution of the Monte Carlo NPV (万元, 亿元 from 1亿): the share of trials at or below each NPV."""
    ax = new_axes(ax, language)
    scale, unit = money_scale(mc.npv)
    ax.plot(np.sort(mc.npv) / scale, np.arange(1, mc.trials + 1) / mc.trials, color="tab:blue")
    _mark_npv_zero_and_percentiles(ax, mc, scale, unit, language)
    ax.set_ylim(0, 1)
    return _finish(ax, _text("cdf", language), _text("npv_axis", language, unit=unit), _text("cdf_axis", language))


def tornado_chart(tornado, ax=None, language: str = "en"):
    """Tornado: NPV (万元) with each uncertain input at its low and high end, widest swing on top.

    ``tornado`` is :attr:`model.risk.RiskAnalysis.tornado` (sorted by swing).
    """
    ax = new_axes(ax, language)
    if not len(tornado):
        ax.text(0.5, 0.5, _text("no_uncertainty", language), ha="center", va="center", wrap=True,
                transform=ax.transAxes)
        ax.set_axis_off()
        ax.set_title(_text("tornado", language))
        return ax
    rows = tornado.iloc[::-1]
    scale, unit = money_scale(tornado["npv_low"], tornado["npv_high"])
    base = float(tornado["base_npv"].iloc[0])
    positions = np.arange(len(rows))
    for column, color, key in (("npv_low", "tab:orange", "at_low"), ("npv_high", "tab:green", "at_high")):
        ax.barh(positions, (rows[column] - base) / scale, left=base / scale, color=color, alpha=0.8,
                label=_text(key, language))
    ax.axvline(base / scale, color="black", linewidth=1,
               label=_text("base_npv", language, value=format_money(base, unit)))
    ax.set_yticks(positions, [tornado_label(row.driver, row.low, row.high, language) for row in rows.itertuples()],
                  fontsize="small")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small")  # never over the bars
    ax.set_title(_text("tornado", language))
    ax.set_xlabel(_text("npv_axis", language, unit=unit))
    ax.figure.subplots_adjust(left=0.45)
    return ax


def tornado_label(driver: str, low: float, high: float, language: str = "en") -> str:
    """A tornado bar's label in words: the input's meaning (from the schema) and its low / high values.

    ``driver`` is an input path or a target's name ("total of a, b"); the first input names it.
    """
    path = Target.first_path(driver)
    try:
        spec = field_of(path)
    except KeyError:
        return driver
    meaning = (spec.help_zh if language == "zh" and spec.help_zh else spec.help).split(" (")[0]
    if driver.startswith("total of"):
        meaning = label("tornado_total", language).format(what=meaning)
    unit = "CNY" if driver.startswith("total of") else spec.unit
    short = meaning if len(meaning) <= 42 else meaning[:40] + "…"
    return f"{short}\n{quantity(low, unit, language)} / {quantity(high, unit, language)}"


def convergence_chart(mc, ax=None, language: str = "en"):
    """P50 (with P5 and P95) of NPV, 万元, against the number of trials: has the Monte Carlo settled?"""
    ax = new_axes(ax, language)
    table = mc.convergence()
    scale, unit = money_scale(table["p5_npv"], table["p95_npv"])
    ax.plot(table["trials"], table["p50_npv"] / scale, marker="o", label="P50")
    ax.plot(table["trials"], table["p5_npv"] / scale, linestyle=":", label="P5")
    ax.plot(table["trials"], table["p95_npv"] / scale, linestyle=":", label="P95")
    ax.set_xscale("log")
    return _finish(ax, _text("convergence", language), _text("trials_log", language),
                   _text("npv_axis", language, unit=unit))


__all__ = ["npv_histogram", "npv_cdf", "tornado_chart", "convergence_chart"]
