"""Numbers and dates read from URLs and query strings, within what the code and database can hold.

``str.isdigit()`` is true for "²" (which ``int()`` refuses) and for "١٢" (which it reads as 12),
and an id or page beyond 2**31 - 1 makes PostgreSQL raise "integer out of range" and SQLite
"Python int too large": each of those was a 500. Everything that turns request text into a number
or a date goes through here instead, so the rule is written once.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from werkzeug.routing import IntegerConverter, ValidationError

# PostgreSQL's ``integer``, the type of every id and counter column.
DB_INT_MAX = 2**31 - 1
# Dates people type (report periods, training dates). Month arithmetic on year 9999 overflows
# Python's dates, and nothing in this service happened before 2000 or is planned after 2100.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)

_ASCII_DIGITS = re.compile(r"[0-9]{1,18}")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def whole_number(value: str | None, *, minimum: int = 0, maximum: int = DB_INT_MAX) -> int | None:
    """``value`` as an int when it is plain ASCII digits between ``minimum`` and ``maximum``, else None."""
    if not isinstance(value, str) or not _ASCII_DIGITS.fullmatch(value):
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def query_int(args: Mapping[str, str], key: str, default: int | None = None, *,
              minimum: int = 0, maximum: int = DB_INT_MAX) -> int | None:
    """A whole number from a query string or form; ``default`` when it is missing or not one."""
    number = whole_number(args.get(key), minimum=minimum, maximum=maximum)
    return default if number is None else number


def page_number(args: Mapping[str, str]) -> int:
    """The ``page`` of a paginated list: 1 unless a page from 1 to :data:`DB_INT_MAX` is asked for."""
    return query_int(args, "page", 1, minimum=1)


def iso_date(value: str | None, *, earliest: date = EARLIEST_DATE, latest: date = LATEST_DATE) -> date | None:
    """A ``YYYY-MM-DD`` date between ``earliest`` and ``latest``, else None."""
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if earliest <= day <= latest else None


def in_date_range(day: date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


class BoundedIntegerConverter(IntegerConverter):
    """``<int:...>`` in every route: ASCII digits only, at most :data:`DB_INT_MAX`, so an id the
    database cannot hold is a 404 like any other id that does not exist."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,  # noqa: A002
                 max: int | None = DB_INT_MAX, signed: bool = False) -> None:  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=DB_INT_MAX if max is None else max,
                         signed=signed)

    def to_python(self, value: str):
        # Werkzeug would call int() on 5,000 digits before comparing with max.
        if len(value) > len(str(self.max)):
            raise ValidationError()
        return super().to_python(value)


def init_app(app) -> None:
    """Register the bounded converter as ``int`` (before any blueprint adds its rules)."""
    app.url_map.converters["int"] = BoundedIntegerConverter
