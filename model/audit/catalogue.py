"""The audit of the study's own figures (001 §五, §三(四), §七): every claim, recomputed.

Where the study states no convention (annual or monthly discounting, gross or net, the base
a percentage applies to), each kind of claim has one fixed list of readings, the same for
every case (tier) it is applied to: a standard reading first, then alternatives. A claim is
consistent when its standard reading agrees, "consistent under another reading" when only
an alternative does (the claim names it), inconsistent otherwise. Nothing is tuned to make
a claim pass: readings and tolerances are fixed per kind of claim, before the comparison.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Sequence

import pandas as pd

from ..inputs.paths import SCENARIOS
from ..inputs.scenario import Scenario
from ..inputs.texts import Text, text_in
from .claims_costs import cost_levers, initial_costs, operating_costs
from .claims_returns import conclusion_claims, returns, risks, technology
from .claims_revenue import direct_revenue, indirect_and_growth
from .compare import INCONSISTENT, OTHER_READING, VERDICTS, Claim, format_figure, format_gap
from .sources import Study

#: The catalogue's sections, in the study's order; each gives the claims of one part of 001.
CATALOGUE: tuple[Callable[[Study], list[Claim]], ...] = (
    initial_costs, operating_costs, cost_levers, direct_revenue, indirect_and_growth, returns, risks,
    technology, conclusion_claims)


_AUDITS: dict[tuple, tuple[Claim, ...]] = {}  # the audit by its folder and the state of the files there
_AUDITS_LOCK = threading.Lock()


def audit(scenario_dir: str | Path = SCENARIOS) -> list[Claim]:
    """Every audited claim of 001, recomputed with the model (the ``study_*`` and ``base`` scenarios).

    Computed once while the folder's scenario files stay as they are (same names, sizes and
    modification times): a batch's reports and workbooks, a warm render kernel and the dashboard's
    exports reuse it; an edited file makes it recompute.
    """
    folder = Path(scenario_dir).resolve()
    files = tuple((path.relative_to(folder).as_posix(), stat.st_mtime_ns, stat.st_size)
                  for path in sorted(folder.rglob("*.yaml")) for stat in [path.stat()])
    with _AUDITS_LOCK:
        if (folder, files) not in _AUDITS:
            _AUDITS.clear()
            study = Study(folder)
            _AUDITS[folder, files] = tuple(claim for section in CATALOGUE for claim in section(study))
        return list(_AUDITS[folder, files])


def claims_for(scenario: Scenario, claims: Sequence[Claim] | None = None) -> list[Claim]:
    """The claims that concern ``scenario``: those naming its file or a file it extends."""
    stems = {Path(label).stem for label in (scenario.file, *scenario.chain)}
    return [c for c in (audit() if claims is None else claims) if stems & set(c.scenarios)]


def audit_json(claims: Sequence[Claim]) -> list[dict]:
    """The JSON of ``feasibility audit --json``: one object per claim, keys :data:`JSON_KEYS`."""
    return [claim.to_json() for claim in claims]


def claims_table(claims: Sequence[Claim], language: str = "en") -> pd.DataFrame:
    """A table for reports: id, section, claim, stated, recomputed, difference, verdict (its code), note;
    texts in ``language`` (``en`` or ``zh``)."""
    if language not in ("en", "zh"):
        raise ValueError(f"language must be en or zh (got {language!r})")

    def shown(texts) -> list[str]:
        return [text_in(t, language) for t in texts]

    return pd.DataFrame({
        "id": [c.id for c in claims],
        "section": shown(c.section for c in claims),
        "claim": [c.claim_en if language == "en" else c.claim_zh for c in claims],
        "stated": shown(format_figure(c.stated, c.unit) for c in claims),
        "recomputed": shown(format_figure(c.recomputed, c.unit) for c in claims),
        "difference": shown(difference_text(c) for c in claims),
        "verdict": [c.verdict for c in claims],
        "note": shown(c.note for c in claims),
    })


def difference_text(claim: Claim) -> Text:
    """The table's difference: the gap of an inconsistent claim, the standard reading's gap of one that holds
    only under another reading (marked so), else empty."""
    if claim.verdict == INCONSISTENT:
        return format_gap(claim.difference, claim.difference_pct, claim.unit)
    if claim.verdict == OTHER_READING:
        gap = format_gap(claim.standard_difference, claim.standard_difference_pct, claim.unit)
        return Text("standard reading " + gap, "标准口径 " + gap.zh)
    return Text("")


def verdict_counts(claims: Sequence[Claim]) -> dict[str, int]:
    """How many claims have each verdict."""
    return {v: sum(c.verdict == v for c in claims) for v in VERDICTS}


__all__ = ["CATALOGUE", "audit", "claims_for", "audit_json", "claims_table", "difference_text", "verdict_counts"]
