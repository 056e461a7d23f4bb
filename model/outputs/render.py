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

import csv
import io
import math
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, TextIO
from urllib.parse import quote

import nbformat
from jinja2 import DictLoader

from ..core.evaluation import evaluate
from ..core.metrics import METRIC_UNITS
from ..core.verdict import decide
from ..inputs.errors import ScenarioError
from ..inputs.paths import NOTEBOOKS, REPORTS, SCENARIOS
from ..inputs.scenario import load_scenario
from .labels import check_language, label
from .report import escape, format_metric
from .workbook import write_workbook

NOTEBOOK = NOTEBOOKS / "feasibility.ipynb"
REPORT_SUFFIXES = (".ipynb", ".html", ".xlsx")
STAGING_PREFIX = ".render-"
KERNEL = "python3"
KERNEL_ARGUMENTS = ["--log-level=ERROR"]  # no start-up chatter from every kernel in the render's log
NOTEBOOK_ONLY_TAG = "remove-from-report"  # cells for notebook readers, left out of the HTML
INDEX_METRICS = ("npv", "npv_annual", "irr", "payback_months", "roi", "ltv_cac")

#: Report CSS added to nbconvert's lab template; the template's CDN scripts are removed.
_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{% block extra_css %}<style type="text/css">""" + """
main { max-width: 1100px; margin: 0 auto; }
.jp-RenderedHTMLCommon table.report { border-collapse: collapse; margin: 0.5em 0 1em; font-size: 13px;
  table-layout: auto; }
.jp-RenderedHTMLCommon table.report th, .jp-RenderedHTMLCommon table.report td { padding: 3px 8px;
  border-bottom: 1px solid #ddd; vertical-align: top; }
.jp-RenderedHTMLCommon table.report .num { text-align: right; white-space: nowrap; }
.jp-RenderedHTMLCommon table.report .text { text-align: left; max-width: 30em; }
.report-pass { color: #1a7f37; } .report-fail { color: #b42318; }
.report-verdict { font-size: 1.4em; } .report-note { color: #555; font-size: 12px; }
""" + "</style>{% endblock extra_css %}"
_EXTERNAL = re.compile(r"""(<script[^>]*\bsrc\s*=|<link[^>]*\bhref\s*=\s*["']?(?:https?:)?//|@import|url\(\s*["']?(?:https?:)?//)""",
                       re.IGNORECASE)


@dataclass
class Outcome:
    """What became of one scenario: rendered, invalid (bad input) or failed (the render broke)."""

    file: str
    stem: str
    status: str  # rendered | invalid | failed
    causes: tuple[str, ...] = ()
    name: str | None = None
    metrics: dict[str, float] = field(default_factory=dict)
    feasible: bool | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.status == "rendered"

    @property
    def cause(self) -> str:
        """The failure in one line (``FILE: field: problem (got VALUE)`` for invalid input)."""
        if not self.causes:
            return ""
        more = len(self.causes) - 1
        return self.causes[0] + (f" (and {more} more problem{'s' if more > 1 else ''}: "
                                 f"feasibility validate {self.file})" if more else "")


def external_references(page: str) -> list[str]:
    """Anything in an HTML page that would load from elsewhere (scripts, links, CSS imports)."""
    return sorted(set(match.group(0) for match in _EXTERNAL.finditer(page)))


def export_html(notebook_path: Path, title: str, language: str) -> str:
    """The executed notebook as one offline HTML page: no code, images embedded, no CDN."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.metadata["title"] = title
    config = Config({"TagRemovePreprocessor": {"enabled": True, "remove_cell_tags": [NOTEBOOK_ONLY_TAG]}})
    exporter = HTMLExporter(config=config, template_name="lab", template_file="feasibility.html.j2",
                            extra_loaders=[DictLoader({"feasibility.html.j2": _TEMPLATE})], exclude_input=True,
                            exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.language_code = language
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


def render_one(path: Path, staging: Staging, language: str, notebook: Path = NOTEBOOK) -> Outcome:
    """Render one scenario into ``staging`` and publish its three files; never raises for a bad scenario."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    start = time.perf_counter()
    stem = path.stem
    outcome = Outcome(str(path), stem, "failed")
    try:
        scenario = load_scenario(path)
        result = evaluate(scenario)
        outcome.name, outcome.metrics = scenario.name, dict(result.metrics)
        outcome.feasible = decide(result).feasible
        if not result.ok:
            failed = ", ".join(check.name for check in result.checks if not check.ok)
            raise RuntimeError(f"the master check failed: {failed}")
        executed = staging.path / f"{stem}.ipynb"
        papermill.execute_notebook(
            str(notebook), str(executed), kernel_name=KERNEL, progress_bar=False, log_output=False,
            parameters={"scenario_path": str(path.resolve()), "language": language},
            extra_arguments=KERNEL_ARGUMENTS, shutdown_kernel="immediate")
        (staging.path / f"{stem}.html").write_text(export_html(executed, scenario.name, language), encoding="utf-8")
        write_workbook(result, staging.path / f"{stem}.xlsx")
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
           language: str = "en", notebook: Path = NOTEBOOK, stream: TextIO | None = None) -> list[Outcome]:
    """Render every scenario file (default: all of ``scenarios/``) into ``out_dir``, ``jobs`` at a time.

    Returns one :class:`Outcome` per file, in the order given. Writes ``NAME.ipynb``,
    ``NAME.html`` and ``NAME.xlsx`` per rendered scenario, and ``index.html`` and
    ``summary.csv`` for the batch. ``jobs`` defaults to the number of cores.
    """
    check_language(language)
    paths = [Path(f) for f in files] or sorted(SCENARIOS.glob("*.yaml"))
    out = Path(out_dir).resolve()
    out.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(out)
    _load_matplotlib_fonts()
    staging = Staging(out)
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
            futures[executor.submit(render_one, path, staging, language, notebook)] = index
        for future in as_completed(futures):
            outcomes[futures[future]] = future.result()
            progress.update(outcomes[futures[future]])
        ordered = [outcomes[i] for i in range(len(paths))]
        listed = ordered + earlier_reports(out, {o.stem for o in ordered})
        (staging.path / "index.html").write_text(index_page(listed, language), encoding="utf-8")
        (staging.path / "summary.csv").write_text(summary_csv(listed), encoding="utf-8")
        staging.publish(["index.html", "summary.csv"])
        return ordered
    finally:
        staging.close()
        executor.shutdown(wait=False, cancel_futures=True)
        progress.close()


def _load_matplotlib_fonts() -> None:
    """Build matplotlib's font cache here, once, so no kernel prints 'building the font cache'."""
    from matplotlib import font_manager

    font_manager.findfont("DejaVu Sans")


def index_page(outcomes: list[Outcome], language: str = "en") -> str:
    """The batch's index: key metrics of every rendered scenario with links, then the failures."""
    def cell(text: object) -> str:
        return f"<td>{escape(text)}</td>"

    headers = [label("scenario", language), label("name", language), label("verdict", language)]
    headers += [f"{label(name if name != 'npv_annual' else 'npv', language)}"
                + (f" — {label('study_annual', language)}" if name == "npv_annual" else "")
                + (f" ({label('unit_wan', language)})" if METRIC_UNITS[name] == "CNY" else "")
                for name in INDEX_METRICS]
    headers += [label("report", language), label("workbook", language), label("seconds", language)]
    rows = []
    for outcome in (o for o in outcomes if o.ok):
        link = quote(outcome.stem)
        metrics = [format_metric(name, outcome.metrics[name], language).removesuffix(" " + label("unit_wan", language))
                   for name in INDEX_METRICS]
        rows.append("<tr>" + cell(outcome.stem) + cell(outcome.name)
                    + cell(label("feasible" if outcome.feasible else "not_feasible", language))
                    + "".join(cell(m) for m in metrics)
                    + f'<td><a href="{escape(link)}.html">HTML</a></td><td><a href="{escape(link)}.xlsx">xlsx</a></td>'
                    + cell(f"{outcome.seconds:.1f}") + "</tr>")
    failures = [o for o in outcomes if not o.ok]
    failure_rows = "".join(
        "<tr>" + cell(o.file) + "<td>" + "<br>".join(escape(c) for c in o.causes) + "</td></tr>" for o in failures)
    failure_table = (f"<table class='report'><tr><th>{escape(label('scenario_file', language))}</th>"
                     f"<th>{escape(label('cause', language))}</th></tr>{failure_rows}</table>"
                     if failures else f"<p>{escape(label('no_failures', language))}</p>")
    title = escape(label("index_title", language))
    return (f'<!DOCTYPE html>\n<html lang="{language}"><head><meta charset="utf-8"><title>{title}</title>'
            "<style>body{font-family:sans-serif;margin:2em;} table{border-collapse:collapse;} "
            "th,td{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right;} "
            "th:nth-child(-n+3),td:nth-child(-n+3){text-align:left;}</style></head><body>"
            f"<h1>{title}</h1><p>{escape(label('index_intro', language))}</p>"
            f"<table class='report' id='scenarios'><tr>{''.join(f'<th>{escape(h)}</th>' for h in headers)}</tr>"
            f"{''.join(rows)}</table><h2>{escape(label('failures', language))}</h2>"
            f"<div id='failures'>{failure_table}</div></body></html>\n")


def earlier_reports(out: Path, rendered_now: set[str]) -> list[Outcome]:
    """The rows of ``out``'s previous summary.csv whose reports are still there and not re-rendered now.

    A batch of some scenarios keeps the others' reports on disk; the index keeps listing them.
    """
    try:
        rows = list(csv.DictReader(io.StringIO((out / "summary.csv").read_text(encoding="utf-8"))))
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    kept = []
    for row in rows:
        stem = row.get("scenario") or ""
        if row.get("status") != "rendered" or stem in rendered_now or \
                not all((out / f"{stem}{suffix}").is_file() for suffix in REPORT_SUFFIXES):
            continue
        metrics = {name: float(row.get(f"{name} ({unit})") or "nan") for name, unit in METRIC_UNITS.items()}
        feasible = {"True": True, "False": False}.get(row.get("feasible", ""))
        kept.append(Outcome(row.get("file", ""), stem, "rendered", (), row.get("name") or None, metrics, feasible,
                            float(row.get("seconds") or 0.0)))
    return sorted(kept, key=lambda o: o.stem)


def summary_csv(outcomes: list[Outcome]) -> str:
    """One row per scenario: status, verdict, every metric (CNY, fractions, months; units in headers), cause."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["scenario", "file", "name", "status", "feasible",
                     *(f"{name} ({unit})" for name, unit in METRIC_UNITS.items()), "seconds", "cause"])
    for o in outcomes:
        values = [o.metrics.get(name, math.nan) for name in METRIC_UNITS]
        writer.writerow([o.stem, o.file, o.name or "", o.status, "" if o.feasible is None else o.feasible,
                         *("" if not math.isfinite(v) else repr(v) for v in values), f"{o.seconds:.2f}", o.cause])
    return buffer.getvalue()
