"""The catalogue, costs: claims of 001 §5.1 (initial investment, operating cost, cost levers)."""

from __future__ import annotations

from ..inputs.units import MONTHS_PER_YEAR, format_money
from .compare import APPROX, ARITHMETIC, SHARE, Claim, check, unchecked
from .sources import (INITIAL_RANGE, INITIAL_SPLIT, OPEX_RANGE, OPEX_SPLIT, PLAN, SALARY_MONTHLY, TEAM,
    WEEKS_PER_YEAR, Study)


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
               inputs="18万 licence, 32万 development", method="sum", readings=[("sum of the two items", scrm)], tolerance=ARITHMETIC, scenarios=PLAN),
        check(id="5.1.1-team-cost", section=s, zh="組建10人團隊(1名經理+3名策劃+6名執行),初始人力成本約120萬元/年",
               en="a 10-person team (1 manager, 3 planners, 6 executors) costs about 120万 a year", stated=120e4,
               unit="CNY/year", inputs="monthly salaries: manager 1.5-2.5万, planner 0.8-1.5万, executor 0.5-0.8万 (§5.1.1)",
               method="Σ headcount × monthly salary × 12, at the low and the high end of each salary range",
               readings=[("salary ranges × 12 months", tuple(team))], tolerance=APPROX, scenarios=PLAN, mode="contains"),
        check(id="5.1.1-split-sum", section=s, zh="技術、人力、內容占比分別為50%、35%、15%",
               en="initial cost split tech 50% / labour 35% / content 15%", stated=1.0, unit="fraction",
               inputs="50%, 35%, 15%", method="sum of the shares", readings=[("sum", sum(INITIAL_SPLIT.values()))], tolerance=SHARE, scenarios=PLAN),
        check(id="5.1.1-tech-share", section=s, zh="技術系統投入占比最高,達45%-60%",
               en="technology is the largest share of the initial cost, 45-60%", stated=(0.45, 0.60), unit="fraction",
               inputs="the split's tech share 50%", method="the split's tech share against the stated range",
               readings=[("the stated split", INITIAL_SPLIT["tech"])], tolerance=SHARE, scenarios=PLAN, mode="within"),
        check(id="5.1.1-examples-total", section=s, zh="100萬用戶規模的社群營銷初始成本約250萬-350萬元",
               en="the initial cost for 1,000,000 users is about 250-350万", stated=INITIAL_RANGE, unit="CNY",
               inputs="the section's own examples: SCRM 50万, team 120万, 3 months of content 80万",
               method="sum of the three examples", readings=[("sum of the examples", total)], tolerance=APPROX, scenarios=PLAN, mode="within",
               explanation="the examples land on the low end of the range"),
        check(id="5.1.1-examples-split", section=s, zh="技術、人力、內容占比分別為50%、35%、15%",
               en="of the initial cost, technology takes 50%", stated=INITIAL_SPLIT["tech"], unit="fraction",
               inputs="the section's examples: tech 50万, labour 120万, content 80万",
               method="each example ÷ the examples' sum; the tech share is compared",
               readings=[("tech example ÷ sum of the examples", examples["tech"] / total)], tolerance=SHARE, scenarios=PLAN,
               explanation="the examples split "
               + " / ".join(f"{k} {v / total:.0%}" for k, v in examples.items())
               + ", not 50 / 35 / 15: labour and content are far above their stated shares"),
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
               inputs="the midpoints: 300万 initial (§5.1.1), 450万 a year (§5.1.2)",
               method="operating cost ÷ (operating cost + initial investment)",
               readings=[("first year", opex / (opex + initial)),
                ("whole 3-year period", years * opex / (years * opex + initial))], tolerance=SHARE, scenarios=PLAN, mode="within"),
        check(id="5.1.2-labour-share-range", section=s, zh="人力成本占比最高,達40%-50%",
               en="labour is the largest share of operating cost, 40-50%", stated=(0.40, 0.50), unit="fraction",
               inputs="the split's labour share 45%", method="the split's labour share against the stated range",
               readings=[("the stated split", OPEX_SPLIT["labour"])], tolerance=SHARE, scenarios=PLAN, mode="within"),
        check(id="5.1.2-executor-cost", section=s, zh="運營100個社群,每個社群配置1名執行人員,月薪6千元,年人力成本約72萬元",
               en="100 communities with 1 executor each at 6,000元 a month: labour about 72万 a year", stated=72e4,
               unit="CNY/year", inputs="100 communities × 1 executor × 6,000元/month", method="product × 12 months",
               readings=[("100 × 6,000元 × 12", executors)], tolerance=ARITHMETIC, scenarios=PLAN,
               explanation="the stated figure is a tenth of the product"),
        check(id="5.1.2-executor-vs-labour", section=s, zh="年運營成本約400萬-500萬元,人力…占比45%",
               en="operating cost 400-500万 a year, of which labour 45% (180-225万)",
               stated=tuple(OPEX_SPLIT["labour"] * v for v in OPEX_RANGE), unit="CNY/year",
               inputs="the executor example corrected: 720万 a year", method="the example's labour cost against the labour budget",
               readings=[("100 × 6,000元 × 12", executors)], tolerance=APPROX, scenarios=PLAN, mode="within",
               explanation="the executors alone cost more than the whole operating budget"),
        check(id="5.1.2-events-each", section=s, zh="開展12場社群活動,合計投入180萬元,平均每場15萬元",
               en="12 events for 180万, 15万 each", stated=15e4, unit="CNY", inputs="180万, 12 events", method="quotient",
               readings=[("180万 ÷ 12", 180e4 / 12)], tolerance=ARITHMETIC, scenarios=PLAN),
        check(id="5.1.2-events-vs-share", section=s, zh="活動…占比…35%", en="activities are 35% of 400-500万 a year",
               stated=tuple(OPEX_SPLIT["activities"] * v for v in OPEX_RANGE), unit="CNY/year", inputs="the events example: 180万 a year",
               method="the example against the activities budget", readings=[("12 events", 180e4)], tolerance=APPROX, scenarios=PLAN, mode="within"),
        check(id="5.1.2-maintenance-share", section=s, zh="某品牌年維護成本約30萬元,占運營成本15%",
               en="maintenance about 30万 a year, 15% of operating cost", stated=0.15, unit="fraction",
               inputs="30万 a year; operating cost 400-500万 (§5.1.2)", method="30万 ÷ operating cost, at both ends",
               readings=[("÷ 500万 to ÷ 400万", (30e4 / high, 30e4 / low))], tolerance=SHARE, scenarios=PLAN,
               mode="contains", explanation=f"the split itself gives maintenance {OPEX_SPLIT['tech_maintenance']:.0%}; 15% would need "
               f"an operating cost of {format_money(30e4 / 0.15, None)}"),
        check(id="5.1.2-other-share", section=s, zh="其他費用如客服外包、培訓等,某快消品牌年支出約50萬元,占比10%",
               en="other costs (outsourced service, training) about 50万 a year, 10%", stated=0.10, unit="fraction",
               inputs="50万 a year; operating cost 400-500万", method="50万 ÷ operating cost, at both ends",
               readings=[("÷ 500万 to ÷ 400万", (50e4 / high, 50e4 / low))], tolerance=SHARE, scenarios=PLAN,
               mode="contains", explanation=f"the split gives other costs {OPEX_SPLIT['other']:.0%}"),
        check(id="5.1.2-split-sum", section=s, zh="人力、活動、技術維護、其他占比分別為45%、35%、12%、8%",
               en="operating cost split 45 / 35 / 12 / 8%", stated=1.0, unit="fraction", inputs="45%, 35%, 12%, 8%", method="sum of the shares",
               readings=[("sum", sum(OPEX_SPLIT.values()))], tolerance=SHARE, scenarios=PLAN),
    ]


def cost_levers(study: Study) -> list[Claim]:
    s = "001 §5.1.3"
    events = WEEKS_PER_YEAR * 5000.0 + MONTHS_PER_YEAR * 5e4
    optimised = tuple(study.optimised_opex(v) for v in OPEX_RANGE)
    lever_note = ("levers of base.yaml on the §5.1.2 split: SaaS SCRM (+8万/yr subscription), 40% part-time "
                  "(labour −25%), AI customer service (−60万/yr), lean events (−33%)")
    return [
        unchecked(id="5.1.3-saas-saving", section=s, zh="塵鋒SCRM基礎版年費僅需8萬元,比定制化方案節省70%成本",
                   en="a SaaS SCRM at 8万 a year saves 70% against a custom solution", stated=0.70, unit="fraction", inputs="8万 a year",
                   why="the custom solution's cost is not stated; against §5.1.1's example (18万 licence + 32万 "
                   f"development) 8万 would save {1 - 8 / 50:.0%}, against the 32万 development alone "
                   f"{1 - 8 / 32:.0%}", scenarios=PLAN),
        unchecked(id="5.1.3-part-time", section=s, zh="兼職人員占比40%,人力成本降低25%",
                   en="40% part-time staff cut labour cost by 25%", stated=0.25, unit="fraction", inputs="40% part-time share",
                   why="the cost of a part-timer is not stated; the claim implies a part-timer costs "
                   f"{1 - 0.25 / 0.40:.1%} of a full-timer", scenarios=PLAN),
        check(id="5.1.3-events-cost", section=s, zh="每周1次小型活動(成本5000元),每月1次大型活動(成本5萬元),年活動成本控制在120萬元",
               en="a small event weekly (5,000元) and a big one monthly (5万): about 120万 a year", stated=120e4, unit="CNY/year",
               inputs="52 weeks × 5,000元 + 12 months × 5万", method="sum over a year", readings=[("52 small + 12 big", events)], tolerance=APPROX,
               scenarios=PLAN, explanation="the stated schedule costs well under the stated 120万"),
        check(id="5.1.3-events-saving", section=s, zh="年活動成本控制在120萬元,比純大型活動節省33%",
               en="120万 a year saves 33% against big events only", stated=0.33, unit="fraction",
               inputs="120万; big events only: 12 × 15万 = 180万 (§5.1.2)", method="1 − 120万 ÷ 180万",
               readings=[("against §5.1.2's 12 events", 1 - 120e4 / 180e4)], tolerance=SHARE, scenarios=PLAN),
        check(id="5.1.3-optimised-pct", section=s, zh="年運營成本可降至300萬-350萬元,降幅達25%-30%",
               en="operating cost falls to 300-350万 a year, by 25-30%", stated=(0.25, 0.30), unit="fraction",
               inputs="300-350万 against 400-500万", method="1 − optimised ÷ original, end by end",
               readings=[("300万 vs 400万, 350万 vs 500万", (1 - 300 / 400, 1 - 350 / 500))], tolerance=SHARE, scenarios=PLAN, mode="endpoints"),
        check(id="5.1.3-optimised-opex", section=s, zh="通過優化,100萬用戶規模年運營成本可降至300萬-350萬元",
               en="with the levers, operating cost for 1,000,000 users falls to 300-350万 a year", stated=(300e4, 350e4),
               unit="CNY/year", inputs=lever_note, method="the engine's first-year operating cost with the levers on, for 400万 and "
               "500万", readings=[("levers on 400万 and 500万", optimised)], tolerance=APPROX, scenarios=PLAN, mode="endpoints",
               explanation=f"the levers as stated cut {1 - optimised[0] / OPEX_RANGE[0]:.0%} to "
               f"{1 - optimised[1] / OPEX_RANGE[1]:.0%}, more than the stated 25-30%"),
    ]


__all__ = ["initial_costs", "operating_costs", "cost_levers"]
