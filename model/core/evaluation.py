"""``evaluate()``: a scenario's cash flows, metrics, tables and integrity checks.

The metric names are a contract (CLI JSON keys, reports, dashboard). Money in CNY; every
rate says whether it is monthly or annual; ``npv`` uses monthly flows at the monthly
equivalent of the annual discount rate, ``npv_annual`` the study's annual method.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from . import finance
from .engine import BENEFIT_LINES, COST_LINES, Flows, phase_flags, simulate
from .metrics import annual_metrics, annual_sums, compute_metrics, year_end_users
from ..inputs.scenario import Scenario
from ..inputs.texts import Text

COLUMN_UNITS = {"month": "", "year": "", "phase": "", "users": "users", "new_users": "users",
                "churned_users": "users"}


@dataclass(frozen=True)
class Check:
    """One integrity check the model runs on its own results."""

    name: str
    ok: bool
    detail: str


@dataclass
class Result:
    """A deterministic evaluation: flows of one trial, metrics as floats, tables, checks."""

    scenario: Scenario
    flows: Flows
    metrics: dict[str, float]
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def rate_monthly(self) -> float:
        """The discount rate per month (monthly equivalent of the annual rate)."""
        return float(finance.monthly_from_annual(self.scenario["finance.discount_rate_annual"]))

    @cached_property
    def monthly(self) -> pd.DataFrame:
        """The monthly table: every line, CNY per month (users in users), month 0 = investment."""
        lines = {name: line[0] for name, line in self.flows.lines().items()}
        table = pd.DataFrame({"month": np.arange(len(lines["net_cash_flow"])), "phase": self._phases(), **lines})
        factors = finance.discount_factors(self.rate_monthly, len(table))
        return _with_running_totals(table, factors)

    @cached_property
    def annual(self) -> pd.DataFrame:
        """The annual table: year 0 = month 0; money lines are sums of the monthly ones."""
        lines = {name: annual_sums(line[:1])[0] for name, line in self.flows.lines().items()}
        lines["users"] = year_end_users(self.flows.users[:1])[0]
        table = pd.DataFrame({"year": np.arange(len(lines["net_cash_flow"])), **lines})
        factors = finance.discount_factors(self.scenario["finance.discount_rate_annual"], len(table))
        return _with_running_totals(table, factors)

    @cached_property
    def metrics_annual(self) -> dict[str, float]:
        """The metric set in the study's annual convention (:func:`~model.core.metrics.annual_metrics`)."""
        return {name: float(value[0]) for name, value in annual_metrics(self.flows, self.scenario.values).items()}

    def _phases(self) -> list[str]:
        months = np.arange(self.flows.users.shape[1])
        flags = phase_flags(self.scenario.values, months)
        return ["investment" if m == 0 else next(p for p, f in flags.items() if f[0, m]) for m in months]

    @cached_property
    def checks(self) -> list[Check]:
        """The model's integrity checks; the master check is that all pass."""
        monthly, annual = self.monthly, self.annual
        money = [c for c in (*BENEFIT_LINES, *COST_LINES, "net_cash_flow")]
        gap = float(np.max(np.abs(annual[money].sum().to_numpy() - monthly[money].sum().to_numpy())))
        scale = 1.0 + float(np.abs(self.flows.net_cash_flow).sum())
        checks = [Check(Text("annual sums equal monthly sums", "年度合计等于月度合计"), gap <= 1e-9 * scale,
                        Text(f"largest gap {gap:.3g} CNY", f"最大差额 {gap:.3g} 元"))]
        irr = self.metrics["irr"]
        if np.isfinite(irr):
            residual = abs(finance.npv(finance.monthly_from_annual(irr), self.flows.net_cash_flow[0]))
            checks.append(Check(Text("NPV at the IRR is zero", "按内部收益率折现的净现值为零"), residual <= 1e-6 * scale,
                                Text(f"NPV at IRR {residual:.3g} CNY", f"按内部收益率折现的净现值 {residual:.3g} 元")))
        low = float(self.flows.users.min())
        checks.append(Check(Text("user counts never negative", "用户数从不为负"), low >= 0,
                            Text(f"fewest users {low:,.0f}", f"最少用户数 {low:,.0f}")))
        signs = (self.flows.total_benefit >= 0).all() and (self.flows.total_cost <= 0).all() \
            and (self.flows.income_tax <= 0).all()
        checks.append(Check(Text("benefits positive, costs and tax negative", "收益为正，成本与税金为负"), bool(signs),
                            Text("one sign convention", "统一的符号约定")))
        f = self.flows
        rebuilt = f.ebitda + f.income_tax + f.capex + f.change_in_working_capital + f.terminal_value
        gap = float(np.max(np.abs(rebuilt - f.net_cash_flow)))
        checks.append(Check(Text("free cash flow = EBITDA + tax + capex + working capital + terminal value",
                                 "自由现金流 = EBITDA + 税金 + 资本性支出 + 营运资金变动 + 终值"),
                            gap <= 1e-6, Text(f"largest gap {gap:.3g} CNY", f"最大差额 {gap:.3g} 元")))
        return checks

    @property
    def ok(self) -> bool:
        """The master check: every integrity check passed."""
        return all(check.ok for check in self.checks)


def _with_running_totals(table: pd.DataFrame, factors: np.ndarray) -> pd.DataFrame:
    table["cumulative_net_cash_flow"] = table["net_cash_flow"].cumsum()
    table["discounted_net_cash_flow"] = table["net_cash_flow"] * factors
    table["cumulative_discounted_net_cash_flow"] = table["discounted_net_cash_flow"].cumsum()
    return table


def column_unit(name: str) -> str:
    """The unit of a cash-flow table column (money columns are CNY per period)."""
    return COLUMN_UNITS.get(name, "CNY")


def with_units(table: pd.DataFrame) -> pd.DataFrame:
    """The table with units in its header: ``net_cash_flow (CNY)``."""
    return table.rename(columns={c: f"{c} ({column_unit(c)})" if column_unit(c) else c for c in table.columns})


#: Why a metric is undefined (``Result.notes``), in both languages (the IRR's reasons: ``finance.irr_failure``).
NOTES = {
    "mirr": Text("the cash flows need both an outlay and a return", "现金流须既有投入又有回报"),
    "payback_months": Text("the cumulative cash flow does not reach zero within the horizon", "累计现金流在评估期内未回到零"),
    "discounted_payback_months": Text("the cumulative discounted cash flow does not reach zero within the horizon",
                                      "累计折现现金流在评估期内未回到零"),
    "ltv": Text("needs community users, and churn or a discount rate above zero", "需要有社群用户，且流失率或折现率大于零"),
    "cac": Text("nothing is spent on acquisition", "没有获客支出"),
    "ltv_cac": Text("LTV is undefined", "LTV 无定义"),
    "undefined": Text("undefined", "无定义"),
}


def evaluate(scenario: Scenario) -> Result:
    """Evaluate one scenario: simulate the flows, compute the metrics."""
    flows = simulate(scenario.values)
    metrics = {name: float(value[0]) for name, value in compute_metrics(flows, scenario.values).items()}
    net = flows.net_cash_flow[0]
    reasons = {  # why a metric is NaN, in both languages, worked out only when it is
        "irr": lambda: finance.irr_failure(net),
        "irr_annual": lambda: finance.irr_failure(annual_sums(net)[0]),
        "mirr": lambda: NOTES["mirr"],
        "payback_months": lambda: NOTES["payback_months"],
        "discounted_payback_months": lambda: NOTES["discounted_payback_months"],
        "ltv": lambda: NOTES["ltv"],
        "cac": lambda: NOTES["cac"],
        "ltv_cac": lambda: NOTES["cac"] if not np.isfinite(metrics["cac"]) else NOTES["ltv_cac"],
    }
    notes = {name: why() or NOTES["undefined"] for name, why in reasons.items() if not np.isfinite(metrics[name])}
    return Result(scenario, flows, metrics, notes)


__all__ = ["Result", "Check", "evaluate", "with_units", "column_unit"]
