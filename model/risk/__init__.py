"""Risk calculations: sampling, Monte Carlo, stress / expected value / mitigation, tornado, break-even."""

from .analysis import RiskAnalysis, analyse
from .montecarlo import MonteCarlo

__all__ = ["RiskAnalysis", "analyse", "MonteCarlo", "analysis", "bridge", "discovery", "goal_seek", "montecarlo",
           "parallel", "roots", "sampling", "sensitivity", "spec", "sweep", "swings"]
