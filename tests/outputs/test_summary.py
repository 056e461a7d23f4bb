"""The executive summary: the first screen answers "should we do it, why, and what could break it"."""

from __future__ import annotations

import re

import pytest

from model.core.evaluation import evaluate
from model.inputs.paths import ROOT
from model.inputs.scenario import load_scenario
from model.outputs import summary
from model.risk import analysis as risk


def text_of(result, language="en") -> str:
    html = summary.executive_summary(result, risk.analyse(result.scenario, trials=300, seed=1), language)._repr_html_()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&gt;", ">").replace("&lt;", "<")


@pytest.fixture(scope="module")
def base():
    return evaluate(load_scenario(ROOT / "scenarios" / "base.yaml"))


def test_base_summary_has_the_verdict_the_ask_the_drivers_and_provenance(base):
    text = text_of(base)
    assert "NOT FEASIBLE" in text and "Fails: NPV (monthly flows)" in text
    assert f"{base.metrics['npv'] / 1e4:,.1f} 万元" in text and f"{base.metrics['npv_annual'] / 1e4:,.1f} 万元" in text
    assert "P(NPV < 0)" in text and "expected NPV over the risk events" in text
    assert f"peak funding need {base.metrics['peak_funding_need'] / 1e4:,.1f} 万元" in text
    assert "tornado of the uncertain inputs" in text and "operating_costs.acquisition.per_new_user" in text
    assert re.search(r"model [0-9a-f]{12}", text) and re.search(r"hash [0-9a-f]{16}", text)
    assert "scenarios/base.yaml" in text and str(ROOT) not in text  # the path relative to the project


def test_study_convention_summary_flags_the_irr_and_the_neutral_defaults():
    head = evaluate(load_scenario(ROOT / "scenarios" / "study_head.yaml"))
    text = text_of(head)
    assert "n.m. (MIRR" in text and "above 1,000% a year" in text
    for path in ("revenue.attribution = 100.0%", "tax.income_tax_rate = 0.0%",
                 "operating_costs.acquisition.per_new_user = 0.0 元/new user"):
        assert path in text
    assert "left at its neutral default" in text


def test_chinese_summary(base):
    text = text_of(base, "zh")
    assert "执行摘要" in text and "不可行" in text and "最大资金需求" in text


def test_scenario_hash_follows_the_inputs(base):
    other = evaluate(base.scenario.with_overrides({"revenue.attribution": 0.6}))
    assert summary.scenario_hash(base) != summary.scenario_hash(other)
    assert summary.scenario_hash(base) == summary.scenario_hash(evaluate(load_scenario(ROOT / "scenarios" / "base.yaml")))
