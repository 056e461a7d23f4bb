"""`feasibility risk` and the risk charts."""

from __future__ import annotations

import json

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from conftest import ROOT  # noqa: E402
from model.outputs import risk_plots, risk_tables  # noqa: E402
from model.risk import analysis as risk  # noqa: E402
from model.apps.cli import main  # noqa: E402
from model.inputs.scenario import load_scenario  # noqa: E402

BASE = str(ROOT / "scenarios" / "base.yaml")


@pytest.fixture(scope="module")
def analysis():
    return risk.analyse(load_scenario(BASE), trials=400, seed=4)


def test_risk_json_is_the_contract_and_equals_the_library_call(capsys, analysis):
    assert main(["risk", BASE, "--trials", "400", "--seed", "4", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"stress", "expected_npv", "montecarlo", "tornado", "breakeven"} <= set(data)
    assert {"mean", "p5", "p50", "p95", "prob_npv_negative", "trials", "seed"} <= set(data["montecarlo"])
    assert (data["montecarlo"]["trials"], data["montecarlo"]["seed"]) == (400, 4)
    assert data == json.loads(json.dumps(analysis.to_json(), ensure_ascii=False))


def test_risk_text_shows_every_part_in_wan_yuan(capsys):
    assert main(["risk", BASE, "--trials", "200", "--set", "revenue.community.conversion=7%"]) == 0
    out = capsys.readouterr().out
    for part in ("Stress cases", "Expected NPV", "Monte Carlo: 200 trials, seed 2025", "P(NPV < 0)", "Tornado",
                 "Break-even", "none within bounds", "万元"):
        assert part in out


@pytest.mark.parametrize("name", list(risk_tables.DISPLAY_COLUMNS))
def test_display_tables_are_strings_with_units_in_both_languages(analysis, name):
    english, chinese = risk_tables.display_table(analysis, name), risk_tables.display_table(analysis, name, "zh")
    assert english.shape == chinese.shape and len(english) > 0
    assert not set(chinese.columns) & set(english.columns) - {"NPV"}  # every header translated
    assert all(isinstance(cell, str) for cell in english.to_numpy().ravel())
    if "NPV" in english.columns:
        assert english["NPV"].str.endswith("万元").all()


def test_stress_table_headers_in_both_languages(analysis):
    assert list(risk_tables.display_table(analysis, "stress").columns) == [
        "case", "probability", "NPV", "NPV change", "IRR (annual)", "payback (months)", "year-1 net change",
        "source's stated impact"]
    assert list(risk_tables.display_table(analysis, "stress", "zh").columns) == [
        "情景", "概率", "净现值", "净现值变化", "内部收益率（年）", "回收期（月）", "第1年净现金流变化", "文件所述影响"]


def test_bad_scenario_gives_exit_2_and_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {BASE}\nrisks: {{outage: {{probability: 2}}}}\n", encoding="utf-8")
    assert main(["risk", str(bad)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"{bad}: risks.outage.probability: must be between 0 and 1 (0% to 100%); did you mean 2%? (got 2)"


def test_bad_trials_is_refused_by_the_argument_parser(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["risk", BASE, "--trials", "0"])
    assert exit_info.value.code == 2
    assert "must be a whole number of at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("chart, source", [
    (risk_plots.npv_histogram, "montecarlo"), (risk_plots.npv_cdf, "montecarlo"),
    (risk_plots.convergence_chart, "montecarlo"), (risk_plots.tornado_chart, "tornado"),
])
def test_each_chart_draws_on_the_given_axes_and_returns_them(analysis, chart, source):
    figure, ax = plt.subplots()
    try:
        assert chart(getattr(analysis, source), ax=ax) is ax
        assert ax.get_title() and "亿元" in (ax.get_xlabel() + ax.get_ylabel())  # base's NPVs pass 1亿
        assert ax.patches or ax.lines
    finally:
        plt.close(figure)


def test_charts_speak_chinese_when_asked(analysis):
    ax = risk_plots.npv_histogram(analysis.montecarlo, language="zh")
    try:
        assert ax.get_xlabel() == "净现值（亿元）" and "随机种子 4" in ax.get_title()
    finally:
        plt.close(ax.figure)
    with pytest.raises(ValueError, match="language must be one of"):
        risk_plots.npv_cdf(analysis.montecarlo, language="fr")
    plt.close("all")


def test_tornado_chart_has_one_row_per_uncertain_input(analysis):
    ax = risk_plots.tornado_chart(analysis.tornado)
    try:
        labels = [t.get_text() for t in ax.get_yticklabels()]
        assert len(labels) == len(analysis.tornado) and len(ax.patches) == 2 * len(analysis.tornado)
        conversion = labels[::-1][list(analysis.tornado["input"]).index("conversion")]
        assert conversion == "share of community users who buy\n6.0% / 8.0%"  # in words, with its low and high
    finally:
        plt.close(ax.figure)


def test_a_scenario_without_uncertain_inputs_gets_a_tornado_that_says_so():
    from model.core.evaluation import evaluate

    result = evaluate(load_scenario(BASE.replace("base.yaml", "short_term_launch.yaml")))
    figure, ax = plt.subplots()
    try:
        risk_tables.tornado_panel(result, ax)
        assert not ax.patches and not ax.axison
        assert [t.get_text() for t in ax.texts] == ["This scenario states no uncertain inputs (no `uncertainty:` section)."]
    finally:
        plt.close(figure)


def test_dashboard_tornado_panel_follows_the_live_result():
    from model.core.evaluation import evaluate

    result = evaluate(load_scenario(BASE).with_overrides({"revenue.community.conversion": "6%"}))
    figure, ax = plt.subplots()
    try:
        assert risk_tables.tornado_panel(result, ax) is ax
        base_line = [line for line in ax.lines if line.get_label().startswith("base NPV")][0]
        assert ax.get_xlabel() == "NPV, CNY in 亿元"  # the swings pass 1亿
        assert base_line.get_xdata()[0] == pytest.approx(result.metrics["npv"] / 1e8)
    finally:
        plt.close(figure)


@pytest.mark.parametrize("argument, value", [("--seed", "-3"), ("--trials", "1.5")])
def test_bad_seed_or_trials_on_the_command_line_is_one_line_not_a_traceback(capsys, argument, value):
    with pytest.raises(SystemExit) as exit_info:
        main(["risk", BASE, argument, value])
    assert exit_info.value.code == 2
    assert "must be a whole number" in capsys.readouterr().err


@pytest.mark.parametrize("trials, seed", [(0, 1), (10, -1), (10, 1.5)])
def test_bad_seed_or_trials_in_the_library_call_says_which(trials, seed):
    with pytest.raises(ValueError, match="must be a whole number"):
        risk.analyse(load_scenario(BASE), trials=trials, seed=seed)
