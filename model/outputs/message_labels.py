"""Fixed English texts that lower layers hand to reports, with their Chinese (keys ``msg_*``).

The integrity checks and the reasons a metric is undefined come from :mod:`model.core`, the
IRR's "n.m." from :func:`model.inputs.units.format_irr`, the bridge's step names from
``scenarios/bridges/study_head_to_base.yaml``: they are English text, found here by it
(:func:`model.outputs.labels.translated`); ``{placeholders}`` stand for the figures in them.
Kept apart from :mod:`model.outputs.labels` only for length; ``LABELS`` merges them.
"""

MESSAGES = {
    # integrity checks (model.core.evaluation.Result.checks)
    "msg_check_sums": {"en": "annual sums equal monthly sums", "zh": "年度合计等于月度合计"},
    "msg_check_npv_at_irr": {"en": "NPV at the IRR is zero", "zh": "按内部收益率折现的净现值为零"},
    "msg_check_users": {"en": "user counts never negative", "zh": "用户数从不为负"},
    "msg_check_signs": {"en": "benefits positive, costs and tax negative", "zh": "收益为正，成本与税金为负"},
    "msg_check_fcf": {"en": "free cash flow = EBITDA + tax + capex + working capital + terminal value",
                      "zh": "自由现金流 = EBITDA + 税金 + 资本性支出 + 营运资金变动 + 终值"},
    "msg_largest_gap": {"en": "largest gap {gap} CNY", "zh": "最大差额 {gap} 元"},
    "msg_npv_at_irr": {"en": "NPV at IRR {npv} CNY", "zh": "按内部收益率折现的净现值 {npv} 元"},
    "msg_fewest_users": {"en": "fewest users {users}", "zh": "最少用户数 {users}"},
    "msg_one_sign_convention": {"en": "one sign convention", "zh": "统一的符号约定"},
    # why a metric is undefined (model.core.evaluation.evaluate, model.core.irr.irr_failure)
    "msg_irr_not_finite": {"en": "the cash flows contain NaN or infinite values", "zh": "现金流含有 NaN 或无穷大的值"},
    "msg_irr_no_sign_change": {"en": "the cash flows never change sign, so no rate makes NPV zero",
                               "zh": "现金流从不变号，没有任何折现率能使净现值为零"},
    "msg_irr_no_root": {"en": "the cash flows change sign, but NPV is zero at no rate above −100%",
                        "zh": "现金流虽有变号，但在高于 −100% 的任何折现率下净现值都不为零"},
    "msg_mirr_undefined": {"en": "the cash flows need both an outlay and a return", "zh": "现金流须既有投入又有回报"},
    "msg_payback_never": {"en": "the cumulative cash flow does not reach zero within the horizon",
                          "zh": "累计现金流在评估期内未回到零"},
    "msg_discounted_payback_never": {"en": "the cumulative discounted cash flow does not reach zero within the horizon",
                                     "zh": "累计折现现金流在评估期内未回到零"},
    "msg_ltv_undefined": {"en": "needs community users, and churn or a discount rate above zero",
                          "zh": "需要有社群用户，且流失率或折现率大于零"},
    "msg_no_acquisition": {"en": "nothing is spent on acquisition", "zh": "没有获客支出"},
    "msg_ltv_cac_undefined": {"en": "LTV is undefined", "zh": "LTV 无定义"},
    "msg_undefined": {"en": "undefined", "zh": "无定义"},
    # the IRR shown as not meaningful (model.inputs.units.format_irr)
    "msg_irr_nm": {"en": "n.m. (MIRR {mirr})", "zh": "不适用（修正内部收益率 {mirr}）"},
    # the steps of the bridge every report of the 1,000,000-user plan carries (model.risk.bridge.OTHER last)
    "msg_step_indirect": {"en": "indirect benefits off", "zh": "不计间接收益"},
    "msg_step_baseline": {"en": "baseline deducted", "zh": "扣除基线收入"},
    "msg_step_margin": {"en": "gross margin", "zh": "毛利率"},
    "msg_step_attribution": {"en": "attribution", "zh": "增量归因"},
    "msg_step_users": {"en": "user growth and churn", "zh": "用户增长与流失"},
    "msg_step_staffing": {"en": "costs at the staffing norms", "zh": "按人员配比计算成本"},
    "msg_step_acquisition": {"en": "acquisition", "zh": "获客成本"},
    "msg_step_go_live": {"en": "go-live and ramp", "zh": "上线时间与爬坡"},
    "msg_step_tax": {"en": "tax", "zh": "税费"},
    "msg_step_working_capital": {"en": "working capital", "zh": "营运资金"},
    "msg_step_other": {"en": "other", "zh": "其他"},
}

__all__ = ["MESSAGES"]
