"""Benchmark: rendering reports — where a report's time goes, -j 2 against -j 1, and the papermill floor.

Prints, on this machine and in one run (the machine is shared: compare within a run):

1. the **papermill floor**: the best of ``--repeats`` runs of a notebook that only imports the
   package and draws one chart (kernel start, imports, one chart, kernel stop);
2. where one report's time goes (``scenarios/base.yaml``): kernel start and stop, each group
   of notebook cells (from papermill's per-cell durations), the HTML export, the workbook and
   the index figures;
3. ``--variants`` variants of base (each a scenario file that ``extends:`` it with another
   conversion and order value) rendered with ``-j 1`` and with ``-j 2``: wall time, seconds per
   report, and the speed-up.

Targets (issue "Batch studies at scale"): the speed-up ≥ 1.7×; a report at -j 1 ≤ 1.5× the floor.

Run: ``.venv/bin/python benchmarks/bench_render.py [--variants 20] [--repeats 3]``
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402

from model.outputs import render as rendering  # noqa: E402

FLOOR_CELLS = [
    "scenario_path = ''",
    "from model.core.evaluation import evaluate\nfrom model.inputs.scenario import load_scenario\n"
    "from model.outputs import plots",
    "plots.show(plots.cost_chart(evaluate(load_scenario(scenario_path))))",
]
#: Report cells grouped by what they do (matched on the cell's source).
GROUPS = (("imports", ("import ",)), ("charts", ("plots.show",)), ("audit", ("audit_table",)),
          ("risk analysis", ("risk.analyse",)), ("summary and bridge", ("summary.",)))

#: The render's own stages (``Outcome.stages``), as printed.
STAGES = {"notebook": "notebook, kernel start to stop", "html": "HTML export (render process)",
          "workbook": "workbook (render process)", "risk analysis": "risk analysis for index and workbook (render process)"}


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def papermill_seconds(notebook: Path, out: Path, scenario: Path) -> float:
    """Wall time of one papermill run (kernel start to kernel stop), with the render's settings."""
    start = time.perf_counter()
    rendering.execute_notebook(notebook, out, {"scenario_path": str(scenario)})
    return time.perf_counter() - start


def floor(folder: Path, repeats: int) -> float:
    """The best papermill time of the one-chart notebook, s."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in FLOOR_CELLS])
    notebook.cells[0].metadata["tags"] = ["parameters"]
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "floor.ipynb"
    nbformat.write(notebook, path)
    return min(papermill_seconds(path, folder / "floor-out.ipynb", ROOT / "scenarios" / "base.yaml")
               for _ in range(repeats))


def breakdown(folder: Path) -> dict[str, float]:
    """Seconds spent in each part of one report of base.yaml (one render, -j 1)."""
    out = folder / "one"
    start = time.perf_counter()
    outcome, = rendering.render([ROOT / "scenarios" / "base.yaml"], out, jobs=1, stream=io.StringIO())
    whole = time.perf_counter() - start
    executed = json.loads((out / "base.ipynb").read_text(encoding="utf-8"))
    parts = dict.fromkeys([name for name, _ in GROUPS] + ["other cells"], 0.0)
    cells = [c for c in executed["cells"] if c["cell_type"] == "code"]
    for cell in cells:
        seconds = cell["metadata"].get("papermill", {}).get("duration") or 0.0
        source = "".join(cell["source"])
        group = next((name for name, keys in GROUPS if any(k in source for k in keys)), "other cells")
        parts[group] += seconds
    parts["kernel start and stop"] = outcome.stages["notebook"] - sum(parts.values())
    parts.update({STAGES[stage]: seconds for stage, seconds in outcome.stages.items()})
    parts["whole render (index included)"] = whole
    return parts


def variants(folder: Path, count: int) -> list[Path]:
    """``count`` scenario files extending base.yaml, each with another conversion and order value."""
    paths = []
    for i in range(count):
        path = folder / f"variant_{i:02d}.yaml"
        path.write_text(f"extends: {ROOT / 'scenarios' / 'base.yaml'}\nname: variant {i}\n"
                        f"revenue:\n  community:\n    conversion: {4 + 0.25 * i}%\n    aov: {120 + 3 * i}元\n",
                        encoding="utf-8")
        paths.append(path)
    return paths


def batch_seconds(paths: list[Path], out: Path, jobs: int) -> float:
    start = time.perf_counter()
    outcomes = rendering.render(paths, out, jobs=jobs, stream=io.StringIO())
    seconds = time.perf_counter() - start
    failed = [o.cause for o in outcomes if not o.ok]
    if failed:
        raise SystemExit(f"render failed: {failed[0]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(load())
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        folder = Path(tmp)
        base_floor = floor(folder, args.repeats)
        print(f"papermill floor (import the package, draw one chart): {base_floor:.2f} s (best of {args.repeats})")
        parts = breakdown(folder)
        print("one report of base.yaml, -j 1:")
        for name, seconds in parts.items():
            print(f"  {name:50s} {seconds:6.2f} s")
        paths = variants(folder, args.variants)
        serial = batch_seconds(paths, folder / "j1", 1)
        parallel = batch_seconds(paths, folder / "j2", 2)
        per_report = serial / len(paths)
        print(f"{len(paths)} variants: -j 1 {serial:.1f} s ({per_report:.2f} s a report), "
              f"-j 2 {parallel:.1f} s ({parallel / len(paths):.2f} s a report): speed-up {serial / parallel:.2f}×")
        print(f"a report at -j 1 / the floor: {per_report / base_floor:.2f}× (target ≤ 1.5×)")
    print(load())


if __name__ == "__main__":
    main()
