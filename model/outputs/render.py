"""Batch rendering: every scenario through the report notebook into a reports folder.

For each scenario file, in parallel (``jobs`` at a time): validate and evaluate it, run
``notebooks/feasibility.ipynb`` with papermill, export the executed notebook to HTML with
no code and images embedded, write the Excel workbook; then, for the batch, ``index.html``
and ``summary.csv``.

Failure safety: every file is written into a hidden staging folder inside the output
folder and moved into place with ``os.replace`` (atomic on one file system) only once it
is complete; the three files of a scenario move together, under a lock. An invalid or
failing scenario is reported in one line and the others still render. When a render is
interrupted (Ctrl-C, SIGTERM) the staging folder is removed and nothing else changes; one
killed outright leaves only its hidden staging folder, which the next render removes.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Iterable, TextIO

import nbformat
from jinja2 import DictLoader

from ..core.evaluation import Result, evaluate
from ..core.verdict import decide
from ..inputs.errors import ScenarioError
from ..inputs.paths import NOTEBOOKS, REPORTS, SCENARIOS
from ..inputs.scenario import load_scenario
from .labels import check_language
from .plots import svg_data_uri
from ..risk.analysis import REPORT_SEED, REPORT_TRIALS, analyse
from ..risk.parallel import connect
from .kernels import ENGINE, KernelPool, WarmKernel
from .comparison import Outcome, earlier_reports, index_page, summary_csv
from .workbook import write_workbook

NOTEBOOK = NOTEBOOKS / "feasibility.ipynb"
REPORT_SUFFIXES = (".ipynb", ".html", ".xlsx")
STAGING_PREFIX = ".render-"
KERNEL = "python3"
KERNEL_ARGUMENTS = ["--log-level=ERROR"]  # no start-up chatter from every kernel in the render's log
NOTEBOOK_ONLY_TAG = "remove-from-report"  # cells for notebook readers, left out of the HTML

#: Report CSS added to nbconvert's lab template; the template's CDN scripts are removed. Charts (SVG from
#: :func:`.plots.show`, PNG from the sweep report's inline figures) are ``<img>`` elements with alt text.
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{% block data_png scoped %}<div class="jp-RenderedImage jp-OutputArea-output">
<img src="data:image/png;base64,{{ output.data['image/png'] | escape_html }}"
 alt="{{ (output | get_metadata('alt', 'image/png')) or 'Chart' | escape_html }}"></div>
{%- endblock data_png %}
{% block data_svg scoped %}<div class="jp-RenderedImage jp-OutputArea-output">
<img src="{{ output.data['image/svg+xml'] | svg_data_uri }}"
 alt="{{ (output | get_metadata('alt', 'image/svg+xml')) or 'Chart' | escape_html }}"></div>
{%- endblock data_svg %}
{% block extra_css %}<style type="text/css">""" + """
main { max-width: 1100px; margin: 0 auto; }
.jp-RenderedHTMLCommon table.report { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 13px;
  table-layout: auto; }
.jp-RenderedHTMLCommon table.report th, .jp-RenderedHTMLCommon table.report td { padding: 3px 8px;
  border-bottom: 1px solid #ddd; vertical-align: top; }
.jp-RenderedHTMLCommon table.report .num { text-align: right; white-space: nowrap; }
.jp-RenderedHTMLCommon table.report .text { text-align: left; max-width: 30em; }
.jp-RenderedHTMLCommon table.report th:lang(zh) { word-break: keep-all; min-width: 3em; }
.jp-RenderedHTMLCommon table.report td:lang(zh) { min-width: 4em; }
.report-pass { color: #1a7f37; } .report-fail { color: #b42318; }
.report-verdict { font-size: 1.4em; } .report-note { color: #555; font-size: 12px; }
""" + "</style>{% endblock extra_css %}"
_EXTERNAL = re.compile(r"""(<script[^>]*\bsrc\s*=|<link[^>]*\bhref\s*=\s*["']?(?:https?:)?//|@import|url\(\s*["']?(?:https?:)?//)""",
                       re.IGNORECASE)


def external_references(page: str) -> list[str]:
    """Anything in an HTML page that would load from elsewhere (scripts, links, CSS imports)."""
    return sorted(set(match.group(0) for match in _EXTERNAL.finditer(page)))


def export_html(notebook: nbformat.NotebookNode, title: str, language: str) -> str:
    """The executed notebook as one offline HTML page: no code, images embedded, no CDN."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    notebook.metadata["title"] = title
    config = Config({"TagRemovePreprocessor": {"enabled": True, "remove_cell_tags": [NOTEBOOK_ONLY_TAG]}})
    exporter = HTMLExporter(config=config, template_name="lab", template_file="feasibility.html.j2",
                            extra_loaders=[DictLoader({"feasibility.html.j2": _TEMPLATE})], exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.language_code = language
    exporter.register_filter("svg_data_uri", svg_data_uri)
    page, _ = exporter.from_notebook_node(notebook)
    found = external_references(page)
    if found:
        raise RuntimeError(f"the HTML would load external resources: {', '.join(found)}")
    return page


class Staging:
    """A hidden folder inside the output folder; completed files move from it into place."""

    def __init__(self, out_dir: Path):
        self.out_dir = out_dir
        self.path = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out_dir))
        self._lock = threading.Lock()
        self._closed = False

    def publish(self, names: Iterable[str]) -> bool:
        """Move the staged files ``names`` into the output folder together; False once closed."""
        with self._lock:
            if self._closed:
                return False
            for name in names:
                os.replace(self.path / name, self.out_dir / name)
            return True

    def close(self) -> None:
        """Stop publishing and remove the staging folder with whatever is left in it."""
        with self._lock:
            self._closed = True
            shutil.rmtree(self.path, ignore_errors=True)


def remove_stale_staging(out_dir: Path) -> None:
    """Remove staging folders left by renders that were killed (their process is gone)."""
    for folder in out_dir.glob(f"{STAGING_PREFIX}*"):
        pid = folder.name[len(STAGING_PREFIX):].split("-")[0]
        if folder.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def execute_notebook(notebook: Path, output: Path, parameters: dict, kernel: WarmKernel | None = None
                     ) -> nbformat.NotebookNode:
    """Run ``notebook`` with papermill and ``parameters``, in a fresh kernel or in a warm ``kernel``
    (:mod:`model.outputs.kernels`); the executed notebook is written to ``output`` once, at the end
    (not after every cell: that cost about 1 s of this process's time per report)."""
    import papermill

    warm = {} if kernel is None else {"engine_name": ENGINE, "warm_kernel": kernel}
    return papermill.execute_notebook(
        str(notebook), str(output), parameters=parameters, kernel_name=KERNEL, progress_bar=False,
        log_output=False, extra_arguments=KERNEL_ARGUMENTS, shutdown_kernel="immediate",
        request_save_on_cell_execute=False, **warm)


def report_into(folder: Path, stem: str, scenario_path: Path, language: str, notebook: Path,
                result: Result | None = None, analysis=None, kernels: KernelPool | None = None) -> dict[str, float]:
    """Run the report notebook on one scenario file and write ``STEM.ipynb``, ``.html`` and ``.xlsx`` in ``folder``;
    returns the seconds each stage took (``notebook``, ``html``, ``workbook``). ``result`` (its evaluation) and
    ``analysis`` (its risk analysis with the report's trials and seed): if already computed; ``kernels``: run
    the notebook in this thread's warm kernel from that pool rather than in a fresh one."""
    result = result or evaluate(load_scenario(scenario_path))
    stages, start = {}, time.perf_counter()
    executed = execute_notebook(notebook, folder / f"{stem}.ipynb", {
        "scenario_path": str(scenario_path.resolve()), "language": language, "trials": REPORT_TRIALS,
        "seed": REPORT_SEED}, kernels.kernel() if kernels else None)
    stages["notebook"], start = time.perf_counter() - start, time.perf_counter()
    (folder / f"{stem}.html").write_text(export_html(executed, result.scenario.text("name", language), language),
                                         encoding="utf-8")
    stages["html"], start = time.perf_counter() - start, time.perf_counter()
    write_workbook(result, folder / f"{stem}.xlsx", analysis=analysis)
    stages["workbook"] = time.perf_counter() - start
    return stages


def report_on_worker(stem: str, scenario_text: str, notebook_text: str, language: str) -> dict[str, bytes]:
    """A Dask task: the report files of a scenario sent as its resolved content (no shared file system)."""
    with tempfile.TemporaryDirectory(prefix="feasibility-render-") as folder:
        folder = Path(folder)
        (folder / f"{stem}.yaml").write_text(scenario_text, encoding="utf-8")
        (folder / "report.ipynb").write_text(notebook_text, encoding="utf-8")
        report_into(folder, stem, folder / f"{stem}.yaml", language, folder / "report.ipynb")
        return {suffix: (folder / f"{stem}{suffix}").read_bytes() for suffix in REPORT_SUFFIXES}


def render_one(path: Path, staging: Staging, language: str, notebook: Path = NOTEBOOK, client=None,
               kernels: KernelPool | None = None) -> Outcome:
    """Render one scenario into ``staging`` and publish its three files; never raises for a bad scenario.

    The notebook runs in this thread's warm kernel from ``kernels``, or in a fresh kernel without
    a pool. With a Dask ``client`` it runs on a worker (:func:`report_on_worker`); the figures
    the index needs, and the atomic publishing, stay here.
    """
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    stem = path.stem
    outcome = Outcome(str(path), stem, "failed")
    try:
        scenario = load_scenario(path)
        result = evaluate(scenario)
        outcome.name, outcome.metrics = scenario.name, dict(result.metrics)
        outcome.name_zh = scenario.texts.get("name", {}).get("zh")
        outcome.feasible = decide(result).feasible
        outcome.group, outcome.revenue_basis, outcome.notes = scenario["group"], scenario["revenue.basis"], result.notes
        outcome.cumulative = tuple(result.monthly["cumulative_net_cash_flow"])
        if not result.ok:
            failed = ", ".join(check.name for check in result.checks if not check.ok)
            raise RuntimeError(f"the master check failed: {failed}")
        figures_start = time.perf_counter()  # the report's own risk analysis: the index shows its figures
        analysis = analyse(scenario, REPORT_TRIALS, REPORT_SEED)
        outcome.expected_npv, outcome.prob_npv_negative = analysis.expected_npv, analysis.montecarlo.prob_npv_negative
        outcome.stages["risk analysis"] = time.perf_counter() - figures_start
        if client is None:
            outcome.stages.update(report_into(staging.path, stem, path, language, notebook, result, analysis, kernels))
        else:  # on a Dask worker: the scenario's resolved content goes there, the files come back
            files = client.submit(report_on_worker, stem, scenario.resolved_text(), notebook.read_text(encoding="utf-8"),
                                  language, pure=False).result()
            for suffix, data in files.items():
                (staging.path / f"{stem}{suffix}").write_bytes(data)
        if staging.publish(stem + suffix for suffix in REPORT_SUFFIXES):
            outcome.status = "rendered"
        else:
            outcome.causes = (f"{path}: interrupted before its report was complete",)
    except ScenarioError as exc:
        outcome.status, outcome.causes = "invalid", tuple(str(problem) for problem in exc.problems)
    except PapermillExecutionError as exc:
        outcome.causes = (f"{path}: the notebook failed in cell {exc.exec_count}: {exc.ename}: "
                          f"{_one_line(exc.evalue)}",)
    except Exception as exc:  # one scenario's failure must not stop the batch  # noqa: BLE001
        outcome.causes = (f"{path}: {type(exc).__name__}: {_one_line(str(exc))}",)
    outcome.seconds = time.perf_counter() - start
    return outcome


def print_reports(out: Path, staging: Staging, rendered: list[Outcome], language: str) -> None:
    """Print each rendered report to PDF into the staging folder, then publish it beside its HTML
    (the footer names the scenario in the report's language)."""
    from .pdf import print_pdfs

    print_pdfs((out / f"{o.stem}.html", staging.path / f"{o.stem}.pdf", o.shown_name(language)) for o in rendered)
    for outcome in rendered:
        staging.publish([f"{outcome.stem}.pdf"])


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class Progress:
    """A tqdm bar on a terminal; plain log lines (one a scenario) otherwise."""

    def __init__(self, total: int, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.total, self.done = total, 0
        self.bar = None
        if self.stream.isatty():
            from tqdm import tqdm
            self.bar = tqdm(total=total, unit="report", file=self.stream, desc="render")

    def update(self, outcome: Outcome) -> None:
        self.done += 1
        if outcome.ok:
            line = f"render: [{self.done}/{self.total}] {outcome.stem}: rendered in {outcome.seconds:.1f} s"
        else:
            line = f"render: [{self.done}/{self.total}] {outcome.cause}"
        if self.bar is None:
            print(line, file=self.stream, flush=True)
        else:
            if not outcome.ok:
                self.bar.write(line, file=self.stream)
            self.bar.update(1)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def render(files: Iterable[str | Path] = (), out_dir: str | Path = REPORTS, jobs: int | None = None,
           language: str = "en", notebook: Path = NOTEBOOK, stream: TextIO | None = None,
           pdf: bool = False, scheduler: str | None = None) -> list[Outcome]:
    """Render every scenario file (default: all of ``scenarios/``) into ``out_dir``, ``jobs`` at a time.

    Returns one :class:`Outcome` per file, in the order given. Writes ``NAME.ipynb``,
    ``NAME.html`` and ``NAME.xlsx`` per rendered scenario, and ``index.html`` and
    ``summary.csv`` for the batch. ``jobs`` defaults to the number of cores. With ``pdf``, each
    rendered report is also printed to ``NAME.pdf`` (headless Chromium, :mod:`model.outputs.pdf`).
    With ``scheduler`` (``tcp://HOST:PORT``) the notebooks run on that Dask cluster's workers.
    """
    check_language(language)
    paths = [Path(f) for f in files] or sorted(SCENARIOS.glob("*.yaml"))
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out)
    _load_matplotlib_fonts()
    staging = Staging(out)
    client = connect(scheduler) if scheduler else None
    kernels = KernelPool(KERNEL, KERNEL_ARGUMENTS) if client is None else None
    progress = Progress(len(paths), stream)
    outcomes: dict[int, Outcome] = {}
    executor = ThreadPoolExecutor(max_workers=max(1, jobs or os.cpu_count() or 1))
    try:
        futures = {}
        seen: dict[str, Path] = {}
        for index, path in enumerate(paths):
            if path.stem in seen:
                outcomes[index] = Outcome(str(path), path.stem, "failed", (
                    f"{path}: (file): has the same name as {seen[path.stem]}; their reports would overwrite "
                    "each other",))
                progress.update(outcomes[index])
                continue
            seen[path.stem] = path
            futures[executor.submit(render_one, path, staging, language, notebook, client, kernels)] = index
        for future in as_completed(futures):
            outcomes[futures[future]] = future.result()
            progress.update(outcomes[futures[future]])
        ordered = [outcomes[i] for i in range(len(paths))]
        if pdf:
            print_reports(out, staging, [o for o in ordered if o.ok], language)
        listed = ordered + earlier_reports(out, {o.stem for o in ordered}, REPORT_SUFFIXES)
        (staging.path / "index.html").write_text(index_page(listed, language), encoding="utf-8")
        (staging.path / "summary.csv").write_text(summary_csv(listed), encoding="utf-8")
        staging.publish(["index.html", "summary.csv"])
        return ordered
    finally:
        staging.close()
        executor.shutdown(wait=False, cancel_futures=True)
        if kernels is not None:
            kernels.close()
        if client is not None:
            client.close()
        progress.close()


def _load_matplotlib_fonts() -> None:
    """Build matplotlib's font cache here, once, so no kernel prints 'building the font cache'."""
    from matplotlib import font_manager

    font_manager.findfont("DejaVu Sans")
