"""One person's training record as a manager sees it.

The course states come from :func:`modules.learning.status.training_overview`, the very function
behind the person's own "My training" page, so a manager and the learner always see the same
thing. Reflections are never read here: they are private to the learner.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from sqlalchemy import select

from modules.accounts.models import User
from modules.content.models import CourseVersion
from modules.core.extensions import db
from modules.learning.models import Completion
from modules.learning.status import CourseStatus, training_overview
from modules.reports.manual import manual_records_for
from modules.reports.models import ManualCompletion
from modules.reports.status import ReportStatus, classify


@dataclass(frozen=True)
class HistoryEntry:
    completion: Completion
    version: CourseVersion
    manual: Optional[ManualCompletion]


@dataclass(frozen=True)
class RequiredEntry:
    status: CourseStatus  # as on the person's "My training"
    report_status: ReportStatus  # the dashboard's state for the same course


@dataclass(frozen=True)
class PersonRecord:
    required: list[RequiredEntry]
    optional: list[CourseStatus]
    history: list[HistoryEntry]


def person_record(person: User, today: date) -> PersonRecord:
    overview = training_overview(person, today=today)
    manual = manual_records_for(person.id)
    rows = db.session.execute(
        select(Completion, CourseVersion)
        .join(CourseVersion, CourseVersion.id == Completion.course_version_id)
        .where(Completion.user_id == person.id)
        .order_by(Completion.completed_at.desc(), Completion.id.desc())
    ).all()
    return PersonRecord(
        required=[
            RequiredEntry(
                status=s,
                report_status=classify(s.expires_on, s.enrolment is not None or s.completion is not None, today),
            )
            for s in overview.required
        ],
        optional=overview.optional,
        history=[HistoryEntry(c, v, manual.get(c.id)) for c, v in rows],
    )
