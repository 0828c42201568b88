"""A certificate's status: valid, expired, superseded or revoked.

In order of precedence:

- **revoked**: a partnership admin withdrew it; nothing else matters;
- **superseded**: the same person has a newer certificate for the same course that is not revoked
  (a refresher), so this one is history even if its dates have not run out;
- **expired**: the "valid until" date has passed (the date itself still counts);
- **valid**: none of the above.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import and_, exists, or_
from sqlalchemy.orm import aliased

from modules.certificates.models import Certificate
from modules.core.enums import TaggedStatus


class CertificateStatus(TaggedStatus):
    valid = ("Valid", "govuk-tag--green")
    expired = ("Expired", "govuk-tag--yellow")
    superseded = ("Superseded", "govuk-tag--grey")
    revoked = ("Revoked", "govuk-tag--red")

    @property
    def rank(self) -> int:
        """Sort order for lists: current certificates first."""
        return list(CertificateStatus).index(self)


def status_of(certificate: Certificate, *, superseded: bool, today: date) -> CertificateStatus:
    if certificate.revoked_at is not None:
        return CertificateStatus.revoked
    if superseded:
        return CertificateStatus.superseded
    if today > certificate.expires_on:
        return CertificateStatus.expired
    return CertificateStatus.valid


def superseded_clause(target=Certificate):
    """SQL: a newer, unrevoked certificate exists for the same person and course as ``target``.

    "Newer" is a later completion date, or the same date and a later id (two completions on one
    day are possible when a refresher is taken early).
    """
    newer = aliased(Certificate)
    return exists().where(
        newer.user_id == target.user_id,
        newer.course_id == target.course_id,
        newer.id != target.id,
        newer.revoked_at.is_(None),
        or_(
            newer.completed_on > target.completed_on,
            and_(newer.completed_on == target.completed_on, newer.id > target.id),
        ),
    )


def superseded_ids(certificates: Iterable[Certificate]) -> set[int]:
    """Which of one person's certificates are superseded (worked out in Python, no query).

    Only correct when ``certificates`` holds *all* of that person's certificates.
    """
    certificates = list(certificates)
    latest: dict[int, Certificate] = {}
    for certificate in certificates:
        if certificate.revoked_at is not None:
            continue
        best = latest.get(certificate.course_id)
        if best is None or (certificate.completed_on, certificate.id) > (best.completed_on, best.id):
            latest[certificate.course_id] = certificate
    keep = {c.id for c in latest.values()}
    return {
        c.id for c in certificates
        if c.revoked_at is None and c.id not in keep
    }
