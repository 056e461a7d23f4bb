"""Benchmark: the sign-off pack before and after — render time per report and A4 pages per PDF.

Renders every shipped scenario with ``-j 1`` from two trees in one run (the machines are shared,
so compare within a run): a git revision from before the sign-off pack (default ``9b8258d``,
the first release with its flat modules, checked out into a temporary worktree) and this checkout (with ``--pdf``).
The old reports have no print stylesheet: they are printed as a reviewer did, by headless
Chromium on A4 (Playwright with Debian's ``/usr/bin/chromium``). Prints, per scenario, the
render seconds (``summary.csv``) and the pages of each PDF (``pdfinfo``), then the batch times.

Run: ``.venv/bin/python benchmarks/bench_signoff.py [--before REV]`` (needs chromium and poppler-utils,
which ``./project test`` installs)
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
FEASIBILITY = Path(sys.executable).with_name("feasibility")
#: The old tree's render: its flat ``model.cli``, imported from the tree (its kernels import from their
#: working directory, the tree).
OLD_RENDER = """import sys
sys.path.insert(0, sys.argv[1])
from model.cli import main
sys.exit(main(["render", *sys.argv[2:]]))
"""


def render(command: list[str], tree: Path, out: Path, *options: str) -> float:
    """Seconds to render every scenario of ``tree`` into ``out`` with ``-j 1``."""
    start = time.perf_counter()
    subprocess.run([*command, "-j", "1", "--out", str(out), *options], cwd=tree, check=True, capture_output=True)
    return time.perf_counter() - start


def print_a4(folder: Path) -> None:
    """Print each report of ``folder`` to ``NAME.pdf`` on A4 with Chromium, as the page stands."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        for html in sorted(folder.glob("*.html")):
            if html.name != "index.html":
                page.goto(html.as_uri())
                page.pdf(path=str(html.with_suffix(".pdf")), format="A4")
        browser.close()


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def seconds(folder: Path) -> dict[str, float]:
    return {row["scenario"]: float(row["seconds"]) for row in csv.DictReader(open(folder / "summary.csv"))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", default="9b8258d", help="git revision from before the sign-off pack")
    args = parser.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        tree = folder / "before"
        subprocess.run(["git", "worktree", "add", "--detach", "-q", str(tree), args.before], cwd=ROOT, check=True)
        try:
            old_batch = render([sys.executable, "-c", OLD_RENDER, str(tree)], tree, folder / "old")
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=True)
        new_batch = render([str(FEASIBILITY), "render"], ROOT, folder / "new", "--pdf")
        print_a4(folder / "old")
        old, new = seconds(folder / "old"), seconds(folder / "new")
        print(f"{'scenario':20s} {'before s':>9s} {'after s':>8s} {'before pages':>13s} {'after pages':>12s}")
        for name in sorted(old):
            print(f"{name:20s} {old[name]:9.1f} {new.get(name, float('nan')):8.1f} "
                  f"{pages(folder / 'old' / f'{name}.pdf'):13d} {pages(folder / 'new' / f'{name}.pdf'):12d}")
        print(f"whole batch, -j 1: before {old_batch:.1f} s (no PDF), after {new_batch:.1f} s (with --pdf)")
    print(f"load average {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
