"""Charts of a :class:`~model.evaluation.Result`: matplotlib, money in 万元, labelled with units.

Each function takes a result and ``ax=None``, draws, and returns the Axes; none computes
anything financial.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from .i18n import label

WAN = 1e4  # yuan per 万元


def use_cjk_fonts() -> None:
    """Prefer fonts with Chinese glyphs (installed by the set-up) and a plain minus sign."""
    plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "WenQuanYi Micro Hei", "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 4))
    return ax


def cumulative_cash_chart(result, ax=None, language: str = "en"):
    """Cumulative (and discounted) net cash flow by month, 万元, with the payback month marked."""
    ax = _axes(ax)
    table = result.monthly
    ax.plot(table["month"], table["cumulative_net_cash_flow"] / WAN, label=label("cumulative_cash", language))
    ax.plot(table["month"], table["cumulative_discounted_net_cash_flow"] / WAN, linestyle="--",
            label=label("cumulative_discounted", language))
    ax.axhline(0, color="grey", linewidth=0.8)
    payback = result.metrics["payback_months"]
    if np.isfinite(payback):
        ax.axvline(payback, color="green", linestyle=":",
                   label=f"{label('payback', language)} {payback:.1f} {label('months_unit', language)}")
    ax.set_title(label("cumulative_cash", language) + f" — {result.scenario.name}")
    ax.set_xlabel(label("month", language))
    ax.set_ylabel(label("wan_yuan", language))
    ax.legend(loc="best")
    return ax


def benefit_cost_chart(result, ax=None, language: str = "en"):
    """Benefits (up) and costs (down) by year, 万元, with the net flow as a line."""
    ax = _axes(ax)
    table = result.annual
    years = table["year"].to_numpy()
    ax.bar(years, table["total_benefit"] / WAN, color="tab:green", label=label("benefits", language))
    ax.bar(years, table["total_cost"] / WAN, color="tab:red", label=label("costs", language))
    ax.plot(years, table["net_cash_flow"] / WAN, color="black", marker="o", label=label("net", language))
    ax.axhline(0, color="grey", linewidth=0.8)
    ax.set_xticks(years)
    ax.set_title(label("benefits_costs", language) + f" — {result.scenario.name}")
    ax.set_xlabel(label("year", language))
    ax.set_ylabel(label("wan_yuan", language))
    ax.legend(loc="best")
    return ax
