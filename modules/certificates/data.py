"""What a certificate says, and how its values are written out in plain UK English."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

# Level words match the course front matter (`level: 1` awareness, 2 targeted, 3 specialist).
LEVEL_WORDS = {1: "awareness", 2: "targeted", 3: "specialist"}

_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)

# Enough of a content hash to tell versions apart by eye on paper; the full value stays in the data.
SHORT_VERSION_LENGTH = 12


def uk_date(value: date) -> str:
    """Write a date the UK way, e.g. ``25 November 2026``.

    Month names come from a fixed list, not the process locale, so a server whose locale is not
    English still prints English dates.
    """
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def cpd_duration(minutes: int) -> str:
    """Write a CPD time in words, e.g. ``2 hours 30 minutes``, ``1 hour``, ``45 minutes``."""
    hours, mins = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour" + ("" if hours == 1 else "s"))
    if mins or not hours:
        parts.append(f"{mins} minute" + ("" if mins == 1 else "s"))
    return " ".join(parts)


def level_label(level: int) -> str:
    """``Level 1: awareness``; a level without agreed words is just ``Level 4``."""
    words = LEVEL_WORDS.get(level)
    return f"Level {level}: {words}" if words else f"Level {level}"


@dataclass(frozen=True)
class CertificateData:
    """Everything printed on one certificate.

    It is a snapshot taken when the certificate is issued: later changes to the learner, agency,
    course or partnership name do not change a certificate already issued.

    :param certificate_number: the human reference, e.g. ``NSCP-2026-000123``.
    :param verification_code: the unguessable public code that the verification page looks up.
    :param verify_url: the full public URL of the verification page (http or https); the QR code
        encodes exactly this.
    :param content_version: the hash of the course content the learner completed; the
        certificate prints the first 12 characters.
    """

    partnership_name: str
    learner_name: str
    agency_name: str
    course_title: str
    course_code: str
    course_level: int
    cpd_minutes: int
    completed_on: date
    expires_on: date
    content_version: str
    certificate_number: str
    verification_code: str
    verify_url: str

    def __post_init__(self) -> None:
        for name in (
            "partnership_name", "learner_name", "agency_name", "course_title", "course_code",
            "content_version", "certificate_number", "verification_code", "verify_url",
        ):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"CertificateData.{name} must be a non-empty string")
        if isinstance(self.course_level, bool) or not isinstance(self.course_level, int) \
                or self.course_level < 1:
            raise ValueError("CertificateData.course_level must be a whole number from 1")
        if isinstance(self.cpd_minutes, bool) or not isinstance(self.cpd_minutes, int) \
                or self.cpd_minutes < 1:
            raise ValueError("CertificateData.cpd_minutes must be a whole number above 0")
        for name in ("completed_on", "expires_on"):
            if not isinstance(getattr(self, name), date):
                raise ValueError(f"CertificateData.{name} must be a date")
        if self.expires_on < self.completed_on:
            raise ValueError("CertificateData.expires_on is before completed_on")
        # The URL becomes a link and a QR code: only ever a web address.
        parts = urlsplit(self.verify_url)
        if parts.scheme not in {"http", "https"} or not parts.netloc:
            raise ValueError("CertificateData.verify_url must be an absolute http(s) URL")

    @property
    def level_label(self) -> str:
        return level_label(self.course_level)

    @property
    def cpd_time(self) -> str:
        return cpd_duration(self.cpd_minutes)

    @property
    def completed_on_text(self) -> str:
        return uk_date(self.completed_on)

    @property
    def expires_on_text(self) -> str:
        return uk_date(self.expires_on)

    @property
    def content_version_short(self) -> str:
        return self.content_version[:SHORT_VERSION_LENGTH]
