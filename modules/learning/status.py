"""A learner's training status per course, for "My training" (plain functions, no requests).

A completion counts up to and including its ``expires_on`` date. From ``window_days`` before
that date (``SIGHTLINE_REFRESHER_WINDOW_DAYS``, default 60) the refresher is "due soon"; from
the day after, the completion has expired. A required course never completed is due by its
first due day (:mod:`modules.learning.due`) and "Overdue" from the day after, started or not.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from modules.accounts.models import User
from modules.content import version_cache
from modules.content.models import Course, CourseVersion
from modules.core.config import DEFAULTS
from modules.core.dates import uk_today
from modules.core.enums import TaggedStatus
from modules.core.extensions import db
from modules.learning.due import first_due_on
from modules.learning.models import Completion, Enrolment
from modules.learning.progress import (
    ModuleState,
    completions_of,
    enrolments_for,
    latest_enrolment,
    load_progress,
    module_entries,
)
from modules.learning.requirements import required_courses

DEFAULT_WINDOW_DAYS = DEFAULTS["SIGHTLINE_REFRESHER_WINDOW_DAYS"]


class CourseState(TaggedStatus):
    """A course's state for one learner."""

    not_started = ("Not started", "govuk-tag--grey")
    in_progress = ("In progress", "govuk-tag--light-blue")
    completed = ("Completed", "govuk-tag--green")
    due_soon = ("Refresher due soon", "govuk-tag--yellow")
    expired = ("Expired", "govuk-tag--red")
    overdue = ("Overdue", "govuk-tag--pink")  # required, never completed, past its due day


def state_for_expiry(expires_on: date, today: date, window_days: int = DEFAULT_WINDOW_DAYS) -> CourseState:
    """Completed, due soon (within ``window_days`` of the expiry date, inclusive) or expired."""
    if expires_on < today:
        return CourseState.expired
    if (expires_on - today).days <= window_days:
        return CourseState.due_soon
    return CourseState.completed


@dataclass(frozen=True)
class CourseStatus:
    course: Course
    version: CourseVersion  # what the learner is taking (pinned), else the current version
    required: bool
    state: CourseState
    completion: Completion | None  # the latest one
    enrolment: Enrolment | None  # the unfinished cycle, if one is under way
    modules_done: int
    modules_total: int
    # The latest cycle's completion when it was withdrawn (the course must be done again).
    withdrawn: Completion | None = None
    # A required course's first due day (None: optional).
    first_due_on: date | None = None

    @property
    def expires_on(self) -> date | None:
        return self.completion.expires_on if self.completion else None

    @property
    def due_on(self) -> date | None:
        """When the course (or its refresher) is due: the expiry of the latest completion, else
        the first due day; None for an optional course never completed."""
        return self.expires_on if self.completion else self.first_due_on

    @property
    def refresher_in_progress(self) -> bool:
        return self.completion is not None and self.enrolment is not None

    def days_left(self, today: date) -> int | None:
        return (self.expires_on - today).days if self.expires_on else None


@dataclass(frozen=True)
class TrainingOverview:
    required: list[CourseStatus]
    optional: list[CourseStatus]


def latest_completion(user_id: int, course_id: int) -> Completion | None:
    """The latest completion that still counts (withdrawn ones never do)."""
    return next((c for c in completions_of(user_id, course_id) if not c.is_withdrawn), None)


def course_status(
    user: User, course: Course, *, required: bool, today: date | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
) -> CourseStatus:
    """Where ``user`` stands with ``course`` on ``today`` (UK date; default today)."""
    today = today or uk_today()
    completion = latest_completion(user.id, course.id)
    latest = latest_enrolment(user.id, course.id)
    unfinished = latest if latest is not None and latest.completion is None else None
    withdrawn = latest.completion if latest is not None and latest.completion is not None \
        and latest.completion.is_withdrawn else None
    done = total = 0
    if unfinished is not None:
        entries = module_entries(unfinished)
        total = len(entries)
        done = sum(1 for e in entries if e.state == ModuleState.completed)
        version = unfinished.course_version
    else:
        version = course.current_version
        total = len(version.entries) if version else 0
    first_due = _first_due_on(user, course) if required else None
    if completion is not None:
        state = state_for_expiry(completion.expires_on, today, window_days)
    elif first_due is not None and first_due < today:
        state = CourseState.overdue
    elif unfinished is not None:
        state = CourseState.in_progress
    else:
        state = CourseState.not_started
    return CourseStatus(
        course=course, version=version, required=required, state=state, completion=completion,
        enrolment=unfinished, modules_done=done, modules_total=total, withdrawn=withdrawn,
        first_due_on=first_due,
    )


def _first_due_on(user: User, course: Course) -> date | None:
    # required_courses is worked out once per request, so this costs no query.
    required = next((r for r in required_courses(user) if r.course.id == course.id), None)
    return first_due_on(user.started_on, required.requirements) if required else None


def training_overview(
    user: User, *, today: date | None = None, window_days: int = DEFAULT_WINDOW_DAYS
) -> TrainingOverview:
    """The courses ``user`` must take (with status), and the optional ones open to them.

    Optional: courses whose audience includes the learner's agency kind but which no requirement
    makes compulsory for them, plus any other course they have started.
    """
    today = today or uk_today()
    required = required_courses(user)
    required_ids = {r.course.id for r in required}
    enrolments = enrolments_for(user.id)
    started_ids = {e.course_id for e in enrolments}
    kind = user.agency.kind.name
    courses = db.session.scalars(
        select(Course).where(Course.current_version_id.is_not(None)).order_by(Course.slug)
    ).all()
    version_cache.attach_current_versions(courses)
    optional = [
        course for course in courses
        if course.id not in required_ids
        and (course.current_version.is_for_agency_kind(kind) or course.id in started_ids)
    ]
    # Every unfinished course's modules at once, rather than a query per course.
    latest = {e.course_id: e for e in enrolments}  # oldest cycle first, so the latest wins
    load_progress([e for e in latest.values() if e.completion is None])
    return TrainingOverview(
        required=[course_status(user, r.course, required=True, today=today, window_days=window_days)
                  for r in required],
        optional=sorted(
            (course_status(user, c, required=False, today=today, window_days=window_days) for c in optional),
            key=lambda s: s.version.code,
        ),
    )


def is_required(user: User, course: Course) -> bool:
    return any(r.course.id == course.id for r in required_courses(user))


def may_take(user: User, course: Course) -> bool:
    """Whether the course is open to the learner: required, meant for their agency kind, or
    already started (a course never disappears half way through)."""
    if course.current_version is None:
        return False
    if course.current_version.is_for_agency_kind(user.agency.kind.name) or is_required(user, course):
        return True
    return latest_enrolment(user.id, course.id) is not None
