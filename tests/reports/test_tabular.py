"""CSV and XLSX writers on plain rows: formula injection, dates as dates, a frozen header."""
from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from modules.core.tabular import Column, Kind, csv_chunks, neutralise_formula, write_xlsx

COLUMNS = [Column("Name"), Column("Completed", Kind.date), Column("Score", Kind.integer),
           Column("Recorded at", Kind.datetime)]


# Text a spreadsheet could run, by the way it gets to be the start of a cell (OWASP's CSV
# injection cases, and those the first version missed).
DANGEROUS = [
    "=1+1", "+44 7700", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd", "=HYPERLINK(\"http://example.org\")",
    "\x00=1+1", "--1",
    # After a list separator: a reader whose locale separates with ";" (or ",") starts a new cell there.
    "Ann;=1+1", "Ann,=1+1", "Ann; =1+1", "Ann;\t@SUM(A1)", 'Ann;"=1+1"', "Ann\t-2+3", "Ann\n=1+1",
    "Ann\r\n+1", "a;b;c;=cmd|' /C calc'!A0",
    # Leading spaces or quotes are skipped by some readers.
    " =1+1", "   @SUM(A1)", "\u00a0=1+1", '"=1+1', ' "+1',
    # Full-width and other compatibility forms become = + - @ under NFKC.
    "＝1+1", "＋44", "－2+3", "＠SUM(A1)", "Ann；＝1+1", "﹦1+1", "\u3000＝1+1",
]
HARMLESS = [
    "Ann O'Brien", "Team A", "", "1 = 1", "a-b", "Mary-Jane Smith-Jones", "Anne-Marie O'Neil", "Jean-Luc",
    "Smith, Ann", "Ann; Bob", "Police - Response", "x@example.org", "a+b", "C++ for beginners",
    "Zoë Ångström-Øberg", "二〇二六", "-", " - ", "Level 1: awareness", "'=already neutralised",
]


@pytest.mark.parametrize("dangerous", DANGEROUS)
def test_text_a_spreadsheet_could_run_gets_an_apostrophe(dangerous):
    assert neutralise_formula(dangerous) == "'" + dangerous


@pytest.mark.parametrize("harmless", HARMLESS)
def test_ordinary_text_is_unchanged(harmless):
    assert neutralise_formula(harmless) == harmless


def test_every_cell_is_quoted_so_a_separator_inside_a_value_starts_no_cell():
    text = "".join(csv_chunks([Column("Name"), Column("Score", Kind.integer)], [("Ann;=1+1", 5), ("Bob", None)]))
    lines = text.lstrip("\ufeff").split("\r\n")
    assert lines[:3] == ['"Name","Score"', '"\'Ann;=1+1","5"', '"Bob",""']
    # Read as a spreadsheet whose locale separates cells with ";" reads it, no cell starts with "=";
    # unquoted, the same value would have made one.
    assert [c for c in next(csv.reader([lines[1]], delimiter=";")) if c.startswith("=")] == []
    assert "=1+1,5" in next(csv.reader(["Ann;=1+1,5"], delimiter=";"))


def _read_csv(columns, rows):
    text = "".join(csv_chunks(columns, rows))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_writes_words_for_booleans_and_iso_for_datetimes():
    columns = [Column("Manual"), Column("At", Kind.datetime)]
    moment = datetime(2026, 7, 1, 11, 30, tzinfo=UTC)
    assert _read_csv(columns, [(False, moment), (True, None)])[1:] == [
        ["No", "2026-07-01T11:30:00+00:00"], ["Yes", ""]]


def test_csv_neutralises_injected_names_but_not_negative_numbers():
    rows = [("=cmd|' /C calc'!A0", date(2026, 4, 1), -5, None), ("@evil", None, 80, None)]
    parsed = _read_csv(COLUMNS, rows)
    assert parsed[0] == ["Name", "Completed", "Score", "Recorded at"]
    assert parsed[1] == ["'=cmd|' /C calc'!A0", "2026-04-01", "-5", ""]
    assert parsed[2] == ["'@evil", "", "80", ""]


def test_csv_streams_in_chunks_with_every_row(monkeypatch):
    monkeypatch.setattr("modules.core.tabular.CSV_CHUNK_CHARS", 100)
    monkeypatch.setattr("modules.core.tabular.CSV_BATCH_ROWS", 4)
    rows = ((f"Person {n}", date(2026, 1, 1), n, None) for n in range(500))
    chunks = list(csv_chunks(COLUMNS, rows))
    assert len(chunks) > 50
    assert all(len(chunk) < 300 for chunk in chunks)
    parsed = list(csv.reader(io.StringIO("".join(chunks)[1:])))
    assert len(parsed) == 501
    assert parsed[-1][0] == "Person 499"


def test_xlsx_has_a_frozen_header_and_real_dates(tmp_path):
    path = tmp_path / "report.xlsx"
    moment = datetime(2026, 7, 1, 11, 30, tzinfo=UTC)  # 12:30 in UK summer time
    count = write_xlsx(str(path), COLUMNS, [("=1+1", date(2027, 3, 31), 90, moment),
                                           ("Bea", None, None, None)], title="Test")
    assert count == 2
    sheet = load_workbook(path).active
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]] == ["Name", "Completed", "Score", "Recorded at"]
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"  # text, never a formula
    assert sheet["B2"].is_date and sheet["B2"].value == datetime(2027, 3, 31)
    assert sheet["B2"].number_format == "dd/mm/yyyy"
    assert sheet["C2"].value == 90
    assert sheet["D2"].value == datetime(2026, 7, 1, 12, 30)
    assert sheet["B3"].value is None
    assert sheet.auto_filter.ref == "A1:D3"
