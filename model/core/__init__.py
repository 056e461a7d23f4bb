"""Calculations: the engine, finance functions, the metric set, ``evaluate()`` / ``Result``, the verdict."""

from .evaluation import Check, Result, evaluate
from .metrics import METRIC_UNITS, compute_metrics
from .verdict import Decision, decide

__all__ = ["Check", "Result", "evaluate", "METRIC_UNITS", "compute_metrics", "Decision", "decide",
           "engine", "evaluation", "finance", "metrics", "verdict"]
