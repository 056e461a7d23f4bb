"""The NPV bridge: from one scenario to another, one group of inputs at a time.

Each step is a real evaluation with one more group of inputs switched to the target
scenario's values, so the deltas add up exactly to the difference between the two NPVs.
The order of the steps changes the deltas (an interaction is credited to whichever step
comes later). A step that would make an invalid scenario (e.g. phase ends out of order) is
merged with the next one, and the merge is recorded. Money in CNY.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Sequence

from ..core.evaluation import evaluate
from ..inputs.errors import ScenarioError
from ..inputs.scenario import Scenario
from ..inputs.texts import Text

METRICS = ("npv", "npv_annual")
TEXT_INPUTS = ("name", "description")
OTHER = Text("other", "其他")  # the step of inputs no group names


@dataclass
class Step:
    """One step: its name, the inputs it switches, the metric after it and its change (CNY)."""

    step: str
    inputs: list[str]
    value: float
    delta: float
    merged: list[str] = field(default_factory=list)  # earlier steps merged into this one (they were invalid alone)


@dataclass
class Bridge:
    """From ``start`` to ``end`` (the metric of the two scenarios) through ``steps``."""

    metric: str
    start: float
    end: float
    steps: list[Step]

    def to_json(self) -> dict:
        """``{"from", "to", "metric", "steps": [{"step", "inputs", "value", "delta"}]}`` (+ ``merged`` where any)."""
        return {"from": self.start, "to": self.end, "metric": self.metric,
                "steps": [{"step": s.step, "inputs": s.inputs, "value": s.value, "delta": s.delta,
                           **({"merged": s.merged} if s.merged else {})} for s in self.steps]}


def differing_inputs(start: Scenario, end: Scenario) -> list[str]:
    """Inputs whose value differs between the two scenarios, in the target's order (names and texts aside)."""
    keys = list(dict.fromkeys([*end.values, *start.values]))
    return [k for k in keys if k not in TEXT_INPUTS and start.values.get(k) != end.values.get(k)]


def default_groups(paths: Sequence[str]) -> list[tuple[str, list[str]]]:
    """One group per differing input at the second level of its dotted path (``revenue.basis``,
    ``revenue.community``, ``tax.income_tax_rate``, …), in order of first appearance."""
    groups: dict[str, list[str]] = {}
    for path in paths:
        groups.setdefault(".".join(path.split(".")[:2]), []).append(path)
    return list(groups.items())


def named_groups(spec: Sequence[Mapping[str, Sequence[str]]], paths: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Groups from a ``--steps`` list of ``{NAME: [input or section, …]}``; inputs no group names form
    a last step, ``other``. An entry naming a section takes every differing input inside it."""
    groups, taken = [], set()
    for item in spec:
        (name, entries), = item.items()
        chosen = [p for p in paths if p not in taken and any(p == e or p.startswith(e + ".") for e in entries)]
        taken.update(chosen)
        groups.append((str(name), chosen))
    rest = [p for p in paths if p not in taken]
    return [g for g in groups if g[1]] + ([(OTHER, rest)] if rest else [])


def _switched(start: Scenario, end: Scenario, paths: Sequence[str]) -> Scenario:
    """``start`` with ``paths`` at ``end``'s values (raises ScenarioError when that is not a valid scenario)."""
    overrides = {p: (list(end.values[p]) if isinstance(end.values[p], tuple) else end.values[p]) for p in paths}
    return start.with_overrides(overrides, origin=f"bridge to {end.file}")


def bridge(start: Scenario, end: Scenario, metric: str = "npv",
           groups: Sequence[tuple[str, list[str]]] | None = None) -> Bridge:
    """Walk from ``start`` to ``end`` one group at a time (default: :func:`default_groups`)."""
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)} (got {metric!r})")
    paths = differing_inputs(start, end)
    groups = list(groups) if groups is not None else default_groups(paths)
    first = evaluate(start).metrics[metric]
    last_value, switched, steps, pending = first, [], [], []
    for name, inputs in groups:
        switched += inputs
        try:
            value = evaluate(_switched(start, end, switched)).metrics[metric]
        except ScenarioError:
            pending.append(name)  # invalid alone: merged with the next step
            continue
        steps.append(Step(name, list(inputs) if not pending else [p for n, i in groups if n in (*pending, name)
                                                                     for p in i], value, value - last_value,
                          list(pending)))
        pending, last_value = [], value
    target = evaluate(end).metrics[metric]
    if pending:  # the last steps stayed invalid until everything was switched: the target itself
        steps.append(Step(pending[-1], [p for n, i in groups if n in pending for p in i], target,
                          target - last_value, pending[:-1]))
    return Bridge(metric, first, target, steps)


__all__ = ["Bridge", "Step", "bridge", "default_groups", "named_groups", "differing_inputs", "METRICS", "OTHER"]
