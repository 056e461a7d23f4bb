"""Risk calculations: sampling, Monte Carlo, stress / expected value / mitigation, tornado, break-even."""

from .analysis import RiskAnalysis, analyse
from .montecarlo import MonteCarlo

__all__ = ["RiskAnalysis", "analyse", "MonteCarlo", "analysis", "montecarlo", "sampling"]
