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

from ..inputs.errors import ModelError, ScenarioError
from ..inputs.scenario import Scenario, load_scenario, parse_assignment
from . import bridge_cli
from . import inputs_cli
from . import batch

# Only the inputs layer is imported up front: `validate` reads YAML and needs neither pandas nor
# scipy nor matplotlib. Each other verb imports what it uses.

EXIT_INVALID = 2
EXIT_FAILED = 1
KEY_METRICS = ("npv", "npv_annual", "irr", "irr_annual", "payback_months", "roi", "ltv_cac")


def metrics_json(result, assignments: Sequence[str] = ()) -> dict:
    """The ``run --json`` object of a :class:`~model.core.evaluation.Result`: ``scenario``, every
    metric (NaN → null), units and notes; with ``--set`` ``assignments``, also ``overrides``:
    each overridden input's value as used, in its base unit (CNY, fractions, months)."""
    from ..core.metrics import METRIC_UNITS

    out: dict = {"scenario": Path(result.scenario.file).stem, "name": result.scenario.name,
                 "name_zh": result.scenario.texts.get("name", {}).get("zh")}
    if assignments:
        paths = [parse_assignment(a)[0] for a in assignments]
        out["overrides"] = {p: list(v) if isinstance(v, tuple) else v
                            for p, v in ((p, result.scenario.values.get(p)) for p in paths)}
    out.update({k: (v if math.isfinite(v) else None) for k, v in result.metrics.items()})
    out["irr_ambiguous"] = bool(result.metrics["irr_ambiguous"])
    out["units"] = dict(METRIC_UNITS)
    out["notes"] = dict(result.notes)
    return out


def _load(path: str, assignments: Sequence[str] = ()) -> Scenario:
    """The scenario at ``path`` with the ``--set FIELD.PATH=VALUE`` assignments applied."""
    overrides = dict(parse_assignment(a) for a in assignments)
    scenario = load_scenario(path, overrides or None)
    for warning in scenario.warnings:  # values allowed but probably slips: stderr, one line each
        print(warning, file=sys.stderr)
    return scenario


def _evaluate(path: str, assignments: Sequence[str] = ()):
    """The :class:`~model.core.evaluation.Result` of the scenario at ``path`` with its ``--set`` assignments."""
    from ..core.evaluation import evaluate

    return evaluate(_load(path, assignments))


def cmd_validate(args: argparse.Namespace) -> int:
    problems = []
    for path in args.files:
        try:
            _load(path)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            print(exc, file=sys.stderr)  # its problems, then its warnings
    if not problems:
        print(f"{len(args.files)} scenario file{'s' if len(args.files) != 1 else ''} valid")
    return EXIT_INVALID if problems else 0


def cmd_run(args: argparse.Namespace) -> int:
    from ..outputs.labels import label
    from ..outputs.report import format_metric, irr_reason, irr_text

    result = _evaluate(args.file, args.set)
    if args.json:
        print(json.dumps(metrics_json(result, args.set), ensure_ascii=False, indent=2))
        return 0
    print(f"{result.scenario.name}  ({result.scenario.file})")
    names = {name: label(f"{name}_full") for name in result.metrics}
    width = max(map(len, names.values()))
    for name, value in result.metrics.items():
        print(f"  {names[name]:<{width}}  {irr_text(result.metrics) if name == 'irr' else format_metric(name, value)}")
    if irr_reason(result.metrics):
        print(f"  note: irr: {irr_reason(result.metrics)}")
    for name, note in result.notes.items():
        print(f"  note: {name}: {note}")
    print(f"  master check: {'all checks pass' if result.ok else 'FAILED'}")
    return 0 if result.ok else EXIT_FAILED


def cmd_cashflows(args: argparse.Namespace) -> int:
    from ..core.evaluation import with_units

    result = _evaluate(args.file, args.set)
    table = with_units(result.annual if args.annual else result.monthly)
    if args.csv:
        target = sys.stdout if args.csv == "-" else args.csv
        table.to_csv(target, index=False, float_format="%.2f")
    else:
        print(table.to_string(index=False, float_format=lambda v: f"{v:,.0f}"))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from ..outputs.report import format_metric, irr_text

    rows, problems = [], []
    for path in args.files:
        try:
            rows.append(_evaluate(path, args.set))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if args.csv == "-":  # every metric, full precision (text cells safe for spreadsheets)
        sys.stdout.write(batch.compare_csv(rows))
    elif args.csv:
        Path(args.csv).write_text(batch.compare_csv(rows), encoding="utf-8")
    if args.json:
        print(json.dumps([metrics_json(r, args.set) for r in rows], ensure_ascii=False, indent=2))
    headers = ["scenario"] + [f"{name}" for name in KEY_METRICS]
    cells = [[Path(r.scenario.file).stem] + [irr_text(r.metrics) if n == "irr" else format_metric(n, r.metrics[n])
                                             for n in KEY_METRICS] for r in rows]
    widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h) for i, h in enumerate(headers)]
    if not (args.json or args.csv == "-"):  # the table, unless standard output holds JSON or CSV
        print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
        for row in cells:
            print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))
    for problem in problems:
        print(problem, file=sys.stderr)
    return EXIT_INVALID if problems else 0


def _positive_int(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1 (got {text!r})")
    return int(text)


def _seed(text: str) -> int:
    if not text.strip().isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 0 (got {text!r})")
    return int(text)


def cmd_risk(args: argparse.Namespace) -> int:
    from ..outputs.risk_tables import format_text
    from ..risk.analysis import analyse

    analysis = analyse(_load(args.file, args.set), trials=args.trials, seed=args.seed, mitigated=args.mitigated)
    print(json.dumps(analysis.to_json(), ensure_ascii=False, indent=2) if args.json else format_text(analysis))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from .. import audit as study_audit

    claims = study_audit.audit()
    shown = study_audit.claims_for(_load(args.scenario), claims) if args.scenario else claims
    if args.json:
        print(json.dumps(study_audit.audit_json(shown), ensure_ascii=False, indent=2))
    else:
        print(study_audit.report_text(shown, study_audit.conclusion(claims=claims)))
    return 0


def _port(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"must be a TCP port, 1 to 65535 (got {text!r})")
    return int(text)


def cmd_dashboard(args: argparse.Namespace) -> int:
    from .dashboard import serve  # ipywidgets and Voila are loaded only for the dashboard

    return serve(args.port, language=args.language)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM stops a render as Ctrl-C does: staged files removed, reports kept


def cmd_render(args: argparse.Namespace) -> int:
    import signal

    from ..outputs.render import REPORTS, render  # papermill and nbconvert are loaded only for rendering

    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        outcomes = render(args.files, args.out or REPORTS, args.jobs, args.language, pdf=args.pdf,
                          scheduler=args.scheduler)
    finally:
        signal.signal(signal.SIGTERM, previous)
    failed = [o for o in outcomes if not o.ok]
    print(f"{len(outcomes) - len(failed)} of {len(outcomes)} scenarios rendered into {args.out or REPORTS}"
          + (f"; {len(failed)} failed (listed above and in index.html)" if failed else ""))
    if not failed:
        return 0
    return EXIT_INVALID if all(o.status == "invalid" for o in failed) else EXIT_FAILED


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
    compare.add_argument("--set", action="append", default=[], metavar="FIELD.PATH=VALUE",
                         help="override one input in every scenario")
    compare.add_argument("--csv", metavar="PATH|-", help="every metric as CSV to PATH, or to standard output with -")
    compare.add_argument("--json", action="store_true", help="a JSON list of run --json objects")
    compare.set_defaults(func=cmd_compare)

    risk = commands.add_parser("risk", help="stress cases, expected NPV, Monte Carlo, tornado, break-even")
    risk.add_argument("file", metavar="FILE")
    risk.add_argument("--set", action="append", default=[], metavar="FIELD.PATH=VALUE")
    risk.add_argument("--trials", type=_positive_int, default=10_000, metavar="N", help="Monte Carlo trials")
    risk.add_argument("--seed", type=_seed, default=2025, metavar="S", help="random seed (recorded in the output)")
    risk.add_argument("--mitigated", action="store_true", help="Monte Carlo with every mitigation in place")
    risk.add_argument("--json", action="store_true", help="one JSON object: stress, expected_npv, montecarlo, "
                      "tornado, breakeven")
    risk.set_defaults(func=cmd_risk)

    audit = commands.add_parser("audit", help="the feasibility study's own figures against our recomputation")
    audit.add_argument("--scenario", metavar="FILE", help="only the claims that concern this scenario")
    audit.add_argument("--json", action="store_true", help="a JSON list: id, section, claim, stated, recomputed, "
                       "unit, verdict, note")
    audit.set_defaults(func=cmd_audit)

    dashboard = commands.add_parser("dashboard", help="serve the planner dashboard with Voila on 127.0.0.1")
    dashboard.add_argument("--port", type=_port, default=8866, metavar="P", help="TCP port (default 8866)")
    dashboard.add_argument("--language", choices=("zh", "en"), default="zh",
                           help="dashboard language, passed to the notebook as $FEASIBILITY_LANGUAGE (default zh)")
    dashboard.set_defaults(func=cmd_dashboard)

    render = commands.add_parser("render", help="render scenarios into HTML + Excel reports with an index")
    render.add_argument("files", nargs="*", metavar="FILE", help="scenario files (default: every file in scenarios/)")
    render.add_argument("--out", metavar="DIR", help="output folder (default: the project's reports/)")
    render.add_argument("-j", "--jobs", type=_positive_int, metavar="N", help="reports at a time (default: cores)")
    render.add_argument("--language", choices=("en", "zh"), default="en", help="report language (default en)")
    render.add_argument("--pdf", action="store_true", help="also print each report to NAME.pdf (headless Chromium)")
    render.add_argument("--scheduler", metavar="ADDRESS", help="run the notebooks on the Dask cluster at "
                        "tcp://HOST:PORT (the scenarios' content is sent; the files come back here)")
    render.set_defaults(func=cmd_render)
    bridge_cli.add_command(commands)
    inputs_cli.add_command(commands)
    batch.add_commands(commands)  # sweep, sensitivity, discover, solve
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
        print(f"feasibility: {exc.filename}: {exc.strerror}" if exc.filename and exc.strerror
              else f"feasibility: {exc}", file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
