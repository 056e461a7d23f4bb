"""`render --pdf`: A4 pages printed by headless Chromium that keep every column of every table.

Each table's headers must all be on the page where the table starts, within the page box
(``pdftotext -x -y -W -H`` from poppler-utils, which ``./project test`` installs); the
integrity checks' ``<details>`` print open; the first page is the executive summary.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from model.inputs.paths import ROOT
from model.outputs import render

A4_POINTS = (595, 842)


class Headers(HTMLParser):
    """The column headers (``<th>`` in ``<thead>``) of every table of a page, table by table."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[str]] = []
        self._in_th = self._in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append([])
        elif tag == "thead":
            self._in_head = True
        elif tag == "th" and self._in_head:
            self._in_th = True
            self.tables[-1].append("")

    def handle_endtag(self, tag):
        if tag == "th":
            self._in_th = False
        elif tag == "thead":
            self._in_head = False

    def handle_data(self, data):
        if self._in_th and self.tables:
            self.tables[-1][-1] += data


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def words_of(header: str) -> list[str]:
    """A header's words to find on the page: Latin words and runs of CJK characters apart, without the
    brackets around them (pdftotext may place a CJK unit and its brackets on different lines)."""
    return re.findall(r"[\u3400-\u9fff]+|[^\s()（）\u3400-\u9fff]+", header)


def page_texts(pdf: Path) -> list[str]:
    pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                             check=True).stdout).group(1))
    width, height = A4_POINTS
    return [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), "-x", "0", "-y", "0", "-W", str(width), "-H",
                            str(height), str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            for n in range(1, pages + 1)]


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    if not shutil.which("pdftotext"):
        pytest.fail("poppler-utils is missing: ./project test installs it (apt-get install poppler-utils)")
    out = tmp_path_factory.mktemp("pdf")
    outcomes = render.render([ROOT / "scenarios" / "base.yaml"], out, jobs=1, stream=io.StringIO(), pdf=True)
    assert outcomes[0].ok, outcomes[0].cause
    return out / "base.html", out / "base.pdf"


def test_a4_pages_with_the_summary_first_and_a_footer(printed):
    _, pdf = printed
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    pages = page_texts(pdf)
    assert "Executive summary" in pages[0] and "NOT FEASIBLE" in pages[0]
    assert all(f"{n} / {len(pages)}" in text for n, text in enumerate(pages, start=1))  # page numbers
    assert all("Base plan" in text for text in pages)  # the scenario's name in every footer


def test_every_column_header_of_every_table_is_on_its_page(printed):
    html, pdf = printed
    parser = Headers()
    parser.feed(html.read_text(encoding="utf-8"))
    pages = [squeeze(text) for text in page_texts(pdf)]
    tables = [[words_of(h) for h in headers if words_of(h)] for headers in parser.tables]
    assert len([t for t in tables if t]) >= 15
    for headers in tables:
        if not headers:
            continue
        words = [squeeze(w) for header in headers for w in header]  # a header may wrap onto several lines
        starts = [i for i, text in enumerate(pages) if "".join(headers[0]) in text]
        assert starts, f"table with headers {headers} not found in the PDF"
        assert any(all(w in pages[i] for w in words) for i in starts), f"a column of {headers} is cut off the page"


def test_details_print_open(printed):
    _, pdf = printed
    assert "annual sums equal monthly sums" in "".join(page_texts(pdf))  # inside the checks' <details>
