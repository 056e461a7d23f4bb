"""Sweeps (model/risk/spec.py, sweep.py, parallel.py): specs, designs, and every row against `run --set`."""

from __future__ import annotations

import json
import math
import textwrap

import numpy as np
import pytest

from conftest import FEASIBLE_BASE
from model.apps.cli import main
from model.core.evaluation import evaluate
from model.inputs.errors import ScenarioError
from model.risk import sweep
from model.risk.parallel import evaluate_all, run_chunks, sweep_table
from model.risk.spec import load_spec

#: A profitable plan (the base case before the finance-grade economics), so IRR and payback vary.
SCENARIO = FEASIBLE_BASE
GRID = f"""\
scenario: {SCENARIO}
design: grid
inputs:
  revenue.community.conversion: {{values: [0.5%, 2%, 6%]}}
  revenue.community.aov: {{values: [120元, 180元]}}
  finance.discount_rate_annual: {{values: [6%, 10%]}}
  timeline.horizon_months: {{values: [24, 36]}}
  revenue.basis: {{values: [incremental, gross]}}
  levers.lean_events.enabled: {{values: [false, true]}}
metrics: [npv, npv_annual, irr, payback_months, roi, ltv_cac]
"""
LHS = f"""\
scenario: {SCENARIO}
design: lhs
samples: 300
seed: 7
inputs:
  revenue.community.conversion: {{low: 0.5%, high: 9%}}
  revenue.community.aov: {{dist: triangular, low: 100元, mode: 150元, high: 200元}}
  users.churn_monthly.steady: {{dist: lognormal, p5: 1%, p95: 4%}}
  operating_costs.labour.fixed_yearly: {{dist: pert, low: 100万, mode: 200万, high: 400万}}
  finance.discount_rate_annual: {{low: 5%, high: 12%}}
metrics: [npv, irr, mirr, payback_months, discounted_payback_months, npv_annual, irr_annual]
"""


def write(tmp_path, text: str, name: str = "spec.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def set_text(value) -> str:
    """A value as `--set PATH=VALUE` takes it (full precision)."""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return repr(float(value))
    return str(value)


def run_json(capsys, assignments: dict) -> dict:
    argv = ["run", str(SCENARIO), "--json"]
    for path, value in assignments.items():
        argv += ["--set", f"{path}={set_text(value)}"]
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def assert_rows_match_run(capsys, spec, table, rows) -> None:
    for row in rows:
        expected = run_json(capsys, {p: table[p].iloc[row] for p in spec.paths})
        for metric in spec.metrics:
            got, want = table[metric].iloc[row], expected[metric]
            if want is None:
                assert math.isnan(got), (row, metric)
            else:
                assert got == pytest.approx(want, rel=1e-9, abs=1e-6), (row, metric)


class TestGrid:
    def test_every_combination_once_shape_inputs_slowest(self, tmp_path):
        spec = load_spec(write(tmp_path, GRID))
        assert spec.variants == 3 * 2 * 2 * 2 * 2 * 2
        table = sweep_table(spec, workers=1)
        assert list(table["variant"]) == list(range(spec.variants))
        combos = {tuple(table[p].iloc[i] for p in spec.paths) for i in range(len(table))}
        assert len(combos) == spec.variants
        assert table["timeline.horizon_months"].dtype == np.int64 and table["levers.lean_events.enabled"].dtype == bool
        # shape inputs vary slowest: the first 12 variants share one group
        assert table["timeline.horizon_months"].iloc[:24].nunique() == 1

    def test_rows_match_run_set(self, tmp_path, capsys):
        spec = load_spec(write(tmp_path, GRID))
        table = sweep_table(spec, workers=1)
        assert np.isfinite(table["irr"]).any() and np.isnan(table["irr"]).any()  # both kinds of row are checked
        assert_rows_match_run(capsys, spec, table, range(0, spec.variants, 5))

    def test_one_engine_call_per_group_per_block(self, tmp_path, monkeypatch):
        spec = load_spec(write(tmp_path, GRID))
        calls = []
        real = sweep.simulate
        monkeypatch.setattr(sweep, "simulate", lambda values: calls.append(1) or real(values))
        sweep_table(spec, workers=1)
        assert len(calls) == 2 * 2 * 2  # horizon × basis × lever; conversion, AOV, rate are per-trial arrays


class TestLatinHypercube:
    def test_rows_match_run_set(self, tmp_path, capsys):
        spec = load_spec(write(tmp_path, LHS))
        table = sweep_table(spec, workers=1)
        assert len(table) == 300
        assert_rows_match_run(capsys, spec, table, range(0, 300, 23))

    def test_each_input_fills_every_stratum_once(self):
        n = 1000
        for column in range(3):
            u = sweep.lhs_unit(np.arange(n), n, 11, column)
            assert sorted(np.floor(u * n).astype(int)) == list(range(n))
            assert 0.0 <= u.min() and u.max() < 1.0

    @pytest.mark.parametrize("n", [1, 2, 3, 17, 1024, 1025, 99_991])
    def test_keyed_permutation_is_a_bijection(self, n):
        keys = np.random.SeedSequence(5).generate_state(4, dtype=np.uint64)
        assert sorted(sweep.keyed_permutation(np.arange(n), n, keys)) == list(range(n))

    def test_values_stay_within_their_ranges(self, tmp_path):
        spec = load_spec(write(tmp_path, LHS))
        table = sweep_table(spec, workers=1)
        assert table["revenue.community.conversion"].between(0.005, 0.09).all()
        assert table["revenue.community.aov"].between(100, 200).all()
        assert table["users.churn_monthly.steady"].between(0, 1).all()

    def test_a_chunk_does_not_depend_on_the_others_or_on_where_it_runs(self, tmp_path):
        spec = load_spec(write(tmp_path, LHS))
        here = evaluate_all(sweep.make_plan(spec, 64), workers=1)
        processes = evaluate_all(sweep.make_plan(spec, 64), workers=2)  # 5 chunks in 2 processes
        assert here.equals(processes)  # same chunks: the same bits
        whole = evaluate_all(sweep.make_plan(spec, 300), workers=1)  # other chunks: the same inputs; metrics
        assert whole[list(spec.paths)].equals(here[list(spec.paths)])  # to the IRR solver's last bits
        np.testing.assert_allclose(whole[list(spec.metrics)], here[list(spec.metrics)], rtol=1e-12)


class TestSobolDesign:
    def test_saltelli_variants_and_rows(self, tmp_path, capsys):
        text = LHS.replace("design: lhs", "design: sobol").replace("samples: 300", "samples: 16")
        spec = load_spec(write(tmp_path, text))
        assert spec.variants == 16 * (2 * 5 + 2)
        table = sweep_table(spec, workers=1)
        assert len(table) == spec.variants
        assert_rows_match_run(capsys, spec, table, [0, 17, 101, 191])


class TestBadSpecs:
    CASES = {
        "unknown input": ("inputs:\n  revenue.community.convertion: {values: [1%]}\n",
                          "inputs.revenue.community.convertion: is not a known input (did you mean "
                          "revenue.community.conversion?)"),
        "low not below high": ("design: lhs\nsamples: 10\ninputs:\n  revenue.community.aov: {low: 200元, high: 100元}\n",
                               "inputs.revenue.community.aov: low must be below high"),
        "triangular mode outside": ("design: lhs\nsamples: 10\ninputs:\n  revenue.community.aov: "
                                    "{dist: triangular, low: 100元, mode: 300元, high: 200元}\n",
                                    "inputs.revenue.community.aov: triangular needs low ≤ mode ≤ high"),
        "empty grid": ("inputs:\n  revenue.community.aov: {values: []}\n",
                       "inputs.revenue.community.aov.values: is empty: an empty grid has no variants"),
        "no inputs": ("inputs: {}\n", "inputs: is empty"),
        "too many variants": ("design: lhs\nsamples: 100000001\ninputs:\n  revenue.community.aov: "
                              "{low: 100元, high: 200元}\n", "samples: gives 100,000,001 variants, over the limit"),
        "grid with a range": ("inputs:\n  revenue.community.aov: {low: 100元, high: 200元}\n",
                              "inputs.revenue.community.aov: a grid takes values"),
        "value out of bounds": ("inputs:\n  revenue.community.conversion: {values: [5%, 120%]}\n",
                                "inputs.revenue.community.conversion.values[1]: must be between 0 and 1"),
        "range on a shape input": ("design: lhs\nsamples: 5\ninputs:\n  timeline.horizon_months: {low: 12, high: 36}\n",
                                   "inputs.timeline.horizon_months: changes the shape of the computation"),
        "unknown metric": ("inputs:\n  revenue.community.aov: {values: [100元]}\nmetrics: [npv, irrr]\n",
                           "metrics[1]: is not a metric (did you mean irr?)"),
        "unknown design": ("design: random\ninputs:\n  revenue.community.aov: {values: [100元]}\n",
                           "design: must be one of grid, lhs, sobol"),
        "missing samples": ("design: lhs\ninputs:\n  revenue.community.aov: {low: 100元, high: 200元}\n",
                            "samples: is required for the lhs design"),
        "phase ends out of order": ("inputs:\n  timeline.phase_end_month.rollout: {values: [2, 9]}\n",
                                    "inputs.timeline.phase_end_month.rollout: must not be before the previous "
                                    "phase's end"),
        "duplicate key": ("inputs:\n  revenue.community.aov: {values: [100元]}\n  revenue.community.aov: "
                          "{values: [120元]}\n", "(file): duplicate key 'revenue.community.aov'"),
        "unknown key": ("inputs:\n  revenue.community.aov: {values: [100元]}\nsample: 3\n",
                        "sample: is not a known key"),
    }

    @pytest.mark.parametrize("case", sorted(CASES))
    def test_one_line_error_naming_spec_and_field(self, tmp_path, capsys, case):
        body, expected = self.CASES[case]
        path = write(tmp_path, f"scenario: {SCENARIO}\n" + body)
        assert main(["sweep", str(path), "--out", str(tmp_path / "out")]) == 2
        out, err = capsys.readouterr()
        assert out == "" and "Traceback" not in err
        lines = err.strip().splitlines()
        assert lines and all(line.startswith(f"{path}: ") for line in lines), err
        assert any(expected in line for line in lines), err
        assert not (tmp_path / "out").exists()

    def test_missing_scenario_names_the_scenario_file(self, tmp_path, capsys):
        path = write(tmp_path, "scenario: nowhere.yaml\ninputs:\n  revenue.community.aov: {values: [100元]}\n")
        assert main(["sweep", str(path)]) == 2
        assert capsys.readouterr().err.strip() == f"{tmp_path / 'nowhere.yaml'}: (file): no such file"

    def test_force_allows_a_huge_design(self, tmp_path):
        path = write(tmp_path, f"scenario: {SCENARIO}\ndesign: lhs\nsamples: 100000001\ninputs:\n"
                               "  revenue.community.aov: {low: 100元, high: 200元}\n")
        with pytest.raises(ScenarioError):
            load_spec(path)
        assert load_spec(path, force=True).variants == 100_000_001


def test_cheap_metric_set_equals_the_full_one(tmp_path):
    spec = load_spec(write(tmp_path, LHS))
    plan = sweep.make_plan(spec)
    columns, _ = sweep.chunk_inputs(plan, 0, 50)
    values = dict(plan.groups[()])
    values.update({p: columns[p] for p in spec.paths})
    cheap = sweep.metrics_of(values, spec.metrics)
    full = sweep.metrics_of(values, (*spec.metrics, "roi"))
    for name in spec.metrics:
        np.testing.assert_array_equal(cheap[name], full[name])


def test_pick_variants_by_npv_rank():
    npv = np.array([5.0, -3.0, np.nan, 1.0, 9.0])
    assert sweep.pick_variants(npv, ["worst", "best", "p50", "p0", "p100"]) == \
        {"worst": 1, "best": 4, "p50": 3, "p0": 1, "p100": 4}


def test_run_chunks_in_processes_yields_every_chunk(tmp_path):
    spec = load_spec(write(tmp_path, LHS))
    plan = sweep.make_plan(spec, 50)
    assert sorted(k for k, _ in run_chunks(plan, range(plan.chunks), workers=2)) == list(range(6))


def test_the_deterministic_case_is_one_variant(tmp_path):
    spec = load_spec(write(tmp_path, f"scenario: {SCENARIO}\ninputs:\n  revenue.community.aov: {{values: [150元]}}\n"))
    table = sweep_table(spec)
    base = evaluate(spec.scenario.with_overrides({"revenue.community.aov": 150.0})).metrics
    assert table["npv"].iloc[0] == pytest.approx(base["npv"], rel=1e-12)
