"""The sweep report (notebooks/sweep.ipynb, model/outputs/sweep_report.py), rendered by `feasibility sweep --report`."""

from __future__ import annotations

import json
import re

import nbformat
import numpy as np
import pytest

from conftest import FEASIBLE_BASE, ROOT
from model.apps.cli import main
from model.outputs import sweep_report as sr
from model.risk.discovery import Box

SCENARIO = FEASIBLE_BASE
SPEC = f"""\
scenario: {SCENARIO}
design: lhs
samples: 2000
seed: 7
inputs:
  revenue.community.conversion: {{low: 0.5%, high: 9%}}
  revenue.community.aov: {{dist: triangular, low: 100元, mode: 150元, high: 200元}}
  timeline.horizon_months: {{values: [24, 36]}}
metrics: [npv, irr, payback_months]
"""


def test_notebook_has_one_parameters_cell_and_only_calls_the_package():
    notebook = nbformat.read(ROOT / "notebooks" / "sweep.ipynb", as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    for name in ("sweep_dir", "spec_path", "language", "x_input", "y_input", "sobol_samples", "scheduler"):
        assert re.search(rf"^{name} = ", tagged[0].source, flags=re.MULTILINE), name
    code = [c.source for c in notebook.cells if c.cell_type == "code" and c is not tagged[0]]
    assert all("import" not in line or "model.outputs" in line or "IPython" in line
               for source in code for line in source.splitlines())


@pytest.mark.parametrize("language, title", [("zh", "参数扫描报告")])
def test_report_renders_without_code(tmp_path, capsys, language, title):
    spec = tmp_path / "study.yaml"
    spec.write_text(SPEC, encoding="utf-8")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--report", "--language", language, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert data["report"] == str((tmp_path / "out" / "report.html").resolve())
    assert title in page and "PRIM" in page
    assert page.count("data:image/png;base64") >= 4  # map, feasible region, distributions, Sobol bars
    assert "No description has been provided" not in page  # every image has alt text
    assert "sr.show_map" not in page and "import" not in re.sub(r"<style.*?</style>", "", page, flags=re.S)


def test_summary_and_boxes_html(tmp_path):
    spec = tmp_path / "study.yaml"
    spec.write_text(SPEC.replace("samples: 2000", "samples: 300"), encoding="utf-8")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out")]) == 0
    data = sr.load(tmp_path / "out", spec)
    assert data.inputs == ["revenue.community.conversion", "revenue.community.aov", "timeline.horizon_months"]
    assert data.metrics == ["npv", "irr", "payback_months"]
    assert sr.axes_inputs(data) == ["revenue.community.conversion", "revenue.community.aov"]
    assert sr.axes_inputs(data, "revenue.community.aov") == ["revenue.community.aov", "revenue.community.conversion"]
    page = sr.summary_html(data, "en")
    assert "Sweep report" in page and "300" in page and "Share of variants with NPV &gt; 0" in page
    boxes = sr.boxes_html([Box({"revenue.community.conversion": (0.005, 0.03)}, 0.9, 0.95, 0.3, 90)], "en")
    assert "90.0%" in boxes and "revenue.community.conversion: 0.005 – 0.03" in boxes
    assert "No variant has NPV &lt; 0." in sr.boxes_html([], "en")


def test_binned_map_keeps_a_grid_points():
    import pandas as pd

    table = pd.DataFrame({"x": [1.0, 1.0, 2.0, 2.0], "y": [5.0, 7.0, 5.0, 7.0]})
    ex, ey, mean = sr.binned(table, "x", "y", np.array([1.0, 2.0, 3.0, 4.0]))
    assert list(ex) == [0.5, 1.5, 2.5] and list(ey) == [4.0, 6.0, 8.0]
    assert mean.tolist() == [[1.0, 3.0], [2.0, 4.0]]
