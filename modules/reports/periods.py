"""Reporting periods: the partnership's reporting year runs from 1 April to 31 March.

A year is named by the calendar year it starts in: reporting year 2026 is 1 April 2026 to
31 March 2027, shown as "2026 to 2027" (the GOV.UK style for a range of years).
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from modules.core.params import EARLIEST_DATE, LATEST_DATE, whole_number

YEAR_START_MONTH = 4  # April
# The reporting years anyone may ask for (their dates stay inside modules.core.params' range).
FIRST_YEAR, LAST_YEAR = EARLIEST_DATE.year, LATEST_DATE.year - 1


@dataclass(frozen=True)
class Period:
    """An inclusive range of calendar dates a report covers."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a reporting period cannot end before it starts")

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def as_at(self, today: date) -> date:
        """The day compliance is measured on: the period's last day, or today if that is earlier."""
        return min(self.end, today)

    @property
    def label(self) -> str:
        return f"{_uk(self.start)} to {_uk(self.end)}"

    def months(self) -> list[date]:
        """The first day of every calendar month the period touches, in order."""
        first = self.start.replace(day=1)
        result = []
        while first <= self.end:
            result.append(first)
            first = (first + timedelta(days=32)).replace(day=1)
        return result


@dataclass(frozen=True)
class ReportingYear(Period):
    """1 April of ``start.year`` to 31 March of the next year."""

    @classmethod
    def starting(cls, year: int) -> ReportingYear:
        return cls(date(year, YEAR_START_MONTH, 1), date(year + 1, YEAR_START_MONTH, 1) - timedelta(days=1))

    @property
    def first_year(self) -> int:
        return self.start.year

    @property
    def label(self) -> str:
        return f"{self.start.year} to {self.end.year}"


def reporting_year_of(day: date) -> ReportingYear:
    """The reporting year ``day`` falls in: 31 March 2027 is in 2026 to 2027, 1 April 2027 in 2027 to 2028."""
    return ReportingYear.starting(day.year if day.month >= YEAR_START_MONTH else day.year - 1)


def recent_reporting_years(today: date, count: int = 5) -> Iterator[ReportingYear]:
    """The current reporting year and the ``count - 1`` before it, newest first."""
    current = reporting_year_of(today).first_year
    for year in range(current, current - count, -1):
        yield ReportingYear.starting(year)


def parse_reporting_year(value: str | None) -> ReportingYear | None:
    """``"2026"`` -> reporting year 2026 to 2027; None for anything that is not a plausible year."""
    year = whole_number(value, minimum=FIRST_YEAR, maximum=LAST_YEAR)
    return None if year is None else ReportingYear.starting(year)


def _uk(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


