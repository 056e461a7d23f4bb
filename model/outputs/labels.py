"""Display labels in English and Chinese for reports, charts and the dashboard.

``label(key, language)`` gives one label; texts with ``{placeholders}`` are filled by the
caller with ``str.format``. Every key has an English text; a missing Chinese text falls
back to English. A text from a lower layer (a :class:`~model.inputs.texts.Text`, or user
text with no translation) is shown with :func:`model.inputs.texts.text_in`.
"""

from __future__ import annotations

from ..inputs.texts import LANGUAGES
from .dashboard_labels import DASHBOARD as _DASHBOARD
from .reading_labels import READING as _READING
from .sweep_labels import SWEEP as _SWEEP


_CHARTS = {
    "month": {"en": "Month", "zh": "月份"},
    "year": {"en": "Year", "zh": "年份"},
    "money_axis": {"en": "CNY, in {unit}", "zh": "{unit}"},
    "money_axis_month": {"en": "CNY per month, in {unit}", "zh": "{unit}/月"},
    "money_axis_year": {"en": "CNY per year, in {unit}", "zh": "{unit}/年"},
    "users_axis": {"en": "Community users", "zh": "社群用户数"},
    "users_per_month_axis": {"en": "New and churned users per month", "zh": "每月新增与流失用户"},
    "cumulative_cash": {"en": "Cumulative net cash flow", "zh": "累计净现金流"},
    "cumulative_discounted": {"en": "Cumulative discounted net cash flow", "zh": "累计折现净现金流"},
    "payback": {"en": "Payback", "zh": "投资回收期"},
    "benefits": {"en": "Benefits", "zh": "收益"},
    "costs": {"en": "Costs", "zh": "成本"},
    "net": {"en": "Net cash flow", "zh": "净现金流"},
    "benefits_costs": {"en": "Benefits and costs by year", "zh": "各年收益与成本"},
    "months_unit": {"en": "months", "zh": "个月"},
    "costs_by_year": {"en": "Costs by year", "zh": "各年成本"},
    "revenue_by_month": {"en": "Revenue and gross profit by month", "zh": "各月收入与毛利"},
    "users_by_month": {"en": "Community users by month", "zh": "各月社群用户数"},
}

#: Cash-flow lines of :class:`model.core.engine.Flows` and the running totals of the tables.
_LINES = {
    "users": {"en": "Users (month end)", "zh": "用户数（期末）"},
    "new_users": {"en": "New users", "zh": "新增用户"},
    "churned_users": {"en": "Churned users", "zh": "流失用户"},
    "community_revenue": {"en": "Community revenue", "zh": "社群收入"},
    "exclusive_premium": {"en": "Exclusive-product premium", "zh": "专属产品溢价"},
    "baseline_revenue": {"en": "Baseline revenue (without the community)", "zh": "基线收入（无社群）"},
    "incremental_revenue": {"en": "Incremental revenue", "zh": "增量收入"},
    "counted_revenue": {"en": "Revenue counted", "zh": "计入收入"},
    "gross_profit": {"en": "Gross profit on revenue counted", "zh": "计入收入的毛利"},
    "word_of_mouth": {"en": "Word of mouth", "zh": "口碑收益"},
    "data_value": {"en": "Data value", "zh": "数据价值"},
    "other_indirect": {"en": "Other indirect benefit", "zh": "其他间接收益"},
    "stated_benefit": {"en": "Benefit as a source states it", "zh": "文件所述收益"},
    "investment_tech": {"en": "Investment: technology", "zh": "初始投资：技术"},
    "investment_labour": {"en": "Investment: labour", "zh": "初始投资：人力"},
    "investment_content": {"en": "Investment: content", "zh": "初始投资：内容"},
    "labour": {"en": "Labour", "zh": "人力"},
    "activities": {"en": "Activities and events", "zh": "活动"},
    "acquisition": {"en": "User acquisition", "zh": "获客"},
    "tech_maintenance": {"en": "Technology maintenance", "zh": "技术维护"},
    "other_costs": {"en": "Other operating costs", "zh": "其他运营成本"},
    "one_off_costs": {"en": "One-off costs", "zh": "一次性支出"},
    "content_costs": {"en": "Content production", "zh": "内容制作"},
    "vat_surcharges": {"en": "VAT surcharges", "zh": "增值税附加"},
    "income_tax": {"en": "Income tax", "zh": "企业所得税"},
    "change_in_working_capital": {"en": "Change in working capital", "zh": "营运资金变动"},
    "terminal_value": {"en": "Terminal value", "zh": "终值"},
    "depreciation_amortisation": {"en": "Depreciation and amortisation", "zh": "折旧与摊销"},
    "revenue": {"en": "Revenue (net of VAT)", "zh": "收入（不含增值税）"},
    "cost_of_goods": {"en": "Cost of goods", "zh": "销售成本"},
    "ebitda": {"en": "EBITDA", "zh": "息税折旧摊销前利润（EBITDA）"},
    "ebit": {"en": "EBIT", "zh": "息税前利润（EBIT）"},
    "nopat": {"en": "NOPAT (EBIT after income tax)", "zh": "税后经营利润（NOPAT）"},
    "capex": {"en": "Capital expenditure (initial investment)", "zh": "资本性支出（初始投资）"},
    "free_cash_flow": {"en": "Free cash flow", "zh": "自由现金流"},
    "ebitda_carried": {"en": "Free cash flow: EBITDA (from above)", "zh": "自由现金流：EBITDA（承上）"},
    "total_benefit": {"en": "Total benefit", "zh": "总收益"},
    "total_cost": {"en": "Total cost", "zh": "总成本"},
    "net_cash_flow": {"en": "Net cash flow", "zh": "净现金流"},
    "cumulative_net_cash_flow": {"en": "Cumulative net cash flow", "zh": "累计净现金流"},
    "discounted_net_cash_flow": {"en": "Discounted net cash flow", "zh": "折现净现金流"},
    "cumulative_discounted_net_cash_flow": {"en": "Cumulative discounted net cash flow", "zh": "累计折现净现金流"},
    "tech": {"en": "Technology", "zh": "技术"},
    "content": {"en": "Content", "zh": "内容"},
    "phase": {"en": "Phase", "zh": "阶段"},
    "investment": {"en": "investment", "zh": "投资"},
    "pilot": {"en": "pilot", "zh": "试点"},
    "rollout": {"en": "rollout", "zh": "推广"},
    "optimisation": {"en": "optimisation", "zh": "优化"},
    "steady": {"en": "steady state", "zh": "稳定期"},
}

#: Metrics of :data:`model.core.metrics.METRIC_UNITS`.
_METRICS = {
    "npv": {"en": "NPV", "zh": "净现值（NPV）"},
    "irr": {"en": "IRR", "zh": "内部收益率（IRR）"},
    "mirr": {"en": "MIRR", "zh": "修正内部收益率（MIRR）"},
    "payback_months": {"en": "Payback", "zh": "投资回收期"},
    "discounted_payback_months": {"en": "Discounted payback", "zh": "折现投资回收期"},
    "roi": {"en": "ROI over the horizon", "zh": "评估期投资回报率（ROI）"},
    "bcr": {"en": "Benefit-cost ratio (PV)", "zh": "效益成本比（现值）"},
    "ltv": {"en": "LTV per user", "zh": "用户终身价值（LTV）"},
    "cac": {"en": "Acquisition cost per new user (CAC)", "zh": "每新增用户获客成本（CAC）"},
    "ltv_cac": {"en": "LTV : CAC", "zh": "LTV : CAC"},
    "total_investment": {"en": "Initial investment", "zh": "初始投资"},
    # full names, for the CLI's text and the workbook: every metric of model.core.metrics.METRIC_UNITS
    "npv_full": {"en": "NPV (monthly flows, monthly-equivalent rate)", "zh": "净现值（按月现金流，月等效折现率）"},
    "npv_annual_full": {"en": "NPV (annual flows, the study's method)", "zh": "净现值（按年现金流，研究报告口径）"},
    "irr_full": {"en": "IRR (monthly, annualised)", "zh": "内部收益率（按月计算，年化）"},
    "irr_annual_full": {"en": "IRR (annual flows)", "zh": "内部收益率（按年现金流）"},
    "mirr_full": {"en": "MIRR (monthly, annualised)", "zh": "修正内部收益率（按月计算，年化）"},
    "payback_months_full": {"en": "Payback", "zh": "投资回收期"},
    "discounted_payback_months_full": {"en": "Discounted payback", "zh": "折现投资回收期"},
    "roi_full": {"en": "ROI over the horizon", "zh": "评估期投资回报率（ROI）"},
    "bcr_full": {"en": "Benefit-cost ratio (PV)", "zh": "效益成本比（现值）"},
    "ltv_full": {"en": "LTV per user", "zh": "用户终身价值（LTV）"},
    "cac_full": {"en": "Acquisition cost per new user (CAC)", "zh": "每新增用户获客成本（CAC）"},
    "ltv_cac_full": {"en": "LTV : CAC", "zh": "LTV : CAC"},
    "total_benefit_full": {"en": "Total benefit", "zh": "总收益"},
    "total_cost_full": {"en": "Total cost incl. investment", "zh": "总成本（含投资）"},
    "total_investment_full": {"en": "Initial investment", "zh": "初始投资"},
    "npv_terminal_value": {"en": "PV of the terminal value", "zh": "终值现值"},
    "npv_terminal_value_full": {"en": "Present value of the terminal value (in NPV when on)",
                                "zh": "终值的现值（启用时计入净现值）"},
    "npv_pre_tax": {"en": "NPV before income tax", "zh": "税前净现值"},
    "npv_pre_tax_full": {"en": "NPV of the same flows with income tax at 0", "zh": "所得税为零时同一现金流的净现值"},
    "tax_paid": {"en": "Income tax paid", "zh": "已缴所得税"},
    "tax_paid_full": {"en": "Income tax paid over the horizon", "zh": "评估期内缴纳的所得税"},
    "cost_per_user": {"en": "Cost per user reached", "zh": "每触达用户成本"},
    "cost_per_user_full": {"en": "All costs per user reached (initial + new)", "zh": "全部成本 / 触达用户（初始 + 新增）"},
    "irr_ambiguous": {"en": "IRR ambiguous", "zh": "内部收益率不唯一"},
    "irr_ambiguous_full": {"en": "IRR ambiguous (the flows have several IRRs)", "zh": "内部收益率不唯一（现金流有多个根）"},
    "peak_funding_need": {"en": "Peak funding need", "zh": "最大资金需求"},
    "peak_funding_need_full": {"en": "Peak funding need (lowest cumulative cash, working capital included)",
                               "zh": "最大资金需求（累计现金最低点，含营运资金）"},
    "peak_funding_month": {"en": "Month of the peak funding need", "zh": "最大资金需求所在月份"},
    "peak_funding_month_full": {"en": "Month of the peak funding need", "zh": "最大资金需求所在月份"},
}

_REPORT = {
    "report_title": {"en": "Feasibility report", "zh": "可行性分析报告"},
    "index_title": {"en": "Feasibility reports", "zh": "可行性分析报告汇总"},
    "section_checks": {"en": "Model integrity checks", "zh": "模型完整性校验"},
    "section_verdict": {"en": "Verdict", "zh": "结论"},
    "section_assumptions": {"en": "Assumptions", "zh": "假设"},
    "section_costs": {"en": "Costs", "zh": "成本"},
    "section_revenue": {"en": "Users and revenue", "zh": "用户与收入"},
    "section_returns": {"en": "Cash flow and returns", "zh": "现金流与回报"},
    "section_scorecard": {"en": "KPI scorecard", "zh": "KPI 对照表"},
    "section_reading": {"en": "Reading the results", "zh": "结果解读"},
    "section_risk": {"en": "Risk", "zh": "风险分析"},
    "intro_risk": {
        "en": "The study's risk register acts on the model's drivers (never on money directly); the study's own "
              "money figures are shown beside ours. The Monte Carlo draws the uncertain inputs and the risk "
              "events with a recorded seed.",
        "zh": "研究报告的风险清单作用于模型驱动因素（而非直接作用于金额），报告自身的金额数字与我方结果并列。"
              "蒙特卡洛模拟按记录的随机种子抽取不确定输入与风险事件。"},
    "risk_summary": {"en": "Expected NPV and Monte Carlo", "zh": "期望净现值与蒙特卡洛模拟"},
    "risk_stress": {"en": "Stress cases", "zh": "压力情景"},
    "risk_impacts": {"en": "Each impact alone, beside the study's figure", "zh": "各影响单独作用（与研究报告数字对照）"},
    "risk_mitigations": {"en": "Does each mitigation pay for itself?", "zh": "应对措施是否值得"},
    "risk_montecarlo": {"en": "Monte Carlo percentiles", "zh": "蒙特卡洛分位数"},
    "risk_breakeven": {"en": "Break-even values (NPV = 0)", "zh": "盈亏平衡值（净现值 = 0）"},
    "risk_tornado": {"en": "Risk: tornado", "zh": "风险：龙卷风图"},
    "none_within_bounds": {"en": "none within bounds", "zh": "允许范围内不存在"},
    "breakeven_conversion": {"en": "community conversion", "zh": "社群转化率"},
    "breakeven_aov": {"en": "community order value", "zh": "社群客单价"},
    "breakeven_growth": {"en": "user growth, one monthly rate for every phase (base: the pilot's)",
                         "zh": "用户增长率（各阶段统一月增长率；基准值为试点期）"},
    "breakeven_gross_margin": {"en": "gross margin", "zh": "毛利率"},
    "breakeven_attribution": {"en": "share of the uplift the community causes (attribution)", "zh": "社群带来的增量占比（归因）"},
    "breakeven_opex_yearly": {"en": "fixed yearly operating cost (labour, activities, tech maintenance, other; "
                                    "per-user, staffing and acquisition costs unchanged)",
                              "zh": "固定年运营成本（人力、活动、技术维护、其他；按用户、按人员配比与获客成本不变）"},
    "section_audit": {"en": "Audit of the study's claims", "zh": "研究报告数据核查"},
    "intro_audit": {
        "en": "The figures of the feasibility study (001) that concern this case, recomputed from the inputs the "
              "study itself states: consistent (within the tolerance each entry states, under the standard reading), "
              "consistent under another reading (named), inconsistent (with the difference), or not checkable.",
        "zh": "与本情景相关的可行性研究报告（001）数字，按报告自身给出的输入重新计算：一致（按标准口径，在各条目所述容差内）、"
              "换一种口径才一致（注明口径）、不一致（列出差额）或无法核查。"},
    "audit_caption": {"en": "The study's claims, recomputed", "zh": "研究报告数字的重新计算"},
    "audit_id": {"en": "id", "zh": "编号"},
    "audit_section": {"en": "section", "zh": "章节"},
    "audit_claim": {"en": "claim", "zh": "原文表述"},
    "audit_stated": {"en": "stated", "zh": "报告数值"},
    "audit_recomputed": {"en": "recomputed", "zh": "重新计算"},
    "audit_difference": {"en": "difference", "zh": "差额"},
    "audit_verdict": {"en": "verdict", "zh": "结论"},
    "audit_note": {"en": "note (method, convention, tolerance)", "zh": "说明（方法、口径、容差）"},
    "verdict_consistent": {"en": "consistent", "zh": "一致"},
    "verdict_consistent_under_another_reading": {"en": "consistent under another reading", "zh": "换一种口径才一致"},
    "verdict_inconsistent": {"en": "inconsistent", "zh": "不一致"},
    "verdict_not_checkable": {"en": "not checkable", "zh": "无法核查"},
    "audit_none": {"en": "No claim of the study concerns this case.", "zh": "研究报告中没有与本情景相关的数字。"},
    "intro_assumptions": {
        "en": "Every input the scenario states, with its value, unit and source. Basis says whose figure it is: "
              "the study's, derived from the study's figures, or ours. Ours are listed again below so that a "
              "reviewer can challenge them.",
        "zh": "情景文件设定的全部输入：数值、单位与来源。“依据”说明数字出处：研究报告原数、据报告推算，或我方假设。"
              "我方假设另列于下表，便于审阅者质询。"},
    "intro_costs": {
        "en": "The initial investment falls in month 0; operating costs run from month 1. Money is in 万元 "
              "(10,000 CNY), or 亿元 (100 million CNY) where a row reaches 1亿: each row names its unit; costs "
              "are negative in the cash-flow tables.",
        "zh": "初始投资发生在第 0 月，运营成本自第 1 月起发生。金额单位为万元，某行金额达到 1 亿时该行用亿元，"
              "每行注明单位；现金流表中成本为负数。"},
    "intro_revenue": {
        "en": "Community revenue, the baseline the same users would buy without the community, and the increment "
              "between them. Only the revenue counted (see its convention below) enters the cash flow, after the "
              "gross margin.",
        "zh": "社群收入、同一批用户在没有社群时本会产生的基线收入，以及两者之差（增量收入）。只有按下述口径计入的收入、"
              "乘以毛利率后进入现金流。"},
    "intro_returns": {
        "en": "Our convention discounts monthly flows at the monthly equivalent of the annual rate, "
              "(1 + r)^(1/12) − 1; the study's convention discounts annual flows (year 0 undiscounted). "
              "Both are shown, each labelled.",
        "zh": "我方口径：按月现金流，以年利率的等效月利率 (1 + r)^(1/12) − 1 折现；研究报告口径：按年现金流折现"
              "（第 0 年不折现）。两种口径并列，各自标明。"},
    "intro_scorecard": {
        "en": "The study's targets (001 §四(七)7.1) and the community-building plan's (000 §3) that the model "
              "produces, against this scenario's figures.",
        "zh": "研究报告（001 §四(七)7.1）与社群建设方案（000 §3）中模型能够计算的目标，对照本情景的数值。"},
    "not_modelled_kpis": {
        "en": "Not produced by the model, so not scored: daily time, content interaction, activity participation, "
              "satisfaction and repurchase (001 §四(七)7.1); high-value users, repurchase vs industry, CAC −50%, "
              "DAU/MAU and 7-day retention (000 §3.3–3.4).",
        "zh": "模型不计算、因而不评分的指标：日均时长、内容互动率、活动参与率、满意度、复购率（001 §四(七)7.1）；"
              "高价值用户占比、复购率对比行业、获客成本降低 50%、DAU/MAU、7 日留存率（000 §3.3–3.4）。"},
    # scenario header
    "scenario_file": {"en": "Scenario file", "zh": "情景文件"},
    "inherits": {"en": "inherits from", "zh": "继承自"},
    "horizon": {"en": "Horizon", "zh": "评估期"},
    "discount_rate": {"en": "Discount rate", "zh": "折现率"},
    "revenue_convention": {"en": "Revenue counted", "zh": "收入计入口径"},
    "convention_incremental": {
        "en": "incremental (community minus baseline) after a {margin} gross margin",
        "zh": "增量口径（社群收入减基线收入），毛利率 {margin}"},
    "convention_gross": {
        "en": "gross (all community revenue, the study's convention) after a {margin} gross margin",
        "zh": "总额口径（全部社群收入，研究报告的口径），毛利率 {margin}"},
    "indirect_on": {"en": "indirect benefits counted in the cash flow", "zh": "间接收益计入现金流"},
    "overrides_note": {"en": "Inputs changed for this report: {items}", "zh": "本报告改动的输入：{items}"},
    # checks and verdict
    "checks_pass": {"en": "Master check: every integrity check passes.", "zh": "总校验：全部完整性校验通过。"},
    "checks_fail": {"en": "Master check FAILED: the figures below cannot be relied on.",
                    "zh": "总校验未通过：以下数字不可采信。"},
    "check": {"en": "Check", "zh": "校验"},
    "status": {"en": "Status", "zh": "状态"},
    "detail": {"en": "Detail", "zh": "说明"},
    "pass": {"en": "pass", "zh": "通过"},
    "fail": {"en": "FAIL", "zh": "未通过"},
    "feasible": {"en": "FEASIBLE", "zh": "可行"},
    "not_feasible": {"en": "NOT FEASIBLE", "zh": "不可行"},
    "decision_rule": {
        "en": "Decision rule: the plan is feasible when NPV > 0, the IRR exceeds the discount rate and the "
              "payback falls within the target; all three must hold.",
        "zh": "判定规则：净现值大于 0、内部收益率高于折现率、投资回收期不超过目标，三条同时满足即为可行。"},
    "rule": {"en": "Rule", "zh": "规则"},
    "requirement": {"en": "Requirement", "zh": "要求"},
    "this_plan": {"en": "This plan", "zh": "本方案"},
    "met": {"en": "Met", "zh": "是否满足"},
    "yes": {"en": "yes", "zh": "是"},
    "no": {"en": "no", "zh": "否"},
    "rule_npv": {"en": "NPV (monthly flows)", "zh": "净现值（按月现金流）"},
    "rule_irr": {"en": "IRR (monthly, annualised)", "zh": "内部收益率（按月计算，年化）"},
    "rule_payback": {"en": "Payback", "zh": "投资回收期"},
    "above_zero": {"en": "> 0", "zh": "> 0"},
    "above_rate": {"en": "> {rate}", "zh": "> {rate}"},
    "within_target": {"en": "≤ {months} months", "zh": "≤ {months} 个月"},
    "key_figures": {"en": "Key figures", "zh": "关键数字"},
    # tables
    "input": {"en": "Input", "zh": "输入项"},
    "meaning": {"en": "Meaning", "zh": "含义"},
    "value": {"en": "Value", "zh": "数值"},
    "unit": {"en": "Unit", "zh": "单位"},
    "source": {"en": "Source", "zh": "来源"},
    "basis": {"en": "Basis", "zh": "依据"},
    "note": {"en": "Note", "zh": "备注"},
    "basis_study": {"en": "study", "zh": "研究报告"},
    "basis_derived": {"en": "derived", "zh": "推算"},
    "basis_ours": {"en": "ours", "zh": "我方假设"},
    "basis_default": {"en": "model default (ours)", "zh": "模型默认值（我方假设）"},
    "assumptions_caption": {"en": "Inputs of this scenario", "zh": "本情景的输入"},
    "ours_caption": {"en": "Our assumptions (not the study's): challenge these first",
                     "zh": "我方假设（非研究报告数字）：请优先质询"},
    "defaults_note": {"en": "{count} further inputs are left at zero or off (the schema default).",
                      "zh": "另有 {count} 项输入保持为零或关闭（模型默认值）。"},
    "investment_caption": {"en": "Initial investment (month 0)", "zh": "初始投资（第 0 月）"},
    "item": {"en": "Item", "zh": "项目"},
    "share": {"en": "Share", "zh": "占比"},
    "total": {"en": "Total", "zh": "合计"},
    "opex_caption": {"en": "Operating costs by year (costs as positive amounts; each row in its unit)",
                     "zh": "各年运营成本（以正数列示；每行按其单位）"},
    "revenue_caption": {"en": "Users and revenue by year (each row in its unit)", "zh": "各年用户与收入（每行按其单位）"},
    "annual_caption": {"en": "Annual cash flow (year 0 = month 0; each column in its unit)",
                       "zh": "年度现金流（第 0 年即第 0 月；每列按其单位）"},
    "monthly_caption": {"en": "Monthly cash flow (month 0 = the investment; each column in its unit)",
                        "zh": "月度现金流（第 0 月为投资时点；每列按其单位）"},
    "returns_caption": {"en": "Returns in both conventions", "zh": "两种口径下的回报指标"},
    "metric": {"en": "Metric", "zh": "指标"},
    "ours_monthly": {"en": "Ours: monthly flows", "zh": "我方口径：按月"},
    "study_annual": {"en": "The study's: annual flows", "zh": "研究报告口径：按年"},
    "scorecard_caption": {"en": "KPI targets the model produces", "zh": "模型可计算的 KPI 目标"},
    "kpi": {"en": "KPI", "zh": "KPI"},
    "target": {"en": "Target", "zh": "目标"},
    "how_measured": {"en": "How the model measures it", "zh": "模型的计算方式"},
    "na": {"en": "–", "zh": "–"},
    # units
    "unit_wan": {"en": "万元", "zh": "万元"},
    "unit_yuan_user": {"en": "元/user", "zh": "元/人"},
    "unit_months": {"en": "months", "zh": "个月"},
    "users_unit": {"en": "users", "zh": "人"},
    "unit_year_rate": {"en": "% a year", "zh": "%/年"},
    "unit_ratio": {"en": "ratio", "zh": "比值"},
    "unit_horizon": {"en": "% over the horizon", "zh": "%（整个评估期）"},
    "rate_a_year": {"en": "{value} a year", "zh": "{value}/年"},
    "irr_nm": {"en": "n.m. (MIRR {mirr})", "zh": "不适用（修正内部收益率 {mirr}）"},
    "year_n": {"en": "Year {n}", "zh": "第 {n} 年"},
    "same_both": {"en": "(same in both)", "zh": "（两种口径相同）"},
    # index
    "index_intro": {"en": "Every scenario rendered in this batch. Money in 万元 (10,000 CNY).",
                    "zh": "本批次生成的全部情景。金额单位：万元。"},
    "scenario": {"en": "Scenario", "zh": "情景"},
    "name": {"en": "Name", "zh": "名称"},
    "verdict": {"en": "Verdict", "zh": "结论"},
    "report": {"en": "Report", "zh": "报告"},
    "workbook": {"en": "Excel", "zh": "Excel"},
    "failures": {"en": "Failed scenarios", "zh": "生成失败的情景"},
    "cause": {"en": "Cause", "zh": "原因"},
    "no_failures": {"en": "None: every scenario rendered.", "zh": "无：全部情景均已生成。"},
    "seconds": {"en": "Render time (s)", "zh": "生成耗时（秒）"},
    "index_basis": {"en": "Revenue counted", "zh": "收入口径"},
    "basis_incremental": {"en": "increment over the baseline", "zh": "相对基线的增量"},
    "basis_gross": {"en": "gross revenue (the study's convention)", "zh": "总收入（研究报告口径）"},
    "index_expected_npv": {"en": "Expected NPV (risk events)", "zh": "期望净现值（风险事件）"},
    "index_group_decision": {"en": "Decision cases", "zh": "决策情景"},
    "index_group_study": {"en": "Reproductions of the study (its convention; not decision cases)",
                          "zh": "研究报告复现（其口径，非决策情景）"},
    "index_npv_chart": {"en": "NPV by scenario ({unit})", "zh": "各情景净现值（{unit}）"},
    "index_npv_chart_alt": {"en": "Bar chart of each scenario's NPV in {unit}, green above zero, red below",
                            "zh": "各情景净现值条形图（{unit}），正值为绿色，负值为红色"},
    "index_cash_chart_alt": {"en": "Cumulative net cash flow of every scenario by month, overlaid; dashed lines are "
                                   "the study's reproductions", "zh": "各情景逐月累计净现金流叠加图；虚线为研究报告复现情景"},
}

#: Targets of the KPI scorecard (see :mod:`model.audit.scorecard`).
_RISK_CHARTS = {
    "npv_axis": {"en": "NPV, CNY in {unit}", "zh": "净现值（{unit}）"},
    "npv_zero": {"en": "NPV = 0 (P(NPV < 0) = {share})", "zh": "净现值 = 0（P(NPV < 0) = {share}）"},
    "histogram": {"en": "NPV over {trials} trials (seed {seed})", "zh": "{trials} 次模拟的净现值分布（随机种子 {seed}）"},
    "trials_axis": {"en": "trials", "zh": "模拟次数"},
    "cdf": {"en": "Cumulative distribution of NPV", "zh": "净现值累积分布"},
    "cdf_axis": {"en": "share of trials with NPV ≤ x", "zh": "净现值 ≤ x 的模拟占比"},
    "tornado": {"en": "Tornado: NPV with each input at its low and high", "zh": "龙卷风图：各输入取低值与高值时的净现值"},
    "at_low": {"en": "input at its low", "zh": "输入取低值"},
    "no_uncertainty": {"en": "This scenario states no uncertain inputs (no `uncertainty:` section).",
                       "zh": "本情景没有设定不确定输入（无 uncertainty: 部分）。"},
    "at_high": {"en": "input at its high", "zh": "输入取高值"},
    "base_npv": {"en": "base NPV {value}", "zh": "基准净现值 {value}"},
    # a chart's alt text (model.outputs.plots.describe)
    "chart": {"en": "Chart", "zh": "图表"},
    "chart_axes": {"en": "{y} by {x}", "zh": "{y}（横轴：{x}）"},
    "chart_series": {"en": "series: ", "zh": "数据系列："},
    "convergence": {"en": "Convergence of the NPV percentiles", "zh": "净现值分位数的收敛"},
    "trials_log": {"en": "trials (log scale)", "zh": "模拟次数（对数坐标）"},
    "tornado_total": {"en": "{what}, several lines together", "zh": "{what}（多项合计）"},
}

#: Headers of the risk tables' columns and the summary table's rows (:mod:`model.outputs.risk_tables`).
_RISK_TABLES = {
    "risk_col_case": {"en": "case", "zh": "情景"},
    "risk_col_probability": {"en": "probability", "zh": "概率"},
    "risk_col_npv": {"en": "NPV", "zh": "净现值"},
    "risk_col_npv_change": {"en": "NPV change", "zh": "净现值变化"},
    "risk_col_irr": {"en": "IRR (annual)", "zh": "内部收益率（年）"},
    "risk_col_payback_months": {"en": "payback (months)", "zh": "回收期（月）"},
    "risk_col_first_year_net_change": {"en": "year-1 net change", "zh": "第1年净现金流变化"},
    "risk_col_stated_impact": {"en": "source's stated impact", "zh": "文件所述影响"},
    "risk_col_risk": {"en": "risk", "zh": "风险"},
    "risk_col_impact": {"en": "impact on drivers", "zh": "对驱动因素的影响"},
    "risk_col_source": {"en": "source", "zh": "来源"},
    "risk_col_mitigation": {"en": "mitigation", "zh": "应对措施"},
    "risk_col_effectiveness": {"en": "effectiveness", "zh": "有效性"},
    "risk_col_cost_pv": {"en": "cost (PV)", "zh": "成本（现值）"},
    "risk_col_expected_loss_avoided": {"en": "expected loss avoided", "zh": "预期避免损失"},
    "risk_col_net_value": {"en": "net value", "zh": "净价值"},
    "risk_col_pays_for_itself": {"en": "pays for itself", "zh": "是否值得"},
    "risk_col_measure": {"en": "measure", "zh": "指标"},
    "risk_col_value": {"en": "value", "zh": "数值"},
    "risk_col_statistic": {"en": "statistic", "zh": "统计量"},
    "risk_col_input": {"en": "input", "zh": "输入"},
    "risk_col_npv_low": {"en": "NPV at low", "zh": "低值时净现值"},
    "risk_col_npv_high": {"en": "NPV at high", "zh": "高值时净现值"},
    "risk_col_swing": {"en": "swing", "zh": "波动幅度"},
    "risk_col_driver": {"en": "driver", "zh": "驱动因素"},
    "risk_col_base": {"en": "base value", "zh": "基准值"},
    "risk_col_breakeven": {"en": "break-even value (NPV = 0)", "zh": "盈亏平衡值（净现值 = 0）"},
    "risk_row_base_npv": {"en": "NPV, base case", "zh": "净现值（基准情景）"},
    "risk_row_expected_npv": {"en": "expected NPV over the risk events", "zh": "考虑风险事件的期望净现值"},
    "risk_row_expected_npv_mitigated": {"en": "expected NPV, every mitigation in place", "zh": "全部应对措施下的期望净现值"},
    "risk_row_p50": {"en": "Monte Carlo P50 NPV", "zh": "蒙特卡洛模拟净现值中位数（P50）"},
    "risk_row_prob_npv_negative": {"en": "P(NPV < 0)", "zh": "净现值为负的概率"},
    "risk_row_trials": {"en": "trials, seed", "zh": "模拟次数，随机种子"},
    # the Monte Carlo table's statistics (model.risk.montecarlo.MonteCarlo.summary)
    "risk_stat_mean": {"en": "mean", "zh": "均值"},
    "risk_stat_p5": {"en": "p5", "zh": "P5（5% 分位数）"},
    "risk_stat_p50": {"en": "p50", "zh": "P50（中位数）"},
    "risk_stat_p95": {"en": "p95", "zh": "P95（95% 分位数）"},
}

_KPIS = {
    "kpi_new_users": {"en": "New users per month", "zh": "月新增用户"},
    "kpi_retention": {"en": "Monthly retention (1 − churn)", "zh": "月留存率（1 − 月流失率）"},
    "kpi_conversion": {"en": "Community conversion", "zh": "社群转化率"},
    "kpi_roi": {"en": "Community ROI ((benefit − cost) / cost)", "zh": "社群 ROI（（收益 − 成本）/ 成本）"},
    "kpi_conversion_mid": {"en": "Conversion, months 6-18", "zh": "转化率（6–18 个月）"},
    "kpi_market_share": {"en": "Community users / target market", "zh": "社群用户占目标市场比例"},
    "kpi_aov": {"en": "Order value vs without the community", "zh": "客单价提升"},
    "kpi_gmv_growth": {"en": "Community GMV growth", "zh": "社群 GMV 年增长率"},
    "kpi_ltv_cac": {"en": "LTV / CAC", "zh": "LTV / CAC"},
    "measure_new_users": {"en": "average new users a month over the horizon", "zh": "评估期内月均新增用户"},
    "measure_retention": {"en": "1 − average monthly churn, against the 30-day retention target: the model has "
                                "no cohorts, so this is not a 30-day cohort retention",
                          "zh": "1 − 平均月流失率，对照 30 日留存率目标：模型不区分用户批次，并非按批次计算的 30 日留存率"},
    "measure_conversion": {"en": "input revenue.community.conversion", "zh": "输入 revenue.community.conversion"},
    "measure_conversion_mid": {"en": "input revenue.community.conversion", "zh": "输入 revenue.community.conversion"},
    "measure_roi": {"en": "the model's roi, (total benefit − total cost) / total cost over the horizon; the target "
                          "1:5 is cost : benefit (投入产出比, 001 §二4.2), i.e. roi ≥ 4",
                    "zh": "模型的 roi：（评估期总收益 − 总成本）/ 总成本；目标 1:5 为投入产出比（001 §二4.2），即 roi ≥ 4"},
    "measure_market_share": {"en": "users at the horizon / users.market_size (the target market; not scored "
                                   "while it is not set)",
                             "zh": "期末用户数 / users.market_size（目标市场规模；未设定时不评分）"},
    "measure_aov": {"en": "community / baseline order value − 1", "zh": "社群客单价 / 基线客单价 − 1"},
    "measure_gmv_growth": {"en": "yearly growth of community revenue, first to last full year",
                           "zh": "社群收入的年均增长率（首个至末个完整年度）"},
    "measure_ltv_cac": {"en": "LTV : CAC, monthly convention", "zh": "LTV : CAC（按月口径）"},
}


LABELS: dict[str, dict[str, str]] = {**_CHARTS, **_LINES, **_METRICS, **_REPORT, **_RISK_CHARTS, **_RISK_TABLES, **_KPIS,
                                     **_READING,
                                     **_DASHBOARD, **_SWEEP}


def check_language(language: str) -> str:
    """``language`` if it is supported; ValueError naming the choices otherwise."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)} (got {language!r})")
    return language


def label(key: str, language: str = "en") -> str:
    """The label ``key`` in ``language`` (``en`` or ``zh``); English when not translated."""
    entry = LABELS[key]
    return entry.get(check_language(language)) or entry["en"]


