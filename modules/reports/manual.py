"""Recording training done outside Sightline: who may record it, what is refused, and how two
submits at the same moment are kept apart. The record itself is made on the one completion
pipeline by :func:`modules.learning.manual.record_manual`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update

from modules.accounts.models import User
from modules.content.models import Course, CourseVersion
from modules.core import audit
from modules.core.extensions import db
from modules.core.models import utcnow
from modules.learning.manual import RecordChangedMeanwhile, manual_record_on, record_manual
from modules.learning.models import Completion, ManualCompletion

EVIDENCE_MAX_LENGTH = 2000
EARLIEST_DATE = date(2000, 1, 1)


class ManualRecordError(ValueError):
    """The record cannot be made; the message is shown to the manager."""


@dataclass(frozen=True)
class ManualRecord:
    completion: Completion
    evidence: ManualCompletion
    # False when the same person, course and date was recorded already (a double-clicked
    # submit): the existing record is returned and nothing new is written.
    created: bool = True


def courses_with_content() -> list[tuple[Course, CourseVersion]]:
    rows = db.session.execute(
        select(Course, CourseVersion)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .order_by(CourseVersion.code)
    ).all()
    return [(course, version) for course, version in rows]


def existing_manual_record(person_id: int, course_id: int, completed_on: date) -> ManualRecord | None:
    """The manual record of this person, course and date that still counts, if there is one."""
    found = manual_record_on(person_id, course_id, completed_on)
    return ManualRecord(completion=found[0], evidence=found[1], created=False) if found else None


def record_manual_completion(
    *,
    actor: User,
    person: User,
    course: Course,
    completed_on: date,
    evidence: str,
    today: date,
    now: datetime | None = None,
) -> ManualRecord:
    """Record that ``person`` completed ``course`` on ``completed_on`` outside Sightline.

    The caller has checked that ``actor`` may act on ``person`` (``require_actable``) and
    commits. Audit-logged as ``completion.recorded_manually``.

    Idempotent: recording the same person, course and date again (a double-clicked submit, or
    two submits at the same moment) returns the existing record with ``created=False``.

    How two submits at the same moment are kept apart, as in modules.certificates.issuing:

    1. a quick look for the same record (the usual answer to a double click);
    2. the person's row is locked by a no-op UPDATE (on PostgreSQL a row lock until the
       transaction ends; on SQLite the first write takes the database's write lock), so
       recorders for one person queue here one at a time;
    3. a second look, now that a recorder ahead in the queue has committed;
    4. :func:`modules.learning.manual.record_manual`: every read the record needs, then every
       write inside a savepoint. Learners finishing the course online do not queue, so the
       unique constraints (``enrolment_id`` of a completion; ``user_id, course_id, cycle`` of an
       enrolment) stay the last line of defence: a lost race rolls back only the savepoint, and
       the manager is told the record changed.

    :raise ManualRecordError: the actor is the person, a future or implausible date, no
        evidence, a course without content, or the person's record changed at the same moment.
    """
    if actor.id == person.id:
        raise ManualRecordError(
            "You cannot record your own training. Ask a partnership admin to record it for you"
        )
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
    existing = existing_manual_record(person.id, course.id, completed_on)
    if existing is not None:
        return existing
    _lock_person(person.id)
    existing = existing_manual_record(person.id, course.id, completed_on)
    if existing is not None:
        return existing

    moment = now or utcnow()
    try:
        completion, record = record_manual(
            person=person, course=course, version=version, completed_on=completed_on,
            evidence=evidence, recorded_by_id=actor.id, recorded_at=moment,
        )
    except RecordChangedMeanwhile:
        raise ManualRecordError(
            "This person's training record changed while you were recording this. Check it and try again"
        ) from None
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


def _lock_person(person_id: int) -> None:
    """Hold the person's row until the transaction ends (a write that changes nothing)."""
    db.session.execute(
        update(User).where(User.id == person_id).values(active=User.active)
        .execution_options(synchronize_session=False)
    )
