"""The ``feasibility`` command: parse arguments, call the package, map errors to exit codes.

Exit codes: 0 success; 2 invalid input (one line per problem on stderr,
``FILE: field.path: what is wrong (got VALUE)``); 1 a run that failed for another reason.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path
from typing import Sequence

from .errors import ModelError, ScenarioError
from .evaluation import METRIC_LABELS, METRIC_UNITS, Result, evaluate, with_units
from .scenario import load_scenario, parse_assignment
from .units import format_money, format_rate

EXIT_INVALID = 2
EXIT_FAILED = 1
KEY_METRICS = ("npv", "npv_annual", "irr", "irr_annual", "payback_months", "roi", "ltv_cac")


def format_metric(name: str, value: float) -> str:
    """A metric for people, with its unit (money in 万元)."""
    if value is None or not math.isfinite(value):
        return "–"
    unit = METRIC_UNITS[name]
    if unit == "CNY":
        return format_money(value)
    if unit == "CNY/user":
        return f"{value:,.0f} 元/user"
    if unit == "fraction/year":
        return format_rate(value, "a year")
    if unit == "months":
        return f"{value:.1f} months"
    if unit.startswith("fraction"):
        return format_rate(value)
    return f"{value:,.2f}"


def metrics_json(result: Result) -> dict:
    """The ``run --json`` object: ``scenario``, every metric (NaN → null), units and notes."""
    out: dict = {"scenario": Path(result.scenario.file).stem}
    out.update({k: (v if math.isfinite(v) else None) for k, v in result.metrics.items()})
    out["units"] = dict(METRIC_UNITS)
    out["notes"] = dict(result.notes)
    return out


def _load(path: str, assignments: Sequence[str] = ()) :
    overrides = dict(parse_assignment(a) for a in assignments)
    return load_scenario(path, overrides or None)


def cmd_validate(args: argparse.Namespace) -> int:
    problems = []
    for path in args.files:
        try:
            _load(path)
        except ScenarioError as exc:
            problems.extend(exc.problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{len(args.files)} scenario file{'s' if len(args.files) != 1 else ''} valid")
    return EXIT_INVALID if problems else 0


def cmd_run(args: argparse.Namespace) -> int:
    result = evaluate(_load(args.file, args.set))
    if args.json:
        print(json.dumps(metrics_json(result), ensure_ascii=False, indent=2))
        return 0
    print(f"{result.scenario.name}  ({result.scenario.file})")
    width = max(map(len, METRIC_LABELS.values()))
    for name, value in result.metrics.items():
        print(f"  {METRIC_LABELS[name]:<{width}}  {format_metric(name, value)}")
    for name, note in result.notes.items():
        print(f"  note: {name}: {note}")
    print(f"  master check: {'all checks pass' if result.ok else 'FAILED'}")
    return 0 if result.ok else EXIT_FAILED


def cmd_cashflows(args: argparse.Namespace) -> int:
    result = evaluate(_load(args.file, args.set))
    table = with_units(result.annual if args.annual else result.monthly)
    if args.csv:
        target = sys.stdout if args.csv == "-" else args.csv
        table.to_csv(target, index=False, float_format="%.2f")
    else:
        with_units_wan = table.copy()
        print(with_units_wan.to_string(index=False, float_format=lambda v: f"{v:,.0f}"))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    rows, problems = [], []
    for path in args.files:
        try:
            rows.append(evaluate(_load(path)))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    headers = ["scenario"] + [f"{name}" for name in KEY_METRICS]
    cells = [[Path(r.scenario.file).stem] + [format_metric(n, r.metrics[n]) for n in KEY_METRICS] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    for row in cells:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    for problem in problems:
        print(problem, file=sys.stderr)
    return EXIT_INVALID if problems else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="feasibility", description="Community-marketing feasibility model.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check scenario files")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(func=cmd_validate)

    run = commands.add_parser("run", help="evaluate one scenario and print its metrics")
    run.add_argument("file", metavar="FILE")
    run.add_argument("--set", action="append", default=[], metavar="FIELD.PATH=VALUE",
                     help="override one input, e.g. --set revenue.community.conversion=5%%")
    run.add_argument("--json", action="store_true", help="one JSON object of the metrics")
    run.set_defaults(func=cmd_run)

    cashflows = commands.add_parser("cashflows", help="the monthly (or annual) cash-flow table")
    cashflows.add_argument("file", metavar="FILE")
    cashflows.add_argument("--set", action="append", default=[], metavar="FIELD.PATH=VALUE")
    cashflows.add_argument("--annual", action="store_true", help="years instead of months")
    cashflows.add_argument("--csv", metavar="PATH|-", help="write CSV to PATH, or to standard output with -")
    cashflows.set_defaults(func=cmd_cashflows)

    compare = commands.add_parser("compare", help="key metrics of several scenarios side by side")
    compare.add_argument("files", nargs="+", metavar="FILE")
    compare.set_defaults(func=cmd_compare)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except ScenarioError as exc:
        print(exc, file=sys.stderr)
        return EXIT_INVALID
    except ModelError as exc:
        print(f"feasibility: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except (BrokenPipeError, KeyboardInterrupt):
        return EXIT_FAILED
    except OSError as exc:
        print(f"feasibility: {exc.filename or ''}: {exc.strerror}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
