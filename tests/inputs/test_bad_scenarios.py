"""Broken scenario files: each ``tests/bad_scenarios/NAME.yaml`` must give exactly the lines
of ``NAME.expected`` on stderr, exit code 2 and no traceback — through ``main()`` and
through the installed ``feasibility`` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from model.apps.cli import main
from model.inputs.errors import ScenarioError
from model.core.evaluation import evaluate
from model.core.metrics import METRIC_UNITS
from model.inputs.scenario import FIELDS, load_scenario
from model.inputs.paths import SCENARIOS

FOLDER = Path(__file__).resolve().parent / "bad_scenarios"
CASES = sorted(p.name for p in FOLDER.glob("*.yaml"))
FEASIBILITY = Path(sys.executable).with_name("feasibility")
BASE_SCENARIO = load_scenario(SCENARIOS / "base.yaml")


def expected(name: str) -> str:
    return (FOLDER / name).with_suffix(".expected").read_text(encoding="utf-8")


def test_enough_cases_each_with_its_message():
    assert len(CASES) >= 25
    assert sorted(p.name for p in FOLDER.glob("*.expected")) == sorted(n[:-5] + ".expected" for n in CASES)
    for name in CASES:
        lines = expected(name).splitlines()
        assert lines and all(line.startswith(f"{name}: ") or ": extends: is a cycle" in line for line in lines)


@pytest.mark.parametrize("name", CASES)
def test_validate_in_process(name, monkeypatch, capsys):
    monkeypatch.chdir(FOLDER)
    assert main(["validate", name]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == expected(name)


@pytest.mark.parametrize("name", CASES)
def test_run_gives_the_same_lines(name, monkeypatch, capsys):
    monkeypatch.chdir(FOLDER)
    assert main(["run", name, "--json"]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", expected(name))


def test_installed_command_reports_every_file_and_never_a_traceback():
    """One process validates every broken file; its stderr is every expected line, in order."""
    done = subprocess.run([str(FEASIBILITY), "validate", *CASES], cwd=FOLDER, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr == "".join(expected(name) for name in CASES)


def test_installed_command_one_file():
    done = subprocess.run([str(FEASIBILITY), "validate", "python_object_tag.yaml"], cwd=FOLDER,
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", expected("python_object_tag.yaml"))


def test_one_bad_file_among_good_ones(monkeypatch, capsys):
    good = str(SCENARIOS / "base.yaml")
    monkeypatch.chdir(FOLDER)
    assert main(["validate", good, "negative_users.yaml", good]) == 2
    assert capsys.readouterr().err == expected("negative_users.yaml")


class TestMoreBrokenInputs:
    """Broken inputs that are better made on the fly than committed."""

    def check(self, args, capsys) -> list[str]:
        assert main(args) == 2
        out, err = capsys.readouterr()
        assert out == "" and "Traceback" not in err
        return err.splitlines()

    def test_missing_file(self, tmp_path, capsys):
        path = tmp_path / "nope.yaml"
        assert self.check(["validate", str(path)], capsys) == [f"{path}: (file): no such file"]

    def test_folder(self, tmp_path, capsys):
        assert self.check(["validate", str(tmp_path)], capsys) == [f"{tmp_path}: (file): is a folder, not a scenario file"]

    def test_huge_file(self, tmp_path, capsys):
        path = tmp_path / "huge.yaml"
        path.write_text("description: " + "x" * 1_100_000 + "\n", encoding="utf-8")
        assert self.check(["validate", str(path)], capsys) == [
            f"{path}: (file): is too large for a scenario file (1,100,014 bytes; limit 1,000,000)"]

    def test_billion_laughs_stays_small(self, tmp_path, capsys):
        """YAML aliases that would expand exponentially are refused as unknown keys, quickly."""
        lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
        lines += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)]
        path = tmp_path / "laughs.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        problems = self.check(["validate", str(path)], capsys)
        assert any(": a: is not a known input" in line for line in problems)

    @pytest.mark.parametrize("setting, line", [
        ("users.initial=abc", '--set: users.initial: must be a number (got "abc")'),
        ("users.initial=-3", "--set: users.initial: must not be negative (got -3)"),
        ("finance.discount_rate_annual=150%", '--set: finance.discount_rate_annual: must be between 0 and 1 '
                                              '(0% to 100%) (got "150%")'),
        ("timeline.horizon_months=0", "--set: timeline.horizon_months: must be between 1 and 600 (got 0)"),
        ("users.initial=.nan", "--set: users.initial: must be a finite number (got nan)"),
        ("users.intial=5", "--set: users.intial: is not a known input (did you mean users.initial?) (got 5)"),
        ("users.initial", "--set: users.initial: must be FIELD.PATH=VALUE"),
        ("users.initial=!!python/object/apply:os.system [ls]",
         '--set: users.initial: must be a number (got "!!python/object/apply:os.system [ls]")'),
        ("users.cap=10", "--set: users.cap: must be at least the initial users (1,000,000) (got 10)"),
    ])
    def test_run_set_with_bad_values(self, setting, line, capsys):
        base = str(SCENARIOS / "base.yaml")
        assert self.check(["run", base, "--set", setting], capsys) == [line]


yaml_scalars = st.none() | st.booleans() | st.integers(-10**6, 10**12) | st.floats(allow_nan=True) | \
    st.text(max_size=12) | st.sampled_from(["5%", "150%", "-3%", "3万", "2.55亿", "150元", "1e6", "abc", ""])
yaml_trees = st.recursive(yaml_scalars, lambda children: st.lists(children, max_size=3)
                          | st.dictionaries(st.text(max_size=8), children, max_size=3), max_leaves=12)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


class TestNeverATraceback:
    """Whatever a file holds, loading it either works or raises ScenarioError."""

    @settings(max_examples=100, deadline=None)
    @given(content=st.binary(max_size=200))
    def test_random_bytes(self, folder, content):
        path = folder / "bytes.yaml"
        path.write_bytes(content)
        with pytest.raises(ScenarioError):
            load_scenario(path)

    @settings(max_examples=100, deadline=None)
    @given(tree=st.dictionaries(st.sampled_from(["name", "description", "finance", "users", "revenue", "timeline",
                                                 "levers", "extends", "investment"]) | st.text(max_size=6),
                                yaml_trees, max_size=5))
    def test_random_yaml(self, folder, tree):
        path = folder / "tree.yaml"
        path.write_text(yaml.safe_dump(tree, allow_unicode=True), encoding="utf-8")
        try:
            load_scenario(path)
        except ScenarioError as exc:
            assert all(str(p).startswith(str(path)) or str(p).startswith(str(folder)) for p in exc.problems)

    @settings(max_examples=150, deadline=None)
    @given(changes=st.dictionaries(st.sampled_from(sorted(FIELDS)), yaml_scalars, min_size=1, max_size=3))
    def test_valid_inputs_always_evaluate(self, changes):
        """Any change the validator accepts gives a result and its checks, never an exception."""
        try:
            scenario = BASE_SCENARIO.with_overrides(changes)
        except ScenarioError:
            return
        with np.errstate(all="ignore"):
            result = evaluate(scenario)
            assert set(result.metrics) == set(METRIC_UNITS)
            assert isinstance(result.ok, bool)


#: Every shipped and bad file but the deeply nested ones (refused before either loader sees them).
LOADED_BY_BOTH = [p for p in sorted(SCENARIOS.glob("*.yaml")) + sorted(FOLDER.glob("*.yaml"))
                  if not p.name.startswith("nested_")]


@pytest.mark.parametrize("path", LOADED_BY_BOTH, ids=lambda p: p.name)
def test_the_fast_loader_reads_every_file_as_the_pure_one(path):
    """libyaml's loader (used first, for speed) and the pure-Python one (used for messages) agree on every file."""
    from model.inputs.reading import FastStrictLoader, StrictLoader, fix_full_width_keys

    text = path.read_text(encoding="utf-8", errors="replace")
    results = []
    for loader in (FastStrictLoader, StrictLoader):
        try:
            results.append(("read", yaml.load(fix_full_width_keys(text), Loader=loader)))  # noqa: S506
        except (yaml.YAMLError, RecursionError):
            results.append(("refused", None))
    assert results[0] == results[1]
