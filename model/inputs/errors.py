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


class InputError(ModelError):
    """One problem with one input: `FILE: field.path: what is wrong (got VALUE)`."""

    def __init__(self, file: str, field: str, problem: str, value: object = None, *, show: bool = True):
        self.file, self.field, self.problem, self.value = file, field, problem, value
        self.show = show
        super().__init__(str(self))

    def __str__(self) -> str:
        got = f" (got {show_value(self.value)})" if self.show else ""
        return f"{self.file}: {self.field}: {self.problem}{got}"


class ScenarioError(ModelError):
    """A scenario file failed validation; holds every problem found, one line each."""

    def __init__(self, problems: list[InputError]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
