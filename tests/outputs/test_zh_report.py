"""Chinese reports are Chinese throughout: no English sentence in the text a reader sees.

``base.yaml`` (every section, the audit of the 1,000,000-user plan, the bridge) and
``study_mid.yaml`` (a study tier: its own audit claims, n.m. IRRs, undefined customer metrics)
are rendered once in Chinese with the index page, as ``render --language zh`` does. Their
visible text (no ``<style>``/``<script>``; with the charts' alt text and the table headers)
must hold no run of three or more English words outside :data:`ALLOWED`. Code names (input
paths, metric keys, claim ids: a word with ``_``, ``.`` or a digit) and numbers are not words.
The fast tests check the label registry and the audit's Chinese texts without rendering.
"""

from __future__ import annotations

import io
import re
import string
from html.parser import HTMLParser

import pytest

from model.inputs.paths import ROOT
from model.outputs.labels import LABELS

#: English words a Chinese report may show, each for a reason: abbreviations the reports define beside
#: their Chinese (净现值（NPV）) or that Chinese finance writes in Latin letters; proper names; units.
#: Section references (001 §5.2.1), code names and quotes of the study hold no other word. User text with
#: no translation is shown as written, but the shipped scenarios translate all of theirs: none is allowed.
ALLOWED = frozenset({
    "NPV", "IRR", "MIRR", "ROI", "LTV", "CAC", "KPI", "GMV", "DAU", "MAU", "EBITDA", "EBIT", "NOPAT", "P",  # metrics
    "SCRM", "SaaS", "AI", "PGC", "SOP", "OAuth", "AES", "API",  # terms the sources write in Latin letters
    "Excel", "xlsx",  # proper names: the workbook and its link
    "CNY", "UTC", "pp", "S",  # units; the s-curve's "S 形"
})
#: A word: letters with an inner ' or -. A token with a digit, "_" or "." is a code name or a number.
TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.'’\-]*")
WORD = re.compile(r"[A-Za-z]+(?:['’\-][A-Za-z]+)*")
#: Characters that end a run of English words: any non-ASCII character (Chinese, full-width punctuation).
NOT_ASCII = re.compile(r"[^\x00-\x7f]+")
MIN_RUN = 3


def english_runs(text: str) -> list[str]:
    """Every run of ``MIN_RUN`` or more English words in ``text`` (numbers, code names, ASCII punctuation and
    allowed words inside a run do not end it; a Chinese character does)."""
    runs = []
    for segment in NOT_ASCII.split(text):
        words = [t for t in TOKEN.findall(segment) if WORD.fullmatch(t) and t not in ALLOWED]
        if len(words) >= MIN_RUN:
            runs.append(" ".join(words))
    return runs


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside <style>/<script>/<head> (the title kept), and alt texts."""

    HIDDEN = ("style", "script")

    def __init__(self):
        super().__init__()
        self.lines: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden += 1
        alt = dict(attrs).get("alt")
        if tag == "img" and alt:
            self.lines.append(alt)

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.lines.append(data.strip())


def offences(page: str) -> list[str]:
    """Each English run of a page with the text around it."""
    parser = VisibleText()
    parser.feed(page)
    return [f"{run!r} in: {line[:200]}" for line in parser.lines for run in english_runs(line)]


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The Chinese report of base.yaml and study_mid.yaml, and the index page, as HTML text."""
    from model.outputs import render

    out = tmp_path_factory.mktemp("zh")
    files = [ROOT / "scenarios" / "base.yaml", ROOT / "scenarios" / "study_mid.yaml"]
    outcomes = render.render(files, out, jobs=2, language="zh", stream=io.StringIO())
    assert all(o.ok for o in outcomes), [o.cause for o in outcomes]
    return {name: (out / f"{name}.html").read_text(encoding="utf-8") for name in ("base", "study_mid", "index")}


@pytest.mark.parametrize("name", ["base", "study_mid", "index"])
def test_the_chinese_page_has_no_english_sentence(pages, name):
    found = offences(pages[name])
    assert not found, f"{len(found)} English runs in {name}.html:\n" + "\n".join(found)


def test_the_checker_finds_english_and_spares_code_names_and_allowed_words():
    assert english_runs("方法：the stated split；口径") == ["the stated split"]
    assert english_runs("Cost overrun (mitigated)") == ["Cost overrun mitigated"]
    assert english_runs("净现值（NPV）") == [] and english_runs("P(NPV < 0) = 2.0%") == []
    assert english_runs("users.growth_monthly.pilot, users.growth_monthly.rollout") == []
    assert english_runs("largest gap 5.96e-08 CNY") == []  # two words: below the run length
    assert english_runs("NPV at the IRR is zero") == ["at the is zero"]


def test_every_label_has_both_languages_with_the_same_placeholders():
    fields = string.Formatter()
    for key, entry in LABELS.items():
        assert set(entry) == {"en", "zh"}, key
        assert all(isinstance(entry[k], str) and entry[k].strip() for k in ("en", "zh")), key
        placeholders = [{f for _, f, _, _ in fields.parse(entry[k]) if f is not None} for k in ("en", "zh")]
        assert placeholders[0] == placeholders[1], key


def test_no_chinese_label_is_english():
    found = [f"{key}: {run}" for key, entry in LABELS.items() for run in english_runs(entry["zh"])]
    assert not found, "\n".join(found)


def test_every_audit_text_is_chinese():
    from model.audit import audit, claims_table

    table = claims_table(audit(), "zh")
    found = [f"{claim_id} {column}: {run}" for column in table.columns.drop(["id", "verdict"])
             for claim_id, text in zip(table["id"], table[column]) for run in english_runs(str(text))]
    assert not found, "\n".join(found)


def test_short_texts_a_chinese_report_shows_are_chinese_too():
    """Words too few for the run test: the bridge's step names and every integrity check (name, detail)."""
    from model.core.evaluation import evaluate
    from model.inputs.scenario import load_scenario
    from model.inputs.texts import text_in
    from model.outputs.summary import bridge_for

    base = evaluate(load_scenario(ROOT / "scenarios" / "base.yaml"))
    steps = [step.step for step in bridge_for(base).steps]
    texts = steps + [text for check in base.checks for text in (check.name, check.detail)]
    assert len(steps) >= 8
    english = [text for text in texts if WORD.search(text_in(text, "zh")) and text_in(text, "zh") == str(text)]
    assert not english, english
