"""Money (CNY) and rate parsing and formatting: hand-computed cases."""

from __future__ import annotations

import math

import pytest

from model.inputs.units import (format_amounts, format_exact, format_money, format_rate, parse_money, parse_number,
                                parse_rate)


class TestParseMoney:
    @pytest.mark.parametrize("raw, yuan", [
        (1500000, 1_500_000.0),
        (1.5e6, 1_500_000.0),
        ("1e6", 1_000_000.0),
        ("1,500,000", 1_500_000.0),
        ("350万", 3_500_000.0),
        ("350 万元", 3_500_000.0),
        ("2.55亿", 255_000_000.0),
        ("2.55亿元", 255_000_000.0),
        ("150元", 150.0),
        ("313.5元", 313.5),
        ("8千", 8_000.0),
        ("1.2百万", 1_200_000.0),
        ("3千万", 30_000_000.0),
        ("150 CNY", 150.0),
        ("150 yuan", 150.0),
        (".5万", 5_000.0),
        ("-20万", -200_000.0),
        (0, 0.0),
    ])
    def test_values_and_units(self, raw, yuan):
        assert parse_money(raw) == pytest.approx(yuan, rel=1e-15)

    @pytest.mark.parametrize("raw", ["350万美元", "35 0万", "万", "", "abc", "3.5.1万", "10%", True, None,
                                     [1], {"value": 1}, float("nan"), float("inf"), "1e999万"])
    def test_rejects(self, raw):
        with pytest.raises(ValueError, match="must be money|must be a finite number"):
            parse_money(raw)


class TestParseRate:
    @pytest.mark.parametrize("raw, fraction", [
        ("7.5%", 0.075), ("7.5 %", 0.075), ("100%", 1.0), ("0%", 0.0), (0.08, 0.08), ("0.08", 0.08), (1, 1.0),
        ("-5%", -0.05),
    ])
    def test_values(self, raw, fraction):
        assert parse_rate(raw) == pytest.approx(fraction, rel=1e-15)

    @pytest.mark.parametrize("raw", ["7.5%%", "%", "seven", "8万", False, None, float("nan"), "inf%"])
    def test_rejects(self, raw):
        with pytest.raises(ValueError, match="must be a rate|must be a finite number"):
            parse_rate(raw)


class TestParseNumber:
    @pytest.mark.parametrize("raw, number", [(3, 3.0), ("1e6", 1e6), ("1_000", 1000.0), (" 12 ", 12.0)])
    def test_values(self, raw, number):
        assert parse_number(raw) == number

    @pytest.mark.parametrize("raw", ["12 users", True, None, "", [3]])
    def test_rejects(self, raw):
        with pytest.raises(ValueError, match="must be a number"):
            parse_number(raw)

    def test_non_finite(self):
        with pytest.raises(ValueError, match="finite"):
            parse_number(float("nan"))


class TestFormat:
    def test_money_in_wan_by_default(self):
        assert format_money(3.5e6) == "350.0 万元"

    def test_money_other_units(self):
        assert format_money(2.55e8, "亿元", 2) == "2.55 亿元"
        assert format_money(1234.5, "元", 0) == "1,234 元"

    def test_money_missing(self):
        assert format_money(math.nan) == "–"
        assert format_money(None) == "–"

    def test_rate_with_period(self):
        assert format_rate(0.08, "annual") == "8.0% annual"
        assert format_rate(0.0125, digits=2) == "1.25%"
        assert format_rate(math.inf) == "–"

    def test_rates_above_ten_thousand_percent_are_capped_with_their_period(self):
        """Every table (CLI, report, risk, audit) shows a meaningless IRR the same way."""
        assert format_rate(100.0) == "10,000.0%"
        assert format_rate(2663.0, "a year") == "> 10,000% a year"


class TestOneUnitPerRow:
    """Amounts shown together take one unit, by the largest: 万元 below 1亿, 亿元 from 1亿; one decimal."""

    def test_below_one_yi_all_in_wan_with_one_decimal(self):
        assert format_amounts([1.2e6, -3.4e7, 0.0]) == ("万元", ["120.0", "-3,400.0", "0.0"])

    def test_from_one_yi_all_in_yi_two_decimals_when_any_needs_them(self):
        assert format_amounts([5e7, 1.25e8]) == ("亿元", ["0.50", "1.25"])
        assert format_amounts([2e8, 3e8]) == ("亿元", ["2.0", "3.0"])

    def test_undefined_amounts_are_dashes(self):
        assert format_amounts([float("nan"), 1e4]) == ("万元", ["–", "1.0"])

    def test_inputs_exactly_as_set_with_at_least_one_decimal(self):
        assert [format_exact(x) for x in (7.5, 0.25, 150, 202.5, 1_000_000)] == \
            ["7.5", "0.25", "150.0", "202.5", "1,000,000.0"]
