"""Scale-out on Dask (model/risk/parallel.py): a real LocalCluster of 2 worker processes gives the local results, bit for bit."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from conftest import FEASIBLE_BASE
from model.apps.cli import main
from model.inputs.errors import ModelError
from model.outputs.sweep_files import run_sweep
from model.risk import sensitivity as sa
from model.risk.parallel import connect
from model.risk.spec import load_spec

distributed = pytest.importorskip("distributed")

SCENARIO = FEASIBLE_BASE
SPEC = f"""\
scenario: {SCENARIO}
design: lhs
samples: 6000
seed: 21
inputs:
  revenue.community.conversion: {{low: 0.5%, high: 9%}}
  revenue.community.aov: {{dist: triangular, low: 100元, mode: 150元, high: 200元}}
  timeline.horizon_months: {{values: [24, 36]}}
metrics: [npv, irr, payback_months]
"""


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  scheduler_port=0, silence_logs=50) as local:
        yield local.scheduler_address


def test_sweep_on_the_cluster_equals_the_local_sweep(cluster, tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC, encoding="utf-8")
    spec = load_spec(path)
    local = run_sweep(spec, tmp_path / "local", workers=1, chunk_variants=1024)
    remote = run_sweep(spec, tmp_path / "remote", scheduler=cluster, chunk_variants=1024)
    assert remote.chunks == local.chunks == 6
    assert pq.read_table(remote.out / "results.parquet").equals(pq.read_table(local.out / "results.parquet"))
    assert remote.metrics == local.metrics


def test_cli_scheduler_option(cluster, tmp_path, capsys):
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC.replace("samples: 6000", "samples: 500"), encoding="utf-8")
    assert main(["sweep", str(path), "--out", str(tmp_path / "a"), "--scheduler", cluster, "--json"]) == 0
    on_cluster = json.loads(capsys.readouterr().out)
    assert main(["sweep", str(path), "--out", str(tmp_path / "b"), "--json"]) == 0
    here = json.loads(capsys.readouterr().out)
    assert on_cluster["metrics"] == here["metrics"] and on_cluster["variants"] == 500


def test_sobol_samples_on_the_cluster(cluster, tmp_path):
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC.replace("samples: 6000", "samples: 64"), encoding="utf-8")
    spec = load_spec(path)
    here = sa.sensitivity(spec, workers=1)
    there = sa.sensitivity(spec, scheduler=cluster)
    for metric in here.indices:
        assert here.indices[metric].equals(there.indices[metric])


def test_unreachable_scheduler_is_one_line(tmp_path, capsys, monkeypatch):
    from model.risk import parallel

    monkeypatch.setattr(parallel, "CONNECT_TIMEOUT", "1s")
    with pytest.raises(ModelError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        connect("tcp://127.0.0.1:9")
    path = tmp_path / "spec.yaml"
    path.write_text(SPEC.replace("samples: 6000", "samples: 10"), encoding="utf-8")
    assert main(["sweep", str(path), "--out", str(tmp_path / "x"), "--scheduler", "tcp://127.0.0.1:9"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("feasibility: cannot reach the Dask scheduler") and "Traceback" not in err
