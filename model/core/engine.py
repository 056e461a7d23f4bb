"""Drivers → monthly cash flows and statements, vectorised over trials.

Every line is an array of shape ``(trials, months + 1)``: month 0 is the investment
instant, months 1..H are end-of-month flows. The deterministic case is one trial; the
risk analysis passes drivers as arrays of shape ``(trials,)`` and gets every line for all
trials from the same code. Sign convention: benefits positive, costs, tax and investment
negative. Money is CNY (yuan); the phase flags are 0/1 arrays multiplied in, never ``if``s
on dates. One function per line group: users, revenue, operating costs, investment, tax,
working capital, terminal value. An input at its neutral value (coverage 100%, no ramp, no
tax, no working capital, attribution 100%) leaves its lines exactly as without it.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Mapping

import numpy as np

from ..inputs.schema import COST_LINES as COST_LINE_REGISTRY, INVESTMENT_LINES, PHASES, one_off_path
from ..inputs.units import MONTHS_PER_YEAR
from .tax import income_tax, working_capital_change

#: Cash-flow lines that are memo items (shown, never added to the net flow).
MEMO_LINES = ("users", "new_users", "churned_users", "community_revenue", "exclusive_premium",
              "baseline_revenue", "incremental_revenue", "counted_revenue")
BENEFIT_LINES = ("gross_profit", "word_of_mouth", "data_value", "other_indirect", "stated_benefit")
COST_LINES = tuple(c.line for c in COST_LINE_REGISTRY)
#: Lines of the free-cash-flow statement beside benefits and costs (income tax is not a cost line).
CASH_LINES = ("income_tax", "change_in_working_capital", "terminal_value")
#: Memo lines of the income statement (not flows of cash).
STATEMENT_MEMO_LINES = ("depreciation_amortisation",)


@dataclass
class Flows:
    """Every line of the model for a batch of trials, each (trials, months + 1), CNY per month."""

    users: np.ndarray
    new_users: np.ndarray
    churned_users: np.ndarray
    community_revenue: np.ndarray
    exclusive_premium: np.ndarray
    baseline_revenue: np.ndarray
    incremental_revenue: np.ndarray
    counted_revenue: np.ndarray  # revenue counted, net of VAT when prices include it
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
    content_costs: np.ndarray
    acquisition: np.ndarray
    tech_maintenance: np.ndarray
    other_costs: np.ndarray
    one_off_costs: np.ndarray  # one-off costs (fines, incidents), each in its month (≤ 0)
    vat_surcharges: np.ndarray
    income_tax: np.ndarray
    change_in_working_capital: np.ndarray
    terminal_value: np.ndarray
    depreciation_amortisation: np.ndarray  # memo: straight-line depreciation and expensed investment (≤ 0)

    @property
    def total_benefit(self) -> np.ndarray:
        """All cash benefits, CNY per month (≥ 0)."""
        return sum(getattr(self, name) for name in BENEFIT_LINES)

    @property
    def total_cost(self) -> np.ndarray:
        """Investment and operating costs, CNY per month (≤ 0); income tax is not among them."""
        return sum(getattr(self, name) for name in COST_LINES)

    @property
    def capex(self) -> np.ndarray:
        """The initial investment as a cash flow, CNY per month (≤ 0; month 0 only)."""
        return sum(getattr(self, c.line) for c in INVESTMENT_LINES)

    @property
    def ebitda(self) -> np.ndarray:
        """Benefits less operating costs (before investment, depreciation and tax), CNY per month."""
        return self.total_benefit + (self.total_cost - self.capex)

    @property
    def net_cash_flow(self) -> np.ndarray:
        """Free cash flow, CNY per month: EBITDA + income tax + capex + change in working capital
        (+ terminal value). NPV, IRR and payback use it."""
        return self.total_benefit + self.total_cost + self.income_tax + self.change_in_working_capital \
            + self.terminal_value

    @property
    def investment(self) -> np.ndarray:
        """Initial investment per trial, CNY (≤ 0; month 0 only)."""
        return self.capex[:, 0]

    def statement(self) -> dict[str, np.ndarray]:
        """The income statement and free-cash-flow lines, CNY per month, in finance order.

        revenue (net of VAT) − cost of goods = gross profit; + other benefits − operating costs
        = EBITDA; − depreciation and amortisation = EBIT; − income tax = NOPAT. Free cash flow
        = EBITDA + income tax + capex + change in working capital + terminal value.
        """
        ebitda = self.ebitda
        ebit = ebitda + self.depreciation_amortisation
        return {
            "revenue": self.counted_revenue,
            "cost_of_goods": self.gross_profit - self.counted_revenue,
            "ebitda": ebitda,
            "ebit": ebit,
            "nopat": ebit + self.income_tax,
            "capex": self.capex,
        }

    def lines(self) -> dict[str, np.ndarray]:
        """Every line by name: memo lines, benefits, costs, cash lines, the totals, then the statement."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out.update(total_benefit=self.total_benefit, total_cost=self.total_cost, net_cash_flow=self.net_cash_flow)
        out.update(self.statement())
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

    def raw(self, path: str) -> object:
        return self._values[path]

    def is_zero(self, path: str) -> bool:
        """True when the input is 0 (or unset) in every trial: its line can be skipped."""
        value = self._values[path]
        return value is None or not np.any(value)

    def is_one(self, path: str) -> bool:
        """True when the input is 1 in every trial."""
        return bool(np.all(np.asarray(self._values[path]) == 1.0))


def phase_flags(values: Mapping[str, object], months: np.ndarray) -> dict[str, np.ndarray]:
    """0/1 arrays (1, months) saying which phase each month is in; month 0 is in none."""
    ends = [int(values[f"timeline.phase_end_month.{phase}"]) for phase in PHASES[:-1]]
    starts = [1] + [end + 1 for end in ends]
    stops = ends + [months[-1]]
    return {phase: ((months >= start) & (months <= stop)).astype(float)[None, :]
            for phase, start, stop in zip(PHASES, starts, stops)}


def rate_by_phase(d: Drivers, flags: Mapping[str, np.ndarray], section: str) -> np.ndarray:
    """A rate that changes by phase, (T, months): each month takes its phase's rate (month 0: none, 0).

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


def escalation(d: Drivers, path: str, months: np.ndarray) -> np.ndarray | float:
    """(1 + e)^(model year − 1) per month for a yearly escalation ``e`` (months 1-12: 1), or 1.0 when e = 0."""
    if d.is_zero(path):
        return 1.0
    years_passed = np.maximum(np.floor((months - 1.0) / MONTHS_PER_YEAR), 0.0)[None, :]
    return np.power(1.0 + d[path], years_passed)


def uplift_share(d: Drivers, months: np.ndarray) -> np.ndarray | float:
    """How far conversion and frequency have moved from the baseline to the community's values, 0..1."""
    if d.is_zero("adoption.uplift_months"):
        return 1.0
    since = np.clip((months[None, :] - d["timeline.launch_delay_months"]) / d["adoption.uplift_months"], 0.0, 1.0)
    return since * since * (3.0 - 2.0 * since) if d.raw("adoption.uplift_shape") == "s_curve" else since


def toward(community: np.ndarray, baseline: np.ndarray, share) -> np.ndarray:
    """A value ``share`` of the way from ``baseline`` to ``community`` (exactly ``community`` at share 1)."""
    return community if isinstance(share, float) else community - (1.0 - share) * (community - baseline)


def cost_line(d: Drivers, section: str, users: np.ndarray) -> np.ndarray:
    """A fixed-plus-per-user operating cost line, CNY per month, ≥ 0 (sign applied later).

    ``users`` must be zero outside the operating months; month 0 of the result holds the fixed
    cost too, and is cleared when the line becomes a flow (``simulate``'s ``cost``).
    """
    return users * (d[f"{section}.per_user_yearly"] / MONTHS_PER_YEAR) + d[f"{section}.fixed_yearly"] / MONTHS_PER_YEAR


def staffing_cost(d: Drivers, users: np.ndarray, flags: Mapping[str, np.ndarray]) -> np.ndarray | float:
    """Operators by the staffing norm (users per operator, early phases then steady state) × their cost, CNY/month."""
    early = d.optional("operating_costs.labour_staffing.users_per_operator")
    if early is None:
        return 0.0
    mature = d.optional("operating_costs.labour_staffing.users_per_operator_mature")
    per_operator = early if mature is None else early + flags["steady"] * (mature - early)
    return users * (d["operating_costs.labour_staffing.operator_cost_yearly"] / MONTHS_PER_YEAR / per_operator)


def depreciation(d: Drivers, investment: Mapping[str, np.ndarray], months: np.ndarray) -> np.ndarray:
    """Depreciation and amortisation, CNY per month (≤ 0): capitalised lines straight-line from month 1
    over ``tax.depreciation_years``; the other investment lines expensed at month 0."""
    capitalised = set(d.raw("tax.capitalised"))
    life = d["tax.depreciation_years"] * MONTHS_PER_YEAR
    in_life = (months[None, :] >= 1) & (months[None, :] <= life)
    out = np.zeros((d.trials, months.size))
    for c in INVESTMENT_LINES:
        amount = investment[c.line][:, :1]  # ≤ 0, month 0
        if c.key in capitalised:
            out += in_life * (amount / life)
        else:
            out[:, :1] += amount
    return out


def one_off_costs(d: Drivers, values: Mapping[str, object], shape: tuple[int, int]) -> np.ndarray | None:
    """The one-off costs, CNY per month (≥ 0, sign applied later): every ``one_off_costs.NAME.amount``
    in its month ``one_off_costs.NAME.month``; None when there are none or all are 0.

    A month beyond the horizon (the scenario allows none) falls outside the evaluated months.
    """
    amounts = [p for p in values if one_off_path(p) is not None and p.endswith(".amount") and not d.is_zero(p)]
    if not amounts:
        return None
    line = np.zeros((d.trials, shape[1]))
    for path in amounts:
        month = int(values[path[:-len("amount")] + "month"])
        if 1 <= month < shape[1]:
            line[:, month] += d[path][:, 0]
    return line


def simulate(values: Mapping[str, object]) -> Flows:
    """Every cash-flow line from the inputs of a scenario (``Scenario.values`` or per-trial arrays).

    Per-trial inputs are combined into per-trial coefficients before they meet a (trials ×
    months) array, so each line costs few passes over such arrays.
    """
    d = Drivers(values)
    horizon = int(values["timeline.horizon_months"])
    months = np.arange(horizon + 1, dtype=float)
    shape = (d.trials, horizon + 1)
    running = (months >= 1).astype(float)[None, :]  # operating months
    # share of each month after the launch: 0 before it (and in month 0), 1 after, a fraction in the launch month
    launched = np.clip(months[None, :] - d["timeline.launch_delay_months"], 0.0, 1.0)
    launched[:, 0] = 0.0
    flags = phase_flags(values, months)
    zero = np.broadcast_to(0.0, shape)

    def full(line) -> np.ndarray:  # every line (trials, months), as a read-only view
        if np.shape(line) != shape:
            return np.broadcast_to(line, shape)
        view = line.view()
        view.flags.writeable = False
        return view

    # costs are written 0.0 − cost so that a zero cost is +0.0, never −0.0

    def cost(line) -> np.ndarray:  # an operating cost line as a flow: none in month 0, negative after
        line = np.array(np.broadcast_to(line, shape), dtype=float)
        line[:, 0] = 0.0
        return full(np.subtract(0.0, line, out=line))

    def investment(amount) -> np.ndarray:  # an amount spent at the investment instant (month 0) only
        line = np.zeros((amount.shape[0], horizon + 1))
        line[:, 0] = 0.0 - amount[:, 0]
        return full(line)

    # --- users
    users, new_users, churned = user_counts(d["users.initial"], rate_by_phase(d, flags, "users.growth_monthly"),
                                            rate_by_phase(d, flags, "users.churn_monthly"), d.optional("users.cap"))
    users_running = users * running

    # --- revenue: covered users buy at the community's rates (ramping up after go-live), the rest at the baseline
    baseline = monthly_sales(users_running, d["revenue.baseline.conversion"],
                             d["revenue.baseline.purchases_per_year"], d["revenue.baseline.aov"])
    coverage = 1.0 if all(d.is_one(f"adoption.coverage.{p}") for p in PHASES) \
        else rate_by_phase(d, flags, "adoption.coverage")
    covered = users_running * coverage
    ramp = uplift_share(d, months)
    conversion = toward(d["revenue.community.conversion"], d["revenue.baseline.conversion"], ramp)
    purchases = toward(d["revenue.community.purchases_per_year"], d["revenue.baseline.purchases_per_year"], ramp)
    launched_sales = launched * monthly_sales(covered, conversion, purchases, d["revenue.community.aov"])
    # community revenue starts at the launch; until then the same users buy only their baseline
    community = launched_sales
    premium = launched_sales * d["revenue.exclusive.share"] * d["revenue.exclusive.premium"]
    with_premium = community + premium
    uplift = with_premium - launched * (coverage * baseline)
    attribution = d["revenue.attribution"]
    incremental = attribution * uplift
    counted = incremental if d.raw("revenue.basis") == "incremental" else with_premium - (1.0 - attribution) * uplift
    counted_net = counted / (1.0 + d["tax.vat_rate"]) if d.raw("tax.prices_include_vat") else counted
    gross_profit = counted_net * d["revenue.gross_margin"]

    def after_launch(monthly) -> np.ndarray:  # an amount per month, in the months after the launch
        return launched * monthly

    indirect_monthly = d["indirect.enabled"] / MONTHS_PER_YEAR  # 1/12 of each yearly indirect benefit when enabled

    # --- operating costs
    saas, part_time = d["levers.saas_scrm.enabled"], d["levers.part_time_staff.enabled"]
    ai_service, lean_events = d["levers.ai_customer_service.enabled"], d["levers.lean_events.enabled"]
    labour = (cost_line(d, "operating_costs.labour", users_running) + staffing_cost(d, users_running, flags)) \
        * (1.0 - part_time * d["levers.part_time_staff.labour_cut"])
    labour = np.maximum(labour - ai_service * d["levers.ai_customer_service.saving_yearly"] / MONTHS_PER_YEAR, 0.0) \
        * escalation(d, "operating_costs.labour.escalation_yearly", months)
    activities = cost_line(d, "operating_costs.activities", users_running) \
        * (1.0 - lean_events * d["levers.lean_events.activities_cut"])
    maintenance = cost_line(d, "operating_costs.tech_maintenance", users_running) \
        + saas * d["levers.saas_scrm.subscription_yearly"] / MONTHS_PER_YEAR
    acquisition = new_users * d["operating_costs.acquisition.per_new_user"] \
        * escalation(d, "operating_costs.acquisition.escalation_yearly", months)
    # VAT payable = VAT on revenue − VAT on cost of goods = rate × gross profit (net of VAT); surcharges are a cost
    surcharges = zero if d.is_zero("tax.vat_rate") else \
        cost(np.maximum(gross_profit * d["tax.vat_rate"] * d["tax.vat_surcharge_rate"], 0.0))

    one_off = one_off_costs(d, values, shape)

    invested = {"investment_tech": investment(d["investment.tech"]
                                              * (1.0 - saas * d["levers.saas_scrm.tech_investment_cut"])),
                "investment_labour": investment(d["investment.labour"]),
                "investment_content": investment(d["investment.content"])}
    flows = Flows(
        users=full(users), new_users=full(new_users), churned_users=full(churned),
        community_revenue=full(community), exclusive_premium=full(premium), baseline_revenue=full(baseline),
        incremental_revenue=full(incremental), counted_revenue=full(counted_net),
        gross_profit=full(gross_profit),
        word_of_mouth=full(after_launch(indirect_monthly * d["indirect.word_of_mouth_yearly"])),
        data_value=full(after_launch(indirect_monthly * d["indirect.data_value_yearly"])),
        other_indirect=full(after_launch(indirect_monthly * d["indirect.other_yearly"])),
        stated_benefit=full(after_launch(d["revenue.stated_benefit_yearly"] / MONTHS_PER_YEAR)),
        **invested,
        labour=cost(labour), activities=cost(activities),
        content_costs=cost(cost_line(d, "operating_costs.content", users_running)),
        acquisition=cost(acquisition),
        tech_maintenance=cost(maintenance),
        other_costs=cost(cost_line(d, "operating_costs.other", users_running)),
        one_off_costs=zero if one_off is None else cost(one_off),
        vat_surcharges=surcharges,
        income_tax=zero, change_in_working_capital=zero, terminal_value=zero,
        depreciation_amortisation=full(depreciation(d, invested, months)),
    )
    if not d.is_zero("tax.income_tax_rate"):
        flows.income_tax = full(income_tax(flows.ebitda + flows.depreciation_amortisation, d["tax.income_tax_rate"],
                                           int(d.raw("tax.loss_carryforward_years"))))
    days = {k: d[f"working_capital.{k}_days"] for k in ("receivable", "inventory", "payable")}
    terminal = d.raw("terminal_value.method") == "gordon"
    if not all(d.is_zero(f"working_capital.{k}_days") for k in days):
        flows.change_in_working_capital = full(working_capital_change(
            flows.counted_revenue, flows.gross_profit - flows.counted_revenue, days,
            release=bool(d.raw("working_capital.release_at_end")) and not terminal))
    if terminal:
        flows.terminal_value = full(gordon_value(flows.net_cash_flow, d["finance.discount_rate_annual"],
                                                 d["terminal_value.growth_yearly"]))
    return flows


def gordon_value(net: np.ndarray, rate_annual: np.ndarray, growth_yearly: np.ndarray) -> np.ndarray:
    """The terminal value in the last month, CNY: the last 12 months' free cash flow × (1 + g) / (r − g).

    ``rate_annual`` is the (nominal) discount rate and ``growth_yearly`` the growth after the
    horizon, both annual fractions with r > g (the scenario checks it).
    """
    last_year = net[:, -MONTHS_PER_YEAR:].sum(axis=1, keepdims=True)
    line = np.zeros_like(net)
    line[:, -1:] = last_year * (1.0 + growth_yearly) / (rate_annual - growth_yearly)
    return line
