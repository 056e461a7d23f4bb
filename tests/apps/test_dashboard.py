"""The planner dashboard without a browser: controls → overrides, live figures, reset, picker,
charts, save as scenario (model/dashboard.py, model/scenario_io.py), the CLI and the notebook."""

from __future__ import annotations

import io
import re

import pandas as pd

import shutil
import socket
from pathlib import Path

import pytest
import yaml

from model.apps import controls
from model.apps import dashboard as dash
from model.apps import dashboard_views as views
from model.apps.cli import main
from model.inputs.errors import InputError, ScenarioError
from model.core.evaluation import evaluate
from model.inputs.texts import text_in
from model.outputs.labels import label
from model.outputs.report import format_metric, irr_text
from model.inputs.scenario import FIELDS, load_scenario
from model.inputs.saving import save_scenario, scenario_text, target_path
from model.inputs.units import parse_money, parse_rate
from model.inputs.paths import ROOT

SHIPPED = ROOT / "scenarios"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the shipped scenarios, so saving never touches the project's folder."""
    target = tmp_path / "scenarios"
    shutil.copytree(SHIPPED, target)
    return target


@pytest.fixture
def board(folder: Path) -> dash.Dashboard:
    return dash.Dashboard(folder, "base.yaml")


def npv_shown(board: dash.Dashboard) -> str:
    """The NPV text of the metrics table."""
    return board.metrics.value.split('class="fd-npv">', 1)[1].split("<", 1)[0]


def expected(folder: Path, name: str = "base.yaml", **overrides) -> dict:
    """The model's metrics for a file in ``folder`` with overrides given as a file writes them."""
    return evaluate(load_scenario(folder / name, {k.replace("__", "."): v for k, v in overrides.items()})).metrics


# ------------------------------------------------------------------------------ drivers


class TestDrivers:
    def test_every_control_names_an_input_its_unit_and_the_study(self):
        for driver in controls.DRIVERS.values():
            assert all(path in FIELDS for path in driver.paths), driver.key
            assert "study: " in driver.title() and "(" in driver.title(), driver.title()
            if driver.kind != "flag":
                assert driver.unit, driver.key
            if driver.kind == "rate":
                assert "%" in label(driver.unit), driver.title()

    def test_rates_say_monthly_or_yearly_where_the_schema_does(self):
        for driver in controls.DRIVERS.values():
            unit = FIELDS[driver.paths[0]].unit
            if unit.endswith("/month"):
                assert label(driver.unit).endswith("/month") and label(driver.unit, "zh").endswith("/月"), driver.key
            if unit.endswith("/year") and driver.kind == "rate":
                assert label(driver.unit).endswith("/year") and label(driver.unit, "zh").endswith("/年"), driver.key

    def test_every_control_has_a_chinese_name(self):
        for driver in controls.DRIVERS.values():
            assert re.search(r"[\u4e00-\u9fff]", driver.title("zh")) and "study" not in driver.title("zh"), driver.key
        assert controls.DRIVERS["churn_steady"].title("zh").startswith("用户流失率, 稳定期")

    def test_the_issues_drivers_are_all_there(self):
        paths = {p for d in controls.DRIVERS.values() for p in d.paths}
        for path in ("users.initial", "users.growth_monthly.pilot", "users.churn_monthly.steady",
                     "revenue.community.conversion", "revenue.community.aov", "revenue.community.purchases_per_year",
                     "revenue.gross_margin", "investment.tech", "operating_costs.labour.fixed_yearly",
                     "finance.discount_rate_annual", "timeline.horizon_months", "levers.saas_scrm.enabled",
                     "levers.part_time_staff.enabled", "levers.ai_customer_service.enabled",
                     "levers.lean_events.enabled", "indirect.enabled"):
            assert path in paths

    def test_a_rate_is_written_as_a_percentage(self):
        values = load_scenario(SHIPPED / "base.yaml").values
        conversion = controls.DRIVERS["conversion"]
        assert conversion.shown(values) == pytest.approx(7.5)
        assert conversion.overrides(values, 7.6000000000000005) == {"revenue.community.conversion": "7.6%"}
        assert conversion.overrides(values, conversion.shown(values)) == {}

    def test_money_in_wan_is_written_exactly_in_the_files_units(self):
        values = load_scenario(SHIPPED / "base.yaml").values
        investment = controls.DRIVERS["investment"]
        assert investment.shown(values) == pytest.approx(300.0)  # 150万 + 105万 + 45万
        written = investment.overrides(values, 330.0)
        assert written == {"investment.tech": "165万", "investment.labour": "115.5万", "investment.content": "49.5万"}
        assert sum(parse_money(v) for v in written.values()) == 3_300_000.0

    def test_scaling_lines_that_are_all_zero_is_refused(self):
        values = dict(load_scenario(SHIPPED / "base.yaml").values)
        values.update({"investment.tech": 0.0, "investment.labour": 0.0, "investment.content": 0.0})
        with pytest.raises(dash.ModelError, match="every line is 0 in this scenario"):
            controls.DRIVERS["investment"].overrides(values, 10.0)

    def test_aov_is_shown_and_written_in_yuan(self):
        values = load_scenario(SHIPPED / "base.yaml").values
        assert controls.DRIVERS["aov"].overrides(values, 180.0) == {"revenue.community.aov": "180元"}

    def test_counts_months_and_flags(self):
        values = load_scenario(SHIPPED / "base.yaml").values
        assert controls.DRIVERS["users"].overrides(values, 1_250_000.0) == {"users.initial": 1250000.0}
        assert controls.DRIVERS["horizon"].overrides(values, 24) == {"timeline.horizon_months": 24}
        assert controls.DRIVERS["saas"].overrides(values, True) == {"levers.saas_scrm.enabled": True}
        assert controls.DRIVERS["saas"].overrides(values, False) == {}

    @pytest.mark.parametrize("path", sorted(SHIPPED.glob("*.yaml")), ids=lambda p: p.stem)
    def test_every_shipped_scenario_fits_the_controls(self, path: Path):
        values = load_scenario(path).values
        for driver in controls.DRIVERS.values():
            shown = driver.shown(values)
            assert driver.overrides(values, shown) == {}
            if driver.kind != "flag":
                top, step = controls.slider_range(driver, shown)
                assert 0 <= shown <= top and 0 < step < top

    def test_slider_ranges(self):
        assert controls.slider_range(controls.DRIVERS["users"], 1000) == (2000.0, 2.0)
        assert controls.slider_range(controls.DRIVERS["users"], 0) == (2e6, 2000.0)
        assert controls.slider_range(controls.DRIVERS["growth_pilot"], 100.0) == (100.0, 0.1)
        assert controls.slider_range(controls.DRIVERS["horizon"], 36) == (120.0, 1.0)


# ------------------------------------------------------------------------------ live figures


def same(metrics: dict):
    """``metrics`` for an exact comparison in which NaN equals NaN (e.g. no CAC without acquisition spend)."""
    return pytest.approx(metrics, nan_ok=True, rel=0, abs=0)


class TestLiveFigures:
    def test_opens_on_the_picked_scenario_with_the_models_figures(self, board, folder):
        metrics = expected(folder)
        assert board.changes() == {}
        assert npv_shown(board) == format_metric("npv", metrics["npv"])
        for name in dash.SHOWN_METRICS:
            shown = irr_text(metrics) if name == "irr" else format_metric(name, metrics[name])
            assert f'class="fd-{name}">{shown}<' in board.metrics.value.replace(
                "&gt;", ">")
        assert "FEASIBLE" in board.verdict.value and "every integrity check passes" in board.metrics.value

    def test_a_slider_updates_the_figures_to_what_the_model_computes(self, board, folder):
        before, chart_before = npv_shown(board), board.images[board.tabs.titles[0]].value
        board.controls["conversion"].value = 6.0
        metrics = expected(folder, revenue__community__conversion="6%")
        assert board.changes() == {"revenue.community.conversion": "6%"}
        assert board.result.metrics == same(metrics)
        assert npv_shown(board) == format_metric("npv", metrics["npv"]) != before
        chart = bytes(board.images[board.tabs.titles[0]].value)
        assert chart.startswith(b"<?xml") and chart != bytes(chart_before)
        assert board.update_seconds > 0

    def test_scaled_cost_lines_keep_the_split_and_change_the_investment(self, board, folder):
        board.controls["investment"].value = 330.0
        board.controls["operating"].value = 400.0
        assert board.result.metrics["total_investment"] == pytest.approx(3_300_000.0)
        written = board.changes()
        assert board.result.metrics == same(expected(folder, **{k.replace(".", "__"): v for k, v in written.items()}))

    def test_a_lever_switch(self, board, folder):
        board.controls["lean_events"].value = True
        assert board.result.metrics["npv"] == expected(folder, levers__lean_events__enabled=True)["npv"]
        assert board.result.metrics["npv"] > expected(folder)["npv"]

    def test_a_failed_verdict_is_shown(self, board):
        board.controls["conversion"].value = 0.0  # no community sales: the increment over the baseline < 0
        assert "NOT FEASIBLE" in board.verdict.value and "✗" in board.verdict.value

    def test_reset_returns_every_control_to_the_file(self, board, folder):
        board.controls["conversion"].value = 6.0
        board.controls["horizon"].value = 24
        board.controls["indirect"].value = True
        board.reset_button.click()
        assert board.changes() == {}
        assert board.controls["horizon"].value == 36 and board.controls["indirect"].value is False
        assert board.result.metrics == same(expected(folder))

    def test_the_picker_loads_another_scenario(self, board, folder):
        board.picker.value = "optimised_costs.yaml"
        assert board.controls["saas"].value is True and board.changes() == {}
        assert board.result.metrics == same(expected(folder, "optimised_costs.yaml"))
        assert "cost levers" in board.description.value

    def test_the_picker_reranges_the_sliders(self, board):
        board.picker.value = "short_term_launch.yaml"
        users = board.controls["users"]
        assert (users.value, users.max, users.step) == (1000, 2000.0, 2.0)
        assert board.controls["horizon"].value == 6

    def test_a_broken_scenario_gives_one_line_and_keeps_the_last(self, folder):
        (folder / "broken.yaml").write_text("extends: base.yaml\nusers: {initial: -5}\n", encoding="utf-8")
        board = dash.Dashboard(folder, "base.yaml")
        before = board.result.metrics
        board.picker.value = "broken.yaml"
        assert "broken.yaml: users.initial: must not be negative (got -5)" in board.status.value
        assert board.result.metrics == same(before) and board.base.file.endswith("base.yaml")
        assert board.picker.value == "base.yaml"

    def test_a_folder_whose_first_file_is_broken_still_opens(self, tmp_path):
        (tmp_path / "a.yaml").write_text("description: no rate\n", encoding="utf-8")
        shutil.copy(SHIPPED / "base.yaml", tmp_path)
        board = dash.Dashboard(tmp_path)
        assert "a.yaml: finance.discount_rate_annual: is required" in board.status.value
        board.controls["conversion"].value = 9.0  # nothing to update yet: no error
        board.save_button.click()
        assert "pick a scenario that loads before saving" in board.status.value
        board.picker.value = "base.yaml"
        assert board.result.metrics == same(expected(tmp_path))

    def test_only_the_open_chart_is_drawn_the_others_when_opened(self, board):
        first, second, tornado = (board.images[t] for t in board.tabs.titles)
        assert first.value and not second.value and not tornado.value
        board.tabs.selected_index = 1
        drawn = bytes(second.value)
        assert drawn.startswith(b"<?xml") and b"Benefits and costs" in drawn
        board.controls["conversion"].value = 6.0
        assert bytes(second.value) != drawn  # the open tab follows the change
        assert board._stale == {board.tabs.titles[0], board.tabs.titles[2]}  # never drawn yet: the tornado

    def test_the_risk_tornado_tab_follows_the_live_inputs(self, board):
        board.tabs.selected_index = 2
        assert board.tabs.titles[2] == "Risk: tornado"
        drawn = bytes(board.images["Risk: tornado"].value)
        assert b"Tornado" in drawn and b"base NPV" in drawn
        board.controls["conversion"].value = 6.0
        assert bytes(board.images["Risk: tornado"].value) != drawn  # a new base NPV, new swings

    def test_charts_redrawn_on_kept_axes_hold_only_the_latest_drawing(self, folder):
        board = dash.Dashboard(folder, "study_head.yaml")  # a plan that pays back: its chart marks the payback
        board.controls["conversion"].value = 6.0
        board.controls["conversion"].value = 7.0
        ax = board._figures[board.tabs.titles[0]].axes[0]
        assert len(ax.get_legend().get_texts()) == 3  # cash, discounted cash, payback: no leftovers
        assert len(ax.lines) == 4  # two curves, the zero line, the payback line, nothing twice
        cumulative = board.result.monthly["cumulative_net_cash_flow"].to_numpy() / 1e8  # beyond 1亿: drawn in 亿元
        assert ax.get_ylabel() == "CNY, in 亿元" and ax.lines[0].get_ydata()[-1] == pytest.approx(cumulative[-1])
        assert ax.get_ylim()[1] >= cumulative.max()

    def test_a_panel_is_drawn_with_the_current_result_in_its_own_tab(self, folder):
        seen = []

        def panel(result, ax):
            seen.append(result.metrics["npv"])
            ax.barh(["npv"], [result.metrics["npv"] / 1e4])

        board = dash.Dashboard(folder, "base.yaml", panels={"Extra": panel})
        assert board.tabs.titles[-1] == "Extra" and seen == []
        board.tabs.selected_index = 3
        assert seen == [board.result.metrics["npv"]] and board.images["Extra"].value
        board.controls["conversion"].value = 6.0
        assert seen[-1] == board.result.metrics["npv"] and len(seen) == 2

    def test_chinese_labels(self, folder):
        board = dash.Dashboard(folder, "base.yaml", language="zh")
        assert "净现值" in board.metrics.value and "可行" in board.verdict.value
        assert board.tabs.titles[0] == "累计净现金流"

    def test_an_empty_folder_is_an_error(self, tmp_path):
        with pytest.raises(dash.ModelError, match="no scenario files"):
            dash.Dashboard(tmp_path)


# ------------------------------------------------------------------------------ save as scenario


class TestSaveFromTheDashboard:
    def test_saves_only_the_changes_and_the_file_gives_the_same_figures(self, board, folder):
        board.controls["conversion"].value = 8.2
        board.controls["investment"].value = 320.0
        board.save_name.value = "my case.yaml"
        board.save_button.click()
        saved = folder / "my case.yaml"
        assert "Saved my case.yaml: extends base.yaml with 4 changed input(s)" in board.status.value
        content = yaml.safe_load(saved.read_text(encoding="utf-8"))
        assert set(content) == {"extends", "name", "description", "revenue", "investment"}
        assert content["extends"] == "base.yaml"
        assert content["revenue"] == {"community": {"conversion": {
            "value": "8.2%", "basis": "ours", "note": "set in the planner dashboard"}}}
        assert {k: v["value"] for k, v in content["investment"].items()} == {
            "tech": "160万", "labour": "112万", "content": "48万"}
        assert load_scenario(saved).assumptions["revenue.community.conversion"].basis == "ours"
        assert evaluate(load_scenario(saved)).metrics == same(board.result.metrics)
        assert main(["validate", str(saved)]) == 0
        assert "my case.yaml" in board.picker.options and board.picker.value == "base.yaml"

    def test_the_saved_file_renders_as_a_report(self, board, folder, tmp_path):
        board.controls["conversion"].value = 8.2
        board.save_name.value = "to_render.yaml"
        board.save_button.click()
        assert main(["render", str(folder / "to_render.yaml"), "--out", str(tmp_path / "reports"), "-j", "1"]) == 0
        page = (tmp_path / "reports" / "to_render.html").read_text(encoding="utf-8")
        assert "Base plan (1M users, incremental, after margin) (to_render)" in page
        assert format_metric("npv", board.result.metrics["npv"]) in page

    def test_refuses_names_that_escape_the_folder_or_are_not_yaml(self, board, folder):
        before = sorted(p.name for p in folder.parent.rglob("*"))
        board.controls["conversion"].value = 8.0
        for name in ["../escape.yaml", "/tmp/escape.yaml", "sub/escape.yaml", "sub\\escape.yaml", "..",
                     "escape.yml", "escape.txt", ".hidden.yaml", "", "   ", "a\x00b.yaml", "x" * 101 + ".yaml"]:
            board.save_name.value = name
            board.save_button.click()
            assert "file name: " in board.status.value and "Saved" not in board.status.value, name
        assert sorted(p.name for p in folder.parent.rglob("*")) == before

    def test_never_overwrites_without_confirmation(self, board, folder):
        board.controls["conversion"].value = 8.0
        board.save_name.value = "case.yaml"
        board.save_button.click()
        first = (folder / "case.yaml").read_bytes()
        board.controls["conversion"].value = 9.0
        board.save_button.click()
        assert "case.yaml: file name: already exists; confirm overwriting to replace it" in board.status.value
        assert (folder / "case.yaml").read_bytes() == first
        board.overwrite.value = True
        board.save_button.click()
        assert "Saved case.yaml" in board.status.value
        assert yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))["revenue"]["community"][
            "conversion"]["value"] == "9%"
        assert board.overwrite.value is False  # the confirmation was for that one save
        board.save_button.click()
        assert "already exists" in board.status.value

    def test_refuses_to_overwrite_the_picked_file_or_its_parents(self, board, folder):
        board.picker.value = "optimised_costs.yaml"
        board.overwrite.value = True
        for name in ("optimised_costs.yaml", "base.yaml"):
            board.save_name.value = name
            board.save_button.click()
            assert "would make it extend itself" in board.status.value
        assert load_scenario(folder / "optimised_costs.yaml").name == "Base plan with the study's cost levers"


# ------------------------------------------------------------------------------ the writer


class TestScenarioWriter:
    def test_target_path(self, tmp_path):
        assert target_path(tmp_path, "情景 A (2025).yaml") == tmp_path / "情景 A (2025).yaml"
        with pytest.raises(InputError) as caught:
            target_path(tmp_path, "../x.yaml")
        assert str(caught.value) == f'{tmp_path}: file name: must be a plain file name, without folders (got "../x.yaml")'

    def test_text_nests_paths_in_schema_order(self):
        text = scenario_text("base.yaml", {"timeline.horizon_months": 24, "name": "N",
                                           "finance.discount_rate_annual": "10%"})
        assert text.startswith("# Saved by the planner dashboard")
        assert yaml.safe_load(text) == {"extends": "base.yaml", "name": "N", "timeline": {"horizon_months": 24},
                                        "finance": {"discount_rate_annual": "10%"}}

    def test_a_parent_in_another_folder_is_referred_to_relatively(self, folder, tmp_path):
        elsewhere = tmp_path / "mine"
        elsewhere.mkdir()
        path = save_scenario(elsewhere, "x.yaml", load_scenario(folder / "base.yaml"),
                             {"finance.discount_rate_annual": "10%"})
        assert yaml.safe_load(path.read_text(encoding="utf-8"))["extends"] == "../scenarios/base.yaml"
        assert load_scenario(path)["finance.discount_rate_annual"] == parse_rate("10%")

    def test_an_invalid_change_writes_nothing(self, folder):
        with pytest.raises(ScenarioError, match=r"x\.yaml: revenue\.gross_margin: must be between 0 and 1"):
            save_scenario(folder, "x.yaml", load_scenario(folder / "base.yaml"), {"revenue.gross_margin": "150%"})
        assert not (folder / "x.yaml").exists()
        assert not [p for p in folder.iterdir() if p.name.startswith(".")]

    def test_refuses_a_symbolic_link(self, folder, tmp_path):
        (folder / "link.yaml").symlink_to(tmp_path / "outside.yaml")
        with pytest.raises(InputError, match="symbolic link"):
            save_scenario(folder, "link.yaml", load_scenario(folder / "base.yaml"), {}, overwrite=True)
        assert not (tmp_path / "outside.yaml").exists()

    def test_no_temporary_file_is_left(self, folder):
        save_scenario(folder, "x.yaml", load_scenario(folder / "base.yaml"), {"users.initial": 5})
        assert not [p for p in folder.iterdir() if p.name.startswith(".")]


# ------------------------------------------------------------------------------ CLI and notebook


def test_cli_dashboard_refuses_a_busy_port(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        assert main(["dashboard", "--port", str(port)]) == 1
    assert f"port {port} is in use on 127.0.0.1; pass another with --port" in capsys.readouterr().err


@pytest.mark.parametrize("port", ["0", "70000", "http"])
def test_cli_dashboard_refuses_a_bad_port(port, capsys):
    with pytest.raises(SystemExit) as caught:
        main(["dashboard", "--port", port])
    assert caught.value.code == 2 and "must be a TCP port" in capsys.readouterr().err


def test_cli_dashboard_starts_voila_and_prints_the_url(monkeypatch, capsys):
    """The CLI's part: the notebook and port go to ``start_voila`` (run for real by the browser
    test), the URL is printed, and the exit code is Voila's."""
    calls, stopped = [], []

    class Voila:
        def wait(self):
            return 0

    def start(notebook, port, language):
        calls.append((notebook, port, language))
        return Voila(), f"http://127.0.0.1:{port}/"

    monkeypatch.setattr(dash, "start_voila", start)
    monkeypatch.setattr(dash, "stop_voila", stopped.append)  # always, even after Voila ends by itself
    assert main(["dashboard", "--port", "9123"]) == 0
    assert calls == [(dash.NOTEBOOK, 9123, "zh")] and dash.NOTEBOOK == ROOT / "notebooks" / "dashboard.ipynb"
    assert len(stopped) == 1
    assert capsys.readouterr().out == "Dashboard: http://127.0.0.1:9123/  (Ctrl-C to stop)\n"
    assert main(["dashboard"]) == 0 and calls[-1][1] == dash.DEFAULT_PORT == 8866


def test_voila_command_hides_code_and_listens_on_localhost_only():
    command = dash.voila_command(dash.NOTEBOOK, 9000)
    assert "--Voila.ip=127.0.0.1" in command and "--strip_sources=True" in command
    assert "--port=9000" in command and "--Voila.port_retries=0" in command and "--no-browser" in command


def test_the_notebook_runs_in_a_kernel_as_in_jupyterlab(tmp_path):
    """Executes the committed notebook (thin: parameters, then one call per cell) and finds the widget."""
    import nbformat
    from nbclient import NotebookClient

    (tmp_path / "notebooks").mkdir()
    shutil.copytree(SHIPPED, tmp_path / "scenarios")
    notebook = nbformat.read(ROOT / "notebooks" / "dashboard.ipynb", as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["parameters"]
    assert not any("def " in cell.source or cell.outputs for cell in code)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path / "notebooks")}}).execute()
    shown = code[-1].outputs[0]["data"]
    assert "application/vnd.jupyter.widget-view+json" in shown


class TestLanguages:
    def test_chinese_page_has_no_english_control_labels(self, folder):
        board = dash.Dashboard(folder, "base.yaml", language="zh")
        texts = [board.picker.description, board.reset_button.description, board.save_button.description,
                 board.save_name.description, board.overwrite.description, *board.groups.titles, *board.tabs.titles,
                 *(w.value for w in board.titles.values()),
                 *(c.description for k, c in board.controls.items() if controls.DRIVERS[k].kind == "flag")]
        texts += [board.intro.value, board.metrics.value, board.verdict.value, board.language_switch.tooltip]
        english = [t for t in texts if re.search(r"\b[A-Za-z]{3,}\b",
                                                 re.sub(r"<[^>]+>|SaaS|SCRM|AI|NPV|IRR|ROI|LTV|CAC", "", t))]
        assert english == []
        assert "净现值" in board.metrics.value and ("可行" in board.verdict.value)
        assert "<h2>规划看板" in board.intro.value

    def test_the_models_notes_on_undefined_figures_in_chinese(self, folder):
        board = dash.Dashboard(folder, "base.yaml", language="zh")  # no IRR, no payback within the horizon
        assert set(board.result.notes) >= {"irr", "payback_months"}
        assert "现金流从不变号" in board.metrics.value and "累计现金流在评估期内未回到零" in board.metrics.value
        assert "现金流从不变号" in board.verdict.value and "never change sign" not in board.verdict.value
        assert board.result.notes["irr"].startswith("the cash flows")  # the result itself is left as the model gave it
        board.language_switch.value = "en"
        assert "never change sign" in board.metrics.value and "never change sign" in board.verdict.value

    def test_every_note_the_model_gives_is_in_both_languages(self):
        """model.core words its notes (and the IRR's failures) in both languages; user text is shown as written."""
        from model.core.evaluation import NOTES
        from model.core.finance import irr_failure
        from model.inputs.texts import Text

        failures = [irr_failure(flows) for flows in ([-1.0, float("nan")], [1.0, 1.0], [-1.0, 2.0, -2.0])]
        for note in [*NOTES.values(), *failures]:
            assert isinstance(note, Text) and not note.zh.isascii(), note
        assert text_in("not a note", "zh") == "not a note"

    def test_the_switch_rewords_the_page_and_keeps_the_figures(self, folder):
        board = dash.Dashboard(folder, "base.yaml", language="zh")
        npv = board.result.metrics["npv"]
        board.language_switch.value = "en"
        assert board.save_button.description == "Save as scenario" and "Initial users" in board.titles["users"].value
        assert board.tabs.titles[0] == "Cumulative net cash flow" and board.result.metrics["npv"] == npv
        assert "NPV" in board.metrics.value


class TestPlannerTools:
    def test_changed_controls_are_marked_and_one_step_undo(self, board):
        before = board.result.metrics["npv"]
        board.controls["conversion"].value = 6.0
        assert board.titles["conversion"].value.startswith("<b>● ") and not board.titles["aov"].value.startswith("<b>●")
        board.undo()
        assert board.controls["conversion"].value == pytest.approx(7.5) and board.result.metrics["npv"] == before
        assert not board.titles["conversion"].value.startswith("<b>●") and board.undo_button.disabled

    def test_pin_and_compare_lists_every_changed_input_and_each_metric_change(self, board):
        board.controls["conversion"].value = 6.0
        board.pin()
        board.controls["aov"].value = 160.0
        board.controls["margin"].value = 35.0
        table = board.comparison.value
        assert 'data-path="revenue.community.aov"' in table and 'data-path="revenue.gross_margin"' in table
        assert "revenue.community.conversion" not in table  # the same in both
        assert table.count("<tr") == 1 + 2 + len(dash.COMPARED_METRICS)
        assert ">Average order value</td><td>150.0 元/order</td><td>160.0 元/order</td>" in table  # by the control's name
        assert ">Gross margin</td><td>40.0% of counted revenue</td><td>35.0% of counted revenue</td>" in table

    def test_compare_names_inputs_and_values_in_the_pages_language(self, folder):
        board = dash.Dashboard(folder, "base.yaml", language="zh")
        board.pin()
        board.controls["conversion"].value = 8.2
        board.controls["saas"].value = not board.controls["saas"].value
        board.controls["investment"].value = 400.0  # one control over several inputs: each by its meaning
        table = board.comparison.value
        assert ">转化率</td><td>7.5%</td><td>8.2%</td>" in table
        assert ">措施：用 SaaS SCRM 替代定制开发</td><td>否</td><td>是</td>" in table
        assert '<td title="investment.tech">初始技术投入（第 0 个月）</td>' in table
        assert not re.search(r"\b(True|False)\b", table)

    def test_inputs_no_control_sets_are_named_by_the_schema(self):
        assert views.input_name("revenue.community.aov", "zh") == "客单价"
        assert views.input_name("users.initial") == "Initial users"
        assert views.input_name("tax.income_tax_rate", "zh") == FIELDS["tax.income_tax_rate"].help_zh
        assert views.input_name("no.such.input") == "no.such.input"
        assert views.input_value("users.initial", 1e6, "zh") == "1,000,000 人"
        assert views.input_value("investment.tech", 1.5e6) == "150.0 万元"
        assert views.input_value("users.growth_monthly.pilot", 0.05, "zh") == "5.0%/月"
        assert views.input_value("tax.income_tax_rate", 0.25) == "0.25" and views.input_value("x", None) == "–"

    def test_an_export_is_cleared_when_the_setting_changes(self, board):
        board.export()
        assert "download=" in board.downloads.value
        board.controls["conversion"].value = 6.0
        assert board.downloads.value == ""  # the files were for the previous setting

    def test_switching_scenario_with_unsaved_changes_asks_first(self, board):
        board.controls["conversion"].value = 6.0
        board.picker.value = "study_head.yaml"
        assert board.base.file.endswith("base.yaml") and "unsaved changes" in board.status.value
        board.picker.value = "study_head.yaml"  # picked again: the changes are discarded
        assert board.base.file.endswith("study_head.yaml")

    def test_a_name_without_yaml_is_completed_and_chinese_names_are_fine(self, board, folder):
        board.controls["conversion"].value = 6.0
        board.save_name.value = "方案二"
        assert board.save() == folder / "方案二.yaml" and (folder / "方案二.yaml").is_file()

    def test_chart_colours_stay_the_same_on_every_update(self, board):
        ax = board._figures[board.tabs.titles[0]].axes[0]
        first = [line.get_color() for line in ax.lines]
        board.controls["conversion"].value = 6.0
        board.controls["conversion"].value = 7.0
        assert [line.get_color() for line in ax.lines] == first

    def test_export_offers_the_cash_flows_the_workbook_and_every_chart(self, board):
        board.controls["conversion"].value = 6.0
        files = board.export()
        names = list(files)
        assert names[:2] == ["base-dashboard-monthly.csv", "base-dashboard-annual.csv"]
        assert sum(n.endswith(".png") for n in names) == len(board.charts) and "base-dashboard.xlsx" in names
        metrics = pd.read_excel(io.BytesIO(files["base-dashboard.xlsx"]), sheet_name="metrics").set_index("metric")
        assert metrics.loc["npv", "value (monthly convention)"] == pytest.approx(board.result.metrics["npv"])
        monthly = pd.read_csv(io.BytesIO(files["base-dashboard-monthly.csv"]))
        assert monthly["net_cash_flow (CNY)"].sum() == pytest.approx(board.result.monthly["net_cash_flow"].sum())
        assert board.downloads.value.count('download="') == len(files)

    def test_render_a_report_for_this_setting(self, board, folder, tmp_path, monkeypatch):
        from model.outputs import render

        monkeypatch.setattr(render, "REPORTS", tmp_path)  # the same render as the CLI, into a test folder
        board.controls["conversion"].value = 6.0
        board.save_name.value = "rendered_case"
        report = board.render_report()
        assert report == tmp_path / "rendered_case.html" and report.is_file()
        assert (folder / "rendered_case.yaml").is_file() and "rendered_case.html" in board.status.value

    def test_an_error_appears_under_the_control_that_caused_it(self, board):
        def fail(field):
            def action():
                raise ScenarioError([InputError("dashboard", field, "must be smaller", 9)])  # set by a control
            return action

        board._guarded(fail("revenue.community.conversion"))
        assert "revenue.community.conversion: must be smaller" in board.control_errors["conversion"].value
        assert board.status.value == ""
        board._guarded(fail("adoption.uplift_months"))  # no control sets it: the message line under the picker
        assert board.control_errors["conversion"].value == "" and "adoption.uplift_months" in board.status.value
