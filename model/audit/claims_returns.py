"""The catalogue, returns and risks: claims of 001 §5.3 (the three tiers), §5.4, §三(四) and §七."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..core import finance
from ..core.evaluation import Result
from ..inputs.units import MONTHS_PER_YEAR, format_money
from .compare import APPROX, ARITHMETIC, SHARE, Claim, check, rounded, unchecked
from .sources import (ALL, BASELINE, INITIAL_RANGE, OPEX_RANGE, OPEX_SPLIT, PLAN, PREMIUM_BASES, REVENUE_BASES,
    WEEKS_PER_YEAR, Study)


@dataclass(frozen=True)
class Tier:
    """The study's figures for one company tier of §5.3."""

    stem: str
    zh: str  # the firm as §5.3.1 names it
    zh_returns: str  # and as §5.3.2-§5.3.3 name it
    en: str
    net: float  # CNY/year
    payback_months: float
    payback_unit: float  # months: the unit the stated payback is counted in (a month, a week)
    payback_zh: str
    npv: float
    irr: float
    cost_of_capital: float
    tech_payback: tuple[float, float]  # months, §三(四)4.3


STUDY_TIERS = (
    Tier("study_head", "某頭部快消品牌", "某快消品牌", "head FMCG brand", 2.08e8, 2.0, 1.0, "回收期約2個月",
          4.17e8, 0.45, 0.08, (6, 8)),
    Tier("study_mid", "某中型企業", "某中型企業", "mid-size firm", 1.25e8, 2.0, 1.0, "回收期約2個月",
          2.71e8, 0.40, 0.10, (8, 12)),
    Tier("study_startup", "某初創企業", "某初創企業", "start-up", 4700e4, MONTHS_PER_YEAR / WEEKS_PER_YEAR,
          MONTHS_PER_YEAR / WEEKS_PER_YEAR, "回收期約1周",
          0.16e8, 0.35, 0.12, (12, 18)),
)
HEAD_RATE = 0.08  # §5.3.2: the only discount rate the NPV paragraph states


def tier_claims(study: Study, tier: Tier) -> list[Claim]:
    r = study.result(tier.stem)
    annual = r.annual
    initial = r.metrics["total_investment"]
    benefit, opex = float(annual["total_benefit"].iloc[1]), -float(annual["total_cost"].iloc[1])
    stated_flows = np.array([-initial] + [tier.net] * 3)
    rate = float(r.scenario["finance.discount_rate_annual"])
    money = f"initial {format_money(initial, None)}, operating cost {format_money(opex, None)}/yr, benefit {format_money(benefit, None)}/yr"
    scope = (tier.stem,)
    # One list of readings per kind of claim, the same for every tier; the first is the standard one.
    net_readings = [("year-1 net: benefit − operating cost − initial investment", benefit - opex - initial),
                    ("a later year: benefit − operating cost", benefit - opex)]
    at_head_rate = study.result(tier.stem, {"finance.discount_rate_annual": HEAD_RATE})
    npv_readings = [("annual flows at the tier's cost of capital (the study's method)", r.metrics["npv_annual"]),
                    ("monthly flows at the monthly equivalent of that rate", r.metrics["npv"]),
                    ("annual flows of the stated net benefit at that rate", finance.npv(rate, stated_flows)),
                    (f"annual flows at {HEAD_RATE:.0%} (the only rate §5.3.2 states)",
                     at_head_rate.metrics["npv_annual"])]
    needed = initial / finance.npv(tier.irr, [0.0, 1.0, 1.0, 1.0])
    tech_flows = r.flows.net_cash_flow[0].copy()
    tech_flows[0] = r.flows.investment_tech[0, 0]
    return [
        check(id=f"5.3.1-net-{tier.stem}", section="001 §5.3.1", zh=f"{tier.zh}…年凈收益{quoted_zh(tier.net)}",
               en=f"{tier.en}: net benefit {format_money(tier.net, None)} a year", stated=tier.net, unit="CNY/year", inputs=money,
               method=f"evaluate({tier.stem}): year-1 benefit and costs", readings=net_readings, tolerance=ARITHMETIC, scenarios=scope,
               explanation="the standard reading is how the mid-size and start-up figures are built (§5.3.1 gives each "
               "firm's investment, yearly cost and benefit for the same year)" + (
                   "" if tier.stem != "study_head" else "; the head tier's 2.08亿 is instead 2.55亿 less the 0.48亿 "
                   f"non-community revenue of §5.2.1 ({format_money(benefit - BASELINE['revenue'], None)}), with no "
                   "cost deducted: a convention the study uses for this tier only, so it is not a reading")),
        check(id=f"5.3.1-payback-{tier.stem}", section="001 §5.3.1", zh=f"{tier.zh}…{tier.payback_zh}",
               en=f"{tier.en}: payback about {tier.payback_months:.2g} months", stated=tier.payback_months, unit="months", inputs=money,
               method=f"evaluate({tier.stem}): payback", readings=[
                   ("monthly flows (payback_months)", r.metrics["payback_months"]),
                   ("annual flows, interpolated within year 1",
                    MONTHS_PER_YEAR * finance.payback_period(annual["net_cash_flow"].to_numpy())),
                   ("initial ÷ the stated net benefit a month",
                    finance.payback_period(np.array([-initial] + [tier.net / MONTHS_PER_YEAR] * 36)))],
               tolerance=rounded(tier.payback_unit, "month" if tier.payback_unit == 1 else "week"), scenarios=scope),
        check(id=f"5.3.2-npv-{tier.stem}", section="001 §5.3.2", zh=f"{tier.zh_returns}…NPV≈{quoted_zh(tier.npv)}",
               en=f"{tier.en}: NPV about {format_money(tier.npv, None)} over 3 years", stated=tier.npv, unit="CNY", inputs=money + f", 3 years, {rate:.0%} a year",
               method=f"evaluate({tier.stem}) and finance.npv", readings=npv_readings, tolerance=APPROX, scenarios=scope),
        check(id=f"5.3.3-irr-{tier.stem}", section="001 §5.3.3",
               zh=f"{tier.zh_returns}IRR≈{tier.irr:.0%},高於資金成本{tier.cost_of_capital:.0%}",
               en=f"{tier.en}: IRR about {tier.irr:.0%}, above its {tier.cost_of_capital:.0%} cost of capital", stated=tier.irr,
               unit="fraction/year", inputs=money + ", 3 years", method=f"evaluate({tier.stem}) and finance.irr",
               readings=[("annual flows (irr_annual)", r.metrics["irr_annual"]),
                ("monthly flows, annualised (irr)", r.metrics["irr"]),
                ("annual flows of the stated net benefit", finance.irr(stated_flows))],
               tolerance=APPROX, scenarios=scope, explanation=f"an IRR of {tier.irr:.0%} over 3 years needs net inflows of only "
               f"{format_money(needed, None)} a year on {format_money(initial, None)}; the stated flows are about "
               f"{tier.net / needed:.0f} times that"),
        check(id=f"3.4.3-tech-payback-{tier.stem}", section="001 §三(四)4.3",
               zh={"study_head": "頭部企業:投資回收期6-8個月", "study_mid": "中型企業:投資回收期8-12個月",
                "study_startup": "初創企業:投資回收期12-18個月"}[tier.stem],
               en=f"{tier.en}: the technology pays back in {tier.tech_payback[0]}-{tier.tech_payback[1]} months",
               stated=tier.tech_payback, unit="months", inputs=money, method=f"evaluate({tier.stem}): payback of the §5.3 flows",
               readings=[("whole initial investment, monthly flows", r.metrics["payback_months"]),
                ("technology investment only, monthly flows", finance.payback_period(tech_flows))],
               tolerance=APPROX, scenarios=scope, mode="within", explanation="the §5.3 figures of the same tier pay back within weeks; §三 and §五 "
               "cannot both hold"),
    ]


def quoted_zh(yuan: float) -> str:
    return f"{yuan / 1e8:g}億元" if yuan >= 1e8 else f"{yuan / 1e4:g}萬元"


def payback_reached(months: float, horizon: float) -> float | tuple:
    """A payback in months, or (horizon, None) — "beyond the horizon" — when the flows never pay back."""
    return float(months) if math.isfinite(months) else (float(horizon), None)


def industry_payback(study: Study) -> Claim:
    """001 §5.3.1's industry payback of 6-12 months, against our base case (base.yaml)."""
    r = study.result("base")
    horizon = r.scenario["timeline.horizon_months"]
    annual = MONTHS_PER_YEAR * finance.payback_period(r.annual["net_cash_flow"].to_numpy())
    return check(
        id="5.3.1-industry-payback", section="001 §5.3.1", zh="2024年行業數據顯示,社群營銷方案回收期為6-12個月",
        en="industry data: community-marketing plans pay back in 6-12 months", stated=(6.0, 12.0), unit="months",
        inputs="base.yaml: the 1,000,000-user plan, incremental revenue after its gross margin, the costs of §5.1",
        method="evaluate(base): payback", readings=[
            ("monthly flows (payback_months)", payback_reached(r.metrics["payback_months"], horizon)),
            ("annual flows, interpolated within the year", payback_reached(annual, horizon))],
        tolerance=rounded(1.0, "month"), scenarios=("base",), mode="within",
        explanation="an industry range, not a result of the study's inputs: it is checked against our base case, "
        "whose payback changes with base.yaml")


def returns(study: Study) -> list[Claim]:
    claims = [industry_payback(study)] + [c for tier in STUDY_TIERS for c in tier_claims(study, tier)]
    head = next(t for t in STUDY_TIERS if t.stem == "study_head")
    implied = finance.irr(np.array([-1.0] + [1.0 / head.payback_months] * 36))
    claims.append(check(
        id="5.3.3-irr-vs-payback", section="001 §5.3.1, §5.3.3", zh="回收期約2個月…IRR≈45%",
        en="head brand: payback about 2 months and IRR about 45%", stated=head.irr, unit="fraction/year",
        inputs="a 2-month payback: level monthly net flows of half the investment, 36 months",
        method="finance.irr on monthly flows, annualised", readings=[("lowest IRR a 2-month payback allows",
                                                       float(finance.annual_from_monthly(implied)))],
        tolerance=APPROX, scenarios=("study_head",), explanation="a project that repays its outlay in 2 months and keeps earning for "
        "3 years cannot have an IRR of 45%: the two stated figures contradict each other"))
    return claims


#: 5.4.3's "用戶流失率上升5%": 5% of the monthly churn rate (see the claim's explanation); the
#: risk register of the scenarios should read it the same way (multiply users.churn_monthly by 1.05).
CHURN_RISE = 1.05
CHURN_PHASES = ("pilot", "rollout", "optimisation", "steady")
REVENUE_METHOD = ("engine: study_head's year-1 revenue before − after the change (the measure the study states: "
                  "revenue, not profit or NPV)")


def churn_explanation(study: Study) -> str:
    """Why 5.4.3's churn claim reads as a relative rise of the monthly rate, and what it would come to."""
    base = study.scenario("base")
    churn = {f"users.churn_monthly.{p}": float(base[f"users.churn_monthly.{p}"]) for p in CHURN_PHASES}
    loss = study.revenue_loss({k: v * CHURN_RISE for k, v in churn.items()}, churn)
    return ("read as 5% of the monthly churn rate: 001's churn rates are monthly (§二3.3 '用戶月流失率曾高達15%'), "
            "and it writes 個百分點 when it means points (§5.2.2 '整體轉化率提升1.5個百分點', §三(四)4.2 "
            "'轉化率提升5.2個百分點'), while the same sentence's other impacts (frequency −10%, order value −8%) are "
            "relative changes. The rise then depends on the churn it applies to, which the study does not state "
            "(study_head has none); at base.yaml's churn (ours, "
            + f"{churn['users.churn_monthly.steady']:.0%} a month → {churn['users.churn_monthly.steady'] * CHURN_RISE:.1%})"
            + f" the head case would lose {format_money(loss, None)} in year 1")


def risks(study: Study) -> list[Claim]:
    s1, s2, s3 = "001 §5.4.1", "001 §5.4.2", "001 §5.4.3"
    scope = PLAN + ("study_head",)

    def losses(change, bases=REVENUE_BASES):
        """The readings of a stated revenue loss: the loss of year-1 revenue on each base, the standard first."""
        return [(name, study.revenue_loss(change, basis)) for name, basis in bases]

    head = study.scenario("study_head")
    purchases, aov = head["revenue.community.purchases_per_year"], head["revenue.community.aov"]
    return [
        check(id="5.4.1-labour-overrun", section=s1, zh="人力成本上漲15%,額外投入30萬元", en="labour cost +15%: 30万 extra",
               stated=30e4, unit="CNY/year", inputs="labour 45% of 400-500万 (§5.1.2)", method="15% × the labour budget (a cost)",
               readings=[("15% of 180-225万", tuple(0.15 * OPEX_SPLIT["labour"] * v for v in OPEX_RANGE))], tolerance=APPROX, scenarios=scope,
               mode="contains"),
        check(id="5.4.1-events-overrun", section=s1, zh="活動執行超預算20%,額外投入40萬元", en="events 20% over budget: 40万 extra",
               stated=40e4, unit="CNY/year", inputs="activities 35% of 400-500万; or §5.1.2's 12 events for 180万",
               method="20% × the activities budget (a cost)", readings=[
                   ("20% of 140-175万", tuple(0.20 * OPEX_SPLIT["activities"] * v for v in OPEX_RANGE)),
                   ("20% of the 180万 events example", 0.20 * 180e4)], tolerance=APPROX, scenarios=scope, mode="contains"),
        unchecked(id="5.4.1-tech-delay", section=s1, zh="技術開發延遲3個月,額外投入50萬元", en="tech 3 months late: 50万 extra",
                   stated=50e4, unit="CNY", inputs="3 months", why="the study does not say what a month of delay costs", scenarios=scope),
        check(id="5.4.2-conversion", section=s2, zh="轉化率5%,低於預期7.5%,收益減少3000萬元",
               en="conversion 5% instead of 7.5%: revenue −3000万", stated=3000e4, unit="CNY/year",
               inputs="1,000,000 users × 150元 × 12 purchases; conversion 7.5% → 5%", method=REVENUE_METHOD,
               readings=losses({"revenue.community.conversion": 0.05}), tolerance=APPROX, scenarios=scope),
        unchecked(id="5.4.2-repurchase", section=s2, zh="復購率30%,低於預期40%,收益減少2000萬元",
                   en="repurchase 30% instead of 40%: revenue −2000万", stated=2000e4, unit="CNY/year", inputs="repurchase 40% → 30%",
                   why="the study never ties a repurchase rate to its 12 purchases a year; read as purchases −25% the "
                   "revenue loss would be "
                   + format_money(study.revenue_loss({"revenue.community.purchases_per_year": purchases * 0.75}), None),
                   scenarios=scope),
        check(id="5.4.2-premium", section=s2, zh="溢價率10%,低於預期15%,收益減少1000萬元",
               en="premium 10% instead of 15%: revenue −1000万", stated=1000e4, unit="CNY/year",
               inputs="community sales 1.35亿; premium 15% → 10% on the exclusive share (20%, §5.2.3) or on all",
               method=REVENUE_METHOD + "; the premium's readings as for §5.2.1's 2000万",
               readings=losses({"revenue.exclusive.premium": 0.10}, PREMIUM_BASES), tolerance=APPROX, scenarios=scope),
        check(id="5.4.3-frequency", section=s3, zh="社群用戶消費頻次下降10%,收益減少1500萬元",
               en="purchase frequency −10%: revenue −1500万", stated=1500e4, unit="CNY/year", inputs="12 purchases → 10.8",
               method=REVENUE_METHOD, readings=losses({"revenue.community.purchases_per_year": purchases * 0.9}),
               tolerance=APPROX, scenarios=scope),
        check(id="5.4.3-aov", section=s3, zh="客單價下降8%,收益減少1000萬元", en="order value −8%: revenue −1000万", stated=1000e4,
               unit="CNY/year", inputs="150元 → 138元", method=REVENUE_METHOD,
               readings=losses({"revenue.community.aov": aov * 0.92}), tolerance=APPROX, scenarios=scope),
        unchecked(id="5.4.3-churn", section=s3, zh="用戶流失率上升5%,收益減少800萬元", en="churn +5%: revenue −800万",
                   stated=800e4, unit="CNY/year", inputs="1,000,000 users; churn × 1.05 (the churn is not stated)",
                   why=churn_explanation(study), scenarios=scope),
    ]


def technology(study: Study) -> list[Claim]:
    s = "001 §三(四)"
    shares = {"hardware": 0.15, "software": 0.50, "labour": 0.35}
    saas_only = shares["software"] * 0.40
    cloud_saas = saas_only + shares["hardware"] * 0.30
    rest = 1 - cloud_saas - shares["labour"]  # hardware and software left after the two cuts
    all_three = 1 - rest / (1 - 0.25)  # labour then 25% of what remains
    return [
        check(id="3.4.1-structure-sum", section=s + "4.1", zh="硬件成本…占15%…軟件成本…占50%…人力成本…占35%",
               en="technology cost: hardware 15%, software 50%, labour 35%", stated=1.0, unit="fraction", inputs="15%, 50%, 35%",
               method="sum of the shares", readings=[("sum", sum(shares.values()))], tolerance=SHARE, scenarios=PLAN),
        check(id="3.4.1-saas-cut", section=s + "4.1", zh="某服裝品牌2024年社群技術總投入320萬元,其中SaaS方案采用使初始成本降低48%",
               en="an apparel brand (320万 of technology): SaaS cut its initial cost by 48%", stated=0.48, unit="fraction",
               inputs="software 50% of tech cost, SaaS −40%; cloud −30% on hardware 15%; labour share down to 25%",
               method="the cost structure's levers applied to 100% of the tech cost", readings=[
                   ("SaaS alone (the lever the claim names)", saas_only), ("SaaS and cloud", cloud_saas),
                   ("SaaS, cloud and labour share 25%", all_three)], tolerance=SHARE, scenarios=PLAN),
        check(id="3.4.2-efficiency", section=s + "4.2", zh="社群人均管理用戶數從500人提升至1500人,2024年行業平均效率提升200%",
               en="users per operator 500 → 1500: efficiency +200%", stated=2.0, unit="fraction", inputs="500, 1500", method="1500 ÷ 500 − 1",
               readings=[("ratio", 1500 / 500 - 1)], tolerance=SHARE, scenarios=PLAN),
        check(id="3.4.2-ltv", section=s + "4.2", zh="用戶生命周期價值(LTV)增長32%", en="lifetime value (LTV) +32%", stated=0.32, unit="fraction",
               inputs="§5.2.2: community LTV 1200元, non-community 800元", method="1200 ÷ 800 − 1",
               readings=[("§5.2.2's LTV figures", 1200 / 800 - 1)], tolerance=SHARE, scenarios=PLAN,
               explanation="§5.2.2's economics assume a larger LTV gain than §三 states"),
    ]


def conclusion_claims(study: Study) -> list[Claim]:
    s = "001 §七 (and §5.3)"
    tiers = [study.result(t.stem) for t in STUDY_TIERS]

    def spread(metric: str, results: Sequence[Result] = tiers) -> tuple[float, float]:
        values = [r.metrics[metric] for r in results]
        return min(values), max(values)

    examples = 18e4 + 32e4 + 120e4 + 80e4
    optimised = tuple(study.optimised_opex(v) for v in OPEX_RANGE)
    tier_inputs = "the three study_* tiers of §5.3 (350/200/100万 initial, 400/300/200万 a year, 2.55亿/1.3亿/5000万)"
    return [
        check(id="7-market-size", section="001 §七 1.1", zh="社群營銷市場規模已達4.1萬億元,年增長率28.1%,預計2025年將突破5萬億元",
               en="the market is 4.1万亿, growing 28.1% a year: above 5万亿 in 2025", stated=(5e12, None), unit="CNY",
               inputs="4.1万亿, 28.1%", method="one year of growth", readings=[("4.1万亿 × 1.281", 4.1e12 * 1.281)], tolerance=ARITHMETIC, scenarios=ALL,
               mode="within"),
        check(id="7-initial", section=s, zh="100萬用戶規模的社群營銷項目初始投入約250-350萬元",
               en="initial investment about 250-350万 for 1,000,000 users", stated=INITIAL_RANGE, unit="CNY",
               inputs="§5.1.1's examples: SCRM 50万, team 120万, content 80万", method="sum",
               readings=[("sum of §5.1.1's examples", examples)], tolerance=APPROX, scenarios=ALL, mode="within"),
        check(id="7-opex", section=s, zh="年運營成本300-350萬元", en="operating cost 300-350万 a year", stated=(300e4, 350e4), unit="CNY/year",
               inputs="§5.1.2's 400-500万 with §5.1.3's levers", method="the engine's operating cost with the levers on",
               readings=[("levers on 400万 and 500万", optimised), ("no levers (§5.1.2, as §5.3 uses)", OPEX_RANGE)],
               tolerance=APPROX, scenarios=ALL, mode="endpoints",
               explanation="the conclusion quotes the optimised cost, while §5.3's returns use 400万 / 300万 / 200万"),
        check(id="7-payback", section=s, zh="投資回收期僅1-3個月", en="payback only 1-3 months", stated=(1.0, 3.0), unit="months", inputs=tier_inputs,
               method="evaluate(study_*): payback, lowest to highest", readings=[("monthly flows", spread("payback_months"))],
               tolerance=APPROX, scenarios=ALL, mode="within", explanation="the study's own flows pay back within days, not months"),
        check(id="7-npv", section=s, zh="凈現值(NPV)達1-5億元", en="NPV 1-5亿", stated=(1e8, 5e8), unit="CNY", inputs=tier_inputs,
               method="evaluate(study_*): NPV, lowest to highest",
               readings=[("annual flows (the study's method)", spread("npv_annual")), ("monthly flows", spread("npv"))],
               tolerance=APPROX, scenarios=ALL, mode="within"),
        check(id="7-irr", section=s, zh="內部收益率(IRR)30%-50%", en="IRR 30-50%", stated=(0.30, 0.50), unit="fraction/year", inputs=tier_inputs,
               method="evaluate(study_*): IRR, lowest to highest", readings=[("annual flows", spread("irr_annual")),
                                                             ("monthly flows, annualised", spread("irr"))],
               tolerance=APPROX, scenarios=ALL, mode="within", explanation="the stated IRRs cannot come from the stated flows"),
        unchecked(id="7-part-time-team", section="001 §七 2.1", zh="采用“1名經理+3名兼職”模式,通過AI工具輔助執行,人力成本降低40%",
                   en="'1 manager + 3 part-timers' with AI tools: labour cost −40%", stated=0.40, unit="fraction", inputs="the team shape",
                   why="the study states no part-time pay, nor the team this replaces", scenarios=PLAN),
    ]




__all__ = ["STUDY_TIERS", "HEAD_RATE", "CHURN_RISE", "CHURN_PHASES", "REVENUE_METHOD", "Tier", "tier_claims",
           "payback_reached", "industry_payback", "returns", "churn_explanation", "risks", "technology",
           "conclusion_claims"]
