"""The training matrix: every requirement by agency kind, who each applies to now, and the effect
of a change before it is saved.

Head counts are of the people who count in the figures: active, approved (not waiting for
approval after registering themselves) and not yet left. Every count is one grouped query,
however many requirements or agencies there are.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

from sqlalchemy import and_, exists, func, not_, select
from sqlalchemy.orm import aliased, joinedload
from sqlalchemy.sql.elements import ColumnElement

from modules.accounts.models import Agency, AgencyKind, Team, User
from modules.content.models import Course, CourseVersion
from modules.core.extensions import db
from modules.learning.due import counted_on
from modules.learning.models import TrainingRequirement
from modules.learning.requirements import requirement_matches_clause


@dataclass(frozen=True)
class Scope:
    """A requirement's course and scope, saved or not: what a form describes."""

    course: Course
    agency_kind: AgencyKind
    team: Team | None = None
    min_training_level: int | None = None
    refresher_months: int | None = None
    due_within_days: int = 90

    @classmethod
    def of(cls, requirement: TrainingRequirement) -> Scope:
        return cls(requirement.course, requirement.agency_kind, requirement.team,
                   requirement.min_training_level, requirement.refresher_months, requirement.due_within_days)

    def audit_details(self) -> dict:
        version = self.course.current_version
        return {
            "course": version.code if version else self.course.slug,
            "agency_kind": self.agency_kind.name,
            "team": self.team.name if self.team else None,
            "team_id": self.team.id if self.team else None,
            "min_training_level": self.min_training_level,
            "refresher_months": self.refresher_months,
            "due_within_days": self.due_within_days,
        }


@dataclass(frozen=True)
class AgencyCount:
    agency: str
    people: int


@dataclass(frozen=True)
class MatrixRow:
    requirement: TrainingRequirement
    code: str
    title: str
    course_refresher_months: int | None
    applies_to: tuple[AgencyCount, ...]


@dataclass(frozen=True)
class MatrixGroup:
    kind: AgencyKind
    rows: tuple[MatrixRow, ...]


@dataclass(frozen=True)
class Effect:
    """What saving a change would do: who newly has to take the course, who no longer does."""

    course_code: str
    gained: tuple[AgencyCount, ...]
    lost_course_code: str
    lost: tuple[AgencyCount, ...]

    @property
    def gained_total(self) -> int:
        return sum(c.people for c in self.gained)

    @property
    def lost_total(self) -> int:
        return sum(c.people for c in self.lost)


def _person_covered_by(requirement=TrainingRequirement) -> ColumnElement[bool]:
    """Whether ``requirement`` (the table, an alias, or a scope's plain values) covers the person,
    as SQL over ``User`` joined to its ``Agency``: the one requirement-matching rule."""
    return requirement_matches_clause(
        agency_kind=Agency.kind, team_id=User.team_id, training_level=User.training_level, requirement=requirement
    )


def _scope_applies(scope: Scope) -> ColumnElement[bool]:
    return _person_covered_by(SimpleNamespace(
        agency_kind=scope.agency_kind, team_id=scope.team.id if scope.team else None,
        min_training_level=scope.min_training_level,
    ))


def _required_elsewhere(course_id: int, exclude_id: int | None) -> ColumnElement[bool]:
    """The person is required the course by another requirement (not ``exclude_id``)."""
    other = aliased(TrainingRequirement)
    condition = and_(
        other.course_id == course_id,
        _person_covered_by(other),
    )
    if exclude_id is not None:
        condition = and_(condition, other.id != exclude_id)
    return exists(select(other.id).where(condition))


def _by_agency(condition: ColumnElement[bool], today: date, agency_ids: set[int] | None) -> tuple[AgencyCount, ...]:
    query = (
        select(Agency.name, func.count(User.id))
        .select_from(User)
        .join(Agency, Agency.id == User.agency_id)
        .where(condition, counted_on(today))
        .group_by(Agency.name)
        .order_by(func.count(User.id).desc(), Agency.name)
    )
    if agency_ids is not None:
        query = query.where(Agency.id.in_(agency_ids))
    return tuple(AgencyCount(name, people) for name, people in db.session.execute(query))


def matrix(*, today: date, kinds: Iterable[AgencyKind] | None = None,
           agency_ids: set[int] | None = None) -> list[MatrixGroup]:
    """Every requirement (of ``kinds``; None = all) grouped by agency kind in the kinds' order,
    each with the people it applies to now per agency (only ``agency_ids``; None = all)."""
    query = (
        select(TrainingRequirement, CourseVersion)
        .options(joinedload(TrainingRequirement.team).joinedload(Team.agency),
                 joinedload(TrainingRequirement.course))
        .join(Course, Course.id == TrainingRequirement.course_id)
        .outerjoin(CourseVersion, CourseVersion.id == Course.current_version_id)
        .order_by(CourseVersion.code, TrainingRequirement.id)
    )
    if kinds is not None:
        query = query.where(TrainingRequirement.agency_kind.in_(list(kinds)))
    requirements = db.session.execute(query).all()
    counts = _counts_per_requirement([r.id for r, _ in requirements], today, agency_ids)
    groups: dict[AgencyKind, list[MatrixRow]] = {}
    for requirement, version in requirements:
        groups.setdefault(requirement.agency_kind, []).append(MatrixRow(
            requirement=requirement,
            code=version.code if version else requirement.course.slug,
            title=version.title if version else "No content imported yet",
            course_refresher_months=version.refresher_months if version else None,
            applies_to=counts.get(requirement.id, ()),
        ))
    return [MatrixGroup(kind, tuple(groups[kind])) for kind in AgencyKind if kind in groups]


def _counts_per_requirement(ids: list[int], today: date, agency_ids: set[int] | None) -> dict[int, tuple]:
    if not ids:
        return {}
    query = (
        select(TrainingRequirement.id, Agency.name, func.count(User.id))
        .select_from(User)
        .join(Agency, Agency.id == User.agency_id)
        .join(TrainingRequirement, _person_covered_by())
        .where(TrainingRequirement.id.in_(ids), counted_on(today))
        .group_by(TrainingRequirement.id, Agency.name)
        .order_by(TrainingRequirement.id, func.count(User.id).desc(), Agency.name)
    )
    if agency_ids is not None:
        query = query.where(Agency.id.in_(agency_ids))
    result: dict[int, list[AgencyCount]] = {}
    for requirement_id, name, people in db.session.execute(query):
        result.setdefault(requirement_id, []).append(AgencyCount(name, people))
    return {key: tuple(value) for key, value in result.items()}


def _code(course: Course) -> str:
    return course.current_version.code if course.current_version else course.slug


def preview(*, before: Scope | None, after: Scope | None, requirement_id: int | None, today: date) -> Effect:
    """The effect of adding (``before`` None), changing, or removing (``after`` None) a requirement.

    Someone required the course by another requirement gains or loses nothing. Counts only
    people who count in the figures, as the matrix does.
    """
    same_course = before is not None and after is not None and before.course.id == after.course.id
    gained: tuple[AgencyCount, ...] = ()
    lost: tuple[AgencyCount, ...] = ()
    if after is not None:
        condition = and_(_scope_applies(after), not_(_required_elsewhere(after.course.id, requirement_id)))
        if same_course:
            condition = and_(condition, not_(_scope_applies(before)))
        gained = _by_agency(condition, today, None)
    if before is not None:
        condition = and_(_scope_applies(before), not_(_required_elsewhere(before.course.id, requirement_id)))
        if same_course:
            condition = and_(condition, not_(_scope_applies(after)))
        lost = _by_agency(condition, today, None)
    return Effect(
        course_code=_code(after.course) if after else "",
        gained=gained,
        lost_course_code=_code(before.course) if before else "",
        lost=lost,
    )


def describe_counts(counts: Iterable[AgencyCount]) -> str:
    """"12 in Northshire Police, 2 in Eastport Police"."""
    return ", ".join(f"{c.people} in {c.agency}" for c in counts)
