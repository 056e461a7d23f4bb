"""Set-up: the two README commands, CI calling the test one, the dependency lists in step,
notebooks committed without outputs, the console script."""

from __future__ import annotations

import json
import re
import subprocess
import tomllib

import pytest
import yaml

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def requirement_lines(name: str) -> list[str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def normalise(requirement: str) -> str:
    """``PyYAML==6.0.3`` and ``pyyaml == 6.0.3`` are the same pin."""
    name, _, version = requirement.replace(" ", "").partition("==")
    return f"{re.sub(r'[-_.]+', '-', name).lower()}=={version}"


class TestDependencies:
    def test_every_requirement_is_pinned(self):
        for line in requirement_lines("requirements.txt") + requirement_lines("requirements-dev.txt"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-]+==[0-9][A-Za-z0-9_.\-]*", line), line

    def test_environment_yml_lists_the_same_pins(self):
        environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
        pip = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict) and "pip" in item)
        pinned = requirement_lines("requirements.txt") + requirement_lines("requirements-dev.txt")
        assert sorted(map(normalise, pip)) == sorted(map(normalise, pinned))
        assert len(pip) == len(set(map(normalise, pip)))

    def test_environment_yml_has_python_and_pip(self):
        environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
        plain = [item for item in environment["dependencies"] if isinstance(item, str)]
        assert "pip" in plain and any(item.startswith("python") for item in plain)

    def test_console_script(self):
        project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
        assert project["project"]["scripts"] == {"feasibility": "model.apps.cli:main"}
        assert project["tool"]["setuptools"]["packages"]["find"] == {"include": ["model*"]}


class TestCommands:
    def test_readme_names_exactly_the_two_commands(self):
        readme = (ROOT / "README.md").read_text(encoding="utf-8")
        commands = set(re.findall(r"^\./project \w+", readme, flags=re.MULTILINE))
        assert commands == {"./project reports", "./project test"}
        assert "conda" not in readme.split("## Two commands")[1].split("```")[1]  # the commands need no conda

    def test_ci_runs_the_readme_test_command(self):
        script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        commands = [line.strip() for line in script.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        assert commands[-1] == "exec ./project test"

    def test_project_script_sets_up_its_own_environment(self):
        script = (ROOT / "project").read_text(encoding="utf-8")
        assert "python3 -m venv" in script and "requirements.txt" in script and "requirements-dev.txt" in script
        assert "conda" not in script

    def test_project_script_usage(self):
        done = subprocess.run([str(ROOT / "project")], capture_output=True, text=True, timeout=30)
        assert done.returncode == 2 and "./project reports | ./project test" in done.stderr

    def test_reports_folder_keeps_only_its_readme_in_git(self):
        ignore = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
        assert "/reports/*" in ignore and "!/reports/README.md" in ignore
        assert (ROOT / "reports" / "README.md").is_file()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_committed_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code, "a notebook without code cells"
    assert all(cell.get("outputs") == [] and cell.get("execution_count") is None for cell in code)


def test_the_report_notebook_exists():
    assert "feasibility.ipynb" in [p.name for p in NOTEBOOKS]
