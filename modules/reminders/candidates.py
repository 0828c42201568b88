"""Who gets what: the learners to remind and the managers' weekly digests, on one day.

Only people who have reached a threshold are ever chosen (the well-known failure of other
platforms is mailing everyone enrolled): a required course "due soon" (due soon, or a refresher
expiring) or "overdue" (past its due date, or expired), by the rule in the due-date brief. Nobody
who is not yet due or is compliant, and nothing for a course they are not required to take.

A learner reminder also needs someone who can act on it: an active, approved account with no
leaving date, who has set a password (accepted their invitation: until then the invitation is
the mail they need, and a reminder would link to a page they cannot open), with reminders on
for them and for their agency. A digest goes to each active manager with reminders on, about the
staff their agency counts (whatever those people's own reminder settings), and only when there
is something to say.

The due date and status are worked out here by :func:`_required_states`, a stand-in that follows
the due-date rule exactly until ``modules.reports.queries.person_course_rows`` carries ``due_on``
and the new statuses; then it is replaced by that query and :func:`candidates` stays as it is.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, or_, select

from modules.accounts.models import Agency, Approval, Role, User, UserRole
from modules.content.models import Course, CourseVersion
from modules.core.extensions import db
from modules.learning.models import LatestCompletion, TrainingRequirement
from modules.reminders.models import ReminderKind

DUE_SOON = frozenset({"due_soon", "expiring"})
OVERDUE = frozenset({"overdue", "expired"})


@dataclass(frozen=True)
class CourseDue:
    """One required course at a threshold for one person."""

    course_id: int
    course_slug: str
    course_name: str  # code and title, e.g. "CSE-L1 Awareness"
    due_on: date
    status: str  # due_soon, expiring, overdue or expired

    @property
    def kind(self) -> ReminderKind:
        return ReminderKind.overdue if self.status in OVERDUE else ReminderKind.due_soon


@dataclass(frozen=True)
class Person:
    user_id: int
    name: str
    email: str
    courses: tuple[CourseDue, ...]


@dataclass(frozen=True)
class ManagerDigest:
    manager: Person  # courses: empty
    agency_id: int
    agency_name: str
    overdue: tuple[Person, ...]  # everyone with an overdue course (those courses only)
    due_soon: tuple[Person, ...]  # everyone with a course due soon (those courses only)


@dataclass(frozen=True)
class Candidates:
    reminders: tuple[Person, ...]  # learners, each with their courses at a threshold
    digests: tuple[ManagerDigest, ...]


def candidates(today: date, *, due_soon_days: int, refresher_window_days: int) -> Candidates:
    """Everyone who should hear from Sightline on ``today``, and about what.

    Whether each has already been told is for the caller (the send log); this only chooses.
    """
    states = _required_states(today, due_soon_days=due_soon_days, refresher_window_days=refresher_window_days)
    at_threshold = [s for s in states if s.course.status in DUE_SOON | OVERDUE]
    reminders = _people(s for s in at_threshold if s.remindable)
    by_agency: dict[int, list[_State]] = defaultdict(list)
    for state in at_threshold:
        by_agency[state.agency_id].append(state)
    digests = []
    for manager in _digest_managers():
        staff = by_agency.get(manager.agency_id, [])
        overdue = _people(s for s in staff if s.course.status in OVERDUE)
        due_soon = _people(s for s in staff if s.course.status in DUE_SOON)
        if overdue or due_soon:
            digests.append(ManagerDigest(
                manager=Person(manager.id, manager.name, manager.email, ()), agency_id=manager.agency_id,
                agency_name=manager.agency.name, overdue=overdue, due_soon=due_soon,
            ))
    return Candidates(reminders=reminders, digests=tuple(digests))


@dataclass(frozen=True)
class _State:
    user_id: int
    name: str
    email: str
    agency_id: int
    remindable: bool
    course: CourseDue


def _people(states) -> tuple[Person, ...]:
    grouped: dict[int, list[_State]] = defaultdict(list)
    for state in states:
        grouped[state.user_id].append(state)
    people = [
        Person(rows[0].user_id, rows[0].name, rows[0].email,
               tuple(sorted((r.course for r in rows), key=lambda c: (c.due_on, c.course_name))))
        for rows in grouped.values()
    ]
    return tuple(sorted(people, key=lambda p: (p.name, p.user_id)))


def _digest_managers() -> list[User]:
    return list(db.session.scalars(
        select(User)
        .join(UserRole, and_(UserRole.user_id == User.id, UserRole.role == Role.manager))
        .join(Agency, Agency.id == User.agency_id)
        .where(*_can_be_mailed())
        .order_by(User.id)
    ).unique())


def _can_be_mailed():
    """Conditions on User and Agency for anyone Sightline mails about their training."""
    return (
        User.active.is_(True), User.left_on.is_(None), User.approval == Approval.approved,
        User.password_hash.is_not(None), User.reminders_enabled.is_(True), Agency.retired_at.is_(None),
    )


def _required_states(today: date, *, due_soon_days: int, refresher_window_days: int) -> list[_State]:
    """Every counted person's required courses with their due date and status on ``today``.

    Follows the due-date rule: with a latest (non-withdrawn) completion, due on its expiry and
    ``expired`` / ``expiring`` (within the refresher window) / ``compliant``; without one, due
    ``min(max(started_on, starts_on) + due_within_days)`` over the matching requirements and
    ``overdue`` / ``due_soon`` / ``not_yet_due``. Counted: approved, and active with no leaving
    date or leaving on or after ``today``. The same requirement matching as the reports.
    """
    remindable = and_(*_can_be_mailed(), Agency.reminders_enabled.is_(True))
    rows = db.session.execute(
        select(
            User.id, User.name, User.email, User.agency_id, User.started_on, remindable.label("remindable"),
            Course.id.label("course_id"), Course.slug, CourseVersion.code, CourseVersion.title,
            TrainingRequirement.starts_on, TrainingRequirement.due_within_days,
            LatestCompletion.expires_on,
        )
        .join(Agency, Agency.id == User.agency_id)
        .join(TrainingRequirement, and_(
            TrainingRequirement.agency_kind == Agency.kind,
            or_(TrainingRequirement.team_id.is_(None), TrainingRequirement.team_id == User.team_id),
            or_(TrainingRequirement.min_training_level.is_(None),
                TrainingRequirement.min_training_level <= User.training_level),
        ))
        .join(Course, Course.id == TrainingRequirement.course_id)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .outerjoin(LatestCompletion, and_(LatestCompletion.user_id == User.id,
                                          LatestCompletion.course_id == Course.id))
        .where(
            User.approval == Approval.approved,
            or_(and_(User.active.is_(True), User.left_on.is_(None)), User.left_on >= today),
        )
    ).all()
    due: dict[tuple[int, int], date] = {}
    first: dict[tuple[int, int], object] = {}
    for row in rows:
        key = (row.id, row.course_id)
        first.setdefault(key, row)
        if row.expires_on is not None:
            due[key] = row.expires_on
        else:
            by_requirement = max(row.started_on, row.starts_on) + timedelta(days=row.due_within_days)
            due[key] = min(due.get(key, by_requirement), by_requirement)
    states = []
    for key, row in first.items():
        due_on = due[key]
        states.append(_State(
            user_id=row.id, name=row.name, email=row.email, agency_id=row.agency_id,
            remindable=bool(row.remindable),
            course=CourseDue(course_id=row.course_id, course_slug=row.slug, course_name=f"{row.code} {row.title}",
                             due_on=due_on, status=_status(due_on, row.expires_on is not None, today,
                                                           due_soon_days, refresher_window_days)),
        ))
    return states


def _status(due_on: date, completed: bool, today: date, due_soon_days: int, refresher_window_days: int) -> str:
    days_left = (due_on - today).days
    if completed:
        return "expired" if days_left < 0 else "expiring" if days_left <= refresher_window_days else "compliant"
    return "overdue" if days_left < 0 else "due_soon" if days_left <= due_soon_days else "not_yet_due"
