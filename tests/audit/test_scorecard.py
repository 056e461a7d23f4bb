"""The KPI scorecard: one ROI (the model's), market share over users.market_size, monthly retention."""

from __future__ import annotations

import pytest

from model.audit.scorecard import TARGETS, scorecard
from model.core.evaluation import evaluate
from model.inputs.paths import ROOT
from model.inputs.scenario import load_scenario
from model.outputs.labels import label


@pytest.fixture(scope="module")
def base():
    return evaluate(load_scenario(ROOT / "scenarios" / "base.yaml"))


def scores(result):
    return {s.target.key: s for s in scorecard(result)}


def test_roi_is_the_models_one_definition(base):
    roi = scores(base)["kpi_roi"]
    m = base.metrics
    assert roi.value == m["roi"] == pytest.approx((m["total_benefit"] - m["total_cost"]) / m["total_cost"])
    # "社群ROI ≥ 1:5" is cost : benefit (001 §二4.2: 投入產出比), benefit ≥ 5 × cost: roi ≥ 4
    target = next(t for t in TARGETS if t.key == "kpi_roi")
    assert target.threshold == 4.0 and roi.met == (m["total_benefit"] >= 5 * m["total_cost"])


def test_market_share_needs_users_market_size(base):
    assert "kpi_market_share" not in scores(base)  # not set: not scored, whatever users.cap says
    capped = evaluate(base.scenario.with_overrides({"users.cap": 4_000_000}))
    assert "kpi_market_share" not in scores(capped)
    market = evaluate(base.scenario.with_overrides({"users.market_size": 10_000_000}))
    share = scores(market)["kpi_market_share"]
    assert share.value == pytest.approx(market.monthly["users"].iloc[-1] / 10_000_000)
    assert share.met == (share.value >= 0.30)


def test_retention_is_monthly_one_minus_churn(base):
    retention = scores(base)["kpi_retention"]
    monthly = base.monthly
    lost, served = monthly["churned_users"].iloc[1:].sum(), monthly["users"].iloc[:-1].sum()
    assert retention.value == pytest.approx(1 - lost / served)
    churn = [base.scenario[f"users.churn_monthly.{p}"] for p in ("pilot", "rollout", "optimisation", "steady")]
    assert min(1 - c for c in churn) - 1e-12 <= retention.value <= max(1 - c for c in churn) + 1e-12


def test_labels_say_what_is_measured():
    assert label("kpi_retention", "en") == "Monthly retention (1 − churn)"
    assert "30-day" not in label("kpi_retention", "en") and "cohort" in label("measure_retention", "en")
    assert "users.market_size" in label("measure_market_share", "en") and "users.cap" not in label(
        "measure_market_share", "en")
    assert "roi" in label("measure_roi", "en") and "1:5" in label("measure_roi", "en")
    for key in ("kpi_retention", "kpi_roi", "measure_retention", "measure_roi", "measure_market_share"):
        assert label(key, "zh") and label(key, "zh") != label(key, "en")
    assert label("verdict_consistent_under_another_reading", "en") == "consistent under another reading"
    assert label("verdict_consistent_under_another_reading", "zh") == "换一种口径才一致"
