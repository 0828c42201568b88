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

The due date and status are the reports' (``modules.reports.queries.person_course_rows``): the
rule is written once, in ``modules.learning.due``.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, select

from modules.accounts.models import Agency, Approval, Role, User, UserRole
from modules.content.models import Course, CourseVersion
from modules.core.extensions import db
from modules.reminders.models import ReminderKind
from modules.reports.periods import Period
from modules.reports.queries import ReportScope, person_course_rows

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
    """Every counted person's required courses with their due date and status on ``today``:
    the reports' own rows (:func:`modules.reports.queries.person_course_rows`), so a reminder
    says exactly what the manager's dashboard says about the same person and course."""
    scope = ReportScope(
        agency_ids=None, period=Period(today, today), today=today,
        expiring_days=refresher_window_days, due_soon_days=due_soon_days,
    )
    rows = person_course_rows(scope)
    remindable = and_(*_can_be_mailed(), Agency.reminders_enabled.is_(True))
    result = db.session.execute(
        select(
            User.id, User.name, User.email, rows.c.agency_id, remindable.label("remindable"),
            Course.id.label("course_id"), Course.slug, CourseVersion.code, CourseVersion.title,
            rows.c.due_on, rows.c.status,
        )
        .select_from(rows)
        .join(User, User.id == rows.c.user_id)
        .join(Agency, Agency.id == User.agency_id)
        .join(Course, Course.id == rows.c.course_id)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .where(rows.c.status.in_(sorted(DUE_SOON | OVERDUE)))
    ).all()
    return [
        _State(
            user_id=row.id, name=row.name, email=row.email, agency_id=row.agency_id,
            remindable=bool(row.remindable),
            course=CourseDue(course_id=row.course_id, course_slug=row.slug, course_name=f"{row.code} {row.title}",
                             due_on=row.due_on, status=row.status),
        )
        for row in result
    ]


