"""The package's exceptions: one base class, messages that name file, field and value."""

from __future__ import annotations

import json


def show_value(value: object, limit: int = 60) -> str:
    """Render a bad input value for an error line, short and unambiguous."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, dict):
        text = "a mapping {" + ", ".join(map(str, list(value)[:4])) + ("…}" if len(value) > 4 else "}")
    elif isinstance(value, (list, tuple)):
        text = f"a list of {len(value)} item" + ("" if len(value) == 1 else "s")
    elif value is None:
        text = "nothing (null)"
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ModelError(Exception):
    """Base class of every error this package raises on purpose."""


def one_line(file: str, field: str, problem: str, value: object = None, show: bool = True) -> str:
    """The one-line form of every message about an input: ``FILE: field.path: problem (got VALUE)``."""
    got = f" (got {show_value(value)})" if show else ""
    return f"{file}: {field}: {problem}{got}"


class InputError(ModelError):
    """One problem with one input: `FILE: field.path: what is wrong (got VALUE)`."""

    def __init__(self, file: str, field: str, problem: str, value: object = None, *, show: bool = True):
        self.file, self.field, self.problem, self.value = file, field, problem, value
        self.show = show
        super().__init__(str(self))

    def __str__(self) -> str:
        return one_line(self.file, self.field, self.problem, self.value, self.show)


class InputWarning:
    """A value that is allowed but probably a slip (90% monthly churn written 0.9): never fails a file.

    One line, `FILE: field.path: warning: what looks wrong (got VALUE)`; a loaded scenario keeps its
    warnings in :attr:`~model.inputs.scenario.Scenario.warnings`, a failed one in
    :attr:`ScenarioError.warnings`.
    """

    def __init__(self, file: str, field: str, problem: str, value: object = None, *, show: bool = True):
        self.file, self.field, self.problem, self.value = file, field, problem, value
        self.show = show

    def __str__(self) -> str:
        return one_line(self.file, self.field, f"warning: {self.problem}", self.value, self.show)

    def __repr__(self) -> str:
        return f"InputWarning({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InputWarning) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))


class ScenarioError(ModelError):
    """A scenario file failed validation; holds every problem found, one line each.

    ``warnings`` are the file's :class:`InputWarning` lines (values allowed but probably slips); its
    text lists the problems, then the warnings.
    """

    def __init__(self, problems: list[InputError], warnings: list[InputWarning] | tuple = ()):
        self.problems = list(problems)
        self.warnings = tuple(warnings)
        super().__init__("\n".join(str(p) for p in (*self.problems, *self.warnings)))
