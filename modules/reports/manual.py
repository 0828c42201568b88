"""Completions recorded by a manager for training done outside Sightline.

A manual record is a real :class:`~modules.learning.models.Completion` (so "My training",
refreshers and reports all count it) plus a :class:`~modules.reports.models.ManualCompletion`
row with the evidence. It completes the person's unfinished cycle of the course if they have
one, otherwise it starts and completes a new cycle. No certificate is issued: Sightline did not
deliver the training.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Optional

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from modules.accounts.models import User
from modules.content.models import Course, CourseVersion
from modules.core import audit
from modules.core.extensions import db
from modules.core.models import utcnow
from modules.learning.dates import UK, add_months
from modules.learning.latest import note_completion
from modules.learning.models import Completion, CompletionSource, Enrolment
from modules.learning.progress import latest_enrolment
from modules.learning.requirements import refresher_months_for
from modules.reports.models import ManualCompletion

EVIDENCE_MAX_LENGTH = 2000
EARLIEST_DATE = date(2000, 1, 1)


class ManualRecordError(ValueError):
    """The record cannot be made; the message is shown to the manager."""


@dataclass(frozen=True)
class ManualRecord:
    completion: Completion
    evidence: ManualCompletion


def courses_with_content() -> list[tuple[Course, CourseVersion]]:
    rows = db.session.execute(
        select(Course, CourseVersion)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .order_by(CourseVersion.code)
    ).all()
    return [(course, version) for course, version in rows]


def record_manual_completion(
    *,
    actor: User,
    person: User,
    course: Course,
    completed_on: date,
    evidence: str,
    today: date,
    now: Optional[datetime] = None,
) -> ManualRecord:
    """Record that ``person`` completed ``course`` on ``completed_on`` outside Sightline.

    The caller has checked that ``actor`` may see ``person`` (``require_person``) and commits.
    Audit-logged as ``completion.recorded_manually``.

    :raise ManualRecordError: a future or implausible date, no evidence, a course without content,
        or the person's cycle was completed online at the same moment.
    """
    evidence = (evidence or "").strip()
    if not evidence:
        raise ManualRecordError("Describe the evidence for this training")
    if len(evidence) > EVIDENCE_MAX_LENGTH:
        raise ManualRecordError(f"The evidence must be {EVIDENCE_MAX_LENGTH} characters or fewer")
    if completed_on > today:
        raise ManualRecordError("The date of the training must be today or in the past")
    if completed_on < EARLIEST_DATE:
        raise ManualRecordError("The date of the training must be after 1 January 2000")
    version = course.current_version
    if version is None:
        raise ManualRecordError("This course has no published content")

    moment = now or utcnow()
    # Midday UK time on the day: the exact time is unknown, and midday keeps the UK date whatever
    # the time zone arithmetic.
    completed_at = datetime.combine(completed_on, time(12, 0), tzinfo=UK)
    latest = latest_enrolment(person.id, course.id)
    if latest is not None and latest.completion is None:
        enrolment = latest
    else:
        enrolment = Enrolment(
            user_id=person.id, course_id=course.id, course_version_id=version.id,
            cycle=(latest.cycle + 1) if latest else 1, started_at=min(completed_at, moment),
        )
        db.session.add(enrolment)
    taken = db.session.get(CourseVersion, enrolment.course_version_id) or version
    months = refresher_months_for(person, course, taken)
    try:
        db.session.flush()
        completion = Completion(
            enrolment_id=enrolment.id, user_id=person.id, course_id=course.id,
            course_version_id=enrolment.course_version_id, completed_at=completed_at,
            completed_on=completed_on, expires_on=add_months(completed_on, months),
            refresher_months=months, score=None, source=CompletionSource.manual,
        )
        db.session.add(completion)
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise ManualRecordError(
            "This person's training record changed while you were recording this. Check it and try again"
        ) from None
    record = ManualCompletion(completion_id=completion.id, evidence=evidence, recorded_by_id=actor.id,
                              recorded_at=moment)
    db.session.add(record)
    db.session.flush()
    note_completion(completion)
    audit.record(
        "completion.recorded_manually",
        actor=actor,
        subject=completion,
        agency_id=person.agency_id,
        person_id=person.id,
        course=version.code,
        completed_on=completed_on.isoformat(),
        expires_on=completion.expires_on.isoformat(),
    )
    return ManualRecord(completion=completion, evidence=record)


def manual_records_for(person_id: int) -> dict[int, ManualCompletion]:
    """The person's manual records by completion id."""
    rows = db.session.scalars(
        select(ManualCompletion)
        .join(Completion, Completion.id == ManualCompletion.completion_id)
        .where(Completion.user_id == person_id)
    )
    return {row.completion_id: row for row in rows}
