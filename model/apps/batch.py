"""The batch-study verbs of ``feasibility``: sweep, sensitivity, discover, solve.

:func:`add_commands` adds their parsers; each ``cmd_*`` parses, calls the package and prints.
Nothing heavy is imported here (``feasibility validate`` imports this module): each command
imports what it uses. Exit codes as for every verb: 0 success, 2 invalid input (one line per
problem, ``FILE: field.path: problem (got VALUE)``), 1 a run that failed or found nothing.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from ..inputs.errors import InputError, ScenarioError

EXIT_INVALID = 2
EXIT_FAILED = 1
SWEEPS = Path("sweeps")  # default output folder: sweeps/<spec name>/ under the current folder


def _positive_int(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1 (got {text!r})")
    return int(text)


def _fraction(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100.0 if text.endswith("%") else 1.0)
    except ValueError:
        value = math.nan
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a share between 0 and 1, e.g. 0.8 or 80% (got {text!r})")
    return value


def compare_csv(results) -> str:
    """``compare --csv``: one row per scenario — scenario, file, name, every metric (full precision,
    units in the headers; empty where undefined). Text cells that start with = + - @ are neutralised."""
    import csv
    import io

    from ..core.metrics import METRIC_UNITS
    from ..outputs.sweep_files import csv_text

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["scenario", "file", "name", *(f"{name} ({unit})" for name, unit in METRIC_UNITS.items())])
    for r in results:
        values = [r.metrics[name] for name in METRIC_UNITS]
        writer.writerow([csv_text(Path(r.scenario.file).stem), csv_text(r.scenario.file), csv_text(r.scenario.name),
                         *("" if not math.isfinite(v) else repr(float(v)) for v in values)])
    return buffer.getvalue()


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _summary_lines(metrics: dict) -> list[str]:
    from ..outputs.report import format_metric

    lines = [f"  {'metric':<26}{'mean':>16}{'p5':>16}{'p50':>16}{'p95':>16}"]
    for name, stats in metrics.items():
        cells = [format_metric(name, math.nan if stats[k] is None else stats[k]) for k in ("mean", "p5", "p50", "p95")]
        lines.append(f"  {name:<26}" + "".join(f"{c:>16}" for c in cells))
    return lines


def cmd_sweep(args: argparse.Namespace) -> int:
    from ..outputs.sweep_files import emit_scenarios, parse_picks, run_sweep
    from ..risk.spec import load_spec

    picks = parse_picks(args.pick or "p5,p50,p95") if (args.emit_scenarios or args.pick) else ()
    spec = load_spec(args.spec, force=args.force)
    out = Path(args.out) if args.out else SWEEPS / Path(args.spec).stem
    run = run_sweep(spec, out, scheduler=args.scheduler, fresh=args.fresh, csv=True if args.csv else None,
                    workers=args.workers, chunk_variants=args.chunk)
    data = run.to_json()
    if picks:
        data["scenarios"] = {pick: str(path) for pick, path in emit_scenarios(run, picks).items()}
    if args.report:
        from ..outputs.sweep_report import render_sweep_report

        data["report"] = str(render_sweep_report(run, args.language, scheduler=args.scheduler))
    if args.json:
        _print_json(data)
        return 0
    reused = f", {run.reused_chunks} of {run.chunks} chunks reused" if run.reused_chunks else ""
    print(f"{run.variants:,} variants in {run.seconds:.1f} s{reused} → {run.out}")
    for line in _summary_lines(run.metrics):
        print(line)
    for pick, path in data.get("scenarios", {}).items():
        print(f"  scenario at {pick}: {path}")
    if "report" in data:
        print(f"  report: {data['report']}")
    return 0


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from ..risk.sensitivity import sensitivity
    from ..risk.spec import load_spec

    spec = load_spec(args.spec, force=True)  # the design (and its variant count) is not used
    found = sensitivity(spec, args.method, samples=args.samples, scheduler=args.scheduler, workers=args.workers)
    if args.json:
        _print_json(found.to_json())
        return 0
    print(f"{found.method} sensitivity of {', '.join(found.indices)} to {len(found.inputs)} inputs: N = "
          f"{found.samples:,}, {found.variants:,} evaluations in {found.seconds:.1f} s (seed {found.seed})")
    for metric, table in found.indices.items():
        print(f"\n{metric}" + (f"  ({found.notes[metric]})" if metric in found.notes else ""))
        print(table.to_string(float_format=lambda v: f"{v:.4g}"))
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    from ..risk.discovery import discover
    from ..risk.spec import load_spec

    if (args.below is None) == (args.above is None):
        raise ScenarioError([InputError("--below/--above", args.metric, "give exactly one of --below VALUE and "
                                        "--above VALUE", show=False)])
    spec = load_spec(args.spec, force=True)
    table = _results(spec, args)
    if args.metric not in table.columns:
        raise ScenarioError([InputError(args.spec, "metrics", f"does not include {args.metric}: add it to the "
                                        "spec's metrics (and rerun the sweep)", list(spec.metrics))])
    found = discover(table, list(spec.paths), args.metric, below=args.below, above=args.above,
                     threshold=args.threshold, max_boxes=args.max_boxes)
    if args.json:
        _print_json(found.to_json())
        return 0
    condition = f"{args.metric} {'<' if args.below is not None else '>'} {found.value:g}"
    print(f"{condition}: {found.cases:,} of {found.variants:,} variants; {len(found.boxes)} PRIM box(es)")
    for i, box in enumerate(found.boxes, start=1):
        print(f"  box {i}: coverage {box.coverage:.1%}, density {box.density:.1%}, mass {box.mass:.1%}")
        for name, limit in box.limits.items():
            shown = f"{limit[0]:.6g} to {limit[1]:.6g}" if isinstance(limit, tuple) else ", ".join(map(str, limit))
            print(f"    {name}: {shown}")
    return 0


def _results(spec, args: argparse.Namespace):
    """The sweep's results: an earlier sweep's results.parquet (--from DIR), or the sweep run now in memory."""
    if args.source:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from ..outputs.sweep_files import RESULTS

        path = Path(args.source) / RESULTS
        try:
            return pq.read_table(path).to_pandas()
        except (OSError, pa.ArrowException):
            raise ScenarioError([InputError(str(path), "(file)", "no sweep results here (run feasibility sweep "
                                            "first, with --out)", show=False)]) from None
    from ..risk.parallel import sweep_table

    return sweep_table(spec, scheduler=args.scheduler)


def cmd_solve(args: argparse.Namespace) -> int:
    from ..inputs.scenario import load_scenario, parse_assignment
    from ..risk.goal_seek import parse_target, solve

    metric, goal = parse_target(args.target)
    overrides = dict(parse_assignment(a) for a in args.set)
    found = solve(load_scenario(args.file, overrides or None), args.input, metric, goal)
    if args.json:
        _print_json({"input": found.input, "value": found.to_json()["value"], "metric": metric,
                     "target": found.to_json()["target"], "achieved": found.to_json()["achieved"]})
    else:
        print(found.text())
    return 0 if found.value is not None else EXIT_FAILED


def add_commands(commands) -> None:
    """Add the parsers of sweep, sensitivity, discover and solve to ``commands`` (argparse sub-parsers)."""
    scheduler = dict(metavar="ADDRESS", help="run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 "
                     "(default: processes on this machine)")

    sweep = commands.add_parser("sweep", help="evaluate every variant of a spec (grid, lhs, sobol) into Parquet")
    sweep.add_argument("spec", metavar="SPEC.yaml")
    sweep.add_argument("--out", metavar="DIR", help="output folder (default: sweeps/SPEC-NAME)")
    sweep.add_argument("--scheduler", **scheduler)
    sweep.add_argument("--json", action="store_true", help="one JSON object: variants, seconds, out, metrics")
    sweep.add_argument("--csv", action="store_true", help="write results.csv whatever the number of variants")
    sweep.add_argument("--fresh", action="store_true", help="start again, discarding an interrupted sweep's chunks")
    sweep.add_argument("--force", action="store_true", help="allow more than 100,000,000 variants")
    sweep.add_argument("--emit-scenarios", action="store_true",
                       help="write the variants at --pick as scenario files (DIR/scenarios/)")
    sweep.add_argument("--pick", metavar="p5,p50,p95|worst|best", help="NPV percentiles or extremes to emit "
                       "(default p5,p50,p95)")
    sweep.add_argument("--report", action="store_true", help="render the sweep report (DIR/report.html)")
    sweep.add_argument("--language", choices=("en", "zh"), default="en", help="report language (default en)")
    sweep.add_argument("--workers", type=_positive_int, metavar="N", help="local processes (default: the cores)")
    sweep.add_argument("--chunk", type=_positive_int, default=32_768, metavar="N", help=argparse.SUPPRESS)
    sweep.set_defaults(func=cmd_sweep)

    sensitivity = commands.add_parser("sensitivity", help="Sobol indices (or Morris screening) of NPV and the "
                                      "spec's metrics")
    sensitivity.add_argument("spec", metavar="SPEC.yaml")
    sensitivity.add_argument("--method", choices=("sobol", "morris"), default="sobol",
                             help="sobol: S1 and ST with confidence intervals (default); morris: screening")
    sensitivity.add_argument("--samples", type=_positive_int, metavar="N",
                             help="N (Sobol: N(2D+2) evaluations; Morris: trajectories); default the spec's samples")
    sensitivity.add_argument("--scheduler", **scheduler)
    sensitivity.add_argument("--workers", type=_positive_int, metavar="N", help="local processes (default: the cores)")
    sensitivity.add_argument("--json", action="store_true", help="one JSON object: method, samples, indices")
    sensitivity.set_defaults(func=cmd_sensitivity)

    discover = commands.add_parser("discover", help="PRIM boxes of the input ranges where a metric is below "
                                   "(or above) a value")
    discover.add_argument("spec", metavar="SPEC.yaml")
    discover.add_argument("--metric", default="npv", help="the metric (default npv)")
    discover.add_argument("--below", type=float, metavar="VALUE", help="cases of interest: metric < VALUE")
    discover.add_argument("--above", type=float, metavar="VALUE", help="cases of interest: metric > VALUE")
    discover.add_argument("--from", dest="source", metavar="DIR", help="use the results.parquet of an earlier sweep")
    discover.add_argument("--threshold", type=_fraction, default=0.8, metavar="D",
                          help="density a box must reach (default 0.8)")
    discover.add_argument("--max-boxes", type=_positive_int, default=3, metavar="N", help="at most N boxes")
    discover.add_argument("--scheduler", **scheduler)
    discover.add_argument("--json", action="store_true", help="one JSON object: boxes with limits, coverage, density")
    discover.set_defaults(func=cmd_discover)

    solve = commands.add_parser("solve", help="the value of one input at which a metric reaches a target")
    solve.add_argument("file", metavar="FILE")
    solve.add_argument("--for", dest="input", required=True, metavar="INPUT",
                       help="an input path (revenue.community.conversion) or a break-even driver (aov, growth, …)")
    solve.add_argument("--target", required=True, metavar="METRIC=VALUE", help="e.g. npv=0, irr=15%%, "
                       "payback_months=24")
    solve.add_argument("--set", action="append", default=[], metavar="FIELD.PATH=VALUE")
    solve.add_argument("--json", action="store_true", help='{"input", "value", "metric", "target", "achieved"}')
    solve.set_defaults(func=cmd_solve)


__all__ = ["add_commands", "compare_csv", "cmd_sweep", "cmd_sensitivity", "cmd_discover", "cmd_solve"]
