"""Issued certificates, their stored PDFs and the yearly number sequence.

A :class:`Certificate` is a snapshot taken when a course completion is certified: the learner's
name, agency, course details and dates are copied, so renaming a person, an agency or a course
later never changes a certificate already issued (or its verification page). There is exactly one
certificate per completion (a unique constraint); a refresher is a new completion, so it gets a
new certificate and the old one becomes "superseded".

The PDF lives in its own table (:class:`CertificatePdf`) so that lists of certificates never load
the bytes, and "which certificates still need rendering" is a simple outer join.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modules.accounts.models import Agency, User
from modules.core.enums import LabelledEnum
from modules.core.extensions import db
from modules.core.models import UTCDateTime, utcnow
from modules.learning.models import Completion


class RevocationCategory(LabelledEnum):
    """What kind of reason a certificate was revoked for, which decides what happens to the
    completion it was issued for (see :func:`modules.certificates.services.revoke`)."""

    issued_in_error = "Issued in error: the person did not complete this training"
    details_wrong = "The details on the certificate are wrong"
    other = "Another reason"

    @property
    def withdraws_completion(self) -> bool:
        """Only a completion that never really happened stops counting."""
        return self is RevocationCategory.issued_in_error


class Certificate(db.Model):
    """One certificate, issued for one completion."""

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("year", "serial"),
        # "Is there a newer certificate for this person and course?" (superseded).
        Index("ix_certificates_user_course", "user_id", "course_id", "completed_on"),
        # A manager's ZIP: one agency's certificates by completion date.
        Index("ix_certificates_agency_completed", "agency_id", "completed_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    completion_id: Mapped[int] = mapped_column(
        ForeignKey("learning_completions.id", ondelete="CASCADE"), unique=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The learner's agency when the certificate was issued: the one printed on it, and the one
    # whose manager may download it.
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    course_version_id: Mapped[int] = mapped_column(ForeignKey("course_versions.id"))

    # Identifiers: see modules.certificates.codes.
    year: Mapped[int] = mapped_column(Integer)
    serial: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    verification_code: Mapped[str] = mapped_column(String(16), unique=True)

    # What the certificate says (a snapshot, never updated).
    partnership_name: Mapped[str] = mapped_column(String(200))
    learner_name: Mapped[str] = mapped_column(String(200))
    agency_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(Text)
    course_code: Mapped[str] = mapped_column(String(100))
    course_level: Mapped[int] = mapped_column(Integer)
    cpd_minutes: Mapped[int] = mapped_column(Integer)
    completed_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)
    content_version: Mapped[str] = mapped_column(String(64))
    design: Mapped[str] = mapped_column(String(100))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Revocation by a partnership admin. The reason is private (audit log and admins only).
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    revocation_reason: Mapped[str | None] = mapped_column(Text)
    # None for certificates revoked before categories existed (their completions were kept).
    revocation_category: Mapped[RevocationCategory | None] = mapped_column(
        Enum(RevocationCategory, native_enum=False, length=32, validate_strings=True)
    )

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    agency: Mapped[Agency] = relationship()
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    completion: Mapped[Completion] = relationship()
    pdf: Mapped[CertificatePdf | None] = relationship(back_populates="certificate")

    def __repr__(self) -> str:
        return f"<Certificate {self.number}>"


class CertificatePdf(db.Model):
    """The PDF of a certificate, rendered once and kept (the database is shared by every app
    server, so any of them can serve it)."""

    __tablename__ = "certificate_pdfs"

    certificate_id: Mapped[int] = mapped_column(
        ForeignKey("certificates.id", ondelete="CASCADE"), primary_key=True
    )
    # Loaded only when asked for: listing sizes or dates must not pull the bytes.
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    size: Mapped[int] = mapped_column(Integer)
    # The design and content version this PDF was rendered with (a design can change later).
    design: Mapped[str] = mapped_column(String(100))
    content_version: Mapped[str] = mapped_column(String(64))
    rendered_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    certificate: Mapped[Certificate] = relationship(back_populates="pdf")


class CertificateSequence(db.Model):
    """The last certificate number used in each year. Its row is locked while a number is
    taken, which also serialises issuing so that a double submit cannot issue twice."""

    __tablename__ = "certificate_sequences"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_serial: Mapped[int] = mapped_column(Integer, default=0)
