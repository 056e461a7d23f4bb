"""The catalogue, revenue: claims of 001 §5.2 (direct revenue, indirect benefits, growth)."""

from __future__ import annotations

from ..core import finance
from ..inputs.texts import Text as T
from ..inputs.units import MONTHS_PER_YEAR
from .compare import APPROX, ARITHMETIC, SHARE, Claim, check
from .sources import BASELINE, COMMUNITY, PLAN, PREMIUM_BASES, REPURCHASE_UPLIFT, USERS, Study, yearly_sales


def direct_revenue(study: Study) -> list[Claim]:
    s = "001 §5.2.1"
    scope = PLAN + ("study_head",)
    community = study.year1("study_head", "community_revenue")
    uplifted = tuple(yearly_sales(USERS, BASELINE["conversion"], COMMUNITY["purchases"] / (1 + u), BASELINE["aov"])
                     for u in reversed(REPURCHASE_UPLIFT))
    baseline = [(T("the community's 12 purchases ÷ (1 + the 20-30% repurchase uplift)", "社群的 12 次购买 ÷（1 + 20-30% 的复购提升）"), uplifted),
                (T("12 purchases a year (as the community)", "每年 12 次购买（与社群相同）"), yearly_sales(USERS, BASELINE["conversion"],
                                                                         COMMUNITY["purchases"], BASELINE["aov"]))]
    future = {}
    for label, scale in ((T("baseline fixed at 0.48亿", "基线固定为 0.48亿"), None), (T("baseline at 12 purchases", "基线按 12 次购买"), 1.0),
                         (T("baseline frequency 20% below the community's", "基线购买频次比社群低 20%"), 1 / (1 + REPURCHASE_UPLIFT[0]))):
        ends = []
        for conversion, purchases in ((0.09, 12), (0.10, 15)):
            base = BASELINE["revenue"] if scale is None else yearly_sales(
                USERS, BASELINE["conversion"], purchases * scale, BASELINE["aov"])
            ends.append(yearly_sales(USERS, conversion, purchases, COMMUNITY["aov"]) - base)
        future[label] = tuple(ends)
    return [
        check(id="5.2.1-community-revenue", section=s, zh="社群用戶年營收約1.35億元(100萬×7.5%×150元×12次復購)",
               en="community revenue about 1.35亿 a year (1M × 7.5% × 150元 × 12 purchases)", stated=1.35e8, unit="CNY/year",
               inputs=T("1,000,000 users, 7.5%, 150元, 12 purchases/yr", "1,000,000 名用户，7.5%，150元，每年 12 次购买"), method=T("engine: study_head, community revenue of year 1", "模型：study_head，第一年社群收入"),
               readings=[(T("engine, study_head year 1", "模型，study_head 第一年"), community)], tolerance=ARITHMETIC, scenarios=scope),
        check(id="5.2.1-baseline-revenue", section=s, zh="非社群用戶轉化率4%,客單價120元…非社群用戶約0.48億元",
               en="non-community users (4%, 120元) about 0.48亿 a year", stated=BASELINE["revenue"], unit="CNY/year",
               inputs=T("1,000,000 users × 4% × 120元 × purchases (not stated)", "1,000,000 名用户 × 4% × 120元 × 购买次数（未说明）"), method=T("the engine's sales formula × 12", "模型的销售额公式 × 12"),
               readings=baseline, tolerance=ARITHMETIC, scenarios=scope, mode="contains",
               explanation=T("the study states no purchases for non-community users; the standard reading takes them "
                             "from the same paragraph (community repurchase 20-30% above non-community): 9.2-10 a year. "
                             "The stated 0.48亿 is its 10-purchase end (base.yaml uses 10)",
                             "研究报告没有给出非社群用户的购买次数；标准口径取自同一段落（社群复购比非社群高 20-30%）：每年 "
                             "9.2-10 次。所述 0.48亿 对应其中 10 次的一端（base.yaml 取 10 次）")),
        check(id="5.2.1-increment", section=s, zh="直接收益增量約0.87億元/年", en="direct revenue increment about 0.87亿 a year",
               stated=0.87e8, unit="CNY/year", inputs=T("1.35亿 community − 0.48亿 non-community", "社群 1.35亿 − 非社群 0.48亿"), method=T("difference", "相减"),
               readings=[("1.35亿 − 0.48亿", 1.35e8 - BASELINE["revenue"])], tolerance=ARITHMETIC, scenarios=scope,
               explanation=T("an increment of sales, not of profit: no cost of goods is deducted", "这是销售额的增量，不是利润的增量：没有扣除销售成本")),
        check(id="5.2.1-increment-2025", section=s, zh="2025年…轉化率有望提升至9%-10%,復購次數增至12-15次,直接收益增量預計達1.2億-1.5億元/年",
               en="2025: conversion 9-10%, 12-15 purchases a year, increment 1.2-1.5亿 a year", stated=(1.2e8, 1.5e8),
               unit="CNY/year", inputs=T("1,000,000 users, 150元; 9% × 12 at the low end, 10% × 15 at the high end", "1,000,000 名用户，150元；低端 9% × 12，高端 10% × 15"),
               method=T("community sales − baseline, from the low inputs to the high inputs", "社群销售额 − 基线，从低端输入到高端输入"), readings=list(future.items()),
               tolerance=APPROX, scenarios=scope, mode="inside",
               explanation=T("conversion (9-10%) and purchases (12-15) are stated as ranges, so the increment may lie "
                             "anywhere between the two ends; a stated range inside the recomputed one is consistent. The "
                             "standard reading keeps the non-community revenue at the stated 0.48亿",
                             "转化率（9-10%）和购买次数（12-15）都以区间给出，增量可落在两端之间的任何位置；所述区间落在"
                             "重算区间之内即为一致。标准口径把非社群收入保持在所述的 0.48亿")),
        check(id="5.2.1-premium", section=s, zh="社群專屬產品溢價率15%,年溢價收益約2000萬元",
               en="exclusive products at a 15% premium earn about 2000万 a year", stated=2000e4, unit="CNY/year",
               inputs=T("15% premium; community sales 1.35亿; exclusive share 20% (§5.2.3)", "溢价 15%；社群销售额 1.35亿；专属产品占比 20%（§5.2.3）"),
               method=T("engine: study_head with an exclusive share and premium, year 1", "模型：study_head 加上专属产品占比与溢价，第一年"),
               readings=[(name, study.year1("study_head", "exclusive_premium", basis)) for name, basis in PREMIUM_BASES],
               tolerance=APPROX, scenarios=scope, explanation=T(
                   "the example is a luxury brand; on the plan's own mix (exclusive products 20% of sales, §5.2.3) the "
                   "premium is a fifth of 2000万, which needs every community sale to carry it",
                   "该示例是一个奢侈品牌；按本方案自身的产品结构（专属产品占销售额 20%，§5.2.3），溢价只有 2000万 的五分之一，"
                   "要达到 2000万，须每笔社群销售都带有溢价")),
    ]


def indirect_and_growth(study: Study) -> list[Claim]:
    s, g = "001 §5.2.2", "001 §5.2.3"
    scope = PLAN + ("study_head",)
    direct = {T("community revenue 1.35亿", "社群收入 1.35亿"): 1.35e8, T("community revenue + premium 2000万", "社群收入 + 溢价 2000万"): 1.35e8 + 2000e4}
    users = {}
    for label, rates, compound in ((T("5-8% a month compounded (engine)", "每月 5-8%，复利（模型）"), (0.05, 0.08), True),
                                   (T("8-10% a month compounded (2025 rates)", "每月 8-10%，复利（2025 年增速）"), (0.08, 0.10), True),
                                   (T("5-8% a month, simple", "每月 5-8%，单利"), (0.05, 0.08), False)):
        users[label] = tuple(
            float(study.result("study_head", {"users.growth_monthly.steady": r}).flows.users[0, MONTHS_PER_YEAR])
            if compound else USERS * (1 + MONTHS_PER_YEAR * r) for r in rates)
    implied = tuple(float(finance.monthly_from_annual(x)) for x in (0.2, 0.3))
    return [
        check(id="5.2.2-ltv-uplift", section=s, zh="社群用戶LTV比非社群用戶高40%-60%,某母嬰品牌社群用戶LTV1200元,非社群用戶800元",
               en="community LTV 40-60% above non-community: 1200元 vs 800元", stated=(0.40, 0.60), unit="fraction",
               inputs="1200元, 800元", method="1200 ÷ 800 − 1", readings=[(T("ratio", "比值"), 1200 / 800 - 1)], tolerance=SHARE, scenarios=scope, mode="within"),
        check(id="5.2.2-user-asset", section=s, zh="100萬用戶資產增值約4億元", en="1,000,000 users: asset gain about 4亿",
               stated=4e8, unit="CNY", inputs=T("(1200元 − 800元) × 1,000,000 users", "(1200元 − 800元) × 1,000,000 名用户"), method=T("LTV gap × users", "LTV 差额 × 用户数"),
               readings=[(T("LTV gap × users", "LTV 差额 × 用户数"), (1200 - 800) * USERS)], tolerance=ARITHMETIC, scenarios=scope,
               explanation=T("a stock of lifetime value, not a yearly cash flow", "这是终身价值的存量，不是每年的现金流")),
        check(id="5.2.2-data-value", section=s, zh="整體轉化率提升1.5個百分點,年收益約5000萬元",
               en="data lifts overall conversion by 1.5 points, about 5000万 a year", stated=5000e4, unit="CNY/year",
               inputs=T("+1.5 points of conversion on 1,000,000 users", "1,000,000 名用户的转化率提高 1.5 个百分点"), method=T("the engine's sales formula × 12", "模型的销售额公式 × 12"),
               readings=[(T("at the community's 150元 × 12", "按社群的 150元 × 12"), yearly_sales(USERS, 0.015, COMMUNITY["purchases"],
                                                                  COMMUNITY["aov"])),
                (T("at the baseline's 120元 × 10", "按基线的 120元 × 10"), yearly_sales(USERS, 0.015, 10, BASELINE["aov"]))],
               tolerance=APPROX, scenarios=scope, explanation=T(
                   "5000万 would need about 1.85 million users at the community's spending; the example's user base is "
                   "not stated", "按社群的消费水平，5000万 约需 185 万名用户；示例的用户规模未说明")),
        check(id="5.2.2-indirect-total", section=s, zh="間接收益約1.2億-1.5億元/年", en="indirect benefit about 1.2-1.5亿 a year",
               stated=(1.2e8, 1.5e8), unit="CNY/year", inputs=T("word of mouth 3000万/yr, data value 5000万/yr; the 4亿 LTV gain is a stock", "口碑收益每年 3000万，数据价值每年 5000万；4亿 的 LTV 增值是存量"),
               method=T("sum of the itemised yearly benefits", "逐项列出的年度收益之和"), readings=[(T("itemised yearly benefits", "逐项列出的年度收益"), 3000e4 + 5000e4),
                                                         (T("with the 4亿 LTV gain spread over 3 years", "加上 4亿 LTV 增值分摊到 3 年"),
                                                          3000e4 + 5000e4 + 4e8 / 3)],
               tolerance=APPROX, scenarios=scope, mode="within", explanation=T(
                   "the study itemises only 0.8亿 a year of indirect benefit; study_head.yaml carries the rest as 'other' "
                   "to reproduce the 2.55亿",
                   "研究报告只逐项列出每年 0.8亿 的间接收益；study_head.yaml 把其余部分记为“其他”，以复现 2.55亿")),
        check(id="5.2.2-indirect-share", section=s, zh="間接收益…占總收益40%-50%", en="indirect benefit is 40-50% of total benefit",
               stated=(0.40, 0.50), unit="fraction", inputs=T("indirect 1.2-1.5亿; direct benefit as stated in §5.2.1", "间接收益 1.2-1.5亿；直接收益按 §5.2.1 所述"),
               method=T("indirect ÷ (direct + indirect) at both ends of the indirect range", "间接 ÷（直接 + 间接），取间接收益区间的两端"),
               readings=[(T(f"direct = {k}", f"直接收益 = {k.zh}"), tuple(i / (i + d) for i in (1.2e8, 1.5e8)))
                         for k, d in direct.items()],
               tolerance=SHARE, scenarios=scope, mode="within",
               explanation=T("the standard reading takes the direct benefit the head tier's 2.55亿 counts (1.35亿 + 1.2亿 "
                             "indirect, §5.3)", "标准口径采用头部企业 2.55亿 中计入的直接收益（1.35亿 + 间接 1.2亿，§5.3）")),
        check(id="5.2.3-user-growth", section=g, zh="社群用戶月均增長率5%-8%…100萬用戶規模預計增至120萬-130萬",
               en="monthly user growth 5-8%: 1,000,000 users grow to 1.2-1.3 million", stated=(1.2e6, 1.3e6), unit="users",
               inputs=T("1,000,000 users; growth 5-8% a month (2024), 8-10% (2025); 12 months", "1,000,000 名用户；每月增长 5-8%（2024 年）、8-10%（2025 年）；12 个月"),
               method=T("engine: study_head with monthly growth, users at month 12", "模型：study_head 加上月增长率，第 12 月的用户数"), readings=list(users.items()), tolerance=APPROX, scenarios=scope,
               mode="endpoints", explanation=T(f"1.2-1.3 million in 12 months needs {implied[0]:.2%} to {implied[1]:.2%} a month",
                                               f"12 个月内达到 120-130 万，需要每月增长 {implied[0]:.2%} 至 {implied[1]:.2%}")),
    ]


__all__ = ["direct_revenue", "indirect_and_growth"]
