"""Completions recorded by hand: training done outside Sightline, on the one completion pipeline.

A manual record is an ordinary :class:`~modules.learning.models.Completion` with ``source``
manual, recorded by :func:`modules.learning.completion.record_completion` like any other (so
"My training", refreshers, the dashboard's cache and every report count it), plus a
:class:`~modules.learning.models.ManualCompletion` row with the evidence. It completes the
person's unfinished cycle of the course if they have one, otherwise it starts and completes a
new cycle. The certificates area hears of it through the same signal and issues nothing: Sightline
did not deliver the training.

Who may record what, and the messages, belong to the caller (:mod:`modules.reports.manual`).
"""
from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from modules.accounts.models import User
from modules.content.models import Course, CourseVersion
from modules.core.dates import UK
from modules.core.extensions import db
from modules.learning.completion import record_completion
from modules.learning.models import Completion, CompletionSource, Enrolment, ManualCompletion
from modules.learning.progress import latest_enrolment


class RecordChangedMeanwhile(Exception):
    """The person's record of the course changed between reading it and writing (a learner
    finished the cycle online, or another request started a new one, at the same moment)."""


def manual_record_on(person_id: int, course_id: int, completed_on: date) -> tuple[Completion, ManualCompletion] | None:
    """The manual record of this person, course and date that still counts, if there is one."""
    row = db.session.execute(
        select(Completion, ManualCompletion)
        .join(ManualCompletion, ManualCompletion.completion_id == Completion.id)
        .where(
            Completion.user_id == person_id,
            Completion.course_id == course_id,
            Completion.completed_on == completed_on,
            Completion.withdrawn_at.is_(None),
        )
        .order_by(Completion.id)
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else None


def manual_records_for(person_id: int) -> dict[int, ManualCompletion]:
    """The person's manual records by completion id."""
    rows = db.session.scalars(
        select(ManualCompletion)
        .join(Completion, Completion.id == ManualCompletion.completion_id)
        .where(Completion.user_id == person_id)
    )
    return {row.completion_id: row for row in rows}


def record_manual(
    *,
    person: User,
    course: Course,
    version: CourseVersion,
    completed_on: date,
    evidence: str,
    recorded_by_id: int,
    recorded_at: datetime,
) -> tuple[Completion, ManualCompletion]:
    """Record the completion and its evidence. Never commits.

    Every read comes first; every write then sits in one savepoint, so that a lost race (the
    database's IntegrityError on a new cycle, or the cycle completed online meanwhile) rolls
    back this record alone and leaves the rest of the caller's transaction as it was.

    :raise RecordChangedMeanwhile: the race was lost; nothing was written.
    """
    # Midday UK time on the day: the exact time is unknown, and midday keeps the UK date whatever
    # the time zone arithmetic.
    completed_at = datetime.combine(completed_on, time(12, 0), tzinfo=UK)
    latest = latest_enrolment(person.id, course.id)
    unfinished = latest if latest is not None and latest.completion is None else None
    try:
        with db.session.begin_nested():
            enrolment = unfinished
            if enrolment is None:
                enrolment = Enrolment(
                    user_id=person.id, course_id=course.id, course_version_id=version.id,
                    cycle=(latest.cycle + 1) if latest else 1, started_at=min(completed_at, recorded_at),
                )
                db.session.add(enrolment)
                db.session.flush()
            result = record_completion(
                enrolment, source=CompletionSource.manual, completed_at=completed_at,
                completed_on=completed_on,
            )
            if not result.created:
                raise RecordChangedMeanwhile()
            evidence_row = ManualCompletion(
                completion_id=result.completion.id, evidence=evidence,
                recorded_by_id=recorded_by_id, recorded_at=recorded_at,
            )
            db.session.add(evidence_row)
            db.session.flush()
    except IntegrityError:
        raise RecordChangedMeanwhile() from None
    return result.completion, evidence_row
