"""Certificates for the pages: verification, a learner's own list, revocation, email, bulk ZIP.

Plain functions (no ``request``); the views in :mod:`modules.certificates.views` parse, call one
of these, commit and render.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from flask import render_template, url_for
from sqlalchemy import Select, func, select, update

from modules.accounts.models import User
from modules.certificates.codes import format_code, normalise_code
from modules.certificates.issuing import pdf_bytes, verify_url
from modules.certificates.models import Certificate, CertificatePdf, RevocationCategory
from modules.certificates.status import (
    CertificateStatus,
    status_of,
    superseded_clause,
    superseded_ids,
)
from modules.certificates.zipstream import ZipMember, stream_zip, zip_size
from modules.content.models import Course, CourseVersion
from modules.core import audit
from modules.core.dates import UK
from modules.core.extensions import db
from modules.core.models import utcnow
from modules.core.settings import setting
from modules.learning.withdrawal import restore_completion, withdraw_completion
from modules.notifications import mail

REASON_MAX_LENGTH = 2000
# PDFs read from the database per query while streaming a ZIP: bounds the memory a download
# holds (about 35 KB a certificate) whatever the number of certificates.
ZIP_FETCH_BATCH = 100


class CertificateUnavailable(Exception):
    """The certificate cannot be handed out (it is revoked)."""


# Looking certificates up --------------------------------------------------------------------

def find_by_code(typed: str | None) -> Certificate | None:
    """The certificate with this verification code as typed (any case, spaces or hyphens)."""
    code = normalise_code(typed)
    if code is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.verification_code == code))


def is_superseded(certificate: Certificate) -> bool:
    return bool(db.session.scalar(select(superseded_clause(Certificate)).where(
        Certificate.id == certificate.id)))


@dataclass(frozen=True)
class Verification:
    """What the public verification page shows: the certificate's own facts and its status.

    Deliberately nothing else about the person: no email, team, job title or other training.
    """

    certificate: Certificate
    status: CertificateStatus
    code: str  # formatted, as printed

    @property
    def revoked_on(self) -> date | None:
        at = self.certificate.revoked_at
        return at.astimezone(UK).date() if at else None


def verify(certificate: Certificate, *, today: date) -> Verification:
    status = status_of(certificate, superseded=is_superseded(certificate), today=today)
    return Verification(certificate, status, format_code(certificate.verification_code))


# A learner's own certificates ---------------------------------------------------------------

@dataclass(frozen=True)
class CertificateRow:
    certificate: Certificate
    status: CertificateStatus
    pdf_size: int | None  # None while the PDF has not been made

    @property
    def code(self) -> str:
        return format_code(self.certificate.verification_code)


def learner_certificates(user: User, *, today: date) -> list[CertificateRow]:
    """Every certificate of ``user``: current ones first, then by newest completion."""
    rows = db.session.execute(
        select(Certificate, CertificatePdf.size)
        .outerjoin(CertificatePdf, CertificatePdf.certificate_id == Certificate.id)
        .where(Certificate.user_id == user.id)
    ).all()
    certificates = [certificate for certificate, _ in rows]
    replaced = superseded_ids(certificates)
    result = [
        CertificateRow(c, status_of(c, superseded=c.id in replaced, today=today), size)
        for c, size in rows
    ]
    result.sort(key=lambda r: (r.status.rank, -r.certificate.completed_on.toordinal(),
                               -r.certificate.id))
    return result


def certificate_link(completion) -> tuple[str, str] | None:
    """For the learner record (modules.learning.record): where a completion's certificate is.

    An absolute URL, because the record's CSV carries it too.
    """
    certificate = db.session.scalar(
        select(Certificate).where(Certificate.completion_id == completion.id))
    if certificate is None:
        return None
    base = setting("SIGHTLINE_BASE_URL")
    if certificate.revoked_at is not None:
        return base + url_for("certificates.mine"), f"{certificate.number} (revoked)"
    return (base + url_for("certificates.download", certificate_id=certificate.id),
            f"Download certificate {certificate.number}")


def owned_certificate(user: User, certificate_id: int) -> Certificate | None:
    """The certificate if it is ``user``'s own, else None (the view answers 404)."""
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.user_id != user.id:
        return None
    return certificate


def downloadable_pdf(certificate: Certificate) -> bytes:
    """The PDF to hand out (made now if it was never rendered).

    :raise CertificateUnavailable: the certificate is revoked. Its stored original is kept
        for the record, but handing it out would let a withdrawn certificate circulate.
    """
    if certificate.revoked_at is not None:
        raise CertificateUnavailable(certificate.number)
    return pdf_bytes(certificate)


def pdf_filename(certificate: Certificate) -> str:
    """``NSCP-2026-000123 CSE-L1.pdf``: the number makes it unique, the code says what it is."""
    return safe_filename(f"{certificate.number} {certificate.course_code}") + ".pdf"


def email_certificate(certificate: Certificate, config: Mapping, *,
                      template: str = "certificates/email/certificate.txt") -> str:
    """Email the certificate's PDF to its learner's address on file; returns that address.

    :param template: the body: the learner asked for it (default), or it was sent on completion.
    :raise CertificateUnavailable: the certificate is revoked.
    """
    pdf = downloadable_pdf(certificate)
    learner = certificate.user
    mail.send(
        config,
        to=learner.email,
        subject=f"Your certificate: {certificate.course_title}",
        body=render_template(
            template,
            certificate=certificate,
            verify_url=verify_url(config["SIGHTLINE_BASE_URL"], certificate.verification_code),
            code=format_code(certificate.verification_code),
            account_url=config["SIGHTLINE_BASE_URL"].rstrip("/") + url_for("accounts.account"),
        ),
        attachments=[mail.Attachment(pdf_filename(certificate), "application/pdf", pdf)],
    )
    return learner.email


# Revocation ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Revocation:
    revoked: bool  # False: it was revoked already, and the first revocation stands
    completion_withdrawn: bool = False


def revoke(certificate: Certificate, *, actor: User, reason: str,
           category: RevocationCategory = RevocationCategory.other,
           now: datetime | None = None) -> Revocation:
    """Revoke a certificate (not committed here). The reason goes to the audit log.

    The first revocation stands: a conditional UPDATE ... WHERE revoked_at IS NULL, whose row
    count says whether this call revoked it. Two admins revoking at the same moment therefore
    change the row once and write one audit event (on PostgreSQL the second UPDATE waits for
    the first to commit, then finds nothing to change; SQLite lets one writer in at a time).

    ``category`` decides what happens to the completion: "issued in error" withdraws it
    (:func:`modules.learning.withdrawal.withdraw_completion`), any other keeps it counting.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError("a revocation needs a reason")
    result = db.session.execute(
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.revoked_at.is_(None))
        .values(revoked_at=now or utcnow(), revoked_by_id=actor.id,
                revocation_reason=reason[:REASON_MAX_LENGTH], revocation_category=category)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(certificate)
    if result.rowcount != 1:
        return Revocation(revoked=False)
    audit.record(
        "certificate.revoked", actor=actor, subject=certificate, agency_id=certificate.agency_id,
        number=certificate.number, learner=certificate.learner_name, reason=reason,
        category=category.name,
    )
    withdrawn = category.withdraws_completion and withdraw_completion(
        certificate.completion, actor=actor, reason=f"Certificate {certificate.number} revoked: {reason}",
        now=now)
    return Revocation(revoked=True, completion_withdrawn=bool(withdrawn))


@dataclass(frozen=True)
class Reinstatement:
    reinstated: bool  # False: it was not revoked (any more), so nothing changed
    completion_restored: bool = False


def reinstate(certificate: Certificate, *, actor: User, reason: str) -> Reinstatement:
    """Undo a revocation (not committed here): the certificate is valid again, with the same
    number, code and stored PDF, and a completion the revocation withdrew counts again
    (:func:`modules.learning.withdrawal.restore_completion`). The revocation's reason and kind go
    to the audit event with the reinstatement's reason, as the certificate row forgets them.

    Conditional, like :func:`revoke`: two reinstatements at once change the row once.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError("a reinstatement needs a reason")
    db.session.refresh(certificate)
    revoked_at, category = certificate.revoked_at, certificate.revocation_category
    previous_reason = certificate.revocation_reason
    result = db.session.execute(
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.revoked_at.is_not(None))
        .values(revoked_at=None, revoked_by_id=None, revocation_reason=None, revocation_category=None)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(certificate)
    if result.rowcount != 1:
        return Reinstatement(reinstated=False)
    audit.record(
        "certificate.reinstated", actor=actor, subject=certificate, agency_id=certificate.agency_id,
        number=certificate.number, learner=certificate.learner_name, reason=reason,
        revoked_at=revoked_at.isoformat() if revoked_at else None,
        revocation_category=category.name if category else None, revocation_reason=previous_reason,
    )
    restored = bool(category and category.withdraws_completion) and restore_completion(
        certificate.completion, actor=actor, reason=f"Certificate {certificate.number} reinstated: {reason}")
    return Reinstatement(reinstated=True, completion_restored=bool(restored))


# An agency's certificates and the ZIP -------------------------------------------------------

@dataclass(frozen=True)
class Selection:
    """Which certificates a manager asked for: one agency, optionally one course and a range of
    completion dates (both ends included)."""

    agency_id: int
    course_id: int | None = None
    completed_from: date | None = None
    completed_to: date | None = None

    def where(self) -> list:
        conditions = [Certificate.agency_id == self.agency_id]
        if self.course_id is not None:
            conditions.append(Certificate.course_id == self.course_id)
        if self.completed_from is not None:
            conditions.append(Certificate.completed_on >= self.completed_from)
        if self.completed_to is not None:
            conditions.append(Certificate.completed_on <= self.completed_to)
        return conditions


@dataclass(frozen=True)
class SelectionSummary:
    ready: int  # certificates with a stored PDF: these go in the ZIP
    pending: int  # not rendered yet: not in the ZIP
    revoked: int  # never in the ZIP
    zip_bytes: int | None  # the exact size of the ZIP, None if it needs ZIP64

    @property
    def total(self) -> int:
        return self.ready + self.pending + self.revoked


def course_choices() -> list[tuple[int, str]]:
    """(course id, "CODE: title") of every course, by code, for the filter."""
    rows = db.session.execute(
        select(Course.id, CourseVersion.code, CourseVersion.title)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .order_by(CourseVersion.code)
    ).all()
    return [(course_id, f"{code}: {title}") for course_id, code, title in rows]


def _zip_rows(selection: Selection) -> Select:
    """The certificates that go in the ZIP (stored PDF, not revoked), oldest completion first."""
    return (
        select(Certificate.id, Certificate.number, Certificate.learner_name,
               Certificate.course_code, Certificate.issued_at, CertificatePdf.size)
        .join(CertificatePdf, CertificatePdf.certificate_id == Certificate.id)
        .where(*selection.where(), Certificate.revoked_at.is_(None))
        .order_by(Certificate.completed_on, Certificate.id)
    )


def zip_member_name(number: str, learner_name: str, course_code: str) -> str:
    return safe_filename(f"{number} {learner_name} {course_code}") + ".pdf"


def zip_plan(selection: Selection) -> list[tuple[int, ZipMember]]:
    """The ZIP's members in order with their sizes (no PDF bytes read): for the page's counts,
    the exact Content-Length and then the stream itself."""
    return [
        (certificate_id, ZipMember(zip_member_name(number, name, code), size, issued_at.astimezone(UK)))
        for certificate_id, number, name, code, issued_at, size
        in db.session.execute(_zip_rows(selection))
    ]


def zip_size_of(plan: Sequence[tuple[int, ZipMember]]) -> int | None:
    return zip_size(member for _, member in plan)


def stored_pdf_size(certificate: Certificate) -> int | None:
    return db.session.scalar(
        select(CertificatePdf.size).where(CertificatePdf.certificate_id == certificate.id)
    )


def summarise(selection: Selection) -> SelectionSummary:
    has_pdf = CertificatePdf.certificate_id.is_not(None)
    revoked = Certificate.revoked_at.is_not(None)
    row = db.session.execute(
        select(
            func.count().filter(~revoked, has_pdf),
            func.count().filter(~revoked, ~has_pdf),
            func.count().filter(revoked),
        )
        .select_from(Certificate)
        .outerjoin(CertificatePdf, CertificatePdf.certificate_id == Certificate.id)
        .where(*selection.where())
    ).one()
    plan = zip_plan(selection) if row[0] else []
    return SelectionSummary(
        ready=row[0], pending=row[1], revoked=row[2],
        zip_bytes=zip_size(member for _, member in plan),
    )


def zip_chunks(plan: Sequence[tuple[int, ZipMember]]) -> Iterator[bytes]:
    """Stream the ZIP of ``plan``: PDFs are read from the database ``ZIP_FETCH_BATCH`` at a
    time, so memory stays flat however large the selection."""

    def files() -> Iterator[tuple[ZipMember, bytes]]:
        for start in range(0, len(plan), ZIP_FETCH_BATCH):
            batch = plan[start:start + ZIP_FETCH_BATCH]
            ids = [certificate_id for certificate_id, _ in batch]
            data = dict(db.session.execute(
                select(CertificatePdf.certificate_id, CertificatePdf.data)
                .where(CertificatePdf.certificate_id.in_(ids))
            ).all())
            # Plain column rows, not ORM objects: nothing piles up in the session.
            for certificate_id, member in batch:
                yield member, data.pop(certificate_id)

    return stream_zip(files())


def zip_filename(agency_name: str, today: date) -> str:
    """``certificates-Northshire-Police-2026-11-25.zip``."""
    return safe_filename(f"certificates {agency_name} {today.isoformat()}").replace(" ", "-") + ".zip"


@dataclass(frozen=True)
class ListedCertificate:
    certificate: Certificate
    status: CertificateStatus
    has_pdf: bool


def agency_certificates(selection: Selection, *, today: date, page: int, per_page: int = 50
                        ) -> tuple[list[ListedCertificate], bool]:
    """One page of the selection for the manager's table, newest completion first.

    :return: the rows and whether there is a next page.
    """
    newer = superseded_clause(Certificate)
    rows = db.session.execute(
        select(Certificate, newer.label("superseded"),
               CertificatePdf.certificate_id.is_not(None).label("has_pdf"))
        .outerjoin(CertificatePdf, CertificatePdf.certificate_id == Certificate.id)
        .where(*selection.where())
        .order_by(Certificate.completed_on.desc(), Certificate.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    ).all()
    listed = [
        ListedCertificate(c, status_of(c, superseded=bool(superseded), today=today), bool(has_pdf))
        for c, superseded, has_pdf in rows[:per_page]
    ]
    return listed, len(rows) > per_page


# Helpers ------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


def safe_filename(text: str) -> str:
    """A file name any operating system accepts: no path separators, reserved characters or
    control characters; letters with accents are kept (names are stored as UTF-8 in the ZIP)."""
    text = unicodedata.normalize("NFC", text)
    text = _UNSAFE.sub(" ", text)
    text = " ".join(text.split()).strip(" .")
    return text[:150] or "certificate"
