from dataclasses import FrozenInstanceError
from datetime import date

import pytest

from modules.certificates.data import CertificateData, cpd_duration, level_label, uk_date
from modules.certificates.sample import sample_certificate


@pytest.mark.parametrize(
    "value, expected",
    [
        (date(2026, 11, 25), "25 November 2026"),
        (date(2027, 1, 1), "1 January 2027"),
        (date(2028, 2, 29), "29 February 2028"),
    ],
)
def test_uk_date(value, expected):
    assert uk_date(value) == expected


@pytest.mark.parametrize(
    "minutes, expected",
    [
        (150, "2 hours 30 minutes"),
        (60, "1 hour"),
        (61, "1 hour 1 minute"),
        (45, "45 minutes"),
        (1, "1 minute"),
        (720, "12 hours"),
    ],
)
def test_cpd_duration(minutes, expected):
    assert cpd_duration(minutes) == expected


def test_level_label_uses_the_course_level_words():
    assert level_label(1) == "Level 1: awareness"
    assert level_label(2) == "Level 2: targeted"
    assert level_label(3) == "Level 3: specialist"
    assert level_label(4) == "Level 4"


def test_derived_values_of_the_sample():
    data = sample_certificate()
    assert data.level_label == "Level 1: awareness"
    assert data.cpd_time == "2 hours 30 minutes"
    assert data.completed_on_text == "25 November 2025"
    assert data.expires_on_text == "25 November 2028"
    assert data.content_version_short == "3f9c2a7b1e4d"


def test_certificate_data_is_frozen():
    data = sample_certificate()
    with pytest.raises(FrozenInstanceError):
        data.learner_name = "Someone else"


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"learner_name": "  "}, "learner_name"),
        ({"course_level": 0}, "course_level"),
        ({"cpd_minutes": 0}, "cpd_minutes"),
        ({"expires_on": date(2020, 1, 1)}, "before completed_on"),
        ({"verify_url": "javascript:alert(1)"}, "verify_url"),
        ({"verify_url": "/verify/ABC"}, "verify_url"),
        ({"completed_on": "2025-11-25"}, "completed_on"),
    ],
)
def test_certificate_data_refuses_bad_values(changes, message):
    with pytest.raises(ValueError, match=message):
        sample_certificate(**changes)


def test_certificate_data_lists_every_printed_field():
    names = set(CertificateData.__dataclass_fields__)
    assert names == {
        "partnership_name", "learner_name", "agency_name", "course_title", "course_code",
        "course_level", "cpd_minutes", "completed_on", "expires_on", "content_version",
        "certificate_number", "verification_code", "verify_url",
    }
