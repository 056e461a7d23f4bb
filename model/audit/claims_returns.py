"""The catalogue, returns and risks: claims of 001 §5.3 (the three tiers), §5.4, §三(四) and §七."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from ..core import finance
from ..core.evaluation import Result
from ..inputs.texts import Text as T
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
    initial_, opex_, benefit_ = (format_money(x, None) for x in (initial, opex, benefit))
    money = T(f"initial {initial_}, operating cost {opex_}/yr, benefit {benefit_}/yr",
              f"初始投资 {initial_}，运营成本每年 {opex_}，收益每年 {benefit_}")
    scope = (tier.stem,)
    # One list of readings per kind of claim, the same for every tier; the first is the standard one.
    net_readings = [(T("year-1 net: benefit − operating cost − initial investment", "第一年净额：收益 − 运营成本 − 初始投资"), benefit - opex - initial),
                    (T("a later year: benefit − operating cost", "以后年度：收益 − 运营成本"), benefit - opex)]
    at_head_rate = study.result(tier.stem, {"finance.discount_rate_annual": HEAD_RATE})
    npv_readings = [(T("annual flows at the tier's cost of capital (the study's method)", "按年现金流，以该类企业的资金成本折现（研究报告的方法）"), r.metrics["npv_annual"]),
                    (T("monthly flows at the monthly equivalent of that rate", "按月现金流，以该利率的等效月利率折现"), r.metrics["npv"]),
                    (T("annual flows of the stated net benefit at that rate", "所述年净收益的按年现金流，以该利率折现"), finance.npv(rate, stated_flows)),
                    (T(f"annual flows at {HEAD_RATE:.0%} (the only rate §5.3.2 states)",
                       f"按年现金流，以 {HEAD_RATE:.0%} 折现（§5.3.2 唯一给出的利率）"),
                     at_head_rate.metrics["npv_annual"])]
    head_net = format_money(benefit - BASELINE['revenue'], None)
    net_explanation = T(
        "the standard reading is how the mid-size and start-up figures are built (§5.3.1 gives each firm's investment, "
        "yearly cost and benefit for the same year)" + ("" if tier.stem != "study_head" else
        "; the head tier's 2.08亿 is instead 2.55亿 less the 0.48亿 non-community revenue of §5.2.1 "
        f"({head_net}), with no cost deducted: a convention the study uses for this tier only, so it is not a reading"),
        "标准口径就是中型企业和初创企业数字的算法（§5.3.1 给出每家企业同一年的投资、年成本与收益）" + (
            "" if tier.stem != "study_head" else "；头部企业的 2.08亿 则是 2.55亿 减去 §5.2.1 的 0.48亿 非社群收入"
            f"（{head_net}），且不扣除任何成本：研究报告只对这一类企业这样算，因此不作为一种口径"))
    needed = initial / finance.npv(tier.irr, [0.0, 1.0, 1.0, 1.0])
    tech_flows = r.flows.net_cash_flow[0].copy()
    tech_flows[0] = r.flows.investment_tech[0, 0]
    return [
        check(id=f"5.3.1-net-{tier.stem}", section="001 §5.3.1", zh=f"{tier.zh}…年凈收益{quoted_zh(tier.net)}",
               en=f"{tier.en}: net benefit {format_money(tier.net, None)} a year", stated=tier.net, unit="CNY/year", inputs=money,
               method=T(f"evaluate({tier.stem}): year-1 benefit and costs", f"evaluate({tier.stem})：第一年的收益与成本"),
               readings=net_readings, tolerance=ARITHMETIC, scenarios=scope, explanation=net_explanation),
        check(id=f"5.3.1-payback-{tier.stem}", section="001 §5.3.1", zh=f"{tier.zh}…{tier.payback_zh}",
               en=f"{tier.en}: payback about {tier.payback_months:.2g} months", stated=tier.payback_months, unit="months", inputs=money,
               method=T(f"evaluate({tier.stem}): payback", f"evaluate({tier.stem})：投资回收期"), readings=[
                   (T("monthly flows (payback_months)", "按月现金流（payback_months）"), r.metrics["payback_months"]),
                   (T("annual flows, interpolated within year 1", "按年现金流，在第 1 年内插值"),
                    MONTHS_PER_YEAR * finance.payback_period(annual["net_cash_flow"].to_numpy())),
                   (T("initial ÷ the stated net benefit a month", "初始投资 ÷ 所述每月净收益"),
                    finance.payback_period(np.array([-initial] + [tier.net / MONTHS_PER_YEAR] * 36)))],
               tolerance=rounded(tier.payback_unit, "month" if tier.payback_unit == 1 else "week"), scenarios=scope),
        check(id=f"5.3.2-npv-{tier.stem}", section="001 §5.3.2", zh=f"{tier.zh_returns}…NPV≈{quoted_zh(tier.npv)}",
               en=f"{tier.en}: NPV about {format_money(tier.npv, None)} over 3 years", stated=tier.npv, unit="CNY", inputs=T(money + f", 3 years, {rate:.0%} a year", money.zh + f"，3 年，每年 {rate:.0%}"),
               method=T(f"evaluate({tier.stem}) and finance.npv", f"evaluate({tier.stem}) 与 finance.npv"), readings=npv_readings, tolerance=APPROX, scenarios=scope),
        check(id=f"5.3.3-irr-{tier.stem}", section="001 §5.3.3",
               zh=f"{tier.zh_returns}IRR≈{tier.irr:.0%},高於資金成本{tier.cost_of_capital:.0%}",
               en=f"{tier.en}: IRR about {tier.irr:.0%}, above its {tier.cost_of_capital:.0%} cost of capital", stated=tier.irr,
               unit="fraction/year", inputs=T(money + ", 3 years", money.zh + "，3 年"),
               method=T(f"evaluate({tier.stem}) and finance.irr", f"evaluate({tier.stem}) 与 finance.irr"),
               readings=[(T("annual flows (irr_annual)", "按年现金流（irr_annual）"), r.metrics["irr_annual"]),
                (T("monthly flows, annualised (irr)", "按月现金流，年化（irr）"), r.metrics["irr"]),
                (T("annual flows of the stated net benefit", "所述年净收益的按年现金流"), finance.irr(stated_flows))],
               tolerance=APPROX, scenarios=scope, explanation=T(
                   f"an IRR of {tier.irr:.0%} over 3 years needs net inflows of only {format_money(needed, None)} a year "
                   f"on {format_money(initial, None)}; the stated flows are about {tier.net / needed:.0f} times that",
                   f"3 年期内部收益率 {tier.irr:.0%}，在 {format_money(initial, None)} 的投资上每年只需 "
                   f"{format_money(needed, None)} 的净流入；所述现金流约为其 {tier.net / needed:.0f} 倍")),
        check(id=f"3.4.3-tech-payback-{tier.stem}", section="001 §三(四)4.3",
               zh={"study_head": "頭部企業:投資回收期6-8個月", "study_mid": "中型企業:投資回收期8-12個月",
                "study_startup": "初創企業:投資回收期12-18個月"}[tier.stem],
               en=f"{tier.en}: the technology pays back in {tier.tech_payback[0]}-{tier.tech_payback[1]} months",
               stated=tier.tech_payback, unit="months", inputs=money, method=T(f"evaluate({tier.stem}): payback of the §5.3 flows",
                                                        f"evaluate({tier.stem})：§5.3 现金流的投资回收期"),
               readings=[(T("whole initial investment, monthly flows", "全部初始投资，按月现金流"), r.metrics["payback_months"]),
                (T("technology investment only, monthly flows", "仅技术投资，按月现金流"), finance.payback_period(tech_flows))],
               tolerance=APPROX, scenarios=scope, mode="within", explanation=T(
                   "the §5.3 figures of the same tier pay back within weeks; §三 and §五 cannot both hold",
                   "同一类企业按 §5.3 的数字几周内即可收回投资；§三 与 §五 不可能同时成立")),
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
        inputs=T("base.yaml: the 1,000,000-user plan, incremental revenue after its gross margin, the costs of §5.1", "base.yaml：100 万用户方案，按增量收入并扣除毛利率，成本取 §5.1"),
        method=T("evaluate(base): payback", "evaluate(base)：投资回收期"), readings=[
            (T("monthly flows (payback_months)", "按月现金流（payback_months）"), payback_reached(r.metrics["payback_months"], horizon)),
            (T("annual flows, interpolated within the year", "按年现金流，在年内插值"), payback_reached(annual, horizon))],
        tolerance=rounded(1.0, "month"), scenarios=("base",), mode="within",
        explanation=T("an industry range, not a result of the study's inputs: it is checked against our base case, "
                      "whose payback changes with base.yaml",
                      "这是行业区间，不是由研究报告的输入得出的结果：用我方基准情景核对，其回收期随 base.yaml 变化"))


def returns(study: Study) -> list[Claim]:
    claims = [industry_payback(study)] + [c for tier in STUDY_TIERS for c in tier_claims(study, tier)]
    head = next(t for t in STUDY_TIERS if t.stem == "study_head")
    implied = finance.irr(np.array([-1.0] + [1.0 / head.payback_months] * 36))
    claims.append(check(
        id="5.3.3-irr-vs-payback", section="001 §5.3.1, §5.3.3", zh="回收期約2個月…IRR≈45%",
        en="head brand: payback about 2 months and IRR about 45%", stated=head.irr, unit="fraction/year",
        inputs=T("a 2-month payback: level monthly net flows of half the investment, 36 months", "2 个月回收期：每月净流入恒为投资的一半，共 36 个月"),
        method=T("finance.irr on monthly flows, annualised", "对按月现金流求 finance.irr，再年化"), readings=[(T("lowest IRR a 2-month payback allows", "2 个月回收期所允许的最低内部收益率"),
                                                       float(finance.annual_from_monthly(implied)))],
        tolerance=APPROX, scenarios=("study_head",), explanation=T(
            "a project that repays its outlay in 2 months and keeps earning for 3 years cannot have an IRR of 45%: the two "
            "stated figures contradict each other",
            "一个 2 个月收回投资、并持续盈利 3 年的项目，内部收益率不可能只有 45%：所述两个数字相互矛盾")))
    return claims


#: 5.4.3's "用戶流失率上升5%": 5% of the monthly churn rate (see the claim's explanation); the
#: risk register of the scenarios should read it the same way (multiply users.churn_monthly by 1.05).
CHURN_RISE = 1.05
CHURN_PHASES = ("pilot", "rollout", "optimisation", "steady")
REVENUE_METHOD = T("engine: study_head's year-1 revenue before − after the change (the measure the study states: "
                   "revenue, not profit or NPV)",
                   "模型：study_head 变动前后第一年收入之差（研究报告所说的衡量口径：收入，而非利润或净现值）")


def churn_explanation(study: Study) -> str:
    """Why 5.4.3's churn claim reads as a relative rise of the monthly rate, and what it would come to."""
    base = study.scenario("base")
    churn = {f"users.churn_monthly.{p}": float(base[f"users.churn_monthly.{p}"]) for p in CHURN_PHASES}
    loss = study.revenue_loss({k: v * CHURN_RISE for k, v in churn.items()}, churn)
    before, after = churn["users.churn_monthly.steady"], churn["users.churn_monthly.steady"] * CHURN_RISE
    quotes = ("(§二3.3 '用戶月流失率曾高達15%')", "(§5.2.2 '整體轉化率提升1.5個百分點', §三(四)4.2 '轉化率提升5.2個百分點')")
    return T("read as 5% of the monthly churn rate: 001's churn rates are monthly " + quotes[0] + ", and it writes "
             "個百分點 when it means points " + quotes[1] + ", while the same sentence's other impacts (frequency −10%, "
             "order value −8%) are relative changes. The rise then depends on the churn it applies to, which the study "
             f"does not state (study_head has none); at base.yaml's churn (ours, {before:.0%} a month → {after:.1%}) the "
             f"head case would lose {format_money(loss, None)} in year 1",
             "理解为月流失率的 5%：001 的流失率都是月度的" + quotes[0] + "，而且它表示百分点时写作“個百分點”" + quotes[1]
             + "，同一句中的其他影响（频次 −10%、客单价 −8%）也都是相对变化。因此上升幅度取决于它所作用的流失率，而研究报告"
             f"没有给出（study_head 没有流失）；按 base.yaml 的流失率（我方假设，每月 {before:.0%} → {after:.1%}），头部企业"
             f"第一年将损失 {format_money(loss, None)}")


def risks(study: Study) -> list[Claim]:
    s1, s2, s3 = "001 §5.4.1", "001 §5.4.2", "001 §5.4.3"
    scope = PLAN + ("study_head",)

    def losses(change, bases=REVENUE_BASES):
        """The readings of a stated revenue loss: the loss of year-1 revenue on each base, the standard first."""
        return [(name, study.revenue_loss(change, basis)) for name, basis in bases]

    head = study.scenario("study_head")
    purchases, aov = head["revenue.community.purchases_per_year"], head["revenue.community.aov"]
    repurchase_loss = format_money(study.revenue_loss({"revenue.community.purchases_per_year": purchases * 0.75}), None)
    return [
        check(id="5.4.1-labour-overrun", section=s1, zh="人力成本上漲15%,額外投入30萬元", en="labour cost +15%: 30万 extra",
               stated=30e4, unit="CNY/year", inputs=T("labour 45% of 400-500万 (§5.1.2)", "人力占 400-500万 的 45%（§5.1.2）"), method=T("15% × the labour budget (a cost)", "15% × 人力预算（一项成本）"),
               readings=[(T("15% of 180-225万", "180-225万 的 15%"), tuple(0.15 * OPEX_SPLIT["labour"] * v for v in OPEX_RANGE))], tolerance=APPROX, scenarios=scope,
               mode="contains"),
        check(id="5.4.1-events-overrun", section=s1, zh="活動執行超預算20%,額外投入40萬元", en="events 20% over budget: 40万 extra",
               stated=40e4, unit="CNY/year", inputs=T("activities 35% of 400-500万; or §5.1.2's 12 events for 180万", "活动占 400-500万 的 35%；或 §5.1.2 中 12 场活动共 180万"),
               method=T("20% × the activities budget (a cost)", "20% × 活动预算（一项成本）"), readings=[
                   (T("20% of 140-175万", "140-175万 的 20%"), tuple(0.20 * OPEX_SPLIT["activities"] * v for v in OPEX_RANGE)),
                   (T("20% of the 180万 events example", "180万 活动示例的 20%"), 0.20 * 180e4)], tolerance=APPROX, scenarios=scope, mode="contains"),
        unchecked(id="5.4.1-tech-delay", section=s1, zh="技術開發延遲3個月,額外投入50萬元", en="tech 3 months late: 50万 extra",
                   stated=50e4, unit="CNY", inputs=T("3 months", "3 个月"), why=T("the study does not say what a month of delay costs", "研究报告没有说明每延迟一个月的成本"), scenarios=scope),
        check(id="5.4.2-conversion", section=s2, zh="轉化率5%,低於預期7.5%,收益減少3000萬元",
               en="conversion 5% instead of 7.5%: revenue −3000万", stated=3000e4, unit="CNY/year",
               inputs=T("1,000,000 users × 150元 × 12 purchases; conversion 7.5% → 5%", "1,000,000 名用户 × 150元 × 12 次购买；转化率 7.5% → 5%"), method=REVENUE_METHOD,
               readings=losses({"revenue.community.conversion": 0.05}), tolerance=APPROX, scenarios=scope),
        unchecked(id="5.4.2-repurchase", section=s2, zh="復購率30%,低於預期40%,收益減少2000萬元",
                   en="repurchase 30% instead of 40%: revenue −2000万", stated=2000e4, unit="CNY/year", inputs=T("repurchase 40% → 30%", "复购率 40% → 30%"),
                   why=T("the study never ties a repurchase rate to its 12 purchases a year; read as purchases −25% the "
                         "revenue loss would be " + repurchase_loss,
                         "研究报告从未把复购率与每年 12 次购买联系起来；若理解为购买次数 −25%，收入损失将为 " + repurchase_loss),
                   scenarios=scope),
        check(id="5.4.2-premium", section=s2, zh="溢價率10%,低於預期15%,收益減少1000萬元",
               en="premium 10% instead of 15%: revenue −1000万", stated=1000e4, unit="CNY/year",
               inputs=T("community sales 1.35亿; premium 15% → 10% on the exclusive share (20%, §5.2.3) or on all", "社群销售额 1.35亿；溢价 15% → 10%，计在专属产品（20%，§5.2.3）或全部销售上"),
               method=T(REVENUE_METHOD + "; the premium's readings as for §5.2.1's 2000万",
                        REVENUE_METHOD.zh + "；溢价的口径同 §5.2.1 的 2000万"),
               readings=losses({"revenue.exclusive.premium": 0.10}, PREMIUM_BASES), tolerance=APPROX, scenarios=scope),
        check(id="5.4.3-frequency", section=s3, zh="社群用戶消費頻次下降10%,收益減少1500萬元",
               en="purchase frequency −10%: revenue −1500万", stated=1500e4, unit="CNY/year", inputs=T("12 purchases → 10.8", "12 次购买 → 10.8 次"),
               method=REVENUE_METHOD, readings=losses({"revenue.community.purchases_per_year": purchases * 0.9}),
               tolerance=APPROX, scenarios=scope),
        check(id="5.4.3-aov", section=s3, zh="客單價下降8%,收益減少1000萬元", en="order value −8%: revenue −1000万", stated=1000e4,
               unit="CNY/year", inputs="150元 → 138元", method=REVENUE_METHOD,
               readings=losses({"revenue.community.aov": aov * 0.92}), tolerance=APPROX, scenarios=scope),
        unchecked(id="5.4.3-churn", section=s3, zh="用戶流失率上升5%,收益減少800萬元", en="churn +5%: revenue −800万",
                   stated=800e4, unit="CNY/year", inputs=T("1,000,000 users; churn × 1.05 (the churn is not stated)", "1,000,000 名用户；流失率 × 1.05（流失率未说明）"),
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
               method=T("sum of the shares", "各占比之和"), readings=[(T("sum", "加总"), sum(shares.values()))], tolerance=SHARE, scenarios=PLAN),
        check(id="3.4.1-saas-cut", section=s + "4.1", zh="某服裝品牌2024年社群技術總投入320萬元,其中SaaS方案采用使初始成本降低48%",
               en="an apparel brand (320万 of technology): SaaS cut its initial cost by 48%", stated=0.48, unit="fraction",
               inputs=T("software 50% of tech cost, SaaS −40%; cloud −30% on hardware 15%; labour share down to 25%", "软件占技术成本 50%，SaaS −40%；硬件占 15%，上云 −30%；人力占比降至 25%"),
               method=T("the cost structure's levers applied to 100% of the tech cost", "把成本结构中的降本措施作用于 100% 的技术成本"), readings=[
                   (T("SaaS alone (the lever the claim names)", "仅 SaaS（该说法所指的措施）"), saas_only), (T("SaaS and cloud", "SaaS 与上云"), cloud_saas),
                   (T("SaaS, cloud and labour share 25%", "SaaS、上云，且人力占比 25%"), all_three)], tolerance=SHARE, scenarios=PLAN),
        check(id="3.4.2-efficiency", section=s + "4.2", zh="社群人均管理用戶數從500人提升至1500人,2024年行業平均效率提升200%",
               en="users per operator 500 → 1500: efficiency +200%", stated=2.0, unit="fraction", inputs="500, 1500", method="1500 ÷ 500 − 1",
               readings=[(T("ratio", "比值"), 1500 / 500 - 1)], tolerance=SHARE, scenarios=PLAN),
        check(id="3.4.2-ltv", section=s + "4.2", zh="用戶生命周期價值(LTV)增長32%", en="lifetime value (LTV) +32%", stated=0.32, unit="fraction",
               inputs=T("§5.2.2: community LTV 1200元, non-community 800元", "§5.2.2：社群用户 LTV 1200元，非社群用户 800元"), method="1200 ÷ 800 − 1",
               readings=[(T("§5.2.2's LTV figures", "§5.2.2 的 LTV 数字"), 1200 / 800 - 1)], tolerance=SHARE, scenarios=PLAN,
               explanation=T("§5.2.2's economics assume a larger LTV gain than §三 states", "§5.2.2 的测算假设的 LTV 增幅大于 §三 所述")),
    ]


def conclusion_claims(study: Study) -> list[Claim]:
    s = T("001 §七 (and §5.3)", "001 §七（及 §5.3）")
    tiers = [study.result(t.stem) for t in STUDY_TIERS]

    def spread(metric: str, results: Sequence[Result] = tiers) -> tuple[float, float]:
        values = [r.metrics[metric] for r in results]
        return min(values), max(values)

    examples = 18e4 + 32e4 + 120e4 + 80e4
    optimised = tuple(study.optimised_opex(v) for v in OPEX_RANGE)
    tier_inputs = T("the three study_* tiers of §5.3 (350/200/100万 initial, 400/300/200万 a year, 2.55亿/1.3亿/5000万)", "§5.3 的三类 study_* 企业（初始投资 350/200/100万，每年 400/300/200万，收益 2.55亿/1.3亿/5000万）")
    return [
        check(id="7-market-size", section="001 §七 1.1", zh="社群營銷市場規模已達4.1萬億元,年增長率28.1%,預計2025年將突破5萬億元",
               en="the market is 4.1万亿, growing 28.1% a year: above 5万亿 in 2025", stated=(5e12, None), unit="CNY",
               inputs="4.1万亿, 28.1%", method=T("one year of growth", "增长一年"), readings=[("4.1万亿 × 1.281", 4.1e12 * 1.281)], tolerance=ARITHMETIC, scenarios=ALL,
               mode="within"),
        check(id="7-initial", section=s, zh="100萬用戶規模的社群營銷項目初始投入約250-350萬元",
               en="initial investment about 250-350万 for 1,000,000 users", stated=INITIAL_RANGE, unit="CNY",
               inputs=T("§5.1.1's examples: SCRM 50万, team 120万, content 80万", "§5.1.1 的示例：SCRM 50万，团队 120万，内容 80万"), method=T("sum", "加总"),
               readings=[(T("sum of §5.1.1's examples", "§5.1.1 示例之和"), examples)], tolerance=APPROX, scenarios=ALL, mode="within"),
        check(id="7-opex", section=s, zh="年運營成本300-350萬元", en="operating cost 300-350万 a year", stated=(300e4, 350e4), unit="CNY/year",
               inputs=T("§5.1.2's 400-500万 with §5.1.3's levers", "§5.1.2 的 400-500万，加上 §5.1.3 的降本措施"), method=T("the engine's operating cost with the levers on", "模型在启用降本措施时的运营成本"),
               readings=[(T("levers on 400万 and 500万", "降本措施作用于 400万 与 500万"), optimised), (T("no levers (§5.1.2, as §5.3 uses)", "不采用降本措施（§5.1.2，即 §5.3 所用）"), OPEX_RANGE)],
               tolerance=APPROX, scenarios=ALL, mode="endpoints",
               explanation=T("the conclusion quotes the optimised cost, while §5.3's returns use 400万 / 300万 / 200万", "结论引用的是优化后的成本，而 §5.3 的回报测算用的是 400万 / 300万 / 200万")),
        check(id="7-payback", section=s, zh="投資回收期僅1-3個月", en="payback only 1-3 months", stated=(1.0, 3.0), unit="months", inputs=tier_inputs,
               method=T("evaluate(study_*): payback, lowest to highest", "evaluate(study_*)：投资回收期，从最低到最高"), readings=[(T("monthly flows", "按月现金流"), spread("payback_months"))],
               tolerance=APPROX, scenarios=ALL, mode="within", explanation=T("the study's own flows pay back within days, not months", "按研究报告自身的现金流，几天内就能收回投资，而不是几个月")),
        check(id="7-npv", section=s, zh="凈現值(NPV)達1-5億元", en="NPV 1-5亿", stated=(1e8, 5e8), unit="CNY", inputs=tier_inputs,
               method=T("evaluate(study_*): NPV, lowest to highest", "evaluate(study_*)：净现值，从最低到最高"),
               readings=[(T("annual flows (the study's method)", "按年现金流（研究报告的方法）"), spread("npv_annual")), (T("monthly flows", "按月现金流"), spread("npv"))],
               tolerance=APPROX, scenarios=ALL, mode="within"),
        check(id="7-irr", section=s, zh="內部收益率(IRR)30%-50%", en="IRR 30-50%", stated=(0.30, 0.50), unit="fraction/year", inputs=tier_inputs,
               method=T("evaluate(study_*): IRR, lowest to highest", "evaluate(study_*)：内部收益率，从最低到最高"), readings=[(T("annual flows", "按年现金流"), spread("irr_annual")),
                                                             (T("monthly flows, annualised", "按月现金流，年化"), spread("irr"))],
               tolerance=APPROX, scenarios=ALL, mode="within", explanation=T("the stated IRRs cannot come from the stated flows", "所述内部收益率不可能由所述现金流得出")),
        unchecked(id="7-part-time-team", section="001 §七 2.1", zh="采用“1名經理+3名兼職”模式,通過AI工具輔助執行,人力成本降低40%",
                   en="'1 manager + 3 part-timers' with AI tools: labour cost −40%", stated=0.40, unit="fraction", inputs=T("the team shape", "团队构成"),
                   why=T("the study states no part-time pay, nor the team this replaces", "研究报告既未给出兼职人员的薪酬，也未说明被替代的是怎样的团队"), scenarios=PLAN),
    ]




__all__ = ["STUDY_TIERS", "HEAD_RATE", "CHURN_RISE", "CHURN_PHASES", "REVENUE_METHOD", "Tier", "tier_claims",
           "payback_reached", "industry_payback", "returns", "churn_explanation", "risks", "technology",
           "conclusion_claims"]
