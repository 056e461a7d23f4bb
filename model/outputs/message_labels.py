"""The step names of the shipped NPV bridge (``scenarios/bridges/study_head_to_base.yaml``, the section
every report of the 1,000,000-user plan carries), with their Chinese.

A steps file names its groups in one language (``feasibility bridge --steps``); the report's
bridge (:func:`model.outputs.summary.bridge_for`) turns the shipped one's names into
:class:`~model.inputs.texts.Text` by their English here, so they show like every other text
from a lower layer. (The last step, "other", is :data:`model.risk.bridge.OTHER`.)
"""

from ..inputs.texts import Text

MESSAGES = {
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
}

#: Each step name in both languages, by its English.
STEP_NAMES = {entry["en"]: Text(entry["en"], entry["zh"]) for entry in MESSAGES.values()}

__all__ = ["MESSAGES", "STEP_NAMES"]
