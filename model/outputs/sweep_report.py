"""The sweep report: ``notebooks/sweep.ipynb`` over a sweep's folder, rendered by papermill to HTML.

``feasibility sweep SPEC --report`` runs the notebook on ``DIR`` and writes ``DIR/report.html``
(no code, charts embedded, opens offline; ``--language zh`` in Chinese) and the executed
``DIR/report.ipynb``. The notebook calls this module once per cell: the summary, a map of NPV
over two inputs with the NPV = 0 line, the feasible region (the share of variants with NPV > 0
there), the distribution of each metric, the Sobol indices of NPV (bar chart with confidence
intervals) and the PRIM boxes where NPV < 0. Money is shown in 万元.

The texts of this report are the ``sweep_*`` labels (both languages, :mod:`model.outputs.sweep_labels`); metric names come from
:func:`model.outputs.labels.label`.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import yaml

from ..core.metrics import METRIC_UNITS
from ..inputs.paths import NOTEBOOKS
from ..inputs.units import money_scale
from .labels import check_language, label
from .plots import use_cjk_fonts
from .report import format_metric

NOTEBOOK = NOTEBOOKS / "sweep.ipynb"
MAP_BINS = 24



def text(key: str, language: str = "en") -> str:
    """The sweep report's label ``key`` (``sweep_KEY`` in the label registry) in ``language``."""
    return label(f"sweep_{key}", language)


@dataclass
class SweepData:
    """A finished sweep read back: its results, the inputs and metrics, its spec (file and copy)."""

    folder: Path
    table: pd.DataFrame
    inputs: list[str]
    metrics: list[str]
    spec_path: Path
    spec: dict
    summary: dict


def load(folder: str | Path, spec_path: str | Path | None = None) -> SweepData:
    """The sweep in ``folder``; ``spec_path`` is the original spec (its scenario path is relative to it)."""
    folder = Path(folder)
    spec = yaml.safe_load((folder / "spec.yaml").read_text(encoding="utf-8"))
    table = pq.read_table(folder / "results.parquet").to_pandas()
    inputs = [str(p) for p in spec["inputs"]]
    metrics = [c for c in table.columns if c not in inputs and c != "variant"]
    summary = json.loads((folder / "sweep.json").read_text(encoding="utf-8"))
    return SweepData(folder, table, inputs, metrics, Path(spec_path) if spec_path else folder / "spec.yaml", spec,
                     summary)


def summary_html(data: SweepData, language: str = "en") -> str:
    """The title, the spec in brief and each metric's mean, P5, P50, P95."""
    rows = [(text("spec", language), data.spec_path.name), (text("scenario", language), data.spec.get("scenario")),
            (text("design", language), data.spec.get("design", "grid")),
            (text("variants", language), f"{len(data.table):,}"),
            (text("inputs", language), ", ".join(data.inputs))]
    head = "".join(f"<tr><th class='text'>{html.escape(str(k))}</th><td class='text'>{html.escape(str(v))}</td></tr>"
                   for k, v in rows)
    stats = ["mean", "p5", "p50", "p95"]
    body = "".join(
        f"<tr><td class='text'>{html.escape(label(m, language) if m in METRIC_UNITS else m)}</td>"
        + "".join(f"<td class='num'>{html.escape(format_metric(m, np.nan if s.get(k) is None else s[k], language))}"
                  "</td>" for k in stats) + "</tr>"
        for m, s in data.summary.get("metrics", {}).items())
    names = [text("metric", language), text("mean", language), "P5", "P50", "P95"]
    positive = float(np.mean(data.table["npv"] > 0)) if "npv" in data.table else np.nan
    share = (f"<p>{html.escape(text('share_positive', language))}: {positive:.1%}</p>"
             if np.isfinite(positive) else "")
    return (f"<h1>{html.escape(text('title', language))}</h1><table class='report'>{head}</table>"
            f"<table class='report'><tr>{''.join(f'<th>{html.escape(n)}</th>' for n in names)}</tr>{body}</table>"
            + share)


def axes_inputs(data: SweepData, x: str | None = None, y: str | None = None) -> list[str]:
    """The two inputs of the map: ``x`` and ``y`` if given, else the first numeric inputs that vary."""
    varying = [p for p in data.inputs if pd.api.types.is_numeric_dtype(data.table[p])
               and not pd.api.types.is_bool_dtype(data.table[p]) and data.table[p].nunique() > 1]
    chosen = [p for p in (x, y) if p]
    return (chosen + [p for p in varying if p not in chosen])[:2]


def binned(table: pd.DataFrame, x: str, y: str, values: np.ndarray, bins: int = MAP_BINS):
    """Cell edges on x and y and the mean of ``values`` per cell (NaN where empty); a grid keeps its own points."""
    def edges(column: pd.Series) -> np.ndarray:
        points = np.unique(column.to_numpy(dtype=float))
        if len(points) <= bins:
            middle = 0.5 * (points[:-1] + points[1:])
            first, last = points[0] - (middle[0] - points[0]), points[-1] + (points[-1] - middle[-1])
            return np.concatenate([[first], middle, [last]])
        return np.linspace(points[0], points[-1], bins + 1)

    ex, ey = edges(table[x]), edges(table[y])
    counts, _, _ = np.histogram2d(table[x], table[y], bins=[ex, ey])
    sums, _, _ = np.histogram2d(table[x], table[y], bins=[ex, ey], weights=values)
    with np.errstate(invalid="ignore", divide="ignore"):
        return ex, ey, (sums / counts).T


def show_map(data: SweepData, x: str | None = None, y: str | None = None, language: str = "en", boxes=None):
    """Mean NPV (万元, 亿元 from 1亿) over two inputs with the NPV = 0 contour, and the first PRIM box drawn if it
    restricts them."""
    pair = axes_inputs(data, x, y)
    if len(pair) < 2:
        return _show_line(data, pair, language)
    fig, ax = plt.subplots(figsize=(8, 5.5))
    scale, unit = money_scale(data.table["npv"])
    ex, ey, mean = binned(data.table, pair[0], pair[1], data.table["npv"].to_numpy(dtype=float) / scale)
    mesh = ax.pcolormesh(ex, ey, mean, cmap="RdYlGn", shading="flat",
                         norm=_centred(mean))
    fig.colorbar(mesh, ax=ax, label=f"{label('npv', language)} ({unit})")
    _zero_line(ax, ex, ey, mean, 0.0, "-")
    for box in (boxes or [])[:1]:
        _draw_box(ax, box, pair, ex, ey)
    ax.set_xlabel(pair[0])
    ax.set_ylabel(pair[1])
    ax.set_title(text("map_title", language), fontsize="medium")
    return fig


def show_feasible(data: SweepData, x: str | None = None, y: str | None = None, language: str = "en"):
    """The share of variants with NPV > 0 over two inputs (1 = all feasible), with its half line."""
    pair = axes_inputs(data, x, y)
    if len(pair) < 2:
        return None
    fig, ax = plt.subplots(figsize=(8, 5.5))
    ex, ey, share = binned(data.table, pair[0], pair[1], (data.table["npv"].to_numpy(dtype=float) > 0).astype(float))
    mesh = ax.pcolormesh(ex, ey, share, cmap="Greens", vmin=0.0, vmax=1.0, shading="flat")
    fig.colorbar(mesh, ax=ax, label=text("share_positive", language))
    _zero_line(ax, ex, ey, share, 0.5, "--")
    ax.set_xlabel(pair[0])
    ax.set_ylabel(pair[1])
    ax.set_title(text("feasible_title", language), fontsize="medium")
    return fig


def _centred(values: np.ndarray):
    from matplotlib.colors import TwoSlopeNorm

    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (-1.0, 1.0)
    if low < 0 < high:
        return TwoSlopeNorm(vcenter=0.0, vmin=low, vmax=high)
    return plt.Normalize(low, high if high > low else low + 1.0)


def _zero_line(ax, ex, ey, grid, level: float, style: str) -> None:
    cx, cy = 0.5 * (ex[:-1] + ex[1:]), 0.5 * (ey[:-1] + ey[1:])
    finite = grid[np.isfinite(grid)]
    if len(cx) > 1 and len(cy) > 1 and finite.size and finite.min() < level < finite.max():
        ax.contour(cx, cy, np.ma.masked_invalid(grid), levels=[level], colors="black", linestyles=style, linewidths=1.5)


def _draw_box(ax, box, pair, ex, ey) -> None:
    from matplotlib.patches import Rectangle

    lx = box.limits.get(pair[0], (ex[0], ex[-1]))
    ly = box.limits.get(pair[1], (ey[0], ey[-1]))
    restricts = pair[0] in box.limits or pair[1] in box.limits
    if not (isinstance(lx, tuple) and isinstance(ly, tuple) and restricts):
        return
    ax.add_patch(Rectangle((lx[0], ly[0]), lx[1] - lx[0], ly[1] - ly[0], fill=False, edgecolor="navy",
                           linewidth=2, linestyle=":", label="PRIM"))
    ax.legend(loc="upper left", fontsize="small")


def _show_line(data: SweepData, pair: list[str], language: str):
    fig, ax = plt.subplots(figsize=(8, 4))
    scale, unit = money_scale(data.table["npv"])
    if pair:
        order = data.table.sort_values(pair[0])
        ax.plot(order[pair[0]], order["npv"] / scale, ".", markersize=3)
        ax.axhline(0.0, color="black", linewidth=1)
        ax.set_xlabel(pair[0])
    ax.set_ylabel(f"{label('npv', language)} ({unit})")
    ax.set_title(text("one_input", language), fontsize="medium")
    return fig


def show_distributions(data: SweepData, language: str = "en"):
    """A histogram of each metric over the variants, P1 to P99 (money in 万元 or 亿元, rates in %)."""
    names = [m for m in data.metrics if data.table[m].notna().any()]
    fig, axes = plt.subplots(len(names), 1, figsize=(8, 2.6 * max(1, len(names))), squeeze=False)
    for ax, name in zip(axes[:, 0], names):
        values = data.table[name].to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        unit = METRIC_UNITS.get(name, "")
        scale, shown = money_scale(values) if unit.startswith("CNY") else \
            (0.01, "%") if unit.startswith("fraction") else (1, unit)
        shown_range = tuple(np.percentile(values / scale, [1, 99])) if values.size else None
        if shown_range and shown_range[0] == shown_range[1]:
            shown_range = None
        ax.hist(values / scale, bins=50, range=shown_range, color="#4c72b0")  # P1-P99: IRRs run to huge values
        ax.set_xlabel(f"{label(name, language) if name in METRIC_UNITS else name} ({shown}; P1–P99)")
        ax.set_ylabel(text("count", language))
    fig.suptitle(text("distributions", language))
    fig.tight_layout()
    return fig


def sobol(data: SweepData, samples: int = 256, scheduler: str | None = None):
    """Sobol indices of NPV for the sweep's spec (:func:`model.risk.sensitivity.sensitivity`)."""
    from ..risk.sensitivity import sensitivity
    from ..risk.spec import load_spec

    return sensitivity(load_spec(data.spec_path, force=True), "sobol", samples=samples, scheduler=scheduler,
                       metrics=("npv",))


def show_sobol(found, language: str = "en"):
    """Bars of S1 and ST per input with their confidence intervals; a note (displayed) when there are none."""
    from IPython.display import HTML, display

    table = found.indices["npv"]
    if "npv" in found.notes:
        display(HTML(f"<p>{html.escape(text('no_sobol', language).format(why=found.notes['npv']))}</p>"))
        return None
    fig, ax = plt.subplots(figsize=(8, 0.6 * len(table) + 1.5))
    rows = np.arange(len(table))
    ax.barh(rows - 0.2, table["S1"], 0.4, xerr=table["S1_conf"], label="S1", color="#4c72b0")
    ax.barh(rows + 0.2, table["ST"], 0.4, xerr=table["ST_conf"], label="ST", color="#dd8452")
    ax.set_yticks(rows, table.index)
    ax.invert_yaxis()
    ax.set_xlim(min(0.0, float(np.nanmin(table["S1"] - table["S1_conf"]))), 1.05)
    ax.legend(loc="lower right")
    ax.set_title(text("sobol_title", language), fontsize="medium")
    ax.set_xlabel(text("sobol_note", language).format(n=found.samples, evaluations=found.variants, seed=found.seed))
    fig.tight_layout()
    return fig


def boxes(data: SweepData):
    """PRIM boxes where NPV < 0 (:func:`model.risk.discovery.discover`)."""
    from ..risk.discovery import discover

    return discover(data.table, data.inputs, "npv", below=0.0).boxes


def boxes_html(found: list, language: str = "en") -> str:
    """The boxes as a table: coverage, density and the input ranges each sets."""
    title = f"<h2>{html.escape(text('boxes_title', language))}</h2>"
    if not found:
        return title + f"<p>{html.escape(text('no_boxes', language))}</p>"
    head = "".join(f"<th>{html.escape(text(k, language))}</th>" for k in ("box", "coverage", "density", "limits"))
    rows = []
    for i, box in enumerate(found, start=1):
        limits = "; ".join(f"{name}: {v[0]:.4g} – {v[1]:.4g}" if isinstance(v, tuple) else
                           f"{name}: {', '.join(map(str, sorted(v, key=str)))}" for name, v in box.limits.items())
        rows.append(f"<tr><td class='num'>{i}</td><td class='num'>{box.coverage:.1%}</td><td class='num'>"
                    f"{box.density:.1%}</td><td class='text'>"
                    f"{html.escape(limits or text('whole_space', language))}</td></tr>")
    return (title + f"<table class='report'><tr>{head}</tr>{''.join(rows)}</table>"
            f"<p class='report-note'>{html.escape(text('boxes_note', language))}</p>")


def render_sweep_report(run, language: str = "en", *, scheduler: str | None = None, x: str | None = None,
                        y: str | None = None, sobol_samples: int = 256, notebook: Path = NOTEBOOK) -> Path:
    """Run the sweep notebook on ``run`` (a :class:`~model.outputs.sweep_files.SweepRun`) and export
    ``report.html`` (no code) beside its results; returns its path. ``scheduler`` runs the Sobol
    samples on Dask."""
    import os

    from .render import execute_notebook, export_html

    check_language(language)
    out = Path(run.out).resolve()
    executed = execute_notebook(notebook, out / "report.ipynb", {
        "sweep_dir": str(out), "spec_path": str(Path(run.spec.file).resolve()), "language": language,
        "x_input": x, "y_input": y, "sobol_samples": int(sobol_samples), "scheduler": scheduler})
    page = out / "report.html"
    temporary = page.with_name(page.name + ".tmp")
    temporary.write_text(export_html(executed, f"{text('title', language)} — {Path(run.spec.file).stem}", language),
                         encoding="utf-8")
    os.replace(temporary, page)
    return page


def setup(language: str = "en") -> None:
    """Fonts for the report's language (Chinese glyphs for zh)."""
    use_cjk_fonts(language)


__all__ = ["NOTEBOOK", "text", "SweepData", "load", "summary_html", "axes_inputs", "binned", "show_map",
           "show_feasible", "show_distributions", "sobol", "show_sobol", "boxes", "boxes_html",
           "render_sweep_report", "setup"]
