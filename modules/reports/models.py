"""The reports area's own tables.

Manual records
    A completion done outside Sightline (a face-to-face briefing, say) is an ordinary
    :class:`~modules.learning.models.Completion` (with its own :class:`Enrolment` cycle), so that
    "My training", refreshers and every report treat it exactly like one done online. Its
    ``source`` says it is manual; a :class:`ManualCompletion` row beside it holds who recorded
    it, when, and the evidence. No certificate is issued (the ``completion_recorded`` signal is
    not sent for manual records, and certificates are only issued for online completions).

Latest completion per person and course
    Compliance depends only on each person's latest completion of each course: the learning
    area keeps that in :class:`~modules.learning.models.LatestCompletion`, in the transaction
    that records each completion. Reports for a past date read the completions themselves.
"""
from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Index, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from modules.accounts.models import User
from modules.core.extensions import db
from modules.core.models import UTCDateTime, utcnow
from modules.learning.models import Completion, Enrolment


class ManualCompletion(db.Model):
    """The evidence for a completion a manager recorded by hand."""

    __tablename__ = "report_manual_completions"

    completion_id: Mapped[int] = mapped_column(
        ForeignKey("learning_completions.id", ondelete="CASCADE"), primary_key=True
    )
    evidence: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    completion: Mapped[Completion] = relationship()
    recorded_by: Mapped[Optional[User]] = relationship()


# Indexes the reports need on the learning area's tables (created by the reports' migrations).
# The dashboard counts people who started a course but never completed it from each person's
# first cycle (cycle 1), and completions in a period by date. Only completions that still count
# (not withdrawn) are in the second index: every report query asks for exactly those, and a
# partial index keeps the index-only scan that a filter on a column outside it would lose.
Index(
    "ix_report_enrolments_first_cycle",
    Enrolment.user_id,
    Enrolment.course_id,
    Enrolment.started_at,
    sqlite_where=text("cycle = 1"),
    postgresql_where=text("cycle = 1"),
)
Index(
    "ix_report_completions_completed_on",
    Completion.completed_on,
    Completion.user_id,
    Completion.course_id,
    Completion.id,
    sqlite_where=text("withdrawn_at IS NULL"),
    postgresql_where=text("withdrawn_at IS NULL"),
)
