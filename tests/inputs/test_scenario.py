"""Scenario files: schema, ``extends`` inheritance, provenance, overrides, and the shipped cases."""

from __future__ import annotations

import re

from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, SCENARIOS, problems, write
from model.inputs import scenario as scenario_module
from model.inputs.errors import ScenarioError
from model.core.evaluation import evaluate
from model.inputs.scenario import FIELDS, REQUIRED, load_scenario, parse_assignment

STUDY_TIERS = {  # 001 §5.3: initial cost, yearly operating cost, yearly total benefit, discount rate
    "study_head.yaml": (350e4, 400e4, 2.55e8, 0.08),
    "study_mid.yaml": (200e4, 300e4, 1.3e8, 0.10),
    "study_startup.yaml": (100e4, 200e4, 5000e4, 0.12),
}


class TestShippedScenarios:
    def test_the_issue_names_them(self):
        names = {p.name for p in SCENARIOS}
        assert names >= {"base.yaml", "study_head.yaml", "study_mid.yaml", "study_startup.yaml",
                         "optimised_costs.yaml", "short_term_launch.yaml", "community_building.yaml"}

    @pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
    def test_validates_runs_and_passes_its_checks(self, path):
        scenario = load_scenario(path)
        assert len(scenario.description) > 40
        result = evaluate(scenario)
        assert result.ok, [c for c in result.checks if not c.ok]
        assert np.isfinite(result.metrics["npv"]) and np.isfinite(result.metrics["npv_annual"])

    @pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
    def test_figures_from_a_source_name_it(self, path):
        scenario = load_scenario(path)
        unsourced = [a.path for a in scenario.assumptions.values() if a.basis in ("study", "derived") and not a.source]
        assert unsourced == []

    @pytest.mark.parametrize("name", sorted(STUDY_TIERS))
    def test_study_tiers_restate_the_study(self, name):
        """001 §5.3: year 1 reproduces the tier's stated initial cost, opex and total benefit."""
        investment, opex, benefit, rate = STUDY_TIERS[name]
        scenario = load_scenario(ROOT / "scenarios" / name)
        annual = evaluate(scenario).annual
        assert scenario["finance.discount_rate_annual"] == rate
        assert scenario["timeline.horizon_months"] == 36
        assert scenario["revenue.basis"] == "gross" and scenario["revenue.gross_margin"] == 1.0
        assert -annual["total_cost"].iloc[0] == pytest.approx(investment)
        assert -annual["total_cost"].iloc[1] == pytest.approx(opex)
        assert annual["total_benefit"].iloc[1] == pytest.approx(benefit)

    def test_base_is_the_honest_convention(self):
        base = load_scenario(ROOT / "scenarios" / "base.yaml")
        assert base["revenue.basis"] == "incremental"
        assert base.assumptions["revenue.gross_margin"].basis == "ours"
        assert (base["users.initial"], base["timeline.horizon_months"], base["finance.discount_rate_annual"]) == \
            (1_000_000, 36, 0.08)
        # 001 §5.1.1: initial 250–350万 split 50 / 35 / 15
        investment = base["investment.tech"] + base["investment.labour"] + base["investment.content"]
        assert 250e4 <= investment <= 350e4

    def test_optimised_costs_is_base_with_levers(self):
        optimised = load_scenario(ROOT / "scenarios" / "optimised_costs.yaml")
        base = load_scenario(ROOT / "scenarios" / "base.yaml")
        assert all(optimised[f"levers.{lever}.enabled"] for lever in
                   ("saas_scrm", "part_time_staff", "ai_customer_service", "lean_events"))
        different = {p for p in FIELDS if optimised[p] != base[p]}
        assert different == {"name", "description", "levers.saas_scrm.enabled", "levers.part_time_staff.enabled",
                             "levers.ai_customer_service.enabled", "levers.lean_events.enabled"}
        # the levers cut the costs they act on: labour −25% and AI service, events −33%, SaaS instead of custom
        cut, full = evaluate(optimised).annual, evaluate(base).annual
        assert cut["activities"].iloc[2] == pytest.approx(full["activities"].iloc[2] * (1 - 0.33))
        assert -cut["investment_tech"].iloc[0] == pytest.approx(-full["investment_tech"].iloc[0] * (1 - 0.70))
        assert -cut["labour"].iloc[2] < -full["labour"].iloc[2] * (1 - 0.25)

    def test_short_term_launch(self):
        launch = load_scenario(ROOT / "scenarios" / "short_term_launch.yaml")
        assert (launch["users.initial"], launch["timeline.horizon_months"]) == (1000, 6)
        assert evaluate(launch).flows.users[0, 1] == pytest.approx(1950)  # 1,000 → about 2,000 in month 1


class TestLoading:
    def test_minimal_file_gets_defaults(self, tmp_path, minimal_yaml):
        scenario = load_scenario(write(tmp_path, "tiny.yaml", minimal_yaml))
        assert scenario.name == "tiny"  # the file name when no name is given
        assert set(scenario.values) == set(FIELDS)
        assert scenario["timeline.horizon_months"] == 36
        assert scenario["revenue.gross_margin"] == 0.4
        assert scenario.assumptions["timeline.horizon_months"].basis == "default"
        assert scenario.assumptions["users.initial"].basis == "ours"
        assert "tiny" in repr(scenario)

    def test_every_required_input_is_reported_at_once(self, tmp_path):
        lines = problems(write(tmp_path, "bare.yaml", "name: bare\n"))
        required = [p for p, f in FIELDS.items() if f.default is REQUIRED]
        assert [line.split(": ")[1] for line in lines] == required

    def test_value_with_provenance(self, tmp_path, minimal_yaml):
        text = minimal_yaml + ("investment:\n  tech: {value: 150万, source: \"001 §5.1.1\", basis: derived, "
                               "note: half of 300万}\n  labour: {value: 1万, source: \"002 §7.1\"}\n")
        scenario = load_scenario(write(tmp_path, "prov.yaml", text))
        tech = scenario.assumptions["investment.tech"]
        assert (tech.value, tech.source, tech.basis, tech.note, tech.unit) == \
            (1.5e6, "001 §5.1.1", "derived", "half of 300万", "CNY")
        assert scenario.assumptions["investment.labour"].basis == "study"  # a source without a basis

    def test_rates_and_money_strings(self, tmp_path, minimal_yaml):
        text = minimal_yaml + "revenue:\n  community: {conversion: 7.5%, aov: 150元}\n"
        text = text.replace("revenue: {basis: incremental, gross_margin: 40%}\n", "")
        text += "  basis: incremental\n  gross_margin: 0.4\n"
        scenario = load_scenario(write(tmp_path, "units.yaml", text))
        assert scenario["revenue.community.conversion"] == pytest.approx(0.075)
        assert scenario["revenue.community.aov"] == 150.0

    def test_yaml_1_1_scientific_strings_are_numbers(self, tmp_path, minimal_yaml):
        scenario = load_scenario(write(tmp_path, "sci.yaml", minimal_yaml.replace("initial: 1000", "initial: 1e6")))
        assert scenario["users.initial"] == 1e6

    def test_file_without_yaml_suffix_in_extends(self, tmp_path, minimal_yaml):
        write(tmp_path, "parent.yaml", minimal_yaml)
        child = load_scenario(write(tmp_path, "child.yaml", "extends: parent\nusers: {initial: 5}\n"))
        assert child["users.initial"] == 5


class TestExtends:
    @pytest.fixture
    def family(self, tmp_path, minimal_yaml):
        grand = minimal_yaml.replace("users: {initial: 1000}\n", "users:\n  initial: 1000\n"
                                     "  growth_monthly: {pilot: 5%, steady: 1%}\n")
        write(tmp_path, "grand.yaml", grand + "investment: {tech: 100, labour: 200}\n")
        sub = tmp_path / "cases"
        sub.mkdir()
        write(sub, "parent.yaml", "extends: ../grand.yaml\ninvestment: {labour: 250}\n")
        return write(sub, "child.yaml", "extends: parent.yaml\ndescription: the child case\n"
                                        "users:\n  growth_monthly: {pilot: 7%}\n")

    def test_child_states_only_what_differs(self, family):
        child = load_scenario(family)
        assert child.description == "the child case"
        assert child["investment.tech"] == 100 and child["investment.labour"] == 250
        # nested sections merge key by key
        assert child["users.growth_monthly.pilot"] == pytest.approx(0.07)
        assert child["users.growth_monthly.steady"] == pytest.approx(0.01)

    def test_chain_and_origins(self, family):
        child = load_scenario(family)
        assert [Path(p).name for p in child.chain] == ["child.yaml", "parent.yaml", "grand.yaml"]
        assert Path(child.assumptions["investment.labour"].file).name == "parent.yaml"
        assert Path(child.assumptions["investment.tech"].file).name == "grand.yaml"
        assert Path(child.assumptions["users.growth_monthly.pilot"].file).name == "child.yaml"

    def test_error_in_a_parent_names_the_parent(self, tmp_path, minimal_yaml):
        write(tmp_path, "parent.yaml", minimal_yaml + "investment: {tech: lots}\n")
        child = write(tmp_path, "child.yaml", "extends: parent.yaml\nname: child\n")
        assert problems(child) == [f"{tmp_path / 'parent.yaml'}: investment.tech: must be money: a number of yuan "
                                   "or a string like \"350万\", \"2.55亿\", \"150元\" (got \"lots\")"]

    def test_self_extends_is_a_cycle(self, tmp_path, minimal_yaml):
        path = write(tmp_path, "self.yaml", "extends: self.yaml\n" + minimal_yaml)
        assert problems(path) == [f"{path}: extends: is a cycle: self.yaml → self.yaml"]


class TestOverrides:
    def test_with_overrides_leaves_the_original(self, tmp_path, minimal_yaml):
        original = load_scenario(write(tmp_path, "o.yaml", minimal_yaml))
        changed = original.with_overrides({"users.initial": "2e6", "revenue.community.conversion": "5%"})
        assert changed["users.initial"] == 2e6 and changed["revenue.community.conversion"] == 0.05
        assert original["users.initial"] == 1000
        assert changed.assumptions["users.initial"].file == "--set"

    def test_override_replaces_a_value_with_provenance(self, tmp_path, minimal_yaml):
        text = minimal_yaml.replace("initial: 1000", "initial: {value: 1000, source: \"001\"}")
        changed = load_scenario(write(tmp_path, "p.yaml", text), {"users.initial": 7})
        assert changed["users.initial"] == 7 and changed.assumptions["users.initial"].source is None

    def test_bad_override_names_set(self, tmp_path, minimal_yaml):
        path = write(tmp_path, "o.yaml", minimal_yaml)
        assert problems(path, {"users.initial": "many"}) == ["--set: users.initial: must be a number (got \"many\")"]
        assert problems(path, {"users.intial": 5}) == [
            "--set: users.intial: is not a known input (did you mean users.initial?) (got 5)"]
        assert problems(path, {"users": 5}) == ["--set: users: is a section: set one of its inputs (users.cap, …) "
                                                "(got 5)"]
        assert problems(path, {"colour": 5}) == ["--set: colour: is not a known input (check the spelling) (got 5)"]

    @pytest.mark.parametrize("text, expected", [
        ("users.initial=2e6", ("users.initial", "2e6")),
        ("revenue.community.conversion=5%", ("revenue.community.conversion", "5%")),
        ("indirect.enabled=true", ("indirect.enabled", True)),
        ("users.cap=", ("users.cap", None)),
        (" users.initial = 7 ", ("users.initial", 7)),
        ("name=[unclosed", ("name", "[unclosed")),
    ])
    def test_parse_assignment(self, text, expected):
        assert parse_assignment(text) == expected

    @pytest.mark.parametrize("text", ["users.initial", "=5", ""])
    def test_parse_assignment_rejects(self, text):
        with pytest.raises(ScenarioError, match="must be FIELD.PATH=VALUE"):
            parse_assignment(text)


def parse_demo_section(raw, label_of):
    """A stand-in for a module validating its own section (see scenario.EXTENSIONS)."""
    if not isinstance(raw, dict):
        from model.inputs.errors import InputError  # noqa: PLC0415
        return None, [InputError(label_of("demo"), "demo", "must be a mapping", raw)]
    return dict(raw), []


class TestExtensionsHook:
    @pytest.fixture(autouse=True)
    def register(self, monkeypatch):
        monkeypatch.setitem(scenario_module.EXTENSIONS, "demo", parse_demo_section)

    def test_section_is_parsed_by_its_module_and_merged_through_extends(self, tmp_path, minimal_yaml):
        write(tmp_path, "parent.yaml", minimal_yaml + "demo: {a: 1, b: 2}\n")
        child = load_scenario(write(tmp_path, "child.yaml", "extends: parent.yaml\ndemo: {b: 3}\n"))
        assert child.extensions["demo"] == {"a": 1, "b": 3}

    def test_its_problems_are_reported(self, tmp_path, minimal_yaml):
        path = write(tmp_path, "bad.yaml", minimal_yaml + "demo: 5\n")
        assert problems(path) == [f"{path}: demo: must be a mapping (got 5)"]

    def test_absent_section(self, tmp_path, minimal_yaml):
        assert load_scenario(write(tmp_path, "none.yaml", minimal_yaml)).extensions == {}


class TestBilingualTexts:
    def test_name_and_description_in_both_languages(self, tmp_path, minimal_yaml):
        path = tmp_path / "both.yaml"
        path.write_text(minimal_yaml.replace("description: the smallest valid case",
                                             "name: {zh: 最小情景, en: Smallest}\n"
                                             "description: {zh: 中文说明, en: the smallest valid case}"),
                        encoding="utf-8")
        scenario = load_scenario(path)
        assert scenario.name == "Smallest" and scenario.text("name", "zh") == "最小情景"
        assert scenario.description == "the smallest valid case" and scenario.text("description", "zh") == "中文说明"
        assert scenario.with_overrides({"users.initial": 5}).text("name", "zh") == "最小情景"

    def test_user_text_without_a_translation_is_shown_as_written(self, tmp_path, minimal_yaml):
        path = tmp_path / "plain.yaml"
        path.write_text(minimal_yaml.replace("description: the smallest valid case",
                                             "name: {zh: 只有中文}\ndescription: 只写了中文"), encoding="utf-8")
        scenario = load_scenario(path)
        assert scenario.name == "只有中文" and scenario.text("name", "en") == "只有中文"
        assert scenario.text("description", "en") == "只写了中文"

    def test_a_bad_bilingual_text_is_one_line(self, tmp_path, minimal_yaml):
        path = tmp_path / "bad.yaml"
        path.write_text(minimal_yaml.replace("description: the smallest valid case",
                                             "description: {zh: 中文, fr: français}"), encoding="utf-8")
        with pytest.raises(ScenarioError) as caught:
            load_scenario(path)
        assert [str(p) for p in caught.value.problems][0] == \
            f"{path}: description: must be a text, or {{zh: text, en: text}} (got a mapping {{zh, fr}})"

    def test_every_shipped_scenario_has_both_names(self):
        for path in SCENARIOS:
            scenario = load_scenario(path)
            assert scenario.text("name", "zh") != scenario.text("name", "en"), path.stem
            assert re.search(r"[\u4e00-\u9fff]", scenario.text("description", "zh")), path.stem
