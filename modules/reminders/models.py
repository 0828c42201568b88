"""What has been sent, so that nothing is sent twice: each row is claimed with INSERT ... ON
CONFLICT DO NOTHING before its mail is queued, in the same transaction (see services.py)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from modules.core.enums import LabelledEnum
from modules.core.extensions import db
from modules.core.models import UTCDateTime, utcnow


class ReminderKind(LabelledEnum):
    due_soon = "Due soon"
    overdue = "Overdue"


class ReminderLog(db.Model):
    """One learner reminder: once per person, course, kind and due date. A new due date (a
    completion moves it on, a requirement changes) is a new reminder."""

    __tablename__ = "reminder_log"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "kind", "due_on", name="uq_reminder_log_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    kind: Mapped[ReminderKind] = mapped_column(Enum(ReminderKind, native_enum=False, length=32,
                                                    validate_strings=True))
    due_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DigestLog(db.Model):
    """One manager's weekly digest: once per ISO week (e.g. ``2026-W49``)."""

    __tablename__ = "digest_log"
    __table_args__ = (UniqueConstraint("manager_id", "iso_week", name="uq_digest_log_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    iso_week: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
