"""``feasibility bridge FROM.yaml TO.yaml [--steps FILE] [--metric npv|npv_annual] [--json]``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml

from ..inputs.errors import InputError, ScenarioError
from ..inputs.scenario import load_scenario


def read_steps(path: str) -> list[dict]:
    """The ``--steps`` file: a YAML list of ``{NAME: [input or section, …]}``; one-line errors otherwise."""
    try:
        steps = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScenarioError([InputError(path, "(file)", f"cannot be read: {exc.strerror}", show=False)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise ScenarioError([InputError(path, "(file)", f"is not valid YAML{where}", show=False)]) from None
    if not isinstance(steps, list) or not steps:
        raise ScenarioError([InputError(path, "(file)", "must be a list of steps, each {NAME: [inputs]}", steps)])
    for i, item in enumerate(steps):
        if not (isinstance(item, dict) and len(item) == 1 and isinstance(next(iter(item.values())), list)
                and all(isinstance(e, str) for e in next(iter(item.values())))):
            raise ScenarioError([InputError(path, f"[{i}]", "must be {NAME: [input or section, …]}", item)])
    return steps


def cmd_bridge(args: argparse.Namespace) -> int:
    from ..outputs.report import money
    from ..risk.bridge import bridge, differing_inputs, named_groups

    start, end = load_scenario(args.start), load_scenario(args.end)
    groups = named_groups(read_steps(args.steps), differing_inputs(start, end)) if args.steps else None
    walk = bridge(start, end, args.metric, groups)
    if args.json:
        print(json.dumps(walk.to_json(), ensure_ascii=False, indent=2))
        return 0
    width = max([len(s.step) for s in walk.steps] + [len(start.name), len(end.name)])
    print(f"{args.metric}: {start.name} → {end.name}")
    print(f"  {start.name:<{width}}  {money(walk.start):>16}")
    for step in walk.steps:
        merged = f"  (merged with {', '.join(step.merged)}: invalid alone)" if step.merged else ""
        print(f"  {step.step:<{width}}  {('+' if step.delta >= 0 else '') + money(step.delta):>16}{merged}")
    print(f"  {end.name:<{width}}  {money(walk.end):>16}")
    print("  the order of the steps changes the deltas: each is measured after the steps above it")
    return 0


def add_command(commands) -> None:
    """Register ``bridge`` on the ``feasibility`` sub-parsers."""
    parser = commands.add_parser("bridge", help="walk NPV from one scenario to another, one group of inputs at a time")
    parser.add_argument("start", metavar="FROM")
    parser.add_argument("end", metavar="TO")
    parser.add_argument("--steps", metavar="FILE", help="YAML list of named groups of inputs: - NAME: [input, …]")
    parser.add_argument("--metric", choices=("npv", "npv_annual"), default="npv", help="default npv")
    parser.add_argument("--json", action="store_true", help='{"from", "to", "metric", "steps": [...]}')
    parser.set_defaults(func=cmd_bridge)


__all__ = ["add_command", "cmd_bridge", "read_steps"]
