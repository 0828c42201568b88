"""The personal-data detector (modules.checks.personal_data) used on every module."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from modules.checks import personal_data as pd


@pytest.mark.parametrize("text, kind, found", [
    ("She lives near LS1 4AP.", "postcode", "LS1 4AP"),
    ("The office is at SW1A 1AA", "postcode", "SW1A 1AA"),
    ("Call 07700 900123 today", "phone", "07700 900123"),
    ("or +44 20 7946 0958.", "phone", "+44 20 7946 0958"),
    ("landline 0113 496 0000", "phone", "0113 496 0000"),
    ("email jo.bloggs@example.org", "email", "jo.bloggs@example.org"),
    ("a car, AB12 CDE, outside", "vehicle_registration", "AB12 CDE"),
    ("an older car A123 BCD", "vehicle_registration", "A123 BCD"),
    ("NHS 943 476 5919", "nhs_number", "943 476 5919"),
    ("NHS 9434765919", "nhs_number", "9434765919"),
    ("NI AB 12 34 56 C", "ni_number", "AB 12 34 56 C"),
    ("on 12 March 2023", "date", "12 March 2023"),
    ("on the 3rd of May", "date", "3rd of May"),
    ("on March 12, 2023", "date", "March 12, 2023"),
    ("on 12/03/2023", "date", "12/03/2023"),
    ("on 2023-03-12", "date", "2023-03-12"),
])
def test_each_kind_is_found(text, kind, found):
    findings = pd.find_personal_data(text)
    assert [(f.kind, f.text) for f in findings] == [(kind, found)]
    assert text[findings[0].start:findings[0].end] == found
    assert findings[0].label


@pytest.mark.parametrize("text", [
    "Month 3: two weeks later, she goes missing again.",
    "She is 14 and in Year 9. In May 2024 she may go to college.",
    "The course code is CSE-L1 and the pass mark is 80%.",
    "NHS number 943 476 5918 has a wrong check digit.",
    "Call 999 in an emergency, or 101.",
    "Sixteen and 17 year olds are still children.",
])
def test_ordinary_case_study_text_is_not_flagged(text):
    assert pd.find_personal_data(text) == []


def test_overlapping_findings_are_reported_once():
    findings = pd.find_personal_data("jo@ex.org 2023-03-12")
    assert [f.kind for f in findings] == ["email", "date"]


def test_the_nhs_check_digit():
    assert pd.nhs_check_digit_ok("9434765919")
    assert not pd.nhs_check_digit_ok("9434765918")
    assert not pd.nhs_check_digit_ok("943476591")


@pytest.mark.parametrize("text", [
    "NSPCC helpline 0808 800 5000",
    "NSPCC helpline 08088005000 or +44 808 800 5000 or 0808-800-5000",
    "Childline 0800 1111",
    "Say Something 116 000",
    "999 in an emergency, 101 otherwise",
    "NAPAC 0808 801 0331",
    "PACE 0113 240 5226",
    "email help@nspcc.org.uk",
])
def test_national_helplines_are_never_flagged(text):
    assert pd.find_personal_data(text) == []


@pytest.mark.parametrize("text, found", [
    ("a made-up line 0808 800 5001", "0808 800 5001"),
    ("a local team 0113 240 5227", "0113 240 5227"),
    ("her mobile 07700 900 123", "07700 900 123"),
])
def test_numbers_close_to_a_helpline_are_still_flagged(text, found):
    assert [(f.kind, f.text) for f in pd.find_personal_data(text)] == [("phone", found)]


def test_the_allowlist_holds_the_numbers_the_support_box_shows():
    support = (Path(__file__).resolve().parents[2] / "templates" / "learning" / "_support.html").read_text()
    numbers = re.findall(r'href="tel:(\d+)"', support)
    assert numbers
    assert [n for n in numbers if n not in pd.PUBLIC_HELPLINES] == []
