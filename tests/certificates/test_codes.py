"""Verification codes and certificate numbers."""
from __future__ import annotations

import pytest

from modules.certificates.codes import (
    CODE_ALPHABET,
    format_code,
    format_number,
    new_verification_code,
    normalise_code,
    number_prefix,
)


def test_codes_are_16_characters_of_the_unambiguous_alphabet():
    codes = {new_verification_code() for _ in range(2000)}
    assert len(codes) == 2000
    for code in codes:
        assert len(code) == 16
        assert set(code) <= set(CODE_ALPHABET)
    assert not set("ILOU") & set(CODE_ALPHABET)
    # Every symbol turns up: the draw uses the whole alphabet (80 bits a code).
    assert set("".join(codes)) == set(CODE_ALPHABET)


def test_format_groups_in_fours():
    assert format_code("7KQ3M9XD2WFHP4TC") == "7KQ3-M9XD-2WFH-P4TC"


@pytest.mark.parametrize("typed", [
    "7KQ3-M9XD-2WFH-P4TC",
    "7kq3 m9xd 2wfh p4tc",
    " 7KQ3M9XD2WFHP4TC ",
    "7KQ3\u2013M9XD\u2013 2WFH\u2014P4TC",  # dashes a phone substitutes
    "7kq3-m9xd-2wfh-p4tc\n",
])
def test_typed_codes_are_normalised(typed):
    assert normalise_code(typed) == "7KQ3M9XD2WFHP4TC"


def test_misread_letters_become_the_digits_they_look_like():
    assert normalise_code("O1IL-0000-0000-0000") == "0111000000000000"


@pytest.mark.parametrize("typed", [
    None, "", "7KQ3-M9XD-2WFH", "7KQ3-M9XD-2WFH-P4TC-X", "7KQ3-M9XD-2WFH-P4TU", "<script>",
    "7KQ3/M9XD/2WFH/P4TC",
])
def test_anything_else_is_not_a_code(typed):
    assert normalise_code(typed) is None


def test_numbers():
    assert number_prefix("Northshire Safeguarding Children Partnership") == "NSCP"
    assert number_prefix("Eastmoor & District Safeguarding Partnership (Children)") == "EDSPC"
    assert number_prefix("¡¡¡") == "CERT"
    assert format_number("NSCP", 2026, 123) == "NSCP-2026-000123"
