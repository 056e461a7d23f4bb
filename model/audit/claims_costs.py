"""The catalogue, costs: claims of 001 §5.1 (initial investment, operating cost, cost levers)."""

from __future__ import annotations

from ..inputs.texts import Text as T
from ..inputs.units import MONTHS_PER_YEAR, format_money
from .compare import APPROX, ARITHMETIC, SHARE, Claim, check, unchecked
from .sources import (INITIAL_RANGE, INITIAL_SPLIT, OPEX_RANGE, OPEX_SPLIT, PLAN, SALARY_MONTHLY, TEAM,
    WEEKS_PER_YEAR, Study)


#: The initial cost's parts, as the examples' explanation names them, in Chinese.
PARTS_ZH = {"tech": "技术", "labour": "人力", "content": "内容"}

# Each kind of claim has one list of readings, the first its standard one (see compare.check).
# Where a figure follows from a stated range (400-500万) it is one reading over the range
# (mode "contains"), not one reading per end.


def initial_costs(study: Study) -> list[Claim]:
    s = "001 §5.1.1"
    scrm = 18e4 + 32e4
    team = [MONTHS_PER_YEAR * sum(n * SALARY_MONTHLY[role][end] for role, n in TEAM.items()) for end in (0, 1)]
    examples = {"tech": scrm, "labour": 120e4, "content": 80e4}
    total = sum(examples.values())
    return [
        check(id="5.1.1-scrm-total", section=s, zh="採購微伴助手SCRM基礎版年費18萬元,定制開發功能投入32萬元,合計50萬元",
               en="SCRM basic licence 18万/yr plus 32万 of custom development: 50万 in total", stated=50e4, unit="CNY",
               inputs=T("18万 licence, 32万 development", "年费 18万，开发 32万"), method=T("sum", "加总"), readings=[(T("sum of the two items", "两项之和"), scrm)], tolerance=ARITHMETIC, scenarios=PLAN),
        check(id="5.1.1-team-cost", section=s, zh="組建10人團隊(1名經理+3名策劃+6名執行),初始人力成本約120萬元/年",
               en="a 10-person team (1 manager, 3 planners, 6 executors) costs about 120万 a year", stated=120e4,
               unit="CNY/year", inputs=T("monthly salaries: manager 1.5-2.5万, planner 0.8-1.5万, executor 0.5-0.8万 (§5.1.1)", "月薪：经理 1.5-2.5万，策划 0.8-1.5万，执行 0.5-0.8万（§5.1.1）"),
               method=T("Σ headcount × monthly salary × 12, at the low and the high end of each salary range", "Σ 人数 × 月薪 × 12，分别取各薪资区间的下限与上限"),
               readings=[(T("salary ranges × 12 months", "薪资区间 × 12 个月"), tuple(team))], tolerance=APPROX, scenarios=PLAN, mode="contains"),
        check(id="5.1.1-split-sum", section=s, zh="技術、人力、內容占比分別為50%、35%、15%",
               en="initial cost split tech 50% / labour 35% / content 15%", stated=1.0, unit="fraction",
               inputs="50%, 35%, 15%", method=T("sum of the shares", "各占比之和"), readings=[(T("sum", "加总"), sum(INITIAL_SPLIT.values()))], tolerance=SHARE, scenarios=PLAN),
        check(id="5.1.1-tech-share", section=s, zh="技術系統投入占比最高,達45%-60%",
               en="technology is the largest share of the initial cost, 45-60%", stated=(0.45, 0.60), unit="fraction",
               inputs=T("the split's tech share 50%", "拆分中的技术占比 50%"), method=T("the split's tech share against the stated range", "拆分中的技术占比，对照所述区间"),
               readings=[(T("the stated split", "所述拆分"), INITIAL_SPLIT["tech"])], tolerance=SHARE, scenarios=PLAN, mode="within"),
        check(id="5.1.1-examples-total", section=s, zh="100萬用戶規模的社群營銷初始成本約250萬-350萬元",
               en="the initial cost for 1,000,000 users is about 250-350万", stated=INITIAL_RANGE, unit="CNY",
               inputs=T("the section's own examples: SCRM 50万, team 120万, 3 months of content 80万", "本节自身的示例：SCRM 50万，团队 120万，3 个月内容 80万"),
               method=T("sum of the three examples", "三个示例之和"), readings=[(T("sum of the examples", "示例之和"), total)], tolerance=APPROX, scenarios=PLAN, mode="within",
               explanation=T("the examples land on the low end of the range", "示例之和落在区间的低端")),
        check(id="5.1.1-examples-split", section=s, zh="技術、人力、內容占比分別為50%、35%、15%",
               en="of the initial cost, technology takes 50%", stated=INITIAL_SPLIT["tech"], unit="fraction",
               inputs=T("the section's examples: tech 50万, labour 120万, content 80万", "本节示例：技术 50万，人力 120万，内容 80万"),
               method=T("each example ÷ the examples' sum; the tech share is compared", "各示例 ÷ 示例之和；比较其中的技术占比"),
               readings=[(T("tech example ÷ sum of the examples", "技术示例 ÷ 示例之和"), examples["tech"] / total)], tolerance=SHARE, scenarios=PLAN,
               explanation=T("the examples split " + " / ".join(f"{k} {v / total:.0%}" for k, v in examples.items())
                             + ", not 50 / 35 / 15: labour and content are far above their stated shares",
                             "示例的拆分为 " + " / ".join(f"{PARTS_ZH[k]} {v / total:.0%}" for k, v in examples.items())
                             + "，而不是 50 / 35 / 15：人力和内容远高于所述占比")),
    ]


def operating_costs(study: Study) -> list[Claim]:
    s = "001 §5.1.2"
    low, high = OPEX_RANGE
    initial, opex = sum(INITIAL_RANGE) / 2, sum(OPEX_RANGE) / 2
    years = 3  # §5.3's evaluation period
    executors = 100 * 1 * 6000.0 * MONTHS_PER_YEAR
    return [
        check(id="5.1.2-opex-share", section=s, zh="運營成本占總成本的60%-70%",
               en="operating cost is 60-70% of total cost", stated=(0.60, 0.70), unit="fraction",
               inputs=T("the midpoints: 300万 initial (§5.1.1), 450万 a year (§5.1.2)", "取中点：初始投资 300万（§5.1.1），每年 450万（§5.1.2）"),
               method=T("operating cost ÷ (operating cost + initial investment)", "运营成本 ÷（运营成本 + 初始投资）"),
               readings=[(T("first year", "第一年"), opex / (opex + initial)),
                (T("whole 3-year period", "整个 3 年期"), years * opex / (years * opex + initial))], tolerance=SHARE, scenarios=PLAN, mode="within"),
        check(id="5.1.2-labour-share-range", section=s, zh="人力成本占比最高,達40%-50%",
               en="labour is the largest share of operating cost, 40-50%", stated=(0.40, 0.50), unit="fraction",
               inputs=T("the split's labour share 45%", "拆分中的人力占比 45%"), method=T("the split's labour share against the stated range", "拆分中的人力占比，对照所述区间"),
               readings=[(T("the stated split", "所述拆分"), OPEX_SPLIT["labour"])], tolerance=SHARE, scenarios=PLAN, mode="within"),
        check(id="5.1.2-executor-cost", section=s, zh="運營100個社群,每個社群配置1名執行人員,月薪6千元,年人力成本約72萬元",
               en="100 communities with 1 executor each at 6,000元 a month: labour about 72万 a year", stated=72e4,
               unit="CNY/year", inputs=T("100 communities × 1 executor × 6,000元/month", "100 个社群 × 1 名执行人员 × 6,000元/月"), method=T("product × 12 months", "乘积 × 12 个月"),
               readings=[("100 × 6,000元 × 12", executors)], tolerance=ARITHMETIC, scenarios=PLAN,
               explanation=T("the stated figure is a tenth of the product", "所述数字只有该乘积的十分之一")),
        check(id="5.1.2-executor-vs-labour", section=s, zh="年運營成本約400萬-500萬元,人力…占比45%",
               en="operating cost 400-500万 a year, of which labour 45% (180-225万)",
               stated=tuple(OPEX_SPLIT["labour"] * v for v in OPEX_RANGE), unit="CNY/year",
               inputs=T("the executor example corrected: 720万 a year", "更正后的执行人员示例：每年 720万"), method=T("the example's labour cost against the labour budget", "示例的人力成本，对照人力预算"),
               readings=[("100 × 6,000元 × 12", executors)], tolerance=APPROX, scenarios=PLAN, mode="within",
               explanation=T("the executors alone cost more than the whole operating budget", "仅执行人员的成本就超过全部运营预算")),
        check(id="5.1.2-events-each", section=s, zh="開展12場社群活動,合計投入180萬元,平均每場15萬元",
               en="12 events for 180万, 15万 each", stated=15e4, unit="CNY", inputs=T("180万, 12 events", "180万，12 场活动"), method=T("quotient", "相除"),
               readings=[("180万 ÷ 12", 180e4 / 12)], tolerance=ARITHMETIC, scenarios=PLAN),
        check(id="5.1.2-events-vs-share", section=s, zh="活動…占比…35%", en="activities are 35% of 400-500万 a year",
               stated=tuple(OPEX_SPLIT["activities"] * v for v in OPEX_RANGE), unit="CNY/year", inputs=T("the events example: 180万 a year", "活动示例：每年 180万"),
               method=T("the example against the activities budget", "示例对照活动预算"), readings=[(T("12 events", "12 场活动"), 180e4)], tolerance=APPROX, scenarios=PLAN, mode="within"),
        check(id="5.1.2-maintenance-share", section=s, zh="某品牌年維護成本約30萬元,占運營成本15%",
               en="maintenance about 30万 a year, 15% of operating cost", stated=0.15, unit="fraction",
               inputs=T("30万 a year; operating cost 400-500万 (§5.1.2)", "每年 30万；运营成本 400-500万（§5.1.2）"), method=T("30万 ÷ operating cost, at both ends", "30万 ÷ 运营成本，取区间两端"),
               readings=[(T("÷ 500万 to ÷ 400万", "÷ 500万 至 ÷ 400万"), (30e4 / high, 30e4 / low))], tolerance=SHARE, scenarios=PLAN,
               mode="contains", explanation=T(
                   f"the split itself gives maintenance {OPEX_SPLIT['tech_maintenance']:.0%}; 15% would need "
                   f"an operating cost of {format_money(30e4 / 0.15, None)}",
                   f"拆分本身给出的技术维护占比为 {OPEX_SPLIT['tech_maintenance']:.0%}；要达到 15%，运营成本须为 "
                   f"{format_money(30e4 / 0.15, None)}")),
        check(id="5.1.2-other-share", section=s, zh="其他費用如客服外包、培訓等,某快消品牌年支出約50萬元,占比10%",
               en="other costs (outsourced service, training) about 50万 a year, 10%", stated=0.10, unit="fraction",
               inputs=T("50万 a year; operating cost 400-500万", "每年 50万；运营成本 400-500万"), method=T("50万 ÷ operating cost, at both ends", "50万 ÷ 运营成本，取区间两端"),
               readings=[(T("÷ 500万 to ÷ 400万", "÷ 500万 至 ÷ 400万"), (50e4 / high, 50e4 / low))], tolerance=SHARE, scenarios=PLAN,
               mode="contains", explanation=T(f"the split gives other costs {OPEX_SPLIT['other']:.0%}",
                                              f"拆分给出的其他费用占比为 {OPEX_SPLIT['other']:.0%}")),
        check(id="5.1.2-split-sum", section=s, zh="人力、活動、技術維護、其他占比分別為45%、35%、12%、8%",
               en="operating cost split 45 / 35 / 12 / 8%", stated=1.0, unit="fraction", inputs="45%, 35%, 12%, 8%", method=T("sum of the shares", "各占比之和"),
               readings=[(T("sum", "加总"), sum(OPEX_SPLIT.values()))], tolerance=SHARE, scenarios=PLAN),
    ]


def cost_levers(study: Study) -> list[Claim]:
    s = "001 §5.1.3"
    events = WEEKS_PER_YEAR * 5000.0 + MONTHS_PER_YEAR * 5e4
    optimised = tuple(study.optimised_opex(v) for v in OPEX_RANGE)
    lever_note = T("levers of base.yaml on the §5.1.2 split: SaaS SCRM (+8万/yr subscription), 40% part-time "
                   "(labour −25%), AI customer service (−60万/yr), lean events (−33%)",
                   "base.yaml 的降本措施作用于 §5.1.2 的拆分：SaaS 版 SCRM（每年订阅费 +8万）、40% 兼职（人力 −25%）、"
                   "AI 客服（每年 −60万）、精简活动（−33%）")
    return [
        unchecked(id="5.1.3-saas-saving", section=s, zh="塵鋒SCRM基礎版年費僅需8萬元,比定制化方案節省70%成本",
                   en="a SaaS SCRM at 8万 a year saves 70% against a custom solution", stated=0.70, unit="fraction", inputs=T("8万 a year", "每年 8万"),
                   why=T("the custom solution's cost is not stated; against §5.1.1's example (18万 licence + 32万 "
                         f"development) 8万 would save {1 - 8 / 50:.0%}, against the 32万 development alone "
                         f"{1 - 8 / 32:.0%}",
                         f"定制方案的成本未说明；对照 §5.1.1 的示例（年费 18万 + 开发 32万），8万可节省 {1 - 8 / 50:.0%}，"
                         f"仅对照 32万开发费则节省 {1 - 8 / 32:.0%}"), scenarios=PLAN),
        unchecked(id="5.1.3-part-time", section=s, zh="兼職人員占比40%,人力成本降低25%",
                   en="40% part-time staff cut labour cost by 25%", stated=0.25, unit="fraction", inputs=T("40% part-time share", "兼职占比 40%"),
                   why=T("the cost of a part-timer is not stated; the claim implies a part-timer costs "
                         f"{1 - 0.25 / 0.40:.1%} of a full-timer",
                         f"兼职人员的成本未说明；按此说法，一名兼职人员的成本为全职的 {1 - 0.25 / 0.40:.1%}"), scenarios=PLAN),
        check(id="5.1.3-events-cost", section=s, zh="每周1次小型活動(成本5000元),每月1次大型活動(成本5萬元),年活動成本控制在120萬元",
               en="a small event weekly (5,000元) and a big one monthly (5万): about 120万 a year", stated=120e4, unit="CNY/year",
               inputs=T("52 weeks × 5,000元 + 12 months × 5万", "52 周 × 5,000元 + 12 个月 × 5万"), method=T("sum over a year", "全年加总"), readings=[(T("52 small + 12 big", "52 场小型 + 12 场大型"), events)], tolerance=APPROX,
               scenarios=PLAN, explanation=T("the stated schedule costs well under the stated 120万", "按所述安排，活动成本远低于所述的 120万")),
        check(id="5.1.3-events-saving", section=s, zh="年活動成本控制在120萬元,比純大型活動節省33%",
               en="120万 a year saves 33% against big events only", stated=0.33, unit="fraction",
               inputs=T("120万; big events only: 12 × 15万 = 180万 (§5.1.2)", "120万；只办大型活动：12 × 15万 = 180万（§5.1.2）"), method="1 − 120万 ÷ 180万",
               readings=[(T("against §5.1.2's 12 events", "对照 §5.1.2 的 12 场活动"), 1 - 120e4 / 180e4)], tolerance=SHARE, scenarios=PLAN),
        check(id="5.1.3-optimised-pct", section=s, zh="年運營成本可降至300萬-350萬元,降幅達25%-30%",
               en="operating cost falls to 300-350万 a year, by 25-30%", stated=(0.25, 0.30), unit="fraction",
               inputs=T("300-350万 against 400-500万", "300-350万 对照 400-500万"), method=T("1 − optimised ÷ original, end by end", "1 − 优化后 ÷ 优化前，两端分别计算"),
               readings=[(T("300万 vs 400万, 350万 vs 500万", "300万 对 400万，350万 对 500万"), (1 - 300 / 400, 1 - 350 / 500))], tolerance=SHARE, scenarios=PLAN, mode="endpoints"),
        check(id="5.1.3-optimised-opex", section=s, zh="通過優化,100萬用戶規模年運營成本可降至300萬-350萬元",
               en="with the levers, operating cost for 1,000,000 users falls to 300-350万 a year", stated=(300e4, 350e4),
               unit="CNY/year", inputs=lever_note, method=T("the engine's first-year operating cost with the levers on, for "
                                                            "400万 and 500万",
                                                            "模型在启用降本措施时的第一年运营成本（400万 与 500万 两种情形）"),
               readings=[(T("levers on 400万 and 500万", "降本措施作用于 400万 与 500万"), optimised)], tolerance=APPROX, scenarios=PLAN, mode="endpoints",
               explanation=T(f"the levers as stated cut {1 - optimised[0] / OPEX_RANGE[0]:.0%} to "
                             f"{1 - optimised[1] / OPEX_RANGE[1]:.0%}, more than the stated 25-30%",
                             f"按所述降本措施，成本下降 {1 - optimised[0] / OPEX_RANGE[0]:.0%} 至 "
                             f"{1 - optimised[1] / OPEX_RANGE[1]:.0%}，超过所述的 25-30%")),
    ]


__all__ = ["initial_costs", "operating_costs", "cost_levers"]
