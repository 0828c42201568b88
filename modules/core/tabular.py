"""Writing report rows as CSV (streamed) and XLSX (XlsxWriter, constant memory).

A report is a list of :class:`Column` and an iterable of rows (tuples in column order). The same
columns drive the HTML table, the CSV and the XLSX, so an export shows exactly what the screen
shows.

Formula injection: a spreadsheet program opening a CSV treats a cell that starts with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula, so a member of staff named
``=HYPERLINK(...)`` could run something on a manager's computer. Following OWASP's CSV injection
advice, every cell is written in double quotes (so a ``;`` or ``,`` inside a value never starts a
new cell, whatever list separator the reader's locale uses) and :func:`neutralise_formula`, the
one place the rule lives, puts an apostrophe in front of text that could still be read as a
formula: one that starts with a trigger after any spaces or quotes, or has a trigger at the start
of a piece after a ``,``/``;``/tab/line break (``Ann;=1+1``), judged on its NFKC form so that
full-width ``＝＋－＠`` count too. A lone ``-`` (the usual "none") is left alone: nothing follows it
to calculate. Only text is touched: numbers and dates are written as values. In XLSX every text
value is written as a string cell, which Excel never evaluates, so nothing needs changing there.
"""
from __future__ import annotations

import csv
import enum
import io
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

# A formula starts at the beginning of a cell, or of a piece after a list separator (``,`` or
# ``;`` by locale), a tab or a line break, after any spaces or double quotes. NUL is in ASVS's list.
_FORMULA_START = re.compile(r'(?:^|[,;\t\r\n])[\s"]*[=+\-@\x00]')
_PLAIN_SEPARATORS = re.compile(r"[,;\t\r\n]")
# Rows are written one by one but handed to the server in chunks of about this many characters:
# yielding every row separately costs a WSGI write per row.
CSV_CHUNK_CHARS = 64 * 1024
CSV_BATCH_ROWS = 200  # rows handed to the csv module at once (writerows is cheaper per row)
CSV_MIMETYPE = "text/csv; charset=utf-8"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Kind(enum.Enum):
    text = "text"
    integer = "integer"
    percent = "percent"  # a number from 0 to 100, or None
    date = "date"
    datetime = "datetime"


@dataclass(frozen=True)
class Column:
    header: str
    kind: Kind = Kind.text
    # Width in characters for XLSX; None: from the header.
    width: int | None = None


def could_be_formula(value: str) -> bool:
    """Whether a spreadsheet could read ``value`` (text) as a formula (see the module's notes)."""
    if value.isascii():
        # Most cells: a name, an email address, a course title (the export's hot path).
        if value[:1].isalnum() and _PLAIN_SEPARATORS.search(value) is None:
            return False
    else:
        value = unicodedata.normalize("NFKC", value)
    if value[:1] in ("\t", "\r"):
        return True
    if value.strip() == "-":
        return False
    return _FORMULA_START.search(value) is not None


def neutralise_formula(value: str) -> str:
    """Prefix text a spreadsheet could run as a formula with an apostrophe.

    >>> neutralise_formula("=1+1")
    "'=1+1"
    >>> neutralise_formula("Ann;=1+1")
    "'Ann;=1+1"
    >>> neutralise_formula("Ann O'Brien-Smith")
    "Ann O'Brien-Smith"
    """
    return "'" + value if could_be_formula(value) else value


def csv_cell(value: Any, kind: Kind = Kind.text) -> Any:
    """One value as the CSV shows it: ISO dates, plain numbers, neutralised text, blank for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, (int, float)):
        return value
    return neutralise_formula(str(value))


def csv_chunks(columns: Sequence[Column], rows: Iterable[Sequence[Any]], *, bom: bool = True) -> Iterator[str]:
    """The CSV text of a header and ``rows``, in chunks, holding at most one chunk in memory.

    A UTF-8 byte order mark goes first so that Excel reads names with accents correctly.

    This is the hot loop of a million-row export, so it does as little as it can per row: the
    csv module writes dates (ISO), numbers and None (blank) as they are, and only text columns
    are looked at for a formula trigger; a row is copied only when one needs neutralising.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    if bom:
        buffer.write("\ufeff")
    writer.writerow([neutralise_formula(c.header) for c in columns])
    text_positions = [i for i, c in enumerate(columns) if c.kind == Kind.text]
    other_positions = [i for i, c in enumerate(columns) if c.kind in (Kind.datetime,)]
    batch: list = []
    append = batch.append
    for row in rows:
        for i in text_positions:
            value = row[i]
            if value.__class__ is str:
                if value and could_be_formula(value):
                    row = [csv_cell(v, c.kind) for v, c in zip(row, columns, strict=True)]
                    break
            elif value is not None:  # a bool or number in a text column: say it in words
                row = [csv_cell(v, c.kind) for v, c in zip(row, columns, strict=True)]
                break
        else:
            if other_positions:
                row = [csv_cell(v, c.kind) for v, c in zip(row, columns, strict=True)]
        append(row)
        if len(batch) >= CSV_BATCH_ROWS:
            writer.writerows(batch)
            batch.clear()
            if buffer.tell() >= CSV_CHUNK_CHARS:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
    writer.writerows(batch)
    if buffer.tell():
        yield buffer.getvalue()


def write_xlsx(
    target: IO[bytes] | str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str = "Report",
    title: str | None = None,
    tmpdir: str | None = None,
) -> int:
    """Write a one-sheet workbook: a bold, frozen header row with filters, then ``rows``.

    XlsxWriter's ``constant_memory`` mode flushes each row to a temporary file as soon as the
    next one starts, so memory stays flat however many rows there are. Dates are real Excel dates
    (formatted day/month/year), numbers are numbers, text is always a string cell.

    :return: the number of data rows written.
    """
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        target,
        {
            "constant_memory": True,
            "tmpdir": tmpdir,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    if title:
        workbook.set_properties({"title": title})
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    datetime_format = workbook.add_format({"num_format": "dd/mm/yyyy hh:mm"})
    sheet = workbook.add_worksheet(sheet_name[:31])
    writers: list[Callable[[int, int, Any], Any]] = []
    for index, column in enumerate(columns):
        width = column.width or max(10, min(len(column.header) + 2, 40))
        sheet.set_column(index, index, width)
        writers.append(_cell_writer(sheet, column.kind, date_format, datetime_format))
    for index, column in enumerate(columns):
        sheet.write_string(0, index, column.header, header)
    sheet.freeze_panes(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for index, value in enumerate(row):
            if value is None:
                continue
            writers[index](count, index, value)
    sheet.autofilter(0, 0, max(count, 1), len(columns) - 1)
    workbook.close()
    return count


def _cell_writer(sheet, kind: Kind, date_format, datetime_format) -> Callable[[int, int, Any], Any]:
    if kind == Kind.date:
        return lambda r, c, v: sheet.write_datetime(r, c, datetime(v.year, v.month, v.day), date_format)
    if kind == Kind.datetime:
        # Excel has no time zones: write the UK wall-clock time people expect to see.
        from modules.core.dates import uk_wall_clock

        return lambda r, c, v: sheet.write_datetime(r, c, uk_wall_clock(v), datetime_format)
    if kind in (Kind.integer, Kind.percent):
        return lambda r, c, v: sheet.write_number(r, c, v)
    return lambda r, c, v: sheet.write_string(r, c, str(v))


def xlsx_tempfile(
    columns: Sequence[Column], rows: Iterable[Sequence[Any]], **options: Any
) -> IO[bytes]:
    """Write the workbook to an anonymous temporary file and return it rewound, for sending."""
    handle = tempfile.TemporaryFile()
    write_xlsx(handle, columns, rows, **options)
    handle.seek(0)
    return handle
