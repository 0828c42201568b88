"""The personal-data finder's newer kinds (names, institutions, addresses, handles), codes in any
case, declared pseudonyms and the result shape."""
from __future__ import annotations

import pytest

from modules.checks import personal_data as pd


def found(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in pd.find_personal_data(text, **kwargs)]


@pytest.mark.parametrize("text, expected", [
    ("Leah Whitfield was there.", ("name", "Leah Whitfield")),
    ("It was PC Omar Siddiqui.", ("name", "PC Omar Siddiqui")),
    ("Mrs Kowalski rang.", ("name", "Mrs Kowalski")),
    ("DC Hargreaves took the call.", ("name", "DC Hargreaves")),
    ("She went to Aunt Sharon's.", ("name", "Aunt Sharon's")),
    ("Her grandad Pete drove her.", ("name", "grandad Pete")),
    ('A man known as "Tank" was there.', ("name", "Tank")),
    ("She is in Year 10 at Brookfield Academy.", ("institution", "Brookfield Academy")),
    ("Her GP is at St Anne's Surgery.", ("institution", "St Anne's Surgery")),
    ("She was found at 12 Canal Street.", ("address", "12 Canal Street")),
    ("Flat 3, Alder House.", ("address", "Flat 3, Alder House")),
    ("She posts as @lils_x2011 now.", ("social_media", "@lils_x2011")),
    ("snap: tayb0i", ("social_media", "tayb0i")),
    ("insta: ellz.x", ("social_media", "ellz.x")),
    ("Her tiktok: jadexo_07", ("social_media", "jadexo_07")),
    ("The car was last seen in wf3 1tz.", ("postcode", "wf3 1tz")),
    ("A silver car, yx19 kfd, waited.", ("vehicle_registration", "yx19 kfd")),
    ("NI jk123456a on the form.", ("ni_number", "jk123456a")),
])
def test_each_new_kind_is_found(text, expected):
    assert expected in found(text)


@pytest.mark.parametrize("text", [
    "She is in Y10 and Y11 sets, and watched it in 3D.",
    "Staff at the local primary school noticed.",
    "She was taken to the hospital by ambulance.",
    "Will she be safe? Hope is important.",
    "In May she went missing twice.",
    "The Philomena Protocol form went with her.",
    "Black boys are adultified more often.",
    "She was two miles down the road.",
    "She added him on Snapchat and Instagram.",
    "Call Childline on 0800 1111.",
])
def test_ordinary_text_is_not_flagged(text):
    assert found(text) == []


def test_declared_pseudonyms_are_never_reported_in_any_form():
    text = "Jade's mum rang. Jade Smith was at Northfield Academy with Child A."
    assert found(text, pseudonyms=["Jade", "Child A", "Northfield Academy"]) == [("name", "Jade Smith")]
    assert found(text, pseudonyms=["Jade", "Smith", "Child A", "Northfield Academy"]) == []


def test_a_declared_pseudonym_does_not_excuse_a_number_or_a_handle():
    assert found("Jade's number is 07700 900123.", pseudonyms=["Jade"]) == [("phone", "07700 900123")]


def test_findings_say_where_why_and_what_instead():
    (finding,) = pd.find_personal_data("Notes.\nShe lives at 12 Canal Street.", first_line=5)
    assert (finding.line, finding.column, finding.kind) == (6, 14, "address")
    assert finding.checker == "personal_data" and finding.why and finding.instead
    assert finding.label == "a street address"


def test_the_name_lists_load_once_and_are_large_enough():
    from modules.checks.names import name_lists

    assert name_lists() is name_lists()
    lists = name_lists()
    assert len(lists.first) > 5000 and len(lists.last) > 5000
    assert {"Leah", "Omar", "Aisha", "Kai", "Zara"} <= lists.first
    assert "The" not in lists.first and "Police" not in lists.first
