"""The labels of the report's plain-language reading and summary sentences, in English and Chinese.

Kept apart from :mod:`model.outputs.labels` only for length; :data:`model.outputs.labels.LABELS`
merges them, and ``label(key, language)`` reads them like any other label.
"""

#: Sentences of the plain-language reading (filled with ``str.format``).
READING = {
    "read_verdict_yes": {
        "en": "By the stated rule the plan is feasible: NPV {npv}, IRR {irr} against a {rate} discount rate, "
              "payback in {payback} against a target of {target} months.",
        "zh": "按上述规则，本方案可行：净现值 {npv}，内部收益率 {irr}（折现率 {rate}），投资回收期 {payback}"
              "（目标 {target} 个月）。"},
    "read_verdict_no": {
        "en": "By the stated rule the plan is not feasible: it fails {failed}. NPV is {npv}; payback {payback} "
              "against a target of {target} months.",
        "zh": "按上述规则，本方案不可行：未满足{failed}。净现值 {npv}；投资回收期 {payback}（目标 {target} 个月）。"},
    "irr_nm_ambiguous": {"en": "n.m.: the cash flows change sign more than once and have several IRRs; "
                                "read the MIRR", "zh": "不适用：现金流多次变号，有多个内部收益率；请看修正内部收益率"},
    "irr_nm_extreme": {"en": "n.m.: an IRR above 1,000% a year says only that the outlay is small against the "
                              "returns; read the MIRR", "zh": "不适用：内部收益率超过每年 1,000%，只说明投入相对回报很小；请看修正内部收益率"},
    "irr_nm_fast_payback": {"en": "n.m.: the plan pays back within 3 months, which makes any IRR enormous; read "
                                   "the MIRR", "zh": "不适用：3 个月内回收投资，内部收益率必然极高；请看修正内部收益率"},
    "statements_caption": {"en": "Income statement and free cash flow by year (each row in its unit)",
                           "zh": "分年度利润表与自由现金流（每行按其单位）"},
    "statements_note": {
        "en": "Year 0 is the investment instant (month 0). Costs, tax and investment are negative. Income tax is "
              "assessed per model year (months 0-12, 13-24, …) on profit after depreciation, with losses carried "
              "forward up to {years} years, and paid in the year's last month. Revenue and cost of goods are net "
              "of VAT when prices include it. The discount rate ({rate} a year) is nominal, as are the cost "
              "escalations. Free cash flow is the flow NPV, IRR and payback use.",
        "zh": "第 0 年为投资时点（第 0 月）。成本、税金和投资为负数。企业所得税按模型年度（第 0-12 月、13-24 月……）对折旧后"
              "利润计征，亏损最多向后结转 {years} 年，于该年度最后一个月缴纳。价格含增值税时，收入与销售成本均按不含税计。"
              "折现率（每年 {rate}）为名义利率，成本上涨率亦为名义值。自由现金流即净现值、内部收益率和回收期所用的现金流。"},
    "summary_title": {"en": "Executive summary", "zh": "执行摘要"},
    "summary_failed": {"en": "Fails", "zh": "未满足"},
    "summary_ask": {"en": "The ask", "zh": "资金需求"},
    "summary_ask_text": {"en": "investment {investment}; peak funding need {peak} (lowest cumulative cash, working "
                                "capital included), in month {month}",
                         "zh": "初始投资 {investment}；最大资金需求 {peak}（累计现金最低点，含营运资金），出现在第 {month} 月"},
    "summary_low_high": {"en": "low / high", "zh": "低值 / 高值"},
    "summary_drivers_tornado": {"en": "The three inputs that move NPV most (tornado of the uncertain inputs)",
                                "zh": "对净现值影响最大的三个输入（不确定输入的龙卷风分析）"},
    "summary_drivers_swings": {"en": "The three inputs that move NPV most (each ±10%, one at a time)",
                               "zh": "对净现值影响最大的三个输入（逐个 ±10%）"},
    "summary_caveats": {"en": "Caveats: inputs the result hangs on that no source backs",
                        "zh": "注意事项：结果所依赖、但没有来源支持的输入"},
    "summary_no_caveats": {"en": "none: every input that moves NPV by more than 10% has a source",
                           "zh": "无：每个使净现值变动超过 10% 的输入都有来源"},
    "caveat_swing": {"en": "our assumption or a default, and a ±10% change moves NPV by more than 10%",
                     "zh": "为我方假设或默认值，±10% 的变动会使净现值变动超过 10%"},
    "caveat_neutral_default": {"en": "left at its neutral default, which flatters the plan",
                               "zh": "保持中性默认值，会使方案显得更好"},
    "summary_provenance": {"en": "Provenance: model {model}; scenario {file}, hash {scenario_hash}; rendered {rendered}.",
                           "zh": "来源：模型版本 {model}；情景 {file}，哈希 {scenario_hash}；生成于 {rendered}。"},
    "bridge_caption": {"en": "NPV bridge from the study's head tier (the study's annual convention, npv_annual)",
                       "zh": "从研究报告头部企业情景到本情景的净现值桥（研究报告的年度口径，npv_annual）"},
    "bridge_note": {"en": "Each step is a full evaluation with one more group of inputs at this case's values; the "
                          "deltas add up to the difference. The order of the steps changes the deltas.",
                    "zh": "每一步都是完整重算，多一组输入取本情景的值；各步差额之和等于总差额。步骤顺序不同，差额也不同。"},
    "bridge_start": {"en": "The study's head tier", "zh": "研究报告头部企业情景"},
    "bridge_end": {"en": "This case", "zh": "本情景"},
    "bridge_step": {"en": "step", "zh": "步骤"},
    "bridge_delta": {"en": "change", "zh": "变动"},
    "bridge_value": {"en": "NPV after the step", "zh": "该步后的净现值"},
    "bridge_merged": {"en": "merged with", "zh": "合并自"},
    "read_never": {"en": "not within the horizon", "zh": "评估期内无法收回"},
    "read_scale": {
        "en": "It invests {investment} in month 0 and spends {opex} a year on operations on average; over "
              "{months} months it counts {benefit} of benefit against {cost} of cost.",
        "zh": "第 0 月投资 {investment}，年均运营成本 {opex}；{months} 个月内计入收益 {benefit}，总成本 {cost}。"},
    "read_revenue": {
        "en": "The community sells {community} over the horizon, of which {baseline} the same users would have "
              "bought anyway; the increment is {incremental}. Revenue counted is {convention}.",
        "zh": "评估期内社群销售额 {community}，其中 {baseline} 是同一批用户本来就会产生的购买；增量为 {incremental}。"
              "收入计入口径：{convention}。"},
    "read_largest_cost": {"en": "The largest cost line is {line} ({share} of all cost).",
                          "zh": "最大的成本项是{line}（占总成本的 {share}）。"},
    "read_fast_payback": {
        "en": "Payback is so fast that the IRR is enormous and says little; read NPV and payback instead.",
        "zh": "回收期极短，内部收益率因此极高、参考意义有限；请以净现值和回收期为准。"},
    "read_gross_warning": {
        "en": "Caution: this case counts all community revenue as benefit, as the study does; the baseline "
              "purchases the same users would make anyway are not deducted.",
        "zh": "注意：本情景沿用研究报告口径，把全部社群收入计为收益，没有扣除同一批用户本来就会产生的基线购买。"},
    "read_conventions": {
        "en": "In the study's annual convention NPV is {npv_annual} and payback {payback_annual}; the monthly "
              "figures above are the more precise.",
        "zh": "按研究报告的年度口径，净现值为 {npv_annual}，投资回收期 {payback_annual}；上文的按月数字更精确。"},
}

__all__ = ["READING"]
