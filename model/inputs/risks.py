"""The risk register of a scenario file (``risks:``): risks, their impacts and mitigations.

Merged through ``extends`` like any other section::

    risks:
      cost_overrun:
        name: Cost overrun
        probability: {value: 20%, source: "001 §5.4.1", basis: study}
        impacts:                      # act on model drivers, never on money directly
          - {driver: operating_costs.labour.fixed_yearly, multiply: 1.15, stated: 30万, source: "001 §5.4.1"}
        mitigation:
          description: fixed pay plus bonus
          effectiveness: {low: 50%, high: 70%, source: "001 §5.4.1"}
          cost:
            - {driver: operating_costs.other.fixed_yearly, add: 10万, basis: ours}

A mitigation with effectiveness e shrinks each impact of its risk towards no change by the
factor (1 − e) and adds its own cost changes. A risk set to ``null`` in a child file is off.

A risk may bring a one-off cost of its own, paid only when it occurs::

      data_leak:
        probability: {value: 5%, basis: ours}
        one_off: {amount: 800万, month: 18, source: "001 §六(三)3.1 (direct loss above 800万)"}

It becomes the one-off cost ``one_off_costs.<risk key>`` with amount 0 in the base case, and
the risk gets the impact ``{driver: one_off_costs.<risk key>.amount, add: <amount>}`` (its
``stated`` money is the amount when the study states it); ``impacts`` may then be left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

from .drivers import Change, LabelOf, OneOffCost, Problems, parse_changes, parse_one_off, parse_rate_leaf
from .errors import InputError

MAX_RISKS = 12  # the expected NPV enumerates all 2^n combinations of risk events


@dataclass(frozen=True)
class Mitigation:
    """A risk's mitigation: its cost (changes always applied) and effectiveness range (fractions)."""

    description: str
    effectiveness_low: float
    effectiveness_high: float
    costs: tuple[Change, ...] = ()
    source: str | None = None

    @property
    def effectiveness(self) -> float:
        """The mid-point of the stated effectiveness range, used in the stress table."""
        return 0.5 * (self.effectiveness_low + self.effectiveness_high)


@dataclass(frozen=True)
class Risk:
    """One risk of the register: a probability (of occurring within the horizon) and its impacts."""

    key: str
    name: str
    probability: float
    impacts: tuple[Change, ...]
    mitigation: Mitigation | None = None
    source: str | None = None
    one_off: OneOffCost | None = None  # its own one-off cost (amount 0 in the base case; an impact adds it)

    @property
    def stated_total(self) -> float | None:
        """The money impact the source states for this risk, CNY (sum of its impacts'; loss positive)."""
        stated = [c.stated for c in self.impacts if c.stated is not None]
        return sum(stated) if stated else None




def with_risks(values: Mapping[str, object], risks: Sequence[Risk], occurs: Sequence, mitigated: bool) -> dict:
    """Inputs after the risks: ``occurs[i]`` is 1 where risk i happens, 0 where not (or per-trial arrays).

    Impacts apply in register order. With ``mitigated``, every risk's mitigation cost applies
    always and its impacts shrink by (1 − effectiveness), the mid-point of the stated range.
    """
    out = dict(values)
    for risk, occurred in zip(risks, occurs):
        strength = occurred
        if mitigated and risk.mitigation is not None:
            strength = occurred * (1.0 - risk.mitigation.effectiveness)
            for cost in risk.mitigation.costs:
                cost.apply(out)
        for impact in risk.impacts:
            impact.apply(out, strength)
    return out



#: The keys each entry may have.
RISK_KEYS = ("name", "probability", "impacts", "one_off", "mitigation", "source", "note")
MITIGATION_KEYS = ("description", "effectiveness", "cost", "source", "note")


def _mitigation(raw: object, path: str, problems: Problems) -> Mitigation | None:
    if not problems.mapping(raw, path, MITIGATION_KEYS, "description, effectiveness, cost, source, note"):
        return None
    description = problems.text(raw.get("description"), f"{path}.description", required=True)
    effect = raw.get("effectiveness")
    where = f"{path}.effectiveness"
    if not problems.mapping(effect, where, ("low", "high", "source", "basis", "note"), "low, high (fractions), source"):
        return None
    low, high = (parse_rate_leaf(effect.get(k), f"{where}.{k}", problems) for k in ("low", "high"))
    if low is not None and high is not None and low > high:
        problems.add(f"{where}.high", f"must not be below low ({low:g})", effect.get("high"))
    costs = parse_changes(raw.get("cost", []), f"{path}.cost", problems, impact=False)
    problems.text(effect.get("source"), f"{where}.source")
    if None in (description, low, high, costs) or low > high:
        return None
    return Mitigation(description, low, high, costs, raw.get("source") or effect.get("source"))


def one_off_impact(one_off: OneOffCost) -> Change:
    """The impact that adds a risk's own one-off cost: ``one_off_costs.<key>.amount + amount``."""
    stated = one_off.amount if one_off.basis == "study" else None
    return Change((one_off.amount_path,), "add", one_off.amount, stated, one_off.source, one_off.basis, one_off.note)


def _risk(key: str, raw: object, problems: Problems, horizon: int | None = None) -> Risk | None:
    path = f"risks.{key}"
    if not problems.mapping(raw, path, RISK_KEYS, "name, probability, impacts, one_off, mitigation, source, note"):
        return None
    if "probability" not in raw or ("impacts" not in raw and raw.get("one_off") is None):
        problems.add(path, "must state a probability and impacts (or a one_off cost)", show=False)
        return None
    probability = parse_rate_leaf(raw["probability"], f"{path}.probability", problems)
    impacts = () if "impacts" not in raw else parse_changes(raw["impacts"], f"{path}.impacts", problems, impact=True)
    one_off = None if raw.get("one_off") is None else parse_one_off(key, raw["one_off"], f"{path}.one_off", problems,
                                                                     horizon)
    mitigation = None if raw.get("mitigation") is None else _mitigation(raw["mitigation"], f"{path}.mitigation",
                                                                        problems)
    name = problems.text(raw.get("name"), f"{path}.name") or key.replace("_", " ")
    if None in (probability, impacts) or (raw.get("mitigation") is not None and mitigation is None) \
            or (raw.get("one_off") is not None and one_off is None):
        return None
    if one_off is not None:
        impacts = (*impacts, one_off_impact(one_off))
    return Risk(key, name, probability, impacts, mitigation, raw.get("source"), one_off)


def parse_risks(raw: object, label_of: LabelOf, horizon: int | None = None) \
        -> tuple[tuple[Risk, ...], list[InputError]]:
    """The ``risks`` section → (risks in file order, problems and warnings). Risks set to null are off.

    ``horizon`` (months) bounds the month of a risk's own one-off cost.
    """
    problems = Problems(label_of)
    if not isinstance(raw, dict):
        problems.add("risks", "must be a mapping of risks by name", raw)
        return (), problems.all
    risks = [_risk(str(key), item, problems, horizon) for key, item in raw.items() if item is not None]
    if len(risks) > MAX_RISKS:
        problems.add("risks", f"must hold at most {MAX_RISKS} risks", len(risks))
    return tuple(r for r in risks if r is not None), problems.all



__all__ = ["MAX_RISKS", "Mitigation", "Risk", "with_risks", "one_off_impact", "parse_risks"]
