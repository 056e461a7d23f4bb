"""The report's building blocks: verdict, tables, conventions, scorecard, charts, workbook, index.

Fast tests: no kernel is started here (see test_render.py for the notebook and the batch).
"""

from __future__ import annotations

import io
import math
import os
import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import numpy_financial as npf  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from model.apps import cli  # noqa: E402
from model.outputs import plots, render, report, tables  # noqa: E402
from model.core.evaluation import evaluate  # noqa: E402
from model.core.metrics import METRIC_UNITS  # noqa: E402
from model.outputs.labels import LABELS, label  # noqa: E402
from model.inputs.scenario import load_scenario  # noqa: E402
from model.audit.scorecard import TARGETS, scorecard  # noqa: E402
from model.outputs.workbook import SHEETS as WORKBOOK_SHEETS, write_workbook  # noqa: E402

from model.inputs.paths import SCENARIOS  # noqa: E402
from conftest import FEASIBLE_BASE as FEASIBLE  # noqa: E402


@pytest.fixture(scope="module")
def base():
    """A feasible plan with every revenue line: the base plan before the finance-grade economics."""
    return evaluate(load_scenario(FEASIBLE))


@pytest.fixture(scope="module")
def launch():
    return evaluate(load_scenario(SCENARIOS / "short_term_launch.yaml"))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


class TestVerdict:
    def test_base_plan_is_feasible_on_all_three_rules(self, base):
        verdict = report.verdict(base)
        assert verdict.feasible and verdict.failed == []
        assert [rule.ok for rule in verdict.rules] == [True, True, True]

    def test_short_launch_fails_every_rule(self, launch):
        verdict = report.verdict(launch)
        assert not verdict.feasible
        assert verdict.failed == [label("rule_npv"), label("rule_irr"), label("rule_payback")]

    def test_payback_beyond_the_target_alone_makes_it_not_feasible(self, base):
        strict = evaluate(base.scenario.with_overrides({"finance.payback_target_months": 0.5}))
        verdict = report.verdict(strict)
        assert strict.metrics["npv"] > 0 and strict.metrics["payback_months"] > 0.5
        assert not verdict.feasible and verdict.failed == [label("rule_payback")]

    def test_shows_the_npv_the_model_computes(self, base):
        page = report.verdict(base)._repr_html_()
        assert report.format_metric("npv", base.metrics["npv"]) in page
        assert f"{base.metrics['npv'] / 1e4:,.1f} 万元" in page
        assert label("feasible") in page and report.escape(label("decision_rule")) in page

    def test_chinese_verdict(self, launch):
        page = report.verdict(launch, "zh")._repr_html_()
        assert "不可行" in page and "判定规则" in page


class TestFormatting:
    def test_money_in_wan(self):
        assert report.money(3.5e6) == "350.0 万元"
        assert report.money(float("nan")) == "–"

    def test_rates_say_their_period(self):
        assert report.format_metric("irr", 0.45) == "45.0% a year"
        assert report.format_metric("irr", 0.45, "zh") == "45.0%/年"
        assert report.format_metric("irr", 2663.0) == "> 10,000% a year"

    def test_months_and_ratios(self):
        assert report.format_metric("payback_months", 2.54) == "2.5 months"
        assert report.format_metric("payback_months", 2.54, "zh") == "2.5 个月"
        assert report.format_metric("ltv_cac", 3.14159) == "3.14"
        assert report.format_metric("cac", 627.4) == "627 元/user"

    def test_unknown_language_is_refused(self, base):
        with pytest.raises(ValueError, match="language must be one of zh, en"):
            report.verdict(base, "fr")

    def test_every_label_has_english_and_chinese(self):
        missing = [key for key, texts in LABELS.items() if not texts.get("en") or not texts.get("zh")]
        assert missing == []


class TestTables:
    def test_assumptions_show_value_unit_source_and_basis(self, base):
        frame = report.assumptions_table(base).frame.set_index("Input")
        assert frame.loc["investment.tech", "Value"] == "150.0"  # as set, at least one decimal
        assert frame.loc["investment.tech", "Unit"] == "万元"
        assert frame.loc["investment.tech", "Source"] == "001 §5.1.1 (250-350万, tech 50%)"
        assert frame.loc["investment.tech", "Basis"] == "derived"
        assert frame.loc["revenue.community.aov", "Unit"] == "元/order"
        assert frame.loc["revenue.community.conversion", "Value"] == "7.5%"
        assert frame.loc["revenue.community.aov", "Value"] == "150.0"
        assert frame.loc["revenue.gross_margin", "Basis"] == "ours"
        assert "name" not in frame.index and "description" not in frame.index
        assert "indirect.other_yearly" not in frame.index  # left at the zero default: counted in the note

    def test_ours_lists_only_our_assumptions(self, base):
        frame = report.assumptions_table(base, only_ours=True).frame
        stated = base.scenario.assumptions
        assert set(frame["Basis"]) <= {label("basis_ours"), label("basis_default")}
        assert "revenue.gross_margin" in set(frame["Input"])
        assert all(stated[path].basis in ("ours", "default") for path in frame["Input"])

    def test_investment_split_adds_up(self, base):
        frame = tables.investment_table(base).frame
        assert list(frame.columns)[1] == "Value (万元)"
        assert list(frame.iloc[:, 1]) == ["150.0", "105.0", "45.0", "300.0"]  # one decimal, one unit
        assert list(frame.iloc[:, 2]) == ["50.0%", "35.0%", "15.0%", "100.0%"]

    def test_operating_costs_by_year_are_the_annual_table(self, base):
        frame = tables.operating_costs_table(base).frame.set_index("Item")
        labour = -base.annual["labour"].iloc[1:]
        assert frame.loc["Labour", "Unit"] == "万元"  # the row's largest amount is below 1亿
        assert list(frame.loc["Labour"].iloc[1:4]) == [f"{v / 1e4:,.1f}" for v in labour]  # one decimal
        assert frame.loc["Labour", "Total"] == f"{labour.sum() / 1e4:,.1f}"
        assert "User acquisition" not in frame.index  # zero throughout: left out

    def test_revenue_separates_community_baseline_and_increment(self, base):
        table = tables.revenue_table(base)
        frame = table.frame.set_index("Item")
        totals = base.monthly[["community_revenue", "baseline_revenue", "incremental_revenue",
                               "exclusive_premium"]].sum()
        yi = {name: f"{total / 1e8:,.2f}" for name, total in totals.items()}  # rows reaching 1亿: 亿元, 2 decimals
        assert frame.loc["Community revenue", "Total"] == yi["community_revenue"]
        assert frame.loc["Baseline revenue (without the community)", "Total"] == yi["baseline_revenue"]
        assert frame.loc["Incremental revenue", "Total"] == yi["incremental_revenue"]
        assert (frame.loc["Community revenue", "Unit"], frame.loc["Exclusive-product premium", "Unit"]) == ("亿元", "万元")
        assert frame.loc["Exclusive-product premium", "Total"] == f"{totals['exclusive_premium'] / 1e4:,.1f}"
        assert "incremental" in table.note and "40%" in table.note

    def test_monthly_cash_flow_has_every_month(self, base):
        frame = tables.cash_flow_table(base, "monthly").frame
        assert len(frame) == 37
        net = frame["Net cash flow (万元)"]
        assert list(net) == [f"{v / 1e4:,.1f}" for v in base.monthly["net_cash_flow"]]
        cumulative = frame["Cumulative net cash flow (亿元)"]  # a column reaching 1亿 is in 亿元
        assert list(cumulative) == [f"{v / 1e8:,.2f}" for v in base.monthly["cumulative_net_cash_flow"]]

    def test_returns_in_both_conventions(self, base):
        frame = report.returns_table(base).frame.set_index("Metric")
        annual = base.annual["net_cash_flow"].to_numpy()
        rate = base.scenario["finance.discount_rate_annual"]
        assert frame.loc["NPV", "Ours: monthly flows"] == f"{base.metrics['npv'] / 1e4:,.1f} 万元"
        assert frame.loc["NPV", "The study's: annual flows"] == f"{npf.npv(rate, annual) / 1e4:,.1f} 万元"
        assert frame.loc["MIRR", "The study's: annual flows"] == f"{npf.mirr(annual, rate, rate) * 100:,.1f}% a year"

    def test_numbers_right_text_left(self, base):
        page = tables.investment_table(base)._repr_html_()
        assert '<th class="text">Item</th>' in page and '<td class="num">150.0</td>' in page

    def test_scenario_text_is_escaped(self, base):
        hostile = base.scenario.with_overrides({"name": "<script>alert('x')</script>",
                                                "description": "a <b>bold</b> & \"quoted\" plan"})
        result = evaluate(hostile)
        page = report.title(result)._repr_html_()
        assert "<script>" not in page and "&lt;script&gt;" in page
        assert "<b>" not in page and "&amp;" in page
        notes = report.assumptions_table(result)._repr_html_()
        assert "<script>" not in notes


class TestStudyConvention:
    """The annual side of the returns table, against numpy-financial on the annual flows."""

    def test_npv_irr_mirr_match_numpy_financial(self, base):
        flows = base.annual["net_cash_flow"].to_numpy()
        study = base.metrics_annual
        assert study["npv"] == pytest.approx(npf.npv(0.08, flows), rel=1e-9)
        assert study["irr"] == pytest.approx(npf.irr(flows), rel=1e-6)
        assert study["mirr"] == pytest.approx(npf.mirr(flows, 0.08, 0.08), rel=1e-9)

    def test_payback_in_months_from_whole_years(self, base):
        flows = base.annual["net_cash_flow"].to_numpy()
        # the investment is repaid within year 1: payback = 12 × outlay / year-1 net flow
        assert base.metrics_annual["payback_months"] == pytest.approx(12 * -flows[0] / flows[1])

    def test_roi_and_cac_do_not_depend_on_the_period(self, base):
        study = base.metrics_annual
        assert study["roi"] == pytest.approx(base.metrics["roi"], rel=1e-12)  # summed by year: the last bit may differ
        assert study["cost_per_user"] == pytest.approx(base.metrics["cost_per_user"], rel=1e-12)


class TestScorecard:
    def test_measures(self, base):
        scores = {s.target.key: s for s in scorecard(base)}
        monthly = base.monthly
        assert scores["kpi_new_users"].value == pytest.approx(monthly["new_users"].iloc[1:].mean())
        assert scores["kpi_new_users"].met is True  # 37,301 a month on average
        assert scores["kpi_retention"].value == pytest.approx(0.98)  # 2% churn a month in every phase
        assert scores["kpi_conversion"].value == 0.075 and not scores["kpi_conversion"].met
        assert scores["kpi_aov"].value == pytest.approx(150 / 120 - 1)
        assert scores["kpi_roi"].value == base.metrics["roi"]  # the one ROI definition

    def test_targets_without_a_measure_are_left_out(self, base, launch):
        assert "kpi_market_share" not in {s.target.key for s in scorecard(base)}  # no market size
        assert "kpi_gmv_growth" not in {s.target.key for s in scorecard(launch)}  # under two full years
        sized = evaluate(base.scenario.with_overrides({"users.market_size": 4_000_000}))
        share = {s.target.key: s for s in scorecard(sized)}["kpi_market_share"]
        assert share.value == pytest.approx(sized.monthly["users"].iloc[-1] / 4_000_000)

    def test_every_target_names_its_source(self):
        assert all(t.source.startswith(("001 §", "000 §")) for t in TARGETS)

    def test_table_lists_targets_and_what_is_not_modelled(self, base):
        table = report.scorecard_table(base)
        assert list(table.frame["Target"])[:2] == ["≥ 20,000", "≥ 60.0%"]
        assert "satisfaction" in table.note


class TestCharts:
    CHARTS = (plots.cumulative_cash_chart, plots.benefit_cost_chart, plots.cost_chart, plots.revenue_chart,
              plots.users_chart)

    @pytest.mark.parametrize("chart", CHARTS, ids=lambda c: c.__name__)
    def test_titled_and_labelled_with_units(self, base, chart):
        ax = chart(base)
        assert ax.get_title().endswith(base.scenario.name)
        assert ax.get_xlabel() in ("Month", "Year")
        assert ax.get_ylabel() in ("CNY, in 万元", "CNY, in 亿元", "CNY per month, in 万元", "CNY per year, in 万元",
                                   "CNY per year, in 亿元", "Community users")

    def test_amounts_from_one_yi_are_drawn_in_yi(self, base):
        """The cumulative cash of this plan passes 1亿: its axis is in 亿元, and the curve ends at the table's figure."""
        ax = plots.cumulative_cash_chart(base)
        final = base.monthly["cumulative_net_cash_flow"].iloc[-1]
        assert abs(final) >= 1e8 and ax.get_ylabel() == "CNY, in 亿元"
        assert ax.get_lines()[0].get_ydata()[-1] == pytest.approx(final / 1e8)
        assert plots.revenue_chart(base).get_ylabel() == "CNY per month, in 万元"  # monthly revenue stays below 1亿

    def test_payback_month_is_marked(self, base):
        ax = plots.cumulative_cash_chart(base)
        marks = [line for line in ax.get_lines() if line.get_label().startswith("Payback")]
        assert len(marks) == 1 and marks[0].get_xdata()[0] == pytest.approx(base.metrics["payback_months"])

    def test_chinese_charts_have_no_missing_glyphs(self, base):
        assert plots.use_cjk_fonts("zh"), "no CJK font installed: apt-get install fonts-wqy-microhei"
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                for chart in self.CHARTS:
                    ax = chart(base, language="zh")
                    ax.figure.savefig(io.BytesIO(), format="png")
            assert "累计净现金流" in plots.cumulative_cash_chart(base, language="zh").get_title()
            assert [str(w.message) for w in caught if "Glyph" in str(w.message)] == []
        finally:
            plots.use_cjk_fonts("en")


class TestWorkbook:
    def test_sheets_hold_the_model_numbers(self, base, tmp_path):
        path = write_workbook(base, tmp_path / "base.xlsx")
        sheets = pd.read_excel(path, sheet_name=None)
        assert list(sheets) == list(WORKBOOK_SHEETS) and "assumptions" not in sheets  # inputs replaced it
        monthly = pd.read_excel(path, sheet_name="monthly", skiprows=[1])  # row 2 holds the labels
        assert monthly["net_cash_flow"].sum() == pytest.approx(base.monthly["net_cash_flow"].sum())
        annual = pd.read_excel(path, sheet_name="annual").set_index("line")
        assert [c for c in annual.columns if c.startswith("year ")] == ["year 0", "year 1", "year 2", "year 3"]
        year1 = annual["year 1"]  # year 1's free cash flow rebuilt from its rows
        assert year1["ebitda_carried"] + year1["income_tax_carried"] + year1["capex"] \
            + year1["change_in_working_capital"] + year1["terminal_value"] == pytest.approx(year1["net_cash_flow"])
        metrics = sheets["metrics"].set_index("metric")
        assert metrics.loc["npv", "value (monthly convention)"] == pytest.approx(base.metrics["npv"])
        assert metrics.loc["npv", "unit"] == "CNY"
        tech = pd.read_excel(path, sheet_name="inputs", header=2).set_index("input").loc["investment.tech"]
        assert tech["value"] == 1_500_000 and tech["basis"] == "derived" and tech["defined name"] == "investment_tech"


def _outcomes():
    ok = render.Outcome("scenarios/a.yaml", "a", "rendered", name="A <plan>", metrics={
        name: 1.0 for name in METRIC_UNITS} | {"npv": 2.5e7, "payback_months": math.nan, "irr_ambiguous": 0.0},
        feasible=True, seconds=3.25, revenue_basis="incremental", expected_npv=2.0e7, prob_npv_negative=0.125,
        cumulative=(-1e6, 2e6, 5e6))
    bad = render.Outcome("x/<b>.yaml", "<b>", "invalid", causes=(
        "x/<b>.yaml: finance.discount_rate_annual: must be a rate (got \"abc\")", "x/<b>.yaml: users.initial: is required"))
    return [ok, bad]


def _study_outcome():
    return render.Outcome("scenarios/s.yaml", "s", "rendered", name="=HYPERLINK(\"http://x\",\"x\")",
                          metrics={name: 2.0 for name in METRIC_UNITS} | {"npv": 9e7, "irr_ambiguous": 0.0},
                          feasible=True, group="study", revenue_basis="gross", cumulative=(-1e6, 9e7))


class TestBatchFiles:
    def test_index_links_reports_and_lists_failures_escaped(self):
        page = render.index_page(_outcomes() + [_study_outcome()])
        assert '<a href="a.html">A &lt;plan&gt;</a>' in page and '<a href="a.xlsx">xlsx</a>' in page
        assert "2,500.0 万元" in page and "2,000.0 万元" in page and "12.5%" in page and "FEASIBLE" in page
        decision, study = page.split("id='decision'")[1].split("id='study'")
        assert "a.html" in decision and "s.html" in study and "the study&#x27;s convention" in study
        assert "Render time" not in page and page.count('<img src="data:image/svg+xml;base64,') == 2 and 'alt="Bar chart' in page
        failures = page.split("id='failures'")[1]
        assert "x/&lt;b&gt;.yaml" in failures and "must be a rate" in failures and "is required" in failures
        assert "<b>" not in page
        assert render.external_references(page) == []

    def test_summary_csv(self):
        frame = pd.read_csv(io.StringIO(render.summary_csv(_outcomes()[:1] + [_study_outcome()] + _outcomes()[1:])))
        assert list(frame["status"]) == ["rendered", "rendered", "invalid"]
        assert frame.loc[1, "name"].startswith("'=HYPERLINK")  # text from a file never becomes a formula
        assert frame.loc[0, "expected_npv (CNY)"] == 2.0e7 and frame.loc[1, "group"] == "study"
        assert frame.loc[0, "npv (CNY)"] == 2.5e7 and math.isnan(frame.loc[0, "payback_months (months)"])
        assert frame.loc[2, "cause"].startswith("x/<b>.yaml: finance.discount_rate_annual: must be a rate")
        assert "(and 1 more problem" in frame.loc[2, "cause"]

    def test_external_references_are_found(self):
        assert render.external_references('<script src="https://cdn.x/require.js"></script>')
        assert render.external_references('<link rel="stylesheet" href="//fonts.example/x.css">')
        assert render.external_references("<style>@import url(https://x/y.css);</style>")
        assert render.external_references('<img src="data:image/png;base64,AAA"><a href="a.html">x</a>') == []


class TestStaging:
    def test_files_appear_only_when_published(self, tmp_path):
        (tmp_path / "a.html").write_text("old report")
        staging = render.Staging(tmp_path)
        (staging.path / "a.html").write_text("new report")
        assert (tmp_path / "a.html").read_text() == "old report"
        assert staging.publish(["a.html"])
        assert (tmp_path / "a.html").read_text() == "new report"
        staging.close()
        assert not staging.path.exists()

    def test_nothing_is_published_after_close(self, tmp_path):
        (tmp_path / "a.html").write_text("old report")
        staging = render.Staging(tmp_path)
        (staging.path / "a.html").write_text("half")
        staging.close()
        assert not staging.publish(["a.html"])
        assert (tmp_path / "a.html").read_text() == "old report"
        assert [p.name for p in tmp_path.iterdir()] == ["a.html"]

    def test_stale_staging_of_a_dead_render_is_removed(self, tmp_path):
        finished = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                                  text=True, check=True)
        dead = tmp_path / f".render-{finished.stdout.strip()}-abc"
        live = tmp_path / f".render-{os.getpid()}-def"
        dead.mkdir()
        live.mkdir()
        render.remove_stale_staging(tmp_path)
        assert not dead.exists() and live.exists()


class TestCli:
    def _run(self, monkeypatch, outcomes, argv):
        seen = {}

        def fake_render(files, out_dir, jobs, language, pdf=False, scheduler=None):
            seen.update(files=files, out=out_dir, jobs=jobs, language=language, pdf=pdf, scheduler=scheduler)
            return outcomes

        monkeypatch.setattr(render, "render", fake_render)
        return cli.main(["render", *argv]), seen

    def test_arguments_reach_render(self, monkeypatch, tmp_path):
        code, seen = self._run(monkeypatch, _outcomes()[:1], ["a.yaml", "b.yaml", "--out", str(tmp_path), "-j", "3",
                                                             "--language", "zh"])
        assert code == 0
        assert seen == {"files": ["a.yaml", "b.yaml"], "out": str(tmp_path), "jobs": 3, "language": "zh", "pdf": False, "scheduler": None}

    def test_defaults(self, monkeypatch):
        code, seen = self._run(monkeypatch, _outcomes()[:1], [])
        assert seen == {"files": [], "out": render.REPORTS, "jobs": None, "language": "en", "pdf": False, "scheduler": None}

    def test_exit_codes(self, monkeypatch):
        ok, invalid = _outcomes()
        failed = render.Outcome("c.yaml", "c", "failed", causes=("c.yaml: the notebook failed",))
        assert self._run(monkeypatch, [ok, invalid], [])[0] == cli.EXIT_INVALID
        assert self._run(monkeypatch, [ok, invalid, failed], [])[0] == cli.EXIT_FAILED

    def test_bad_jobs_and_language_are_refused(self, capsys):
        for argv in (["render", "-j", "0"], ["render", "--language", "fr"]):
            with pytest.raises(SystemExit) as exit_info:
                cli.main(argv)
            assert exit_info.value.code == 2
        assert "invalid choice: 'fr'" in capsys.readouterr().err


def test_master_check_failure_fails_the_render_before_any_kernel(monkeypatch, tmp_path):
    from model.core.evaluation import Result

    monkeypatch.setattr(Result, "ok", property(lambda self: False))
    outcome = render.render([SCENARIOS / "short_term_launch.yaml"], tmp_path, jobs=1, stream=io.StringIO())[0]
    assert outcome.status == "failed" and "the master check failed" in outcome.cause
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html", "summary.csv"]
    assert np.isfinite(outcome.metrics["npv"])


class TestProgress:
    class _Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    def test_a_bar_on_a_terminal(self):
        stream = self._Terminal()
        progress = render.Progress(2, stream)
        for outcome in _outcomes():
            progress.update(outcome)
        progress.close()
        text = stream.getvalue()
        assert "render: 100%" in text and "2/2" in text
        assert "must be a rate" in text  # failures are still written out in full

    def test_plain_lines_otherwise(self):
        stream = io.StringIO()
        progress = render.Progress(2, stream)
        for outcome in _outcomes():
            progress.update(outcome)
        assert stream.getvalue().splitlines() == [
            "render: [1/2] a: rendered in 3.2 s",
            f"render: [2/2] {_outcomes()[1].cause}"]


class TestMasterCheckWithOtherAnalyses:
    """The report's master check also covers the risk analysis's checks; a failed one stops the report."""

    def test_added_checks_are_listed_and_a_failed_one_turns_the_banner(self, base):
        from model.core.evaluation import Check

        passing = report.master_check(base, "en", [Check("Monte Carlo reached its trial count", True, "10 of 10")])
        assert "Monte Carlo reached its trial count" in passing.html and "report-pass" in passing.html
        failing = report.master_check(base, "en", [Check("risk probabilities in [0, 1]", False, "1 risk")])
        assert "report-fail" in failing.html and report.escape(label("checks_fail")) in failing.html

    def test_require_checks_passes_quietly_and_raises_naming_the_failed_check(self, base):
        from model.inputs.errors import ModelError
        from model.core.evaluation import Check

        assert report.require_checks(base, [Check("a", True, "")]) is None
        with pytest.raises(ModelError, match=r"^the master check failed: risk probabilities in \[0, 1\]$"):
            report.require_checks(base, [Check("risk probabilities in [0, 1]", False, "")])


def test_the_study_convention_mirr_keeps_an_explicit_zero_rate():
    """Regression: an explicit 0% finance/reinvestment rate was replaced by the discount rate (`x or rate`)."""
    result = evaluate(load_scenario(FEASIBLE, {"finance.finance_rate_annual": "0%",
                                                              "finance.reinvestment_rate_annual": "0%"}))
    net = result.annual["net_cash_flow"].to_numpy()
    assert result.metrics_annual["mirr"] == pytest.approx(npf.mirr(net, 0.0, 0.0), rel=1e-12)


def test_a_plan_that_never_spends_more_than_it_earns_is_not_refused_for_its_missing_irr():
    """Regression: with no outlay the IRR is undefined (no sign change), which failed the IRR rule."""
    result = evaluate(load_scenario(FEASIBLE, {"investment.tech": 0, "investment.labour": 0,
                                                              "investment.content": 0}))
    assert math.isnan(result.metrics["irr"]) and result.metrics["npv"] > 0
    found = report.verdict(result)
    assert found.feasible and all(rule.ok for rule in found.rules)
    losing = evaluate(load_scenario(SCENARIOS / "short_term_launch.yaml"))
    assert not report.verdict(losing).rules[1].ok  # no sign change because it never earns: still refused
