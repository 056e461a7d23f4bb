"""The scenario schema: every input with its kind, unit, meaning, default and bounds.

A leaf is written either as a bare value or as ``{value, source, basis, note}``
(:func:`unpack_leaf`); ``source`` and ``note`` may be ``{zh: …, en: …}`` (:mod:`.texts`).
``basis`` says whose figure it is: ``study`` (stated by a source document), ``derived``
(computed from stated figures) or ``ours`` (our own assumption).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Mapping

from .errors import InputError
from .texts import BILINGUAL_FORM
from .units import normalise_number_text, parse_money, parse_number, parse_rate

REQUIRED = object()
BASES = ("study", "derived", "ours")
PHASES = ("pilot", "rollout", "optimisation", "steady")
MAX_HORIZON_MONTHS = 600
SLIP_FACTOR = 5  # a rate more than this many times the top of its typical range is probably a slip
PERIODS = {"fraction/month": " a month", "fraction/year": " a year"}
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Field:
    """One input of the schema: its kind, display unit, meaning, default and bounds."""

    kind: str  # money | rate | number | months | years | flag | text | choice | choices (a list of choices)
    unit: str
    help: str
    default: object = REQUIRED
    low: float = 0.0
    high: float = math.inf
    choices: tuple[str, ...] = ()
    sanity_cap: bool = False  # ``high`` only catches typos (1e300 users), not a real limit
    typical: tuple[float, float] | None = None  # rates: the range the sources give (or ours), low and high
    help_zh: str = ""  # the meaning in Chinese (``help`` is the English)

    def parse(self, raw: object) -> object:
        """The validated value of ``raw``; raises ValueError with what is wrong."""
        if raw is None:
            if self.default is None:
                return None
            raise ValueError("must have a value")
        if self.kind == "flag":
            if not isinstance(raw, bool):
                raise ValueError("must be true or false")
            return raw
        if self.kind == "text":
            if not isinstance(raw, str) or not raw.strip():
                raise ValueError("must be a non-empty text")
            return raw.strip()
        if self.kind == "choice":
            if raw not in self.choices:
                raise ValueError("must be one of " + ", ".join(self.choices))
            return raw
        if self.kind == "choices":
            if not isinstance(raw, list) or any(item not in self.choices for item in raw) or len(set(raw)) < len(raw):
                raise ValueError("must be a list of distinct names out of " + ", ".join(self.choices) + " (or [])")
            return tuple(raw)
        parser = {"money": parse_money, "rate": parse_rate}.get(self.kind, parse_number)
        value = parser(raw)
        if self.kind in ("months", "years") and value != int(value):
            raise ValueError(f"must be a whole number of {self.kind}")
        if not self.low <= value <= self.high:
            raise ValueError(self._range_text(value) + self._percent_hint(raw, value))
        return int(value) if self.kind in ("months", "years") else value

    def _percent_hint(self, raw: object, value: float) -> str:
        """``"; did you mean 7.5%?"`` when a rate written as a bare number above 1 would fit as a percentage."""
        if self.kind == "rate" and written_bare(raw) and value > 1 and self.low <= value / 100 <= self.high:
            return f"; did you mean {value:g}%?"
        return ""

    def slip(self, raw: object, value: object) -> str | None:
        """Why a valid value looks like a slip, else None: a rate written as a bare number at most 1 that is more
        than :data:`SLIP_FACTOR` times the top of its typical range (monthly churn 0.9 = 90%: 0.9% meant?)."""
        if self.kind != "rate" or self.typical is None or not written_bare(raw) or not isinstance(value, float):
            return None
        if not SLIP_FACTOR * self.typical[1] < value <= 1:
            return None
        return (f"{percent_text(value)}{PERIODS.get(self.unit, '')} is far above the typical "
                f"{self.typical_text()}; did you mean {value:g}%?")

    def typical_text(self) -> str:
        """The typical range for people: ``"2% to 15% a month"``, ``"4%"``; ``""`` without one."""
        if self.typical is None:
            return ""
        low, high = self.typical
        span = percent_text(low) if low == high else f"{percent_text(low)} to {percent_text(high)}"
        return span + PERIODS.get(self.unit, "")

    def _range_text(self, value: float) -> str:
        if self.kind == "rate":
            return f"must be between {self.low:g} and {self.high:g} ({self.low:.0%} to {self.high:.0%})"
        if self.high == math.inf or (self.sanity_cap and value < self.low):
            return "must not be negative" if self.low == 0 else f"must be at least {self.low:g}"
        if self.sanity_cap:
            return f"must be at most {self.high:g} (a larger figure is surely a typo)"
        return f"must be between {self.low:g} and {self.high:g}"


MAX_MONEY = 1e13  # CNY: 10万亿, beyond any community plan — a larger figure is a typo
MAX_USERS = 1e10  # more users than people
MAX_PURCHASES_PER_YEAR = 3650  # ten a day


def _money(unit: str, help: str, default: object = 0.0, *, zh: str) -> Field:
    return Field("money", unit, help, default, high=MAX_MONEY, sanity_cap=True, help_zh=zh)


def _rate(unit: str, help: str, default: object = 0.0, high: float = 1.0, low: float = 0.0, *, zh: str,
          typical: tuple[float, float]) -> Field:
    return Field("rate", unit, help, default, low=low, high=high, typical=typical, help_zh=zh)


@dataclass(frozen=True)
class CostLine:
    """One cost line, tagged once: its group, its inputs' section and its cash-flow line in the engine.

    Engine fields, table groups, break-even opex, dashboard controls and label checks are all
    derived from :data:`COST_LINES`; adding a line starts here.
    """

    group: str  # "investment" (month 0) | "operating_costs" (monthly) | "one_off" (the ``one_off_costs:`` section) | "tax"
    key: str  # the section under the group: investment.tech, operating_costs.labour, …
    line: str  # the engine's cash-flow line (``Flows`` field)
    what: str  # meaning, for the inputs' help texts
    fixed_and_per_user: bool = False  # has ``fixed_yearly`` and ``per_user_yearly`` inputs
    what_zh: str = ""  # the meaning in Chinese

    @property
    def section(self) -> str:
        return f"{self.group}.{self.key}"


#: Every cost line in table order: investment first, then operating costs.
COST_LINES: tuple[CostLine, ...] = (
    CostLine("investment", "tech", "investment_tech", "initial technology investment (month 0)",
             what_zh="初始技术投入（第 0 个月）"),
    CostLine("investment", "labour", "investment_labour", "initial labour investment (month 0)",
             what_zh="初始人力投入（第 0 个月）"),
    CostLine("investment", "content", "investment_content", "initial content investment (month 0)",
             what_zh="初始内容投入（第 0 个月）"),
    CostLine("operating_costs", "labour", "labour", "labour", True, "人力"),
    CostLine("operating_costs", "activities", "activities", "activities and events", True, "活动"),
    CostLine("operating_costs", "content", "content_costs", "recurring content production", True, "日常内容制作"),
    CostLine("operating_costs", "acquisition", "acquisition", "user acquisition", what_zh="用户获取（获客）"),
    CostLine("operating_costs", "tech_maintenance", "tech_maintenance", "technology maintenance", True, "技术维护"),
    CostLine("operating_costs", "other", "other_costs", "other operating costs", True, "其他运营成本"),
    CostLine("one_off", "one_off_costs", "one_off_costs", "one-off costs (fines, incidents) in their month",
             what_zh="一次性成本（罚款、事故等），在发生当月计入"),
    CostLine("tax", "vat_surcharges", "vat_surcharges", "surcharges on VAT payable (a cost; VAT itself passes through)",
             what_zh="应缴增值税的附加税费（属于成本；增值税本身由价款转嫁）"),
)
INVESTMENT_LINES = tuple(c for c in COST_LINES if c.group == "investment")
OPERATING_LINES = tuple(c for c in COST_LINES if c.group == "operating_costs")
#: Operating lines with a fixed yearly amount (their sum is the break-even's and the dashboard's "opex").
FIXED_OPEX_LINES = tuple(c for c in OPERATING_LINES if c.fixed_and_per_user)
PHASES_ZH = {"pilot": "试点期", "rollout": "推广期", "optimisation": "优化期", "steady": "稳定期"}

# Typical ranges of the rate inputs (Field.typical): what the sources report, else ours (said so). A rate
# written as a bare number at most 1 yet more than 5× the top of its range draws a warning (0.9 for 0.9%).
GROWTH_MONTHLY = (0.05, 0.10)  # 001 §5.2.3: monthly user growth 5-8% (2024), 8-10% (2025)
CHURN_MONTHLY = (0.02, 0.15)  # base 2% (ours); 001 §二 3.3: a beauty brand's monthly churn "as high as 15%";
#                               000 §6.1: 35% → 15% after intervention
COVERAGE = (0.3, 0.8)  # 001 §三(三)3.1: pilot on 1-2 categories, 80% of communities covered in the rollout
DISCOUNT_ANNUAL = (0.08, 0.12)  # 001 §5.3.2-5.3.3: discount rate 8%, cost of capital 8-12%


def _cost_line(what: str, zh: str) -> dict:
    return {
        "fixed_yearly": _money("CNY/year", f"{what}: fixed yearly amount", zh=f"{zh}：每年固定金额"),
        "per_user_yearly": _money("CNY/user/year", f"{what}: amount per community user per year",
                                  zh=f"{zh}：每位社群用户每年的金额"),
    }


def _by_phase(what: str, zh: str, typical: tuple[float, float]) -> dict:
    return {phase: _rate("fraction/month", f"{what} in the {phase} phase", zh=f"{PHASES_ZH[phase]}的{zh}",
                         typical=typical) for phase in PHASES}


def _escalation(what: str, zh: str, typical: tuple[float, float]) -> Field:
    return _rate("fraction/year", f"{what} rises by this much each model year (months 13-24 by it once, …)",
                 zh=f"{zh}每个模型年上涨的比例（第 13-24 个月按此上涨一次，依此类推）", typical=typical)


def _operating_costs() -> dict:
    """The ``operating_costs`` section, in :data:`OPERATING_LINES` order; staffing norms follow labour."""
    section: dict[str, Any] = {}
    for c in OPERATING_LINES:
        section[c.key] = _cost_line(c.what, c.what_zh) if c.fixed_and_per_user else {
            "per_new_user": _money("CNY/new user", "acquisition cost per new community user (CAC paid)",
                                   zh="每位新增社群用户的获客成本（实际支付的 CAC）"),
            # 001 §六(四)4.3: traffic cost +15% a year; 000 §1.1.3: CAC 158元 (2018) → 627元 (2023), about +32% a year
            "escalation_yearly": _escalation("the acquisition cost per new user", "每位新用户的获客成本",
                                             (0.15, 0.32))}
        if c.key == "labour":
            # ours: wage growth; 001 §二 1.2 reports nominal income growth of 5.4% a year
            section["labour"]["escalation_yearly"] = _escalation("labour cost (wages)", "人力成本（工资）", (0.03, 0.08))
            section["labour_staffing"] = {
                "users_per_operator": Field("number", "users/operator", "users one operator serves in the early phases "
                                            "(pilot to optimisation; none: not used)", None, low=1,
                                            help_zh="前期（试点期至优化期）每名运营人员服务的用户数（留空：不采用人员配比）"),
                "users_per_operator_mature": Field("number", "users/operator", "users one operator serves in steady "
                                                   "state (none: as in the early phases)", None, low=1,
                                                   help_zh="稳定期每名运营人员服务的用户数（留空：与前期相同）"),
                "operator_cost_yearly": _money("CNY/operator/year", "yearly cost of one operator",
                                               zh="每名运营人员的年成本"),
            }
    return section


#: The scenario schema: nested sections whose leaves are :class:`Field`.
SCHEMA: dict[str, Any] = {
    "name": Field("text", "", "short display name (default: the file name)", None,
                  help_zh="简短的显示名称（默认：文件名）"),
    "description": Field("text", "", "what this case is and which convention it uses",
                         help_zh="本情景是什么、采用哪种计算口径"),
    "group": Field("choice", "", "decision: a case to decide on; study: a reproduction of the study's own figures "
                   "(shown apart on the comparison page)", "decision", choices=("decision", "study"),
                   help_zh="decision：供决策的情景；study：复现研究报告自身数字的情景（在对比页分开显示）"),
    "timeline": {
        "horizon_months": Field("months", "months", "months evaluated after the investment (month 0)",
                                36, low=1, high=MAX_HORIZON_MONTHS, help_zh="投资（第 0 个月）之后评估的月数"),
        "phase_end_month": {
            "pilot": Field("months", "month", "last month of the pilot phase", 3, high=MAX_HORIZON_MONTHS,
                           help_zh="试点期的最后一个月"),
            "rollout": Field("months", "month", "last month of the rollout phase", 9, high=MAX_HORIZON_MONTHS,
                             help_zh="推广期的最后一个月"),
            "optimisation": Field("months", "month", "last month of the optimisation phase; steady state after",
                                  12, high=MAX_HORIZON_MONTHS, help_zh="优化期的最后一个月；此后进入稳定期"),
        },
        "launch_delay_months": Field("number", "months", "months before community revenue starts "
                                     "(costs run meanwhile)", 0.0, high=MAX_HORIZON_MONTHS,
                                     help_zh="社群开始产生收入之前的月数（其间成本照常发生）"),
    },
    "finance": {
        "discount_rate_annual": _rate("fraction/year", "discount rate (cost of capital), annual", REQUIRED,
                                      zh="折现率（资本成本），年率", typical=DISCOUNT_ANNUAL),
        "finance_rate_annual": _rate("fraction/year", "MIRR finance rate, annual (default: discount rate)", None,
                                     zh="计算 MIRR 用的融资利率，年率（默认：等于折现率）", typical=DISCOUNT_ANNUAL),
        "reinvestment_rate_annual": _rate("fraction/year", "MIRR reinvestment rate, annual (default: discount rate)",
                                          None, zh="计算 MIRR 用的再投资收益率，年率（默认：等于折现率）",
                                          typical=DISCOUNT_ANNUAL),
        "payback_target_months": Field("number", "months", "payback the verdict requires", 12.0, low=0,
                                       high=MAX_HORIZON_MONTHS, help_zh="判定可行所要求的投资回收期"),
    },
    "users": {
        "initial": Field("number", "users", "community users at month 0", REQUIRED, high=MAX_USERS,
                         sanity_cap=True, help_zh="第 0 个月的社群用户数"),
        "cap": Field("number", "users", "most users the community can hold: users never exceed it (none: no cap)",
                     None, high=MAX_USERS, sanity_cap=True, help_zh="社群最多可容纳的用户数，用户数不会超过它（留空：不设上限）"),
        "market_size": Field("number", "users", "people in the target market, for the market-share KPI (none: not set)",
                             None, low=1, high=MAX_USERS, sanity_cap=True,
                             help_zh="目标市场的人数，用于计算市场份额 KPI（留空：不设）"),
        "growth_monthly": _by_phase("user growth, monthly", "用户月增长率", GROWTH_MONTHLY),
        "churn_monthly": _by_phase("user churn, monthly", "用户月流失率", CHURN_MONTHLY),
    },
    "adoption": {
        "coverage": {phase: _rate("fraction of users", f"share of the users inside the community in the {phase} phase "
                                  "(the rest buy at the baseline)", 1.0, typical=COVERAGE,
                                  zh=f"{PHASES_ZH[phase]}身处社群内的用户占全部用户的比例（其余用户按基线购买）")
                     for phase in PHASES},
        "uplift_months": Field("number", "months", "months after go-live for conversion and purchase frequency to move "
                               "from the baseline to the community's values (0: at once)", 0.0, high=MAX_HORIZON_MONTHS,
                               help_zh="上线后转化率和购买频次从基线水平过渡到社群水平所需的月数（0：立即达到）"),
        "uplift_shape": Field("choice", "", "how the uplift ramps: linear, or s_curve (slow, fast, slow)", "linear",
                              choices=("linear", "s_curve"),
                              help_zh="提升的爬坡方式：linear（线性），或 s_curve（S 形：先慢、再快、后慢）"),
    },
    "revenue": {
        # ours: the study implies 100%; engaged customers self-select, so we take 50% in the decision cases
        "attribution": _rate("fraction", "share of the community's uplift over the baseline that the community causes "
                             "(the rest would have happened anyway: engaged customers self-select)", 1.0,
                             zh="社群相对基线的增量中真正由社群带来的比例（其余部分没有社群也会发生：活跃客户存在自选择）",
                             typical=(0.5, 1.0)),
        "basis": Field("choice", "", "incremental: community minus the baseline the same users would buy "
                       "anyway (honest); gross: all community revenue (the study's convention)", REQUIRED,
                       choices=("incremental", "gross"),
                       help_zh="incremental：社群收入减去同一批用户没有社群时本来也会产生的基线收入（稳健口径）；"
                       "gross：全部社群收入（研究报告的口径）"),
        # ours: the sources state no margin (they deduct no cost of goods); beauty, FMCG and digital goods
        "gross_margin": _rate("fraction", "gross margin on counted revenue (1 = the study's convention)",
                              REQUIRED, zh="计入收入的毛利率（1 = 研究报告的口径，即不扣除销货成本）", typical=(0.3, 0.7)),
        "community": {
            # 001 §5.2.1: 6-8% (example 7.5%); §5.2.3: 9-10% in 2025, 10-12% with AI; §一(四): target 15%
            "conversion": _rate("fraction of users", "share of community users who buy", zh="社群用户中购买者的比例",
                                typical=(0.06, 0.15)),
            "purchases_per_year": Field("number", "purchases/buyer/year", "purchases per buyer per year", 0.0,
                                        high=MAX_PURCHASES_PER_YEAR, sanity_cap=True,
                                        help_zh="每位购买者每年的购买次数"),
            "aov": _money("CNY/order", "average order value in the community", zh="社群内的平均客单价"),
        },
        "baseline": {
            "conversion": _rate("fraction of users", "share of the same users who would buy without the community",
                                zh="同一批用户在没有社群时会购买的比例", typical=(0.04, 0.04)),  # 001 §5.2.1
            "purchases_per_year": Field("number", "purchases/buyer/year", "baseline purchases per buyer per year",
                                        0.0, high=MAX_PURCHASES_PER_YEAR, sanity_cap=True,
                                        help_zh="基线情况下每位购买者每年的购买次数"),
            "aov": _money("CNY/order", "average order value without the community", zh="没有社群时的平均客单价"),
        },
        "exclusive": {
            "share": _rate("fraction of community revenue", "share of community sales that are exclusive products",
                           zh="社群销售额中专属产品所占的比例", typical=(0.2, 0.3)),  # 001 §5.2.3: 20% → 30%
            "premium": _rate("fraction", "price premium on exclusive products", zh="专属产品的价格溢价比例",
                             typical=(0.1, 0.15)),  # 001 §5.2.1: 15%; §5.4.2: 10% in a shortfall
        },
        "stated_benefit_yearly": _money("CNY/year", "benefit a source states only as a yearly total; "
                                        "counted as is, no margin applied",
                                        zh="来源只以年度总额给出的收益；按原值计入，不再乘毛利率"),
    },
    "indirect": {
        "enabled": Field("flag", "", "count indirect benefits in the cash flow", False,
                         help_zh="在现金流中计入间接收益"),
        "word_of_mouth_yearly": _money("CNY/year", "word-of-mouth benefit per year", zh="每年的口碑收益"),
        "data_value_yearly": _money("CNY/year", "value of community data per year", zh="每年的社群数据价值"),
        "other_yearly": _money("CNY/year", "other indirect benefit per year", zh="每年的其他间接收益"),
    },
    "investment": {c.key: _money("CNY", c.what, zh=c.what_zh) for c in INVESTMENT_LINES},
    "operating_costs": _operating_costs(),
    "levers": {
        "saas_scrm": {
            "enabled": Field("flag", "", "SaaS SCRM instead of custom development", False,
                             help_zh="采用 SaaS 版 SCRM，代替定制开发"),
            # 001 §三(四)4.1: SaaS software −40%, an example −48%; §5.1.3: −70%
            "tech_investment_cut": _rate("fraction", "cut in initial tech investment when switched on",
                                         zh="启用后初始技术投入的削减比例", typical=(0.4, 0.7)),
            "subscription_yearly": _money("CNY/year", "SaaS subscription added to tech maintenance",
                                          zh="计入技术维护的 SaaS 年订阅费"),
        },
        "part_time_staff": {
            "enabled": Field("flag", "", "part-time staff share", False, help_zh="采用一定比例的兼职人员"),
            # 001 §5.1.3: labour −25%; §四(六)6.1 and §七: "1+N" part-time saves 40%
            "labour_cut": _rate("fraction", "cut in operating labour cost when switched on",
                                zh="启用后运营人力成本的削减比例", typical=(0.25, 0.4)),
        },
        "ai_customer_service": {
            "enabled": Field("flag", "", "AI customer service for routine questions", False,
                             help_zh="由 AI 客服处理常规问题"),
            "saving_yearly": _money("CNY/year", "labour saved per year when switched on", zh="启用后每年节省的人力成本"),
        },
        "lean_events": {
            "enabled": Field("flag", "", "small weekly + big monthly events", False,
                             help_zh="精简活动：每周小型活动加每月大型活动"),
            "activities_cut": _rate("fraction", "cut in activities cost when switched on",
                                    zh="启用后活动成本的削减比例", typical=(0.33, 0.33)),  # 001 §5.1.3: −33%
        },
    },
    "tax": {
        # PRC Enterprise Income Tax Law: 25% standard, 15% for high-tech enterprises (the sources ignore tax)
        "income_tax_rate": _rate("fraction of taxable profit", "corporate income tax, assessed per model year on "
                                 "profit after depreciation, paid in the year's last month (PRC standard 25%)",
                                 zh="企业所得税：按模型年度对折旧后的利润计征，在该年最后一个月缴纳（中国标准税率 25%）",
                                 typical=(0.15, 0.25)),
        "depreciation_years": Field("number", "years", "straight-line life of the capitalised investment", 3.0,
                                    low=1, high=50, help_zh="资本化投入按直线法折旧的年限"),
        "capitalised": Field("choices", "", "investment lines capitalised and depreciated; the others are expensed "
                             "at month 0", ("tech",), choices=tuple(c.key for c in INVESTMENT_LINES),
                             help_zh="资本化并计提折旧的初始投入项目；其余项目在第 0 个月一次性费用化"),
        "loss_carryforward_years": Field("years", "years", "years a tax loss may be carried forward (PRC: 5)", 5,
                                         high=50, help_zh="税务亏损可向以后年度结转的年数（中国：5 年）"),
        "prices_include_vat": Field("flag", "", "order values and cost of goods include VAT: revenue and cost of "
                                    "goods are counted net of it", False,
                                    help_zh="客单价和销货成本含增值税：收入和销货成本按扣除增值税后的金额计算"),
        # PRC VAT: 13% on goods, 9% and 6% on some goods and services
        "vat_rate": _rate("fraction", "VAT rate on goods (PRC 13%; 0: VAT not modelled)",
                          zh="商品增值税税率（中国 13%；0：不计算增值税）", typical=(0.06, 0.13)),
        # PRC: urban maintenance tax 7% (county 5%, elsewhere 1%) + education 3% + local education 2%
        "vat_surcharge_rate": _rate("fraction of VAT payable", "surcharges on VAT payable (urban maintenance 7%, "
                                    "education 3%, local education 2%)", 0.12, typical=(0.06, 0.12),
                                    zh="按应缴增值税计征的附加税费（城市维护建设税 7%、教育费附加 3%、地方教育附加 2%）"),
    },
    "working_capital": {
        "receivable_days": Field("number", "days", "days of revenue owed by customers and platforms", 0.0, high=365,
                                 help_zh="客户和平台尚未结算的收入天数（应收账款天数）"),
        "inventory_days": Field("number", "days", "days of cost of goods held as stock", 0.0, high=365,
                                help_zh="以库存形式持有的销货成本天数（存货天数）"),
        "payable_days": Field("number", "days", "days of cost of goods owed to suppliers", 0.0, high=365,
                              help_zh="尚欠供应商的销货成本天数（应付账款天数）"),
        "release_at_end": Field("flag", "", "the balance comes back as cash in the last month (never with a "
                                "terminal value, which would count it twice)", True,
                                help_zh="营运资金余额在最后一个月以现金收回（计算终值时不收回，以免重复计算）"),
    },
    "terminal_value": {
        "method": Field("choice", "", "value after the horizon: none, or gordon (growing perpetuity of the last "
                        "year's free cash flow)", "none", choices=("none", "gordon"),
                        help_zh="评估期之后的价值：none（不计），或 gordon（以最后一年自由现金流按永续增长计算）"),
        # ours: long-run nominal growth no faster than inflation plus a little
        "growth_yearly": _rate("fraction/year", "growth of free cash flow after the horizon (gordon)", 0.0,
                               low=-0.5, high=0.5, zh="评估期之后自由现金流的年增长率（gordon 法）", typical=(0.0, 0.03)),
    },
}


def written_bare(raw: object) -> bool:
    """True when a value is written as a plain number (``7.5``, ``"0.9"``), not as a percentage (``"7.5%"``)."""
    if isinstance(raw, str):
        return "%" not in normalise_number_text(raw)
    return isinstance(raw, (int, float)) and not isinstance(raw, bool)


def percent_text(fraction: float) -> str:
    """A fraction as a short percentage: ``0.075`` → ``"7.5%"``, ``0.9`` → ``"90%"``."""
    return f"{round(fraction * 100, 6):g}%"


def _flatten(schema: Mapping[str, Any], prefix: str = "") -> dict[str, Field]:
    out: dict[str, Field] = {}
    for key, node in schema.items():
        path = prefix + key
        out.update(_flatten(node, path + ".") if isinstance(node, dict) else {path: node})
    return out


#: Every input by its dotted path, e.g. ``"revenue.community.conversion"``.
FIELDS: dict[str, Field] = _flatten(SCHEMA)
SECTIONS = {".".join(p.split(".")[:i]) for p in FIELDS for i in range(1, p.count(".") + 1)}
META_KEYS = ("value", "source", "basis", "note")


#: The ``one_off_costs:`` section: NAME → {amount, month}; each entry gives the inputs
#: ``one_off_costs.NAME.amount`` and ``one_off_costs.NAME.month`` (not in :data:`FIELDS`, whose
#: paths are fixed; :func:`field_of` knows both kinds).
ONE_OFF_SECTION = "one_off_costs"
ONE_OFF_FIELDS: dict[str, Field] = {
    "amount": _money("CNY", "one-off cost, paid once in its month", REQUIRED, zh="一次性成本，在其所在月份一次付清"),
    "month": Field("months", "month", "the month the one-off cost is paid (1 to the horizon)", REQUIRED, low=1,
                   high=MAX_HORIZON_MONTHS, help_zh="支付该一次性成本的月份（1 至评估期末）"),
}


def one_off_path(path: str) -> tuple[str, str] | None:
    """``"one_off_costs.fine.amount"`` → ``("fine", "amount")``; None for any other path."""
    parts = path.split(".") if isinstance(path, str) else ()
    if len(parts) == 3 and parts[0] == ONE_OFF_SECTION and parts[1] and parts[2] in ONE_OFF_FIELDS:
        return parts[1], parts[2]
    return None


def field_of(path: str) -> Field:
    """The :class:`Field` of any input path: a schema input, or a one-off cost's amount or month.

    Raises KeyError for any other path.
    """
    if path in FIELDS:
        return FIELDS[path]
    one_off = one_off_path(path)
    if one_off is None:
        raise KeyError(path)
    return ONE_OFF_FIELDS[one_off[1]]


def unpack_leaf(raw: object, path: str, label: str, problems: list) -> tuple[object, dict]:
    """Split a leaf into its value and its provenance (source, basis, note)."""
    if not isinstance(raw, dict):
        return raw, {}
    if "value" not in raw:
        problems.append(InputError(label, path, "must be a value, or a mapping with 'value' and 'source'", raw))
        return None, {}
    meta = {}
    for key, item in raw.items():
        if key not in META_KEYS:
            problems.append(InputError(label, f"{path}.{key}", "is not a known key (value, source, basis, note)",
                                       item))
        elif key == "basis" and item not in BASES:
            problems.append(InputError(label, f"{path}.basis", "must be one of " + ", ".join(BASES), item))
        elif key in ("source", "note") and not isinstance(item, str):
            problems.append(InputError(label, f"{path}.{key}", BILINGUAL_FORM, item))
        elif key != "value":
            meta[key] = item
    return raw["value"], meta
