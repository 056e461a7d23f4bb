"""`render --scheduler`: the notebooks run on Dask workers that get each scenario's resolved content."""

from __future__ import annotations

import io

import pytest

from model.inputs.paths import ROOT
from model.outputs import render


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as found:
        yield found


def test_reports_rendered_on_workers_equal_the_local_ones(cluster, tmp_path):
    files = [ROOT / "scenarios" / "short_term_launch.yaml", ROOT / "scenarios" / "optimised_costs.yaml"]
    remote = render.render(files, tmp_path / "remote", jobs=2, stream=io.StringIO(),
                           scheduler=cluster.scheduler_address)
    local = render.render(files, tmp_path / "local", jobs=2, stream=io.StringIO())
    assert [o.status for o in remote] == ["rendered", "rendered"], [o.cause for o in remote]
    for far, near in zip(remote, local):
        assert far.metrics == pytest.approx(near.metrics, nan_ok=True, rel=0, abs=0)
        for suffix in (".html", ".xlsx", ".ipynb"):
            assert (tmp_path / "remote" / f"{far.stem}{suffix}").stat().st_size > 0
        page = (tmp_path / "remote" / f"{far.stem}.html").read_text(encoding="utf-8")
        assert far.name in page and "Executive summary" in page  # optimised_costs extends base: its content went along
    assert (tmp_path / "remote" / "index.html").is_file()


def test_an_unreachable_scheduler_is_one_line(tmp_path, capsys):
    from model.apps.cli import main

    assert main(["render", str(ROOT / "scenarios" / "short_term_launch.yaml"), "--out", str(tmp_path),
                 "--scheduler", "tcp://127.0.0.1:9"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("feasibility: cannot reach the Dask scheduler at tcp://127.0.0.1:9")
