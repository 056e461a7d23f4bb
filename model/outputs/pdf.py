"""Reports as PDF: the HTML report printed by headless Chromium (Playwright with Debian's chromium).

A4 portrait with a print stylesheet: wide tables wrap in a smaller font (never cut at the
margin; a figure breaks only before its unit, never inside 万元), ``<details>`` are opened, no page break inside a chart or a table row, and each page's
footer carries the scenario name and "page N of M". Debian's ``chromium`` is used
(``executable_path``); Playwright never downloads a browser.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Iterable

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
MARGIN = {"top": "14mm", "bottom": "16mm", "left": "12mm", "right": "12mm"}
#: The print stylesheet, added to each page before printing.
PRINT_CSS = """
@page { size: A4; }
@media print {
  body, main { max-width: none !important; margin: 0 !important; }
  .jp-Cell, .jp-OutputArea-output { overflow: visible !important; }
  table.report, table { width: 100% !important; table-layout: auto !important; font-size: 8.5px !important; }
  table.report th, table.report td, th, td { white-space: normal !important; overflow-wrap: break-word;
    padding: 2px 3px !important; max-width: none !important; }
  table.report td.num { word-break: keep-all; }
  tr, img, svg, figure, .jp-OutputArea-output img { break-inside: avoid; page-break-inside: avoid; }
  img { max-width: 100% !important; height: auto !important; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  .report-summary { break-after: page; page-break-after: always; }
}
"""
FOOTER = ('<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;justify-content:space-between;'
          'font-family:sans-serif;color:#555"><span>{name}</span><span><span class="pageNumber"></span> / '
          '<span class="totalPages"></span></span></div>')


def print_pdfs(pages: Iterable[tuple[Path, Path, str]]) -> list[Path]:
    """Print each ``(html_path, pdf_path, scenario_name)`` with one headless Chromium; returns the PDFs written."""
    from playwright.sync_api import sync_playwright  # loaded only when PDFs are asked for

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            page = browser.new_page()
            for source, target, name in pages:
                page.goto(source.resolve().as_uri(), wait_until="load")
                page.add_style_tag(content=PRINT_CSS)
                page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
                page.emulate_media(media="print")
                page.pdf(path=str(target), format="A4", print_background=True, margin=MARGIN,
                         display_header_footer=True, header_template="<span></span>",
                         footer_template=FOOTER.format(name=html.escape(name)))
                written.append(target)
        finally:
            browser.close()
    return written


__all__ = ["print_pdfs", "PRINT_CSS", "CHROMIUM"]
