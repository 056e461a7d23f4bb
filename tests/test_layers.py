"""The package's architecture (README "Where things are"): layers, no cycles, light inputs.

Walks every module's imports with ``ast``: each sub-package of ``model/`` imports only from
the layers listed before it, there are no import cycles, no dynamic imports and no private
name imported across modules; no module is over 500 lines; each sub-package names its API.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from model.inputs.paths import ROOT

LAYERS = ("inputs", "core", "risk", "audit", "outputs", "apps")
PACKAGE = ROOT / "model"
MAX_LINES = 500


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path) -> list[tuple[str, tuple[str, ...]]]:
    """(module, names) for every import of ``path`` that resolves to a module of the package."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            names = tuple(alias.name for alias in node.names)
            submodules = [f"{base}.{n}" for n in names if f"{base}.{n}" in MODULES]
            found += [(m, ()) for m in submodules] + [(base, tuple(n for n in names if f"{base}.{n}" not in MODULES))]
    return [(m, names) for m, names in found if m in MODULES and m != name]


def layer(name: str) -> int | None:
    parts = name.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else None


def test_every_module_is_in_a_layer():
    assert [n for n in MODULES if n != "model" and layer(n) is None] == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_only_earlier_layers_and_public_names(name):
    for target, names in imported(name, MODULES[name]):
        assert layer(target) is None or layer(target) <= layer(name), f"{name} imports the later layer {target}"
        private = [n for n in names if n.startswith("_") and n != "__all__"]
        assert not private, f"{name} imports private names {private} from {target}"


def test_no_import_cycles():
    graph = {n: {t for t, _ in imported(n, p) if not MODULES[t].name == "__init__.py"} for n, p in MODULES.items()}
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph[node]:
            assert state.get(nxt) != 1, "import cycle: " + " → ".join(stack[stack.index(nxt):] + [nxt])
            if not state.get(nxt):
                visit(nxt, stack)
        state[node] = 2
        stack.pop()

    for node in graph:
        if not state.get(node):
            visit(node, [])


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_dynamic_imports_and_short_modules(name):
    text = MODULES[name].read_text(encoding="utf-8")
    assert "importlib" not in text and "__import__(" not in text
    assert len(text.splitlines()) <= MAX_LINES


@pytest.mark.parametrize("layer_name", LAYERS)
def test_each_sub_package_names_its_api(layer_name):
    tree = ast.parse((PACKAGE / layer_name / "__init__.py").read_text(encoding="utf-8"))
    assert any(isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "__all__" for t in n.targets)
               for n in tree.body)


def test_validate_imports_no_heavy_library():
    """`feasibility validate` (the inputs layer and the CLI) loads none of numpy, pandas, scipy, matplotlib."""
    code = ("import sys; from model.apps.cli import main; main(['validate', 'scenarios/base.yaml']); "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'pandas', 'scipy', 'matplotlib'}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "[]"
