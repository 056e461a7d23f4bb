"""Write a scenario file: an ``extends:`` child of a picked scenario holding only the changed inputs.

Used by the dashboard's "save as scenario". The file is validated before it is written, is
written under a temporary name and moved into place only when complete, never escapes its
folder, and never replaces an existing file unless ``overwrite=True`` (the caller's explicit
confirmation).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Mapping

import yaml

from .errors import InputError
from .scenario import FIELDS, Scenario, load_scenario

SUFFIX = ".yaml"
MAX_STEM_CHARS = 100
_SAFE_STEM = re.compile(r"[\w\-. ()（）]+")  # letters (any script), digits, _ - . space ( )


def target_path(folder: str | Path, file_name: object) -> Path:
    """The path of ``file_name`` inside ``folder``, or an :class:`InputError` if it would not be a
    plain ``NAME.yaml`` there (no folders, ``..``, absolute paths, hidden files or other suffixes);
    a name without a suffix gets ``.yaml``.

    >>> target_path("scenarios", "my case.yaml").as_posix(), target_path("scenarios", "方案二").as_posix()
    ('scenarios/my case.yaml', 'scenarios/方案二.yaml')
    """
    def refuse(problem: str) -> InputError:
        return InputError(str(folder), "file name", problem, file_name)

    if not isinstance(file_name, str) or not file_name.strip():
        raise refuse("must be a file name such as my_case.yaml")
    if "/" in file_name or "\\" in file_name or os.sep in file_name or Path(file_name).is_absolute():
        raise refuse("must be a plain file name, without folders")
    if ".." in file_name:
        raise refuse("must not contain '..'")
    if file_name.startswith("."):
        raise refuse("must not start with '.'")
    if not file_name.endswith(SUFFIX) and Path(file_name).suffix not in ("", SUFFIX) and \
            not Path(file_name).suffix[1:].isdigit():
        raise refuse(f"must end in {SUFFIX} (or have no suffix: {SUFFIX} is added)")
    if not file_name.endswith(SUFFIX):
        file_name = file_name.strip() + SUFFIX  # a name without its suffix is completed, never refused
    if file_name == SUFFIX:
        raise refuse("must be a file name such as my_case.yaml")
    stem = file_name[: -len(SUFFIX)]
    if len(stem) > MAX_STEM_CHARS or not _SAFE_STEM.fullmatch(stem):
        raise refuse(f"may hold only letters, digits, spaces and - _ . ( ), at most {MAX_STEM_CHARS}")
    return Path(folder) / file_name


def _nested(leaves: Mapping[str, object]) -> dict:
    """Dotted paths → nested mappings, in the schema's order."""
    out: dict = {}
    for path in (p for p in FIELDS if p in leaves):
        node = out
        *sections, key = path.split(".")
        for section in sections:
            node = node.setdefault(section, {})
        node[key] = leaves[path]
    return out


def scenario_text(parent_ref: str, leaves: Mapping[str, object]) -> str:
    """The YAML text of a child scenario: ``extends: parent_ref``, then ``leaves`` nested.

    ``leaves`` maps input paths (``"name"``, ``"revenue.community.conversion"``) to values as a
    file writes them (``"7.6%"``, ``"160万"``, ``36``) or to leaf mappings with ``value`` and
    provenance.
    """
    body = yaml.safe_dump({"extends": parent_ref, **_nested(leaves)}, allow_unicode=True, sort_keys=False,
                          width=100)
    return f"# Saved by the planner dashboard: {parent_ref} with only the changed inputs.\n{body}"


def save_scenario(folder: str | Path, file_name: object, parent: Scenario, changes: Mapping[str, object], *,
                  name: str | None = None, note: str = "set in the planner dashboard",
                  overwrite: bool = False) -> Path:
    """Write ``folder/file_name`` as a child of ``parent`` holding ``changes``; return its path.

    ``changes`` maps input paths to values as a file writes them (money ``"160万"``, rates
    ``"7.6%"``); each is written with ``basis: ours`` and ``note``. The file's ``name`` is
    ``name`` or the parent's name with the file's stem; its description lists the changes.
    Raises :class:`InputError` for a refused name, or an existing file without ``overwrite``;
    :class:`ScenarioError` when the result would not validate. Nothing is written then.
    """
    target = target_path(folder, file_name)
    chain = {Path(p).resolve() for p in (parent.file, *parent.chain)}
    if target.resolve() in chain:
        raise InputError(str(target), "file name", "is the picked scenario or one it extends; saving over it "
                         "would make it extend itself", show=False)
    if target.is_symlink():
        raise InputError(str(target), "file name", "is a symbolic link; choose another name", show=False)
    if target.exists() and not overwrite:
        raise _exists(target)
    described = ", ".join(f"{path} = {str(value).lower() if isinstance(value, bool) else value}"
                          for path, value in changes.items()) or "none"
    leaves = {"name": name or f"{parent.name} ({target.stem})",
              "description": f"{parent.name}, with inputs changed in the planner dashboard: {described}.",
              **{path: {"value": value, "basis": "ours", "note": note} for path, value in changes.items()}}
    parent.with_overrides(leaves, origin=str(target))  # validate before writing: raises ScenarioError
    parent_ref = os.path.relpath(Path(parent.file).resolve(), target.parent.resolve())
    _write_atomically(target, scenario_text(parent_ref, leaves), overwrite)
    load_scenario(target)  # the file as written must load: raises ScenarioError if not
    return target


def _exists(target: Path) -> InputError:
    return InputError(str(target), "file name", "already exists; confirm overwriting to replace it", show=False)


def _write_atomically(target: Path, text: str, overwrite: bool) -> None:
    """Write under a temporary name, then move into place (``os.link`` refuses an existing file)."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    temporary.write_text(text, encoding="utf-8")
    try:
        if overwrite:
            os.replace(temporary, target)
        else:
            try:
                os.link(temporary, target)
            except FileExistsError:
                raise _exists(target) from None
    finally:
        temporary.unlink(missing_ok=True)
