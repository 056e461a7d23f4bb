"""The sweep report's labels in English and Chinese (keys ``sweep_*``).

Kept apart from :mod:`model.outputs.labels` only for length; :data:`model.outputs.labels.LABELS`
merges them, and ``label(key, language)`` reads them like any other label.
"""

SWEEP = {
    "sweep_title": {"en": "Sweep report", "zh": "参数扫描报告"},
    "sweep_spec": {"en": "Spec", "zh": "扫描设定"},
    "sweep_scenario": {"en": "Scenario", "zh": "情景"},
    "sweep_design": {"en": "Design", "zh": "设计"},
    "sweep_variants": {"en": "Variants", "zh": "方案数"},
    "sweep_inputs": {"en": "Inputs varied", "zh": "变动的输入"},
    "sweep_metric": {"en": "Metric", "zh": "指标"},
    "sweep_mean": {"en": "Mean", "zh": "均值"},
    "sweep_share_positive": {"en": "Share of variants with NPV > 0", "zh": "净现值为正的方案占比"},
    "sweep_map_title": {"en": "Mean NPV over two inputs; black line: NPV = 0",
                        "zh": "两项输入下的平均净现值；黑线：净现值 = 0"},
    "sweep_feasible_title": {"en": "Feasible region: share of variants with NPV > 0 (dashed: half of them)",
                       "zh": "可行区域：净现值为正的方案占比（虚线：占一半）"},
    "sweep_one_input": {"en": "Only one input varies: NPV against it.", "zh": "只有一项输入变动：净现值随其变化。"},
    "sweep_distributions": {"en": "Distribution of each metric over the variants", "zh": "各指标在全部方案中的分布"},
    "sweep_count": {"en": "variants", "zh": "方案数"},
    "sweep_sobol_title": {"en": "Sobol indices of NPV (first order S1, total ST; bars: 95% interval)",
                    "zh": "净现值的 Sobol 指数（一阶 S1、总效应 ST；误差线：95% 区间）"},
    "sweep_sobol_note": {"en": "N = {n:,} Saltelli samples ({evaluations:,} engine evaluations), seed {seed}.",
                   "zh": "N = {n:,} 个 Saltelli 样本（引擎计算 {evaluations:,} 次），随机种子 {seed}。"},
    "sweep_no_sobol": {"en": "No Sobol indices: {why}.", "zh": "无 Sobol 指数：{why}。"},
    "sweep_boxes_title": {"en": "Where NPV < 0: PRIM boxes", "zh": "净现值为负的区域：PRIM 盒"},
    "sweep_box": {"en": "Box", "zh": "盒"},
    "sweep_coverage": {"en": "Coverage", "zh": "覆盖率"},
    "sweep_density": {"en": "Density", "zh": "密度"},
    "sweep_limits": {"en": "Input ranges", "zh": "输入范围"},
    "sweep_no_boxes": {"en": "No variant has NPV < 0.", "zh": "没有净现值为负的方案。"},
    "sweep_whole_space": {"en": "every variant (no input restricted)", "zh": "全部方案（不限制任何输入）"},
    "sweep_boxes_note": {"en": "Coverage: share of all NPV < 0 variants inside the box; density: share of the box's "
                         "variants with NPV < 0.",
                   "zh": "覆盖率：盒内净现值为负的方案占全部净现值为负方案的比例；"
                         "密度：盒内净现值为负的方案占盒内方案的比例。"},
}


__all__ = ["SWEEP"]
