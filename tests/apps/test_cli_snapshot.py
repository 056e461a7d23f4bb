"""Every shipped scenario through ``run --json``, ``risk --json`` and ``audit --json``, against a snapshot.

The snapshot (tests/fixtures/cli_snapshot.json) was taken before the package moved into its
layers; a change that alters results on purpose re-takes it in its own commit
(``tests/fixtures/take_cli_snapshot.py``) and says what changed and why.

Texts, flags and counts must be identical. Numbers must agree to the last few bits:
1e-12 relative, or 1e-6 CNY where the figure is itself a rounding residue (the NPV found at
a break-even value, ≈ 1e-8 CNY). The move made every NPV one sum (``finance.npv``) where
there were two summation orders, which moves some results by an ulp.
"""

from __future__ import annotations

import json
import math
import sys

import pytest

from model.apps.cli import main
from model.inputs.paths import ROOT

sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
import take_cli_snapshot  # noqa: E402

SNAPSHOT = json.loads(take_cli_snapshot.SNAPSHOT.read_text(encoding="utf-8"))


def differences(expected, actual, path="") -> list[str]:
    """Where ``actual`` differs from ``expected``: paths with both values."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        keys = list(dict.fromkeys([*expected, *actual]))
        return [d for k in keys for d in differences(expected.get(k, "<missing>"), actual.get(k, "<missing>"),
                                                     f"{path}.{k}")]
    if isinstance(expected, list) and isinstance(actual, list) and len(expected) == len(actual):
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a, f"{path}[{i}]")]
    numbers = all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in (expected, actual))
    same = expected == actual or (numbers and math.isclose(expected, actual, rel_tol=1e-12, abs_tol=1e-6))
    return [] if same else [f"{path}: {expected!r} → {actual!r}"]


@pytest.mark.parametrize("scenario", sorted(SNAPSHOT))
@pytest.mark.parametrize("command", list(take_cli_snapshot.COMMANDS))
def test_output_equals_the_snapshot(scenario, command):
    path = ROOT / "scenarios" / f"{scenario}.yaml"
    argv = [a.format(file=path) for a in take_cli_snapshot.COMMANDS[command]]
    found = differences(SNAPSHOT[scenario][command], take_cli_snapshot.cli_json(main, argv))
    assert not found, f"{len(found)} differences, first: " + "; ".join(found[:5])
