"""Free texts in two languages: ``{zh: …, en: …}`` anywhere in a scenario file, and the shipped files' texts."""

from __future__ import annotations

import copy
import pickle
import re

import pytest

from conftest import SCENARIOS, problems, write
from model.inputs.scenario import load_scenario
from model.inputs.texts import UNITS_ZH, Text, quantity, text_in
from model.inputs.schema import FIELDS

BILINGUAL = """
finance:
  discount_rate_annual: {value: 9%, source: {zh: "001 §5.3.2（折现率）", en: "001 §5.3.2 (discount rate)"},
                         note: {zh: 我方的折现率, en: our discount rate}}
users:
  initial: {value: 1000, note: {zh: 只写了中文}}
one_off_costs:
  audit: {amount: 5万, month: 2, source: {zh: 审计报价, en: an audit quote}, note: {zh: 一次, en: once}}
risks:
  outage:
    name: {zh: 系统宕机, en: System outage}
    probability: {value: 10%, source: {zh: 我方估计, en: our estimate}}
    impacts:
      - {driver: revenue.community.conversion, multiply: 0.9, source: {zh: 转化率下降, en: conversion falls},
         note: {zh: 一个月, en: one month}}
    mitigation:
      description: {zh: 双活备份, en: active-active backup}
      effectiveness: {low: 50%, high: 70%}
      cost: [{driver: operating_costs.other.fixed_yearly, add: 1万, note: {zh: 备用系统, en: a standby system}}]
uncertainty:
  inputs:
    conversion: {driver: revenue.community.conversion, dist: uniform, low: 6%, high: 8%,
                 note: {zh: 区间为我方假设, en: the range is ours}}
"""


def bilingual(minimal_yaml: str) -> str:
    return minimal_yaml.replace("finance: {discount_rate_annual: 8%}\n", "").replace(
        "users: {initial: 1000}\n", "") + BILINGUAL


class TestText:
    def test_it_is_its_english_and_carries_its_chinese(self):
        text = Text("Cost overrun", "成本超支")
        assert text == "Cost overrun" and str(text) == "Cost overrun" and f"{text}" == "Cost overrun"
        assert text_in(text, "zh") == "成本超支" and text_in(text, "en") == "Cost overrun"
        assert text_in("as written", "zh") == "as written" and text_in(None, "zh") == ""

    def test_strip_pickle_and_copy_keep_both_languages(self):
        text = Text("  Cost overrun ", " 成本超支 ")
        for kept in (text.strip(), pickle.loads(pickle.dumps(text)), copy.deepcopy(text)):
            assert isinstance(kept, Text)
        assert text.strip().zh == "成本超支" and pickle.loads(pickle.dumps(text)).zh == " 成本超支 "


class TestScenarioTexts:
    def test_every_free_text_may_be_given_in_both_languages(self, tmp_path, minimal_yaml):
        scenario = load_scenario(write(tmp_path, "both.yaml", bilingual(minimal_yaml)))
        rate = scenario.assumptions["finance.discount_rate_annual"]
        assert (rate.source, text_in(rate.source, "zh")) == ("001 §5.3.2 (discount rate)", "001 §5.3.2（折现率）")
        assert (rate.note, text_in(rate.note, "zh")) == ("our discount rate", "我方的折现率")
        risk, = scenario.extensions["risks"]
        assert (risk.name, text_in(risk.name, "zh")) == ("System outage", "系统宕机")
        assert text_in(risk.mitigation.description, "zh") == "双活备份"
        assert text_in(risk.mitigation.costs[0].note, "zh") == "备用系统"
        assert (risk.impacts[0].source, text_in(risk.impacts[0].source, "zh")) == ("conversion falls", "转化率下降")
        assert text_in(risk.impacts[0].note, "zh") == "一个月"
        cost, = scenario.extensions["one_off_costs"]
        assert (text_in(cost.source, "zh"), text_in(cost.note, "zh")) == ("审计报价", "一次")
        assert text_in(scenario.extensions["uncertainty"].inputs[0].note, "zh") == "区间为我方假设"

    def test_a_text_in_one_language_is_shown_as_written(self, tmp_path, minimal_yaml):
        scenario = load_scenario(write(tmp_path, "one.yaml", bilingual(minimal_yaml)))
        note = scenario.assumptions["users.initial"].note
        assert note == "只写了中文" and text_in(note, "zh") == "只写了中文"

    def test_the_file_as_resolved_keeps_its_texts(self, tmp_path, minimal_yaml):
        scenario = load_scenario(write(tmp_path, "both.yaml", bilingual(minimal_yaml)))
        assert "zh: 系统宕机" in scenario.resolved_text() and "en: System outage" in scenario.resolved_text()
        changed = scenario.with_overrides({"users.initial": 5})
        assert text_in(changed.extensions["risks"][0].name, "zh") == "系统宕机"

    @pytest.mark.parametrize("text, got", [("{zh: 1}", "a mapping {zh}"), ("{zh: '  ', en: x}", "a mapping {zh, en}")])
    def test_a_bad_bilingual_text_is_one_line(self, tmp_path, minimal_yaml, text, got):
        path = write(tmp_path, "bad.yaml", minimal_yaml.replace(
            "users: {initial: 1000}", f"users: {{initial: {{value: 1000, note: {text}}}}}"))
        assert problems(path) == [f"{path}: users.initial.note: must be a text, or {{zh: text, en: text}} (got {got})"]

    def test_a_mapping_with_other_keys_is_not_a_text(self, tmp_path, minimal_yaml):
        path = write(tmp_path, "bad.yaml", minimal_yaml.replace(
            "users: {initial: 1000}", "users: {initial: {value: 1000, note: {zh: 中文, fr: français}}}"))
        assert problems(path) == [f"{path}: users.initial.note: must be a text, or {{zh: text, en: text}} "
                                  "(got a mapping {zh, fr})"]


#: A text with no English word, such as a section reference (``001 §5.2.1``, ``001 §三(三)3.1``), needs no translation.
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


def free_texts(scenario):
    """(where, text) for every free text of a scenario that a report shows."""
    for path, item in scenario.assumptions.items():
        yield f"{path}.source", item.source
        yield f"{path}.note", item.note
    for risk in scenario.extensions.get("risks", ()):
        yield f"risks.{risk.key}.name", risk.name
        changes = [*risk.impacts, *(risk.mitigation.costs if risk.mitigation else ())]
        if risk.mitigation:
            yield f"risks.{risk.key}.mitigation.description", risk.mitigation.description
        for change in changes:
            yield f"risks.{risk.key}: {change.describe()}.source", change.source
            yield f"risks.{risk.key}: {change.describe()}.note", change.note


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_shipped_scenarios_give_their_texts_in_both_languages(path):
    untranslated = [f"{where}: {text}" for where, text in free_texts(load_scenario(path))
                    if text and ENGLISH_WORD.search(text) and (not isinstance(text, Text) or text.zh == str(text))]
    assert not untranslated, "\n".join(untranslated)


class TestUnits:
    def test_every_schema_unit_has_chinese_words(self):
        assert {spec.unit for spec in FIELDS.values()} <= set(UNITS_ZH)

    @pytest.mark.parametrize("value, unit, en, zh", [
        (0.075, "fraction/month", "7.5% a month", "7.5%/月"), (0.3, "fraction of users", "30.0%", "30.0%"),
        (1.35e8, "CNY/year", "1.35 亿元/year", "1.35 亿元/年"), (150, "CNY/order", "150.0 元/order", "150.0 元/单"),
        (2, "months", "2.0 months", "2.0 个月"), (1_000_000, "users", "1,000,000 users", "1,000,000 人")])
    def test_a_quantity_in_either_language(self, value, unit, en, zh):
        assert (quantity(value, unit), quantity(value, unit, "zh")) == (en, zh)
