"""Reporting years run from 1 April to 31 March."""
from __future__ import annotations

from datetime import date

import pytest

from modules.reports.periods import (
    Period,
    ReportingYear,
    parse_reporting_year,
    recent_reporting_years,
    reporting_year_of,
)


def test_31_march_belongs_to_the_year_that_started_the_april_before():
    year = reporting_year_of(date(2027, 3, 31))
    assert (year.start, year.end) == (date(2026, 4, 1), date(2027, 3, 31))
    assert year.label == "2026 to 2027"


def test_1_april_starts_a_new_reporting_year():
    year = reporting_year_of(date(2027, 4, 1))
    assert (year.start, year.end) == (date(2027, 4, 1), date(2028, 3, 31))


def test_january_belongs_to_the_year_that_started_the_previous_april():
    assert reporting_year_of(date(2027, 1, 15)).first_year == 2026


def test_the_boundary_days_are_inside_and_their_neighbours_outside():
    year = ReportingYear.starting(2026)
    assert date(2026, 4, 1) in year
    assert date(2027, 3, 31) in year
    assert date(2026, 3, 31) not in year
    assert date(2027, 4, 1) not in year


def test_a_leap_year_february_is_inside():
    assert date(2028, 2, 29) in ReportingYear.starting(2027)


def test_compliance_is_measured_at_the_end_of_a_past_year_and_today_in_the_current_one():
    year = ReportingYear.starting(2025)
    assert year.as_at(date(2026, 11, 25)) == date(2026, 3, 31)
    assert ReportingYear.starting(2026).as_at(date(2026, 11, 25)) == date(2026, 11, 25)


def test_a_year_has_twelve_months_from_april():
    months = ReportingYear.starting(2026).months()
    assert len(months) == 12
    assert months[0] == date(2026, 4, 1)
    assert months[-1] == date(2027, 3, 1)


def test_recent_years_start_with_the_current_one():
    years = list(recent_reporting_years(date(2026, 3, 31), count=3))
    assert [y.first_year for y in years] == [2025, 2024, 2023]


@pytest.mark.parametrize("value, expected", [("2026", 2026), ("", None), (None, None), ("26", None),
                                             ("abcd", None), ("1999", None), ("-202", None),
                                             ("2099", 2099), ("2100", None), ("²⁰²⁶", None), ("٢٠٢٦", None)])
def test_parse_reporting_year(value, expected):
    parsed = parse_reporting_year(value)
    assert (parsed.first_year if parsed else None) == expected


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(date(2026, 5, 2), date(2026, 5, 1))
