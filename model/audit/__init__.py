"""The audit of the source study (001): comparison machinery, the claim catalogue, the conclusion,
the KPI scorecard. ``from model import audit``; ``audit.audit()`` gives every claim, recomputed."""

from .catalogue import CATALOGUE, audit, audit_json, claims_for, claims_table, verdict_counts
from .compare import (CONSISTENT, INCONSISTENT, JSON_KEYS, MODES, NOT_CHECKABLE, OTHER_READING, VERDICTS, Claim,
    Tolerance)
from .conclusion import Finding, break_even_margin, conclusion, conclusion_table, conclusion_text, report_text
from .scorecard import KpiTarget, Score, scorecard

__all__ = ["CATALOGUE", "audit", "audit_json", "claims_for", "claims_table", "verdict_counts", "JSON_KEYS",
           "MODES", "VERDICTS", "CONSISTENT", "OTHER_READING", "INCONSISTENT", "NOT_CHECKABLE", "Claim", "Tolerance",
           "Finding", "break_even_margin", "conclusion", "conclusion_table", "conclusion_text", "report_text",
           "KpiTarget", "Score", "scorecard"]
