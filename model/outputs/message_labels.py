"""The step names of the shipped NPV bridge (``scenarios/bridges/study_head_to_base.yaml``, the section
every report of the 1,000,000-user plan carries), with their Chinese (keys ``msg_step_*``).

A steps file names its groups in one language (``feasibility bridge --steps``); the shipped
one's names are found here by their English (:func:`model.outputs.labels.translated`). Kept
apart from :mod:`model.outputs.labels` only for length; ``LABELS`` merges them. (Texts the
lower layers word themselves — checks, notes, risk cases, audit notes — are
:class:`~model.inputs.texts.Text`, with both languages.)
"""

MESSAGES = {
    # model.risk.bridge.OTHER last
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
