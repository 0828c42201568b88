"""The causes of the 500s hostile input used to give, each fixed in one place: bounded ``<int:>``
placeholders, one parser for numbers and dates from query strings, the control-character guard,
and the site's own page for every error status."""
from __future__ import annotations

from datetime import date

import pytest

from modules.accounts.models import Role
from modules.core.params import (
    DB_INT_MAX,
    BoundedIntegerConverter,
    iso_date,
    page_number,
    query_int,
    whole_number,
)

UNICODE_DIGITS = ["²", "³¹", "①", "١٢", "𝟗", "１２", "٣"]
OUT_OF_RANGE = [str(DB_INT_MAX + 1), "9223372036854775808", "1" + "0" * 40, "9" * 5000]


# The parser ------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", UNICODE_DIGITS + OUT_OF_RANGE + ["", " 1", "1 ", "-1", "+1", "1.0", "0x1", None])
def test_whole_number_accepts_only_ascii_digits_the_database_can_hold(value):
    assert whole_number(value) is None


@pytest.mark.parametrize("value, expected", [("0", 0), ("7", 7), ("007", 7), (str(DB_INT_MAX), DB_INT_MAX)])
def test_whole_number_reads_plain_numbers(value, expected):
    assert whole_number(value) == expected


def test_bounds_are_the_callers_to_choose():
    assert whole_number("1999", minimum=2000) is None
    assert whole_number("2101", maximum=2100) is None
    assert query_int({"n": "²"}, "n", 5) == 5
    assert query_int({}, "n") is None


@pytest.mark.parametrize("value", ["0", "-3", "²", "9223372036854775808", str(DB_INT_MAX + 1), "", "x"])
def test_a_page_that_is_not_a_page_is_page_one(value):
    assert page_number({"page": value}) == 1


def test_a_real_page_is_kept():
    assert page_number({"page": "3"}) == 3


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01", "2026-02-30",
                                   "20260101", "2026-1-1", "٢٠٢٦-٠١-٠١", "2026-01-01T00:00", "", None])
def test_iso_date_refuses_impossible_and_implausible_dates(value):
    assert iso_date(value) is None


def test_iso_date_reads_a_plausible_date():
    assert iso_date("2026-04-01") == date(2026, 4, 1)


# Route placeholders ---------------------------------------------------------------------------

def test_every_int_placeholder_uses_the_bounded_converter(app):
    rules = [rule for rule in app.url_map.iter_rules() if "int:" in rule.rule]
    assert rules
    for rule in rules:
        for name, converter in rule._converters.items():
            if f"<int:{name}>" in rule.rule:
                assert isinstance(converter, BoundedIntegerConverter), rule.rule


@pytest.mark.parametrize("segment", OUT_OF_RANGE + ["١٢", "𝟗", "２"])
def test_an_id_the_database_cannot_hold_is_a_404(client, sign_in, make_user, segment):
    sign_in(make_user(roles=(Role.learner, Role.partnership_admin)))
    for url in (f"/people/{segment}", f"/agencies/{segment}/certificates", f"/certificates/{segment}",
                f"/my-training/attempts/{segment}/check", f"/reports/people/{segment}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Page not found" in response.get_data(as_text=True)


def test_the_largest_id_the_database_holds_is_looked_up(client, sign_in, make_user):
    sign_in(make_user(roles=(Role.learner, Role.partnership_admin)))
    assert client.get(f"/people/{DB_INT_MAX}").status_code == 404


# Query strings -------------------------------------------------------------------------------

@pytest.fixture
def admin(client, sign_in, make_user, make_agency):
    user = make_user(roles=(Role.learner, Role.partnership_admin), agency=make_agency(name="Home"))
    sign_in(user)
    return user


@pytest.mark.parametrize("digits", UNICODE_DIGITS)
def test_unicode_digits_in_report_filters_are_not_numbers(client, admin, digits):
    for url in ("/reports", "/reports/people", "/reports/completions", "/reports/people.csv"):
        assert client.get(f"{url}?agency={digits}").status_code == 404, url
        assert client.get(f"{url}?team={digits}").status_code == 404, url
        # An unusable course or year is ignored, as any other unknown value is.
        assert client.get(f"{url}?course={digits}").status_code == 200, url
        assert client.get(f"{url}?year={digits}").status_code == 200, url


@pytest.mark.parametrize("page", OUT_OF_RANGE + ["²"])
def test_a_page_beyond_the_database_range_shows_the_first_page(client, admin, page):
    for url in ("/reports/people", "/reports/completions", "/admin/audit",
                f"/agencies/{admin.agency_id}/certificates"):
        assert client.get(f"{url}?page={page}").status_code == 200, url


@pytest.mark.parametrize("year", ["9999", "0001", "1999", "2101"])
def test_a_report_period_outside_2000_to_2100_is_an_error_not_a_crash(client, admin, year):
    query = f"date_from=1&date_from=12&date_from={year}&date_to=31&date_to=12&date_to={year}"
    for url in ("/reports", "/reports/people", "/reports/completions"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, url
        assert "must be between 2000 and 2100" in response.get_data(as_text=True), url


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_an_iso_period_outside_the_range_falls_back_to_the_reporting_year(client, admin, day):
    for url in ("/reports", "/reports/dashboard.csv", "/reports/summary.pdf"):
        assert client.get(f"{url}?from={day}&to={day}").status_code == 200, url


# Control characters --------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["\x00", "a\x00b", "\x01", "\x1b[0m", "\x7f", "\x85"])
def test_control_characters_in_the_sign_in_form_are_a_400_with_the_error_page(client, make_user, text):
    user = make_user()
    for data in ({"email": user.email + text, "password": "anything at all"},
                 {"email": user.email, "password": text}):
        response = client.post("/sign-in", data=data)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "control character" in page and "govuk-template" in page


@pytest.mark.parametrize("where", ["value", "name"])
def test_a_nul_in_a_query_string_is_a_400_before_any_view(client, admin, where):
    query = "agency=%00" if where == "value" else "agen%00cy=1"
    for url in ("/reports", "/verify", "/sign-in", "/no-such-page"):
        assert client.get(f"{url}?{query}").status_code == 400, url
    assert client.get("/verify/AAAA%00BBBB").status_code == 400


def test_tabs_and_line_breaks_are_ordinary_text(client, make_user):
    response = client.post("/forgotten-password", data={"email": "\tsomeone@example.org\r\n"})
    assert response.status_code == 200


# Error pages ---------------------------------------------------------------------------------

def test_any_other_error_status_gets_the_sites_page_and_keeps_its_headers(client):
    response = client.get("/sign-out")  # a POST-only route
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]
    page = response.get_data(as_text=True)
    assert "govuk-template" in page and "error 405" in page


def test_a_missing_trailing_slash_still_redirects(client):
    response = client.get("/dev/outbox")
    assert response.status_code == 308
