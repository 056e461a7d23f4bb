"""Finance-grade economics: statements by hand, the free-cash-flow identity, neutral inputs, bad values.

The tiny case (1,000 users, 36 months, no discounting) is computed by hand below:
- sales 226元 a user-month including 13% VAT → 200,000 CNY net a month from month 7
  (go-live after 6 months); gross margin 40% → gross profit 80,000, cost of goods 120,000;
- VAT payable 13% × 80,000 = 10,400 a month; surcharges 12% of it = 1,248 a month;
- labour 600,000 a year; tech 120,000 capitalised over 3 years (3,333.33 a month from month
  1); content 12,000 expensed at month 0;
- working capital: receivables 36.5 days of revenue (1.2 months: 240,000), inventory 36.5
  days of cost of goods (144,000), payables 18.25 days (72,000): 312,000 from month 7,
  released in month 36;
- tax year 1 (months 0-12): EBITDA 6 × 80,000 − 600,000 − 6 × 1,248 = −127,488; EBIT
  −127,488 − 40,000 − 12,000 = −179,488, a loss carried forward. Year 2: EBITDA 345,024,
  EBIT 305,024, taxable 305,024 − 179,488 = 125,536, tax 31,384 in month 24. Year 3: EBIT
  305,024, tax 76,256 in month 36.
"""

from __future__ import annotations

import io
import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings, strategies as st

from model.apps.cli import main
from model.core.evaluation import evaluate
from model.core.tax import income_tax, tax_years
from model.inputs.errors import ScenarioError
from model.inputs.paths import ROOT
from model.inputs.scenario import load_scenario

FIXTURES = ROOT / "tests" / "fixtures"

TINY = """
description: the tiny hand-computed case
timeline: {horizon_months: 36, launch_delay_months: 6}
finance: {discount_rate_annual: 0%}
users: {initial: 1000}
revenue:
  basis: gross
  gross_margin: 40%
  community: {conversion: 100%, purchases_per_year: 12, aov: 226元}
investment: {tech: 120000, content: 12000}
operating_costs:
  labour: {fixed_yearly: 600000}
tax:
  income_tax_rate: 25%
  depreciation_years: 3
  capitalised: [tech]
  prices_include_vat: true
  vat_rate: 13%
  vat_surcharge_rate: 12%
working_capital: {receivable_days: 36.5, inventory_days: 36.5, payable_days: 18.25}
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiny") / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return evaluate(load_scenario(path))


class TestStatementsByHand:
    def test_monthly_lines_after_go_live(self, tiny):
        month = tiny.monthly.iloc[7]
        assert month["revenue"] == pytest.approx(200_000)
        assert month["cost_of_goods"] == pytest.approx(-120_000)
        assert month["gross_profit"] == pytest.approx(80_000)
        assert month["vat_surcharges"] == pytest.approx(-1_248)
        assert month["depreciation_amortisation"] == pytest.approx(-120_000 / 36)
        assert month["change_in_working_capital"] == pytest.approx(-312_000)
        assert tiny.monthly.iloc[6]["revenue"] == 0  # before go-live
        assert tiny.monthly.iloc[36]["change_in_working_capital"] == pytest.approx(312_000)  # released

    def test_annual_statement(self, tiny):
        annual = tiny.annual.set_index("year")
        assert list(annual["ebitda"]) == pytest.approx([0, -127_488, 345_024, 345_024])
        assert list(annual["depreciation_amortisation"]) == pytest.approx([-12_000, -40_000, -40_000, -40_000])
        assert list(annual["income_tax"]) == pytest.approx([0, 0, -31_384, -76_256])
        assert list(annual["capex"]) == pytest.approx([-132_000, 0, 0, 0])
        assert list(annual["change_in_working_capital"]) == pytest.approx([0, -312_000, 0, 312_000])
        assert list(annual["net_cash_flow"]) == pytest.approx([-132_000, -439_488, 313_640, 580_768])

    def test_tax_is_paid_in_the_last_month_of_each_year(self, tiny):
        paid = tiny.monthly["income_tax"]
        assert set(np.flatnonzero(paid.to_numpy())) == {24, 36}

    def test_metrics(self, tiny):
        m = tiny.metrics
        assert m["tax_paid"] == pytest.approx(31_384 + 76_256)
        assert m["npv_pre_tax"] == pytest.approx(-132_000 - 439_488 + 313_640 + 31_384 + 580_768 + 76_256)
        assert m["npv"] == pytest.approx(-132_000 - 439_488 + 313_640 + 580_768)
        assert m["npv_terminal_value"] == 0
        # lowest cumulative cash, month 7: investment, 6 months of labour before go-live, the working capital
        # built in month 7, less month 7's own cash (80,000 − 50,000 − 1,248)
        assert m["peak_funding_need"] == pytest.approx(132_000 + 6 * 50_000 + 312_000 - 28_752)
        assert m["peak_funding_month"] == 7


class TestTaxYears:
    def test_month_zero_opens_the_first_year_and_a_short_year_ends_the_horizon(self):
        assert tax_years(41) == [slice(0, 13), slice(13, 25), slice(25, 37), slice(37, 41)]
        assert tax_years(7) == [slice(0, 7)]

    def test_losses_expire_after_the_carry_forward(self):
        ebit = np.zeros((1, 12 * 8 + 1))
        ebit[0, 0] = -100.0  # a loss in year 1
        ebit[0, 12 * 7] = 100.0  # a profit in year 7: the loss (5 years) has expired
        assert income_tax(ebit, np.array([[0.25]]), 5).sum() == pytest.approx(-25.0)
        assert income_tax(ebit, np.array([[0.25]]), 6).sum() == pytest.approx(0.0)


class TestTerminalValue:
    def test_gordon_value_and_no_release(self, tmp_path):
        path = tmp_path / "tv.yaml"
        path.write_text(TINY.replace("discount_rate_annual: 0%", "discount_rate_annual: 10%")
                        + "terminal_value: {method: gordon, growth_yearly: 2%}\n", encoding="utf-8")
        result = evaluate(load_scenario(path))
        monthly = result.monthly
        fcf_before = (monthly["net_cash_flow"] - monthly["terminal_value"]).iloc[-12:].sum()
        assert monthly["terminal_value"].iloc[-1] == pytest.approx(fcf_before * 1.02 / (0.10 - 0.02))
        assert monthly["change_in_working_capital"].iloc[-1] == 0  # never released with a terminal value
        assert result.metrics["npv_terminal_value"] > 0


class TestFreeCashFlowIdentity:
    @settings(max_examples=40, deadline=None)
    @given(tax=st.floats(0, 0.4), vat=st.sampled_from([0.0, 0.06, 0.13]), days=st.floats(0, 90),
           attribution=st.floats(0, 1), ramp=st.floats(0, 12), coverage=st.floats(0.1, 1),
           tv=st.sampled_from(["none", "gordon"]), include=st.booleans())
    def test_net_is_ebitda_tax_capex_working_capital_terminal_value(self, tax, vat, days, attribution, ramp,
                                                                     coverage, tv, include):
        scenario = load_scenario(ROOT / "scenarios" / "base.yaml", {
            "tax.income_tax_rate": tax, "tax.vat_rate": vat, "tax.prices_include_vat": include,
            "working_capital.receivable_days": days, "working_capital.payable_days": days / 2,
            "revenue.attribution": attribution, "adoption.uplift_months": ramp,
            "adoption.coverage.rollout": coverage, "terminal_value.method": tv})
        f = evaluate(scenario).flows
        rebuilt = f.ebitda + f.income_tax + f.capex + f.change_in_working_capital + f.terminal_value
        assert np.allclose(rebuilt, f.net_cash_flow, rtol=0, atol=1e-6)
        assert (f.income_tax <= 0).all()

    def test_cashflows_csv_rows_add_up(self, capsys):
        assert main(["cashflows", str(ROOT / "scenarios" / "base.yaml"), "--csv", "-"]) == 0
        table = pd.read_csv(io.StringIO(capsys.readouterr().out))
        for column in ("ebitda (CNY)", "income_tax (CNY)", "capex (CNY)", "change_in_working_capital (CNY)"):
            assert column in table.columns
        rebuilt = table["ebitda (CNY)"] + table["income_tax (CNY)"] + table["capex (CNY)"] \
            + table["change_in_working_capital (CNY)"]
        assert np.allclose(rebuilt, table["net_cash_flow (CNY)"], rtol=0, atol=0.02)  # the CSV rounds to 0.01


BEFORE = json.loads((FIXTURES / "run_before_economics.json").read_text(encoding="utf-8"))
CHANGED_ON_PURPOSE = {"cac", "ltv_cac"}  # the new CAC definition (acquisition spend / new users)


@pytest.mark.parametrize("stem", sorted(BEFORE))
def test_neutral_new_inputs_give_the_numbers_from_before(stem):
    """The scenario files as they were before the new inputs (every new input at its neutral default)."""
    result = evaluate(load_scenario(FIXTURES / "scenarios_before_economics" / f"{stem}.yaml"))
    for name, before in BEFORE[stem].items():
        if name not in result.metrics or name in CHANGED_ON_PURPOSE:
            continue
        if name in ("irr", "mirr") and result.metrics["irr_ambiguous"]:
            continue  # several IRR roots: the selection changed on purpose (numpy-financial's current rule)
        now = result.metrics[name]
        if before is None:
            assert not math.isfinite(now), name
        else:
            assert now == pytest.approx(before, rel=1e-12, abs=1e-9), name


BAD = [
    ("working_capital: {receivable_days: -3}", "working_capital.receivable_days: must be between 0 and 365 (got -3)"),
    ("tax: {income_tax_rate: 1.5}", "tax.income_tax_rate: must be between 0 and 1 (0% to 100%); did you mean 1.5%? (got 1.5)"),
    ("tax: {vat_rate: 130%}", 'tax.vat_rate: must be between 0 and 1 (0% to 100%) (got "130%")'),
    ("tax: {depreciation_years: 0}", "tax.depreciation_years: must be between 1 and 50 (got 0)"),
    ("tax: {capitalised: [tech, servers]}",
     "tax.capitalised: must be a list of distinct names out of tech, labour, content (or []) (got a list of 2 items)"),
    ("revenue: {attribution: 120%}", 'revenue.attribution: must be between 0 and 1 (0% to 100%) (got "120%")'),
    ("adoption: {uplift_months: 40}", "adoption.uplift_months: must not be longer than the horizon (36 months) (got 40)"),
    ("adoption: {coverage: {pilot: 2}}", "adoption.coverage.pilot: must be between 0 and 1 (0% to 100%); did you mean 2%? (got 2)"),
    ("adoption: {uplift_shape: exponential}", 'adoption.uplift_shape: must be one of linear, s_curve (got "exponential")'),
    ("terminal_value: {method: gordon, growth_yearly: 9%}",
     'terminal_value.growth_yearly: must be below the discount rate (8.0% a year) for a Gordon terminal value (got "9.0%")'),
]


@pytest.mark.parametrize("text, message", BAD, ids=[m.split(":")[0] for _, m in BAD])
def test_bad_values_of_the_new_inputs(tmp_path, minimal_yaml, text, message):
    path = tmp_path / "bad.yaml"
    base = minimal_yaml.replace("revenue: {basis: incremental, gross_margin: 40%}\n", "") \
        if text.startswith("revenue") else minimal_yaml
    extra = text.replace("revenue: {", "revenue: {basis: incremental, gross_margin: 40%, ") \
        if text.startswith("revenue") else text
    path.write_text(base + extra + "\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}: {message}"]


def test_the_irr_rule_reads_the_mirr_where_the_flows_have_several_irrs(tiny):
    """Where flows change sign more than once the IRR is ambiguous: the verdict asks MIRR > the discount rate."""
    import dataclasses

    from model.core.verdict import decide
    from model.inputs.units import format_irr

    ambiguous = dataclasses.replace(tiny, metrics={**tiny.metrics, "irr_ambiguous": 1.0, "irr": 0.5, "mirr": -0.01})
    rule = decide(ambiguous).rules[1]
    assert (rule.key, rule.metric, rule.ok) == ("irr", "mirr", False)  # a 50% IRR does not pass on its own
    assert format_irr(0.5, -0.01, ambiguous=True) == "n.m. (MIRR -1.0% a year)"
    clear = dataclasses.replace(tiny, metrics={**tiny.metrics, "irr_ambiguous": 0.0, "irr": 0.5, "mirr": -0.01})
    assert decide(clear).rules[1].metric == "irr" and decide(clear).rules[1].ok
