"""Forgiving, precise input: the slips planners make and the exact lines each must give on stderr.

Full-width ``，％：`` and spaces are read in numbers and keys (never changed in prose); a rate written as a
bare number above 1 is refused with "did you mean 7.5%?"; a bare rate far above its typical range is a
warning that does not fail the file; ``extends:`` and ``--set`` names suggest the closest file or input;
YAML errors name the line of the slip; every section names the file of the ``extends`` chain that set
a bad value, in the short and in the ``{value: …}`` form. Each case runs ``feasibility validate``.
"""

from __future__ import annotations

import json
import re

import pytest

from model.apps.cli import main
from model.apps.inputs_cli import KEYS
from model.inputs.errors import InputWarning, ScenarioError
from model.inputs.scenario import load_scenario, parse_assignment
from model.inputs.schema import FIELDS, ONE_OFF_FIELDS

SMALL = """\
description: a small valid case
finance:
  discount_rate_annual: 8%
users:
  initial: 1000
  churn_monthly: {pilot: 2%, rollout: 2%}
revenue:
  basis: incremental
  gross_margin: 40%
  community:
    conversion: 7.5%
    aov: 150元
"""

#: A parent with a risk register and uncertain inputs, for the child files.
BASE = SMALL + """\
risks:
  outage:
    probability: {value: 10%, source: "001 §六(三)3.2", basis: ours}
    impacts:
      - {driver: timeline.launch_delay_months, add: 1}
    mitigation:
      description: a standby system
      effectiveness: {low: {value: 50%, source: ours}, high: 70%}
uncertainty:
  inputs:
    conversion: {driver: revenue.community.conversion, dist: pert, low: {value: 6%, source: "001 §5.2.1"},
                 mode: 7.5%, high: 8%}
    churn: {driver: users.churn_monthly, dist: lognormal, p5: 1.5%, p95: 3%}
  correlations:
    - {inputs: [conversion, churn], rank: 0.3}
"""

RANGE = "must be between 0 and 1 (0% to 100%)"
CHURN_90 = "warning: 90% a month is far above the typical 2% to 15% a month; did you mean 0.9%? (got 0.9)"


def small(*replacements: tuple[str, str], extra: str = "") -> str:
    """:data:`SMALL` with whole pieces of text replaced (each must be there), then ``extra`` appended."""
    text = SMALL
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    return text + extra


def child(body: str) -> dict[str, str]:
    return {"base.yaml": BASE, "case.yaml": "extends: base.yaml\ndescription: a child\n" + body}


def one(text: str) -> dict[str, str]:
    return {"case.yaml": text}


CASES = [
    # --- full-width forms in numbers and keys are read; the prose keeps them ---------------------------------
    pytest.param(one(small(("initial: 1000", "initial: 1，000"))), [], id="full-width comma in a number"),
    pytest.param(one(small(("gross_margin: 40%", "gross_margin: 40％"))), [], id="full-width percent"),
    pytest.param(one(small(("initial: 1000", "initial: １０００"))), [], id="full-width digits"),
    pytest.param(one(small(("initial: 1000", "initial: 1000\u3000"))), [], id="ideographic space after a number"),
    pytest.param(one(small(("aov: 150元", "aov: 1，500元"))), [], id="full-width comma in money"),
    pytest.param(one(small(("revenue:\n", "revenue：\n"))), [], id="full-width colon after a section key"),
    pytest.param(one(small(("    conversion: 7.5%", "    conversion： 7.5%"))), [], id="full-width colon after a leaf"),
    pytest.param(one(small(("    conversion: 7.5%", "    conversion：7.5％"))), [], id="full-width colon, no space"),
    pytest.param(one(small(("  discount_rate_annual: 8%", "  discount_rate_annual: {value： 8%, source： x}"))), [],
                 id="full-width colons in a flow mapping"),
    pytest.param(one(small(("users:\n", "\u3000users\u3000:\n"))), [], id="ideographic spaces around a key"),
    pytest.param(one(small(("description: a small valid case", "description: |\n  收入：1，000万\n  NPS：70"))), [],
                 id="block prose keeps its full-width text"),
    pytest.param(one(small(("description: a small valid case", "description:\n  revenue： prose"))), [],
                 id="prose on the next line is not a key"),
    pytest.param(one(small(("gross_margin: 40%", "gross_margin: 140％"))),
                 [f'case.yaml: revenue.gross_margin: {RANGE} (got "140％")'], id="full-width percent out of range"),
    pytest.param(one(small(("    conversion: 7.5%", "    conversion： 7.5"))),
                 [f"case.yaml: revenue.community.conversion: {RANGE}; did you mean 7.5%? (got 7.5)"],
                 id="full-width key and a bare percentage"),
    pytest.param(one(small(("revenue:\n", "revenue：\n"), extra="\tbad: 1\n")),
                 ["case.yaml: (file): is not valid YAML: found character '\\t' that cannot start any token at line 13, "
                  "column 1"], id="a later YAML error after a full-width key names its own line"),
    pytest.param(one(small(extra="revenue\u3000：\n  basis: gross\n")),
                 ["case.yaml: (file): duplicate key 'revenue' at line 13"], id="a key written twice, once full-width"),
    # --- a bare number above 1 for a rate: did you mean a percentage? -----------------------------------------
    pytest.param(one(small(("    conversion: 7.5%", "    conversion: 7.5"))),
                 [f"case.yaml: revenue.community.conversion: {RANGE}; did you mean 7.5%? (got 7.5)"],
                 id="conversion 7.5"),
    pytest.param(one(small(("    conversion: 7.5%", '    conversion: "7.5"'))),
                 [f'case.yaml: revenue.community.conversion: {RANGE}; did you mean 7.5%? (got "7.5")'],
                 id="conversion written as text 7.5"),
    pytest.param(one(small(("{pilot: 2%, rollout: 2%}", "{pilot: 2, rollout: 2%}"))),
                 [f"case.yaml: users.churn_monthly.pilot: {RANGE}; did you mean 2%? (got 2)"], id="churn 2"),
    pytest.param(one(small(("discount_rate_annual: 8%", "discount_rate_annual: 8"))),
                 [f"case.yaml: finance.discount_rate_annual: {RANGE}; did you mean 8%? (got 8)"], id="discount rate 8"),
    pytest.param(one(small(extra="terminal_value: {method: gordon, growth_yearly: 3}\n")),
                 ["case.yaml: terminal_value.growth_yearly: must be between -0.5 and 0.5 (-50% to 50%); "
                  "did you mean 3%? (got 3)"], id="terminal growth 3"),
    pytest.param(one(small(("    conversion: 7.5%", "    conversion: 750%"))),
                 [f'case.yaml: revenue.community.conversion: {RANGE} (got "750%")'], id="a percentage is not second-guessed"),
    pytest.param(one(small(("    conversion: 7.5%", "    conversion: 150"))),
                 [f"case.yaml: revenue.community.conversion: {RANGE} (got 150)"], id="150 fits no reading"),
    # --- a bare rate far above its typical range: a warning, the file stays valid ----------------------------
    pytest.param(one(small(("{pilot: 2%, rollout: 2%}", "{pilot: 0.9, rollout: 2%}"))),
                 [f"case.yaml: users.churn_monthly.pilot: {CHURN_90}"], id="monthly churn 0.9 warns"),
    pytest.param(one(small(("  initial: 1000\n", "  initial: 1000\n  growth_monthly: {pilot: 0.6}\n"))),
                 ["case.yaml: users.growth_monthly.pilot: warning: 60% a month is far above the typical 5% to 10% a "
                  "month; did you mean 0.6%? (got 0.6)"], id="monthly growth 0.6 warns"),
    pytest.param(one(small(("discount_rate_annual: 8%", "discount_rate_annual: 0.8"))),
                 ["case.yaml: finance.discount_rate_annual: warning: 80% a year is far above the typical 8% to 12% a "
                  "year; did you mean 0.8%? (got 0.8)"], id="discount rate 0.8 warns"),
    pytest.param(one(small(("    conversion: 7.5%", "    conversion: 0.9"))),
                 ["case.yaml: revenue.community.conversion: warning: 90% is far above the typical 6% to 15%; "
                  "did you mean 0.9%? (got 0.9)"], id="conversion 0.9 warns"),
    pytest.param(one(small(("{pilot: 2%, rollout: 2%}", "{pilot: 0.5, rollout: 2%}"))), [],
                 id="churn 0.5 is within 5x the typical top: no warning"),
    pytest.param(one(small(("{pilot: 2%, rollout: 2%}", "{pilot: 90%, rollout: 2%}"))), [],
                 id="churn written 90% is meant: no warning"),
    pytest.param(one(small(("{pilot: 2%, rollout: 2%}", "{pilot: 0.9, rollout: 2%}"),
                           ("    conversion: 7.5%", "    conversion: 7.5"))),
                 [f"case.yaml: revenue.community.conversion: {RANGE}; did you mean 7.5%? (got 7.5)",
                  f"case.yaml: users.churn_monthly.pilot: {CHURN_90}"], id="errors first, then warnings"),
    pytest.param(child("uncertainty: {inputs: {churn: {p95: 0.9}}}\n"),
                 [f"case.yaml: uncertainty.inputs.churn.p95: {CHURN_90}"], id="a warning inside uncertainty"),
    pytest.param(child("risks: {outage: {impacts: [{driver: users.churn_monthly.pilot, set: 0.9}]}}\n"),
                 [f"case.yaml: risks.outage.impacts[0].set: {CHURN_90}"], id="a warning inside a risk's impact"),
    # --- the file of the extends chain that set the value is named, in both forms ----------------------------
    pytest.param(child("risks: {outage: {probability: {value: 2, basis: ours}}}\n"),
                 [f"case.yaml: risks.outage.probability: {RANGE}; did you mean 2%? (got 2)"],
                 id="risks: child's {value} form"),
    pytest.param(child("risks: {outage: {probability: 2}}\n"),
                 [f"case.yaml: risks.outage.probability: {RANGE}; did you mean 2%? (got 2)"],
                 id="risks: child's short form"),
    pytest.param(child("risks: {outage: {probability: {value: 20%, basis: guess}}}\n"),
                 ['case.yaml: risks.outage.probability.basis: must be one of study, derived, ours (got "guess")'],
                 id="risks: child's basis"),
    pytest.param(child("risks: {outage: {mitigation: {effectiveness: {low: {value: 2, basis: ours}}}}}\n"),
                 [f"case.yaml: risks.outage.mitigation.effectiveness.low: {RANGE}; did you mean 2%? (got 2)"],
                 id="risks: child's effectiveness in the {value} form"),
    pytest.param(child("uncertainty: {inputs: {conversion: {low: {value: 2, basis: ours}}}}\n"),
                 [f"case.yaml: uncertainty.inputs.conversion.low: {RANGE}; did you mean 2%? (got 2)"],
                 id="uncertainty: child's {value} form"),
    pytest.param(child("uncertainty: {inputs: {conversion: {low: 2}}}\n"),
                 [f"case.yaml: uncertainty.inputs.conversion.low: {RANGE}; did you mean 2%? (got 2)"],
                 id="uncertainty: child's short form"),
    pytest.param(child("uncertainty: {correlations: [{inputs: [conversion, churn], rank: {value: 2}}]}\n"),
                 ["case.yaml: uncertainty.correlations[0].rank: must be between -1 and 1 (exclusive) "
                  "(got a mapping {value})"], id="uncertainty: child's correlation"),
    pytest.param({"base.yaml": BASE,
                  "middle.yaml": "extends: base.yaml\ndescription: m\nrisks: {outage: {probability: {value: 30%}}}\n",
                  "case.yaml": "extends: middle.yaml\ndescription: c\nrisks: {outage: {probability: {value: 3}}}\n"},
                 [f"case.yaml: risks.outage.probability: {RANGE}; did you mean 3%? (got 3)"],
                 id="three files: the last one that set it"),
    pytest.param({"base.yaml": BASE.replace("probability: {value: 10%", "probability: {value: 10"),
                  "case.yaml": "extends: base.yaml\ndescription: a child\n"},
                 [f"base.yaml: risks.outage.probability: {RANGE}; did you mean 10%? (got 10)"],
                 id="the parent's own slip names the parent"),
    # --- names that do not exist: the closest one --------------------------------------------------------------
    pytest.param({"base.yaml": BASE, "case.yaml": "extends: bas.yaml\ndescription: a child\n"},
                 ['case.yaml: extends: no such scenario file; did you mean base.yaml? (got "bas.yaml")'],
                 id="extends a misspelt file"),
    pytest.param(one(small(("  gross_margin: 40%\n", "  gross_margin: 40%\n  conversion: 5%\n"))),
                 ['case.yaml: revenue.conversion: is not a known input (did you mean revenue.community.conversion?) '
                  '(got "5%")'], id="an input in the wrong section"),
    # --- YAML errors name the line of the slip ------------------------------------------------------------------
    pytest.param(one(small(("revenue:\n", "revenue\n"))),
                 ["case.yaml: (file): is not valid YAML: could not find the ':' after the key at line 7, column 1"],
                 id="a section key without its colon"),
    pytest.param(one(small(("    conversion: 7.5%", "    conversion 7.5%"))),
                 ["case.yaml: (file): is not valid YAML: could not find the ':' after the key at line 11, column 5 "
                  "(its text runs on to line 12)"], id="a leaf key without its colon"),
    pytest.param(one(small(("description: a small valid case", "description: a plan\n  revenue: grows"))),
                 ["case.yaml: (file): is not valid YAML: mapping values are not allowed here at line 2, column 10 "
                  "(the text from line 1, column 14 runs on to it: quote a text that holds ': ')"],
                 id="prose holding ': ' runs on"),
    pytest.param(one(small(("description: a small valid case", 'description: "a plan'))),
                 ["case.yaml: (file): is not valid YAML: the quote at line 1, column 14 is never closed "
                  "(found unexpected end of stream at line 13, column 1)"], id="a quote never closed"),
    pytest.param(one(small(("    aov: 150元", "    aov: {value: 150元"))),
                 ["case.yaml: (file): is not valid YAML: the '{' at line 12, column 10 is never closed "
                  "(expected ',' or '}', but got '<stream end>' at line 13, column 1)"], id="a brace never closed"),
]


@pytest.mark.parametrize("files, lines", CASES)
def test_each_slip_gives_its_lines(files, lines, tmp_path, monkeypatch, capsys):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    failed = any(": warning: " not in line for line in lines)
    assert main(["validate", "case.yaml"]) == (2 if failed else 0)
    out, err = capsys.readouterr()
    assert err.splitlines() == lines
    assert out == ("" if failed else "1 scenario file valid\n")


def test_the_table_is_large_enough():
    assert len(CASES) >= 30
    assert sum(any(": warning: " in line for line in case.values[1]) for case in CASES) >= 5


def test_full_width_numbers_and_keys_are_read_and_prose_is_kept(tmp_path):
    text = small(("description: a small valid case", "description: 收入：1，000万，NPS：70"),
                 ("initial: 1000", "initial: 1，000"), ("revenue:\n", "revenue：\n"),
                 ("    conversion: 7.5%", "    conversion：7.5％"), ("aov: 150元", "aov: {value： 1，500元, note： 千元：一"))
    (tmp_path / "case.yaml").write_text(text.replace("千元：一\n", "千元：一}\n"), encoding="utf-8")
    scenario = load_scenario(tmp_path / "case.yaml")
    assert scenario["description"] == "收入：1，000万，NPS：70"
    assert scenario["users.initial"] == 1000 and scenario["revenue.community.conversion"] == 0.075
    assert scenario["revenue.community.aov"] == 1500 and scenario.assumptions["revenue.community.aov"].note == "千元：一"


def test_warnings_are_kept_on_the_scenario_and_on_the_error(tmp_path):
    (tmp_path / "case.yaml").write_text(small(("{pilot: 2%, rollout: 2%}", "{pilot: 0.9, rollout: 2%}")),
                                        encoding="utf-8")
    scenario = load_scenario(tmp_path / "case.yaml")
    assert [str(w) for w in scenario.warnings] == [f"{tmp_path / 'case.yaml'}: users.churn_monthly.pilot: {CHURN_90}"]
    assert all(isinstance(w, InputWarning) for w in scenario.warnings)
    assert scenario.with_overrides({"users.churn_monthly.pilot": "0.9%"}).warnings == ()
    with pytest.raises(ScenarioError) as failed:
        scenario.with_overrides({"revenue.community.conversion": 7.5})
    assert [w.field for w in failed.value.warnings] == ["users.churn_monthly.pilot"]
    assert [p.field for p in failed.value.problems] == ["revenue.community.conversion"]


class TestSet:
    def test_a_misplaced_input_suggests_the_closest(self, tmp_path, capsys):
        (tmp_path / "case.yaml").write_text(SMALL, encoding="utf-8")
        assert main(["run", str(tmp_path / "case.yaml"), "--set", "revenue.conversion=5%", "--json"]) == 2
        assert capsys.readouterr() == ("", '--set: revenue.conversion: is not a known input (did you mean '
                                           'revenue.community.conversion?) (got "5%")\n')

    def test_a_warning_goes_to_stderr_and_the_json_stays_clean(self, tmp_path, capsys):
        (tmp_path / "case.yaml").write_text(SMALL, encoding="utf-8")
        assert main(["run", str(tmp_path / "case.yaml"), "--set", "users.churn_monthly.pilot=0.9", "--json"]) == 0
        out, err = capsys.readouterr()
        assert err == f"--set: users.churn_monthly.pilot: {CHURN_90}\n"
        assert json.loads(out)["scenario"] == "case"

    def test_a_bare_percentage_is_refused_with_the_hint(self, tmp_path, capsys):
        (tmp_path / "case.yaml").write_text(SMALL, encoding="utf-8")
        assert main(["run", str(tmp_path / "case.yaml"), "--set", "revenue.community.conversion＝7.5"]) == 2
        assert capsys.readouterr().err == f"--set: revenue.community.conversion: {RANGE}; did you mean 7.5%? (got 7.5)\n"

    def test_full_width_forms_in_an_assignment(self):
        assert parse_assignment("revenue.community.conversion＝7.5％") == ("revenue.community.conversion", "7.5％")


CJK = re.compile(r"[\u4e00-\u9fff]")


class TestInputsCommand:
    def test_json_lists_every_input_with_exact_keys(self, capsys):
        assert main(["inputs", "--json"]) == 0
        rows = json.loads(capsys.readouterr().out)
        names = [row["name"] for row in rows]
        assert names == [*FIELDS, *(f"one_off_costs.NAME.{key}" for key in ONE_OFF_FIELDS)]
        for row in rows:
            assert tuple(row) == KEYS == ("name", "unit", "default", "min", "max", "typical", "meaning_en",
                                          "meaning_zh")
            assert row["meaning_en"] and CJK.search(row["meaning_zh"]), row["name"]
            for key in ("default", "min", "max"):
                assert row[key] is None or (isinstance(row[key], (int, float)) and not isinstance(row[key], bool))
            assert row["typical"] is None or (len(row["typical"]) == 2 and row["typical"][0] <= row["typical"][1])

    def test_json_values(self, capsys):
        assert main(["inputs", "--json"]) == 0
        rows = {row["name"]: row for row in json.loads(capsys.readouterr().out)}
        churn = rows["users.churn_monthly.pilot"]
        assert (churn["unit"], churn["default"], churn["min"], churn["max"], churn["typical"]) == \
            ("fraction/month", 0.0, 0.0, 1.0, [0.02, 0.15])
        assert churn["meaning_zh"] == "试点期的用户月流失率"
        assert rows["users.initial"]["default"] is None and rows["users.initial"]["max"] == 1e10
        assert rows["users.cap"]["max"] == 1e10 and rows["operating_costs.labour_staffing.users_per_operator"]["max"] is None
        assert rows["timeline.horizon_months"]["default"] == 36
        assert rows["revenue.basis"]["default"] is None and rows["revenue.basis"]["min"] is None

    def test_every_rate_has_a_typical_range(self):
        rates = [name for name, spec in FIELDS.items() if spec.kind == "rate"]
        assert rates and all(FIELDS[name].typical for name in rates)

    @pytest.mark.parametrize("language, meaning", [("en", "user churn, monthly in the pilot phase"),
                                                   ("zh", "试点期的用户月流失率")])
    def test_table(self, language, meaning, capsys):
        assert main(["inputs", "--language", language]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert lines[0].split() == ["input", "unit", "default", "allowed", "typical", "meaning"]
        assert len(lines) == 2 + len(FIELDS) + len(ONE_OFF_FIELDS)
        churn = next(line for line in lines if line.startswith("users.churn_monthly.pilot "))
        assert churn.split()[:3] == ["users.churn_monthly.pilot", "fraction/month", "0%"]
        assert "2% to 15% a month" in churn and churn.endswith(meaning)
