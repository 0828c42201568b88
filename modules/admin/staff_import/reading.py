"""Reading an uploaded staff file: bytes in, numbered rows of named cells out.

Copes with what spreadsheets write: UTF-8 with or without a byte order mark, Excel's Windows
code page (cp1252) when the bytes are not UTF-8, comma, semicolon or tab between cells, quoted
cells holding commas or line breaks, Windows line endings, empty rows and empty columns. Row
numbers are the spreadsheet's (the heading row is row 1), so they match what the person sees
when they open the file to fix it.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000

# The columns an import reads, and the headings accepted for each. Headings are compared in
# lower case with spaces, underscores and hyphens taken out, so "Job title", "job_title" and
# "JOB-TITLE" are one column.
COLUMNS = {
    "name": ("name", "fullname"),
    "email": ("email", "emailaddress"),
    "agency": ("agency",),
    "team": ("team",),
    "job_title": ("jobtitle",),
    "level": ("level", "traininglevel"),
    "roles": ("roles", "role"),
}
COLUMN_LABELS = {"name": "name", "email": "email", "agency": "agency", "team": "team",
                 "job_title": "job title", "level": "level", "roles": "roles"}
_HEADING_TO_COLUMN = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
_DELIMITERS = (",", ";", "\t")


class NotAStaffFile(ValueError):
    """The file cannot be read as a staff list at all: one message says why and what to do."""


@dataclass(frozen=True)
class SourceRow:
    number: int  # the spreadsheet's row number
    cells: dict[str, str]  # column -> stripped text ("" when blank or the column is absent)


@dataclass(frozen=True)
class StaffFile:
    rows: list[SourceRow]
    columns: frozenset[str]  # the columns the file has
    ignored_headings: tuple[str, ...]  # headings the import does not use
    encoding_note: str | None  # said on the preview when the file was not UTF-8


def normalise_heading(heading: str) -> str:
    return "".join(ch for ch in heading.lower() if ch not in " _-\u00a0").strip()


def read_staff_file(data: bytes) -> StaffFile:
    """:raise NotAStaffFile: too big, binary, not text, no heading row, or too many rows."""
    if len(data) > MAX_BYTES:
        raise NotAStaffFile(f"The file is bigger than {MAX_BYTES // (1024 * 1024)} MB. "
                            f"Split it into smaller files of up to {MAX_ROWS:,} people each.")
    if data.startswith(b"PK\x03\x04") or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise NotAStaffFile("The file is an Excel workbook, not a CSV file. In Excel choose "
                            "File, Save As, and 'CSV UTF-8 (Comma delimited)', then upload that file.")
    if b"\x00" in data:
        raise NotAStaffFile("The file is not a CSV file (it holds binary data). Save the staff "
                            "list from your spreadsheet as 'CSV UTF-8' and upload that.")
    text, encoding_note = _decode(data)
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip(" \t,;")), None)
    delimiter = _pick_delimiter(header_line or "")
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        return _rows(records, encoding_note)
    except csv.Error as exc:
        raise NotAStaffFile(f"The file is not a CSV file that can be read ({exc}). Save the staff "
                            "list from your spreadsheet as 'CSV UTF-8' and upload that.") from None


def _decode(data: bytes) -> tuple[str, str | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise NotAStaffFile("The file is not text that can be read. Save the staff list from your "
                            "spreadsheet as 'CSV UTF-8' and upload that.") from None
    return text, ("The file was not saved as UTF-8, so it was read as Windows text (Excel's "
                  "usual CSV). Check that names with accents look right below; if not, save it "
                  "as 'CSV UTF-8' and upload it again.")


def _pick_delimiter(header_line: str) -> str:
    """The separator that splits the heading row into the most known headings (a heading row
    is known words, which makes this surer than guessing from the data)."""
    def known(delimiter: str) -> int:
        cells = next(csv.reader([header_line], delimiter=delimiter), [])
        return sum(normalise_heading(cell) in _HEADING_TO_COLUMN for cell in cells)

    return max(_DELIMITERS, key=lambda d: (known(d), header_line.count(d)))


def _rows(records, encoding_note: str | None) -> StaffFile:
    header: list[str] | None = None
    positions: dict[str, int] = {}
    ignored: list[str] = []
    rows: list[SourceRow] = []
    for number, record in enumerate(records, start=1):
        if not any(cell.strip() for cell in record):
            continue  # an empty row (often many at the end of a spreadsheet's export)
        if header is None:
            header = record
            positions, ignored = _map_headings(record)
            continue
        if len(rows) >= MAX_ROWS:
            raise NotAStaffFile(f"The file has more than {MAX_ROWS:,} people. Split it into "
                                f"smaller files of up to {MAX_ROWS:,} people each.")
        rows.append(SourceRow(number, {
            column: record[index].strip() if index < len(record) else ""
            for column, index in positions.items()
        }))
    if header is None:
        raise NotAStaffFile("The file is empty. Upload a CSV file with a heading row "
                            "(name, email, agency, team, job title, level, roles) and one row per person.")
    return StaffFile(rows, frozenset(positions), tuple(ignored), encoding_note)


def _map_headings(record: list[str]) -> tuple[dict[str, int], list[str]]:
    positions: dict[str, int] = {}
    ignored: list[str] = []
    for index, heading in enumerate(record):
        column = _HEADING_TO_COLUMN.get(normalise_heading(heading))
        if column is None:
            if heading.strip():
                ignored.append(heading.strip())
            continue  # an empty heading: a trailing empty column
        if column in positions:
            raise NotAStaffFile(f"The heading row has two '{COLUMN_LABELS[column]}' columns. "
                                "Keep one and upload the file again.")
        positions[column] = index
    missing = [COLUMN_LABELS[c] for c in ("name", "email") if c not in positions]
    if missing:
        raise NotAStaffFile(
            "The first row must be the column headings: name, email, agency, team, job title, "
            f"level, roles. This file has no {' or '.join(repr(m) for m in missing)} column"
            + ("" if positions else " (is it a CSV file of staff?)") + ".")
    return positions, ignored
