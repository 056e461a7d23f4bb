"""Warm render kernels: a report is the same alone or after others in the same kernel; kernels are reset,
replaced when they die, and stopped at the end of a batch."""

from __future__ import annotations

import json
import os
import re
import signal
import time
from pathlib import Path

import nbformat
import pytest

from model.outputs import render
from model.outputs.kernels import KernelPool
from model.inputs.paths import ROOT

SCENARIOS = ROOT / "scenarios"


RENDERED_AT = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")  # the summary's render time (to the minute)


def _outputs(notebook: Path) -> list[tuple]:
    """Every code cell's source, execution count and outputs (what the report shows), in order; the
    render time in the summary's provenance is blanked."""
    book = nbformat.read(notebook, as_version=4)
    return [(cell.source, cell.execution_count, RENDERED_AT.sub("(time)", json.dumps(cell.outputs, sort_keys=True)))
            for cell in book.cells if cell.cell_type == "code"]


def _kernel_children() -> list[int]:
    """Process ids of IPython kernels below this test process (its children, theirs, …) still running."""
    parents, commands = {}, {}
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid = int(status.parent.name)
            parents[pid] = int(status.read_text().rsplit(")", 1)[1].split()[1])
            commands[pid] = (status.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue

    def below(pid: int) -> bool:
        while pid in parents and pid > 1:
            pid = parents[pid]
            if pid == os.getpid():
                return True
        return False

    return [pid for pid, command in commands.items() if b"ipykernel" in command and below(pid)]


@pytest.mark.parametrize("language", ["zh"])  # the other language: the processes' test below
def test_a_report_is_the_same_alone_and_after_another_in_the_same_kernel(tmp_path, language):
    alone = render.render([SCENARIOS / "study_mid.yaml"], tmp_path / "alone", jobs=1, language=language,
                          stream=open(os.devnull, "w"))
    after = render.render([SCENARIOS / "base.yaml", SCENARIOS / "study_mid.yaml"], tmp_path / "after", jobs=1,
                          language=language, stream=open(os.devnull, "w"))
    assert all(outcome.ok for outcome in alone + after), [outcome.cause for outcome in alone + after]
    first, second = _outputs(tmp_path / "alone" / "study_mid.ipynb"), _outputs(tmp_path / "after" / "study_mid.ipynb")
    assert [cell[1] for cell in second] == list(range(1, len(second) + 1))  # counted from 1, as in a fresh kernel
    assert len(first) == len(second)
    for one, other in zip(first, second):
        assert one == other, f"the cell {one[0]!r} differs after another report in the same kernel"
    assert _kernel_children() == []  # the batch stopped its kernels


def test_two_render_threads_give_the_reports_one_gives_and_stop_their_kernels(tmp_path):
    files = [SCENARIOS / "short_term_launch.yaml", SCENARIOS / "study_mid.yaml", SCENARIOS / "study_startup.yaml"]
    one = render.render(files, tmp_path / "j1", jobs=1, stream=open(os.devnull, "w"))
    two = render.render(files, tmp_path / "j2", jobs=2, stream=open(os.devnull, "w"))  # a warm kernel each
    assert [o.status for o in one] == [o.status for o in two] == ["rendered"] * 3
    assert [json.dumps(o.metrics, sort_keys=True) for o in one] == [json.dumps(o.metrics, sort_keys=True)
                                                                      for o in two]  # NaN equal to NaN
    for path in files:
        assert _outputs(tmp_path / "j1" / f"{path.stem}.ipynb") == _outputs(tmp_path / "j2" / f"{path.stem}.ipynb")
    assert _kernel_children() == []


def test_a_kernel_is_reset_between_reports_and_replaced_when_it_dies():
    pool = KernelPool(render.KERNEL, render.KERNEL_ARGUMENTS)
    try:
        kernel = pool.kernel()
        kernel._run("import warnings, matplotlib\nleft_behind = 1\nmatplotlib.rcParams['lines.linewidth'] = 9\n"
                    "warnings.simplefilter('error')")
        assert pool.kernel() is kernel
        kernel._run("assert 'left_behind' not in globals()\nimport warnings, matplotlib\n"
                    "assert matplotlib.rcParams['lines.linewidth'] != 9\n"
                    "assert ('error', None, Warning, None, 0) not in warnings.filters")
        os.kill(kernel.manager.provisioner.process.pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while kernel.alive():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        replacement = pool.kernel()
        assert replacement is not kernel and replacement.alive()
    finally:
        pool.close()
    assert _kernel_children() == []
    with pytest.raises(RuntimeError, match="interrupted"):
        pool.kernel()  # a closed pool starts nothing more
