"""The planner dashboard: sliders for the main drivers, live metrics and charts, reset, save as scenario.

``Dashboard(folder).widget`` is an ipywidgets tree for JupyterLab or Voila; ``serve()`` runs it
with Voila (``feasibility dashboard``). Controls show rates as percentages and money in 万元
(per-order amounts in 元), each labelled with its unit and the study's range. A moved control
becomes an override written exactly as a scenario file writes it (``"7.6%"``, ``"160万"``), so
the figures shown are those of the file "save as scenario" writes.
"""

from __future__ import annotations

import base64
import html
import io
import math
import os
import tempfile
import time
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Callable, Iterator, Mapping

import ipywidgets as widgets
from matplotlib import rc_context
from matplotlib.figure import Figure

from ..core.evaluation import Result, evaluate
from ..inputs.errors import ModelError, ScenarioError
from ..inputs.paths import NOTEBOOKS, ROOT, shown
from ..inputs.saving import save_scenario
from ..inputs.scenario import Scenario, load_scenario
from ..outputs import plots
from ..outputs.labels import check_language, label
from ..core.evaluation import with_units
from ..outputs.workbook import write_workbook
from .controls import DRIVERS, GROUPS, Driver, slider_range
from .dashboard_views import COMPARED_METRICS, SHOWN_METRICS, compare_html, metrics_html, verdict_html
from ..outputs.risk_tables import tornado_panel
from .voila_server import (LANGUAGE_VARIABLE, free_port, ignore_stop_signals, port_answers,
                           signals_interrupt, start_voila, stop_voila, voila_command)

NOTEBOOK = NOTEBOOKS / "dashboard.ipynb"
DEFAULT_PORT = 8866

#: Page style: tab titles in full, charts as wide as their pane, compact result tables.
STYLE = ("<style>.fd-tabs .lm-TabBar-tab { max-width: none !important; flex: 0 0 auto !important; }"
         " .fd-tabs img { width: 100%; height: auto; }"
         " .fd-table th { text-align: left; padding-right: 1em; }</style>")

#: A panel draws one extra chart of a result on the Axes it is given (e.g. the risk tornado).
Panel = Callable[[Result, object], object]


def clear_keeping_ticks(ax) -> None:
    """Remove what a chart drew on ``ax`` (lines, bars, texts, legend) but keep the Axes and its
    ticks: rebuilding them, as ``ax.clear()`` does, is about a third of a redraw. Only for
    chart functions that change nothing else on the Axes but titles, labels and tick positions.
    """
    for artist in [*ax.lines, *ax.patches, *ax.collections, *ax.texts, *ax.images]:
        artist.remove()
    ax.set_prop_cycle(None)  # the same colours on every redraw: each series keeps its colour
    ax.containers.clear()
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    ax.relim()
    ax.autoscale()


def scenario_files(folder: str | Path) -> list[str]:
    """The scenario files (``*.yaml``) in ``folder``, by name."""
    return sorted(p.name for p in Path(folder).glob("*.yaml") if not p.name.startswith("."))


class Dashboard:
    """Controls, live results, charts and save-as-scenario for the scenario files in ``folder``.

    The tabs hold the cumulative cash flow, benefits and costs by year, and the risk tornado
    of the live inputs; ``panels`` adds charts after them: title → ``draw(result, ax)``.
    Only the chart in the open tab is redrawn on a change; the others when their tab is opened.
    """

    def __init__(self, folder: str | Path, scenario: str | None = None, language: str = "en",
                 panels: Mapping[str, Panel] | None = None):
        self.folder = Path(folder)
        self.language = language
        self.base: Scenario | None = None
        self.result: Result | None = None
        self.update_seconds = math.nan  # the last update: evaluate, show the figures, draw the open chart
        self._holding = 0
        self._stale: set[str] = set()
        self._figures: dict[str, Figure] = {}
        plots.use_cjk_fonts(language)  # scenario names and units may be Chinese in either language
        files = scenario_files(self.folder)
        if not files:
            raise ModelError(f"{self.folder}: no scenario files (*.yaml) to pick from")
        self._panels = dict(panels or {})
        self.charts: dict[str, Panel] = self._chart_panels(language)
        self.picker = widgets.Dropdown(options=files, value=scenario if scenario in files else files[0],
                                       layout=widgets.Layout(width="420px"))
        self.reset_button = widgets.Button()
        self.language_switch = widgets.ToggleButtons(options=[("中文", "zh"), ("English", "en")], value=language)
        self.intro = widgets.HTML()  # the page's title and how to use it, in the page's language
        self.description = widgets.HTML()
        self.controls = {key: self._control(driver) for key, driver in DRIVERS.items()}
        self.titles = {key: widgets.HTML() for key, driver in DRIVERS.items() if driver.kind != "flag"}
        self.control_errors = {key: widgets.HTML() for key in DRIVERS}  # an error shows under its control
        self.metrics = widgets.HTML()
        self.verdict = widgets.HTML()
        self.images = {title: widgets.Image(format="svg+xml") for title in self.charts}  # by the tab's title
        self.tabs = widgets.Tab(children=list(self.images.values()), titles=tuple(self.charts), selected_index=0)
        self.save_name = widgets.Text(placeholder="my_case.yaml")
        self.overwrite = widgets.Checkbox(indent=False)
        self.save_button = widgets.Button()
        self.status = widgets.HTML()
        self.undo_button = widgets.Button(disabled=True)
        self.export_button = widgets.Button()
        self.report_button = widgets.Button()
        self.downloads = widgets.HTML()
        self.pin_button = widgets.Button()
        self.comparison = widgets.HTML()
        self.pinned: Result | None = None
        self._undo: tuple[str, object] | None = None  # (control key, its value before the last change)
        self._discard_pick: str | None = None  # a file picked once with unsaved changes: picked again, it loads
        for name, widget in [("picker", self.picker), ("reset", self.reset_button), ("metrics", self.metrics),
                             ("verdict", self.verdict), ("tabs", self.tabs), ("save-name", self.save_name),
                             ("overwrite", self.overwrite), ("save", self.save_button), ("status", self.status),
                             ("undo", self.undo_button), ("pin", self.pin_button), ("export", self.export_button),
                             ("render", self.report_button), ("downloads", self.downloads),
                             ("comparison", self.comparison), ("language", self.language_switch),
                             ("description", self.description), ("intro", self.intro)]:
            widget.add_class(f"fd-{name}")
        self.widget = self._layout()
        self._word()
        self.language_switch.observe(lambda change: self._guarded(lambda: self.set_language(change["new"])),
                                     names="value")
        self.picker.observe(self._on_pick, names="value")
        self.tabs.observe(lambda _: self._guarded(self._draw_open_chart), names="selected_index")
        self.reset_button.on_click(lambda _: self._guarded(self.reset))
        self.undo_button.on_click(lambda _: self._guarded(self.undo))
        self.pin_button.on_click(lambda _: self._guarded(self.pin))
        self.export_button.on_click(lambda _: self._guarded(self.export))
        self.report_button.on_click(lambda _: self._guarded(self.render_report))
        self.save_button.on_click(lambda _: self._guarded(self.save))
        for control in self.controls.values():
            control.observe(self._on_control, names="value")
        self._guarded(lambda: self.load(self.picker.value))

    # -- building ---------------------------------------------------------------------------------
    def _chart_panels(self, language: str) -> dict[str, Panel]:
        """The charts by their tab title in ``language``: cash, benefits and costs, tornado, then extra panels."""
        standard = {label("cumulative_cash", language): partial(plots.cumulative_cash_chart, language=language),
                    label("benefits_costs", language): partial(plots.benefit_cost_chart, language=language)}
        self._keep_axes = set(standard)  # charts known to leave no state on the Axes beyond their artists
        return {**standard, label("risk_tornado", language): partial(tornado_panel, language=language),
                **self._panels}

    def _word(self) -> None:
        """Every label, button and title of the page in the current language."""
        lang = self.language
        self.intro.value = f"<h2>{html.escape(label('dash_title', lang))}</h2>" + "".join(
            f"<p>{html.escape(label(key, lang))}</p>" for key in ("dash_intro", "dash_intro_tools"))
        self.picker.description = label("dash_scenario", lang)
        self.reset_button.description = label("dash_reset", lang)
        self.reset_button.tooltip = label("dash_reset_tip", lang)
        self.language_switch.description = label("dash_language", lang)
        self.language_switch.tooltip = label("dash_language_tip", lang)  # unset, ipywidgets shows "null"
        for key, driver in DRIVERS.items():
            if driver.kind == "flag":
                self.controls[key].description = driver.title(lang)
            else:
                self.titles[key].value = f"<b>{html.escape(driver.title(lang))}</b>"
        self.groups.titles = tuple(label(group, lang) for group in GROUPS)
        self.tabs.titles = tuple(self.charts)
        self.save_name.description = label("dash_file_name", lang)
        self.overwrite.description = label("dash_overwrite", lang)
        self.save_button.description = label("dash_save", lang)
        self.undo_button.description = label("dash_undo", lang)
        self.pin_button.description = label("dash_pin", lang)
        self.export_button.description = label("dash_export", lang)
        self.report_button.description = label("dash_render", lang)

    def set_language(self, language: str) -> None:
        """Show the page in ``language`` (``zh`` or ``en``): labels, figures, verdict and charts."""
        self.language = check_language(language)
        self.charts = self._chart_panels(language)
        self.images = dict(zip(self.charts, self.images.values()))
        self._figures.clear()
        self._word()
        if self.base is not None:
            self.description.value = (f"<p><b>{html.escape(self.base.text('name', language))}</b> — "
                                      f"{html.escape(self.base.text('description', language))}</p>")
            self.update()

    def _control(self, driver: Driver) -> widgets.Widget:
        if driver.kind == "flag":
            control = widgets.Checkbox(indent=False, layout=widgets.Layout(width="100%"))
        else:
            slider = widgets.IntSlider if driver.kind == "months" else widgets.FloatSlider
            control = slider(continuous_update=False, readout_format=driver.readout,
                             layout=widgets.Layout(width="95%"))
        control.add_class(f"fd-{driver.key}")
        return control

    def _layout(self) -> widgets.Widget:
        def labelled(driver: Driver) -> widgets.Widget:
            control, error = self.controls[driver.key], self.control_errors[driver.key]
            if driver.kind == "flag":
                return widgets.VBox([control, error])
            return widgets.VBox([self.titles[driver.key], control, error])

        self.groups = groups = widgets.Accordion(
            children=[widgets.VBox([labelled(d) for d in group]) for group in GROUPS.values()], selected_index=1,
            layout=widgets.Layout(width="42%", margin="0 1em 0 0"))
        self.metrics.layout.margin = "0 2em 0 0"
        results = widgets.VBox([widgets.HBox([self.metrics, self.verdict]), self.tabs],
                               layout=widgets.Layout(width="58%"))
        save = widgets.HBox([self.save_name, self.overwrite, self.save_button, self.undo_button, self.pin_button,
                             self.export_button, self.report_button])
        return widgets.VBox([widgets.HTML(STYLE), self.intro,
                             widgets.HBox([self.picker, self.reset_button, self.language_switch]), self.status,
                             self.description, self.comparison,
                             widgets.HBox([groups, results]), save, self.downloads])

    # -- state ------------------------------------------------------------------------------------
    @contextmanager
    def _held(self) -> Iterator[None]:
        """Set controls without each change triggering an update."""
        self._holding += 1
        try:
            yield
        finally:
            self._holding -= 1

    def load(self, file_name: str) -> None:
        """Pick a scenario file from the folder: set every control to its values, then update."""
        self.base = load_scenario(self.folder / file_name)
        self.description.value = (f"<p><b>{html.escape(self.base.text('name', self.language))}</b> — "
                                  f"{html.escape(self.base.text('description', self.language))}</p>")
        self.reset()

    def reset(self) -> None:
        """Every control back to the picked scenario's values, then update."""
        with self._held():
            for key, driver in DRIVERS.items():
                control, shown = self.controls[key], driver.shown(self.base.values)
                if driver.kind != "flag":
                    control.max, control.step = slider_range(driver, shown)
                    control.min = 1 if driver.kind == "months" else 0
                    control.disabled = len(driver.paths) > 1 and shown == 0
                control.value = shown
        self.update()

    def changes(self) -> dict[str, object]:
        """The inputs the controls change from the picked scenario, written as a file writes them."""
        out: dict[str, object] = {}
        for key, driver in DRIVERS.items():
            out.update(driver.overrides(self.base.values, self.controls[key].value))
        return out

    def update(self) -> None:
        """Evaluate the picked scenario with the controls' changes; show the figures and the open chart."""
        started = time.perf_counter()
        self.result = evaluate(self.base.with_overrides(self.changes(), origin="dashboard"))
        self.metrics.value = metrics_html(self.result, self.language)
        self.verdict.value = verdict_html(self.result, self.language)
        self._stale = set(self.charts)
        self._draw_open_chart()
        self._mark_changed()
        self.comparison.value = compare_html(self.pinned, self.result, self.language) if self.pinned else ""
        self.downloads.value = ""  # files exported for the previous setting would no longer match the page
        self.update_seconds = time.perf_counter() - started
        self.status.value = ""

    def _mark_changed(self) -> None:
        """Mark (●) every control whose value differs from the picked file."""
        for key, driver in DRIVERS.items():
            changed = bool(driver.overrides(self.base.values, self.controls[key].value))
            title = ("● " if changed else "") + driver.title(self.language)
            if driver.kind == "flag":
                self.controls[key].description = title
            else:
                self.titles[key].value = f"<b>{html.escape(title)}</b>"

    def undo(self) -> None:
        """Put the last changed control back to its value before that change."""
        if self._undo is None:
            return
        key, value = self._undo
        self._undo = None
        self.undo_button.disabled = True
        with self._held():
            self.controls[key].value = value
        self.update()

    def export(self) -> dict[str, bytes]:
        """The current setting's files, offered as downloads: monthly and annual cash flows (CSV), the
        workbook (xlsx), and each chart (PNG). Returns them by file name."""
        stem = Path(self.base.file).stem + "-dashboard"
        files = {f"{stem}-monthly.csv": with_units(self.result.monthly).to_csv(index=False).encode("utf-8"),
                 f"{stem}-annual.csv": with_units(self.result.annual).to_csv(index=False).encode("utf-8")}
        with tempfile.TemporaryDirectory() as folder:
            files[f"{stem}.xlsx"] = write_workbook(self.result, Path(folder) / "book.xlsx").read_bytes()
        for number, (title, draw) in enumerate(self.charts.items(), start=1):
            figure = Figure(figsize=(10, 3.8))
            draw(self.result, figure.subplots())
            buffer = io.BytesIO()
            figure.savefig(buffer, format="png", dpi=120, bbox_inches="tight")
            files[f"{stem}-chart{number}.png"] = buffer.getvalue()
        kinds = {".csv": "text/csv", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 ".png": "image/png"}
        self.downloads.value = "<p>" + " · ".join(
            f'<a download="{html.escape(name)}" href="data:{kinds[Path(name).suffix]};base64,'
            f'{base64.b64encode(data).decode("ascii")}">{html.escape(name)}</a>'
            for name, data in files.items()) + "</p>"
        return files

    def render_report(self) -> Path:
        """Save the current setting as a scenario (the file name above) and render its report as the CLI does."""
        from ..outputs.render import REPORTS, render

        path = self.save()
        outcome = render([path], REPORTS, jobs=1, language=self.language, stream=io.StringIO())[0]
        if not outcome.ok:
            raise ModelError(outcome.cause)
        report = REPORTS / f"{path.stem}.html"
        self._say(label("dash_rendered", self.language).format(file=shown(report)), ok=True)
        return report

    def pin(self) -> None:
        """Pin the current setting: the page then compares it with the live one, input by input."""
        self.pinned = self.result
        self.comparison.value = compare_html(self.pinned, self.result, self.language)

    def _draw_open_chart(self) -> None:
        """Redraw the chart in the open tab if the result changed since it was drawn."""
        title = list(self.charts)[self.tabs.selected_index or 0]
        if title in self._stale and self.result is not None:
            self.images[title].value = self._svg(title, self.charts[title])
            self._stale.discard(title)

    def _svg(self, title: str, draw: Panel) -> bytes:
        """Draw one chart on its figure (kept between updates) and return it as SVG bytes.

        SVG with text left as text (the browser sets it) takes about half the time of a PNG;
        keeping the standard charts' Axes saves another third (see :func:`clear_keeping_ticks`).
        """
        figure = self._figures.get(title)
        if figure is None or title not in self._keep_axes:
            figure = self._figures[title] = Figure(figsize=(10, 3.8))
            figure.subplots_adjust(left=0.08, right=0.98, bottom=0.13, top=0.9)
            figure.subplots()
        ax = figure.axes[0]
        clear_keeping_ticks(ax)
        draw(self.result, ax)
        buffer = io.BytesIO()
        with rc_context({"svg.fonttype": "none"}):
            figure.savefig(buffer, format="svg")
        return buffer.getvalue()

    def save(self) -> Path:
        """Write the changes as a new scenario extending the picked one (see ``save_scenario``)."""
        if self.base is None:
            raise ModelError(f"{self.folder}: pick a scenario that loads before saving")
        changes = self.changes()
        try:
            path = save_scenario(self.folder, self.save_name.value.strip(), self.base, changes,
                                 overwrite=self.overwrite.value)
        finally:
            self.overwrite.value = False  # a confirmation is good for one save only
        with self._held():
            self.picker.options = scenario_files(self.folder)
            self.picker.value = Path(self.base.file).name
        self._say(label("dash_saved", self.language).format(file=path.name, parent=Path(self.base.file).name,
                                                             count=len(changes)), ok=True)
        return path

    # -- events -----------------------------------------------------------------------------------
    def _on_control(self, change: dict) -> None:
        if not self._holding and self.base is not None:
            owner = next(key for key, control in self.controls.items() if control is change["owner"])
            self._undo = (owner, change["old"])
            self.undo_button.disabled = False
            self._guarded(self.update)

    def _on_pick(self, change: dict) -> None:
        if self._holding:
            return
        if self.base is not None and self.changes() and self._discard_pick != change["new"]:
            self._discard_pick = change["new"]  # ask first: picking it again discards the changes
            with self._held():
                self.picker.value = Path(self.base.file).name
            self._say(label("dash_unsaved", self.language).format(file=change["new"]), ok=False)
            return
        self._discard_pick = None
        self._guarded(lambda: self.load(change["new"]))
        if self.base is not None and Path(self.base.file).name != self.picker.value:
            with self._held():  # the file did not load: show the scenario still in use
                self.picker.value = Path(self.base.file).name

    def _guarded(self, action: Callable[[], object]) -> None:
        """Run ``action``; show an input error as one line instead of raising it: under the control that
        set the input when there is one, else in the message line under the scenario picker."""
        for error in self.control_errors.values():
            error.value = ""
        try:
            action()
        except ScenarioError as exc:
            placed = [self._place(problem) for problem in exc.problems]
            if not all(placed):
                self._say(str(exc), ok=False)
        except ModelError as exc:
            self._say(str(exc), ok=False)

    def _place(self, problem) -> bool:
        """Show ``problem`` under the control that sets its input; False when no control does."""
        if getattr(problem, "file", None) != "dashboard":  # a problem in a file, not in what a control set
            return False
        owner = next((key for key, driver in DRIVERS.items() if getattr(problem, "field", None) in driver.paths), None)
        if owner is None:
            return False
        text = html.escape(str(problem).replace(f"{ROOT}{os.sep}", ""))
        self.control_errors[owner].value = f'<p class="fd-message fd-control-error" style="color:#b42318">{text}</p>'
        return True

    def _say(self, text: str, ok: bool) -> None:
        text = text.replace(f"{ROOT}{os.sep}", "")  # paths as the project names them: scenarios/base.yaml
        colour = "#1a7f37" if ok else "#b42318"
        lines = "<br>".join(html.escape(line) for line in text.splitlines())
        self.status.value = f'<p class="fd-message" style="color:{colour}">{lines}</p>'


# -- serving with Voila (the lifecycle is in voila_server) ------------------------------------------
def serve(port: int = DEFAULT_PORT, notebook: Path = NOTEBOOK, language: str = "zh") -> int:
    """Serve the dashboard with Voila until Voila exits or SIGINT (Ctrl-C), SIGTERM or SIGHUP
    arrives; print its URL once it answers. On a signal, :func:`stop_voila` stops Voila and its
    kernels (within about ``STOP_GRACE`` seconds) and frees the port; the exit code is then 0.
    ``language`` (``zh`` | ``en``) reaches the notebook as ``$FEASIBILITY_LANGUAGE``."""
    with signals_interrupt():
        try:
            process, url = start_voila(notebook, port, language=language)
        except KeyboardInterrupt:  # stopped while starting: start_voila has cleaned up
            return 0
        try:
            print(f"Dashboard: {url}  (Ctrl-C to stop)", flush=True)
            return process.wait()  # Voila ended by itself: its exit code
        except KeyboardInterrupt:
            return 0
        finally:
            ignore_stop_signals()  # a second Ctrl-C must not cut the clean-up short
            stop_voila(process)


__all__ = ["Dashboard", "COMPARED_METRICS", "SHOWN_METRICS", "metrics_html", "compare_html", "verdict_html",
           "scenario_files", "serve", "start_voila", "stop_voila", "free_port", "port_answers", "voila_command",
           "LANGUAGE_VARIABLE"]
