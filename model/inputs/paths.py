"""The project's folders, found from the package's own location (no working-directory guesses)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the project folder: model/inputs/ → model/ → project
SCENARIOS = ROOT / "scenarios"
REPORTS = ROOT / "reports"
NOTEBOOKS = ROOT / "notebooks"


def shown(path: str | Path) -> str:
    """``path`` as a reader should see it: relative to the project when inside it, else as given."""
    resolved = Path(path).resolve()
    try:
        return str(resolved.relative_to(ROOT))
    except ValueError:
        return str(path)


__all__ = ["ROOT", "SCENARIOS", "REPORTS", "NOTEBOOKS", "shown"]
