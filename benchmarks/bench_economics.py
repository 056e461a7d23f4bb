"""Benchmark: what the finance-grade economics cost — ``evaluate()`` and the Monte Carlo, before and after.

Runs the same two measurements on two trees in one run (the machines are shared, so only the
ratio means much): this checkout, and a git revision from before the economics (default
``9b8258d``, checked out into a temporary worktree). Each tree measures its own
``scenarios/base.yaml``; this checkout also measures the pre-economics base file
(``tests/fixtures/scenarios_before_economics/base.yaml``, every new input neutral), which
separates the cost of the code from the cost of the new lines the base case now switches on.

1. ``evaluate()`` on base.yaml: median of ``--runs`` calls (target ≤ 5 ms);
2. the Monte Carlo, ``--trials`` trials × ``--months`` months with base.yaml's uncertainty
   and risk events: best of ``--repeats`` (target: at most 30% slower than before).

Run: ``.venv/bin/python benchmarks/bench_economics.py [--before REV] [--trials N] [--months M]``
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Runs inside each tree; works with the layer packages and with the flat modules of before.
PROBE = r"""
import json, os, statistics, sys, time
sys.path.insert(0, sys.argv[1])
if os.path.exists(os.path.join(sys.argv[1], "model", "scenario.py")):  # the flat modules of before
    from model.scenario import load_scenario
    from model.evaluation import evaluate
    from model import montecarlo
else:
    from model.inputs.scenario import load_scenario
    from model.core.evaluation import evaluate
    from model.risk import montecarlo
path, runs, trials, months, repeats = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
scenario = load_scenario(path)
times = []
for _ in range(runs):
    started = time.perf_counter(); evaluate(scenario); times.append(time.perf_counter() - started)
long = scenario.with_overrides({"timeline.horizon_months": months})
risks = long.extensions.get("risks", ())
best = min(
    (lambda s: (montecarlo.run(long.values, long.extensions.get("uncertainty"), risks, trials, 2025),
                time.perf_counter() - s)[1])(time.perf_counter())
    for _ in range(repeats))
print(json.dumps({"evaluate_ms": 1e3 * statistics.median(times), "montecarlo_s": best, "risks": len(risks)}))
"""


def measure(tree: Path, scenario: Path, args) -> dict:
    """The probe's figures for one tree and one scenario file."""
    out = subprocess.run([sys.executable, "-c", PROBE, str(tree), str(scenario), str(args.runs), str(args.trials),
                          str(args.months), str(args.repeats)], capture_output=True, text=True, cwd=tree)
    if out.returncode:
        raise SystemExit(f"the probe failed in {tree}:\n{out.stderr}")
    return json.loads(out.stdout.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="9b8258d", help="git revision from before the economics")
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        before_tree = Path(folder) / "before"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(before_tree), args.before], cwd=ROOT,
                       check=True)
        try:
            before = measure(before_tree, before_tree / "scenarios" / "base.yaml", args)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before_tree)], cwd=ROOT, check=True)
    neutral = measure(ROOT, ROOT / "tests" / "fixtures" / "scenarios_before_economics" / "base.yaml", args)
    after = measure(ROOT, ROOT / "scenarios" / "base.yaml", args)
    print(f"load average {os.getloadavg()[0]:.2f}; Monte Carlo {args.trials:,} trials × {args.months} months, "
          f"best of {args.repeats}; evaluate() median of {args.runs}")
    for name, figures in (("before (old code, old base)", before), ("new code, old base (neutral)", neutral),
                          ("new code, new base", after)):
        print(f"  {name:<30} evaluate() {figures['evaluate_ms']:6.2f} ms   Monte Carlo {figures['montecarlo_s']:6.2f} s"
              f"   ({figures['risks']} risks)")
    print(f"ratios to before: evaluate() ×{after['evaluate_ms'] / before['evaluate_ms']:.2f} (neutral "
          f"×{neutral['evaluate_ms'] / before['evaluate_ms']:.2f}); Monte Carlo ×{after['montecarlo_s'] / before['montecarlo_s']:.2f}"
          f" (neutral ×{neutral['montecarlo_s'] / before['montecarlo_s']:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
