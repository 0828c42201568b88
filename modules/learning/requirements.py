"""Training requirements: which courses each agency kind (team, training level) must take."""
from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, false, or_, select, true
from sqlalchemy.orm import joinedload
from sqlalchemy.sql import ColumnElement

from modules.accounts.models import AgencyKind, Team, User
from modules.content import version_cache
from modules.content.models import Course, CourseVersion
from modules.core.extensions import db
from modules.learning.models import TrainingRequirement
from modules.learning.request_cache import memo


@dataclass(frozen=True)
class RequiredCourse:
    """A course a learner must take, and the refresher period that applies to them."""

    course: Course
    requirements: tuple[TrainingRequirement, ...]

    @property
    def refresher_months_override(self) -> int | None:
        """The shortest period set by a matching requirement, or None for the course's own."""
        periods = [r.refresher_months for r in self.requirements if r.refresher_months]
        return min(periods) if periods else None


# Who a requirement covers, written once. Each criterion compares one requirement column with
# one fact about the person; the Python predicate and the SQL clause below are both built from
# this list (operator.eq and operator.le work on plain values and on SQL columns alike), so the
# pages that ask "is this required of me?" and the reports that count everyone agree by
# construction, and tests/learning/test_requirement_matching.py checks them against each other.
@dataclass(frozen=True)
class _Criterion:
    column: str  # a TrainingRequirement attribute
    fact: str  # the person's fact it is compared with
    compare: Callable[[Any, Any], Any]  # requirement value, person's value
    none_means_everyone: bool


_CRITERIA = (
    _Criterion("agency_kind", "agency_kind", operator.eq, none_means_everyone=False),
    _Criterion("team_id", "team_id", operator.eq, none_means_everyone=True),
    _Criterion("min_training_level", "training_level", operator.le, none_means_everyone=True),
)


def requirement_covers(requirement, *, agency_kind: AgencyKind, team_id: int | None, training_level: int) -> bool:
    """Whether ``requirement`` covers a person of this agency kind, team and training level."""
    facts = {"agency_kind": agency_kind, "team_id": team_id, "training_level": training_level}
    for criterion in _CRITERIA:
        wanted = getattr(requirement, criterion.column)
        if wanted is None and criterion.none_means_everyone:
            continue
        if facts[criterion.fact] is None or not criterion.compare(wanted, facts[criterion.fact]):
            return False
    return True


def requirement_applies(requirement: TrainingRequirement, user: User) -> bool:
    """Whether ``requirement`` covers ``user`` (same agency kind, team and training level)."""
    return requirement_covers(
        requirement, agency_kind=user.agency.kind, team_id=user.team_id, training_level=user.training_level
    )


def requirement_matches_clause(*, agency_kind, team_id, training_level, requirement=TrainingRequirement
                               ) -> ColumnElement[bool]:
    """The SQL twin of :func:`requirement_covers`.

    Each person's fact is a SQL column (e.g. ``Agency.kind``, ``User.team_id``) or a plain value.
    ``requirement`` is whose criteria are compared: the ``TrainingRequirement`` table (the
    default), an alias of it, or any object with the same attributes holding plain values (a
    requirement not saved yet, whose effect is being previewed). A person's fact that is NULL
    matches no specific requirement value, as in the predicate.
    """
    facts = {"agency_kind": agency_kind, "team_id": team_id, "training_level": training_level}
    conditions = []
    for criterion in _CRITERIA:
        wanted = getattr(requirement, criterion.column)
        fact = facts[criterion.fact]
        in_sql = isinstance(wanted, ColumnElement) or hasattr(wanted, "__clause_element__")
        if not in_sql and wanted is None:
            conditions.append(true() if criterion.none_means_everyone else false())
            continue
        # A plain None would become "IS NULL"; the predicate's "matches nothing" is false().
        matches = criterion.compare(wanted, fact) if fact is not None else false()
        conditions.append(or_(wanted.is_(None), matches) if in_sql and criterion.none_means_everyone else matches)
    return and_(*conditions)


def required_courses(user: User) -> list[RequiredCourse]:
    """The courses ``user`` must take, in course code order; only courses that have content.

    A course required by several matching requirements appears once; the shortest refresher
    period among them applies. Worked out once per request.
    """
    return memo(("required", user.id), lambda: _required_courses(user))


def _required_courses(user: User) -> list[RequiredCourse]:
    rows = db.session.scalars(
        select(TrainingRequirement)
        .options(joinedload(TrainingRequirement.course))
        .join(Course, Course.id == TrainingRequirement.course_id)
        .where(
            requirement_matches_clause(
                agency_kind=user.agency.kind, team_id=user.team_id, training_level=user.training_level
            ),
            Course.current_version_id.is_not(None),
        )
        .order_by(TrainingRequirement.id)
    ).unique().all()
    version_cache.attach_current_versions({row.course for row in rows})
    by_course: dict[int, list[TrainingRequirement]] = {}
    for row in rows:
        by_course.setdefault(row.course_id, []).append(row)
    required = [RequiredCourse(course=reqs[0].course, requirements=tuple(reqs)) for reqs in by_course.values()]
    return sorted(required, key=lambda r: r.course.current_version.code)


def refresher_months_for(user: User, course: Course, course_version: CourseVersion) -> int:
    """How many months a completion of ``course_version`` lasts for ``user``.

    A partnership may set a shorter or longer period on a requirement; otherwise the course's own
    ``refresher_months`` applies. The period is fixed when the completion is recorded.
    """
    for required in required_courses(user):
        if required.course.id == course.id and required.refresher_months_override:
            return required.refresher_months_override
    return course_version.refresher_months


def set_requirement(
    course: Course,
    agency_kind: AgencyKind,
    *,
    team: Team | None = None,
    min_training_level: int | None = None,
    refresher_months: int | None = None,
    due_within_days: int | None = None,
) -> TrainingRequirement:
    """Require ``course`` for an agency kind (and optionally a team / from a level up).

    Idempotent: the same course and scope updates the existing requirement's refresher period
    (and due window, when given) rather than adding a second row. The caller commits.
    """
    _check_scope(agency_kind, team, min_training_level, refresher_months, due_within_days)
    existing = find_requirement(course, agency_kind, team=team, min_training_level=min_training_level)
    if existing is not None:
        existing.refresher_months = refresher_months
        if due_within_days is not None:
            existing.due_within_days = due_within_days
        return existing
    requirement = TrainingRequirement(
        course=course,
        agency_kind=agency_kind,
        team=team,
        min_training_level=min_training_level,
        refresher_months=refresher_months,
    )
    if due_within_days is not None:
        requirement.due_within_days = due_within_days
    db.session.add(requirement)
    return requirement


def _check_scope(
    agency_kind: AgencyKind,
    team: Team | None,
    min_training_level: int | None,
    refresher_months: int | None,
    due_within_days: int | None,
) -> None:
    if min_training_level is not None and min_training_level not in (1, 2, 3):
        raise ValueError("min_training_level must be 1, 2 or 3")
    if refresher_months is not None and not 1 <= refresher_months <= 120:
        raise ValueError("refresher_months must be from 1 to 120")
    if due_within_days is not None and not 1 <= due_within_days <= 730:
        raise ValueError("due_within_days must be from 1 to 730")
    if team is not None and team.agency.kind != agency_kind:
        raise ValueError("the team belongs to an agency of another kind")


def find_requirement(
    course: Course, agency_kind: AgencyKind, *, team: Team | None = None, min_training_level: int | None = None
) -> TrainingRequirement | None:
    """The requirement of exactly this course and scope, if there is one (there is at most one)."""
    return db.session.scalar(
        select(TrainingRequirement).where(
            TrainingRequirement.course_id == course.id,
            TrainingRequirement.agency_kind == agency_kind,
            TrainingRequirement.team_id.is_(None) if team is None else TrainingRequirement.team_id == team.id,
            TrainingRequirement.min_training_level.is_(None)
            if min_training_level is None
            else TrainingRequirement.min_training_level == min_training_level,
        )
    )


def change_requirement(
    requirement: TrainingRequirement,
    *,
    course: Course,
    agency_kind: AgencyKind,
    team: Team | None,
    min_training_level: int | None,
    refresher_months: int | None,
    due_within_days: int,
) -> TrainingRequirement:
    """Change a requirement's course, scope, refresher period or due window. The caller commits.

    :raise ValueError: for a scope that breaks the rules of :func:`set_requirement`, or one that
        another requirement already has (edit that one instead).
    """
    _check_scope(agency_kind, team, min_training_level, refresher_months, due_within_days)
    same = find_requirement(course, agency_kind, team=team, min_training_level=min_training_level)
    if same is not None and same.id != requirement.id:
        raise ValueError("another requirement already has this course and scope")
    requirement.course = course
    requirement.agency_kind = agency_kind
    requirement.team = team
    requirement.min_training_level = min_training_level
    requirement.refresher_months = refresher_months
    requirement.due_within_days = due_within_days
    return requirement


def remove_requirement(requirement: TrainingRequirement) -> None:
    """Stop requiring a course of a scope. Completions are records of what people did and stay
    untouched; only whether the course is required of them changes. The caller commits."""
    db.session.delete(requirement)
