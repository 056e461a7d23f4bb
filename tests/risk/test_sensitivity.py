"""Sobol and Morris sensitivity (model/risk/sensitivity.py): the SALib wiring on the Ishigami function, then on the engine."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import FEASIBLE_BASE
from model.apps.cli import main
from model.inputs.distributions import Distribution
from model.risk import sensitivity as sa
from model.risk.parallel import sweep_table
from model.risk.sampling import ppf
from model.risk.spec import load_spec

SCENARIO = FEASIBLE_BASE
PI = Distribution("uniform", -np.pi, np.pi)


def ishigami(unit: np.ndarray) -> dict[str, np.ndarray]:
    """Ishigami (a = 7, b = 0.1) on x ~ U(−π, π)³, the inputs taken through the same inverse CDF as the engine's."""
    x = ppf(PI, unit)
    return {"y": np.sin(x[:, 0]) + 7.0 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])}


def ishigami_indices(a: float = 7.0, b: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """The analytic first-order and total indices."""
    v1 = 0.5 * (1 + b * np.pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * np.pi ** 8 * (1 / 18 - 1 / 50)
    variance = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / variance, np.array([v1 + v13, v2, v13]) / variance


class TestIshigami:
    def test_sobol_indices_match_the_analytic_ones(self):
        s1, st = ishigami_indices()
        assert s1 == pytest.approx([0.314, 0.442, 0.0], abs=1e-3)
        unit, tables, notes = sa.run_method("sobol", ["x1", "x2", "x3"], ishigami, 4096, 7)
        assert unit.shape == (4096 * (2 * 3 + 2), 3) and notes == {}
        table = tables["y"]
        assert list(table.columns) == ["S1", "S1_conf", "ST", "ST_conf"]
        np.testing.assert_allclose(table["S1"], s1, atol=0.03)
        np.testing.assert_allclose(table["ST"], st, atol=0.04)
        assert (table["S1_conf"] > 0).all() and (table["S1_conf"] < 0.05).all()

    def test_morris_ranks_the_inputs(self):
        unit, tables, _ = sa.run_method("morris", ["x1", "x2", "x3"], ishigami, 200, 7)
        assert unit.shape == (200 * 4, 3)
        table = tables["y"]
        assert list(table.columns) == ["mu", "mu_star", "sigma", "mu_star_conf"]
        assert (table["mu_star"] > 0).all() and table["sigma"]["x3"] > 0  # x3 acts only through its interaction

    def test_an_undefined_output_has_no_indices_and_a_note(self):
        def partly_nan(unit):
            y = ishigami(unit)["y"]
            y[::10] = np.nan
            return {"y": y, "flat": np.ones(len(unit))}

        _, tables, notes = sa.run_method("sobol", ["x1", "x2", "x3"], partly_nan, 64, 1)
        assert tables["y"].isna().all().all() and "undefined for" in notes["y"]
        assert "the same for every sample" in notes["flat"]


SPEC = f"""\
scenario: {SCENARIO}
design: lhs
samples: 256
seed: 11
inputs:
  revenue.community.conversion: {{low: 1%, high: 9%}}
  revenue.community.aov: {{dist: triangular, low: 140元, mode: 150元, high: 160元}}
  operating_costs.other.fixed_yearly: {{low: 0元, high: 1元}}
metrics: [npv, irr]
"""


class TestOnTheEngine:
    def test_indices_of_npv(self, tmp_path):
        path = tmp_path / "spec.yaml"
        path.write_text(SPEC, encoding="utf-8")
        found = sa.sensitivity(load_spec(path), workers=1)
        assert found.variants == 256 * 8 and found.samples == 256 and list(found.indices) == ["npv", "irr"]
        npv = found.indices["npv"]
        assert npv.loc["revenue.community.conversion", "S1"] > 0.9  # conversion spans 1-9%: it drives NPV
        assert abs(npv.loc["operating_costs.other.fixed_yearly", "ST"]) < 0.01  # one yuan a year: nothing
        assert found.to_json()["indices"]["npv"][0]["input"] == "revenue.community.conversion"

    def test_samples_are_the_sobol_designs_variants(self, tmp_path):
        """The engine sees exactly the rows a `design: sobol` sweep of the same spec gives."""
        path = tmp_path / "spec.yaml"
        path.write_text(SPEC.replace("design: lhs", "design: sobol").replace("samples: 256", "samples: 32"),
                        encoding="utf-8")
        spec = load_spec(path)
        rows = sweep_table(spec, workers=1)
        y = {}
        original = sa.analyse

        def spy(method, names, unit, outputs, seed):
            y.update(outputs)
            return original(method, names, unit, outputs, seed)

        sa.analyse = spy
        try:
            sa.sensitivity(spec, workers=1)
        finally:
            sa.analyse = original
        np.testing.assert_array_equal(y["npv"], rows["npv"].to_numpy())

    def test_cli_json(self, tmp_path, capsys):
        path = tmp_path / "spec.yaml"
        path.write_text(SPEC.replace("samples: 256", "samples: 32"), encoding="utf-8")
        assert main(["sensitivity", str(path), "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["method"] == "sobol" and data["variants"] == 32 * 8
        row = data["indices"]["npv"][0]
        assert set(row) == {"input", "S1", "S1_conf", "ST", "ST_conf"}
        assert main(["sensitivity", str(path), "--method", "morris", "--samples", "10", "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        assert data["method"] == "morris" and data["variants"] == 10 * 4
        assert set(data["indices"]["npv"][0]) == {"input", "mu", "mu_star", "sigma", "mu_star_conf"}
