"""The catalogue, revenue: claims of 001 §5.2 (direct revenue, indirect benefits, growth)."""

from __future__ import annotations

from ..core import finance
from ..inputs.units import MONTHS_PER_YEAR
from .compare import APPROX, ARITHMETIC, SHARE, Claim, check
from .sources import BASELINE, COMMUNITY, PLAN, PREMIUM_BASES, REPURCHASE_UPLIFT, USERS, Study, yearly_sales


def direct_revenue(study: Study) -> list[Claim]:
    s = "001 §5.2.1"
    scope = PLAN + ("study_head",)
    community = study.year1("study_head", "community_revenue")
    uplifted = tuple(yearly_sales(USERS, BASELINE["conversion"], COMMUNITY["purchases"] / (1 + u), BASELINE["aov"])
                     for u in reversed(REPURCHASE_UPLIFT))
    baseline = [("the community's 12 purchases ÷ (1 + the 20-30% repurchase uplift)", uplifted),
                ("12 purchases a year (as the community)", yearly_sales(USERS, BASELINE["conversion"],
                                                                         COMMUNITY["purchases"], BASELINE["aov"]))]
    future = {}
    for label, scale in (("baseline fixed at 0.48亿", None), ("baseline at 12 purchases", 1.0),
                         ("baseline frequency 20% below the community's", 1 / (1 + REPURCHASE_UPLIFT[0]))):
        ends = []
        for conversion, purchases in ((0.09, 12), (0.10, 15)):
            base = BASELINE["revenue"] if scale is None else yearly_sales(
                USERS, BASELINE["conversion"], purchases * scale, BASELINE["aov"])
            ends.append(yearly_sales(USERS, conversion, purchases, COMMUNITY["aov"]) - base)
        future[label] = tuple(ends)
    return [
        check(id="5.2.1-community-revenue", section=s, zh="社群用戶年營收約1.35億元(100萬×7.5%×150元×12次復購)",
               en="community revenue about 1.35亿 a year (1M × 7.5% × 150元 × 12 purchases)", stated=1.35e8, unit="CNY/year",
               inputs="1,000,000 users, 7.5%, 150元, 12 purchases/yr", method="engine: study_head, community revenue of year 1",
               readings=[("engine, study_head year 1", community)], tolerance=ARITHMETIC, scenarios=scope),
        check(id="5.2.1-baseline-revenue", section=s, zh="非社群用戶轉化率4%,客單價120元…非社群用戶約0.48億元",
               en="non-community users (4%, 120元) about 0.48亿 a year", stated=BASELINE["revenue"], unit="CNY/year",
               inputs="1,000,000 users × 4% × 120元 × purchases (not stated)", method="the engine's sales formula × 12",
               readings=baseline, tolerance=ARITHMETIC, scenarios=scope, mode="contains",
               explanation="the study states no purchases for non-community users; the standard reading takes them "
               "from the same paragraph (community repurchase 20-30% above non-community): 9.2-10 a year. The stated "
               "0.48亿 is its 10-purchase end (base.yaml uses 10)"),
        check(id="5.2.1-increment", section=s, zh="直接收益增量約0.87億元/年", en="direct revenue increment about 0.87亿 a year",
               stated=0.87e8, unit="CNY/year", inputs="1.35亿 community − 0.48亿 non-community", method="difference",
               readings=[("1.35亿 − 0.48亿", 1.35e8 - BASELINE["revenue"])], tolerance=ARITHMETIC, scenarios=scope,
               explanation="an increment of sales, not of profit: no cost of goods is deducted"),
        check(id="5.2.1-increment-2025", section=s, zh="2025年…轉化率有望提升至9%-10%,復購次數增至12-15次,直接收益增量預計達1.2億-1.5億元/年",
               en="2025: conversion 9-10%, 12-15 purchases a year, increment 1.2-1.5亿 a year", stated=(1.2e8, 1.5e8),
               unit="CNY/year", inputs="1,000,000 users, 150元; 9% × 12 at the low end, 10% × 15 at the high end",
               method="community sales − baseline, from the low inputs to the high inputs", readings=list(future.items()),
               tolerance=APPROX, scenarios=scope, mode="inside",
               explanation="conversion (9-10%) and purchases (12-15) are stated as ranges, so the increment may lie "
               "anywhere between the two ends; a stated range inside the recomputed one is consistent. The standard "
               "reading keeps the non-community revenue at the stated 0.48亿"),
        check(id="5.2.1-premium", section=s, zh="社群專屬產品溢價率15%,年溢價收益約2000萬元",
               en="exclusive products at a 15% premium earn about 2000万 a year", stated=2000e4, unit="CNY/year",
               inputs="15% premium; community sales 1.35亿; exclusive share 20% (§5.2.3)",
               method="engine: study_head with an exclusive share and premium, year 1",
               readings=[(name, study.year1("study_head", "exclusive_premium", basis)) for name, basis in PREMIUM_BASES],
               tolerance=APPROX, scenarios=scope, explanation="the example is a luxury brand; on the plan's own mix "
               "(exclusive products 20% of sales, §5.2.3) the premium is a fifth of 2000万, which needs every "
               "community sale to carry it"),
    ]


def indirect_and_growth(study: Study) -> list[Claim]:
    s, g = "001 §5.2.2", "001 §5.2.3"
    scope = PLAN + ("study_head",)
    direct = {"community revenue 1.35亿": 1.35e8, "community revenue + premium 2000万": 1.35e8 + 2000e4}
    users = {}
    for label, rates, compound in (("5-8% a month compounded (engine)", (0.05, 0.08), True),
                                   ("8-10% a month compounded (2025 rates)", (0.08, 0.10), True),
                                   ("5-8% a month, simple", (0.05, 0.08), False)):
        users[label] = tuple(
            float(study.result("study_head", {"users.growth_monthly.steady": r}).flows.users[0, MONTHS_PER_YEAR])
            if compound else USERS * (1 + MONTHS_PER_YEAR * r) for r in rates)
    implied = tuple(float(finance.monthly_from_annual(x)) for x in (0.2, 0.3))
    return [
        check(id="5.2.2-ltv-uplift", section=s, zh="社群用戶LTV比非社群用戶高40%-60%,某母嬰品牌社群用戶LTV1200元,非社群用戶800元",
               en="community LTV 40-60% above non-community: 1200元 vs 800元", stated=(0.40, 0.60), unit="fraction",
               inputs="1200元, 800元", method="1200 ÷ 800 − 1", readings=[("ratio", 1200 / 800 - 1)], tolerance=SHARE, scenarios=scope, mode="within"),
        check(id="5.2.2-user-asset", section=s, zh="100萬用戶資產增值約4億元", en="1,000,000 users: asset gain about 4亿",
               stated=4e8, unit="CNY", inputs="(1200元 − 800元) × 1,000,000 users", method="LTV gap × users",
               readings=[("LTV gap × users", (1200 - 800) * USERS)], tolerance=ARITHMETIC, scenarios=scope,
               explanation="a stock of lifetime value, not a yearly cash flow"),
        check(id="5.2.2-data-value", section=s, zh="整體轉化率提升1.5個百分點,年收益約5000萬元",
               en="data lifts overall conversion by 1.5 points, about 5000万 a year", stated=5000e4, unit="CNY/year",
               inputs="+1.5 points of conversion on 1,000,000 users", method="the engine's sales formula × 12",
               readings=[("at the community's 150元 × 12", yearly_sales(USERS, 0.015, COMMUNITY["purchases"],
                                                                  COMMUNITY["aov"])),
                ("at the baseline's 120元 × 10", yearly_sales(USERS, 0.015, 10, BASELINE["aov"]))],
               tolerance=APPROX, scenarios=scope, explanation="5000万 would need about 1.85 million users at the community's "
               "spending; the example's user base is not stated"),
        check(id="5.2.2-indirect-total", section=s, zh="間接收益約1.2億-1.5億元/年", en="indirect benefit about 1.2-1.5亿 a year",
               stated=(1.2e8, 1.5e8), unit="CNY/year", inputs="word of mouth 3000万/yr, data value 5000万/yr; the 4亿 LTV gain is a stock",
               method="sum of the itemised yearly benefits", readings=[("itemised yearly benefits", 3000e4 + 5000e4),
                                                         ("with the 4亿 LTV gain spread over 3 years",
                                                          3000e4 + 5000e4 + 4e8 / 3)],
               tolerance=APPROX, scenarios=scope, mode="within", explanation="the study itemises only 0.8亿 a year of indirect benefit; "
               "study_head.yaml carries the rest as 'other' to reproduce the 2.55亿"),
        check(id="5.2.2-indirect-share", section=s, zh="間接收益…占總收益40%-50%", en="indirect benefit is 40-50% of total benefit",
               stated=(0.40, 0.50), unit="fraction", inputs="indirect 1.2-1.5亿; direct benefit as stated in §5.2.1",
               method="indirect ÷ (direct + indirect) at both ends of the indirect range",
               readings=[(f"direct = {k}", tuple(i / (i + d) for i in (1.2e8, 1.5e8))) for k, d in direct.items()],
               tolerance=SHARE, scenarios=scope, mode="within",
               explanation="the standard reading takes the direct benefit the head tier's 2.55亿 counts (1.35亿 + 1.2亿 "
               "indirect, §5.3)"),
        check(id="5.2.3-user-growth", section=g, zh="社群用戶月均增長率5%-8%…100萬用戶規模預計增至120萬-130萬",
               en="monthly user growth 5-8%: 1,000,000 users grow to 1.2-1.3 million", stated=(1.2e6, 1.3e6), unit="users",
               inputs="1,000,000 users; growth 5-8% a month (2024), 8-10% (2025); 12 months",
               method="engine: study_head with monthly growth, users at month 12", readings=list(users.items()), tolerance=APPROX, scenarios=scope,
               mode="endpoints", explanation=f"1.2-1.3 million in 12 months needs {implied[0]:.2%} to {implied[1]:.2%} a month"),
    ]


__all__ = ["direct_revenue", "indirect_and_growth"]
