"""Drivers → monthly cash flows, vectorised over trials.

Every line is an array of shape ``(trials, months + 1)``: month 0 is the investment
instant, months 1..H are end-of-month flows. The deterministic case is one trial; the
risk analysis passes drivers as arrays of shape ``(trials,)`` and gets every line for all
trials from the same code. Sign convention: benefits positive, costs and investment
negative. Money is CNY (yuan); the phase flags are 0/1 arrays multiplied in, never ``if``s
on dates.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Mapping

import numpy as np

from ..inputs.schema import COST_LINES as COST_LINE_REGISTRY, PHASES
from ..inputs.units import MONTHS_PER_YEAR

#: Cash-flow lines that are memo items (shown, never added to the net flow).
MEMO_LINES = ("users", "new_users", "churned_users", "community_revenue", "exclusive_premium",
              "baseline_revenue", "incremental_revenue", "counted_revenue")
BENEFIT_LINES = ("gross_profit", "word_of_mouth", "data_value", "other_indirect", "stated_benefit")
COST_LINES = tuple(c.line for c in COST_LINE_REGISTRY)


@dataclass
class Flows:
    """Every line of the model for a batch of trials, each (trials, months + 1)."""

    users: np.ndarray
    new_users: np.ndarray
    churned_users: np.ndarray
    community_revenue: np.ndarray
    exclusive_premium: np.ndarray
    baseline_revenue: np.ndarray
    incremental_revenue: np.ndarray
    counted_revenue: np.ndarray
    gross_profit: np.ndarray
    word_of_mouth: np.ndarray
    data_value: np.ndarray
    other_indirect: np.ndarray
    stated_benefit: np.ndarray
    investment_tech: np.ndarray
    investment_labour: np.ndarray
    investment_content: np.ndarray
    labour: np.ndarray
    activities: np.ndarray
    acquisition: np.ndarray
    tech_maintenance: np.ndarray
    other_costs: np.ndarray

    @property
    def total_benefit(self) -> np.ndarray:
        """All cash benefits, CNY per month (≥ 0)."""
        return sum(getattr(self, name) for name in BENEFIT_LINES)

    @property
    def total_cost(self) -> np.ndarray:
        """Investment and operating costs, CNY per month (≤ 0)."""
        return sum(getattr(self, name) for name in COST_LINES)

    @property
    def net_cash_flow(self) -> np.ndarray:
        """Benefits plus (negative) costs, CNY per month."""
        return self.total_benefit + self.total_cost

    @property
    def investment(self) -> np.ndarray:
        """Initial investment per trial, CNY (≤ 0; month 0 only)."""
        return (self.investment_tech + self.investment_labour + self.investment_content)[:, 0]

    def lines(self) -> dict[str, np.ndarray]:
        """Every line by name, memo lines first, then benefits, costs and the totals."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out.update(total_benefit=self.total_benefit, total_cost=self.total_cost, net_cash_flow=self.net_cash_flow)
        return out


class Drivers:
    """Scenario inputs as column arrays: scalars become (1, 1), per-trial arrays (T, 1)."""

    def __init__(self, values: Mapping[str, object]):
        self._values = values
        sizes = {np.size(v) for v in values.values() if isinstance(v, np.ndarray)}
        self.trials = max(sizes, default=1)

    def __getitem__(self, path: str) -> np.ndarray:
        value = self._values[path]
        return np.asarray(0.0 if value is None else value, dtype=float).reshape(-1, 1)

    def optional(self, path: str) -> np.ndarray | None:
        return None if self._values[path] is None else self[path]

    def text(self, path: str) -> str:
        return str(self._values[path])


def phase_flags(values: Mapping[str, object], months: np.ndarray) -> dict[str, np.ndarray]:
    """0/1 arrays (1, months) saying which phase each month is in; month 0 is in none."""
    ends = [int(values[f"timeline.phase_end_month.{phase}"]) for phase in PHASES[:-1]]
    starts = [1] + [end + 1 for end in ends]
    stops = ends + [months[-1]]
    return {phase: ((months >= start) & (months <= stop)).astype(float)[None, :]
            for phase, start, stop in zip(PHASES, starts, stops)}


def rate_by_phase(d: Drivers, flags: Mapping[str, np.ndarray], section: str) -> np.ndarray:
    """A monthly rate that changes by phase, (T, months): each month takes its phase's rate (month 0: none, 0).

    The phases are consecutive runs of months (:func:`phase_flags`), so each phase's rate is
    repeated over its months.
    """
    rates = [d[f"{section}.{phase}"] for phase in PHASES]
    by_phase = np.zeros((max(rate.shape[0] for rate in rates), 1 + len(PHASES)))  # column 0: month 0
    for column, rate in enumerate(rates, start=1):
        by_phase[:, column] = rate[:, 0]
    return np.repeat(by_phase, [1] + [int(flags[phase].sum()) for phase in PHASES], axis=1)


def user_counts(initial: np.ndarray, growth: np.ndarray, churn: np.ndarray, cap: np.ndarray | None):
    """Users at each month end, with new and churned users, each (T, months).

    users_m = min(cap, users_{m−1} × f_m) with f_m = 1 + growth_m − churn_m; month 0 holds the
    initial users. Solved without a loop over months: with P_m = f_1 × … × f_m,
    users_m = P_m × min(initial, min_{1≤k≤m} cap / P_k). New users are the growth plus what
    replaced churned users; churned users are users_{m−1} × churn_m.
    """
    factors = 1.0 + growth - churn  # f_m, then P_m in place
    factors[:, 0] = 1.0  # month 0 holds the initial users
    np.cumprod(factors, axis=1, out=factors)
    if cap is None:
        users = initial * factors
    else:
        with np.errstate(divide="ignore"):  # P_k = 0 after full churn: cap / 0 = inf, never the minimum
            room = cap / factors
        room[:, 0] = np.inf  # the initial users, even above the cap
        users = factors * np.minimum(initial, np.minimum.accumulate(room, axis=1))
    lost = np.empty_like(users)
    lost[:, 0] = 0.0
    np.multiply(users[:, :-1], churn[:, 1:], out=lost[:, 1:])
    new = np.empty_like(users)
    new[:, 0] = 0.0
    np.subtract(users[:, 1:], users[:, :-1], out=new[:, 1:])
    new[:, 1:] += lost[:, 1:]
    return users, new, lost


def monthly_sales(users: np.ndarray, conversion, purchases_per_year, aov) -> np.ndarray:
    """Users × conversion × purchases per month × average order value, CNY per month."""
    return users * (conversion * (purchases_per_year / MONTHS_PER_YEAR) * aov)


def cost_line(d: Drivers, section: str, users: np.ndarray) -> np.ndarray:
    """A fixed-plus-per-user operating cost line, CNY per month, ≥ 0 (sign applied later).

    ``users`` must be zero outside the operating months; month 0 of the result holds the fixed
    cost too, and is cleared when the line becomes a flow (``simulate``'s ``cost``).
    """
    return users * (d[f"{section}.per_user_yearly"] / MONTHS_PER_YEAR) + d[f"{section}.fixed_yearly"] / MONTHS_PER_YEAR


def simulate(values: Mapping[str, object]) -> Flows:
    """Every cash-flow line from the inputs of a scenario (``Scenario.values`` or per-trial arrays).

    Per-trial inputs are combined into per-trial coefficients before they meet a (trials ×
    months) array, so each line costs few passes over such arrays.
    """
    d = Drivers(values)
    horizon = int(values["timeline.horizon_months"])
    months = np.arange(horizon + 1, dtype=float)
    running = (months >= 1).astype(float)[None, :]  # operating months
    # share of each month after the launch: 0 before it (and in month 0), 1 after, a fraction in the launch month
    launched = np.clip(months[None, :] - d["timeline.launch_delay_months"], 0.0, 1.0)
    launched[:, 0] = 0.0
    flags = phase_flags(values, months)

    users, new_users, churned = user_counts(d["users.initial"], rate_by_phase(d, flags, "users.growth_monthly"),
                                            rate_by_phase(d, flags, "users.churn_monthly"), d.optional("users.cap"))
    users_running = users * running

    baseline = monthly_sales(users_running, d["revenue.baseline.conversion"],
                             d["revenue.baseline.purchases_per_year"], d["revenue.baseline.aov"])
    launched_sales = launched * monthly_sales(users_running, d["revenue.community.conversion"],
                                              d["revenue.community.purchases_per_year"], d["revenue.community.aov"])
    # community revenue starts at the launch; until then the same users buy only their baseline
    community = launched_sales
    premium = launched_sales * d["revenue.exclusive.share"] * d["revenue.exclusive.premium"]
    with_premium = community + premium
    incremental = with_premium - launched * baseline
    counted = incremental if d.text("revenue.basis") == "incremental" else with_premium

    def after_launch(monthly) -> np.ndarray:  # an amount per month, in the months after the launch
        return launched * monthly

    indirect_monthly = d["indirect.enabled"] / MONTHS_PER_YEAR  # 1/12 of each yearly indirect benefit when enabled
    saas, part_time = d["levers.saas_scrm.enabled"], d["levers.part_time_staff.enabled"]
    ai_service, lean_events = d["levers.ai_customer_service.enabled"], d["levers.lean_events.enabled"]

    staffing_ratio = d.optional("operating_costs.labour_staffing.users_per_operator")
    staffing = 0.0 if staffing_ratio is None else \
        users_running * (d["operating_costs.labour_staffing.operator_cost_yearly"] / MONTHS_PER_YEAR / staffing_ratio)
    labour = (cost_line(d, "operating_costs.labour", users_running) + staffing) \
        * (1.0 - part_time * d["levers.part_time_staff.labour_cut"])
    labour = np.maximum(labour - ai_service * d["levers.ai_customer_service.saving_yearly"] / MONTHS_PER_YEAR, 0.0)
    activities = cost_line(d, "operating_costs.activities", users_running) \
        * (1.0 - lean_events * d["levers.lean_events.activities_cut"])
    maintenance = cost_line(d, "operating_costs.tech_maintenance", users_running) \
        + saas * d["levers.saas_scrm.subscription_yearly"] / MONTHS_PER_YEAR

    def full(line) -> np.ndarray:  # every line (trials, months), as a read-only view
        if line.shape != (d.trials, horizon + 1):
            return np.broadcast_to(line, (d.trials, horizon + 1))
        view = line.view()
        view.flags.writeable = False
        return view

    # costs are written 0.0 − cost so that a zero cost is +0.0, never −0.0

    def cost(line) -> np.ndarray:  # an operating cost line as a flow: none in month 0, negative after
        line[:, 0] = 0.0
        return full(np.subtract(0.0, line, out=line))

    def investment(amount) -> np.ndarray:  # an amount spent at the investment instant (month 0) only
        line = np.zeros((amount.shape[0], horizon + 1))
        line[:, 0] = 0.0 - amount[:, 0]
        return full(line)

    return Flows(
        users=full(users), new_users=full(new_users), churned_users=full(churned),
        community_revenue=full(community), exclusive_premium=full(premium), baseline_revenue=full(baseline),
        incremental_revenue=full(incremental), counted_revenue=full(counted),
        gross_profit=full(counted * d["revenue.gross_margin"]),
        word_of_mouth=full(after_launch(indirect_monthly * d["indirect.word_of_mouth_yearly"])),
        data_value=full(after_launch(indirect_monthly * d["indirect.data_value_yearly"])),
        other_indirect=full(after_launch(indirect_monthly * d["indirect.other_yearly"])),
        stated_benefit=full(after_launch(d["revenue.stated_benefit_yearly"] / MONTHS_PER_YEAR)),
        investment_tech=investment(d["investment.tech"] * (1.0 - saas * d["levers.saas_scrm.tech_investment_cut"])),
        investment_labour=investment(d["investment.labour"]),
        investment_content=investment(d["investment.content"]),
        labour=cost(labour), activities=cost(activities),
        acquisition=cost(new_users * d["operating_costs.acquisition.per_new_user"]),
        tech_maintenance=cost(maintenance),
        other_costs=cost(cost_line(d, "operating_costs.other", users_running)),
    )
