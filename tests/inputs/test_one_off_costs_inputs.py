"""One-off costs (``one_off_costs: {NAME: {amount, month}}``, and a risk's own ``one_off:``): parsing,
merging through ``extends``, the drivers they give, and every bad value's one-line message."""

from __future__ import annotations


import pytest

from model.inputs.drivers import OneOffCost, driver_field, driver_fields
from model.inputs.scenario import FIELDS, load_scenario
from model.inputs.schema import ONE_OFF_FIELDS, field_of, one_off_path
from conftest import problems, write

RISK = ("risks:\n"
        "  fines:\n"
        "    probability: {value: 10%, basis: ours}\n"
        "    one_off: {amount: 200万, month: 12, source: \"001 §六(一)1.1\", basis: study}\n")


class TestSection:
    def test_entries_become_two_values_each(self, tmp_path, minimal_yaml):
        path = write(tmp_path, "case.yaml", minimal_yaml + (
            "one_off_costs:\n"
            "  fine: {amount: {value: 200万, source: \"001 §六(一)1.1\", basis: study}, month: 12}\n"
            "  leak: {amount: 8000000, month: {value: 18, basis: ours, note: mid-way}, note: a guess}\n"))
        scenario = load_scenario(path)
        assert {p: v for p, v in scenario.values.items() if p not in FIELDS} == {
            "one_off_costs.fine.amount": 200e4, "one_off_costs.fine.month": 12,
            "one_off_costs.leak.amount": 800e4, "one_off_costs.leak.month": 18}
        assert isinstance(scenario.values["one_off_costs.fine.month"], int)
        assert scenario.extensions["one_off_costs"] == (
            OneOffCost("fine", 200e4, 12, "001 §六(一)1.1", "study", None),
            OneOffCost("leak", 800e4, 18, None, "ours", "a guess"))

    @pytest.mark.parametrize("section", ["one_off_costs: {}\n", "one_off_costs:\n"])
    def test_an_empty_section_adds_nothing(self, tmp_path, minimal_yaml, section):
        scenario = load_scenario(write(tmp_path, "empty.yaml", minimal_yaml + section))
        assert set(scenario.values) == set(FIELDS)
        assert scenario.extensions["one_off_costs"] == ()

    def test_extends_merges_entries_and_null_removes_one(self, tmp_path, minimal_yaml):
        write(tmp_path, "parent.yaml", minimal_yaml + (
            "one_off_costs:\n"
            "  fine: {amount: {value: 200万, source: \"001 §六(一)1.1\"}, month: 12}\n"
            "  leak: {amount: 800万, month: 18}\n"))
        child = load_scenario(write(tmp_path, "child.yaml", (
            "extends: parent.yaml\n"
            "one_off_costs:\n"
            "  fine: {month: 6}\n"
            "  leak: null\n"
            "  rehire: {amount: 18万, month: 7}\n")))
        assert {c.name: (c.amount, c.month, c.source) for c in child.extensions["one_off_costs"]} == {
            "fine": (200e4, 6, "001 §六(一)1.1"), "rehire": (18e4, 7, None)}
        assert "one_off_costs.leak.amount" not in child.values

    def test_a_childs_leaf_replaces_the_parents_whole(self, tmp_path, minimal_yaml):
        write(tmp_path, "parent.yaml", minimal_yaml + (
            "one_off_costs:\n  fine: {amount: {value: 200万, source: \"001 §六(一)1.1\", basis: study}, month: 12}\n"))
        child = load_scenario(write(tmp_path, "child.yaml", (
            "extends: parent.yaml\none_off_costs:\n  fine: {amount: {value: 300万, note: the larger loss}}\n")))
        (fine,) = child.extensions["one_off_costs"]
        assert (fine.amount, fine.source, fine.basis, fine.note) == (300e4, None, "ours", "the larger loss")

    def test_set_moves_an_amount(self, tmp_path, minimal_yaml):
        path = write(tmp_path, "case.yaml", minimal_yaml + "one_off_costs:\n  fine: {amount: 200万, month: 12}\n")
        scenario = load_scenario(path, {"one_off_costs.fine.amount": "300万"})
        assert scenario["one_off_costs.fine.amount"] == 300e4
        assert scenario.with_overrides({"one_off_costs.fine.month": 3})["one_off_costs.fine.month"] == 3


class TestBadValues:
    @pytest.mark.parametrize("entry, message", [
        ("{amount: -200万, month: 12}", 'one_off_costs.fine.amount: must not be negative (got "-200万")'),
        ("{amount: 200万, month: 0}", "one_off_costs.fine.month: must be a month within the horizon, 1 to 36 (got 0)"),
        ("{amount: 200万, month: 37}",
         "one_off_costs.fine.month: must be a month within the horizon, 1 to 36 (got 37)"),
        ("{amount: 200万, month: 2.5}", "one_off_costs.fine.month: must be a whole number of months (got 2.5)"),
        ("{amount: 200万, month: 12, when: 3}",
         "one_off_costs.fine.when: is not a known key (amount, month, source, basis, note) (got 3)"),
        ("{amount: 200万}", "one_off_costs.fine.month: is required (the month the one-off cost is paid "
                           "(1 to the horizon))"),
        ("{amount: lots, month: 12}", 'one_off_costs.fine.amount: must be money: a number of yuan or a string like '
                                      '"350万", "2.55亿", "150元" (got "lots")'),
        ("{amount: {value: 1, colour: red}, month: 12}",
         "one_off_costs.fine.amount.colour: is not a known key (value, source, basis, note) (got \"red\")"),
        ("{amount: 200万, month: 12, basis: guess}",
         'one_off_costs.fine.basis: must be one of study, derived, ours (got "guess")'),
        ('"200万"', 'one_off_costs.fine: must be a mapping of amount, month, source, basis, note (got "200万")'),
    ])
    def test_entry(self, tmp_path, minimal_yaml, entry, message):
        path = write(tmp_path, "bad.yaml", minimal_yaml + f"one_off_costs:\n  fine: {entry}\n")
        assert problems(path) == [f"{path}: {message}"]

    def test_names_that_differ_only_in_letter_case(self, tmp_path, minimal_yaml):
        """The workbook gives each a defined name, and Excel's names ignore letter case."""
        path = write(tmp_path, "bad.yaml", minimal_yaml + "one_off_costs:\n  Audit: {amount: 10万, month: 3}\n"
                     "  audit: {amount: 20万, month: 4}\n")
        assert problems(path) == [f"{path}: one_off_costs.audit: differs from one_off_costs.Audit only in letter case: "
                                  "rename one"]

    def test_not_a_mapping(self, tmp_path, minimal_yaml):
        path = write(tmp_path, "bad.yaml", minimal_yaml + "one_off_costs: [200万]\n")
        assert problems(path) == [f"{path}: one_off_costs: must be a mapping of one-off costs by name, each "
                                  "{amount, month} (got a list of 1 item)"]

    def test_the_file_that_set_the_bad_value_is_named(self, tmp_path, minimal_yaml):
        parent = write(tmp_path, "parent.yaml", minimal_yaml + "one_off_costs:\n  fine: {amount: 200万, month: 30}\n")
        child = write(tmp_path, "child.yaml", "extends: parent.yaml\ntimeline: {horizon_months: 24}\n"
                      "one_off_costs:\n  leak: {amount: -1, month: 3}\n")
        assert problems(child) == [
            f"{parent}: one_off_costs.fine.month: must be a month within the horizon, 1 to 24 (got 30)",
            f"{child}: one_off_costs.leak.amount: must not be negative (got -1)"]

    def test_a_misspelt_section(self, tmp_path, minimal_yaml):
        path = write(tmp_path, "bad.yaml", minimal_yaml + "one_off_cost: {}\n")
        assert problems(path) == [f"{path}: one_off_cost: is not a known input (did you mean one_off_costs?) "
                                  "(got a mapping {})"]


class TestRisksOwnOneOff:
    def test_it_is_an_entry_at_zero_and_an_impact_that_adds_it(self, tmp_path, minimal_yaml):
        scenario = load_scenario(write(tmp_path, "risk.yaml", minimal_yaml + RISK))
        (risk,) = scenario.extensions["risks"]
        assert (scenario["one_off_costs.fines.amount"], scenario["one_off_costs.fines.month"]) == (0.0, 12)
        assert risk.one_off == OneOffCost("fines", 200e4, 12, "001 §六(一)1.1", "study", None)
        (impact,) = risk.impacts
        assert (impact.paths, impact.op, impact.amount, impact.stated) == (("one_off_costs.fines.amount",), "add",
                                                                            200e4, 200e4)
        assert risk.stated_total == 200e4
        assert impact.describe() == "fines.amount + 200.0 万元"

    def test_it_follows_the_other_impacts_and_ours_states_nothing(self, tmp_path, minimal_yaml):
        scenario = load_scenario(write(tmp_path, "risk.yaml", minimal_yaml + (
            "risks:\n  key_team_loss:\n    probability: 15%\n"
            "    impacts: [{driver: timeline.launch_delay_months, add: 2}]\n"
            "    one_off: {amount: 18万, month: 6}\n")))
        (risk,) = scenario.extensions["risks"]
        assert [c.paths[0] for c in risk.impacts] == ["timeline.launch_delay_months",
                                                       "one_off_costs.key_team_loss.amount"]
        assert risk.impacts[1].stated is None and risk.stated_total is None

    def test_its_month_must_lie_within_the_horizon(self, tmp_path, minimal_yaml):
        path = write(tmp_path, "bad.yaml", minimal_yaml + RISK.replace("month: 12", "month: 40"))
        assert problems(path) == [f"{path}: risks.fines.one_off.month: must be a month within the horizon, "
                                  "1 to 36 (got 40)"]

    def test_its_name_must_not_clash_with_an_entry(self, tmp_path, minimal_yaml):
        path = write(tmp_path, "bad.yaml", minimal_yaml + RISK
                     + "one_off_costs:\n  fines: {amount: 300万, month: 3}\n")
        assert problems(path) == [f"{path}: risks.fines.one_off: is named like the entry one_off_costs.fines: "
                                  "rename the risk or the entry"]

    def test_a_risk_needs_impacts_or_a_one_off(self, tmp_path, minimal_yaml):
        path = write(tmp_path, "bad.yaml", minimal_yaml + "risks:\n  fines: {probability: 10%}\n")
        assert problems(path) == [f"{path}: risks.fines: must state a probability and impacts (or a one_off cost)"]


class TestAsDrivers:
    def test_field_of_and_driver_field(self):
        assert field_of("one_off_costs.x.amount") is ONE_OFF_FIELDS["amount"]
        assert field_of("one_off_costs.x.month") is ONE_OFF_FIELDS["month"]
        assert field_of("users.initial") is FIELDS["users.initial"]
        with pytest.raises(KeyError):
            field_of("one_off_costs.x.when")
        assert one_off_path("one_off_costs.x.amount") == ("x", "amount") and one_off_path("users.initial") is None
        assert driver_field("one_off_costs.x.amount").kind == "money"
        assert driver_field("one_off_costs.x.month") is None  # a month is not moved per trial
        assert driver_field("finance.discount_rate_annual") is None
        assert driver_field("revenue.community.conversion") is FIELDS["revenue.community.conversion"]
        assert "one_off_costs.x.amount" not in driver_fields()
        with_entry = driver_fields({"one_off_costs.x.amount": 1.0, "one_off_costs.x.month": 3})
        assert "one_off_costs.x.amount" in with_entry and "one_off_costs.x.month" not in with_entry

    def test_an_impact_and_an_uncertain_input_may_move_an_amount(self, tmp_path, minimal_yaml):
        scenario = load_scenario(write(tmp_path, "case.yaml", minimal_yaml + (
            "one_off_costs:\n  fine: {amount: 200万, month: 12}\n"
            "risks:\n  bigger_fine:\n    probability: 5%\n"
            "    impacts: [{driver: one_off_costs.fine.amount, multiply: 1.5}]\n"
            "uncertainty:\n  inputs:\n"
            "    fine: {driver: one_off_costs.fine.amount, dist: uniform, low: 200万, high: 300万}\n")))
        (item,) = scenario.extensions["uncertainty"].inputs
        assert item.target.paths == ("one_off_costs.fine.amount",) and item.target.field.kind == "money"
        assert (item.dist.low, item.dist.high) == (200e4, 300e4)

    @pytest.mark.parametrize("driver, message", [
        ("one_off_costs.fine.month", "risks.r.impacts[0].driver: cannot vary per trial (a one-off cost's month is "
                                     'fixed) (got "one_off_costs.fine.month")'),
        ("one_off_costs", "risks.r.impacts[0].driver: must name one one-off cost's amount, "
                          'one_off_costs.NAME.amount (got "one_off_costs")'),
        ("one_off_costs.nothing.amount", "risks.r: moves one_off_costs.nothing.amount, but no one-off cost is named "
                                         "nothing (one_off_costs: or a risk's one_off:)"),
    ])
    def test_bad_drivers(self, tmp_path, minimal_yaml, driver, message):
        path = write(tmp_path, "bad.yaml", minimal_yaml + (
            "one_off_costs:\n  fine: {amount: 200万, month: 12}\n"
            f"risks:\n  r:\n    probability: 5%\n    impacts: [{{driver: {driver}, add: 1万}}]\n"))
        assert problems(path) == [f"{path}: {message}"]

    def test_a_negative_amount_is_clipped_at_zero(self, tmp_path, minimal_yaml):
        scenario = load_scenario(write(tmp_path, "case.yaml", minimal_yaml + (
            "one_off_costs:\n  fine: {amount: 200万, month: 12}\n"
            "risks:\n  r:\n    probability: 5%\n    impacts: [{driver: one_off_costs.fine.amount, add: -300万}]\n")))
        values = dict(scenario.values)
        scenario.extensions["risks"][0].impacts[0].apply(values)
        assert values["one_off_costs.fine.amount"] == 0.0
