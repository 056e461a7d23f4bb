"""The report notebook and the batch render, for real: papermill kernels, nbconvert, subprocesses.

One batch (two small scenarios and a broken one, two at a time) is rendered once for the
module and checked file by file; the notebook is also run directly with papermill (with
overrides, in Chinese); a render is killed midway to show it leaves the earlier reports
intact.
"""

from __future__ import annotations

import csv
import filecmp
import html
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from model.outputs import render
from model.outputs import report
from model.core.evaluation import evaluate
from model.inputs.scenario import load_scenario
from model.inputs.paths import ROOT

# costs, revenue, users, cumulative cash, benefits/costs; risk: histogram, CDF, convergence, tornado
CHARTS_PER_REPORT = 9
LAUNCH = ROOT / "scenarios" / "short_term_launch.yaml"
FEASIBILITY = [sys.executable, "-m", "model.apps.cli"]
HOSTILE_NAME = "<script>alert('x')</script> & launch"


def _scenarios(folder: Path) -> list[Path]:
    """Two small valid scenarios (one with HTML in its name) and one invalid file."""
    folder.mkdir(parents=True, exist_ok=True)
    small = folder / "small.yaml"
    small.write_text(f"extends: {LAUNCH}\n", encoding="utf-8")
    hostile = folder / "hostile.yaml"
    hostile.write_text(f'extends: {LAUNCH}\nname: "{HOSTILE_NAME}"\n'
                       "revenue: {community: {conversion: 30%}}\n", encoding="utf-8")
    broken = folder / "broken.yaml"
    broken.write_text('description: broken\nfinance: {discount_rate_annual: "abc"}\n', encoding="utf-8")
    return [small, hostile, broken]


def _feasibility(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([*FEASIBILITY, *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kwargs)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """``feasibility render small hostile broken --out OUT -j 2``: its folder, exit code and log."""
    folder = tmp_path_factory.mktemp("batch")
    files = _scenarios(folder / "scenarios")
    out = folder / "reports"
    started = time.perf_counter()
    process = _feasibility("render", *map(str, files), "--out", str(out), "-j", "2")
    stdout, stderr = process.communicate(timeout=300)
    return {"out": out, "files": files, "code": process.returncode, "stdout": stdout, "stderr": stderr,
            "seconds": time.perf_counter() - started}


def _cell_html(notebook: nbformat.NotebookNode, call: str) -> str:
    """The HTML output of the cell whose code starts with ``call``."""
    cell = next(c for c in notebook.cells if c.cell_type == "code" and c.source.startswith(call))
    return "".join(o["data"]["text/html"] for o in cell.outputs if "text/html" in o.get("data", {}))


def _streams(notebook: nbformat.NotebookNode) -> list[str]:
    """Every stdout/stderr text the notebook printed (warnings land here)."""
    return [o.get("text", "") for c in notebook.cells if c.cell_type == "code" for o in c.outputs
            if o.output_type == "stream"]


class TestBatch:
    def test_exit_code_and_log(self, batch):
        assert batch["code"] == 2, batch["stderr"]  # only invalid input failed
        lines = batch["stderr"].splitlines()
        broken = str(batch["files"][2])
        assert any(line.endswith(f'{broken}: finance.discount_rate_annual: must be a rate: a fraction like 0.075 '
                                 f'or a percentage like "7.5%" (got "abc") (and 3 more problems: feasibility '
                                 f'validate {broken})') for line in lines), batch["stderr"]
        assert sum("rendered in" in line for line in lines) == 2
        assert "Traceback" not in batch["stderr"]
        assert "2 of 3 scenarios rendered" in batch["stdout"]

    def test_every_file_and_nothing_else(self, batch):
        names = sorted(p.name for p in batch["out"].iterdir())
        assert names == ["hostile.html", "hostile.ipynb", "hostile.xlsx", "index.html", "small.html", "small.ipynb",
                         "small.xlsx", "summary.csv"]

    def test_notebook_shows_the_verdict_and_npv_the_model_computes(self, batch):
        notebook = nbformat.read(batch["out"] / "small.ipynb", as_version=4)
        result = evaluate(load_scenario(LAUNCH))
        verdict = _cell_html(notebook, "report.verdict(")
        assert report.format_metric("npv", result.metrics["npv"]) in verdict
        assert "<strong>NOT FEASIBLE</strong>" in verdict
        assert report.escape(report.label("checks_pass")) in _cell_html(notebook, "report.master_check(")
        assert _streams(notebook) == []  # no warnings, no stray prints
        charts = [o for c in notebook.cells for o in c.get("outputs", []) if "image/svg+xml" in o.get("data", {})]
        assert len(charts) == CHARTS_PER_REPORT
        assert all("<text" in chart["data"]["image/svg+xml"] for chart in charts)  # text kept as text
        assert all(chart["metadata"]["image/svg+xml"]["alt"] for chart in charts)

    def test_html_has_no_code_embeds_images_and_opens_offline(self, batch):
        page = (batch["out"] / "small.html").read_text(encoding="utf-8")
        assert "load_scenario(" not in page and "report.verdict(" not in page
        assert "jp-InputArea jp-Cell-inputArea" not in page  # the code cells keep only their outputs
        assert "remove-from-report" not in page and "feasibility render` runs this notebook" not in page
        assert page.count('src="data:image/svg+xml;base64,') == CHARTS_PER_REPORT
        assert "<svg" not in page  # each chart is an image with alt text, not inline markup
        assert render.external_references(page) == []
        assert "cdnjs" not in page and "mathjax" not in page.lower() and "require.js" not in page
        assert "Feasibility report: Short-term launch" in page and "Verdict" in page
        text = html.unescape(page)
        for key in ("section_risk", "risk_stress", "risk_breakeven", "section_audit", "audit_none"):
            assert report.label(key) in text  # the risk and audit sections are rendered

    def test_scenario_text_is_escaped_in_the_html(self, batch):
        page = (batch["out"] / "hostile.html").read_text(encoding="utf-8")
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(" in page and "&lt;/script&gt; &amp; launch" in page
        index = (batch["out"] / "index.html").read_text(encoding="utf-8")
        assert "<script>alert" not in index and "&lt;script&gt;" in index

    def test_index_lists_metrics_links_and_the_failure(self, batch):
        index = (batch["out"] / "index.html").read_text(encoding="utf-8")
        small = evaluate(load_scenario(LAUNCH))
        assert '<a href="small.html">' in index and '<a href="hostile.xlsx">xlsx</a>' in index
        assert f"<td>{small.metrics['npv'] / 1e4:,.1f} 万元</td>" in index
        failures = index.split("id='failures'")[1]
        assert str(batch["files"][2]) in failures and "must be a rate" in failures
        assert render.external_references(index) == []

    def test_summary_csv(self, batch):
        with open(batch["out"] / "summary.csv", encoding="utf-8") as handle:
            rows = {row["scenario"]: row for row in csv.DictReader(handle)}
        assert [rows[s]["status"] for s in ("small", "hostile", "broken")] == ["rendered", "rendered", "invalid"]
        small = evaluate(load_scenario(LAUNCH))
        assert float(rows["small"]["npv (CNY)"]) == pytest.approx(small.metrics["npv"])
        assert rows["small"]["feasible"] == "False" and rows["hostile"]["name"] == HOSTILE_NAME
        assert rows["broken"]["cause"].startswith(f"{batch['files'][2]}: finance.discount_rate_annual")

    def test_workbook(self, batch):
        import pandas as pd

        from model.outputs.workbook import SHEETS

        sheets = pd.read_excel(batch["out"] / "small.xlsx", sheet_name=None)
        assert list(sheets) == list(SHEETS)
        assert len(pd.read_excel(batch["out"] / "small.xlsx", sheet_name="monthly", skiprows=[1])) == 7  # months 0..6


def test_papermill_with_overrides_in_chinese(tmp_path):
    """The notebook on its own: parameters reach the model, Chinese labels, no missing glyphs."""
    output = tmp_path / "zh.ipynb"
    overrides = {"revenue.community.conversion": "30%"}
    executed = render.execute_notebook(render.NOTEBOOK, output,
                                       {"scenario_path": str(LAUNCH), "overrides": overrides, "language": "zh"})
    notebook = nbformat.read(output, as_version=4)
    result = evaluate(load_scenario(LAUNCH, overrides))
    verdict = _cell_html(notebook, "report.verdict(")
    assert report.format_metric("npv", result.metrics["npv"], "zh") in verdict
    assert ("<strong>可行</strong>" if report.verdict(result).feasible else "<strong>不可行</strong>") in verdict
    assert "revenue.community.conversion = 30.0%（占用户）" in _cell_html(notebook, "report.title(")
    assert [text for text in _streams(notebook) if "Glyph" in text or "missing" in text] == []
    page = render.export_html(executed, result.scenario.name, "zh")
    assert '<html lang="zh">' in page and "可行性分析报告" in page and "结论" in page and "现金流与回报" in page


def test_a_failing_notebook_is_reported_and_the_rest_still_render(tmp_path):
    notebook = tmp_path / "failing.ipynb"
    book = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell('scenario_path = ""\nlanguage = "en"', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell('if "boom" in scenario_path:\n    raise ValueError("boom in the model")'),
    ], metadata={"kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}})
    nbformat.write(book, notebook)
    files = _scenarios(tmp_path / "scenarios")[:1]
    boom = tmp_path / "scenarios" / "boom.yaml"
    shutil.copy(files[0], boom)
    out = tmp_path / "out"
    outcomes = render.render([boom, *files], out, jobs=1, notebook=notebook, stream=open(os.devnull, "w"))
    assert [o.status for o in outcomes] == ["failed", "rendered"], [o.cause for o in outcomes]
    # cell 3: papermill runs its injected-parameters cell after the parameters cell
    assert outcomes[0].cause == f"{boom}: the notebook failed in cell 3: ValueError: boom in the model"
    assert sorted(p.name for p in out.iterdir()) == ["index.html", "small.html", "small.ipynb", "small.xlsx",
                                                       "summary.csv"]
    assert "boom in the model" in (out / "index.html").read_text(encoding="utf-8")


def _kernel_running(pid: int) -> bool:
    """True when a process started by ``pid`` runs an IPython kernel (read from /proc)."""
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and b"ipykernel" in (status.parent / "cmdline").read_bytes():
                return True
        except (OSError, IndexError, ValueError):
            continue
    return False


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_midway_leaves_no_partial_file_and_keeps_the_earlier_report(batch, tmp_path, how):
    out = tmp_path / "reports"
    shutil.copytree(batch["out"], out)
    before = _snapshot(out)
    process = _feasibility("render", *map(str, batch["files"][:2]), "--out", str(out), "-j", "1")
    deadline = time.monotonic() + 120
    while not _kernel_running(process.pid):  # the first report's notebook is being executed
        assert process.poll() is None and time.monotonic() < deadline, "the render ended before it could be killed"
        time.sleep(0.02)
    time.sleep(1.0)  # the kernel is on the notebook's cells (a report takes several seconds)
    process.send_signal(how)
    process.communicate(timeout=60)
    assert process.returncode != 0
    after = _snapshot(out)
    assert after.keys() == before.keys()
    assert all(after[name] == before[name] for name in before), "an earlier report changed"
    visible = [p.name for p in out.iterdir() if not p.name.startswith(".")]
    assert sorted(visible) == sorted(before)
    leftovers = list(out.glob(".render-*"))
    if how == signal.SIGTERM:
        assert leftovers == []  # an interrupted render cleans up after itself
    else:
        render.remove_stale_staging(out)  # a killed one leaves its hidden staging folder to the next render
        assert list(out.glob(".render-*")) == []
    assert filecmp.cmp(out / "small.html", batch["out"] / "small.html", shallow=False)


def test_a_later_batch_keeps_listing_the_reports_it_did_not_touch(tmp_path):
    """Regression: rendering one (broken) file into a reports folder dropped every other report from the index."""
    out = tmp_path / "reports"
    render.render([LAUNCH], out, jobs=1, stream=io.StringIO())
    before = (out / "short_term_launch.html").read_bytes()
    broken = tmp_path / "broken.yaml"
    broken.write_text("description: no rate\n", encoding="utf-8")
    outcomes = render.render([broken], out, jobs=1, stream=io.StringIO())
    assert [o.status for o in outcomes] == ["invalid"]
    rows = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8")))
    assert [(r["scenario"], r["status"]) for r in rows] == [("broken", "invalid"), ("short_term_launch", "rendered")]
    launch = evaluate(load_scenario(LAUNCH))
    assert float(rows[1]["npv (CNY)"]) == pytest.approx(launch.metrics["npv"], rel=1e-12)
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="short_term_launch.html"' in index and "broken.yaml" in index
    assert (out / "short_term_launch.html").read_bytes() == before
