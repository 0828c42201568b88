"""Completing courses: exactly one completion per enrolment, whatever arrives at the same moment.

Two requests can finish the same course at once (a double-clicked "Submit answers", two tabs).
``learning_completions.enrolment_id`` is unique, so the database lets only one INSERT through;
:func:`complete_course_if_done` catches the other one's IntegrityError and returns the row that
won. :data:`~modules.learning.signals.completion_recorded` is sent only by the winner.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from modules.core.extensions import db
from modules.core.models import utcnow
from modules.learning.dates import add_months, uk_date_of
from modules.learning.models import Completion, CompletionModule, Enrolment, ModuleProgress
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
    completion: Optional[Completion]  # None: the course is not finished yet
    created: bool  # True only for the call that created the completion


def completion_for(enrolment_id: int) -> Optional[Completion]:
    return db.session.scalar(select(Completion).where(Completion.enrolment_id == enrolment_id))


def complete_course_if_done(enrolment_id: int, *, now: Optional[datetime] = None) -> CompletionResult:
    """Record the completion of an enrolment once every module (and so the assessment) is done.

    Commits. Call it after committing the learner's action: a lost race rolls the session back.

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

    completion = _build_completion(enrolment, entries, now or utcnow())
    db.session.add(completion)
    try:
        db.session.flush()
    except IntegrityError:
        # Another request completed this enrolment first; theirs is the one that counts.
        db.session.rollback()
        return CompletionResult(completion_for(enrolment_id), created=False)
    completion_recorded.send(current_app._get_current_object(), completion=completion)
    db.session.commit()
    return CompletionResult(completion, created=True)


def _build_completion(enrolment: Enrolment, entries: list[ModuleEntry], moment: datetime) -> Completion:
    months = refresher_months_for(enrolment.user, enrolment.course, enrolment.course_version)
    completed_on = uk_date_of(moment)
    return Completion(
        enrolment_id=enrolment.id,
        user_id=enrolment.user_id,
        course_id=enrolment.course_id,
        course_version_id=enrolment.course_version_id,
        completed_at=moment,
        completed_on=completed_on,
        expires_on=add_months(completed_on, months),
        refresher_months=months,
        score=_assessment_score(entries),
        modules=[
            CompletionModule(
                position=entry.position,
                module_id=entry.run.module_id,
                module_version_id=entry.run.module_version_id,
                progress_id=entry.run.id,
                module_completed_at=entry.run.completed_at,
            )
            for entry in entries
        ],
    )


def _assessment_score(entries: list[ModuleEntry]) -> Optional[int]:
    """The best passing score in the course's final assessment (None without one)."""
    for entry in entries:
        if entry.is_assessment:
            scores = [a.score for a in entry.run.attempts if a.passed and a.score is not None]
            return max(scores) if scores else None
    return None


def after_module_activity(run: ModuleProgress, *, now: Optional[datetime] = None) -> list[Completion]:
    """After a learner's action in a module: complete the module if it is done, then every
    unfinished course that includes it (a shared module credits each one). Commits.

    :return: the completions this call created.
    """
    if not complete_run_if_done(run, now=now):
        db.session.commit()
        return []
    db.session.commit()
    created = []
    for enrolment in active_enrolments_with_module(run.user_id, run.module_id):
        result = complete_course_if_done(enrolment.id, now=now)
        if result.created:
            created.append(result.completion)
    return created
