"""Completing courses: the one pipeline every completion goes through, exactly once per enrolment.

:func:`record_completion` is the only code that writes a :class:`Completion` for a course done
in Sightline (``source`` online; manual records and briefings move onto it next). In the
caller's transaction, it

1. inserts the completion inside a savepoint. ``learning_completions.enrolment_id`` is unique,
   so when two requests finish the same course at once (a double-clicked "Submit answers", two
   tabs) the database lets one INSERT through; the other's savepoint is rolled back, which
   leaves the rest of that request's work (the marked attempt, the completed module) intact,
   and it returns the winner's row;
2. updates the dashboard's cache of each person's latest completion
   (:func:`modules.learning.latest.note_completion`), by a direct call;
3. sends :data:`~modules.learning.signals.completion_recorded`, which is how the certificates
   area hears of it: it reserves the certificate number in this transaction and renders the
   PDF after the commit (see :mod:`modules.core.jobs`).

Nothing here commits: the view does, once, so the completion, the cache row and the certificate
number are committed together or not at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from modules.core.dates import add_months, uk_date_of
from modules.core.extensions import db
from modules.core.models import utcnow
from modules.learning.latest import note_completion
from modules.learning.models import (
    Completion,
    CompletionModule,
    CompletionSource,
    Enrolment,
    ModuleProgress,
)
from modules.learning.progress import (
    ModuleEntry,
    ModuleState,
    active_enrolments_with_module,
    complete_run_if_done,
    module_entries,
)
from modules.learning.requirements import refresher_months_for
from modules.learning.signals import completion_recorded


@dataclass(frozen=True)
class CompletionResult:
    completion: Completion | None  # None: the course is not finished yet
    created: bool  # True only for the call that created the completion


def completion_for(enrolment_id: int) -> Completion | None:
    return db.session.scalar(select(Completion).where(Completion.enrolment_id == enrolment_id))


def record_completion(
    enrolment: Enrolment,
    *,
    source: CompletionSource,
    completed_at: datetime,
    completed_on: date | None = None,
    score: int | None = None,
    modules: tuple[CompletionModule, ...] = (),
) -> CompletionResult:
    """Record that ``enrolment`` is complete, with everything that goes with it (see the module
    docstring). Never commits.

    :param completed_on: the UK date of the completion; default the UK date of ``completed_at``.
    :return: the completion (new, or the one another request recorded first) and whether this
        call created it.
    """
    existing = completion_for(enrolment.id)
    if existing is not None:
        return CompletionResult(existing, created=False)
    completed_on = completed_on or uk_date_of(completed_at)
    months = refresher_months_for(enrolment.user, enrolment.course, enrolment.course_version)
    completion = Completion(
        enrolment_id=enrolment.id,
        user_id=enrolment.user_id,
        course_id=enrolment.course_id,
        course_version_id=enrolment.course_version_id,
        agency_id=enrolment.user.agency_id,
        completed_at=completed_at,
        completed_on=completed_on,
        expires_on=add_months(completed_on, months),
        refresher_months=months,
        score=score,
        source=source,
        modules=list(modules),
    )
    try:
        with db.session.begin_nested():
            db.session.add(completion)
    except IntegrityError:
        # Another request completed this enrolment first; theirs is the one that counts.
        return CompletionResult(completion_for(enrolment.id), created=False)
    # The enrolment loaded earlier in this request still says "not completed".
    set_committed_value(enrolment, "completion", completion)
    note_completion(completion)
    completion_recorded.send(current_app._get_current_object(), completion=completion)
    return CompletionResult(completion, created=True)


def complete_course_if_done(enrolment_id: int, *, now: datetime | None = None) -> CompletionResult:
    """Record the completion of an enrolment done online once every module (and so the
    assessment) is done. Never commits.

    :return: the completion (new or existing) and whether this call created it.
    """
    existing = completion_for(enrolment_id)
    if existing is not None:
        return CompletionResult(existing, created=False)
    enrolment = db.session.get(Enrolment, enrolment_id)
    if enrolment is None:
        return CompletionResult(None, created=False)
    entries = module_entries(enrolment)
    if not entries or any(entry.state != ModuleState.completed for entry in entries):
        return CompletionResult(None, created=False)
    return _record_online(enrolment, entries, now or utcnow())


def _record_online(enrolment: Enrolment, entries: list[ModuleEntry], moment: datetime) -> CompletionResult:
    return record_completion(
        enrolment,
        source=CompletionSource.online,
        completed_at=moment,
        score=_assessment_score(entries),
        modules=tuple(
            CompletionModule(
                position=entry.position,
                module_id=entry.run.module_id,
                module_version_id=entry.run.module_version_id,
                progress_id=entry.run.id,
                module_completed_at=entry.run.completed_at,
            )
            for entry in entries
        ),
    )


def _assessment_score(entries: list[ModuleEntry]) -> int | None:
    """The best passing score in the course's final assessment (None without one)."""
    for entry in entries:
        if entry.is_assessment:
            scores = [a.score for a in entry.run.attempts
                      if a.passed and not a.practice and a.score is not None]
            return max(scores) if scores else None
    return None


def after_module_activity(run: ModuleProgress, *, now: datetime | None = None) -> list[Completion]:
    """After a learner's action in a module: complete the module if it is done, then every
    unfinished course that includes it (a shared module credits each one). Never commits.

    :return: the completions this call created.
    """
    if not complete_run_if_done(run, now=now):
        return []
    created = []
    for enrolment in active_enrolments_with_module(run.user_id, run.module_id):
        result = complete_course_if_done(enrolment.id, now=now)
        if result.created:
            created.append(result.completion)
    return created
