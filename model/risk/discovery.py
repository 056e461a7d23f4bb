"""Scenario discovery: PRIM boxes of the input ranges where a metric is below (or above) a threshold.

The cases of interest are the sweep's variants where, say, NPV < 0; PRIM (the ema_workbench
implementation, imported only here: it takes seconds to import) peels the input space down to
boxes that hold them. For each box: its limits on the inputs it restricts (base units, as the
sweep's columns), **coverage** (the share of all cases of interest inside the box) and
**density** (the share of the box's variants that are of interest), and its mass (the share of
all variants inside it).

PRIM gives a trajectory of ever smaller boxes; the box kept is the one with the largest
coverage × density among those whose density reaches ``threshold`` (else the densest). The
variants in a box are then set aside and the next box is sought, up to ``max_boxes``, until
no box reaches the threshold.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np
import pandas as pd

from ..inputs.units import json_value

DEFAULT_THRESHOLD = 0.8  # density a box must reach
DEFAULT_MAX_BOXES = 3
PEEL_ALPHA = 0.05
MASS_MIN = 0.05


@dataclass(frozen=True)
class Box:
    """One PRIM box: the limits it sets (input → (low, high), or the allowed values of a listed input)."""

    limits: dict
    coverage: float
    density: float
    mass: float
    variants: int  # variants inside the box (among those not in an earlier box)

    def to_json(self) -> dict:
        limits = {name: ({"low": json_value(v[0]), "high": json_value(v[1])} if isinstance(v, tuple)
                         else {"values": sorted(v, key=str)}) for name, v in self.limits.items()}
        return {"limits": limits, "coverage": self.coverage, "density": self.density, "mass": self.mass,
                "variants": self.variants}


@dataclass
class Discovery:
    """The boxes found for ``metric below|above threshold`` over a sweep's variants."""

    metric: str
    condition: str  # "below" | "above"
    value: float
    variants: int
    cases: int  # variants of interest
    boxes: list[Box] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        """``discover --json``: metric, condition, value, variants, cases_of_interest, boxes."""
        return {"metric": self.metric, self.condition: self.value, "variants": self.variants,
                "cases_of_interest": self.cases,
                "share_of_interest": self.cases / self.variants if self.variants else None,
                "boxes": [b.to_json() for b in self.boxes], "seconds": round(self.seconds, 3)}


def of_interest(values: np.ndarray, below: float | None = None, above: float | None = None) -> np.ndarray:
    """True where the metric is below ``below`` (or above ``above``); an undefined metric (NaN) is not of interest."""
    values = np.asarray(values, dtype=float)
    with np.errstate(invalid="ignore"):
        return values < below if below is not None else values > above


def _chosen(trajectory: pd.DataFrame, threshold: float) -> int:
    meets = trajectory[trajectory["density"] >= threshold]
    if meets.empty:
        return int(trajectory["density"].to_numpy().argmax())
    score = (meets["coverage"] * meets["density"]).to_numpy()
    return int(meets.index[score.argmax()])


def _limits(box_lim: pd.DataFrame, initial: pd.DataFrame) -> dict:
    limits = {}
    for name in box_lim.columns:
        low, high = box_lim.loc[0, name], box_lim.loc[1, name]
        if isinstance(low, set):
            if low != initial.loc[0, name]:
                limits[name] = set(low)
        elif low != initial.loc[0, name] or high != initial.loc[1, name]:
            limits[name] = (float(low), float(high))
    return limits


def prim_boxes(x: pd.DataFrame, interest: np.ndarray, threshold: float = DEFAULT_THRESHOLD,
               max_boxes: int = DEFAULT_MAX_BOXES, peel_alpha: float = PEEL_ALPHA,
               mass_min: float = MASS_MIN) -> list[Box]:
    """PRIM boxes of the rows of ``x`` (inputs as columns) where ``interest`` is True."""
    with warnings.catch_warnings():  # the workbench warns about optional parts it does not find
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim

    interest = np.asarray(interest, dtype=bool)
    if not interest.any():
        return []
    if interest.all():  # the whole space: one box that restricts nothing
        return [Box({}, 1.0, 1.0, 1.0, int(interest.size))]
    x = x.reset_index(drop=True).copy()
    for name in x.columns:
        if x[name].dtype == bool or x[name].dtype == object:
            x[name] = x[name].astype(str)
        elif np.issubdtype(x[name].dtype, np.integer):
            x[name] = x[name].astype(float)
    finder = prim.Prim(x, interest.astype(int), threshold=threshold, peel_alpha=peel_alpha, mass_min=mass_min)
    boxes = []
    for _ in range(max_boxes):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            box = finder.find_box()
        if box is None or box.peeling_trajectory.shape[0] < 2:
            break  # PRIM found no box meeting the threshold: it returns the box of all that is left
        box.select(_chosen(box.peeling_trajectory, threshold))
        if box.density < threshold:
            break
        boxes.append(Box(_limits(box.box_lim, finder.box_init), float(box.coverage), float(box.density),
                         float(box.mass), int(len(box.yi))))
    return boxes


def discover(table: pd.DataFrame, inputs: Sequence[str], metric: str, *, below: float | None = None,
             above: float | None = None, threshold: float = DEFAULT_THRESHOLD,
             max_boxes: int = DEFAULT_MAX_BOXES) -> Discovery:
    """PRIM boxes over a sweep's results ``table`` (its ``inputs`` columns) where ``metric`` < ``below``
    (or > ``above``); exactly one of the two is given."""
    if (below is None) == (above is None):
        raise ValueError("give exactly one of below and above")
    started = time.perf_counter()
    interest = of_interest(table[metric].to_numpy(dtype=float), below, above)
    boxes = prim_boxes(table[list(inputs)], interest, threshold, max_boxes)
    condition, value = ("below", below) if below is not None else ("above", above)
    return Discovery(metric, condition, float(value), len(table), int(interest.sum()), boxes,
                     time.perf_counter() - started)


__all__ = ["DEFAULT_THRESHOLD", "DEFAULT_MAX_BOXES", "Box", "Discovery", "of_interest", "prim_boxes", "discover"]
