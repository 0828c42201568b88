"""The SQL behind every report, shared by the pages and the exports (SQLite and PostgreSQL).

The drill-down lists and their exports come from :func:`person_course_rows`: one row per member
of staff in scope and course they are required to take, with their latest completion on the day
and their state. The dashboard counts the same things in groups (see "The dashboard" below) so
that it stays fast at partnership scale; the tests check that every dashboard figure equals the
rows of the export behind it.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import (
    Select,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    select,
    true,
    union_all,
)
from sqlalchemy.sql import ColumnElement

from modules.accounts.models import Agency, Team, User
from modules.content.models import Course, CourseVersion
from modules.core.dates import UK
from modules.learning.latest import latest_completion_ranking
from modules.learning.models import (
    Completion,
    CompletionSource,
    Enrolment,
    LatestCompletion,
    TrainingRequirement,
)
from modules.learning.requirements import requirement_matches_clause
from modules.reports.periods import Period
from modules.reports.status import EXPIRY_WINDOWS, PeopleFilter, ReportStatus


@dataclass(frozen=True)
class ReportScope:
    """Which rows a report covers. Build it with :func:`modules.reports.filters.resolve` only:
    ``agency_ids`` must already be limited to what the viewer may see."""

    agency_ids: frozenset[int] | None  # None: every agency (partnership admin)
    period: Period
    today: date
    team_id: int | None = None
    course_id: int | None = None
    level: int | None = None  # the course's level (1-3)
    people_filter: PeopleFilter | None = None
    extra: dict = field(default_factory=dict, compare=False)

    @property
    def as_at(self) -> date:
        return self.period.as_at(self.today)

    def but(self, **changes) -> ReportScope:
        return replace(self, **changes)


def _end_of_uk_day(day: date) -> datetime:
    """The first moment after ``day`` in the UK, as an aware datetime."""
    return datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=UK)


# Staff in scope x required courses ------------------------------------------------------------

def required_pairs(scope: ReportScope) -> Select:
    """(user, course) for every active member of staff in scope and every course required of them.

    The learning area's matching (:func:`modules.learning.requirements.requirement_matches_clause`,
    the SQL twin of the predicate My training uses); only courses that have content. Deactivated accounts (people who have left) are not counted.
    """
    query = (
        select(
            User.id.label("user_id"),
            User.agency_id.label("agency_id"),
            User.team_id.label("team_id"),
            TrainingRequirement.course_id.label("course_id"),
        )
        .join(Agency, Agency.id == User.agency_id)
        .join(
            TrainingRequirement,
            requirement_matches_clause(
                agency_kind=Agency.kind, team_id=User.team_id, training_level=User.training_level
            ),
        )
        .join(Course, Course.id == TrainingRequirement.course_id)
        .join(CourseVersion, CourseVersion.id == Course.current_version_id)
        .where(User.active.is_(True))
        .distinct()
    )
    if scope.agency_ids is not None:
        query = query.where(User.agency_id.in_(sorted(scope.agency_ids)))
    if scope.team_id is not None:
        query = query.where(User.team_id == scope.team_id)
    if scope.course_id is not None:
        query = query.where(TrainingRequirement.course_id == scope.course_id)
    if scope.level is not None:
        query = query.where(CourseVersion.level == scope.level)
    return query


# Latest completion on a day -------------------------------------------------------------------

def latest_completions(scope: ReportScope) -> Select:
    """(user_id, course_id, completion_id, completed_on, expires_on, manual): each person's latest
    completion of each course on the report's day.

    Today (or later): the maintained :class:`LatestCompletion` table. A past day: the latest
    completion recorded on or before it, found with a window function. Withdrawn completions
    count on no day.
    """
    if scope.as_at >= scope.today:
        return select(
            LatestCompletion.user_id,
            LatestCompletion.course_id,
            LatestCompletion.completion_id,
            LatestCompletion.completed_on,
            LatestCompletion.expires_on,
            LatestCompletion.manual,
        )
    ranked = latest_completion_ranking(
        on_or_before=scope.as_at,
        course_id=scope.course_id,
        user_ids=None if scope.agency_ids is None
        else select(User.id).where(User.agency_id.in_(sorted(scope.agency_ids))),
    )
    return select(
        ranked.c.user_id,
        ranked.c.course_id,
        ranked.c.completion_id,
        ranked.c.completed_on,
        ranked.c.expires_on,
        ranked.c.manual,
    ).where(ranked.c.position == 1)


# One row per person and course ----------------------------------------------------------------

def person_course_rows(scope: ReportScope):
    """The subquery every compliance figure comes from.

    Columns: user_id, agency_id, team_id, course_id, completion_id, completed_on, expires_on,
    manual, status (a :class:`ReportStatus` name).
    """
    pairs = required_pairs(scope).subquery("pairs")
    latest = latest_completions(scope).subquery("latest")
    as_at = scope.as_at
    started = exists().where(
        Enrolment.user_id == pairs.c.user_id,
        Enrolment.course_id == pairs.c.course_id,
        Enrolment.started_at < _end_of_uk_day(as_at),
    )
    # CASE stops at the first match, so the EXISTS runs only for people with no completion.
    status = case(
        (latest.c.expires_on >= as_at, literal(ReportStatus.compliant.name)),
        (latest.c.completion_id.is_not(None), literal(ReportStatus.overdue.name)),
        (started, literal(ReportStatus.in_progress.name)),
        else_=literal(ReportStatus.not_started.name),
    )
    return select(
        pairs.c.user_id,
        pairs.c.agency_id,
        pairs.c.team_id,
        pairs.c.course_id,
        latest.c.completion_id,
        latest.c.completed_on,
        latest.c.expires_on,
        func.coalesce(latest.c.manual, false()).label("manual"),
        status.label("status"),
    ).select_from(
        pairs.outerjoin(
            latest, and_(latest.c.user_id == pairs.c.user_id, latest.c.course_id == pairs.c.course_id)
        )
    ).subquery("person_course")


def people_filter_condition(rows, scope: ReportScope) -> ColumnElement[bool]:
    chosen = scope.people_filter
    if chosen is None:
        return true()
    if chosen.window_days is None:
        return rows.c.status == chosen.status.name
    return and_(
        rows.c.status == ReportStatus.compliant.name,
        rows.c.expires_on <= scope.as_at + timedelta(days=chosen.window_days),
    )


# The dashboard ------------------------------------------------------------------------------
#
# At partnership scale the dashboard must not build a row per person and course (180,000 rows at
# 50,000 staff). It counts in groups instead: staff by (agency, team, training level), latest
# completions and first enrolments by (agency, team, training level, course). Which groups a
# course is required of is decided in Python with the learning area's own rule
# (modules.reports.services). The drill-down lists use person_course_rows, the same rule in SQL;
# the tests check that both give the same numbers.

def _staff_filters(query: Select, scope: ReportScope) -> Select:
    query = query.where(User.active.is_(True))
    if scope.agency_ids is not None:
        query = query.where(User.agency_id.in_(sorted(scope.agency_ids)))
    if scope.team_id is not None:
        query = query.where(User.team_id == scope.team_id)
    return query


def staff_groups_query(scope: ReportScope) -> Select:
    """Active staff in scope by (agency_id, team_id, training_level): column ``staff``."""
    query = select(User.agency_id, User.team_id, User.training_level, func.count().label("staff")).group_by(
        User.agency_id, User.team_id, User.training_level
    )
    return _staff_filters(query, scope)


# Buckets of pair_groups_query (small integers: they are hashed 300,000 times a query):
# compliant ones by how soon they expire (within 30 days, 31-60, 61-90, later), overdue, started.
BUCKET_EXPIRING = (0, 1, 2)  # one per EXPIRY_WINDOWS
BUCKET_COMPLIANT_LATER = 3
BUCKET_OVERDUE = 4
BUCKET_STARTED = 5


def pair_groups_query(scope: ReportScope) -> Select:
    """People and courses in groups of (agency_id, team_id, training_level, course_id, bucket),
    column ``people``.

    Buckets: each person's latest completion on the day by expiry (BUCKET_EXPIRING: within 30
    days, in 31 to 60, in 61 to 90; BUCKET_COMPLIANT_LATER; or BUCKET_OVERDUE), and
    BUCKET_STARTED for everyone who had started the course by the day (their
    first cycle, cycle 1, via an index). A completion needs a started cycle, so "in progress"
    is started minus completed; nothing per person is joined twice.
    """
    latest = latest_completions(scope).subquery("latest")
    as_at = scope.as_at
    limits = [as_at + timedelta(days=days) for days in EXPIRY_WINDOWS]
    bucket = case(
        (latest.c.expires_on < as_at, literal(BUCKET_OVERDUE)),
        *[(latest.c.expires_on <= limit, literal(name)) for limit, name in zip(limits, BUCKET_EXPIRING, strict=True)],
        else_=literal(BUCKET_COMPLIANT_LATER),
    )
    completed = select(latest.c.user_id, latest.c.course_id, bucket.label("bucket"))
    started = select(Enrolment.user_id, Enrolment.course_id, literal(BUCKET_STARTED).label("bucket")).where(
        Enrolment.cycle == 1, Enrolment.started_at < _end_of_uk_day(as_at)
    )
    if scope.course_id is not None:
        completed = completed.where(latest.c.course_id == scope.course_id)
        started = started.where(Enrolment.course_id == scope.course_id)
    pairs = union_all(completed, started).subquery("pair_buckets")
    query = (
        select(User.agency_id, User.team_id, User.training_level, pairs.c.course_id, pairs.c.bucket,
               func.count().label("people"))
        .join(User, User.id == pairs.c.user_id)
        .group_by(User.agency_id, User.team_id, User.training_level, pairs.c.course_id, pairs.c.bucket)
    )
    return _staff_filters(query, scope)


def period_completions_query(scope: ReportScope, months: list[date]) -> Select:
    """Completions recorded in the period by (agency_id, course_id): ``completions``, ``manual``
    and one count per month (m0, m1, ...), in one pass (portable: no date functions)."""
    monthly = []
    for index, first in enumerate(months):
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        start, end = max(first, scope.period.start), min(last, scope.period.end)
        monthly.append(func.count().filter(Completion.completed_on.between(start, end)).label(f"m{index}"))
    query = (
        select(
            User.agency_id,
            Completion.course_id,
            func.count().label("completions"),
            func.count().filter(Completion.source == CompletionSource.manual).label("manual"),
            *monthly,
        )
        .join(User, User.id == Completion.user_id)
        .where(Completion.completed_on.between(scope.period.start, scope.period.end))
        .group_by(User.agency_id, Completion.course_id)
    )
    return _completion_filters(query, scope)


def _completion_filters(query: Select, scope: ReportScope) -> Select:
    # A withdrawn completion never happened as far as reports are concerned.
    query = query.where(Completion.withdrawn_at.is_(None))
    if scope.agency_ids is not None:
        query = query.where(User.agency_id.in_(sorted(scope.agency_ids)))
    if scope.team_id is not None:
        query = query.where(User.team_id == scope.team_id)
    if scope.course_id is not None:
        query = query.where(Completion.course_id == scope.course_id)
    if scope.level is not None:
        query = query.where(
            Completion.course_id.in_(
                select(Course.id).join(CourseVersion, CourseVersion.id == Course.current_version_id)
                .where(CourseVersion.level == scope.level)
            )
        )
    return query


# Drill-down lists -----------------------------------------------------------------------------

def people_query(scope: ReportScope) -> Select:
    """The people behind a dashboard figure, with the columns the list and the exports show."""
    rows = person_course_rows(scope)
    current = CourseVersion
    return (
        select(
            User.id.label("user_id"),
            User.name,
            User.email,
            Agency.name.label("agency"),
            Team.name.label("team"),
            User.training_level,
            current.code.label("course_code"),
            current.title.label("course_title"),
            current.level.label("course_level"),
            rows.c.status,
            rows.c.completed_on,
            rows.c.expires_on,
            rows.c.manual,
        )
        .select_from(rows)
        .join(User, User.id == rows.c.user_id)
        .join(Agency, Agency.id == rows.c.agency_id)
        .outerjoin(Team, Team.id == rows.c.team_id)
        .join(Course, Course.id == rows.c.course_id)
        .join(current, current.id == Course.current_version_id)
        .where(people_filter_condition(rows, scope))
        .order_by(User.name, User.id, current.code)
    )


def people_count_query(scope: ReportScope) -> Select:
    rows = person_course_rows(scope)
    return select(func.count()).select_from(rows).where(people_filter_condition(rows, scope))


def completions_query(scope: ReportScope) -> Select:
    """Every completion recorded in the period, newest first, in the columns of the page and the
    exports (services.COMPLETION_COLUMNS, in order), ready to write: the export streams these
    rows as they are."""
    taken = CourseVersion
    query = (
        select(
            User.name,
            User.email,
            Agency.name.label("agency"),
            func.coalesce(Team.name, "No team").label("team"),
            taken.code.label("course_code"),
            taken.title.label("course_title"),
            taken.level.label("course_level"),
            Completion.completed_on,
            Completion.expires_on,
            Completion.score,
            case((Completion.source == CompletionSource.manual, "Yes"), else_="No").label("manual"),
        )
        .join(User, User.id == Completion.user_id)
        .join(Agency, Agency.id == User.agency_id)
        .outerjoin(Team, Team.id == User.team_id)
        .join(taken, taken.id == Completion.course_version_id)
        .where(Completion.completed_on.between(scope.period.start, scope.period.end))
        .order_by(Completion.completed_on.desc(), Completion.id.desc())
    )
    return _completion_filters(query, scope)


def completions_count_query(scope: ReportScope) -> Select:
    query = (
        select(func.count())
        .select_from(Completion)
        .join(User, User.id == Completion.user_id)
        .where(Completion.completed_on.between(scope.period.start, scope.period.end))
    )
    return _completion_filters(query, scope)
