"""Shared fixtures: the project's folders, and inputs built by hand for formula tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from model.inputs.errors import ScenarioError
from model.inputs.scenario import FIELDS, REQUIRED, load_scenario

# CI runs the property tests on a fixed sequence of examples (a red CI must be reproducible);
# elsewhere hypothesis keeps exploring new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
#: A profitable plan with every revenue line: the base case before the finance-grade economics.
FEASIBLE_BASE = ROOT / "tests" / "fixtures" / "scenarios_before_economics" / "base.yaml"
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))

#: The inputs every hand-computed case starts from: the schema defaults, plus the required
#: inputs set to neutral values (no users, nothing counted, no discounting).
NEUTRAL_REQUIRED = {
    "description": "a hand-computed case",
    "finance.discount_rate_annual": 0.0,
    "users.initial": 0.0,
    "revenue.basis": "incremental",
    "revenue.gross_margin": 1.0,
}


@pytest.fixture
def make_values():
    """A function building a full ``Scenario.values``-like dict: defaults, then ``changes``.

    Keys are input paths (``"users.initial"``); values are already parsed (yuan, fractions).
    """
    def build(changes: dict | None = None) -> dict:
        values = {path: spec.default for path, spec in FIELDS.items() if spec.default is not REQUIRED}
        values.update(NEUTRAL_REQUIRED)
        for path, value in (changes or {}).items():
            assert path in FIELDS, f"not an input: {path}"
            values[path] = value
        return values

    return build


@pytest.fixture
def minimal_yaml() -> str:
    """The text of the smallest valid scenario file."""
    return ("description: the smallest valid case\n"
            "finance: {discount_rate_annual: 8%}\n"
            "users: {initial: 1000}\n"
            "revenue: {basis: incremental, gross_margin: 40%}\n")


def write(folder: Path, name: str, text: str) -> Path:
    """Write ``text`` to ``folder/name`` (UTF-8) and return the path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path, overrides=None) -> list[str]:
    """The one-line problems ``load_scenario`` raises for ``path`` (it must raise)."""
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path, overrides)
    return [str(p) for p in caught.value.problems]
