"""A sweep's files (model/outputs/sweep_files.py): Parquet and CSV results, spec copy, resume, scenarios."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pyarrow.parquet as pq
import pytest

from conftest import FEASIBLE_BASE, ROOT
from model.apps.cli import main
from model.core.evaluation import evaluate
from model.inputs.errors import ScenarioError
from model.inputs.scenario import load_scenario
from model.outputs import sweep_files
from model.risk.spec import load_spec
from model.risk.sweep import pick_variants

SCENARIO = FEASIBLE_BASE
GRID = f"""\
scenario: {SCENARIO}
design: grid
inputs:
  revenue.community.conversion: {{values: [0.5%, 2%, 6%]}}
  revenue.community.aov: {{values: [120元, 180元]}}
  timeline.horizon_months: {{values: [24, 36]}}
  revenue.basis: {{values: [incremental, gross]}}
  tax.capitalised: {{values: [[tech], [tech, content]]}}
metrics: [npv, irr, payback_months]
"""
LHS = f"""\
scenario: {SCENARIO}
design: lhs
samples: 20000
seed: 3
inputs:
  revenue.community.conversion: {{low: 0.5%, high: 9%}}
  revenue.community.aov: {{dist: pert, low: 100元, mode: 150元, high: 200元}}
metrics: [npv, irr, payback_months]
"""


def spec_file(tmp_path, text: str):
    path = tmp_path / "study.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


class TestOutputs:
    def test_files_and_columns(self, tmp_path):
        spec = load_spec(spec_file(tmp_path, GRID))
        run = sweep_files.run_sweep(spec, tmp_path / "out", workers=1)
        out = tmp_path / "out"
        assert sorted(p.name for p in out.iterdir()) == ["results.csv", "results.parquet", "spec.yaml", "sweep.json"]
        assert (out / "spec.yaml").read_text(encoding="utf-8") == GRID
        table = pq.read_table(out / "results.parquet")
        assert table.column_names == ["variant", *spec.paths, *spec.metrics]
        assert table.num_rows == run.variants == 48
        assert set(run.to_json()) >= {"variants", "seconds", "out", "metrics"}
        assert set(run.metrics["npv"]) == {"mean", "p5", "p50", "p95"}
        npv = table.column("npv").to_numpy()
        assert run.metrics["npv"]["p50"] == pytest.approx(np.percentile(npv, 50))

    def test_csv_cells_reproduce_the_row_with_run_set(self, tmp_path, capsys):
        spec = load_spec(spec_file(tmp_path, GRID))
        sweep_files.run_sweep(spec, tmp_path / "out", workers=1)
        rows = read_csv(tmp_path / "out" / "results.csv")
        assert rows[0]["tax.capitalised"] in ("[tech]", "[tech, content]")
        for row in rows[::7]:
            argv = ["run", str(SCENARIO), "--json"]
            for path in spec.paths:
                argv += ["--set", f"{path}={row[path]}"]
            assert main(argv) == 0
            expected = json.loads(capsys.readouterr().out)
            for metric in spec.metrics:
                if expected[metric] is None:
                    assert row[metric] == ""
                else:
                    assert float(row[metric]) == pytest.approx(expected[metric], rel=1e-9)

    def test_csv_only_up_to_the_limit_unless_asked(self, tmp_path, monkeypatch):
        spec = load_spec(spec_file(tmp_path, GRID))
        monkeypatch.setattr(sweep_files, "CSV_LIMIT", 10)
        sweep_files.run_sweep(spec, tmp_path / "a", workers=1)
        assert not (tmp_path / "a" / "results.csv").exists()
        sweep_files.run_sweep(spec, tmp_path / "b", workers=1, csv=True)
        assert len(read_csv(tmp_path / "b" / "results.csv")) == 48

    def test_csv_text_cells_are_neutralised(self):
        assert [sweep_files.csv_text(v) for v in ("=cmd|' /C calc'!A0", "+1", "-2", "@x", "gross", 5, -3.5)] == \
            ["'=cmd|' /C calc'!A0", "'+1", "'-2", "'@x", "gross", 5, -3.5]
        table = sweep_files.to_table({"a": np.array([-1.5, 2.0]), "b": np.array(["=1+1", "ok"], dtype=object)})
        safe = sweep_files.csv_safe_table(table)
        assert safe.column("b").to_pylist() == ["'=1+1", "ok"] and safe.column("a").to_pylist() == [-1.5, 2.0]

    def test_emitted_scenarios_extend_the_base_and_reproduce_the_rows(self, tmp_path):
        spec = load_spec(spec_file(tmp_path, GRID))
        run = sweep_files.run_sweep(spec, tmp_path / "out", workers=1)
        picks = ["p5", "p50", "p95", "worst", "best"]
        written = sweep_files.emit_scenarios(run, picks)
        table = run.table()
        rows = pick_variants(table["npv"].to_numpy(), picks)
        for pick, path in written.items():
            assert path.parent == tmp_path / "out" / "scenarios" and path.name == f"study_{pick}.yaml"
            assert "extends: " in path.read_text(encoding="utf-8")
            npv = evaluate(load_scenario(path)).metrics["npv"]
            assert npv == pytest.approx(table["npv"].iloc[rows[pick]], rel=1e-9), pick
        assert evaluate(load_scenario(written["worst"])).metrics["npv"] == pytest.approx(table["npv"].min(), rel=1e-9)

    @pytest.mark.parametrize("text", ["p5,p200", "median", ""])
    def test_bad_picks(self, text):
        with pytest.raises(ScenarioError):
            sweep_files.parse_picks(text)


class TestResume:
    def test_an_interrupted_sweep_resumes_where_it_stopped(self, tmp_path):
        spec = load_spec(spec_file(tmp_path, LHS))
        reference = sweep_files.run_sweep(spec, tmp_path / "ref", workers=1, chunk_variants=2048).table()

        def stop_after_three(chunk):
            if chunk == 2:
                raise KeyboardInterrupt

        with pytest.raises(KeyboardInterrupt):
            sweep_files.run_sweep(spec, tmp_path / "out", workers=1, chunk_variants=2048, on_chunk=stop_after_three)
        chunks = sorted(p.name for p in (tmp_path / "out" / "chunks").glob("chunk-*.arrow"))
        assert chunks == ["chunk-000000.arrow", "chunk-000001.arrow", "chunk-000002.arrow"]
        computed = []
        run = sweep_files.run_sweep(spec, tmp_path / "out", workers=1, chunk_variants=2048, on_chunk=computed.append)
        assert sorted(computed) == list(range(3, 10)) and run.reused_chunks == 3
        assert run.table().equals(reference)
        assert not (tmp_path / "out" / "chunks").exists()

    def test_resume_after_a_kill(self, tmp_path):
        path = spec_file(tmp_path, LHS.replace("samples: 20000", "samples: 100000").replace(
            "dist: pert, low: 100元, mode: 150元, high: 200元", "low: 100元, high: 200元"))
        out = tmp_path / "out"
        argv = [sys.executable, "-m", "model.apps.cli", "sweep", str(path), "--out", str(out), "--chunk", "1024",
                "--workers", "1", "--json"]
        process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120
        while len(list((out / "chunks").glob("chunk-*.arrow"))) < 2 and time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read().decode()
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait()
        done = len(list((out / "chunks").glob("chunk-*.arrow")))
        assert 2 <= done < 98 and not (out / "results.parquet").exists(), f"{done} chunks done before the kill"
        resumed = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert resumed.returncode == 0, resumed.stderr
        report = json.loads(resumed.stdout)
        assert report["variants"] == 100_000 and report["chunks"] == {"total": 98, "reused": done}
        fresh = sweep_files.run_sweep(load_spec(path), tmp_path / "fresh", chunk_variants=1024, workers=2)
        assert pq.read_table(out / "results.parquet").equals(pq.read_table(fresh.out / "results.parquet"))

    def test_a_changed_spec_is_refused_unless_fresh(self, tmp_path, capsys):
        path = spec_file(tmp_path, LHS)
        spec = load_spec(path)
        with pytest.raises(KeyboardInterrupt):
            sweep_files.run_sweep(spec, tmp_path / "out", workers=1, chunk_variants=2048,
                                  on_chunk=lambda k: (_ for _ in ()).throw(KeyboardInterrupt))
        path.write_text(LHS.replace("seed: 3", "seed: 4"), encoding="utf-8")
        assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--chunk", "2048"]) == 2
        err = capsys.readouterr().err.strip()
        assert err.startswith(f"{path}: (spec): differs from the interrupted sweep in {tmp_path / 'out'}")
        assert "--fresh" in err and len(err.splitlines()) == 1
        assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--chunk", "2048", "--fresh", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["chunks"]["reused"] == 0

    def test_a_finished_sweep_is_not_redone(self, tmp_path):
        spec = load_spec(spec_file(tmp_path, GRID))
        first = sweep_files.run_sweep(spec, tmp_path / "out", workers=1)
        again = sweep_files.run_sweep(spec, tmp_path / "out", workers=1, on_chunk=lambda k: pytest.fail("recomputed"))
        assert again.metrics == first.metrics and again.reused_chunks == again.chunks


def test_sweep_cli_json_keys(tmp_path, capsys):
    path = spec_file(tmp_path, GRID)
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data)[:4] == ["variants", "seconds", "out", "metrics"]
    assert data["variants"] == 48 and data["out"] == str(tmp_path / "out")
    assert list(data["metrics"]) == ["npv", "irr", "payback_months"]
    assert all(list(v) == ["mean", "p5", "p50", "p95"] for v in data["metrics"].values())


def test_progress_bar_only_on_a_terminal(tmp_path, capsys):
    spec = load_spec(spec_file(tmp_path, GRID))
    sweep_files.run_sweep(spec, tmp_path / "out", workers=1)
    assert capsys.readouterr().err == ""


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal(tmp_path):
    spec = load_spec(spec_file(tmp_path, GRID))
    leader, follower = os.openpty()
    with os.fdopen(follower, "w") as terminal:
        sweep_files.run_sweep(spec, tmp_path / "out", workers=1, stream=terminal)
    os.set_blocking(leader, False)
    shown = os.read(leader, 65536).decode(errors="replace")
    os.close(leader)
    assert "sweep" in shown and "48" in shown
