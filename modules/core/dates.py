"""UK time: the one declaration of the UK time zone, UK calendar dates and calendar arithmetic
for expiry dates."""
from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

UK = ZoneInfo("Europe/London")


def uk_date_of(moment: datetime) -> date:
    """The calendar date in the UK at ``moment`` (a timezone-aware datetime)."""
    return moment.astimezone(UK).date()


def uk_today() -> date:
    return uk_date_of(datetime.now(UTC))


def add_months(day: date, months: int) -> date:
    """``day`` plus whole calendar months; the 31st becomes the last day of a shorter month.

    29 February 2024 + 12 months is 28 February 2025.
    """
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def uk_wall_clock(moment: datetime) -> datetime:
    """A timezone-aware moment as the naive UK clock time (for spreadsheets, which have no zones)."""
    return moment.astimezone(UK).replace(tzinfo=None)
