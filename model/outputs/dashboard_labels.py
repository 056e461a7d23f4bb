"""The dashboard's labels in English and Chinese: groups, controls, units, buttons and messages.

Kept apart from :mod:`model.outputs.labels` only for length; :data:`model.outputs.labels.LABELS`
merges them, and ``label(key, language)`` reads them like any other label. A control's label
is ``control_KEY`` (``control_growth`` and ``control_churn`` are completed with the phase).
"""

#: Group titles, control names, units and the page's buttons and messages.
DASHBOARD = {
    "dash_title": {"en": "Planner dashboard: community-marketing feasibility", "zh": "规划看板：社群营销可行性"},
    "dash_intro": {"en": "Pick a scenario, move the sliders, and the figures and charts follow. Rates are percentages "
                         "(each says whether it is monthly or yearly), money controls are in 万元 (10,000 CNY) and order "
                         "values in 元, and each chart names its unit (亿元 from 1亿); every control names the study's "
                         "figure and section. The verdict uses the report's "
                         "rule: NPV above 0, IRR above the discount rate and payback within the scenario's target.",
                   "zh": "选择一个情景并移动滑块，指标和图表随之更新。比率以百分比表示（每项注明按月还是按年），"
                         "金额控件以万元为单位，客单价以元为单位，各图表注明其单位（达到 1 亿时用亿元）；每个控件都注明研究报告的数值及其章节。结论采用报告的"
                         "判定规则：净现值大于 0、内部收益率高于折现率、投资回收期不超过情景设定的目标。"},
    "dash_intro_tools": {"en": "Save as scenario writes a new file into the scenario folder that extends the picked "
                               "one and holds only what you changed; it never replaces an existing file unless you "
                               "tick the overwrite box. Reset returns every control to the picked file. Pin this "
                               "setting keeps the current figures to compare with your next changes; Export offers "
                               "the cash flows, the workbook and the charts as downloads.",
                         "zh": "“另存为情景”在情景文件夹中写入一个新文件：它继承所选情景，只记录您修改过的输入；"
                               "除非勾选覆盖选项，绝不替换已有文件。“重置”把所有控件恢复为所选文件的值。“固定当前"
                               "设置”保留当前指标，用来与之后的修改对比；“导出”提供现金流、工作簿和图表的下载。"},
    "group_users": {"en": "Users", "zh": "用户"},
    "group_revenue": {"en": "Revenue", "zh": "收入"},
    "group_costs": {"en": "Costs", "zh": "成本"},
    "group_finance": {"en": "Finance", "zh": "财务"},
    "control_users": {"en": "Initial users", "zh": "初始用户数"},
    "control_growth": {"en": "User growth", "zh": "用户增长率"},
    "control_churn": {"en": "User churn", "zh": "用户流失率"},
    "control_conversion": {"en": "Conversion", "zh": "转化率"},
    "control_aov": {"en": "Average order value", "zh": "客单价"},
    "control_purchases": {"en": "Purchases per buyer", "zh": "每位购买者的购买次数"},
    "control_margin": {"en": "Gross margin", "zh": "毛利率"},
    "control_indirect": {"en": "Count indirect benefits (word of mouth, data value)",
                         "zh": "计入间接收益（口碑、数据价值）"},
    "control_investment": {"en": "Initial investment, all lines scaled together", "zh": "初始投资（各项同比例调整）"},
    "control_operating": {"en": "Fixed operating cost, all lines scaled together",
                          "zh": "固定运营成本（各项同比例调整）"},
    "control_saas": {"en": "Lever: SaaS SCRM instead of custom development", "zh": "措施：用 SaaS SCRM 替代定制开发"},
    "control_part_time": {"en": "Lever: part-time staff", "zh": "措施：兼职人员"},
    "control_ai_service": {"en": "Lever: AI customer service", "zh": "措施：AI 客服"},
    "control_lean_events": {"en": "Lever: lean events", "zh": "措施：精简活动"},
    "control_discount": {"en": "Discount rate", "zh": "折现率"},
    "control_horizon": {"en": "Horizon", "zh": "评估期"},
    "dash_unit_users": {"en": "users", "zh": "人"},
    "dash_unit_rate_month": {"en": "%/month", "zh": "%/月"},
    "dash_unit_share_users": {"en": "share of users, %", "zh": "占用户的 %"},
    "dash_unit_yuan_order": {"en": "元/order", "zh": "元/单"},
    "dash_unit_per_year": {"en": "per year", "zh": "次/年"},
    "dash_unit_share_revenue": {"en": "% of counted revenue", "zh": "占计入收入的 %"},
    "dash_unit_wan": {"en": "万元", "zh": "万元"},
    "dash_unit_wan_year": {"en": "万元/year", "zh": "万元/年"},
    "dash_unit_rate_year": {"en": "%/year", "zh": "%/年"},
    "dash_unit_months": {"en": "months", "zh": "个月"},
    "dash_study": {"en": "study", "zh": "研究报告"},
    "dash_scenario": {"en": "Scenario", "zh": "情景"},
    "dash_reset": {"en": "Reset", "zh": "重置"},
    "dash_reset_tip": {"en": "every control back to the picked file", "zh": "所有控件恢复为所选文件的值"},
    "dash_file_name": {"en": "File name", "zh": "文件名"},
    "dash_overwrite": {"en": "Overwrite an existing file (confirm)", "zh": "覆盖已有文件（确认）"},
    "dash_save": {"en": "Save as scenario", "zh": "另存为情景"},
    "dash_saved": {"en": "Saved {file}: extends {parent} with {count} changed input(s); it validates.",
                   "zh": "已保存 {file}：继承 {parent}，修改了 {count} 个输入；校验通过。"},
    "dash_all_zero": {"en": "{control}: every line is 0 in this scenario; set them in its file",
                      "zh": "{control}：本情景中各项均为 0，请在情景文件中设置"},
    "dash_language": {"en": "Language", "zh": "语言"},
    "dash_language_tip": {"en": "The page's language: labels, figures, verdict and charts",
                          "zh": "页面语言：标签、指标、结论和图表"},
    "dash_undo": {"en": "Undo", "zh": "撤销"},
    "dash_export": {"en": "Export (CSV, xlsx, PNG)", "zh": "导出（CSV、xlsx、PNG）"},
    "dash_render": {"en": "Save and render a report", "zh": "保存并生成报告"},
    "dash_rendered": {"en": "Report written: {file}", "zh": "报告已生成：{file}"},
    "dash_pin": {"en": "Pin this setting", "zh": "固定当前设置"},
    "dash_item": {"en": "input or figure", "zh": "输入或指标"},
    "dash_pinned": {"en": "pinned", "zh": "已固定"},
    "dash_current": {"en": "current", "zh": "当前"},
    "dash_change": {"en": "change", "zh": "变动"},
    "dash_unsaved": {"en": "The controls hold unsaved changes: save them, or pick {file} again to discard them.",
                     "zh": "控件有未保存的修改：请先保存，或再次选择 {file} 以放弃修改。"},
}

__all__ = ["DASHBOARD"]
