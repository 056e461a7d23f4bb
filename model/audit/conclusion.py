"""The audit's plain-language conclusion: which of the study's §七 conclusions survive honest revenue."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd

from ..inputs.paths import SCENARIOS
from .catalogue import audit, claims_table, verdict_counts
from .compare import CONSISTENT, INCONSISTENT, NOT_CHECKABLE, OTHER_READING, Claim, format_figure
from .sources import INITIAL_RANGE, Study

# --- the plain-language conclusion ---------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One of the study's conclusions: stated, recomputed in its convention, counted honestly."""

    conclusion: str
    stated: str
    study_convention: str
    honest: str
    survives: bool
    why: str


def break_even_margin(study_or_dir: str | Path = SCENARIOS, stem: str = "study_head") -> float:
    """Gross margin (fraction) at which the honest case's NPV (monthly flows) is zero.

    Revenue enters the cash flow only through the margin, so NPV is linear in it and two
    evaluations (margin 0 and 1) give the root exactly.
    """
    study = study_or_dir if isinstance(study_or_dir, Study) else Study(study_or_dir)
    at_zero, at_one = (study.honest(stem, m).metrics["npv"] for m in (0.0, 1.0))
    return -at_zero / (at_one - at_zero)


def conclusion(scenario_dir: str | Path = SCENARIOS, claims: Sequence[Claim] | None = None) -> list[Finding]:
    """Which of §七's conclusions survive corrected arithmetic and honest revenue (head tier).

    Honest: the head tier's costs, revenue counted as the increment over the non-community
    baseline, after base.yaml's gross margin (our assumption), no indirect benefits.
    """
    study = Study(scenario_dir)
    claims = list(audit(scenario_dir) if claims is None else claims)
    by_id = {c.id: c for c in claims}
    honest = study.honest()
    m = honest.metrics
    margin = float(honest.scenario["revenue.gross_margin"])
    threshold = break_even_margin(study)

    def recomputed(claim_id: str) -> str:
        c = by_id[claim_id]
        return f"{format_figure(c.recomputed, c.unit)} ({c.verdict})"

    def in_range(value: float, claim_id: str) -> bool:
        low, high = by_id[claim_id].stated
        return low <= value <= high

    gross_profit = float(honest.annual["gross_profit"].iloc[1])
    head_benefit = float(study.result("study_head").annual["total_benefit"].iloc[1])  # as study_head.yaml states it
    return [
        Finding("Initial investment 250-350万", format_figure(INITIAL_RANGE, "CNY"), recomputed("7-initial"),
                format_figure(m["total_investment"], "CNY") + " (head tier)", by_id["7-initial"].verdict == CONSISTENT,
                "costs do not depend on how revenue is counted"),
        Finding("Operating cost 300-350万 a year", format_figure((300e4, 350e4), "CNY/year"), recomputed("7-opex"),
                format_figure(-float(honest.annual["total_cost"].iloc[1]), "CNY/year") + " (head tier, no levers)",
                by_id["7-opex"].verdict == CONSISTENT, "only with every cost lever on; §5.3 itself uses 400万"),
        Finding("Yearly benefit 2.55亿 (head tier)", format_figure(head_benefit, "CNY/year"),
                format_figure(head_benefit, "CNY/year"), format_figure(gross_profit, "CNY/year") + " gross profit",
                gross_profit >= head_benefit,
                f"the increment over the non-community baseline after a {margin:.0%} margin, "
                "without the unitemised indirect benefits"),
        Finding("Payback 1-3 months", format_figure((1.0, 3.0), "months"), recomputed("7-payback"),
                format_figure(m["payback_months"], "months"), m["payback_months"] <= 3.0,
                "survives as 'within 3 months' when the payback is no longer than that"),
        Finding("NPV 1-5亿", format_figure((1e8, 5e8), "CNY"), recomputed("7-npv"),
                format_figure(m["npv_annual"], "CNY") + " (annual flows)", in_range(m["npv_annual"], "7-npv"),
                f"NPV stays positive down to a gross margin of {threshold:.1%}"),
        Finding("IRR 30-50%", format_figure((0.30, 0.50), "fraction/year"), recomputed("7-irr"),
                format_figure(m["irr_annual"], "fraction/year") + " (annual flows)", in_range(m["irr_annual"], "7-irr"),
                "a payback of weeks means an IRR of thousands of percent; read NPV and payback instead"),
        Finding("The plan is economically feasible (NPV > 0)", "NPV > 0", recomputed("7-npv"),
                format_figure(m["npv"], "CNY") + " (monthly flows)", m["npv"] > 0,
                f"feasible while the gross margin on the incremental sales exceeds {threshold:.1%}"),
    ]


def conclusion_table(findings: Sequence[Finding]) -> pd.DataFrame:
    """The findings as a table for reports."""
    return pd.DataFrame({
        "study's conclusion": [f.conclusion for f in findings],
        "stated": [f.stated for f in findings],
        "recomputed, study's convention": [f.study_convention for f in findings],
        "honest (incremental, after margin)": [f.honest for f in findings],
        "survives": ["yes" if f.survives else "no" for f in findings],
        "why": [f.why for f in findings],
    })


PARTS = {"5.1": "costs (§5.1)", "5.2": "revenue (§5.2)", "5.3": "returns (§5.3)", "5.4": "risks (§5.4)",
         "3.": "technology (§三(四))", "7-": "conclusion (§七)"}


def conclusion_text(findings: Sequence[Finding], claims: Sequence[Claim]) -> str:
    """The plain-language conclusion, built from the verdicts and the findings."""
    counts = verdict_counts(claims)
    by_part = []
    for prefix, part in PARTS.items():
        group = [c for c in claims if c.id.startswith(prefix)]
        checked = [c for c in group if c.verdict != "not checkable"]
        if checked:
            held = sum(c.verdict == CONSISTENT for c in checked)
            other = sum(c.verdict == OTHER_READING for c in checked)
            by_part.append(f"{part} {held} of {len(checked)}" + (f" (and {other} under another reading)" if other else ""))
    by_id = {c.id: c for c in claims}
    returns = [by_id[i] for i in ("7-payback", "7-irr") if i in by_id]
    text = (f"Of {len(claims)} figures of the study, {counts[CONSISTENT]} follow from its own inputs, "
            f"{counts[OTHER_READING]} only under a reading other than the standard one, "
            f"{counts[INCONSISTENT]} do not and {counts[NOT_CHECKABLE]} cannot be checked. "
            "Figures that hold, by part: " + "; ".join(by_part) + ". ")
    if returns:
        text += ("Recomputed in the study's own convention (gross revenue, no cost of goods, indirect benefits "
                 "counted) its three cases give " + " and ".join(
                     f"{'payback' if c.unit == 'months' else 'IRR'} {format_figure(c.recomputed, c.unit)} "
                     f"(stated {format_figure(c.stated, c.unit)})" for c in returns) + ". ")
    kept = [f.conclusion for f in findings if f.survives]
    lost = [f"{f.conclusion} ({f.why})" for f in findings if not f.survives]
    return (text + "Counted honestly (the increment over what the same users would buy anyway, after a gross "
            "margin, without indirect benefits) the head-tier plan keeps: " + ("; ".join(kept) or "none")
            + ". It loses: " + ("; ".join(lost) or "none") + ".")


def report_text(claims: Sequence[Claim], findings: Sequence[Finding]) -> str:
    """The readable report of ``feasibility audit``: the claims table, then the conclusion."""
    table = claims_table(claims)[["id", "stated", "recomputed", "difference", "verdict"]]
    lines = [table.to_string(index=False), "", "Which conclusions survive", ""]
    lines.append(conclusion_table(findings).drop(columns="why").to_string(index=False))
    lines += ["", conclusion_text(findings, claims)]
    return "\n".join(lines)


__all__ = ["Finding", "break_even_margin", "conclusion", "conclusion_table", "conclusion_text", "report_text"]
