"""Applications: the ``feasibility`` command line and the planners' dashboard (imported on demand)."""

from .cli import main

__all__ = ["main", "cli", "dashboard"]
