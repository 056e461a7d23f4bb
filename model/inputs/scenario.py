"""Scenario files: loading with ``extends:`` inheritance, validation against the schema.

A scenario file is YAML (safe loading only). Every input is a leaf of the schema (:mod:`.schema`); a
leaf is written either as a bare value or as a mapping that also names where the value
comes from::

    revenue:
      community:
        conversion: {value: 7.5%, source: "001 §5.2.1", basis: study}

``basis`` says whose figure it is: ``study`` (stated by a source document), ``derived``
(computed from stated figures) or ``ours`` (our own assumption). Without it, a value with a
source counts as ``study`` and one without as ``ours``.

Every free text — ``name``, ``description``, a ``source`` or ``note`` anywhere, a risk's
``name``, a mitigation's ``description`` — may be written ``{zh: …, en: …}``; it is then a
:class:`~model.inputs.texts.Text` (English, carrying its Chinese). Text with one language is
shown as written in both.

One-off costs (``one_off_costs: {NAME: {amount, month}}``, and a risk's own ``one_off:``)
become two inputs each, ``one_off_costs.NAME.amount`` (CNY) and ``one_off_costs.NAME.month``,
in :attr:`Scenario.values` (a risk's amount is 0 there: its impact adds it).

Validation happens once, here; the engine trusts the :class:`Scenario` it is given.
"""

from __future__ import annotations

import copy
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import yaml

from .errors import InputError, InputWarning, ScenarioError
from .reading import read_yaml
from .drivers import parse_one_off_costs, unset_drivers
from .risks import parse_risks
from .uncertainty import parse_uncertainty
from .schema import (FIELDS, MAX_HORIZON_MONTHS, ONE_OFF_SECTION, PHASES, REQUIRED, SECTIONS, one_off_path,
                     unpack_leaf)
from .texts import BILINGUAL_FORM, LANGUAGES, with_texts
from .units import normalise_key

#: Top-level sections with a shape of their own (the risk register, the uncertain inputs and the
#: one-off costs): name → ``parse(raw, label_of)``, where ``label_of(path)`` names the file that
#: set a path; returns ``(parsed, problems)``, the problems InputErrors and InputWarnings. Their
#: mappings merge through ``extends``; a leaf written ``{value, …}`` is replaced whole.
EXTENSIONS = {"risks": parse_risks, "uncertainty": parse_uncertainty, ONE_OFF_SECTION: parse_one_off_costs}
#: Sections whose parser also takes ``horizon=`` (months): they hold one-off costs, paid within it.
WITH_HORIZON = ("risks", ONE_OFF_SECTION)


@dataclass(frozen=True)
class Assumption:
    """One input's value with its provenance, for the assumptions table."""

    path: str
    value: object
    unit: str
    help: str
    source: str | None  # a Text where the file gives {zh, en}
    basis: str  # study | derived | ours | default
    note: str | None  # a Text where the file gives {zh, en}
    file: str | None  # the file that set it; None for a schema default


@dataclass(frozen=True)
class Scenario:
    """A validated scenario: every input by path, with provenance. The engine trusts it."""

    name: str
    file: str
    values: Mapping[str, object]
    assumptions: Mapping[str, Assumption]
    chain: tuple[str, ...] = ()
    extensions: Mapping[str, object] = field(default_factory=dict)
    #: Values allowed but probably slips (monthly churn 0.9 = 90%), one line each; never fail the file.
    warnings: tuple[InputWarning, ...] = ()
    #: ``name`` and ``description`` in both languages where the file gives ``{zh: …, en: …}``.
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    _raw: dict = field(default_factory=dict, repr=False, compare=False)
    _origins: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def description(self) -> str:
        return str(self.values["description"])

    def resolved_text(self) -> str:
        """The scenario as one self-contained YAML file: every section after ``extends:`` and overrides."""
        return yaml.safe_dump(self._raw, allow_unicode=True, sort_keys=False)

    def text(self, path: str, language: str = "en") -> str:
        """``name`` or ``description`` in ``language``; user text without a translation as written."""
        written = self.name if path == "name" else str(self.values[path])
        return self.texts.get(path, {}).get(language) or written

    def __getitem__(self, path: str) -> object:
        return self.values[path]

    def with_overrides(self, overrides: Mapping[str, object], origin: str = "--set") -> "Scenario":
        """A new scenario with some inputs replaced (values as a file would write them)."""
        raw = copy.deepcopy(self._raw)
        origins = dict(self._origins)
        _apply_overrides(raw, origins, overrides, origin)
        return _build(raw, origins, self.file, self.chain)

    def __repr__(self) -> str:
        return f"Scenario({self.name!r}, file={self.file!r}, {len(self.values)} inputs)"


def _merge(base: dict, child: Mapping, origins: dict, label: str, prefix: str = "") -> None:
    """Deep-merge ``child`` into ``base`` in place, noting which file set each leaf."""
    for key, value in child.items():
        path = f"{prefix}{key}"
        mergeable = path in SECTIONS or path.split(".")[0] in EXTENSIONS
        if path.startswith(ONE_OFF_SECTION + ".") and path.count(".") > 1:
            mergeable = False  # a one-off cost's amount or month is a leaf: replaced whole, with its source
        if isinstance(value, dict) and "value" in value and path.count(".") > 1:
            mergeable = False  # a leaf written {value, source, …}: replaced whole, so the file that set it is named
        if isinstance(value, dict) and mergeable and isinstance(base.get(key), dict):
            _merge(base[key], value, origins, label, path + ".")
            continue
        base[key] = copy.deepcopy(value)
        for known in [p for p in origins if p == path or p.startswith(path + ".")]:
            del origins[known]
        origins[path] = label


def _resolve_chain(path: Path, label: str) -> tuple[dict, dict, tuple[str, ...]]:
    """Read a file and its ``extends`` ancestors; the merged raw dict, origins and chain."""
    chain: list[tuple[Path, str, dict]] = []
    seen: list[Path] = []
    current, current_label = path, label
    while True:
        resolved = current.resolve()
        if resolved in seen:
            names = " → ".join(p.name for p in seen + [resolved])
            raise InputError(chain[-1][1], "extends", f"is a cycle: {names}", show=False)
        seen.append(resolved)
        content = read_yaml(current, current_label)
        chain.append((current, current_label, content))
        parent = content.get("extends")
        if parent is None:
            break
        if not isinstance(parent, str) or not parent.strip():
            raise InputError(current_label, "extends", "must name a scenario file", parent)
        target = current.parent / parent
        try:
            if not target.exists() and target.suffix not in (".yaml", ".yml"):
                target = target.with_name(target.name + ".yaml")
            found = target.is_file()
        except (OSError, ValueError):  # a name too long for the file system, or with a NUL
            found = False
        if not found:
            raise InputError(current_label, "extends", "no such scenario file" + _file_hint(current.parent, parent),
                             parent)
        current, current_label = target, str(target)
    merged: dict = {}
    origins: dict = {}
    for _, file_label, content in reversed(chain):
        _merge(merged, {k: v for k, v in content.items() if k != "extends"}, origins, file_label)
    return merged, origins, tuple(lbl for _, lbl, _ in chain)


def _file_hint(folder: Path, name: str) -> str:
    """``"; did you mean base.yaml?"`` with the closest scenario file to ``name`` in its folder, else ``""``."""
    where, _, stem = name.replace("\\", "/").rpartition("/")
    try:
        files = sorted(p.name for p in (folder / where).iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())
    except (OSError, ValueError):
        return ""
    stems = {Path(f).stem: f for f in files}
    close = difflib.get_close_matches(Path(stem).stem if Path(stem).suffix in (".yaml", ".yml") else stem, stems, n=1)
    return f"; did you mean {where + '/' if where else ''}{stems[close[0]]}?" if close else ""


def _set_path(raw: dict, path: str, value: object) -> None:
    node = raw
    keys = path.split(".")
    for key in keys[:-1]:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[keys[-1]] = value


def _apply_overrides(raw: dict, origins: dict, overrides: Mapping[str, object], origin: str) -> None:
    for path, value in overrides.items():
        if path in SECTIONS:
            inputs = sorted(p for p in FIELDS if p.startswith(path + "."))
            raise ScenarioError([InputError(origin, path, f"is a section: set one of its inputs ({inputs[0]}, …)",
                                            value)])
        if path not in FIELDS and one_off_path(path) is None:
            section, _, key = path.rpartition(".")
            hint = _spelling_hint(key, section + "." if section else "")
            raise ScenarioError([InputError(origin, path, f"is not a known input ({hint})", value)])
        _set_path(raw, path, value)
        origins[path] = origin


def _walk(raw: Mapping, prefix: str, origins: Mapping, file: str, problems: list, found: dict) -> None:
    """Check keys against the schema; collect ``path → raw leaf`` in ``found``."""
    for key, value in raw.items():
        path = f"{prefix}{key}"
        label = origins.get(path) or _origin_of(path, origins, file)
        if not isinstance(key, str):
            problems.append(InputError(label, prefix.rstrip(".") or "(top)", "keys must be text", key))
        elif path in FIELDS or (not prefix and path in EXTENSIONS):
            found[path] = value
        elif path in SECTIONS:
            if isinstance(value, dict):
                _walk(value, path + ".", origins, file, problems, found)
            else:
                keys = sorted({p[len(path) + 1:].split(".")[0] for p in FIELDS if p.startswith(path + ".")})
                problems.append(InputError(label, path, "must be a mapping of " + ", ".join(keys), value))
        elif path != "extends":
            problems.append(InputError(label, path, f"is not a known input ({_spelling_hint(key, prefix)})", value))


def _spelling_hint(key: str, prefix: str) -> str:
    """``did you mean X?`` with the closest known key in the same section, else the input of that name in
    another section (``revenue.conversion`` → ``revenue.community.conversion``), else a plain hint."""
    known = {p[len(prefix):].split(".")[0] for p in (*FIELDS, *EXTENSIONS) if p.startswith(prefix)}
    close = difflib.get_close_matches(key, sorted(known), n=1)
    if close:
        return f"did you mean {prefix}{close[0]}?"
    named = [p for p in FIELDS if p.rsplit(".", 1)[-1] == key]
    inside = [p for p in named if prefix and p.startswith(prefix.split(".")[0] + ".")]
    return f"did you mean {(inside or named)[0]}?" if named else "check the spelling"


def _origin_of(path: str, origins: Mapping, file: str) -> str:
    while "." in path:
        path = path.rsplit(".", 1)[0]
        if path in origins:
            return origins[path]
    return file


def _build(raw: dict, origins: dict, file: str, chain: tuple[str, ...]) -> Scenario:
    problems: list[InputError] = []
    warnings: list[InputWarning] = []
    found: dict = {}
    texts_read = with_texts(raw, lambda path, why, value: problems.append(
        InputError(origins.get(path) or _origin_of(path, origins, file), path, why, value)))
    _walk(texts_read, "", origins, file, problems, found)
    values: dict[str, object] = {}
    assumptions: dict[str, Assumption] = {}
    texts = {path: _bilingual(found.pop(path), path, found, origins, file, problems) for path in BILINGUAL
             if isinstance(found.get(path), dict) and set(found[path]) & set(LANGUAGES)}
    for path, spec in FIELDS.items():
        label = origins.get(path) or _origin_of(path, origins, file)
        if path not in found:
            if spec.default is REQUIRED:
                problems.append(InputError(file, path, f"is required ({spec.help})", show=False))
                continue
            values[path] = spec.default
            assumptions[path] = Assumption(path, spec.default, spec.unit, spec.help, None, "default", None, None)
            continue
        value, meta = unpack_leaf(found[path], path, label, problems)
        if isinstance(found[path], dict) and "value" not in found[path]:
            continue  # already reported by _unpack_leaf
        try:
            values[path] = spec.parse(value)
        except ValueError as exc:
            problems.append(InputError(label, path, str(exc), value))
            continue
        slip = spec.slip(value, values[path])
        if slip:
            warnings.append(InputWarning(label, path, slip, value))
        basis = meta.get("basis") or ("study" if meta.get("source") else "ours")
        assumptions[path] = Assumption(path, values[path], spec.unit, spec.help, meta.get("source"), basis,
                                       meta.get("note"), label)
    problems.extend(_cross_checks(values, set(found), file, origins))
    extensions = {}
    label_of = lambda p: origins.get(p) or _origin_of(p, origins, file)  # noqa: E731
    horizon = values.get("timeline.horizon_months") or MAX_HORIZON_MONTHS
    for name, parse in EXTENSIONS.items():
        if name in found:
            extra = {"horizon": horizon} if name in WITH_HORIZON else {}
            extensions[name], more = parse(found[name], label_of, **extra)
            problems.extend(m for m in more if not isinstance(m, InputWarning))
            warnings.extend(m for m in more if isinstance(m, InputWarning))
    one_off_values, more = _one_off_values(extensions, label_of)
    values.update(one_off_values)
    problems.extend(more)
    if problems:
        raise ScenarioError(problems, warnings)
    name = values["name"] or Path(file).stem
    scenario = Scenario(str(name), file, values, assumptions, chain, extensions, tuple(warnings),
                        {p: t for p, t in texts.items() if t}, raw, origins)
    problems = unset_drivers(scenario) if extensions else []
    if problems:
        raise ScenarioError(problems, warnings)
    return scenario


BILINGUAL = ("name", "description")  # the top-level texts a file may give as {zh: …, en: …} (see ``texts``)


def _bilingual(raw: dict, path: str, found: dict, origins: Mapping, file: str, problems: list) -> dict[str, str]:
    """``{zh: …, en: …}`` for a name or description: puts the English (or the only) text in ``found``."""
    label = origins.get(path) or _origin_of(path, origins, file)
    extra = sorted(map(str, set(raw) - set(LANGUAGES)))
    bad = [k for k in LANGUAGES if k in raw and (not isinstance(raw[k], str) or not raw[k].strip())]
    if extra or bad:
        problems.append(InputError(label, path, BILINGUAL_FORM, raw))
        return {}
    texts = {k: " ".join(raw[k].split()) if path == "name" else raw[k].strip() for k in LANGUAGES if k in raw}
    found[path] = texts.get("en") or texts["zh"]
    return texts


def _one_off_values(extensions: Mapping[str, object], label_of) -> tuple[dict, list[InputError]]:
    """``one_off_costs.NAME.amount`` and ``.month`` for every one-off cost: the section's at their amount,
    the risks' own at 0 (their impact adds the amount). A name may be used once."""
    values: dict[str, object] = {}
    problems = []
    for cost in extensions.get(ONE_OFF_SECTION, ()):
        values[cost.amount_path], values[cost.month_path] = cost.amount, cost.month
    for risk in extensions.get("risks", ()):
        if risk.one_off is None:
            continue
        if risk.one_off.amount_path in values:
            where = f"risks.{risk.key}.one_off"
            problems.append(InputError(label_of(where), where, f"is named like the entry {ONE_OFF_SECTION}."
                                       f"{risk.key}: rename the risk or the entry", show=False))
            continue
        values[risk.one_off.amount_path], values[risk.one_off.month_path] = 0.0, risk.one_off.month
    seen: dict[str, str] = {}
    for path in (p for p in values if p.endswith(".amount")):
        name = path[len(ONE_OFF_SECTION) + 1:-len(".amount")]
        if name.casefold() in seen:  # the workbook names each input; Excel's names ignore letter case
            where = f"{ONE_OFF_SECTION}.{name}"
            problems.append(InputError(label_of(where), where, f"differs from {ONE_OFF_SECTION}."
                                       f"{seen[name.casefold()]} only in letter case: rename one", show=False))
        seen.setdefault(name.casefold(), name)
    return values, problems


def _cross_checks(values: Mapping[str, object], stated: set, file: str, origins: Mapping) -> list[InputError]:
    """Rules that tie several inputs together."""
    problems = []
    ends = [values.get(f"timeline.phase_end_month.{p}") for p in PHASES[:-1]]
    if None not in ends:
        for earlier, later, phase in zip(ends, ends[1:], PHASES[1:]):
            if later < earlier:
                path = f"timeline.phase_end_month.{phase}"
                problems.append(InputError(origins.get(path, file), path,
                                           f"must not be before the previous phase's end (month {earlier})", later))
    horizon, ramp = values.get("timeline.horizon_months"), values.get("adoption.uplift_months")
    if horizon is not None and ramp is not None and ramp > horizon:
        problems.append(InputError(origins.get("adoption.uplift_months", file), "adoption.uplift_months",
                                   f"must not be longer than the horizon ({horizon} months)", _plain(ramp)))
    rate, growth = values.get("finance.discount_rate_annual"), values.get("terminal_value.growth_yearly")
    if values.get("terminal_value.method") == "gordon" and rate is not None and growth is not None and growth >= rate:
        problems.append(InputError(origins.get("terminal_value.growth_yearly", file), "terminal_value.growth_yearly",
                                   f"must be below the discount rate ({rate:.1%} a year) for a Gordon terminal value",
                                   f"{growth:.1%}"))
    initial, cap = values.get("users.initial"), values.get("users.cap")
    if initial is not None and cap is not None and cap < initial:
        problems.append(InputError(origins.get("users.cap", file), "users.cap",
                                   f"must be at least the initial users ({_plain(initial):,})", _plain(cap)))
    for lever, effect in (("saas_scrm", "tech_investment_cut"), ("part_time_staff", "labour_cut"),
                          ("ai_customer_service", "saving_yearly"), ("lean_events", "activities_cut")):
        path = f"levers.{lever}.{effect}"
        if values.get(f"levers.{lever}.enabled") and path not in stated:
            problems.append(InputError(file, path, f"must be stated when levers.{lever} is enabled "
                                       "(the study's effect, with its source)", show=False))
    return problems


def _plain(number: float) -> float | int:
    """A whole number as an int, so messages show ``500`` rather than ``500.0``."""
    return int(number) if float(number).is_integer() else number


def load_scenario(path: str | Path, overrides: Mapping[str, object] | None = None) -> Scenario:
    """Load, inherit and validate one scenario file; raises :class:`ScenarioError`.

    Values that are allowed but probably slips are kept, one line each, in :attr:`Scenario.warnings`
    (and in :attr:`ScenarioError.warnings` when the file also has errors): show them, never fail on them.

    ``overrides`` maps input paths to values written as in a file (``{"finance.
    discount_rate_annual": "10%"}``); errors in them name ``--set``.
    """
    label = str(path)
    try:
        raw, origins, chain = _resolve_chain(Path(path), label)
    except InputError as exc:
        raise ScenarioError([exc]) from None
    if overrides:
        _apply_overrides(raw, origins, overrides, "--set")
    return _build(raw, origins, label, chain)


def parse_assignment(text: str) -> tuple[str, object]:
    """``"users.initial=2e6"`` → ``("users.initial", "2e6")``; the value read as YAML."""
    path, sep, value = text.replace("＝", "=", 1).partition("=")
    path = ".".join(normalise_key(part) for part in path.split("."))
    if not sep or not path.strip():
        raise ScenarioError([InputError("--set", text or "(empty)", "must be FIELD.PATH=VALUE", show=False)])
    try:
        parsed = yaml.safe_load(value) if value.strip() else None
    except yaml.YAMLError:
        parsed = value
    return path.strip(), parsed
