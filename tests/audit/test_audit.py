"""The audit of the study's own figures: every entry against a hand calculation.

Each expected value below is the arithmetic written out from the figures of 001 (sections in
the comments), not a call to the code under test. Money in CNY; rates as fractions.
"""

from __future__ import annotations

import json
import math
import shutil

import pytest

from model import audit as study_audit
from model.audit.compare import check
from model.apps.cli import main
from model.core.evaluation import evaluate
from model.inputs.scenario import load_scenario
from model.inputs.paths import ROOT

SCENARIOS = ROOT / "scenarios"


def annuity(rate: float, years: int = 3) -> float:
    """Present value of 1 a period for ``years`` periods at ``rate``: Σ (1 + rate)^−t, t = 1..years."""
    return sum((1 + rate) ** -t for t in range(1, years + 1))


def monthly(rate_annual: float) -> float:
    return (1 + rate_annual) ** (1 / 12) - 1


HEAD = {"initial": 350e4, "opex": 400e4, "benefit": 2.55e8, "net": 2.08e8, "rate": 0.08}  # §5.3
MID = {"initial": 200e4, "opex": 300e4, "benefit": 1.3e8, "net": 1.25e8, "rate": 0.10}
STARTUP = {"initial": 100e4, "opex": 200e4, "benefit": 5000e4, "net": 4700e4, "rate": 0.12}
SALES = 1e6 * 0.075 * 150 * 12  # §5.2.1: community revenue a year, 1.35亿


def payback_months(tier: dict) -> float:
    """Initial ÷ monthly (benefit − operating cost): level monthly flows from month 1."""
    return tier["initial"] / ((tier["benefit"] - tier["opex"]) / 12)


def base_payback() -> float:
    """base.yaml's payback in months, straight from ``evaluate`` (it changes with base.yaml)."""
    return evaluate(load_scenario(SCENARIOS / "base.yaml")).metrics["payback_months"]


#: id → hand-computed value of the claim's *standard* reading (its first; None: not checkable;
#: "irr": checked apart by NPV = 0; "base": the base case's payback, checked apart). The verdicts
#: are in test_verdicts.py.
STANDARD = {
    # §5.1.1
    "5.1.1-scrm-total": 18e4 + 32e4,
    "5.1.1-team-cost": (12 * (1.5e4 + 3 * 0.8e4 + 6 * 0.5e4), 12 * (2.5e4 + 3 * 1.5e4 + 6 * 0.8e4)),
    "5.1.1-split-sum": 0.50 + 0.35 + 0.15,
    "5.1.1-tech-share": 0.50,
    "5.1.1-examples-total": 50e4 + 120e4 + 80e4,
    "5.1.1-examples-split": 50e4 / (50e4 + 120e4 + 80e4),  # 20% against 50%
    # §5.1.2
    "5.1.2-opex-share": 450e4 / (450e4 + 300e4),  # midpoints, first year
    "5.1.2-labour-share-range": 0.45,
    "5.1.2-executor-cost": 100 * 6000 * 12,  # 720万, not 72万
    "5.1.2-executor-vs-labour": 100 * 6000 * 12,  # against 45% × 400-500万
    "5.1.2-events-each": 180e4 / 12,
    "5.1.2-events-vs-share": 180e4,  # 35% × 500万 = 175万; 180万 within 5%
    "5.1.2-maintenance-share": (30e4 / 500e4, 30e4 / 400e4),  # 6-7.5%, not 15%
    "5.1.2-other-share": (50e4 / 500e4, 50e4 / 400e4),  # 10-12.5%: the stated 10% is its end
    "5.1.2-split-sum": 0.45 + 0.35 + 0.12 + 0.08,
    # §5.1.3
    "5.1.3-saas-saving": None,
    "5.1.3-part-time": None,
    "5.1.3-events-cost": 52 * 5000 + 12 * 5e4,
    "5.1.3-events-saving": 1 - 120e4 / 180e4,
    "5.1.3-optimised-pct": (1 - 300 / 400, 1 - 350 / 500),
    # levers on the §5.1.2 split: labour × 0.75 − 60万, activities × 0.67, maintenance + 8万, other
    "5.1.3-optimised-opex": (180e4 * 0.75 - 60e4 + 140e4 * 0.67 + 48e4 + 8e4 + 32e4,
                             225e4 * 0.75 - 60e4 + 175e4 * 0.67 + 60e4 + 8e4 + 40e4),
    # §5.2.1
    "5.2.1-community-revenue": SALES,
    # non-community purchases = the community's 12 ÷ (1 + the 20-30% repurchase uplift)
    "5.2.1-baseline-revenue": (1e6 * 0.04 * 120 * 12 / 1.3, 1e6 * 0.04 * 120 * 12 / 1.2),
    "5.2.1-increment": 1.35e8 - 0.48e8,
    "5.2.1-increment-2025": (1e6 * 0.09 * 150 * 12 - 0.48e8, 1e6 * 0.10 * 150 * 15 - 0.48e8),  # 1.14-1.77亿
    "5.2.1-premium": SALES * 0.20 * 0.15,  # on the 20% exclusive share (§5.2.3): 405万
    # §5.2.2, §5.2.3
    "5.2.2-ltv-uplift": 1200 / 800 - 1,
    "5.2.2-user-asset": (1200 - 800) * 1e6,
    "5.2.2-data-value": 1e6 * 0.015 * 150 * 12,
    "5.2.2-indirect-total": 3000e4 + 5000e4,
    "5.2.2-indirect-share": (1.2e8 / (1.2e8 + 1.35e8), 1.5e8 / (1.5e8 + 1.35e8)),  # 47-53%
    "5.2.3-user-growth": (1e6 * 1.05 ** 12, 1e6 * 1.08 ** 12),  # compounded, as the engine grows users
    # §5.3: the industry payback against base.yaml; then each tier, the same readings for every tier
    "5.3.1-industry-payback": "base",
    "5.3.1-net-study_head": 2.55e8 - 400e4 - 350e4,  # 2.475亿 against 2.08亿
    "5.3.1-payback-study_head": payback_months(HEAD),
    "5.3.2-npv-study_head": -350e4 + (2.55e8 - 400e4) * annuity(0.08),
    "5.3.3-irr-study_head": "irr",
    "3.4.3-tech-payback-study_head": payback_months(HEAD),
    "5.3.1-net-study_mid": 1.3e8 - 300e4 - 200e4,
    "5.3.1-payback-study_mid": payback_months(MID),
    "5.3.2-npv-study_mid": -200e4 + (1.3e8 - 300e4) * annuity(0.10),
    "5.3.3-irr-study_mid": "irr",
    "3.4.3-tech-payback-study_mid": payback_months(MID),
    "5.3.1-net-study_startup": 5000e4 - 200e4 - 100e4,
    "5.3.1-payback-study_startup": payback_months(STARTUP),  # 0.25 months ≈ 1.08 weeks
    "5.3.2-npv-study_startup": -100e4 + (5000e4 - 200e4) * annuity(0.12),
    "5.3.3-irr-study_startup": "irr",
    "3.4.3-tech-payback-study_startup": payback_months(STARTUP),
    "5.3.3-irr-vs-payback": "irr",
    # §5.4: costs against costs, revenue against revenue (study_head's year-1 revenue, no premium)
    "5.4.1-labour-overrun": (0.15 * 0.45 * 400e4, 0.15 * 0.45 * 500e4),
    "5.4.1-events-overrun": (0.20 * 0.35 * 400e4, 0.20 * 0.35 * 500e4),
    "5.4.1-tech-delay": None,
    "5.4.2-conversion": 1e6 * (0.075 - 0.05) * 150 * 12,
    "5.4.2-repurchase": None,
    "5.4.2-premium": SALES * 0.20 * (0.15 - 0.10),  # on the 20% exclusive share
    "5.4.3-frequency": SALES * 0.10,
    "5.4.3-aov": SALES * 0.08,
    "5.4.3-churn": None,  # 5% of an unstated monthly churn
    # §三(四)
    "3.4.1-structure-sum": 0.15 + 0.50 + 0.35,
    "3.4.1-saas-cut": 0.50 * 0.40,  # SaaS alone, the lever the claim names
    "3.4.2-efficiency": 1500 / 500 - 1,
    "3.4.2-ltv": 1200 / 800 - 1,
    # §七
    "7-market-size": 4.1e12 * 1.281,
    "7-initial": 50e4 + 120e4 + 80e4,
    "7-opex": (180e4 * 0.75 - 60e4 + 140e4 * 0.67 + 48e4 + 8e4 + 32e4,
               225e4 * 0.75 - 60e4 + 175e4 * 0.67 + 60e4 + 8e4 + 40e4),
    "7-payback": (payback_months(HEAD), payback_months(STARTUP)),
    "7-npv": (-100e4 + (5000e4 - 200e4) * annuity(0.12), -350e4 + (2.55e8 - 400e4) * annuity(0.08)),
    "7-irr": "irr",
    "7-part-time-team": None,
}

#: IRR entries: the flows (per period) whose NPV must be zero at the standard reading's rate, and the period.
IRR_FLOWS = {
    "5.3.3-irr-study_head": ([-350e4] + [2.55e8 - 400e4] * 3, "year"),
    "5.3.3-irr-study_mid": ([-200e4] + [1.3e8 - 300e4] * 3, "year"),
    "5.3.3-irr-study_startup": ([-100e4] + [5000e4 - 200e4] * 3, "year"),
    "5.3.3-irr-vs-payback": ([-1.0] + [0.5] * 36, "month"),  # a 2-month payback, 3 years of level flows
}


@pytest.fixture(scope="module")
def claims():
    return study_audit.audit()


@pytest.fixture(scope="module")
def by_id(claims):
    return {c.id: c for c in claims}


def test_every_entry_has_a_hand_calculation(claims):
    ids = [c.id for c in claims]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(STANDARD)


@pytest.mark.parametrize("claim_id", sorted(STANDARD))
def test_standard_reading_matches_the_hand_calculation(by_id, claim_id):
    expected, claim = STANDARD[claim_id], by_id[claim_id]
    if expected is None:
        assert claim.recomputed is None and claim.readings == () and claim.explanation.startswith("not checkable: ")
    elif expected == "base":
        payback = base_payback()  # (horizon, None) — "beyond the horizon" — when base never pays back
        assert claim.readings[0][1] == (pytest.approx(payback, rel=1e-9) if math.isfinite(payback)
                                        else (36.0, None))
    elif expected != "irr":
        assert claim.readings[0][1] == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("claim_id", sorted(IRR_FLOWS))
def test_irr_entries_make_npv_zero(by_id, claim_id):
    flows, period = IRR_FLOWS[claim_id]
    rate = by_id[claim_id].recomputed  # annual
    per_period = rate if period == "year" else monthly(rate)
    npv = sum(f / (1 + per_period) ** t for t, f in enumerate(flows))
    assert abs(npv) <= 1e-6 * max(abs(f) for f in flows)
    assert rate > 10  # thousands of percent a year, against the stated 35-45%


def test_irr_range_of_the_tiers(by_id):
    low, high = by_id["7-irr"].recomputed  # annual flows: year 0 investment, 3 years of benefit − cost
    for rate, flows in ((low, [-100e4] + [4800e4] * 3), (high, [-350e4] + [2.51e8] * 3)):
        assert abs(sum(f / (1 + rate) ** t for t, f in enumerate(flows))) <= 1e-6 * max(map(abs, flows))


def test_differences_and_verdicts_follow_the_tolerance(claims):
    for claim in claims:
        assert claim.verdict in study_audit.VERDICTS
        if claim.verdict == study_audit.NOT_CHECKABLE:
            assert claim.tolerance is None and claim.recomputed is None and claim.reading is None
            continue
        assert claim.tolerance.text and claim.method and claim.inputs
        assert claim.reading in dict(claim.readings) and claim.recomputed == dict(claim.readings)[claim.reading]
        standard_name, _ = claim.readings[0]
        within = abs(claim.difference) <= claim.tolerance.allowed(
            claim.difference / claim.difference_pct if claim.difference else 1.0) * (1 + 1e-9)
        if claim.verdict == study_audit.CONSISTENT:
            assert claim.reading == standard_name and within
        elif claim.verdict == study_audit.OTHER_READING:
            assert claim.reading != standard_name and within
            assert "consistent only under another reading" in claim.note and "standard reading" in claim.note
        else:  # inconsistent: reported under the standard reading
            assert claim.reading == standard_name and claim.difference != 0 and "off by" in claim.note


def test_inconsistent_difference_amount_and_percent(by_id):
    executors = by_id["5.1.2-executor-cost"]
    assert executors.difference == pytest.approx(720e4 - 72e4)
    assert executors.difference_pct == pytest.approx(9.0)  # +900%
    npv = by_id["5.3.2-npv-study_head"]  # the standard reading: annual flows of benefit − operating cost at 8%
    assert npv.difference == pytest.approx(-350e4 + 2.51e8 * annuity(0.08) - 4.17e8)
    growth = by_id["5.2.3-user-growth"]  # the larger gap, at the high end: 1.08^12 million against 1.3M
    assert growth.difference == pytest.approx(1e6 * 1.08 ** 12 - 1.3e6)
    assert growth.difference_pct == pytest.approx((1e6 * 1.08 ** 12 - 1.3e6) / 1.3e6)
    net = by_id["5.3.1-net-study_head"]  # 2.475亿 against 2.08亿: 19% off
    assert net.difference_pct == pytest.approx(2.475 / 2.08 - 1)


def test_standard_reading_is_reported_and_others_kept(by_id):
    npv = by_id["5.3.2-npv-study_head"]
    readings = dict(npv.readings)
    assert npv.reading == npv.readings[0][0] == "annual flows at the tier's cost of capital (the study's method)"
    stated_net = -350e4 + 2.08e8 * annuity(0.08)  # the closest, yet not within 5%: not the one reported
    assert readings["annual flows of the stated net benefit at that rate"] == pytest.approx(stated_net)
    growth = dict(by_id["5.2.3-user-growth"].readings)["5-8% a month, simple"]
    assert growth == pytest.approx((1e6 * 1.6, 1e6 * 1.96))
    assert "5-8% a month, simple" in by_id["5.2.3-user-growth"].note


def test_json_objects_have_exactly_the_contract_keys(claims):
    rows = study_audit.audit_json(claims)
    assert study_audit.JSON_KEYS == ("id", "section", "claim", "stated", "recomputed", "unit", "verdict", "reading",
                                     "note")
    assert all(tuple(row) == study_audit.JSON_KEYS for row in rows)
    text = json.dumps(rows, ensure_ascii=False, allow_nan=False)  # no NaN or infinity leaks into JSON
    by_id = {r["id"]: r for r in json.loads(text)}
    row = by_id["5.2.1-increment-2025"]
    assert row["stated"] == [1.2e8, 1.5e8] and row["unit"] == "CNY/year" and row["verdict"] == "consistent"
    assert row["recomputed"] == pytest.approx([1.14e8, 1.77e8]) and row["reading"] == "baseline fixed at 0.48亿"
    assert "轉化率" in row["claim"] and "conversion" in row["claim"]
    premium = by_id["5.2.1-premium"]
    assert premium["verdict"] == "consistent under another reading"
    assert premium["reading"] == "premium on every community sale"
    assert by_id["5.4.3-churn"]["reading"] is None


def test_cli_json_and_text(capsys):
    assert main(["audit", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["verdict"] for r in rows} == set(study_audit.VERDICTS)
    assert len(rows) == len(STANDARD)
    assert main(["audit"]) == 0
    out = capsys.readouterr().out
    assert "5.1.2-executor-cost" in out and "Which conclusions survive" in out and f"Of {len(STANDARD)} figures" in out


def test_cli_scenario_filter_and_bad_file(capsys, tmp_path):
    assert main(["audit", "--json", "--scenario", str(SCENARIOS / "study_mid.yaml")]) == 0
    ids = {r["id"] for r in json.loads(capsys.readouterr().out)}
    assert "5.3.2-npv-study_mid" in ids and "5.3.2-npv-study_head" not in ids and "7-npv" in ids
    missing = tmp_path / "missing.yaml"
    assert main(["audit", "--scenario", str(missing)]) == 2
    assert capsys.readouterr().err.strip() == f"{missing}: (file): no such file"


def test_claims_for_follows_extends(claims):
    optimised = study_audit.claims_for(load_scenario(SCENARIOS / "optimised_costs.yaml"), claims)  # extends base
    assert "5.1.3-optimised-opex" in {c.id for c in optimised}
    assert not any(c.id.endswith("study_head") for c in optimised)
    assert study_audit.claims_for(load_scenario(SCENARIOS / "short_term_launch.yaml"), claims) == []
    table = study_audit.claims_table(study_audit.claims_for(load_scenario(SCENARIOS / "study_head.yaml"), claims),
                                     "zh")
    assert "某快消品牌…NPV≈4.17億元" in set(table["claim"])
    with pytest.raises(ValueError, match="language must be en or zh"):
        study_audit.claims_table(claims, "fr")


def test_honest_conclusion_matches_hand_calculation(claims):
    # Head tier counted honestly (base.yaml: 40% margin, ours; baseline 4% × 120元 × 10; exclusive 20% × 15%)
    increment = SALES + SALES * 0.20 * 0.15 - 1e6 * 0.04 * 120 * 10
    profit = 0.40 * increment
    findings = {f.conclusion: f for f in study_audit.conclusion(claims=claims)}
    payback = 350e4 / ((profit - 400e4) / 12)
    assert findings["Payback 1-3 months"].honest == f"{payback:.1f} months" and findings["Payback 1-3 months"].survives
    npv_annual = -350e4 + (profit - 400e4) * annuity(0.08)
    npv = findings["NPV 1-5亿"]
    assert npv.honest.startswith(f"{npv_annual / 1e4:,.1f} 万元") and not npv.survives  # 0.80亿 < 1亿
    assert not findings["IRR 30-50%"].survives
    # NPV (monthly flows) is linear in the margin: zero where m × increment − cost pays the investment back
    factor = annuity(monthly(0.08), 36)
    break_even = (350e4 / factor + 400e4 / 12) / (increment / 12)
    assert study_audit.break_even_margin() == pytest.approx(break_even, rel=1e-9)
    assert findings["The plan is economically feasible (NPV > 0)"].survives


def test_conclusion_text_names_what_survives(claims):
    findings = study_audit.conclusion(claims=claims)
    text = study_audit.conclusion_text(findings, claims)
    counts = study_audit.verdict_counts(claims)
    assert f"{counts['consistent']} follow from its own inputs" in text
    kept, lost = text.split("keeps: ")[1].split(". It loses: ")
    assert "Payback 1-3 months" in kept and "IRR 30-50%" in lost


def test_notebook_runs_and_shows_the_conclusion(tmp_path):
    papermill = pytest.importorskip("papermill")
    out = tmp_path / "audit.ipynb"
    papermill.execute_notebook(str(ROOT / "notebooks" / "audit.ipynb"), str(out), parameters={"language": "zh"},
                               progress_bar=False, kernel_name="python3")
    cells = json.loads(out.read_text())["cells"]
    text = "".join(json.dumps(c.get("outputs", []), ensure_ascii=False) for c in cells if c["cell_type"] == "code")
    assert f"Of {len(STANDARD)} figures of the study" in text
    assert "inconsistent" in text and "某頭部快消品牌" in text
    assert not any(o.get("output_type") == "error" for c in cells for o in c.get("outputs", []))


def test_the_audit_is_computed_once_while_the_scenario_files_stay_the_same(tmp_path, monkeypatch):
    from model.audit import catalogue

    folder = tmp_path / "scenarios"
    shutil.copytree(ROOT / "scenarios", folder)
    studies = []
    monkeypatch.setattr(catalogue, "Study", lambda path: studies.append(path) or study_audit.sources.Study(path))
    first = study_audit.audit(folder)
    assert study_audit.audit(folder) == first and len(studies) == 1
    base = folder / "base.yaml"
    base.write_text(base.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert study_audit.audit(folder) == first and len(studies) == 2  # an edited file: computed again


def test_tolerance_modes():
    tol = study_audit.Tolerance(relative=0.05, text="5%")
    claim = check(id="x", section="s", zh="zh", en="en", stated=(5.0, None), unit="CNY", inputs="in", method="m", readings=[("r", 4.9)], tolerance=tol, scenarios=(), mode="within")
    assert claim.verdict == "consistent" and claim.difference == pytest.approx(-0.1)
    claim = check(id="x", section="s", zh="zh", en="en", stated=(5.0, None), unit="CNY", inputs="in", method="m", readings=[("r", 4.7)], tolerance=tol, scenarios=(), mode="within")
    assert claim.verdict == "inconsistent" and claim.difference_pct == pytest.approx(-0.06)
    claim = check(id="x", section="s", zh="zh", en="en", stated=40.0, unit="CNY", inputs="in", method="m",
                  readings=[("a", (28.0, 35.0)), ("b", 36.0)], tolerance=tol, scenarios=(), mode="contains")
    # neither reading within 5%: inconsistent, reported under the standard reading "a" (b is closer)
    assert claim.verdict == "inconsistent" and claim.reading == "a" and claim.difference == pytest.approx(-5.0)
    assert math.isclose(claim.difference_pct, -0.125)
