"""``feasibility inputs [--json] [--language en|zh]``: every input a scenario file may set.

The JSON form is a list of ``{name, unit, default, min, max, typical, meaning_en, meaning_zh}``, one
per input in schema order, then the one-off costs' ``one_off_costs.NAME.amount`` and ``.month``
(NAME is the scenario's choice). ``default``, ``min`` and ``max`` are numbers or null (no default,
a required input, an unbounded maximum, or an input that is not a number); ``typical`` is the
``[low, high]`` range of a rate from the sources, or null.
"""

from __future__ import annotations

import argparse
import json
import math

from ..inputs.schema import FIELDS, ONE_OFF_FIELDS, ONE_OFF_SECTION, REQUIRED, Field, percent_text

NUMERIC_KINDS = ("money", "rate", "number", "months", "years")
KEYS = ("name", "unit", "default", "min", "max", "typical", "meaning_en", "meaning_zh")


def every_input() -> dict[str, Field]:
    """Every input by name: the schema's, then a one-off cost's amount and month (``one_off_costs.NAME.…``)."""
    return {**FIELDS, **{f"{ONE_OFF_SECTION}.NAME.{key}": spec for key, spec in ONE_OFF_FIELDS.items()}}


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return value


def input_row(name: str, spec: Field) -> dict:
    """One input as the JSON form gives it (see the module's text)."""
    numeric = spec.kind in NUMERIC_KINDS
    return {"name": name, "unit": spec.unit,
            "default": _number(spec.default) if numeric and spec.default is not REQUIRED else None,
            "min": _number(spec.low) if numeric else None, "max": _number(spec.high) if numeric else None,
            "typical": list(spec.typical) if spec.typical else None,
            "meaning_en": spec.help, "meaning_zh": spec.help_zh}


def input_rows() -> list[dict]:
    """Every input as the JSON form gives it, in schema order."""
    return [input_row(name, spec) for name, spec in every_input().items()]


def _shown(spec: Field, value: object) -> str:
    """A default or bound for the table: rates as percentages, the rest plainly (money in yuan)."""
    if value is REQUIRED:
        return "required"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(map(str, value)) + "]"
    if isinstance(value, str):
        return value
    if not math.isfinite(value):
        return "∞"
    if spec.kind == "rate":
        return percent_text(value)
    return f"{value:g}"


def _range(spec: Field) -> str:
    if spec.kind == "choice":
        return " | ".join(spec.choices)
    if spec.kind == "choices":
        return "any of " + ", ".join(spec.choices)
    if spec.kind not in NUMERIC_KINDS:
        return ""
    return f"{_shown(spec, spec.low)} to {_shown(spec, spec.high)}"


def input_table(language: str = "en") -> str:
    """Every input as a readable table: name, unit, default, allowed range, typical range, meaning."""
    headers = ("input", "unit", "default", "allowed", "typical", "meaning")
    rows = [(name, spec.unit, _shown(spec, spec.default), _range(spec), spec.typical_text(),
             spec.help_zh if language == "zh" else spec.help) for name, spec in every_input().items()]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers[:-1])]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)) + "  " + headers[-1]]
    lines.append("  ".join("-" * w for w in widths) + "  " + "-" * len(headers[-1]))
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)) + "  " + row[-1] for row in rows]
    return "\n".join(lines)


def cmd_inputs(args: argparse.Namespace) -> int:
    if args.json:
        print(json.dumps(input_rows(), ensure_ascii=False, indent=2))
    else:
        print(input_table(args.language))
    return 0


def add_command(subparsers) -> None:
    """Register ``feasibility inputs`` on the CLI's subparsers."""
    inputs = subparsers.add_parser("inputs", help="every input a scenario file may set: unit, default, range, meaning")
    inputs.add_argument("--json", action="store_true", help="a JSON list: name, unit, default, min, max, typical, "
                        "meaning_en, meaning_zh")
    inputs.add_argument("--language", choices=("en", "zh"), default="en", help="language of the table's meanings")
    inputs.set_defaults(func=cmd_inputs)


__all__ = ["KEYS", "every_input", "input_row", "input_rows", "input_table", "cmd_inputs", "add_command"]
