"""The ``monthly`` sheet: every line of :func:`model.core.engine.simulate` as an Excel formula.

One row per month (0 = the investment instant, 1..H = end-of-month flows), one column per
line, in the engine's order: time and phase, users, revenue, benefits, investment, operating
costs, totals and the free cash flow, then discounting, running totals and the payback steps.
Each formula uses the named inputs of the ``inputs`` sheet and cells of the same or the
previous month, and does the engine's arithmetic in the engine's order, so that a
spreadsheet recalculation gives the model's numbers (tests/outputs/test_workbook_libreoffice.py
checks it in LibreOffice). Month 0 has its own formulas: the investment, the initial users,
and no operating flows. Users follow users_m = MIN(cap, users_(m−1) × (1 + growth_m − churn_m)),
row by row — the same numbers as the engine's vectorised :func:`~model.core.engine.user_counts`.

Baked in when the workbook is written (change them in the scenario and render again): the
horizon (the rows) and which investment lines are capitalised (``tax.capitalised``). Every
other input — phase ends, switches, the revenue basis, carry-forward years, one-off months —
stays live.
"""

from __future__ import annotations

import numpy as np

from ..core.engine import BENEFIT_LINES, COST_LINES, Drivers, phase_flags, rate_by_phase
from ..core.evaluation import Result
from ..core.tax import DAYS_PER_YEAR
from ..inputs.schema import INVESTMENT_LINES, PHASES, one_off_path
from .labels import LABELS
from .workbook_grid import Axis, Line, input_name, running_lines, running_values

SHEET = "monthly"
HEADER_ROWS = 2  # row 1: the line's key (as in the model's tables), row 2: its label and unit
TAX_SHEET_SPAN = "tax_taxable_profit"  # the defined name of the tax sheet's taxable-profit row

_ESCALATION = "(1+{})^MAX(INT(([month]-1)/12),0)"  # (1 + e)^(model year − 1)
_FLAG = "IF({},1,0)"  # a switch (TRUE/FALSE input) as 1/0


def _phase_pick(section: str) -> str:
    """The phase's value of a by-phase input in this month (pilot, rollout, optimisation, steady)."""
    return _by_phase([f"{input_name(section)}_{phase}" for phase in PHASES])


def _by_phase(choices: list[str]) -> str:
    """One of four values by the month's phase: month ≤ the pilot's end, ≤ the rollout's, ≤ the optimisation's,
    else steady."""
    ends = [f"[month]<=timeline_phase_end_month_{phase}" for phase in PHASES[:-1]]
    return f"IF({ends[0]},{choices[0]},IF({ends[1]},{choices[1]},IF({ends[2]},{choices[2]},{choices[3]})))"


def _cost_line(section: str) -> str:
    """A fixed-plus-per-user cost, CNY per month (≥ 0): users × per-user yearly / 12 + fixed yearly / 12."""
    s = input_name(section)
    return f"([users]*({s}_per_user_yearly/12)+{s}_fixed_yearly/12)"


def _sales(conversion: str, purchases: str, aov: str) -> str:
    """conversion × purchases per month × AOV (the engine's ``monthly_sales`` without the users)."""
    return f"({conversion}*({purchases}/12)*{aov})"


def _staffing() -> str:
    s = "operating_costs_labour_staffing_"
    per_operator = (f"IF(ISNUMBER({s}users_per_operator_mature),{s}users_per_operator+[steady]*"
                    f"({s}users_per_operator_mature-{s}users_per_operator),{s}users_per_operator)")
    return f"IF(ISNUMBER({s}users_per_operator),[users]*({s}operator_cost_yearly/12/{per_operator}),0)"


def one_off_names(values) -> list[str]:
    """The one-off costs of a scenario by NAME (``one_off_costs.NAME.amount``), in the model's order."""
    return [one_off_path(p)[0] for p in values if one_off_path(p) is not None and p.endswith(".amount")]


def monthly_lines(result: Result) -> list[Line]:
    """Every column of the monthly sheet as formula templates (see :mod:`.workbook_grid`)."""
    values = result.scenario.values
    horizon = int(values["timeline.horizon_months"])
    capitalised = set(values["tax.capitalised"])
    expensed = [c.line for c in INVESTMENT_LINES if c.key not in capitalised]
    life = "(tax_depreciation_years*12)"
    depreciation = "+".join(f"[{c.line}@0]/{life}" for c in INVESTMENT_LINES if c.key in capitalised)
    one_offs = "+".join(f"IF([month]={input_name(f'one_off_costs.{n}.month')},"
                        f"{input_name(f'one_off_costs.{n}.amount')},0)" for n in one_off_names(values))
    cap = "IF(ISNUMBER(users_cap),MIN(users_cap,{0}),{0})".format("[users-1]*(1+[growth]-[churn])")
    counted = ('IF(revenue_basis="incremental",[incremental_revenue],([community_revenue]+[exclusive_premium])'
               "-(1-revenue_attribution)*[uplift])/IF(tax_prices_include_vat,1+tax_vat_rate,1)")
    part_time, ai_service = _FLAG.format("levers_part_time_staff_enabled"), \
        _FLAG.format("levers_ai_customer_service_enabled")
    labour = (f"0-MAX(({_cost_line('operating_costs.labour')}+[staffing])"
              f"*(1-{part_time}*levers_part_time_staff_labour_cut)"
              f"-{ai_service}*levers_ai_customer_service_saving_yearly/12,0)*"
              + _ESCALATION.format("operating_costs_labour_escalation_yearly"))
    progress = ("IF(adoption_uplift_months=0,1,MAX(0,MIN(1,([month]-timeline_launch_delay_months)"
                "/adoption_uplift_months)))")
    share = ('IF(AND(adoption_uplift_months<>0,adoption_uplift_shape="s_curve"),'
             "[uplift_progress]*[uplift_progress]*(3-2*[uplift_progress]),[uplift_progress])")
    release = ('IF(AND([month]=timeline_horizon_months,working_capital_release_at_end,terminal_value_method<>"gordon"),'
               "[working_capital_balance],0)")
    gordon = (f'IF(terminal_value_method="gordon",SUM([fcf_before_terminal_value@{max(0, horizon - 11)}:{horizon}])'
              "*(1+terminal_value_growth_yearly)/(finance_discount_rate_annual-terminal_value_growth_yearly),0)")
    benefits = "+".join(f"[{k}]" for k in BENEFIT_LINES)
    costs = "+".join(f"[{k}]" for k in COST_LINES)

    def both(key, formula, unit="CNY", helper=False, label=""):
        return Line(key, label, unit, formula, formula, helper=helper)

    def later(key, formula, unit="CNY", helper=False, label="", first="0"):
        return Line(key, label, unit, first, formula, helper=helper)

    def indirect(key, path):
        return both(key, f"[launched]*(({_FLAG.format('indirect_enabled')}/12)*{path})")

    return [
        Line("month", "", "month", "0", "[month-1]+1"),
        both("year", "ROUNDUP([month]/12,0)", "year", True, "Year (year 0 = month 0, year k = months 12k−11..12k)"),
        both("tax_year", "MAX(1,ROUNDUP([month]/12,0))", "year", True, "Tax year (year 1 = months 0-12)"),
        both("phase", 'IF([month]=0,"investment",' + _by_phase([f'"{p}"' for p in PHASES]) + ")", "text",
             label="Phase"),
        later("steady", "IF([month]>timeline_phase_end_month_optimisation,1,0)", "flag", True, "Steady state (1/0)"),
        later("growth", _phase_pick("users.growth_monthly"), "fraction", True, "User growth, monthly"),
        later("churn", _phase_pick("users.churn_monthly"), "fraction", True, "User churn, monthly"),
        later("users", cap, "users", first="users_initial"),
        later("churned_users", "[users-1]*[churn]", "users"),
        later("new_users", "[users]-[users-1]+[churned_users]", "users"),
        later("coverage", _phase_pick("adoption.coverage"), "fraction", True, "Users inside the community"),
        later("launched", "MAX(0,MIN(1,[month]-timeline_launch_delay_months))", "fraction", True,
              "Share of the month after go-live"),
        both("uplift_progress", progress, "fraction", True, "Uplift ramp: time elapsed (0-1)"),
        both("uplift_share", share, "fraction", True, "Uplift ramp: share of the way to the community's values"),
        both("conversion", "revenue_community_conversion-(1-[uplift_share])*(revenue_community_conversion"
             "-revenue_baseline_conversion)", "fraction", True, "Conversion of covered users"),
        both("purchases", "revenue_community_purchases_per_year-(1-[uplift_share])*"
             "(revenue_community_purchases_per_year-revenue_baseline_purchases_per_year)", "number", True,
             "Purchases per buyer per year, covered users"),
        later("baseline_revenue", "[users]*" + _sales("revenue_baseline_conversion",
                                                       "revenue_baseline_purchases_per_year", "revenue_baseline_aov")),
        later("community_revenue", "[launched]*(([users]*[coverage])*"
              + _sales("[conversion]", "[purchases]", "revenue_community_aov") + ")"),
        both("exclusive_premium", "[community_revenue]*revenue_exclusive_share*revenue_exclusive_premium"),
        later("uplift", "([community_revenue]+[exclusive_premium])-[launched]*([coverage]*[baseline_revenue])",
              helper=True, label="Uplift over the covered users' baseline (CNY)"),
        both("incremental_revenue", "revenue_attribution*[uplift]"),
        both("counted_revenue", counted),
        both("gross_profit", "[counted_revenue]*revenue_gross_margin"),
        both("cost_of_goods", "[gross_profit]-[counted_revenue]"),
        indirect("word_of_mouth", "indirect_word_of_mouth_yearly"),
        indirect("data_value", "indirect_data_value_yearly"),
        indirect("other_indirect", "indirect_other_yearly"),
        both("stated_benefit", "[launched]*(revenue_stated_benefit_yearly/12)"),
        Line("investment_tech", "", "CNY", "0-investment_tech*(1-" + _FLAG.format("levers_saas_scrm_enabled")
             + "*levers_saas_scrm_tech_investment_cut)", "0"),
        Line("investment_labour", "", "CNY", "0-investment_labour", "0"),
        Line("investment_content", "", "CNY", "0-investment_content", "0"),
        later("staffing", _staffing(), helper=True, label="Operators by the staffing norm: cost (CNY, ≥ 0)"),
        later("labour", labour),
        later("activities", f"0-{_cost_line('operating_costs.activities')}*(1-"
              + _FLAG.format("levers_lean_events_enabled") + "*levers_lean_events_activities_cut)"),
        later("content_costs", f"0-{_cost_line('operating_costs.content')}"),
        later("acquisition", "0-[new_users]*operating_costs_acquisition_per_new_user*"
              + _ESCALATION.format("operating_costs_acquisition_escalation_yearly")),
        later("tech_maintenance", f"0-({_cost_line('operating_costs.tech_maintenance')}+"
              + _FLAG.format("levers_saas_scrm_enabled") + "*levers_saas_scrm_subscription_yearly/12)"),
        later("other_costs", f"0-{_cost_line('operating_costs.other')}"),
        later("one_off_costs", f"0-({one_offs})" if one_offs else "0"),
        later("vat_surcharges", "0-MAX([gross_profit]*tax_vat_rate*tax_vat_surcharge_rate,0)"),
        both("total_benefit", benefits),
        both("total_cost", costs),
        both("capex", "+".join(f"[{c.line}]" for c in INVESTMENT_LINES)),
        both("ebitda", "[total_benefit]+([total_cost]-[capex])"),
        Line("depreciation_amortisation", "", "CNY", "+".join(f"[{k}]" for k in expensed) or "0",
             f"IF([month]<={life},{depreciation},0)" if depreciation else "0"),
        both("ebit", "[ebitda]+[depreciation_amortisation]"),
        later("income_tax", "IF(OR([month]=timeline_horizon_months,MOD([month],12)=0),"
              f"0-INDEX({TAX_SHEET_SPAN},[tax_year])*tax_income_tax_rate,0)"),
        both("nopat", "[ebit]+[income_tax]"),
        later("working_capital_balance", f"(12/{DAYS_PER_YEAR:g})*([counted_revenue]*working_capital_receivable_days"
              "+(0-[cost_of_goods])*(working_capital_inventory_days-working_capital_payable_days))", helper=True,
              label="Working capital balance (CNY)"),
        later("change_in_working_capital", "[working_capital_balance-1]-[working_capital_balance]+" + release),
        both("fcf_before_terminal_value", "[total_benefit]+[total_cost]+[income_tax]+[change_in_working_capital]",
             helper=True, label="Free cash flow before terminal value (CNY)"),
        Line("terminal_value", "", "CNY", "0", "0", last=gordon),
        both("net_cash_flow", "[fcf_before_terminal_value]+[terminal_value]"),
        *running_lines("discount_rate_monthly", "month"),
    ]


def helper_values(result: Result) -> dict[str, np.ndarray]:
    """Cached values of the columns that are not in ``result.monthly`` (the same arithmetic, in numpy)."""
    values, monthly = result.scenario.values, result.monthly
    d = Drivers(values)
    months = monthly["month"].to_numpy(dtype=float)
    flags = phase_flags(values, months)
    delay, ramp = float(values["timeline.launch_delay_months"]), float(values["adoption.uplift_months"])
    launched = np.clip(months - delay, 0.0, 1.0)
    launched[0] = 0.0
    progress = np.ones_like(months) if ramp == 0 else np.clip((months - delay) / ramp, 0.0, 1.0)
    share = progress * progress * (3 - 2 * progress) if ramp != 0 and values["adoption.uplift_shape"] == "s_curve" \
        else progress

    def toward(kind: str) -> np.ndarray:
        community, baseline = (float(values[f"revenue.{w}.{kind}"]) for w in ("community", "baseline"))
        return community - (1 - share) * (community - baseline)

    users = monthly["users"].to_numpy() * (months >= 1)
    early = values["operating_costs.labour_staffing.users_per_operator"]
    mature = values["operating_costs.labour_staffing.users_per_operator_mature"]
    staffing = np.zeros_like(months)
    if early is not None:
        per_operator = early if mature is None else early + flags["steady"][0] * (mature - early)
        staffing = users * (values["operating_costs.labour_staffing.operator_cost_yearly"] / 12 / per_operator)
    coverage = rate_by_phase(d, flags, "adoption.coverage")[0]
    uplift = (monthly["community_revenue"] + monthly["exclusive_premium"]).to_numpy() \
        - launched * (coverage * monthly["baseline_revenue"].to_numpy())
    days = {k: float(values[f"working_capital.{k}_days"]) for k in ("receivable", "inventory", "payable")}
    cogs = 0 - monthly["cost_of_goods"].to_numpy()
    balance = (12 / DAYS_PER_YEAR) * (monthly["counted_revenue"].to_numpy() * days["receivable"]
                                      + cogs * (days["inventory"] - days["payable"]))
    balance[0] = 0.0
    before_terminal = (monthly["total_benefit"] + monthly["total_cost"] + monthly["income_tax"]
                       + monthly["change_in_working_capital"]).to_numpy()
    out = {
        "month": months, "year": np.ceil(months / 12), "tax_year": np.maximum(1, np.ceil(months / 12)),
        "steady": flags["steady"][0], "growth": rate_by_phase(d, flags, "users.growth_monthly")[0],
        "churn": rate_by_phase(d, flags, "users.churn_monthly")[0], "coverage": coverage, "launched": launched,
        "uplift_progress": progress, "uplift_share": share, "conversion": toward("conversion"),
        "purchases": toward("purchases_per_year"), "staffing": staffing, "uplift": uplift * (months >= 1),
        "working_capital_balance": balance, "fcf_before_terminal_value": before_terminal,
    }
    out["discount_factor"] = np.power(1.0 + result.rate_monthly, -months)
    out.update(running_values(monthly["net_cash_flow"].to_numpy(), out["discount_factor"], months))
    return out


def monthly_axis(lines: list[Line], horizon: int) -> Axis:
    return Axis(SHEET, [line.key for line in lines], horizon + 1, True, HEADER_ROWS, 0)


def line_label(line: Line) -> str:
    """The header of a column: its label and unit."""
    text = line.label or (LABELS[line.key]["en"] if line.key in LABELS else line.key)
    unit = {"CNY": "CNY", "users": "users"}.get(line.unit)
    return f"{text} ({unit})" if unit and "(" not in text else text


__all__ = ["SHEET", "HEADER_ROWS", "TAX_SHEET_SPAN", "monthly_lines", "helper_values", "monthly_axis", "line_label",
           "one_off_names"]
