"""Scenario files: schema, loading with ``extends:`` inheritance, validation.

A scenario file is YAML (safe loading only). Every input is a leaf of the schema below; a
leaf is written either as a bare value or as a mapping that also names where the value
comes from::

    revenue:
      community:
        conversion: {value: 7.5%, source: "001 §5.2.1", basis: study}

``basis`` says whose figure it is: ``study`` (stated by a source document), ``derived``
(computed from stated figures) or ``ours`` (our own assumption). Without it, a value with a
source counts as ``study`` and one without as ``ours``.

Validation happens once, here; the engine trusts the :class:`Scenario` it is given.
"""

from __future__ import annotations

import copy
import difflib
import importlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from .errors import InputError, ScenarioError
from .units import parse_money, parse_number, parse_rate

REQUIRED = object()
BASES = ("study", "derived", "ours")
PHASES = ("pilot", "rollout", "optimisation", "steady")
MAX_HORIZON_MONTHS = 600
MAX_FILE_BYTES = 1_000_000


@dataclass(frozen=True)
class Field:
    """One input of the schema: its kind, display unit, meaning, default and bounds."""

    kind: str  # money | rate | number | months | flag | text | choice
    unit: str
    help: str
    default: object = REQUIRED
    low: float = 0.0
    high: float = math.inf
    choices: tuple[str, ...] = ()
    sanity_cap: bool = False  # ``high`` only catches typos (1e300 users), not a real limit

    def parse(self, raw: object) -> object:
        """The validated value of ``raw``; raises ValueError with what is wrong."""
        if raw is None:
            if self.default is None:
                return None
            raise ValueError("must have a value")
        if self.kind == "flag":
            if not isinstance(raw, bool):
                raise ValueError("must be true or false")
            return raw
        if self.kind == "text":
            if not isinstance(raw, str) or not raw.strip():
                raise ValueError("must be a non-empty text")
            return raw.strip()
        if self.kind == "choice":
            if raw not in self.choices:
                raise ValueError("must be one of " + ", ".join(self.choices))
            return raw
        parser = {"money": parse_money, "rate": parse_rate}.get(self.kind, parse_number)
        value = parser(raw)
        if self.kind == "months" and value != int(value):
            raise ValueError("must be a whole number of months")
        if not self.low <= value <= self.high:
            raise ValueError(self._range_text(value))
        return int(value) if self.kind == "months" else value

    def _range_text(self, value: float) -> str:
        if self.kind == "rate":
            return f"must be between {self.low:g} and {self.high:g} ({self.low:.0%} to {self.high:.0%})"
        if self.high == math.inf or (self.sanity_cap and value < self.low):
            return "must not be negative" if self.low == 0 else f"must be at least {self.low:g}"
        if self.sanity_cap:
            return f"must be at most {self.high:g} (a larger figure is surely a typo)"
        return f"must be between {self.low:g} and {self.high:g}"


MAX_MONEY = 1e13  # CNY: 10万亿, beyond any community plan — a larger figure is a typo
MAX_USERS = 1e10  # more users than people
MAX_PURCHASES_PER_YEAR = 3650  # ten a day


def _money(unit: str, help: str, default: object = 0.0) -> Field:
    return Field("money", unit, help, default, high=MAX_MONEY, sanity_cap=True)


def _rate(unit: str, help: str, default: object = 0.0, high: float = 1.0) -> Field:
    return Field("rate", unit, help, default, high=high)


def _cost_line(what: str) -> dict:
    return {
        "fixed_yearly": _money("CNY/year", f"{what}: fixed yearly amount"),
        "per_user_yearly": _money("CNY/user/year", f"{what}: amount per community user per year"),
    }


def _by_phase(what: str) -> dict:
    return {phase: _rate("fraction/month", f"{what} in the {phase} phase") for phase in PHASES}


#: The scenario schema: nested sections whose leaves are :class:`Field`.
SCHEMA: dict[str, Any] = {
    "name": Field("text", "", "short display name (default: the file name)", None),
    "description": Field("text", "", "what this case is and which convention it uses"),
    "timeline": {
        "horizon_months": Field("months", "months", "months evaluated after the investment (month 0)",
                                36, low=1, high=MAX_HORIZON_MONTHS),
        "phase_end_month": {
            "pilot": Field("months", "month", "last month of the pilot phase", 3, high=MAX_HORIZON_MONTHS),
            "rollout": Field("months", "month", "last month of the rollout phase", 9, high=MAX_HORIZON_MONTHS),
            "optimisation": Field("months", "month", "last month of the optimisation phase; steady state after",
                                  12, high=MAX_HORIZON_MONTHS),
        },
        "launch_delay_months": Field("number", "months", "months before community revenue starts "
                                     "(costs run meanwhile)", 0.0, high=MAX_HORIZON_MONTHS),
    },
    "finance": {
        "discount_rate_annual": _rate("fraction/year", "discount rate (cost of capital), annual", REQUIRED),
        "finance_rate_annual": _rate("fraction/year", "MIRR finance rate, annual (default: discount rate)", None),
        "reinvestment_rate_annual": _rate("fraction/year", "MIRR reinvestment rate, annual (default: discount rate)",
                                          None),
        "payback_target_months": Field("number", "months", "payback the verdict requires", 12.0, low=0,
                                       high=MAX_HORIZON_MONTHS),
    },
    "users": {
        "initial": Field("number", "users", "community users at month 0", REQUIRED, high=MAX_USERS,
                         sanity_cap=True),
        "cap": Field("number", "users", "market size: users never exceed it (none: no cap)", None, high=MAX_USERS,
                     sanity_cap=True),
        "growth_monthly": _by_phase("user growth, monthly"),
        "churn_monthly": _by_phase("user churn, monthly"),
    },
    "revenue": {
        "basis": Field("choice", "", "incremental: community minus the baseline the same users would buy "
                       "anyway (honest); gross: all community revenue (the study's convention)", REQUIRED,
                       choices=("incremental", "gross")),
        "gross_margin": _rate("fraction", "gross margin on counted revenue (1 = the study's convention)",
                              REQUIRED),
        "community": {
            "conversion": _rate("fraction of users", "share of community users who buy"),
            "purchases_per_year": Field("number", "purchases/buyer/year", "purchases per buyer per year", 0.0,
                                        high=MAX_PURCHASES_PER_YEAR, sanity_cap=True),
            "aov": _money("CNY/order", "average order value in the community"),
        },
        "baseline": {
            "conversion": _rate("fraction of users", "share of the same users who would buy without the community"),
            "purchases_per_year": Field("number", "purchases/buyer/year", "baseline purchases per buyer per year",
                                        0.0, high=MAX_PURCHASES_PER_YEAR, sanity_cap=True),
            "aov": _money("CNY/order", "average order value without the community"),
        },
        "exclusive": {
            "share": _rate("fraction of community revenue", "share of community sales that are exclusive products"),
            "premium": _rate("fraction", "price premium on exclusive products"),
        },
        "stated_benefit_yearly": _money("CNY/year", "benefit a source states only as a yearly total; "
                                        "counted as is, no margin applied"),
    },
    "indirect": {
        "enabled": Field("flag", "", "count indirect benefits in the cash flow", False),
        "word_of_mouth_yearly": _money("CNY/year", "word-of-mouth benefit per year"),
        "data_value_yearly": _money("CNY/year", "value of community data per year"),
        "other_yearly": _money("CNY/year", "other indirect benefit per year"),
    },
    "investment": {
        "tech": _money("CNY", "initial technology investment (month 0)"),
        "labour": _money("CNY", "initial labour investment (month 0)"),
        "content": _money("CNY", "initial content investment (month 0)"),
    },
    "operating_costs": {
        "labour": _cost_line("labour"),
        "labour_staffing": {
            "users_per_operator": Field("number", "users/operator", "users one operator serves (none: not used)",
                                        None, low=1),
            "operator_cost_yearly": _money("CNY/operator/year", "yearly cost of one operator"),
        },
        "activities": _cost_line("activities and events"),
        "acquisition": {
            "per_new_user": _money("CNY/new user", "acquisition cost per new community user (CAC paid)"),
        },
        "tech_maintenance": _cost_line("technology maintenance"),
        "other": _cost_line("other operating costs"),
    },
    "levers": {
        "saas_scrm": {
            "enabled": Field("flag", "", "SaaS SCRM instead of custom development", False),
            "tech_investment_cut": _rate("fraction", "cut in initial tech investment when switched on"),
            "subscription_yearly": _money("CNY/year", "SaaS subscription added to tech maintenance"),
        },
        "part_time_staff": {
            "enabled": Field("flag", "", "part-time staff share", False),
            "labour_cut": _rate("fraction", "cut in operating labour cost when switched on"),
        },
        "ai_customer_service": {
            "enabled": Field("flag", "", "AI customer service for routine questions", False),
            "saving_yearly": _money("CNY/year", "labour saved per year when switched on"),
        },
        "lean_events": {
            "enabled": Field("flag", "", "small weekly + big monthly events", False),
            "activities_cut": _rate("fraction", "cut in activities cost when switched on"),
        },
    },
}


def _flatten(schema: Mapping[str, Any], prefix: str = "") -> dict[str, Field]:
    out: dict[str, Field] = {}
    for key, node in schema.items():
        path = prefix + key
        out.update(_flatten(node, path + ".") if isinstance(node, dict) else {path: node})
    return out


#: Every input by its dotted path, e.g. ``"revenue.community.conversion"``.
FIELDS: dict[str, Field] = _flatten(SCHEMA)
SECTIONS = {".".join(p.split(".")[:i]) for p in FIELDS for i in range(1, p.count(".") + 1)}
META_KEYS = ("value", "source", "basis", "note")

#: Top-level sections with a shape of their own, validated by another module:
#: name → "module:function". The function is called as ``parse(raw, label_of)``, where
#: ``label_of(path)`` names the file that set a path, and returns ``(parsed, problems)``
#: with ``problems`` a list of :class:`InputError`. Their mappings merge through ``extends``.
EXTENSIONS: dict[str, str] = {"risks": "model.risk_register:parse_risks",
                               "uncertainty": "model.risk_register:parse_uncertainty"}
#: Checks of a whole scenario by the modules that own its extensions: "module:function",
#: called as ``check(scenario)`` when an extension is present; returns a list of InputError.
EXTENSION_CHECKS: tuple[str, ...] = ("model.risk_register:unset_drivers",)


@dataclass(frozen=True)
class Assumption:
    """One input's value with its provenance, for the assumptions table."""

    path: str
    value: object
    unit: str
    help: str
    source: str | None
    basis: str  # study | derived | ours | default
    note: str | None
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
    _raw: dict = field(default_factory=dict, repr=False, compare=False)
    _origins: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def description(self) -> str:
        return str(self.values["description"])

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


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML loading that also refuses duplicate keys (a typo must never pass silently)."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if isinstance(key, (list, dict)):
            raise yaml.constructor.ConstructorError(
                None, None, "keys must be plain text, not lists or mappings", key_node.start_mark)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path, label: str) -> dict:
    """The top-level mapping of one file; every failure as a one-line InputError."""
    def fail(problem: str, value: object = None, show: bool = False) -> InputError:
        return InputError(label, "(file)", problem, value, show=show)

    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise fail("no such file") from None
    except IsADirectoryError:
        raise fail("is a folder, not a scenario file") from None
    except OSError as exc:
        raise fail(f"cannot be read: {exc.strerror}") from None
    if len(data) > MAX_FILE_BYTES:
        raise fail(f"is too large for a scenario file ({len(data):,} bytes; limit {MAX_FILE_BYTES:,})")
    if b"\0" in data:
        raise fail("is a binary file, not YAML text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise fail("is not UTF-8 text") from None
    if not text.strip():
        raise fail("is empty")
    try:
        content = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.constructor.ConstructorError as exc:
        where = f" at line {exc.problem_mark.line + 1}" if exc.problem_mark else ""
        problem = exc.problem or "cannot be read"
        if "could not determine a constructor" in problem:
            tag = problem.split("tag ", 1)[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
            problem = f"YAML tags that build objects are not allowed: {tag}"
        raise fail(f"{problem}{where}") from None
    except RecursionError:
        raise fail("is nested too deeply to be a scenario file") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise fail(f"is not valid YAML: {getattr(exc, 'problem', None) or exc}{where}") from None
    if content is None:
        raise fail("is empty (only comments)")
    if not isinstance(content, dict):
        raise fail("must be a mapping of sections (name, description, users, revenue, …)", content, True)
    return content


def _merge(base: dict, child: Mapping, origins: dict, label: str, prefix: str = "") -> None:
    """Deep-merge ``child`` into ``base`` in place, noting which file set each leaf."""
    for key, value in child.items():
        path = f"{prefix}{key}"
        mergeable = path in SECTIONS or path.split(".")[0] in EXTENSIONS
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
        content = _read_yaml(current, current_label)
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
            raise InputError(current_label, "extends", "no such scenario file", parent)
        current, current_label = target, str(target)
    merged: dict = {}
    origins: dict = {}
    for _, file_label, content in reversed(chain):
        _merge(merged, {k: v for k, v in content.items() if k != "extends"}, origins, file_label)
    return merged, origins, tuple(lbl for _, lbl, _ in chain)


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
        if path not in FIELDS:
            section, _, key = path.rpartition(".")
            hint = _spelling_hint(key, section + "." if section else "")
            raise ScenarioError([InputError(origin, path, f"is not a known input ({hint})", value)])
        _set_path(raw, path, value)
        origins[path] = origin


def _unpack_leaf(raw: object, path: str, label: str, problems: list) -> tuple[object, dict]:
    """Split a leaf into its value and its provenance (source, basis, note)."""
    if not isinstance(raw, dict):
        return raw, {}
    if "value" not in raw:
        problems.append(InputError(label, path, "must be a value, or a mapping with 'value' and 'source'", raw))
        return None, {}
    meta = {}
    for key, item in raw.items():
        if key not in META_KEYS:
            problems.append(InputError(label, f"{path}.{key}", "is not a known key (value, source, basis, note)",
                                       item))
        elif key == "basis" and item not in BASES:
            problems.append(InputError(label, f"{path}.basis", "must be one of " + ", ".join(BASES), item))
        elif key in ("source", "note") and not isinstance(item, str):
            problems.append(InputError(label, f"{path}.{key}", "must be text", item))
        elif key != "value":
            meta[key] = item
    return raw["value"], meta


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
    """``did you mean X?`` with the closest known key in the same section, else a plain hint."""
    known = {p[len(prefix):].split(".")[0] for p in (*FIELDS, *EXTENSIONS) if p.startswith(prefix)}
    close = difflib.get_close_matches(key, sorted(known), n=1)
    return f"did you mean {prefix}{close[0]}?" if close else "check the spelling"


def _origin_of(path: str, origins: Mapping, file: str) -> str:
    while "." in path:
        path = path.rsplit(".", 1)[0]
        if path in origins:
            return origins[path]
    return file


def _build(raw: dict, origins: dict, file: str, chain: tuple[str, ...]) -> Scenario:
    problems: list[InputError] = []
    found: dict = {}
    _walk(raw, "", origins, file, problems, found)
    values: dict[str, object] = {}
    assumptions: dict[str, Assumption] = {}
    for path, spec in FIELDS.items():
        label = origins.get(path) or _origin_of(path, origins, file)
        if path not in found:
            if spec.default is REQUIRED:
                problems.append(InputError(file, path, f"is required ({spec.help})", show=False))
                continue
            values[path] = spec.default
            assumptions[path] = Assumption(path, spec.default, spec.unit, spec.help, None, "default", None, None)
            continue
        value, meta = _unpack_leaf(found[path], path, label, problems)
        if isinstance(found[path], dict) and "value" not in found[path]:
            continue  # already reported by _unpack_leaf
        try:
            values[path] = spec.parse(value)
        except ValueError as exc:
            problems.append(InputError(label, path, str(exc), value))
            continue
        basis = meta.get("basis") or ("study" if meta.get("source") else "ours")
        assumptions[path] = Assumption(path, values[path], spec.unit, spec.help, meta.get("source"), basis,
                                       meta.get("note"), label)
    problems.extend(_cross_checks(values, set(found), file, origins))
    extensions = {}
    for name, target in EXTENSIONS.items():
        if name in found:
            parse = _function(target)
            extensions[name], more = parse(found[name], lambda p: origins.get(p) or _origin_of(p, origins, file))
            problems.extend(more)
    if problems:
        raise ScenarioError(problems)
    name = values["name"] or Path(file).stem
    scenario = Scenario(str(name), file, values, assumptions, chain, extensions, raw, origins)
    problems = [p for target in (EXTENSION_CHECKS if extensions else ()) for p in _function(target)(scenario)]
    if problems:
        raise ScenarioError(problems)
    return scenario


def _function(target: str):
    """The function named ``"module:function"``."""
    module, function = target.split(":")
    return getattr(importlib.import_module(module), function)


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
    path, sep, value = text.partition("=")
    if not sep or not path.strip():
        raise ScenarioError([InputError("--set", text or "(empty)", "must be FIELD.PATH=VALUE", show=False)])
    try:
        parsed = yaml.safe_load(value) if value.strip() else None
    except yaml.YAMLError:
        parsed = value
    return path.strip(), parsed
