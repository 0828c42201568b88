"""The outgoing-mail queue: mail that must not be lost (reminders, digests) waits here until an
SMTP server has accepted it, and is retried with a growing delay when it has not."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Enum, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from modules.core.enums import LabelledEnum
from modules.core.extensions import db
from modules.core.models import UTCDateTime, utcnow


class MailStatus(LabelledEnum):
    pending = "Waiting to be sent"
    sent = "Sent"
    failed = "Failed"


class OutgoingMail(db.Model):
    __tablename__ = "outgoing_mail"
    __table_args__ = (Index("ix_outgoing_mail_status_next", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # What kind of mail this is (e.g. "reminder", "digest"), for the admin page.
    category: Mapped[str] = mapped_column(String(40))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[MailStatus] = mapped_column(
        Enum(MailStatus, native_enum=False, length=32, validate_strings=True), default=MailStatus.pending
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Also the claim: a sender moves it forward before sending, so an overlapping run skips it.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
