"""Reading what spreadsheets write: encodings, separators, quoting, line endings, empty rows and
columns, and files that are no staff list at all."""
from __future__ import annotations

import pytest

from modules.admin.staff_import.reading import MAX_BYTES, MAX_ROWS, NotAStaffFile, read_staff_file


def test_utf8_with_byte_order_mark_reads_the_first_heading():
    staff = read_staff_file("\ufeffName,Email\r\nZoë Brontë,zoe@example.org\r\n".encode())
    assert staff.rows[0].cells == {"name": "Zoë Brontë", "email": "zoe@example.org"}
    assert staff.encoding_note is None


def test_excel_windows_text_is_read_as_cp1252_and_the_preview_says_so():
    staff = read_staff_file("name,email\r\nZoë Brontë,zoe@example.org\r\n".encode("cp1252"))
    assert staff.rows[0].cells["name"] == "Zoë Brontë"
    assert "Windows" in staff.encoding_note


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_the_separator_is_found_from_the_heading_row(delimiter):
    text = delimiter.join(["Name", "Email", "Job title"]) + "\n" + delimiter.join(
        ['"Smith, Jo"', "jo@example.org", '"Officer; senior"']) + "\n"
    staff = read_staff_file(text.encode())
    assert staff.rows[0].cells == {"name": "Smith, Jo", "email": "jo@example.org", "job_title": "Officer; senior"}


def test_quoted_commas_and_line_breaks_stay_in_their_cell_and_row_numbers_are_the_spreadsheets():
    data = b'name,email,job title\r\n"Okafor, Sam",sam@example.org,"Line one\r\nline two"\r\nJo,jo@example.org,x\r\n'
    staff = read_staff_file(data)
    assert [r.number for r in staff.rows] == [2, 3]
    assert staff.rows[0].cells["name"] == "Okafor, Sam"
    assert staff.rows[0].cells["job_title"] == "Line one\r\nline two"


def test_empty_rows_and_columns_are_ignored_but_keep_the_numbering():
    data = b"name,email,,\r\nJo,jo@example.org,,\r\n,,,\r\n\r\nSam,sam@example.org,,\r\n,,,\r\n;;;\r\n\r\n"
    staff = read_staff_file(data.replace(b";;;", b",,,"))
    assert [(r.number, r.cells["name"]) for r in staff.rows] == [(2, "Jo"), (5, "Sam")]
    assert staff.ignored_headings == ()


def test_headings_ignore_case_spaces_underscores_and_unknown_ones_are_reported():
    staff = read_staff_file(b"FULL_NAME,E-mail,JOB_TITLE,Training Level,Phone\nJo,jo@example.org,Nurse,2,0123\n")
    assert staff.rows[0].cells == {"name": "Jo", "email": "jo@example.org", "job_title": "Nurse", "level": "2"}
    assert staff.ignored_headings == ("Phone",)


@pytest.mark.parametrize(("data", "words"), [
    (b"PK\x03\x04rest of a zip", "Excel workbook"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    (b"", "empty"),
    (b"\r\n,,\r\n", "empty"),
    (b"first,second\r\n1,2\r\n", "column headings"),
    (b"name,name,email\r\n", "two 'name' columns"),
    (b"name,email\r\n\x81\x8d\x8f\x90,x\r\n", "not text"),
])
def test_a_file_that_is_no_staff_list_gets_one_clear_message(data, words):
    with pytest.raises(NotAStaffFile, match=words):
        read_staff_file(data)


def test_a_file_over_the_size_limit_is_refused_before_reading():
    with pytest.raises(NotAStaffFile, match="bigger than 5 MB"):
        read_staff_file(b"name,email\n" + b"x" * MAX_BYTES)


def test_a_file_over_the_row_limit_is_refused():
    data = b"name,email\n" + b"a,b\n" * (MAX_ROWS + 1)
    with pytest.raises(NotAStaffFile, match="more than 50,000 people"):
        read_staff_file(data)


@pytest.mark.parametrize("address", [
    "jo@example.org", "jo.bloggs+cse@northshire.police.uk", "o'neill@example.org", "a@b.co",
    "zoë@example.org", "jo@bücher.example", "\"quoted local\"@example.org", "jo@example..org",
    "jo@-example.org", "jo@example", "jo@localhost", "jo@example.test", "@example.org", "jo@",
    "jo..bloggs@example.org", ".jo@example.org", "jo@exa mple.org", "a" * 65 + "@example.org",
    "jo@" + "a" * 250 + ".org", "jo@@example.org", "jo@example.invalid",
])
def test_the_fast_email_check_agrees_with_email_validator(address):
    from email_validator import EmailNotValidError, validate_email

    from modules.admin.staff_import.rows import email_is_valid

    try:
        validate_email(address, check_deliverability=False)
        expected = True
    except EmailNotValidError:
        expected = False
    assert email_is_valid(address) is expected
