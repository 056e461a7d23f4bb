"""Risk analysis of a scenario: stress cases, expected NPV, mitigations, Monte Carlo, tornado, break-even.

:func:`analyse` reads as the list of steps; each step is one function here (the Monte Carlo
is in :mod:`model.risk.montecarlo`, the register's shapes in :mod:`model.inputs.risks`). Every
case runs through the same vectorised engine: the cases of a table are stacked as trials.
Money is CNY; IRR is an annual fraction; payback is in months; NPV discounts monthly flows at
the monthly equivalent of the annual rate (the ``npv`` metric of :mod:`model.core.evaluation`).
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from ..core.engine import simulate
from ..core.evaluation import Check, evaluate
from ..core.metrics import annual_sums, compute_metrics
from ..inputs.drivers import Target
from ..inputs.risks import Risk, with_risks
from ..inputs.scenario import Scenario
from ..inputs.schema import FIXED_OPEX_LINES, PHASES
from ..inputs.texts import Text, text_in
from ..inputs.units import format_money, json_value
from . import montecarlo
from .montecarlo import MonteCarlo
from .roots import bracketed_root

DEFAULT_TRIALS = 10_000
DEFAULT_SEED = 2025
REPORT_TRIALS = 2000  # the Monte Carlo of a report, its workbook and the comparison page (about 0.2 s)
REPORT_SEED = DEFAULT_SEED  # and its seed
NONE_WITHIN_BOUNDS = "none within bounds"
#: The stress table's own case names (a risk's case is its name, with MITIGATED when mitigated).
BASE_CASE, ALL_RISKS = Text("base", "基准情景"), Text("all risks", "全部风险")
MITIGATED = Text(" (mitigated)", "（采取应对措施）")

#: The drivers whose break-even value is sought, each as a target moved as a whole.
BREAKEVEN_TARGETS: dict[str, Target] = {
    "conversion": Target(("revenue.community.conversion",)),
    "aov": Target(("revenue.community.aov",)),
    "growth": Target(tuple(f"users.growth_monthly.{phase}" for phase in PHASES)),
    "gross_margin": Target(("revenue.gross_margin",)),
    "attribution": Target(("revenue.attribution",)),
    "opex_yearly": Target(tuple(f"{c.section}.fixed_yearly" for c in FIXED_OPEX_LINES), "total"),
}

#: Units of the columns of the risk tables (and of the JSON keys of the same names).
UNITS = {
    "probability": "fraction (of occurring within the horizon)",
    "npv": "CNY", "irr": "fraction/year", "payback_months": "months",
    "npv_change": "CNY (against the base case)",
    "first_year_net_change": "CNY in year 1 (months 1-12), against the base case",
    "stated_impact": "CNY as the source states it (a loss negative; not used in the calculation)",
    "cost_pv": "CNY (present value of the mitigation's cost)",
    "expected_loss_avoided": "CNY (probability × NPV the mitigation saves when the risk occurs)",
    "net_value": "CNY (expected NPV with the mitigation − without it)",
    "swing": "CNY (|NPV at high − NPV at low|)",
}


def evaluate_cases(cases: Sequence[Mapping[str, object]]) -> dict[str, np.ndarray]:
    """Metrics of several input sets in one engine run: inputs that differ become per-trial arrays.

    Returns every metric of :func:`~model.core.metrics.compute_metrics` plus ``first_year_net``
    (CNY, months 1-12), each an array with one entry per case.
    """
    values = {}
    for path in cases[0]:
        column = [case[path] for case in cases]
        same = all(v == column[0] for v in column)
        values[path] = column[0] if same else np.array(column, dtype=float)
    return evaluate_values(values, len(cases))


def evaluate_values(values: Mapping[str, object], count: int) -> dict[str, np.ndarray]:
    """Metrics of ``count`` cases in one engine run, from inputs that are per-case arrays where they differ
    (as :func:`evaluate_cases` returns them)."""
    flows = simulate(values)
    metrics = compute_metrics(flows, values)
    metrics["first_year_net"] = annual_sums(flows.net_cash_flow)[:, 1]
    return {name: np.broadcast_to(value, (count,)) for name, value in metrics.items()}


def _table(rows: list[tuple], columns: list[str], texts: Sequence[str] = ()) -> pd.DataFrame:
    """``rows`` as a table whose ``texts`` columns keep their :class:`~model.inputs.texts.Text` objects (an
    object column: pandas' string dtype would drop their Chinese)."""
    table = pd.DataFrame(rows, columns=columns)
    for name in texts:
        table[name] = pd.Series([row[columns.index(name)] for row in rows], index=table.index, dtype=object)
    return table


def _risks(scenario: Scenario) -> tuple[Risk, ...]:
    return scenario.extensions.get("risks", ())


def case_name(name: str, mitigated: bool) -> Text:
    """A stress case's name in both languages: ``"Cost overrun (mitigated)"``."""
    suffix = MITIGATED if mitigated else Text("")
    return Text(str(name) + suffix, text_in(name, "zh") + suffix.zh)


def stress_table(scenario: Scenario) -> pd.DataFrame:
    """Base; each risk alone, unmitigated and mitigated; all risks together: NPV, IRR, payback.

    ``stated_impact`` is the source's own money figure for the risk, shown beside ours. Case
    names are :class:`~model.inputs.texts.Text` (English, with their Chinese).
    """
    values, risks = scenario.values, _risks(scenario)
    rows: list[tuple[str, str | None, bool, float]] = [(BASE_CASE, None, False, math.nan)]
    cases = [dict(values)]
    for risk in risks:
        for mitigated in (False, True) if risk.mitigation else (False,):
            rows.append((case_name(risk.name, mitigated), risk.key, mitigated, risk.probability))
            cases.append(with_risks(values, [risk], [1.0], mitigated))
    if len(risks) > 1:
        for mitigated in (False, True) if any(r.mitigation for r in risks) else (False,):
            rows.append((case_name(ALL_RISKS, mitigated), "all", mitigated,
                         math.prod(r.probability for r in risks)))
            cases.append(with_risks(values, risks, [1.0] * len(risks), mitigated))
    metrics = evaluate_cases(cases)
    table = _table(rows, ["case", "risk", "mitigated", "probability"], texts=["case"])
    table["npv"], table["irr"], table["payback_months"] = metrics["npv"], metrics["irr"], metrics["payback_months"]
    table["npv_change"] = metrics["npv"] - metrics["npv"][0]
    table["first_year_net_change"] = metrics["first_year_net"] - metrics["first_year_net"][0]
    stated = {r.key: r.stated_total for r in risks}
    table["stated_impact"] = [-stated[k] if stated.get(k) is not None and not m else math.nan
                              for k, m in zip(table["risk"], table["mitigated"])]
    return table


def impacts_table(scenario: Scenario) -> pd.DataFrame:
    """Every impact of the register alone, with the source's stated money impact beside ours."""
    values, risks = scenario.values, _risks(scenario)
    rows, cases = [], [dict(values)]
    for risk in risks:
        for impact in risk.impacts:
            case = dict(values)
            impact.apply(case)
            cases.append(case)
            rows.append((risk.key, impact.describe(), impact.basis, impact.source,
                         -impact.stated if impact.stated is not None else math.nan))
    table = _table(rows, ["risk", "impact", "basis", "source", "stated_impact"], texts=["impact", "source"])
    metrics = evaluate_cases(cases)
    table["npv_change"] = (metrics["npv"] - metrics["npv"][0])[1:]
    table["first_year_net_change"] = (metrics["first_year_net"] - metrics["first_year_net"][0])[1:]
    return table


def target_name(target: Target) -> Text:
    """A target's name in both languages: one input's path, or ``"each of a, b"`` / ``"total of a, b"``."""
    if len(target.paths) == 1:
        return Text(target.name)
    return Text(target.name, "、".join(target.paths) + ("（合计）" if target.sets == "total" else "（各自取该值）"))


def expected_npv(scenario: Scenario, mitigated: bool = False) -> float:
    """The probability-weighted NPV over every combination of risk events (independent), CNY.

    E[NPV] = Σ_S Π_{i∈S} p_i Π_{i∉S} (1 − p_i) · NPV(risks S happen): exact, all 2^n cases.
    """
    risks = _risks(scenario)
    combos = np.array(list(itertools.product((0.0, 1.0), repeat=len(risks))), dtype=float).reshape(2 ** len(risks),
                                                                                                   len(risks))
    probability = np.array([r.probability for r in risks])
    weights = np.prod(np.where(combos == 1.0, probability, 1.0 - probability), axis=1)
    npv = evaluate_values(with_risks(scenario.values, risks, list(combos.T), mitigated), len(combos))["npv"]
    return float(weights @ npv)


def mitigations_table(scenario: Scenario) -> pd.DataFrame:
    """Cost and benefit of each mitigation, the risk taken alone: does it pay for itself?

    Without: E₀ = (1 − p)·NPV(base) + p·NPV(risk); with: E₁ = (1 − p)·NPV(base + cost) +
    p·NPV(risk mitigated + cost). ``net_value`` = E₁ − E₀; ``cost_pv`` = NPV(base) −
    NPV(base + cost); ``expected_loss_avoided`` = net_value + cost_pv.
    """
    values, risks = scenario.values, [r for r in _risks(scenario) if r.mitigation]
    columns = ["risk", "mitigation", "effectiveness", "probability", "cost_pv", "expected_loss_avoided",
               "net_value", "pays_for_itself"]
    if not risks:
        return pd.DataFrame(columns=columns)
    cases = [dict(values)]
    for risk in risks:  # per risk: risk unmitigated, cost only, risk mitigated
        cases += [with_risks(values, [risk], [1.0], False), with_risks(values, [risk], [0.0], True),
                  with_risks(values, [risk], [1.0], True)]
    npv = evaluate_cases(cases)["npv"]
    rows = []
    for i, risk in enumerate(risks):
        hit, cost_only, mitigated = npv[1 + 3 * i: 4 + 3 * i]
        p = risk.probability
        net_value = (1 - p) * cost_only + p * mitigated - ((1 - p) * npv[0] + p * hit)
        cost_pv = npv[0] - cost_only
        rows.append((risk.key, risk.mitigation.description, risk.mitigation.effectiveness, p, cost_pv,
                     net_value + cost_pv, net_value, bool(net_value > 0)))
    return _table(rows, columns, texts=["mitigation"])


def tornado_table(scenario: Scenario) -> pd.DataFrame:
    """NPV with each uncertain input at its low and its high (P5/P95 for lognormal), the rest at base.

    Sorted by swing, the largest first; ``base_npv`` is the deterministic NPV (CNY).
    """
    uncertainty = scenario.extensions.get("uncertainty")
    inputs = uncertainty.inputs if uncertainty else ()
    columns = ["input", "driver", "base_value", "low", "high", "npv_low", "npv_high", "swing", "base_npv"]
    cases = [dict(scenario.values)]
    for item in inputs:
        for end in (item.dist.low, item.dist.high):
            case = dict(scenario.values)
            item.target.apply(case, end)
            cases.append(case)
    npv = evaluate_cases(cases)["npv"]
    rows = [(item.key, target_name(item.target), float(item.target.current(scenario.values)), item.dist.low,
             item.dist.high,
             npv[1 + 2 * i], npv[2 + 2 * i], abs(npv[2 + 2 * i] - npv[1 + 2 * i]), npv[0])
            for i, item in enumerate(inputs)]
    return _table(rows, columns, texts=["driver"]).sort_values("swing", ascending=False, ignore_index=True)


def _npv_at(values: Mapping[str, object], target: Target, xs: Sequence[float]) -> np.ndarray:
    cases = []
    for x in xs:
        case = dict(values)
        target.apply(case, x)
        cases.append(case)
    return evaluate_cases(cases)["npv"]


def _bounds(target: Target) -> tuple[float, float]:
    """The driver's allowed range from the schema; a sum of money lines is 0 to unbounded."""
    spec = target.field
    return (0.0, math.inf) if target.sets == "total" else (spec.low, spec.high)


def breakeven_value(values: Mapping[str, object], target: Target) -> tuple[float | None, float]:
    """The value of ``target`` at which NPV = 0, nearest its base value, and the NPV there (CNY).

    The bracketed search of :func:`model.risk.roots.bracketed_root` (a grid in one engine run,
    then Brent's method); ``(None, nan)`` when NPV does not change sign within bounds.
    """
    base = float(target.current(values))
    root = bracketed_root(lambda xs: _npv_at(values, target, xs), *_bounds(target), base)
    if root is None:
        return None, math.nan
    return float(root), float(_npv_at(values, target, [root])[0])


def breakeven_table(scenario: Scenario) -> pd.DataFrame:
    """Break-even values of conversion, AOV, growth, gross margin and yearly opex (NPV = 0)."""
    rows = []
    for name, target in BREAKEVEN_TARGETS.items():
        value, npv = breakeven_value(scenario.values, target)
        low, high = _bounds(target)
        rows.append((name, target.name, target.field.unit, float(target.current(scenario.values)), value, low, high,
                     npv, "found" if value is not None else NONE_WITHIN_BOUNDS))
    return pd.DataFrame(rows, columns=["driver", "inputs", "unit", "base_value", "breakeven", "low_bound",
                                       "high_bound", "npv_at_breakeven", "note"])


@dataclass
class RiskAnalysis:
    """Everything the risk section shows for one scenario; ``to_json()`` is ``feasibility risk --json``."""

    scenario: Scenario
    base_npv: float  # CNY, the deterministic case
    stress: pd.DataFrame
    impacts: pd.DataFrame
    expected_npv: float  # CNY, probability-weighted over the register's risk events, unmitigated
    expected_npv_mitigated: float  # CNY, the same with every mitigation in place (and paid for)
    mitigations: pd.DataFrame
    montecarlo: MonteCarlo
    tornado: pd.DataFrame
    breakeven: pd.DataFrame

    @property
    def checks(self) -> list[Check]:
        """The risk analysis's integrity checks (for the report's master check)."""
        mc, risks = self.montecarlo, _risks(self.scenario)
        finite = int(np.isfinite(mc.npv).sum())  # a trial that was not simulated keeps a NaN NPV
        deterministic = evaluate(self.scenario).metrics["npv"]
        gap = abs(self.base_npv - deterministic)
        probabilities = all(0.0 <= r.probability <= 1.0 for r in risks)
        return [Check(Text("Monte Carlo reached its trial count", "蒙特卡洛模拟达到设定的模拟次数"), finite == mc.trials,
                      Text(f"{finite:,} of {mc.trials:,} trials simulated, with a finite NPV",
                           f"{mc.trials:,} 次中有 {finite:,} 次模拟完成且净现值有限")),
                Check(Text("risk probabilities in [0, 1]", "风险概率在 [0, 1] 之间"), probabilities,
                      Text(f"{len(risks)} risks", f"{len(risks)} 项风险")),
                Check(Text("stress base case equals the deterministic NPV", "压力测试的基准情景等于确定性净现值"),
                      gap <= 1e-9 * (1.0 + abs(deterministic)), Text(f"gap {gap:.3g} CNY", f"差额 {gap:.3g} 元"))]

    def to_json(self) -> dict:
        """One JSON-ready object: ``stress``, ``expected_npv``, ``montecarlo``, ``tornado``, ``breakeven``, …"""
        return {
            "scenario": Path(self.scenario.file).stem,  # as in `feasibility run --json`
            "name": self.scenario.name,
            "file": self.scenario.file,
            "base_npv": json_value(self.base_npv),
            "stress": _records(self.stress),
            "expected_npv": json_value(self.expected_npv),
            "expected_npv_mitigated": json_value(self.expected_npv_mitigated),
            "mitigations": _records(self.mitigations),
            "impacts": _records(self.impacts),
            "montecarlo": self.montecarlo.to_json(),
            "tornado": _records(self.tornado),
            "breakeven": _records(self.breakeven),
            "checks": [{"name": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks],
            "units": dict(UNITS),
        }

    def __repr__(self) -> str:
        return (f"RiskAnalysis({self.scenario.name!r}, base NPV {format_money(self.base_npv)}, expected NPV "
                f"{format_money(self.expected_npv)}, {self.montecarlo!r})")


def _records(table: pd.DataFrame) -> list[dict]:
    return [{k: json_value(v) for k, v in row.items()} for row in table.to_dict(orient="records")]


def analyse(scenario: Scenario, trials: int = DEFAULT_TRIALS, seed: int = DEFAULT_SEED,
            mitigated: bool = False) -> RiskAnalysis:
    """The whole risk analysis of one scenario; the Monte Carlo is seeded and reproducible.

    ``mitigated`` runs the Monte Carlo with every mitigation in place (the tables show both).
    """
    stress = stress_table(scenario)
    uncertainty = scenario.extensions.get("uncertainty")
    return RiskAnalysis(
        scenario=scenario,
        base_npv=float(stress["npv"].iloc[0]),
        stress=stress,
        impacts=impacts_table(scenario),
        expected_npv=expected_npv(scenario),
        expected_npv_mitigated=expected_npv(scenario, mitigated=True),
        mitigations=mitigations_table(scenario),
        montecarlo=montecarlo.run(scenario.values, uncertainty, _risks(scenario), trials, seed, mitigated),
        tornado=tornado_table(scenario),
        breakeven=breakeven_table(scenario),
    )


__all__ = ["RiskAnalysis", "analyse", "stress_table", "impacts_table", "expected_npv", "mitigations_table",
           "tornado_table", "breakeven_table", "breakeven_value", "evaluate_cases",
           "BREAKEVEN_TARGETS", "BASE_CASE", "ALL_RISKS", "MITIGATED", "case_name", "target_name",
           "DEFAULT_TRIALS", "DEFAULT_SEED", "REPORT_TRIALS", "REPORT_SEED", "NONE_WITHIN_BOUNDS", "UNITS"]
