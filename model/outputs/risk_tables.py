"""The risk analysis for people: its tables as display strings, its text form, the dashboard's tornado.

Headers and row names come from the label registry (:mod:`model.outputs.labels`); case, risk and
mitigation names, impacts and sources in the language asked where they have it (in Chinese a
risk is shown by its name, in English by its key). Money is shown in 万元, IRR annual, payback
in months. Nothing here computes: the numbers come from :class:`model.risk.analysis.RiskAnalysis`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..inputs.texts import quantity, text_in
from ..inputs.units import format_money, format_rate
from ..risk.analysis import BREAKEVEN_TARGETS, RiskAnalysis, tornado_table
from . import risk_plots
from .labels import check_language, label


def _text(x, language: str) -> str:
    return text_in(x, language)


def _money(x, language: str) -> str:
    return format_money(x, label("unit_wan", language))


def _fraction(x, language: str) -> str:
    return format_rate(x)


def _months(x, language: str) -> str:
    return f"{x:.1f}" if np.isfinite(x) else label("read_never", language)


def _yes_no(x, language: str) -> str:
    return label("yes" if x else "no", language)


def _source(x, language: str) -> str:
    return text_in(x, language) or "–"


#: The columns of each display table with their formatters; headers are the labels ``risk_col_COLUMN``.
DISPLAY_COLUMNS = {
    "stress": [("case", _text), ("probability", _fraction), ("npv", _money), ("npv_change", _money),
               ("irr", _fraction), ("payback_months", _months), ("first_year_net_change", _money),
               ("stated_impact", _money)],
    "impacts": [("risk", _text), ("impact", _text), ("npv_change", _money), ("first_year_net_change", _money),
                ("stated_impact", _money), ("source", _source)],
    "mitigations": [("risk", _text), ("mitigation", _text), ("effectiveness", _fraction), ("cost_pv", _money),
                    ("expected_loss_avoided", _money), ("net_value", _money), ("pays_for_itself", _yes_no)],
    "summary": [("measure", _text), ("value", _text)],
    "montecarlo": [("statistic", _text), ("npv", _money), ("irr", _fraction), ("payback_months", _months)],
    "tornado": [("input", _text), ("npv_low", _money), ("npv_high", _money), ("swing", _money)],
    "breakeven": [("driver", _text), ("base", _text), ("breakeven", _text)],
}


def _summary_rows(analysis: RiskAnalysis, language: str) -> pd.DataFrame:
    mc = analysis.montecarlo
    values = {"base_npv": _money(analysis.base_npv, language), "expected_npv": _money(analysis.expected_npv, language),
              "expected_npv_mitigated": _money(analysis.expected_npv_mitigated, language),
              "p50": _money(mc.summary.loc["p50", "npv"], language),
              "prob_npv_negative": f"{mc.prob_npv_negative:.1%}",
              "trials": f"{mc.trials:,}, {mc.seed}"}
    return pd.DataFrame({"measure": [label(f"risk_row_{k}", language) for k in values], "value": list(values.values())})


def _display_source(analysis: RiskAnalysis, name: str, language: str) -> pd.DataFrame:
    """The table behind a display table; the summary, Monte Carlo and break-even formatted per row."""
    if name == "summary":
        return _summary_rows(analysis, language)
    if name == "montecarlo":
        table = analysis.montecarlo.summary.rename_axis("statistic").reset_index()
        table["statistic"] = [label(f"risk_stat_{s}", language) for s in table["statistic"]]
        return table
    if name == "breakeven":
        rows = [(label(f"breakeven_{row.driver}", language), quantity(row.base_value, target.field.unit, language),
                 quantity(row.breakeven, target.field.unit, language) if row.note == "found"
                 else label("none_within_bounds", language))
                for row, target in zip(analysis.breakeven.itertuples(), BREAKEVEN_TARGETS.values())]
        return pd.DataFrame(rows, columns=["driver", "base", "breakeven"])
    table = getattr(analysis, name)
    if language == "zh" and "risk" in table.columns:  # in Chinese a risk is shown by its name
        names = {r.key: r.name for r in analysis.scenario.extensions.get("risks", ())}
        table = table.assign(risk=pd.Series([names.get(key, key) for key in table["risk"]], index=table.index,
                                            dtype=object))
    return table


def display_table(analysis: RiskAnalysis, name: str, language: str = "en") -> pd.DataFrame:
    """One of the risk tables as display strings (money in 万元, IRR annual, payback in months).

    ``name`` is one of :data:`DISPLAY_COLUMNS`: summary, stress, impacts, mitigations, montecarlo,
    tornado, breakeven; ``language`` (en, zh) chooses the headers (and the summary's row labels).
    """
    check_language(language)
    source = _display_source(analysis, name, language)
    return pd.DataFrame({label(f"risk_col_{column}", language): [show(x, language) for x in source[column]]
                         for column, show in DISPLAY_COLUMNS[name]})


def format_text(analysis: RiskAnalysis) -> str:
    """The risk analysis for people (``feasibility risk``): every display table with a heading."""
    mc = analysis.montecarlo
    money = format_money
    parts = [f"{analysis.scenario.name}  ({analysis.scenario.file})",
             "Stress cases (each risk at full strength, alone and all together):",
             "Each impact alone, beside the money impact the source states:",
             f"Expected NPV over the register's risk events: {money(analysis.expected_npv)} (every mitigation "
             f"in place: {money(analysis.expected_npv_mitigated)}; base {money(analysis.base_npv)}). "
             "Mitigations, each with its risk alone:",
             f"Monte Carlo: {mc.trials:,} trials, seed {mc.seed}" + (", mitigations in place" if mc.mitigated else "")
             + f" ({mc.seconds:.2f} s); P(NPV < 0) = {mc.prob_npv_negative:.1%}; never pays back within the horizon "
             f"in {mc.payback_never:.1%} of trials:",
             "Tornado (NPV with each uncertain input at its low and high):",
             "Break-even values (NPV = 0):"]
    tables = ["stress", "impacts", "mitigations", "montecarlo", "tornado", "breakeven"]
    lines = [parts[0]]
    for heading, name in zip(parts[1:], tables):
        table = display_table(analysis, name)
        lines += ["", heading, table.to_string(index=False) if len(table) else "  (none)"]
    return "\n".join(lines)


def tornado_panel(result, ax, language: str = "en"):
    """The dashboard's tornado panel: ``draw(result, ax)`` for a live :class:`~model.core.evaluation.Result`.

    Recomputes the tornado of ``result.scenario`` (one engine run, 2k + 1 cases) and draws it.
    """
    return risk_plots.tornado_chart(tornado_table(result.scenario), ax=ax, language=language)


__all__ = ["DISPLAY_COLUMNS", "display_table", "format_text", "tornado_panel"]
