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
    Boolean,
    Select,
    and_,
    case,
    exists,
    false,
    func,
    literal,
    select,
    true,
    type_coerce,
    union_all,
)
from sqlalchemy.orm import aliased
from sqlalchemy.sql import ColumnElement

from modules.accounts.models import Agency, Team, User
from modules.content.models import Course, CourseVersion
from modules.core.config import DEFAULTS
from modules.core.database import later_of
from modules.core.dates import UK
from modules.learning.due import counted_on, first_due_on_clause
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
from modules.reports.status import PeopleFilter, ReportStatus


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
    # The status windows (SIGHTLINE_REFRESHER_WINDOW_DAYS, SIGHTLINE_DUE_SOON_DAYS): filters.resolve
    # sets them from the settings; the defaults are the settings' own.
    expiring_days: int = DEFAULTS["SIGHTLINE_REFRESHER_WINDOW_DAYS"]
    due_soon_days: int = DEFAULTS["SIGHTLINE_DUE_SOON_DAYS"]
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
    """(user_id, agency_id, team_id, course_id, first_due_on) for every member of staff counted on
    the report's day (:func:`counted_on`) and every course required of them.

    The learning area's matching (:func:`modules.learning.requirements.requirement_matches_clause`,
    the SQL twin of the predicate My training uses); only courses that have content.
    ``first_due_on`` is the earliest due day over the matching requirements
    (:func:`modules.learning.due.first_due_on_clause`).
    """
    query = (
        select(
            User.id.label("user_id"),
            User.agency_id.label("agency_id"),
            User.team_id.label("team_id"),
            TrainingRequirement.course_id.label("course_id"),
            func.min(first_due_on_clause(User.started_on)).label("first_due_on"),
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
        .where(counted_on(scope.as_at))
        .group_by(User.id, User.agency_id, User.team_id, TrainingRequirement.course_id)
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

def status_case(scope: ReportScope, *, expires_on, first_due_on) -> ColumnElement[str]:
    """The SQL twin of :func:`modules.reports.status.classify`: a :class:`ReportStatus` name.

    ``expires_on`` is the latest completion's (NULL: none), ``first_due_on`` the first
    completion's due day. Every comparison is with a date worked out here, so the SQL needs no
    date arithmetic.
    """
    as_at = scope.as_at
    return case(
        (expires_on < as_at, literal(ReportStatus.expired.name)),
        (expires_on <= as_at + timedelta(days=scope.expiring_days), literal(ReportStatus.expiring.name)),
        (expires_on.is_not(None), literal(ReportStatus.compliant.name)),
        (first_due_on < as_at, literal(ReportStatus.overdue.name)),
        (first_due_on <= as_at + timedelta(days=scope.due_soon_days), literal(ReportStatus.due_soon.name)),
        else_=literal(ReportStatus.not_yet_due.name),
    )


def person_course_rows(scope: ReportScope):
    """The subquery every compliance figure comes from (and the reminders' list of who is due).

    One row per member of staff counted on ``scope.as_at`` (approved; leavers up to their
    ``left_on``) and course required of them, in the agency they are in now. Columns:

    - ``user_id``, ``agency_id``, ``team_id``, ``course_id``;
    - ``due_on``: the latest completion's ``expires_on`` (the refresher is due then), else the
      first completion's due day (:mod:`modules.learning.due`);
    - ``status``: a :class:`~modules.reports.status.ReportStatus` name (not_yet_due, due_soon,
      overdue, compliant, expiring, expired) on ``scope.as_at``;
    - ``started``: whether an enrolment had begun by the end of ``scope.as_at`` (true for anyone
      with a completion); "in progress" is started and not completed;
    - ``completion_id``, ``completed_on``, ``expires_on``, ``manual``: the latest completion
      that counts on the day (NULL, NULL, NULL, false: none).
    """
    pairs = required_pairs(scope).subquery("pairs")
    latest = latest_completions(scope).subquery("latest")
    began = exists().where(
        Enrolment.user_id == pairs.c.user_id,
        Enrolment.course_id == pairs.c.course_id,
        Enrolment.started_at < _end_of_uk_day(scope.as_at),
    )
    # CASE stops at the first match, so the EXISTS runs only for people with no completion.
    started = type_coerce(case((latest.c.completion_id.is_not(None), true()), else_=began), Boolean)
    return select(
        pairs.c.user_id,
        pairs.c.agency_id,
        pairs.c.team_id,
        pairs.c.course_id,
        latest.c.completion_id,
        latest.c.completed_on,
        latest.c.expires_on,
        func.coalesce(latest.c.manual, false()).label("manual"),
        func.coalesce(latest.c.expires_on, pairs.c.first_due_on).label("due_on"),
        status_case(scope, expires_on=latest.c.expires_on, first_due_on=pairs.c.first_due_on).label("status"),
        started.label("started"),
    ).select_from(
        pairs.outerjoin(
            latest, and_(latest.c.user_id == pairs.c.user_id, latest.c.course_id == pairs.c.course_id)
        )
    ).subquery("person_course")


def people_filter_condition(rows, scope: ReportScope) -> ColumnElement[bool]:
    chosen = scope.people_filter
    if chosen is None:
        return true()
    if chosen.statuses is None:  # in progress: started, not completed
        return and_(rows.c.started.is_(True), rows.c.completion_id.is_(None))
    return rows.c.status.in_([s.name for s in chosen.statuses])


# The dashboard ------------------------------------------------------------------------------
#
# At partnership scale the dashboard must not build a row per person and course (180,000 rows at
# 50,000 staff). It counts in groups instead: staff by (agency, team, training level, joined),
# latest completions and first enrolments by the same and the course. Which courses a group must
# take, and when they are due, is decided in Python with the learning area's own rules
# (modules.reports.services). The drill-down lists use person_course_rows, the same rules in SQL;
# the tests check that both give the same numbers.
#
# "Joined" is User.started_on raised to ``started_floor``, the earliest starts_on of the
# requirements counted: the due day is max(started_on, starts_on) + days, so everyone who joined
# before every requirement began has the same due days, and they make one group rather than one
# per start date.

def _staff_filters(query: Select, scope: ReportScope) -> Select:
    query = query.where(counted_on(scope.as_at))
    if scope.agency_ids is not None:
        query = query.where(User.agency_id.in_(sorted(scope.agency_ids)))
    if scope.team_id is not None:
        query = query.where(User.team_id == scope.team_id)
    return query


def _joined(started_floor: date | None):
    return User.started_on if started_floor is None else later_of(User.started_on, started_floor)


def staff_groups_query(scope: ReportScope, started_floor: date | None) -> Select:
    """Staff counted on the day by (agency_id, team_id, training_level, joined): column ``staff``."""
    joined = _joined(started_floor).label("joined")
    query = select(User.agency_id, User.team_id, User.training_level, joined, func.count().label("staff")).group_by(
        User.agency_id, User.team_id, User.training_level, joined
    )
    return _staff_filters(query, scope)


# Buckets of pair_groups_query (small integers: they are hashed 300,000 times a query): the
# latest completion's state, or started.
BUCKET_EXPIRED = 0
BUCKET_EXPIRING = 1
BUCKET_COMPLIANT = 2
BUCKET_STARTED = 3
COMPLETED_BUCKETS = {BUCKET_EXPIRED: "expired", BUCKET_EXPIRING: "expiring", BUCKET_COMPLIANT: "compliant"}


def pair_groups_query(scope: ReportScope, started_floor: date | None) -> Select:
    """People and courses in groups of (agency_id, team_id, training_level, joined, course_id,
    bucket), column ``people``.

    Buckets: each person's latest completion on the day by state (BUCKET_EXPIRED,
    BUCKET_EXPIRING within the refresher window, BUCKET_COMPLIANT), and BUCKET_STARTED for
    everyone who had started the course by the day (their first cycle, cycle 1, via an index). A
    completion needs a started cycle, so "in progress" is started minus completed, and those not
    completed are the staff minus the completed; nothing per person is joined twice.
    """
    latest = latest_completions(scope).subquery("latest")
    as_at = scope.as_at
    bucket = case(
        (latest.c.expires_on < as_at, literal(BUCKET_EXPIRED)),
        (latest.c.expires_on <= as_at + timedelta(days=scope.expiring_days), literal(BUCKET_EXPIRING)),
        else_=literal(BUCKET_COMPLIANT),
    )
    completed = select(latest.c.user_id, latest.c.course_id, bucket.label("bucket"))
    started = select(Enrolment.user_id, Enrolment.course_id, literal(BUCKET_STARTED).label("bucket")).where(
        Enrolment.cycle == 1, Enrolment.started_at < _end_of_uk_day(as_at)
    )
    if scope.course_id is not None:
        completed = completed.where(latest.c.course_id == scope.course_id)
        started = started.where(Enrolment.course_id == scope.course_id)
    pairs = union_all(completed, started).subquery("pair_buckets")
    joined = _joined(started_floor).label("joined")
    query = (
        select(User.agency_id, User.team_id, User.training_level, joined, pairs.c.course_id, pairs.c.bucket,
               func.count().label("people"))
        .join(User, User.id == pairs.c.user_id)
        .group_by(User.agency_id, User.team_id, User.training_level, joined, pairs.c.course_id, pairs.c.bucket)
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
            User.left_on,
            current.code.label("course_code"),
            current.title.label("course_title"),
            current.level.label("course_level"),
            rows.c.status,
            rows.c.started,
            rows.c.due_on,
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
    rows as they are.

    The agency is the person's now (reports count people where they are); ``completed_while_in``
    names the agency the completion was recorded in when that was another one (people move).
    """
    taken = CourseVersion
    then = aliased(Agency, name="agency_then")
    query = (
        select(
            User.name,
            User.email,
            Agency.name.label("agency"),
            case((Completion.agency_id != User.agency_id, then.name), else_=None).label("completed_while_in"),
            func.coalesce(Team.name, "No team").label("team"),
            taken.code.label("course_code"),
            taken.title.label("course_title"),
            taken.level.label("course_level"),
            Completion.completed_on,
            Completion.expires_on,
            Completion.score,
            case((Completion.source == CompletionSource.manual, "Yes"), else_="No").label("manual"),
            User.left_on,
        )
        .join(User, User.id == Completion.user_id)
        .join(Agency, Agency.id == User.agency_id)
        .outerjoin(then, then.id == Completion.agency_id)
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
